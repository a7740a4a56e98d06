//! The template of one row: the keys a document gives for a table, each described (type,
//! required, allowed values, meaning) and filled with an example value that the generated types
//! and the database accept; and the child sections nested in it, each with one example row.

use generated::{Allowed, ColumnMeta, RangeBound, TableMeta};
use rust_decimal::Decimal;
use serde_json::{Value as Json, json};

use crate::vocabulary::{ChildSection, SlugReference, vocabulary};

use super::FunctionTemplate;

/// One row of a template with the rows nested in it.
#[derive(Clone, Debug)]
pub(crate) struct RowTemplate {
    pub table: &'static TableMeta,
    pub fields: Vec<FieldTemplate>,
    pub sections: Vec<SectionTemplate>,
}

#[derive(Clone, Debug)]
pub(crate) struct FieldTemplate {
    pub key: String,
    pub doc: FieldDoc,
    pub example: Json,
}

/// What a user needs to fill one field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FieldDoc {
    /// `text`, `integer`, `number (numeric(4,3))`, `list of text`, ...
    pub type_text: String,
    pub required: bool,
    /// The allowed values or bounds, when the schema restricts them.
    pub allowed: Option<String>,
    /// The column's COMMENT, or what the name says, with the seeder's notes.
    pub meaning: String,
}

#[derive(Clone, Debug)]
pub(crate) struct SectionTemplate {
    /// The key used in the template (the section's first name, or the table name when a column
    /// of the parent has the same name: `persona_tags` beside the `tags` column).
    pub key: String,
    pub section: &'static ChildSection,
    pub row: RowTemplate,
}

impl RowTemplate {
    /// The row as a JSON object, in template order.
    pub fn to_json(&self) -> Json {
        let mut map = serde_json::Map::new();
        for f in &self.fields {
            map.insert(f.key.clone(), f.example.clone());
        }
        for s in &self.sections {
            let row = s.row.to_json();
            map.insert(
                s.key.clone(),
                if s.section.one_per_parent {
                    row
                } else {
                    Json::Array(vec![row])
                },
            );
        }
        Json::Object(map)
    }
}

