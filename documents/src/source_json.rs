//! Strict JSON text -> the spanned tree of `source`.
//!
//! jiter (pydantic's pull parser) reads the text in one pass and says where each value starts;
//! a forward-only [`Locator`] turns those byte offsets into line:column as the walk goes (the
//! document is read in order, so offsets only grow), which keeps minified files with one 40 MB
//! line linear. jiter refuses every extension (comments, trailing commas, NaN, ...) by default.

use std::path::Path;

use jiter::{Jiter, JiterError, Peek};

use crate::tree::{Entry, MAX_DEPTH, Node, Pos, SourceError, Value};

pub fn parse_json(file: &Path, text: &str) -> Result<Node, SourceError> {
    if text.trim_start_matches([' ', '\t', '\n', '\r']).is_empty() {
        return Ok(Node::new(Value::Null, Pos { line: 1, col: 1 }));
    }
    let mut reader = Reader {
        jiter: Jiter::new(text.as_bytes()),
        text: text.as_bytes(),
        at: Locator::new(text),
    };
    let result = reader
        .peek()
        .and_then(|peek| reader.value(peek, 0))
        .and_then(|node| reader.finish().map(|()| node));
    result.map_err(|e| {
        let (pos, message) = match e {
            Failure::Syntax(e) => (
                Locator::new(text).pos(e.index),
                format!("not valid JSON: {}", e.error_type),
            ),
            Failure::TooDeep(index) => (
                Locator::new(text).pos(index),
                format!("not valid JSON: nested more than {MAX_DEPTH} levels deep"),
            ),
            Failure::RepeatedKey { at, first, key } => (
                at,
                format!(
                    "key '{key}' appears twice in one object (first at line {}, column {}): \
                     give each key once",
                    first.line, first.col
                ),
            ),
        };
        SourceError {
            file: file.to_path_buf(),
            pos: Some(pos),
            message,
        }
    })
}

enum Failure {
    Syntax(JiterError),
    TooDeep(usize),
    /// A key given twice in one object (JSON leaves the meaning open; YAML refuses it too).
    RepeatedKey {
        at: Pos,
        first: Pos,
        key: String,
    },
}

impl From<JiterError> for Failure {
    fn from(e: JiterError) -> Self {
        Failure::Syntax(e)
    }
}

struct Reader<'a> {
    jiter: Jiter<'a>,
    text: &'a [u8],
    at: Locator<'a>,
}

impl Reader<'_> {
    fn peek(&mut self) -> Result<Peek, Failure> {
        Ok(self.jiter.peek()?)
    }

    fn finish(&mut self) -> Result<(), Failure> {
        Ok(self.jiter.finish()?)
    }

    /// The value `peek` announced; the parser stands on its first byte.
    fn value(&mut self, peek: Peek, depth: usize) -> Result<Node, Failure> {
        let start = self.jiter.current_index();
        let pos = self.at.pos(start);
        let value = match peek {
            Peek::Null => {
                self.jiter.known_null()?;
                Value::Null
            }
            Peek::True | Peek::False => Value::Bool(self.jiter.known_bool(peek)?),
            Peek::String => Value::Str(self.jiter.known_str()?.to_owned()),
            Peek::Array => {
                if depth >= MAX_DEPTH {
                    return Err(Failure::TooDeep(start));
                }
                let mut items = vec![];
                let mut next = self.jiter.known_array()?;
                while let Some(peek) = next {
                    items.push(self.value(peek, depth + 1)?);
                    next = self.jiter.array_step()?;
                }
                Value::Seq(items)
            }
            Peek::Object => {
                if depth >= MAX_DEPTH {
                    return Err(Failure::TooDeep(start));
                }
                let mut entries = vec![];
                let mut before_key = self.jiter.current_index();
                let mut key = self.jiter.known_object()?.map(str::to_owned);
                while let Some(k) = key {
                    let key_pos = self.at.pos(self.key_start(before_key));
                    if let Some(first) = entries.iter().find(|e: &&Entry| e.key == k) {
                        return Err(Failure::RepeatedKey {
                            at: key_pos,
                            first: first.key_pos,
                            key: k,
                        });
                    }
                    let peek = self.peek()?;
                    let node = self.value(peek, depth + 1)?;
                    entries.push(Entry {
                        key: k,
                        key_pos,
                        node,
                    });
                    before_key = self.jiter.current_index();
                    key = self.jiter.next_key()?.map(str::to_owned);
                }
                Value::Map(entries)
            }
            _ => number(std::str::from_utf8(self.jiter.known_number_bytes(peek)?).unwrap_or("")),
        };
        Ok(Node::new(value, pos))
    }

    /// Where the key read after `from` starts: only `{`, `,` and whitespace come before its
    /// opening quote.
    fn key_start(&self, from: usize) -> usize {
        self.text[from..]
            .iter()
            .position(|&b| b == b'"')
            .map_or(from, |i| from + i)
    }
}

