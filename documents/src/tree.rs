//! The spanned tree every input format is read into (values with the line and column they
//! start at), and the JSON number grammar the readers share. A leaf: the readers (`source`,
//! `source_json`, `csv_input`) build it, everything after them walks it.

use std::fmt;
use std::path::PathBuf;

/// Deeper documents are refused rather than risking a reader's stack (every reader, JSON, YAML
/// block or flow style, has the same limit).
pub const MAX_DEPTH: usize = 128;

/// A place in an input file: 1-based line and column.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

/// A value of an input document with the place it starts at.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    pub pos: Pos,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    /// Any other number, as its exact text in JSON syntax (`12345678901234.123456`, `1e400`,
    /// `9223372036854775808`): never rounded through a float; the column's type parses it.
    Number(String),
    Str(String),
    Seq(Vec<Node>),
    /// Keys in document order, each with its own place.
    Map(Vec<Entry>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_pos: Pos,
    pub node: Node,
}

impl Node {
    pub fn new(value: Value, pos: Pos) -> Node {
        Node { value, pos }
    }

    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// A short name of the value's kind, for "expected a list, found a number".
    pub fn kind(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) | Value::Number(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a map",
        }
    }

    /// The value as JSON (places dropped), for the generated row parsers.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            // serde_json keeps a number's text as it is (feature `arbitrary_precision`).
            Value::Number(text) => text
                .parse::<serde_json::Number>()
                .map_or_else(|_| J::String(text.clone()), J::Number),
            Value::Str(s) => J::String(s.clone()),
            Value::Seq(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => J::Object(
                entries
                    .iter()
                    .map(|e| (e.key.clone(), e.node.to_json()))
                    .collect(),
            ),
        }
    }

    /// A short, printable form of the value for error messages.
    pub fn display_value(&self) -> String {
        let text = match &self.value {
            Value::Str(s) => format!("'{s}'"),
            _ => self.to_json().to_string(),
        };
        if text.chars().count() > 80 {
            format!("{}...", text.chars().take(77).collect::<String>())
        } else {
            text
        }
    }
}

/// A file that could not be read or parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceError {
    pub file: PathBuf,
    pub pos: Option<Pos>,
    pub message: String,
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.pos {
            Some(p) => write!(f, "{}:{p}: {}", self.file.display(), self.message),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

/// A number in JSON syntax: an `Int` when it is an integer literal that fits i64, otherwise its
/// exact text. None when `text` is not a JSON number.
pub fn exact_number(text: &str) -> Option<Value> {
    if !is_json_number(text) {
        return None;
    }
    if !text.contains(['.', 'e', 'E'])
        && let Ok(i) = text.parse::<i64>()
    {
        return Some(Value::Int(i));
    }
    Some(Value::Number(text.to_owned()))
}

/// RFC 8259's number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
fn is_json_number(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let digits_from = |i: usize| b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => i += digits_from(i),
        _ => return false,
    }
    if b.get(i) == Some(&b'.') {
        let n = digits_from(i + 1);
        if n == 0 {
            return false;
        }
        i += 1 + n;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let n = digits_from(i);
        if n == 0 {
            return false;
        }
        i += n;
    }
    i == b.len()
}
