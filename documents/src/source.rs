//! Reading input files into one spanned tree, whatever their format.
//!
//! `.json` files are read by a strict JSON pull parser (jiter, no extensions), everything else by saphyr as YAML; both keep the line and column each value starts
//! at, so every later error can point at it. CSV is assembled into the same tree by
//! `csv_input`. (Reading JSON as YAML 1.2 works too, but is ~10x slower on large files.)

use std::path::Path;

use saphyr::{MarkedYamlOwned, ScalarOwned, ScalarStyle, Tag, YamlDataOwned, YamlLoader};
use saphyr_parser::{Event, Parser, Span, SpannedEventReceiver};

pub use crate::tree::{Entry, MAX_DEPTH, Node, Pos, SourceError, Value, exact_number};

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
    let error_at = |line: usize, col: usize, message: String| SourceError {
        file: file.to_path_buf(),
        pos: Some(Pos { line, col }),
        message,
    };
    let mut receiver = DepthLimited {
        loader: YamlLoader::default(),
        depth: 0,
        too_deep: None,
    };
    // Scalars as written: numbers are typed here, exactly (see `plain_scalar`).
    receiver.loader.early_parse(false);
    // Events one by one (the parser's own `load` recurses per level of nesting).
    let mut parsed = Ok(());
    for event in Parser::new_from_str(text) {
        match event {
            Ok((event, span)) => receiver.on_event(event, span),
            Err(e) => {
                parsed = Err(e);
                break;
            }
        }
        if receiver.too_deep.is_some() {
            break;
        }
    }
    if let Some(span) = receiver.too_deep {
        return Err(error_at(
            span.start.line(),
            span.start.col() + 1,
            format!("not valid JSON/YAML: nested more than {MAX_DEPTH} levels deep"),
        ));
    }
    let scan_error = parsed.err().or_else(|| receiver.loader.error().cloned());
    if let Some(e) = scan_error {
        // saphyr's scanner has a nesting limit of its own for flow style (`[[[...`).
        let reason = if e.info().contains("recursion limit") {
            format!("nested more than {MAX_DEPTH} levels deep")
        } else {
            e.info().to_string()
        };
        return Err(error_at(
            e.marker().line(),
            e.marker().col() + 1,
            format!("not valid JSON/YAML: {reason}"),
        ));
    }
    let docs = receiver.loader.into_documents();
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

/// saphyr's loader behind a nesting limit: the loader itself does not recurse, but everything
/// that walks (or drops) the tree it builds does.
struct DepthLimited<'input> {
    loader: YamlLoader<'input, MarkedYamlOwned>,
    depth: usize,
    too_deep: Option<Span>,
}

impl<'input> SpannedEventReceiver<'input> for DepthLimited<'input> {
    fn on_event(&mut self, event: Event<'input>, span: Span) {
        if self.too_deep.is_some() {
            return;
        }
        match event {
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    self.too_deep = Some(span);
                    return;
                }
            }
            Event::SequenceEnd | Event::MappingEnd => self.depth = self.depth.saturating_sub(1),
            _ => {}
        }
        self.loader.on_event(event, span);
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
        YamlDataOwned::Representation(text, style, tag) => {
            yaml_scalar(text, style, tag.as_ref()).map_err(error)?
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
                    Value::Number(n) => n,
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
        ScalarOwned::FloatingPoint(f) => {
            exact_number(&f.into_inner().to_string()).unwrap_or(Value::Null)
        }
        ScalarOwned::String(s) => Value::Str(s),
    }
}

/// A YAML scalar as written: quoted ones are text; a plain one (or one tagged `!!int`,
/// `!!float`) is resolved by YAML 1.2's core schema, numbers kept exactly. `.inf` and `.nan`
/// are refused: no column here can hold them (numeric and JSON have no infinity).
fn yaml_scalar(text: String, style: ScalarStyle, tag: Option<&Tag>) -> Result<Value, String> {
    let core_tag = tag
        .filter(|t| t.is_yaml_core_schema())
        .map(|t| t.suffix.as_str());
    match core_tag {
        Some("str") => return Ok(Value::Str(text)),
        Some("int" | "float") => {
            return yaml_number(&text)
                .ok_or_else(|| format!("'{text}' is tagged as a number but is not one"));
        }
        _ if style != ScalarStyle::Plain => return Ok(Value::Str(text)),
        // An empty plain scalar (`key:`) is null in the core schema.
        _ if text.is_empty() => return Ok(Value::Null),
        _ => {}
    }
    match ScalarOwned::parse_from_cow(text.as_str().into()) {
        ScalarOwned::FloatingPoint(f) if !f.is_finite() && yaml_number(&text).is_none() => Err(
            format!("'{text}' is not a finite number: write a number, or quote it to mean text"),
        ),
        ScalarOwned::Integer(_) | ScalarOwned::FloatingPoint(_) => {
            Ok(yaml_number(&text).unwrap_or(Value::Str(text)))
        }
        other => Ok(scalar_value(other)),
    }
}

