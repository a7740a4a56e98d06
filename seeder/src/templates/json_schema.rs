//! JSON Schemas (draft 2020-12) of persona and org documents, built from the same metadata as the
//! seeder's reader, so that an editor checks a document as it is typed.
//!
//! What the schema checks, per row of every table: the keys (columns, sections, references by
//! slug; anything else is an error), the JSON type of each value, enums (CHECK value lists and
//! enum types, also per list element), numeric bounds (CHECK ranges as `minimum` / `maximum` /
//! `exclusive*`, the SQL integer range, the integer digits of a `numeric(p,s)`), decimals
//! (`multipleOf` 10^-scale), date / time / uuid spellings (`pattern`), required columns, columns
//! the seeder fills (`tenant_id`, ids: `not {}`), and the shape of sections (a list of rows; a
//! map or a list of at most one for a table with one row per parent).
//!
//! Decisions:
//! - Groups: a root row (persona, function, ...) may hold groups such as `core_profile:` whose
//!   keys are the row's own keys; in the schema every key of a root row that is not one of its
//!   keys must be such a map (`additionalProperties` is the group schema). Nested rows are flat:
//!   `additionalProperties: false` (the seeder also reads groups there; the schema keeps the
//!   clearer "unknown field" error for the rows where nobody writes groups). Required columns must
//!   be given at the row's top level, not inside a group, for the schema to see them.
//! - `tags` / `metadata`, both a persona column and a section: a list holding a map means rows of
//!   the section, anything else the column (`if` / `then` / `else`), exactly as the seeder reads.
//! - A numeric string is accepted for a `numeric` column (the seeder reads it exactly); only
//!   numbers get the bound and decimal checks.
//!
//! What only the seeder checks (the schema cannot, or not in every editor): references by slug to
//! org rows (they may live in other files or the database), slugs unique per tenant across rows
//! and files, unique keys inside one parent (one `week_in_life` row per `day_of_week`), business
//! rules (an executive persona needs `budget_authority`; a critical pain point needs
//! `pain_point_text`), a key given twice (in the row and in a group), the CSV format, and broken
//! JSON / YAML syntax (the editor's parser reports that before the schema runs).

use generated::{Allowed, ColumnMeta, RangeBound, TableMeta};
use serde_json::{Map, Value as Json, json};

use super::fields::{column_doc, reference_doc};
use crate::vocabulary::{ChildSection, RootSection, vocabulary};

const DRAFT: &str = "https://json-schema.org/draft/2020-12/schema";

const SEEDER_ONLY: &str = "Checked by `seeder validate` only: references by slug to org rows (other files or the database), slugs unique per tenant across rows and files, unique keys within one parent row, business rules (executives need budget_authority, critical pain points need pain_point_text), a key given twice (row and group), CSV sets, JSON/YAML syntax.";

fn def_ref(name: &str) -> Json {
    json!({ "$ref": format!("#/$defs/{name}") })
}

fn group_def(table: &str) -> String {
    format!("{table}.group")
}

/// Every form the seeder reads: `personas:` and the org sections, a bare list of personas, or one
/// persona on its own.
pub fn persona_document_schema() -> Json {
    let v = vocabulary();
    let mut defs = Map::new();
    let Some(personas) = v.root(crate::columns::PERSONAS) else {
        return document_schema(
            "VITAL persona document",
            &v.roots.iter().collect::<Vec<_>>(),
            defs,
        );
    };
    let roots: Vec<&RootSection> = v.roots.iter().collect();
    let document = sections_object(&roots, &mut defs);
    defs.insert("document".into(), document);
    let section_keys: Vec<Json> = roots
        .iter()
        .flat_map(|r| section_names(r))
        .map(|k| json!({ "required": [k] }))
        .collect();
    let mut schema = Map::new();
    schema.insert("$schema".into(), DRAFT.into());
    schema.insert("title".into(), "VITAL persona document".into());
    schema.insert(
        "description".into(),
        format!(
            "Personas (and org rows) for `seeder validate` / `seeder deploy`: a map of sections ({}), a list of personas, or one persona. Generated from the database schema by `seeder templates`.",
            roots.iter().map(|r| r.key.as_str()).collect::<Vec<_>>().join(", ")
        )
        .into(),
    );
    schema.insert("$comment".into(), SEEDER_ONLY.into());
    schema.insert("if".into(), json!({ "type": "array" }));
    schema.insert(
        "then".into(),
        json!({ "items": def_ref(personas.table.name) }),
    );
    schema.insert(
        "else".into(),
        json!({
            "if": {
                "type": "object",
                "required": [personas.slug_column],
                "not": { "anyOf": section_keys }
            },
            "then": def_ref(personas.table.name),
            "else": def_ref("document")
        }),
    );
    schema.insert("$defs".into(), Json::Object(defs));
    Json::Object(schema)
}

