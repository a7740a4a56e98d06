//! Business rules beyond what the schema says: plain Rust functions over the generated types.
//!
//! A rule sees a row already parsed into its generated insert struct, so it names columns as
//! struct fields: when a migration renames or retypes one, the rule stops compiling instead of
//! silently checking nothing. To add one: write a function and list it in `check_all`.

use generated::{persona_pain_points, personas};

use crate::document::RowInput;
use crate::problem::Problem;

/// A rule's verdict on one row: the field at fault and what is required.
pub struct Violation {
    pub field: &'static str,
    pub message: String,
}

/// The seeding guide's example: an executive persona must have budget authority.
pub fn executives_have_budget_authority(persona: &personas::New) -> Option<Violation> {
    let executive = persona.seniority_level.as_deref().map(str::trim) == Some("executive");
    let has_budget = persona
        .budget_authority
        .as_deref()
        .is_some_and(|b| !b.trim().is_empty());
    (executive && !has_budget).then(|| Violation {
        field: personas::columns::BUDGET_AUTHORITY.name,
        message: "an executive persona (seniority_level: executive) must have budget_authority"
            .into(),
    })
}

/// A critical pain point must say what the pain is.
pub fn critical_pain_points_are_described(pain: &persona_pain_points::New) -> Option<Violation> {
    let critical = pain.severity == Some(persona_pain_points::Severity::Critical);
    let described = pain
        .pain_point_text
        .as_deref()
        .is_some_and(|t| !t.trim().is_empty());
    (critical && !described).then(|| Violation {
        field: persona_pain_points::columns::PAIN_POINT_TEXT.name,
        message: "a pain point of severity 'critical' must have pain_point_text".into(),
    })
}

/// Runs every rule over every row it applies to. Rows whose values do not even parse are
/// reported by the planner; rules only look at rows that do.
pub fn check_all(roots: &[RowInput]) -> Vec<Problem> {
    let mut problems = vec![];
    for row in roots.iter().flat_map(RowInput::walk) {
        let table = row.table.name;
        let violation = if table == personas::META.name {
            personas::New::from_json(&row_json(row))
                .ok()
                .and_then(|p| executives_have_budget_authority(&p))
        } else if table == persona_pain_points::META.name {
            persona_pain_points::New::from_json(&row_json(row))
                .ok()
                .and_then(|p| critical_pain_points_are_described(&p))
        } else {
            None
        };
        if let Some(v) = violation {
            let field = row.field(v.field);
            problems.push(Problem {
                file: row.file.clone(),
                pos: Some(field.map_or(row.pos, |f| f.node.pos)),
                path: format!("{}.{}", row.path, v.field),
                value: field.map(|f| f.node.display_value()),
                message: v.message,
            });
        }
    }
    problems
}

/// The row's own fields as JSON, with placeholder ids for the columns the loader fills, so the
/// generated parser accepts it.
fn row_json(row: &RowInput) -> serde_json::Map<String, serde_json::Value> {
    let mut map: serde_json::Map<String, serde_json::Value> = row
        .fields
        .iter()
        .map(|f| (f.column.to_string(), f.node.to_json()))
        .collect();
    for c in row.table.columns {
        if c.required && !map.contains_key(c.name) && c.sql_type == "uuid" {
            map.insert(c.name.into(), uuid::Uuid::nil().to_string().into());
        }
    }
    map
}