/// An integer when the literal is one that fits i64, otherwise its exact text.
fn number(literal: &str) -> Value {
    // The parser only hands over valid JSON numbers.
    crate::tree::exact_number(literal).unwrap_or_else(|| Value::Str(literal.to_owned()))
}

/// Byte offset -> 1-based line and column (in characters), moving forward through the text.
struct Locator<'a> {
    text: &'a [u8],
    offset: usize,
    line: usize,
    col: usize,
}

impl<'a> Locator<'a> {
    fn new(text: &'a str) -> Self {
        Locator {
            text: text.as_bytes(),
            offset: 0,
            line: 1,
            col: 1,
        }
    }

    fn pos(&mut self, offset: usize) -> Pos {
        if offset < self.offset {
            // Never happens for a document-order walk; correct anyway.
            (self.offset, self.line, self.col) = (0, 1, 1);
        }
        let end = offset.min(self.text.len());
        let passed = &self.text[self.offset..end];
        // Newlines by memchr, then characters only after the last one: this runs for every
        // value of every document, so it must not look at each byte twice.
        match memchr::memrchr(b'\n', passed) {
            Some(last) => {
                self.line += memchr::memchr_iter(b'\n', passed).count();
                self.col = 1 + chars(&passed[last + 1..]);
            }
            None => self.col += chars(passed),
        }
        self.offset = end;
        Pos {
            line: self.line,
            col: self.col,
        }
    }
}

/// Characters in UTF-8 `bytes`: every byte but continuation bytes.
fn chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Node, SourceError> {
        parse_json(Path::new("x.json"), text)
    }

    #[test]
    fn places_are_lines_and_characters() {
        let node = parse("{\n  \"a\": [1, 2.5, \"é\", \"x\"],\n  \"b\": {\"c\": null}\n}").unwrap();
        let entries = node.as_map().unwrap();
        assert_eq!(entries[0].key_pos, Pos { line: 2, col: 3 });
        let Value::Seq(items) = &entries[0].node.value else {
            panic!("{node:?}")
        };
        assert_eq!(items[0].value, Value::Int(1));
        assert_eq!(items[1].value, Value::Number("2.5".into()));
        assert_eq!(items[3].pos, Pos { line: 2, col: 22 }, "é is one column");
        assert_eq!(entries[1].node.pos, Pos { line: 3, col: 8 });
    }

    #[test]
    fn only_plain_json_is_accepted() {
        for bad in [
            "{\"a\": 1,}",
            "{a: 1}",
            "// c\n{}",
            "{'a': 1}",
            "[0x10]",
            "[+1]",
            "[.5]",
            "[NaN]",
            "[1] [2]",
            "{\"a\": [1, 2}",
        ] {
            let err = parse(bad).unwrap_err();
            assert!(err.to_string().starts_with("x.json:1:"), "{bad}: {err}");
            assert!(err.message.starts_with("not valid JSON: "), "{bad}: {err}");
        }
    }

    #[test]
    fn syntax_errors_say_what_and_where() {
        let err = parse("{\n  \"a\": [1, 2,]\n}").unwrap_err();
        assert_eq!(err.pos, Some(Pos { line: 2, col: 14 }), "{err}");
        assert!(err.message.contains("trailing comma"), "{err}");
        let err = parse("[01]").unwrap_err();
        assert!(err.message.starts_with("not valid JSON: "), "{err}");
        let err = parse(&"[".repeat(200)).unwrap_err();
        assert!(err.message.contains("nested more than 128 levels"), "{err}");
    }

    #[test]
    fn a_repeated_key_names_both_places() {
        let err = parse("{\n  \"a\": 1,\n  \"b\": {},\n  \"a\": 2\n}").unwrap_err();
        assert_eq!(err.pos, Some(Pos { line: 4, col: 3 }), "{err}");
        assert!(
            err.message
                .contains("key 'a' appears twice in one object (first at line 2, column 3)"),
            "{err}"
        );
    }

    #[test]
    fn numbers_keep_their_text() {
        let node = parse("[12345678901234.123456, 1e400, -1E-400, 0.1]").unwrap();
        let Value::Seq(items) = node.value else {
            panic!()
        };
        let texts: Vec<_> = items.iter().map(|i| i.value.clone()).collect();
        assert_eq!(
            texts,
            ["12345678901234.123456", "1e400", "-1E-400", "0.1"].map(|t| Value::Number(t.into()))
        );
    }

    #[test]
    fn big_integers_and_escapes() {
        let node = parse(r#"[9223372036854775807, 9223372036854775808, "a\"b\\c\u00e9"]"#).unwrap();
        let Value::Seq(items) = node.value else {
            panic!()
        };
        assert_eq!(items[0].value, Value::Int(i64::MAX));
        assert_eq!(items[1].value, Value::Number("9223372036854775808".into()));
        assert_eq!(items[2].value, Value::Str("a\"b\\cé".into()));
    }

    #[test]
    fn empty_text_is_null_and_deep_nesting_is_an_error() {
        assert_eq!(parse("").unwrap().value, Value::Null);
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(parse(&deep).is_err());
    }
}
