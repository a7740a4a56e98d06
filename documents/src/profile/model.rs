//! The serde structs of a profile file, read from the spanned tree of `source` so that every
//! structural error (an unknown key, a list where a name belongs) names its line.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value as Json;

use crate::source::{Entry, Node, Pos, Value};

/// A profile file as written.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileFile {
    /// The profile's name (`vital-capture-v5`).
    pub profile: String,
    #[serde(default)]
    pub description: Option<String>,
    /// Globs of the input files this profile reads (`captures/**`, `*_capture.json`); the
    /// run's other documents are read as canonical documents. Default: every document.
    #[serde(default)]
    pub applies_to: Vec<String>,
    /// Where the personas are in a document; the first that fits a document is used.
    pub personas: Vec<PersonaLocation>,
    /// Top-level sections that are canonical already (`functions`, `departments`, `roles`).
    #[serde(default)]
    pub passthrough: Vec<String>,
    /// Top-level keys that hold no persona data, each with the reason.
    #[serde(default)]
    pub ignore: BTreeMap<String, String>,
    /// Source paths (wildcards allowed: `roles[*].notes`, `personas[*].goals[*].note`) left
    /// out, each with the reason.
    #[serde(default)]
    pub drop: BTreeMap<String, String>,
    /// Child rows wrapped in an object (`goals: {table: .., count: 3, data: [..]}`), for every
    /// section; a table's own `unwrap:` wins.
    #[serde(default)]
    pub unwrap: Option<UnwrapRule>,
    /// A field no rule maps: `error` (the default) or `metadata.KEY`.
    #[serde(default)]
    pub unmapped: Option<String>,
    /// A rule that matches nothing in any input: `error` (the default) or `report` (listed in
    /// the summary; for general profiles written for many capture files).
    #[serde(default)]
    pub unused_rules: Option<String>,
    /// A value no rule makes valid: `error` (the default) or `metadata.KEY`.
    #[serde(default)]
    pub invalid_values: Option<String>,
    /// Rules per table: `personas` and the tables below it, and org tables for derived rows.
    #[serde(default)]
    pub tables: BTreeMap<String, TableRules>,
    /// Org rows built from persona fields: table -> (column or reference key -> spelling).
    #[serde(default)]
    pub org: BTreeMap<String, BTreeMap<String, String>>,
}

/// One place personas may be: exactly one of `list`, `map_values`, `document`, `path`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonaLocation {
    /// A path with wildcards from the document's top (`roles[*].personas[*]`).
    #[serde(default)]
    pub path: Option<String>,
    /// With `path`: persona key -> a field of an enclosing object (`roles[*].slug`), given to
    /// each persona below it as if the persona had it.
    #[serde(default)]
    pub inherit: BTreeMap<String, String>,
    /// The list under this top-level key.
    #[serde(default)]
    pub list: Option<String>,
    /// The values of the map under this top-level key (its keys name the personas).
    #[serde(default)]
    pub map_values: Option<String>,
    /// `list`: the document is a list of personas; `persona`: the document is one persona.
    #[serde(default)]
    pub document: Option<String>,
}

/// The rules of one table.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableRules {
    /// Other names of this table's section in its parent row (`responsibilities`).
    #[serde(default)]
    pub sections: Vec<String>,
    /// Keys of a row whose map is flattened into the row (`core_profile`).
    #[serde(default)]
    pub groups: Vec<String>,
    /// Target (a column, a reference key or `metadata.KEY`) -> the spellings that go there.
    #[serde(default)]
    pub fields: BTreeMap<String, Spellings>,
    /// Lists of strings (or maps of strings) that become rows of a child table.
    #[serde(default)]
    pub rows: Vec<RowsRule>,
    /// Column -> (value as written -> value stored).
    #[serde(default)]
    pub remap: BTreeMap<String, BTreeMap<String, Json>>,
    /// Column -> value for rows that do not give it.
    #[serde(default)]
    pub defaults: BTreeMap<String, Json>,
    /// Array column -> separator: a string given for it is split into the list.
    #[serde(default)]
    pub split: BTreeMap<String, String>,
    /// Keys of a row (`KEY`, `GROUP.KEY`, `*` for any group or key) left out, with the reason.
    #[serde(default)]
    pub drop: BTreeMap<String, String>,
    /// This table's section given as a wrapper object around its rows.
    #[serde(default)]
    pub unwrap: Option<UnwrapRule>,
    /// A single map given where this table's list of rows belongs is one row.
    #[serde(default)]
    pub one_row: bool,
    /// Column -> the steps its value goes through before it is checked and stored.
    #[serde(default)]
    pub transform: BTreeMap<String, Vec<TransformStep>>,
}

