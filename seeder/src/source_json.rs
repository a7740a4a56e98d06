//! Strict JSON text -> the spanned tree of `source`.
//!
//! jsonc-parser gives an AST with byte ranges; a forward-only [`Locator`] turns those into
//! line:column in one pass over the text (the AST is walked in document order, so offsets only
//! grow), which keeps minified files with one 40 MB line linear.

use std::path::Path;

use jsonc_parser::ast::{ObjectPropName, Value as Ast};
use jsonc_parser::{CollectOptions, CommentCollectionStrategy, ParseOptions, parse_to_ast};

use crate::source::{Entry, Node, Pos, SourceError, Value};

/// Plain JSON (RFC 8259): every JSONC/JSON5 extension the parser offers is refused.
const STRICT: ParseOptions = ParseOptions {
    allow_comments: false,
    allow_loose_object_property_names: false,
    allow_trailing_commas: false,
    allow_missing_commas: false,
    allow_single_quoted_strings: false,
    allow_hexadecimal_numbers: false,
    allow_unary_plus_numbers: false,
    allow_bare_decimal_point_numbers: false,
    allow_non_finite_numbers: false,
    allow_extended_string_escapes: false,
};

pub fn parse_json(file: &Path, text: &str) -> Result<Node, SourceError> {
    let collect = CollectOptions {
        comments: CommentCollectionStrategy::Off,
        tokens: false,
    };
    let parsed = parse_to_ast(text, &collect, &STRICT).map_err(|e| SourceError {
        file: file.to_path_buf(),
        pos: Some(Pos {
            line: e.line_display(),
            col: e.column_display(),
        }),
        message: format!("not valid JSON: {}", e.kind()),
    })?;
    let mut locator = Locator::new(text);
    Ok(match parsed.value {
        Some(value) => convert(value, &mut locator),
        None => Node::new(Value::Null, Pos { line: 1, col: 1 }),
    })
}

fn convert(value: Ast<'_>, at: &mut Locator<'_>) -> Node {
    match value {
        Ast::StringLit(s) => Node::new(Value::Str(s.value.into_owned()), at.pos(s.range.start)),
        Ast::NumberLit(n) => Node::new(number(n.value), at.pos(n.range.start)),
        Ast::BooleanLit(b) => Node::new(Value::Bool(b.value), at.pos(b.range.start)),
        Ast::NullKeyword(n) => Node::new(Value::Null, at.pos(n.range.start)),
        Ast::Array(a) => {
            let pos = at.pos(a.range.start);
            let items = a.elements.into_iter().map(|e| convert(e, at)).collect();
            Node::new(Value::Seq(items), pos)
        }
        Ast::Object(o) => {
            let pos = at.pos(o.range.start);
            let mut entries = Vec::with_capacity(o.properties.len());
            for prop in o.properties {
                let (key, key_start) = match prop.name {
                    ObjectPropName::String(s) => (s.value.into_owned(), s.range.start),
                    // Refused by STRICT; kept total rather than trusted.
                    ObjectPropName::Word(w) => (w.value.to_string(), w.range.start),
                };
                let key_pos = at.pos(key_start);
                let node = convert(prop.value, at);
                entries.push(Entry { key, key_pos, node });
            }
            Node::new(Value::Map(entries), pos)
        }
    }
}

/// An integer when the literal is one that fits i64, otherwise a float (as YAML reads it).
fn number(literal: &str) -> Value {
    if !literal.contains(['.', 'e', 'E'])
        && let Ok(i) = literal.parse::<i64>()
    {
        return Value::Int(i);
    }
    // The parser only hands over valid JSON numbers, which always parse as f64.
    Value::Float(literal.parse::<f64>().unwrap_or(f64::NAN))
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
        for &b in &self.text[self.offset..end] {
            if b == b'\n' {
                self.line += 1;
                self.col = 1;
            } else if b & 0xC0 != 0x80 {
                // Count characters, not bytes: skip UTF-8 continuation bytes.
                self.col += 1;
            }
        }
        self.offset = end;
        Pos {
            line: self.line,
            col: self.col,
        }
    }
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
        assert_eq!(items[1].value, Value::Float(2.5));
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
    fn big_integers_and_escapes() {
        let node = parse(r#"[9223372036854775807, 9223372036854775808, "a\"b\\c\u00e9"]"#).unwrap();
        let Value::Seq(items) = node.value else {
            panic!()
        };
        assert_eq!(items[0].value, Value::Int(i64::MAX));
        assert!(matches!(items[1].value, Value::Float(_)));
        assert_eq!(items[2].value, Value::Str("a\"b\\cé".into()));
    }

    #[test]
    fn empty_text_is_null_and_deep_nesting_is_an_error() {
        assert_eq!(parse("").unwrap().value, Value::Null);
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(parse(&deep).is_err());
    }
}
