//! Reading input files into one spanned tree, whatever their format.
//!
//! `.json` files are read by a strict JSON pull parser (jiter, no extensions), everything else by saphyr as YAML; both keep the line and column each value starts
//! at, so every later error can point at it. CSV is assembled into the same tree by
//! `csv_input`. (Reading JSON as YAML 1.2 works too, but is ~10x slower on large files.)

use std::fmt;
use std::path::{Path, PathBuf};

use saphyr::{LoadableYamlNode, MarkedYamlOwned, ScalarOwned, YamlDataOwned};

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
    Float(f64),
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
            Value::Int(_) | Value::Float(_) => "a number",
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
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
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

/// Parses one document into a spanned tree: strict JSON when the file name ends in `.json`,
/// YAML otherwise.
pub fn parse_yaml_or_json(file: &Path, text: &str) -> Result<Node, SourceError> {
    if file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
    {
        crate::source_json::parse_json(file, text)
    } else {
        parse_yaml(file, text)
    }
}

/// Parses YAML text (one document; JSON is YAML too) into a spanned tree.
pub fn parse_yaml(file: &Path, text: &str) -> Result<Node, SourceError> {
    let docs = MarkedYamlOwned::load_from_str(text).map_err(|e| SourceError {
        file: file.to_path_buf(),
        pos: Some(Pos {
            line: e.marker().line(),
            col: e.marker().col() + 1,
        }),
        message: format!("not valid JSON/YAML: {}", e.info()),
    })?;
    match docs.len() {
        0 => Ok(Node::new(Value::Null, Pos { line: 1, col: 1 })),
        1 => convert(file, docs.into_iter().next().expect("one document")),
        n => Err(SourceError {
            file: file.to_path_buf(),
            pos: None,
            message: format!("holds {n} YAML documents; put one per file"),
        }),
    }
}

fn pos_of(node: &MarkedYamlOwned) -> Pos {
    Pos {
        line: node.span.start.line(),
        col: node.span.start.col() + 1,
    }
}

fn convert(file: &Path, node: MarkedYamlOwned) -> Result<Node, SourceError> {
    let pos = pos_of(&node);
    let error = |message: String| SourceError {
        file: file.to_path_buf(),
        pos: Some(pos),
        message,
    };
    let value = match node.data {
        YamlDataOwned::Value(scalar) => scalar_value(scalar),
        YamlDataOwned::Representation(text, _, _) => {
            scalar_value(ScalarOwned::parse_from_cow(text.into()))
        }
        YamlDataOwned::Sequence(items) => Value::Seq(
            items
                .into_iter()
                .map(|n| convert(file, n))
                .collect::<Result<_, _>>()?,
        ),
        YamlDataOwned::Mapping(map) => {
            let mut entries: Vec<Entry> = Vec::with_capacity(map.len());
            for (k, v) in map {
                let key_pos = pos_of(&k);
                let key = match convert(file, k)?.value {
                    Value::Str(s) => s,
                    Value::Int(i) => i.to_string(),
                    Value::Bool(b) => b.to_string(),
                    Value::Float(f) => f.to_string(),
                    other => {
                        return Err(SourceError {
                            file: file.to_path_buf(),
                            pos: Some(key_pos),
                            message: format!("a map key must be a plain name, found {other:?}"),
                        });
                    }
                };
                entries.push(Entry {
                    key,
                    key_pos,
                    node: convert(file, v)?,
                });
            }
            Value::Map(entries)
        }
        YamlDataOwned::Tagged(_, inner) => return convert(file, *inner),
        YamlDataOwned::Alias(_) => {
            return Err(error(
                "YAML aliases (*name) are not supported in input documents".into(),
            ));
        }
        YamlDataOwned::BadValue => return Err(error("a value YAML cannot read".into())),
    };
    Ok(Node::new(value, pos))
}

fn scalar_value(scalar: ScalarOwned) -> Value {
    match scalar {
        ScalarOwned::Null => Value::Null,
        ScalarOwned::Boolean(b) => Value::Bool(b),
        ScalarOwned::Integer(i) => Value::Int(i),
        ScalarOwned::FloatingPoint(f) => Value::Float(f.into_inner()),
        ScalarOwned::String(s) => Value::Str(s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_keeps_places() {
        let text = "personas:\n  - slug: a\n    pain_points:\n      - severity: high\n";
        let node = parse_yaml_or_json(Path::new("x.yaml"), text).unwrap();
        let personas = &node.as_map().unwrap()[0];
        assert_eq!(personas.key, "personas");
        let Value::Seq(items) = &personas.node.value else {
            panic!()
        };
        let persona = items[0].as_map().unwrap();
        assert_eq!(persona[0].key_pos, Pos { line: 2, col: 5 });
        assert_eq!(persona[0].node.pos, Pos { line: 2, col: 11 });
    }

    #[test]
    fn json_is_read_with_places_too() {
        let text = "{\n  \"personas\": [\n    {\"slug\": \"a\", \"years\": 12, \"x\": 1.5, \"n\": null}\n  ]\n}";
        let node = parse_yaml_or_json(Path::new("x.json"), text).unwrap();
        let json = node.to_json();
        assert_eq!(json["personas"][0]["years"], 12);
        assert_eq!(json["personas"][0]["x"], 1.5);
        let Value::Seq(items) = &node.as_map().unwrap()[0].node.value else {
            panic!()
        };
        assert_eq!(items[0].pos.line, 3);
    }

    #[test]
    fn broken_text_is_an_error_with_a_place() {
        let err = parse_yaml_or_json(Path::new("bad.yaml"), "a: [1, 2\nb: c").unwrap_err();
        assert!(err.pos.is_some(), "{err}");
        assert!(err.to_string().starts_with("bad.yaml:"), "{err}");
    }

    #[test]
    fn strings_that_look_like_code_stay_strings() {
        let node = parse_yaml_or_json(
            Path::new("x.yaml"),
            "a: \"'); DROP TABLE personas; --\"\nb: \"yes\"\nc: no\n",
        )
        .unwrap();
        let json = node.to_json();
        assert_eq!(json["a"], "'); DROP TABLE personas; --");
        assert_eq!(json["b"], "yes");
    }
}