/// The columns a document gives for `table`: insertable, not filled by the seeder, and not the
/// slug column a reference keeps (`role_slug` is written through its reference).
pub(crate) fn document_columns(table: &'static TableMeta) -> Vec<&'static ColumnMeta> {
    let v = vocabulary();
    table
        .columns
        .iter()
        .filter(|c| c.insertable && !v.is_loader_column(table, c.name))
        .filter(|c| {
            !v.references(table.name)
                .iter()
                .any(|r| r.also_sets == Some(c.name))
        })
        .collect()
}

/// The references a template row gives: root rows only, one key per referenced org table
/// (nested rows belong to their parent row already).
fn template_references(
    table: &'static TableMeta,
    function: &FunctionTemplate,
) -> Vec<(&'static SlugReference, String)> {
    let v = vocabulary();
    let mut out: Vec<(&'static SlugReference, String)> = vec![];
    if table.parent.is_some() {
        return out;
    }
    for column in table.columns {
        let refs: Vec<&'static SlugReference> = v
            .references(table.name)
            .iter()
            .filter(|r| r.column.name == column.name)
            .collect();
        let Some(first) = refs.first() else { continue };
        let Some(slug) = function.reference(first.target_table) else {
            continue;
        };
        // The key that also keeps the slug in a column of its own, else the plain name.
        let chosen = refs
            .iter()
            .find(|r| r.also_sets == Some(r.key.as_str()))
            .unwrap_or(first);
        out.push((chosen, slug.to_string()));
    }
    out
}

/// The template of a row of `table` with one example row of each child section.
pub(crate) fn row_template(
    table: &'static TableMeta,
    function: Option<&FunctionTemplate>,
) -> RowTemplate {
    let v = vocabulary();
    let mut fields = vec![];
    let references = function.map_or(vec![], |f| template_references(table, f));
    for column in document_columns(table) {
        fields.push(FieldTemplate {
            key: column.name.to_string(),
            doc: column_doc(table, column),
            example: example(table, column, function),
        });
    }
    // References go where their column is, after the row's own slug / name.
    let at = fields
        .iter()
        .position(|f| ![crate::columns::SLUG, crate::columns::NAME].contains(&f.key.as_str()))
        .unwrap_or(fields.len());
    for (i, (reference, slug)) in references.into_iter().enumerate() {
        fields.insert(
            at + i,
            FieldTemplate {
                key: reference.key.clone(),
                doc: reference_doc(table, reference),
                example: Json::String(slug),
            },
        );
    }
    let sections = v
        .child_sections(table.name)
        .iter()
        .map(|section| {
            let short = &section.keys[0];
            let key = if table.columns.iter().any(|c| c.name == short.as_str()) {
                section.keys.last().expect("a section has names").clone()
            } else {
                short.clone()
            };
            SectionTemplate {
                key,
                section,
                row: row_template(section.table, None),
            }
        })
        .collect();
    RowTemplate {
        table,
        fields,
        sections,
    }
}

/// Every name a reference to the same column may be written with.
pub(crate) fn reference_aliases(table: &TableMeta, reference: &SlugReference) -> Vec<String> {
    vocabulary()
        .references(table.name)
        .iter()
        .filter(|r| r.column.name == reference.column.name && r.key != reference.key)
        .map(|r| r.key.clone())
        .collect()
}

pub(crate) fn reference_doc(table: &TableMeta, reference: &SlugReference) -> FieldDoc {
    let aliases = reference_aliases(table, reference);
    let mut meaning = format!(
        "The {} row this row belongs to, by its slug; the seeder resolves it to {}",
        reference.target_table, reference.column.name
    );
    if let Some(kept) = reference.also_sets {
        meaning.push_str(&format!(" and keeps the slug in {kept}"));
    }
    meaning.push('.');
    if !aliases.is_empty() {
        meaning.push_str(&format!(" Also written as: {}.", aliases.join(", ")));
    }
    FieldDoc {
        type_text: "slug (text)".into(),
        required: false,
        allowed: Some(format!(
            "the slug of a row of {} in the org documents given or in the database",
            reference.target_table
        )),
        meaning,
    }
}

/// `pain_point_text` -> `pain point text`.
pub(crate) fn words(name: &str) -> String {
    name.replace('_', " ")
}

/// A foreign key column no slug reference covers (`created_by` -> users).
pub(crate) fn plain_foreign_key(table: &TableMeta, column: &ColumnMeta) -> Option<&'static str> {
    table
        .foreign_keys
        .iter()
        .find(|fk| fk.columns.contains(&column.name))
        .map(|fk| fk.foreign_table)
}

pub(crate) fn column_doc(table: &TableMeta, column: &ColumnMeta) -> FieldDoc {
    let v = vocabulary();
    let mut meaning = match column.comment {
        Some(comment) => one_line(comment),
        None => {
            let mut w = words(column.name);
            if let Some(first) = w.get(0..1) {
                let upper = first.to_uppercase();
                w.replace_range(0..1, &upper);
            }
            format!("{w}.")
        }
    };
    let root = v.root_of_table(table.name);
    if root.is_some_and(|r| r.slug_column == column.name) {
        meaning.push_str(" Unique per tenant: names this row in references and re-deploys.");
    }
    if let Some(target) = plain_foreign_key(table, column) {
        meaning.push_str(&format!(
            " The id of an existing {target} row; leave it null unless you know one."
        ));
    }
    if column.has_default && !column.required {
        meaning.push_str(" Left out: the column's default.");
    }
    FieldDoc {
        type_text: type_text(column.sql_type),
        required: column.required,
        allowed: allowed_text(column.allowed, column.sql_type),
        meaning,
    }
}

pub(crate) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A readable name of a SQL type.
pub(crate) fn type_text(sql_type: &str) -> String {
    if let Some(element) = sql_type.strip_suffix("[]") {
        return format!("list of {}", type_text(element));
    }
    match sql_type {
        "text" | "character varying" | "varchar" => "text".into(),
        "integer" | "smallint" | "bigint" => "integer".into(),
        "boolean" => "true / false".into(),
        "date" => "date (YYYY-MM-DD)".into(),
        "timestamp with time zone" => "timestamp (RFC 3339, 2025-01-15T09:00:00Z)".into(),
        "timestamp without time zone" => "timestamp (YYYY-MM-DD HH:MM:SS)".into(),
        "time without time zone" => "time (HH:MM[:SS])".into(),
        "json" | "jsonb" => "JSON (any value)".into(),
        "uuid" => "uuid".into(),
        "double precision" | "real" => "number".into(),
        t if t.starts_with("numeric") => format!("number ({t})"),
        t if t.starts_with("character varying") || t.starts_with("varchar") => "text".into(),
        other => format!("text (enum {other})"),
    }
}

fn bound_text(min: Option<RangeBound>, max: Option<RangeBound>) -> Option<String> {
    let min = min.map(|b| format!("{} {}", if b.inclusive { ">=" } else { ">" }, b.value));
    let max = max.map(|b| format!("{} {}", if b.inclusive { "<=" } else { "<" }, b.value));
    match (min, max) {
        (Some(a), Some(b)) => Some(format!("{a} and {b}")),
        (a, b) => a.or(b),
    }
}

/// The allowed values or bounds, in words.
pub(crate) fn allowed_text(allowed: Allowed, sql_type: &str) -> Option<String> {
    let each = if sql_type.ends_with("[]") {
        "each element "
    } else {
        ""
    };
    match allowed {
        Allowed::Any => None,
        Allowed::Values(values) => Some(generated::quoted_list(values)),
        Allowed::ElementValues(values) => Some(format!(
            "each element one of {}",
            generated::quoted_list(values)
        )),
        Allowed::Except(values) => Some(format!(
            "any text except {}",
            generated::quoted_list(values)
        )),
        Allowed::Range { min, max } => bound_text(min, max).map(|b| format!("{each}{b}")),
        Allowed::Precision {
            precision,
            scale,
            min,
            max,
        } => {
            let digits = format!(
                "{each}at most {} digit(s) before and {scale} after the decimal point",
                precision.saturating_sub(scale)
            );
            Some(match bound_text(min, max) {
                Some(b) => format!("{b}; {digits}"),
                None => digits,
            })
        }
    }
}

/// The example value of a column.
pub(crate) fn example(
    table: &TableMeta,
    column: &ColumnMeta,
    function: Option<&FunctionTemplate>,
) -> Json {
    if plain_foreign_key(table, column).is_some() || is_soft_delete_marker(column) {
        return Json::Null;
    }
    let v = vocabulary();
    if let (Some(root), Some(f)) = (v.root_of_table(table.name), function)
        && root.slug_column == column.name
    {
        let singular = root.key.strip_suffix('s').unwrap_or(&root.key);
        return Json::String(format!("{}-example-{singular}", f.slug));
    }
    match column.sql_type.strip_suffix("[]") {
        Some(element) => Json::Array(vec![scalar_example(column, element)]),
        None => scalar_example(column, column.sql_type),
    }
}

/// `deleted_at`: a value there deploys a row the platform treats as deleted, so the example
/// leaves it empty.
fn is_soft_delete_marker(column: &ColumnMeta) -> bool {
    column.nullable
        && column.sql_type.starts_with("timestamp")
        && (column.name == crate::columns::DELETED_AT
            || column
                .name
                .ends_with(&format!("_{}", crate::columns::DELETED_AT)))
}

fn scalar_example(column: &ColumnMeta, sql_type: &str) -> Json {
    match column.allowed {
        Allowed::Values(values) | Allowed::ElementValues(values) if !values.is_empty() => {
            return Json::String(values[0].to_string());
        }
        _ => {}
    }
    let (min, max, scale, integer_digits) = match column.allowed {
        Allowed::Range { min, max } => (min, max, None, None),
        Allowed::Precision {
            precision,
            scale,
            min,
            max,
        } => (min, max, Some(scale), Some(precision.saturating_sub(scale))),
        _ => (None, None, None, None),
    };
    match sql_type {
        "integer" | "smallint" | "bigint" => number_json(number_example(min, max, 0, None)),
        "double precision" | "real" => number_json(number_example(min, max, 2, None)),
        t if t.starts_with("numeric") => {
            let (scale, digits) = match (scale, integer_digits) {
                (Some(s), d) => (s, d),
                _ => numeric_precision(t).map_or((2, None), |(p, s)| (s, Some(p - s))),
            };
            number_json(number_example(min, max, scale, digits))
        }
        "boolean" => Json::Bool(true),
        "date" => json!("2025-01-15"),
        "timestamp with time zone" => json!("2025-01-15T09:00:00Z"),
        "timestamp without time zone" => json!("2025-01-15 09:00:00"),
        "time without time zone" => json!("09:00"),
        "json" | "jsonb" => json!({ "example_key": "example value" }),
        "uuid" => json!("00000000-0000-4000-8000-000000000001"),
        _ => Json::String(format!("Example {}", words(column.name))),
    }
}

/// `numeric(4,3)` -> (4, 3).
pub(crate) fn numeric_precision(sql_type: &str) -> Option<(u32, u32)> {
    let inner = sql_type.strip_prefix("numeric(")?.strip_suffix(')')?;
    let (p, s) = inner.split_once(',').unwrap_or((inner, "0"));
    Some((p.trim().parse().ok()?, s.trim().parse().ok()?))
}

fn number_json(value: Decimal) -> Json {
    let value = value.normalize();
    if value.scale() == 0
        && let Ok(i) = value.to_string().parse::<i64>()
    {
        return Json::from(i);
    }
    value
        .to_string()
        .parse::<serde_json::Number>()
        .map_or(Json::Null, Json::Number)
}

fn decimal(bound: Option<RangeBound>) -> Option<(Decimal, bool)> {
    bound.and_then(|b| {
        generated::parse_decimal(b.value)
            .ok()
            .map(|d| (d, b.inclusive))
    })
}

/// A number within the bounds, with at most `scale` decimals and `integer_digits` digits before
/// the point: the middle of the range when it has two ends, else 1.5 or 1 when they fit, else
/// the open range's end.
pub(crate) fn number_example(
    min: Option<RangeBound>,
    max: Option<RangeBound>,
    scale: u32,
    integer_digits: Option<u32>,
) -> Decimal {
    let (lo, hi) = (decimal(min), decimal(max));
    let step = Decimal::new(1, scale);
    let fits = |d: Decimal| {
        d.round_dp(scale) == d
            && lo.is_none_or(|(b, inc)| if inc { d >= b } else { d > b })
            && hi.is_none_or(|(b, inc)| if inc { d <= b } else { d < b })
            && integer_digits.is_none_or(|n| d.abs() < Decimal::from(10_i64.pow(n.min(18))))
    };
    let mut candidates = vec![];
    if let (Some((a, _)), Some((b, _))) = (lo, hi) {
        candidates.push(((a + b) / Decimal::TWO).trunc_with_scale(scale));
    }
    if scale > 0 {
        candidates.push(Decimal::new(15, 1));
    }
    candidates.push(Decimal::ONE);
    if scale > 0 {
        candidates.push(Decimal::new(5, 1));
    }
    if let Some((a, _)) = lo {
        candidates.extend([a, a + step]);
    }
    if let Some((b, _)) = hi {
        candidates.extend([b, b - step]);
    }
    candidates.extend([Decimal::ZERO, step]);
    candidates
        .into_iter()
        .find(|d| fits(*d))
        .unwrap_or(Decimal::ZERO)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(value: &'static str, inclusive: bool) -> Option<RangeBound> {
        Some(RangeBound { value, inclusive })
    }

    #[test]
    fn numbers_fit_bounds_and_precision() {
        assert_eq!(
            number_example(b("0", true), b("24", true), 0, None),
            Decimal::from(12)
        );
        assert_eq!(number_example(b("0", false), None, 0, None), Decimal::ONE);
        assert_eq!(number_example(b("2", true), None, 0, None), Decimal::TWO);
        assert_eq!(
            number_example(b("0", true), b("1", true), 3, Some(1)),
            Decimal::new(5, 1)
        );
        assert_eq!(
            number_example(b("1990", true), b("2100", true), 0, None),
            Decimal::from(2045)
        );
        assert_eq!(number_example(None, None, 5, Some(1)), Decimal::new(15, 1));
        assert_eq!(number_example(None, None, 4, Some(0)), Decimal::new(5, 1));
        assert_eq!(
            number_example(b("0", false), b("24", true), 2, Some(2)),
            Decimal::from(12)
        );
    }

    #[test]
    fn readable_types_and_bounds() {
        assert_eq!(type_text("text[]"), "list of text");
        assert_eq!(type_text("numeric(4,3)"), "number (numeric(4,3))");
        assert_eq!(
            type_text("validation_status"),
            "text (enum validation_status)"
        );
        assert_eq!(
            allowed_text(
                Allowed::Range {
                    min: b("0", true),
                    max: b("24", true)
                },
                "integer"
            )
            .as_deref(),
            Some(">= 0 and <= 24")
        );
        assert_eq!(numeric_precision("numeric(15,2)"), Some((15, 2)));
    }

    #[test]
    fn every_persona_table_is_in_the_template_once() {
        let persona = vocabulary().root("personas").unwrap().table;
        let row = row_template(persona, None);
        fn tables(row: &RowTemplate, out: &mut Vec<&'static str>) {
            out.push(row.table.name);
            for s in &row.sections {
                tables(&s.row, out);
            }
        }
        let mut found = vec![];
        tables(&row, &mut found);
        let expected: Vec<&str> = generated::TABLES
            .iter()
            .filter(|t| {
                t.name == persona.name
                    || crate::plan::nests_under(t, &[persona.name].into_iter().collect())
            })
            .map(|t| t.name)
            .collect();
        found.sort_unstable();
        let mut expected_sorted = expected.clone();
        expected_sorted.sort_unstable();
        assert_eq!(found, expected_sorted);
        let tags = row
            .sections
            .iter()
            .find(|s| s.section.table.name == "persona_tags");
        assert_eq!(tags.map(|s| s.key.as_str()), Some("persona_tags"));
    }
}