/// A YAML 1.2 core-schema number (`12`, `-3.5`, `.5`, `1.`, `+1e3`, `0x1F`, `0o17`) exactly,
/// in JSON syntax.
fn yaml_number(text: &str) -> Option<Value> {
    let t = text.trim();
    if let Some(hex) = t.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok().map(Value::Int);
    }
    if let Some(oct) = t.strip_prefix("0o") {
        return i64::from_str_radix(oct, 8).ok().map(Value::Int);
    }
    let (sign, body) = match t.as_bytes().first() {
        Some(b'-') => ("-", &t[1..]),
        Some(b'+') => ("", &t[1..]),
        _ => ("", t),
    };
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if (int.is_empty() && frac.is_empty()) || !digits(int) || !digits(frac) {
        return None;
    }
    let mut json = String::from(sign);
    let int = int.trim_start_matches('0');
    json.push_str(if int.is_empty() { "0" } else { int });
    if !frac.is_empty() {
        json.push('.');
        json.push_str(frac);
    }
    if let Some(exp) = exponent {
        let exp_digits = exp.strip_prefix(['+', '-']).unwrap_or(exp);
        if exp_digits.is_empty() || !digits(exp_digits) {
            return None;
        }
        json.push('e');
        json.push_str(exp);
    }
    exact_number(&json)
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
    fn yaml_numbers_are_kept_exactly() {
        let text = "a: 12345678901234.123456\nb: 1e400\nc: 9223372036854775808\nd: .5\n\
                    e: +1.\nf: 0x1F\ng: '1.5'\nh:\ni: -7\nj: 1.0e+3\n";
        let json = parse_yaml_or_json(Path::new("x.yaml"), text)
            .unwrap()
            .to_json();
        assert_eq!(json["a"].to_string(), "12345678901234.123456");
        // serde_json writes the exponent with its sign; the digits are kept.
        assert_eq!(json["b"].to_string(), "1e+400");
        assert_eq!(json["c"].to_string(), "9223372036854775808");
        assert_eq!(json["d"].to_string(), "0.5");
        assert_eq!(json["e"].to_string(), "1");
        assert_eq!(json["f"], 31);
        assert_eq!(json["g"], "1.5");
        assert!(json["h"].is_null());
        assert_eq!(json["i"], -7);
        assert_eq!(json["j"].to_string(), "1.0e+3");
    }

    #[test]
    fn yaml_infinity_and_nan_are_refused_with_their_place() {
        for (text, value) in [("a: 1\nb: .nan\n", ".nan"), ("b: [-.inf]\n", "-.inf")] {
            let err = parse_yaml_or_json(Path::new("x.yaml"), text).unwrap_err();
            assert!(err.pos.is_some(), "{err}");
            assert!(
                err.message
                    .contains(&format!("'{value}' is not a finite number")),
                "{err}"
            );
        }
        let json = parse_yaml_or_json(Path::new("x.yaml"), "a: '.nan'\n")
            .unwrap()
            .to_json();
        assert_eq!(json["a"], ".nan", "quoted, it is text");
    }

    #[test]
    fn deep_yaml_is_refused_in_block_and_flow_style() {
        let mut block = String::new();
        for depth in 0..5000 {
            block.push_str(&" ".repeat(depth));
            block.push_str("a:\n");
        }
        let flow = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
        for text in [block, flow] {
            let err = parse_yaml_or_json(Path::new("deep.yaml"), &text).unwrap_err();
            assert!(
                err.message.contains("nested more than 128 levels deep"),
                "{err}"
            );
            assert!(err.pos.is_some());
        }
        let ok = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(parse_yaml_or_json(Path::new("ok.yaml"), &ok).is_ok());
    }

    #[test]
    fn repeated_yaml_keys_are_refused() {
        let err = parse_yaml_or_json(Path::new("x.yaml"), "a: 1\nb: 2\na: 3\n").unwrap_err();
        assert!(err.pos.is_some(), "{err}");
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