/// The org sections (every root section but `personas`): `functions:`, `departments:`, `roles:`.
pub fn org_document_schema() -> Json {
    let v = vocabulary();
    let personas = v.root(crate::columns::PERSONAS).map(|r| r.table.name);
    let roots: Vec<&RootSection> = v
        .roots
        .iter()
        .filter(|r| Some(r.table.name) != personas)
        .collect();
    document_schema("VITAL org document", &roots, Map::new())
}

fn document_schema(title: &str, roots: &[&RootSection], mut defs: Map<String, Json>) -> Json {
    let document = sections_object(roots, &mut defs);
    let mut schema = Map::new();
    schema.insert("$schema".into(), DRAFT.into());
    schema.insert("title".into(), title.into());
    schema.insert(
        "description".into(),
        format!(
            "A map of sections: {}. Generated from the database schema by `seeder templates`.",
            roots
                .iter()
                .map(|r| r.key.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
        .into(),
    );
    schema.insert("$comment".into(), SEEDER_ONLY.into());
    if let Json::Object(document) = document {
        schema.extend(document);
    }
    schema.insert("$defs".into(), Json::Object(defs));
    Json::Object(schema)
}

/// The names a root section may be written with (`functions`, `org_functions`).
fn section_names(root: &RootSection) -> Vec<String> {
    let mut names = vec![root.key.clone()];
    if root.table.name != root.key {
        names.push(root.table.name.to_string());
    }
    names
}

fn sections_object(roots: &[&RootSection], defs: &mut Map<String, Json>) -> Json {
    let mut properties = Map::new();
    for root in roots {
        add_row_def(root.table, defs);
        for name in section_names(root) {
            properties.insert(
                name,
                json!({
                    "description": format!("Rows of {}, one map per row.", root.table.name),
                    "type": ["array", "null"],
                    "items": def_ref(root.table.name)
                }),
            );
        }
    }
    json!({
        "type": ["object", "null"],
        "properties": properties,
        "additionalProperties": false
    })
}

/// Adds the definition of a row of `table` (and of its group and nested tables) to `defs`.
fn add_row_def(table: &'static TableMeta, defs: &mut Map<String, Json>) {
    if defs.contains_key(table.name) {
        return;
    }
    let v = vocabulary();
    let is_root = table.parent.is_none();
    let properties = row_properties(table, defs);
    let required: Vec<&str> = table
        .columns
        .iter()
        .filter(|c| c.required && c.insertable && !v.is_loader_column(table, c.name))
        .filter(|c| v.reference(table.name, c.name).is_none())
        .map(|c| c.name)
        .collect();
    let mut def = Map::new();
    def.insert("type".into(), "object".into());
    def.insert("title".into(), table.name.into());
    def.insert(
        "description".into(),
        table
            .comment
            .map_or_else(|| format!("A row of {}.", table.name), str::to_string)
            .into(),
    );
    def.insert("properties".into(), Json::Object(properties.clone()));
    if !required.is_empty() {
        def.insert("required".into(), json!(required));
    }
    if is_root {
        def.insert(
            "additionalProperties".into(),
            def_ref(&group_def(table.name)),
        );
        defs.insert(
            group_def(table.name),
            json!({
                "type": "object",
                "description": format!("A group of {} fields (such as core_profile): any other key holding a map; its keys are the row's own keys.", table.name),
                "properties": properties,
                "additionalProperties": def_ref(&group_def(table.name))
            }),
        );
    } else {
        def.insert("additionalProperties".into(), false.into());
    }
    defs.insert(table.name.to_string(), Json::Object(def));
}

fn row_properties(table: &'static TableMeta, defs: &mut Map<String, Json>) -> Map<String, Json> {
    let v = vocabulary();
    let mut properties = Map::new();
    for column in table.columns {
        if v.reference(table.name, column.name).is_some() {
            continue; // written below, as the reference
        }
        if !column.insertable || v.is_loader_column(table, column.name) {
            let why = if column.insertable {
                "filled by the seeder (ids come from slugs and the run's tenant)"
            } else {
                "generated by the database"
            };
            properties.insert(
                column.name.to_string(),
                json!({
                    "description": format!("{}.{} is {why}; leave it out.", table.name, column.name),
                    "not": {}
                }),
            );
            continue;
        }
        let column_schema = column_schema(table, column);
        let schema = match v.child_section(table.name, column.name) {
            // `tags`: a list holding a map means rows of persona_tags, anything else the column.
            Some(section) => json!({
                "description": format!("Either the column {}.{} or, as a list of maps, rows of {}.", table.name, column.name, section.table.name),
                "if": { "type": "array", "contains": { "type": "object" } },
                "then": section_schema(section, defs),
                "else": column_schema
            }),
            None => column_schema,
        };
        properties.insert(column.name.to_string(), schema);
    }
    for section in v.child_sections(table.name) {
        let schema = section_schema(section, defs);
        for key in &section.keys {
            if !properties.contains_key(key) {
                properties.insert(key.clone(), schema.clone());
            }
        }
    }
    for reference in v.references(table.name) {
        let doc = reference_doc(table, reference);
        properties.insert(
            reference.key.clone(),
            json!({
                "description": format!("{} Allowed: {}.", doc.meaning, doc.allowed.unwrap_or_default()),
                "type": ["string", "null"]
            }),
        );
    }
    properties
}

fn section_schema(section: &'static ChildSection, defs: &mut Map<String, Json>) -> Json {
    add_row_def(section.table, defs);
    let row = def_ref(section.table.name);
    if section.one_per_parent {
        json!({
            "description": format!("Rows of {}: one per parent row, a map (or a list of at most one).", section.table.name),
            "if": { "type": "object" },
            "then": row,
            "else": { "type": ["array", "null"], "items": row, "maxItems": 1 }
        })
    } else {
        json!({
            "description": format!("Rows of {}, a list of maps.", section.table.name),
            "type": ["array", "null"],
            "items": row
        })
    }
}

/// A column's value: its type, allowed values and bounds; `null` allowed unless required.
pub(crate) fn column_schema(table: &TableMeta, column: &ColumnMeta) -> Json {
    let doc = column_doc(table, column);
    let mut schema = match column.sql_type.strip_suffix("[]") {
        Some(element) => {
            let mut s = Map::new();
            s.insert("type".into(), "array".into());
            s.insert(
                "items".into(),
                Json::Object(scalar_schema(element, column.allowed)),
            );
            s
        }
        None => scalar_schema(column.sql_type, column.allowed),
    };
    if !column.required {
        if let Some(t) = schema.get_mut("type") {
            *t = match t.take() {
                Json::String(s) => json!([s, "null"]),
                Json::Array(mut items) => {
                    items.push("null".into());
                    Json::Array(items)
                }
                other => other,
            };
        }
        if let Some(Json::Array(values)) = schema.get_mut("enum") {
            values.push(Json::Null);
        }
    }
    let mut description = doc.meaning;
    description.push_str(&format!(
        " ({}.{}: {}",
        table.name, column.name, column.sql_type
    ));
    if let Some(allowed) = doc.allowed {
        description.push_str(&format!("; {allowed}"));
    }
    description.push(')');
    let mut out = Map::new();
    out.insert("description".into(), description.into());
    out.extend(schema);
    Json::Object(out)
}

fn scalar_schema(sql_type: &str, allowed: Allowed) -> Map<String, Json> {
    let mut s = Map::new();
    let integer_range = match sql_type {
        "smallint" => Some((i64::from(i16::MIN), i64::from(i16::MAX))),
        "integer" => Some((i64::from(i32::MIN), i64::from(i32::MAX))),
        "bigint" => Some((i64::MIN, i64::MAX)),
        _ => None,
    };
    let (min, max, digits, scale) = match allowed {
        Allowed::Range { min, max } => (min, max, None, None),
        Allowed::Precision {
            precision,
            scale,
            min,
            max,
        } => (min, max, Some(precision.saturating_sub(scale)), Some(scale)),
        _ => (None, None, None, None),
    };
    match allowed {
        Allowed::Values(values) | Allowed::ElementValues(values) => {
            s.insert("type".into(), "string".into());
            s.insert("enum".into(), json!(values));
            return s;
        }
        Allowed::Except(values) => {
            s.insert("not".into(), json!({ "enum": values }));
        }
        _ => {}
    }
    match sql_type {
        "integer" | "smallint" | "bigint" => {
            s.insert("type".into(), "integer".into());
            let (lo, hi) = integer_range.expect("an integer type");
            add_bounds(&mut s, min, max, Some((lo.to_string(), hi.to_string())));
        }
        "double precision" | "real" => {
            s.insert("type".into(), "number".into());
            add_bounds(&mut s, min, max, None);
        }
        t if t.starts_with("numeric") => {
            let (digits, scale) = match (digits, scale) {
                (Some(d), Some(s)) => (Some(d), Some(s)),
                _ => match super::fields::numeric_precision(t) {
                    Some((p, s)) => (Some(p.saturating_sub(s)), Some(s)),
                    None => (None, None),
                },
            };
            s.insert("type".into(), json!(["number", "string"]));
            s.insert(
                "pattern".into(),
                r"^\s*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?\s*$".into(),
            );
            // The integer digits of numeric(p,s): |value| < 10^(p-s).
            let limit = digits.map(|d| {
                let l = format!("1{}", "0".repeat(d as usize));
                (format!("-{l}"), l)
            });
            add_exclusive_limit(&mut s, min, max, limit);
            if let Some(scale) = scale {
                let step = if scale == 0 {
                    "1".to_string()
                } else {
                    format!("0.{}1", "0".repeat(scale as usize - 1))
                };
                s.insert("multipleOf".into(), number(&step));
            }
        }
        "boolean" => {
            s.insert("type".into(), "boolean".into());
        }
        "date" => {
            s.insert("type".into(), "string".into());
            s.insert("format".into(), "date".into());
            s.insert(
                "pattern".into(),
                r"^\s*[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}\s*$".into(),
            );
        }
        "timestamp with time zone" => {
            s.insert("type".into(), "string".into());
            s.insert(
                "pattern".into(),
                r"^\s*[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)\s*$".into(),
            );
        }
        "timestamp without time zone" => {
            s.insert("type".into(), "string".into());
            s.insert(
                "pattern".into(),
                r"^\s*[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?\s*$"
                    .into(),
            );
        }
        "time without time zone" => {
            s.insert("type".into(), "string".into());
            s.insert(
                "pattern".into(),
                r"^\s*[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?\s*$".into(),
            );
        }
        "uuid" => {
            s.insert("type".into(), "string".into());
            s.insert(
                "pattern".into(),
                r"^\s*[{]?(urn:uuid:)?[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}[}]?\s*$".into(),
            );
        }
        "json" | "jsonb" => {}
        t if t == "text" || t.starts_with("character") || t.starts_with("varchar") => {
            s.insert("type".into(), "string".into());
        }
        // Another type: whatever PostgreSQL reads (the seeder and the database check it).
        _ => {}
    }
    s
}

fn number(text: &str) -> Json {
    text.parse::<serde_json::Number>()
        .map_or_else(|_| Json::String(text.to_string()), Json::Number)
}

/// `minimum` / `exclusiveMinimum` and their maxima from a CHECK range, or the type's own range
/// when the CHECK leaves that side open.
fn add_bounds(
    s: &mut Map<String, Json>,
    min: Option<RangeBound>,
    max: Option<RangeBound>,
    type_range: Option<(String, String)>,
) {
    match min {
        Some(b) => s.insert(
            if b.inclusive {
                "minimum"
            } else {
                "exclusiveMinimum"
            }
            .into(),
            number(b.value),
        ),
        None => type_range
            .as_ref()
            .and_then(|(lo, _)| s.insert("minimum".into(), number(lo))),
    };
    match max {
        Some(b) => s.insert(
            if b.inclusive {
                "maximum"
            } else {
                "exclusiveMaximum"
            }
            .into(),
            number(b.value),
        ),
        None => type_range
            .as_ref()
            .and_then(|(_, hi)| s.insert("maximum".into(), number(hi))),
    };
}

/// CHECK bounds plus the exclusive limits of a numeric's integer digits, the tighter of the two
/// on each side.
fn add_exclusive_limit(
    s: &mut Map<String, Json>,
    min: Option<RangeBound>,
    max: Option<RangeBound>,
    limit: Option<(String, String)>,
) {
    let value = |t: &str| generated::parse_decimal(t).ok();
    let (lo_limit, hi_limit) = match &limit {
        Some((lo, hi)) => (Some(lo.as_str()), Some(hi.as_str())),
        None => (None, None),
    };
    let check_min_tighter = match (min, lo_limit) {
        (Some(b), Some(l)) => value(b.value) > value(l),
        (Some(_), None) => true,
        _ => false,
    };
    if check_min_tighter {
        let b = min.expect("checked");
        s.insert(
            if b.inclusive {
                "minimum"
            } else {
                "exclusiveMinimum"
            }
            .into(),
            number(b.value),
        );
    } else if let Some(l) = lo_limit {
        s.insert("exclusiveMinimum".into(), number(l));
    }
    let check_max_tighter = match (max, hi_limit) {
        (Some(b), Some(l)) => value(b.value) < value(l),
        (Some(_), None) => true,
        _ => false,
    };
    if check_max_tighter {
        let b = max.expect("checked");
        s.insert(
            if b.inclusive {
                "maximum"
            } else {
                "exclusiveMaximum"
            }
            .into(),
            number(b.value),
        );
    } else if let Some(l) = hi_limit {
        s.insert("exclusiveMaximum".into(), number(l));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(table: &str, column: &str) -> Json {
        let t = generated::table(table).unwrap();
        column_schema(t, t.column(column).unwrap())
    }

    #[test]
    fn columns_carry_their_checks() {
        let severity = column("persona_pain_points", "severity");
        assert_eq!(
            severity["enum"],
            json!(["critical", "high", "medium", "low", null])
        );
        let focus = column("persona_week_in_life", "focus_time_available");
        assert_eq!(focus["minimum"], json!(0));
        assert_eq!(focus["maximum"], json!(24));
        let score = column("persona_evidence_summary", "overall_confidence_score");
        assert_eq!(score["multipleOf"], json!(0.001));
        assert_eq!(score["maximum"], json!(1));
        let hours = column("persona_weekly_meetings", "duration_hours");
        assert_eq!(hours["exclusiveMinimum"], json!(0));
        assert_eq!(hours["maximum"], json!(24));
        let revenue = column("persona_case_studies", "organization_revenue");
        assert_eq!(revenue["exclusiveMaximum"], json!(10_000_000_000_000_i64));
        let name = column("personas", "name");
        assert_eq!(name["type"], json!("string"), "required: no null");
    }

    #[test]
    fn the_schemas_are_deterministic_and_name_every_table() {
        let a = persona_document_schema();
        assert_eq!(a, persona_document_schema());
        let defs = a["$defs"].as_object().unwrap();
        let persona = vocabulary().root("personas").unwrap().table.name;
        let roots: std::collections::HashSet<&str> = [persona].into_iter().collect();
        for t in generated::TABLES {
            if t.name == persona || crate::plan::nests_under(t, &roots) {
                assert!(defs.contains_key(t.name), "{}", t.name);
            }
        }
        let org = org_document_schema();
        assert!(org["properties"].get("functions").is_some());
        assert!(org["properties"].get("personas").is_none());
        assert_eq!(org["additionalProperties"], json!(false));
    }
}
