//! The JSON template (the example persona in a one-persona document) and the YAML template: the
//! same document, bound to the JSON Schema for editors, with a comment above every field (type,
//! required or optional, allowed values or bounds, meaning) and every section.

use serde_json::Value as Json;

use super::fields::{FieldDoc, RowTemplate, SectionTemplate};
use super::{FunctionTemplate, PERSONA_SCHEMA_FILE, yaml_template_name};
use crate::vocabulary::vocabulary;

fn root_key(row: &RowTemplate) -> String {
    vocabulary()
        .root_of_table(row.table.name)
        .map_or_else(|| row.table.name.to_string(), |r| r.key.clone())
}

pub(crate) fn json_template(row: &RowTemplate) -> String {
    let mut doc = serde_json::Map::new();
    doc.insert(root_key(row), Json::Array(vec![row.to_json()]));
    let mut text =
        serde_json::to_string_pretty(&Json::Object(doc)).expect("JSON values always serialize");
    text.push('\n');
    text
}

pub(crate) fn yaml_template(function: &FunctionTemplate, row: &RowTemplate) -> String {
    let key = root_key(row);
    let file = yaml_template_name(&function.slug);
    let mut out = String::new();
    out.push_str(&format!(
        "# yaml-language-server: $schema=./{PERSONA_SCHEMA_FILE}\n"
    ));
    for line in [
        format!(
            "# Data capture template: one persona of the business function {}.",
            function.title().replace('`', "")
        ),
        "# Generated from the database schema by `seeder templates`: every field of every section,"
            .into(),
        "# each with an example value the schema accepts. Copy the file, replace the examples, and"
            .into(),
        "# delete the optional fields and section rows you do not need (or set them to null)."
            .into(),
        "# Add more rows to a section by repeating its `- ` item.".into(),
        format!("# Check it:  seeder validate --input data/org --input {file}"),
        format!(
            "# Deploy it: seeder deploy --database-url URL --tenant-id UUID --business-function {} --input data/org --input {file}",
            function.slug
        ),
        format!("# Field reference: {}", super::readme_name(&function.slug)),
    ] {
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str(&format!("{key}:\n"));
    write_row(&mut out, row, 4, true);
    out
}

fn comment(out: &mut String, indent: usize, text: &str) {
    out.push_str(&" ".repeat(indent));
    out.push_str("# ");
    out.push_str(&text.replace(['\n', '\r'], " "));
    out.push('\n');
}

/// `text · optional · allowed: 'a', 'b' · Meaning.`
pub(crate) fn doc_line(key: &str, doc: &FieldDoc) -> String {
    let mut parts = vec![
        format!("{key}: {}", doc.type_text),
        if doc.required {
            "required".to_string()
        } else {
            "optional".to_string()
        },
    ];
    if let Some(allowed) = &doc.allowed {
        parts.push(format!("allowed: {allowed}"));
    }
    parts.push(doc.meaning.clone());
    parts.join(" · ")
}

fn section_line(s: &SectionTemplate) -> String {
    let shape = if s.section.one_per_parent {
        "one row per parent row: a map (or a list of one)"
    } else {
        "a list, one item per row"
    };
    let mut text = format!(
        "{}: section, rows of {} ({shape})",
        s.key, s.section.table.name
    );
    let others: Vec<&str> = s
        .section
        .keys
        .iter()
        .filter(|k| **k != s.key)
        .map(String::as_str)
        .collect();
    if !others.is_empty() {
        text.push_str(&format!("; also written as {}", others.join(", ")));
    }
    if let Some(c) = s.section.table.comment {
        text.push_str(" · ");
        text.push_str(c);
    }
    text
}

/// Writes a row's keys at column `indent`; as a list item, the first key follows `- `.
fn write_row(out: &mut String, row: &RowTemplate, indent: usize, list_item: bool) {
    let mut first = true;
    let mut lead = |out: &mut String, comment_text: &str| {
        if first && list_item {
            comment(out, indent - 2, comment_text);
            out.push_str(&" ".repeat(indent - 2));
            out.push_str("- ");
        } else {
            comment(out, indent, comment_text);
            out.push_str(&" ".repeat(indent));
        }
        first = false;
    };
    for f in &row.fields {
        lead(out, &doc_line(&f.key, &f.doc));
        out.push_str(&format!("{}: {}\n", f.key, flow(&f.example)));
    }
    for s in &row.sections {
        lead(out, &section_line(s));
        out.push_str(&format!("{}:\n", s.key));
        if s.section.one_per_parent {
            write_row(out, &s.row, indent + 2, false);
        } else {
            write_row(out, &s.row, indent + 4, true);
        }
    }
}

/// A value in YAML flow style: strings double-quoted (JSON escapes are YAML escapes), lists and
/// maps inline.
pub(crate) fn flow(value: &Json) -> String {
    match value {
        Json::Array(items) => format!(
            "[{}]",
            items.iter().map(flow).collect::<Vec<_>>().join(", ")
        ),
        Json::Object(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!("{}: {}", Json::String(k.clone()), flow(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::source::parse_yaml_or_json;

    fn template() -> (FunctionTemplate, RowTemplate) {
        let function = FunctionTemplate {
            slug: "sales".into(),
            name: Some("Sales".into()),
            references: vec![("org_functions", "sales".into())],
        };
        let persona = vocabulary().root("personas").unwrap().table;
        let row = super::super::row_template(persona, Some(&function));
        (function, row)
    }

    #[test]
    fn the_yaml_template_reads_as_the_json_template() {
        let (function, row) = template();
        let yaml = yaml_template(&function, &row);
        assert!(
            yaml.starts_with("# yaml-language-server: $schema=./persona-document.schema.json\n")
        );
        let from_yaml = parse_yaml_or_json(Path::new("t.yaml"), &yaml)
            .unwrap()
            .to_json();
        let json = json_template(&row);
        let from_json = parse_yaml_or_json(Path::new("t.json"), &json)
            .unwrap()
            .to_json();
        assert_eq!(from_yaml, from_json);
        assert_eq!(from_json, serde_json::from_str::<Json>(&json).unwrap());
        assert_eq!(from_json["personas"][0]["function_slug"], "sales");
    }

    #[test]
    fn every_field_has_a_comment() {
        let (function, row) = template();
        let yaml = yaml_template(&function, &row);
        let lines: Vec<&str> = yaml.lines().collect();
        for (i, line) in lines.iter().enumerate().skip(1) {
            let trimmed = line.trim_start().trim_start_matches("- ");
            if trimmed.starts_with('#') || i == 0 {
                continue;
            }
            let key = trimmed.split(':').next().unwrap();
            if key == "personas" {
                continue;
            }
            assert!(
                lines[i - 1].trim_start().starts_with(&format!("# {key}: ")),
                "line {}: {line} has no comment above it",
                i + 1
            );
        }
    }

    #[test]
    fn flow_values() {
        assert_eq!(flow(&serde_json::json!(["a \"b\""])), r#"["a \"b\""]"#);
        assert_eq!(flow(&serde_json::json!({"k": 1.5})), r#"{"k": 1.5}"#);
        assert_eq!(flow(&Json::Null), "null");
    }
}