/// One step of a value transform: exactly one key.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransformStep {
    /// Multiply by this number (or ratio, "1/60").
    #[serde(default)]
    pub scale: Option<Json>,
    /// Add this number.
    #[serde(default)]
    pub offset: Option<Json>,
    /// Round to this many fractional digits (halves away from zero).
    #[serde(default)]
    pub round: Option<u32>,
    /// Split text on this separator into a list (items trimmed, empty ones left out).
    #[serde(default)]
    pub split: Option<String>,
    /// Join a list into text with this separator.
    #[serde(default)]
    pub join: Option<String>,
    #[serde(default)]
    pub trim: Option<bool>,
    /// `lower`, `upper` or `title`.
    #[serde(default)]
    pub case: Option<String>,
    /// Keep the first capture group (or the whole match) of this pattern.
    #[serde(default)]
    pub regex: Option<String>,
    /// A date read in `from` and stored in `to` (strftime; `to` defaults to %Y-%m-%d).
    #[serde(default)]
    pub date: Option<DateFormats>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DateFormats {
    pub from: String,
    #[serde(default)]
    pub to: Option<String>,
}

/// A wrapper around a section's rows: the key holding the rows, and the wrapper's other keys,
/// each with the reason it is left out.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnwrapRule {
    pub rows: String,
    #[serde(default)]
    pub drop: BTreeMap<String, String>,
}

/// One spelling or several.
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub enum Spellings {
    One(String),
    Many(Vec<String>),
}

impl Spellings {
    pub fn list(&self) -> Vec<&str> {
        match self {
            Spellings::One(s) => vec![s.as_str()],
            Spellings::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

/// `from` (a list of strings, a single string, or with `key_column` a map of strings) becomes
/// rows of `table`: each string goes to `column`, each map key (renamed by `keys`) to
/// `key_column`, and `set` gives fixed values for the other columns.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RowsRule {
    pub from: Spellings,
    pub table: String,
    pub column: String,
    #[serde(default)]
    pub key_column: Option<String>,
    #[serde(default)]
    pub keys: BTreeMap<String, String>,
    #[serde(default)]
    pub set: BTreeMap<String, Json>,
    /// With `key_column`: map keys that go to the parent row instead (key -> a target as in
    /// `fields:`), the rest becoming rows.
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
}

/// A structural error, at the place of the node that caused it.
#[derive(Debug)]
pub struct DeError {
    pub message: String,
    pub pos: Option<Pos>,
}

impl DeError {
    fn at(mut self, pos: Pos) -> DeError {
        self.pos.get_or_insert(pos);
        self
    }
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError {
            message: msg.to_string(),
            pos: None,
        }
    }
}

/// Reads a profile file from its spanned tree.
pub fn from_node(node: &Node) -> Result<ProfileFile, DeError> {
    ProfileFile::deserialize(NodeDe(node)).map_err(|mut e| {
        e.message = in_words(&e.message);
        e
    })
}

/// serde's structural messages said for a profile's writer: the keys allowed at the place,
/// and the kinds of value, in words.
fn in_words(message: &str) -> String {
    let names = |list: &str| -> Vec<String> {
        list.split(['`', ','])
            .map(str::trim)
            .filter(|w| !w.is_empty() && *w != "or")
            .map(|w| w.trim_start_matches("or ").to_string())
            .collect()
    };
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let (field, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        let allowed = names(expected.trim_start_matches("one of "));
        return if expected.is_empty() || expected.starts_with("there are no") {
            format!("unknown field {field}: no keys are allowed here")
        } else {
            format!(
                "unknown field {field}: the keys allowed here are {}",
                allowed.join(", ")
            )
        };
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        return format!("missing field {rest}: this place needs it");
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (found, expected) = rest
            .split_once(", expected ")
            .unwrap_or((rest, "another kind"));
        let word = |w: &str| match w {
            "map" => "a map (KEY: VALUE lines)".to_string(),
            "sequence" => "a list".to_string(),
            "a string" => "text".to_string(),
            "a sequence" => "a list".to_string(),
            "unit value" => "nothing (an empty value)".to_string(),
            other => other.to_string(),
        };
        let found = found
            .split_once(' ')
            .filter(|(k, _)| matches!(*k, "string" | "integer" | "floating" | "boolean"))
            .map_or(found.to_string(), |(k, v)| format!("{k} {v}"));
        return format!("expected {} here, found {}", word(expected), word(&found));
    }
    message.to_string()
}

/// A serde deserializer over a spanned node.
struct NodeDe<'a>(&'a Node);

impl<'de> de::Deserializer<'de> for NodeDe<'_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let pos = self.0.pos;
        let result = match &self.0.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Int(i) => visitor.visit_i64(*i),
            Value::Number(text) => match text.parse::<f64>() {
                Ok(f) if f.is_finite() => visitor.visit_f64(f),
                _ => visitor.visit_str(text),
            },
            Value::Str(s) => visitor.visit_str(s),
            Value::Seq(items) => visitor.visit_seq(SeqDe(items.iter())),
            Value::Map(entries) => visitor.visit_map(MapDe {
                entries: entries.iter(),
                current: None,
            }),
        };
        result.map_err(|e| e.at(pos))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier
        ignored_any
    }
}

struct SeqDe<'a>(std::slice::Iter<'a, Node>);

impl<'de> SeqAccess<'de> for SeqDe<'_> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        match self.0.next() {
            Some(node) => seed
                .deserialize(NodeDe(node))
                .map(Some)
                .map_err(|e| e.at(node.pos)),
            None => Ok(None),
        }
    }
}

struct MapDe<'a> {
    entries: std::slice::Iter<'a, Entry>,
    current: Option<&'a Entry>,
}

impl<'de> MapAccess<'de> for MapDe<'_> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        let Some(entry) = self.entries.next() else {
            return Ok(None);
        };
        self.current = Some(entry);
        let key: de::value::StrDeserializer<'_, DeError> = entry.key.as_str().into_deserializer();
        seed.deserialize(key)
            .map(Some)
            .map_err(|e| e.at(entry.key_pos))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let entry = self
            .current
            .take()
            .ok_or_else(|| de::Error::custom("a value without its key"))?;
        seed.deserialize(NodeDe(&entry.node))
            .map_err(|e| e.at(entry.node.pos))
    }
}

/// The place of the node at `path` (map keys, list indexes as numbers), or of the deepest node
/// on the way; with `key`, the place of the last map key rather than of its value.
pub fn place(root: &Node, path: &[&str], key: bool) -> Pos {
    let mut node = root;
    let mut pos = root.pos;
    for (i, segment) in path.iter().enumerate() {
        let last = i + 1 == path.len();
        match &node.value {
            Value::Map(entries) => match entries.iter().find(|e| e.key == *segment) {
                Some(e) => {
                    pos = if last && key { e.key_pos } else { e.node.pos };
                    node = &e.node;
                }
                None => return pos,
            },
            Value::Seq(items) => match segment.parse::<usize>().ok().and_then(|i| items.get(i)) {
                Some(item) => {
                    pos = item.pos;
                    node = item;
                }
                None => return pos,
            },
            _ => return pos,
        }
    }
    pos
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn read(text: &str) -> Result<ProfileFile, DeError> {
        from_node(&crate::source::parse_yaml_or_json(Path::new("p.yaml"), text).unwrap())
    }

    #[test]
    fn a_profile_reads() {
        let p = read(
            "profile: x\npersonas:\n  - list: personas\ntables:\n  persona_goals:\n    fields:\n      goal_text: [goal, text]\n      goal_type: type\n",
        )
        .unwrap();
        assert_eq!(p.profile, "x");
        assert_eq!(
            p.tables["persona_goals"].fields["goal_text"].list(),
            ["goal", "text"]
        );
        assert_eq!(
            p.tables["persona_goals"].fields["goal_type"].list(),
            ["type"]
        );
    }

    #[test]
    fn structural_errors_name_their_line() {
        let e =
            read("profile: x\npersonas: []\ntables:\n  personas:\n    feilds: {}\n").unwrap_err();
        assert_eq!(e.pos.map(|p| p.line), Some(5), "{e}");
        assert!(e.message.contains("unknown field `feilds`"), "{e}");
        assert!(
            e.message
                .contains("the keys allowed here are sections, groups, fields, rows"),
            "{e}"
        );
        let e = read("profile: x\npersonas:\n  - list: [a]\n").unwrap_err();
        assert_eq!(e.pos.map(|p| p.line), Some(3), "{e}");
        assert_eq!(e.message, "expected text here, found a list", "{e}");
    }
}
