//! Values bound for a column: remapped by the profile, converted where no information is lost,
//! and checked by the table's own generated parser (types, CHECK lists, ranges, precision).

use generated::{Allowed, ColumnMeta, TableMeta, quoted_list};
use serde_json::{Map, Value as Json};

/// Why a value does not fit its column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Misfit {
    /// The generated parser's message (`invalid PainPointsSeverity 'extreme': allowed ...`).
    pub message: String,
    /// What the column allows, when it restricts more than its type.
    pub allowed: Option<String>,
}

/// A value that fits, and how it was converted to fit (`number written as text`).
#[derive(Clone, Debug, PartialEq)]
pub struct Fitted {
    pub value: Json,
    pub note: Option<&'static str>,
}

/// The text a remap key is matched against: strings as they are, numbers and booleans printed.
pub fn remap_key(value: &Json) -> Option<String> {
    match value {
        Json::String(s) => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        Json::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// `value` as `column` of `table` takes it: as given, or converted without loss (a number or
/// boolean as text, numeric text as a number, one value as a one-element list), checked by the
/// generated parser of the table.
pub fn fit(table: &TableMeta, column: &ColumnMeta, value: &Json) -> Result<Fitted, Misfit> {
    let mut candidates: Vec<(Json, Option<&'static str>)> = vec![(value.clone(), None)];
    match value {
        Json::Number(n) => {
            candidates.push((Json::String(n.to_string()), Some("number written as text")))
        }
        Json::Bool(b) => {
            candidates.push((Json::String(b.to_string()), Some("boolean written as text")))
        }
        Json::String(s) => {
            let t = s.trim();
            if let Ok(i) = t.parse::<i64>() {
                candidates.push((Json::from(i), Some("text read as a number")));
            } else if let Some(n) = t.parse::<f64>().ok().and_then(serde_json::Number::from_f64) {
                candidates.push((Json::Number(n), Some("text read as a number")));
            }
            if t == "true" || t == "false" {
                candidates.push((Json::Bool(t == "true"), Some("text read as a boolean")));
            }
        }
        _ => {}
    }
    if is_array(column) && !value.is_array() && !value.is_null() {
        let scalars: Vec<(Json, Option<&'static str>)> = candidates.clone();
        for (v, _) in scalars {
            candidates.push((
                Json::Array(vec![v]),
                Some("one value made a one-element list"),
            ));
        }
    }
    let mut first_error: Option<String> = None;
    let mut value_error: Option<String> = None;
    for (candidate, note) in candidates {
        match check(table, column, &candidate) {
            None => {
                return Ok(Fitted {
                    value: candidate,
                    note,
                });
            }
            Some(message) => {
                if value_error.is_none() && !message.starts_with("expected ") {
                    value_error = Some(message.clone());
                }
                first_error.get_or_insert(message);
            }
        }
    }
    Err(Misfit {
        message: value_error
            .or(first_error)
            .unwrap_or_else(|| "not accepted".into()),
        allowed: allowed_text(column),
    })
}

/// The generated parser's complaint about `value` in `column`, if any.
fn check(table: &TableMeta, column: &ColumnMeta, value: &Json) -> Option<String> {
    let mut map = Map::new();
    map.insert(column.name.to_string(), value.clone());
    match (table.from_json)(&map) {
        Ok(_) => None,
        Err(errors) => {
            let mine: Vec<String> = errors
                .into_iter()
                .filter(|e| e.column == column.name)
                .map(|e| e.message)
                .collect();
            (!mine.is_empty()).then(|| mine.join("; "))
        }
    }
}

pub fn is_array(column: &ColumnMeta) -> bool {
    column.sql_type.ends_with("[]")
}

/// What a column's CHECKs or type allow, in words, when they restrict more than the type.
pub fn allowed_text(column: &ColumnMeta) -> Option<String> {
    let bound = |b: &Option<generated::RangeBound>, above: bool| {
        b.as_ref().map(|b| {
            let op = match (above, b.inclusive) {
                (true, true) => ">=",
                (true, false) => ">",
                (false, true) => "<=",
                (false, false) => "<",
            };
            format!("{op} {}", b.value)
        })
    };
    let range = |min: &Option<generated::RangeBound>, max: &Option<generated::RangeBound>| {
        [bound(min, true), bound(max, false)]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" and ")
    };
    match &column.allowed {
        Allowed::Any => None,
        Allowed::Values(values) => Some(quoted_list(values)),
        Allowed::ElementValues(values) => {
            Some(format!("each element one of {}", quoted_list(values)))
        }
        Allowed::Except(values) => Some(format!("any text except {}", quoted_list(values))),
        Allowed::Range { min, max } => Some(range(min, max)),
        Allowed::Precision {
            precision,
            scale,
            min,
            max,
        } => {
            let r = range(min, max);
            Some(if r.is_empty() {
                format!("numeric({precision},{scale})")
            } else {
                format!("numeric({precision},{scale}), {r}")
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn col(table: &str, column: &str) -> (&'static TableMeta, &'static ColumnMeta) {
        let t = generated::table(table).unwrap();
        (t, t.column(column).unwrap())
    }

    #[test]
    fn values_fit_or_say_what_is_allowed() {
        let (t, c) = col("persona_pain_points", "severity");
        assert_eq!(fit(t, c, &json!("high")).unwrap().value, json!("high"));
        let e = fit(t, c, &json!("extreme")).unwrap_err();
        assert!(e.message.contains("'extreme'"), "{e:?}");
        assert_eq!(
            e.allowed.as_deref(),
            Some("'critical', 'high', 'medium', 'low'")
        );
    }

    #[test]
    fn lossless_conversions() {
        let (t, c) = col("personas", "budget_authority");
        let f = fit(t, c, &json!(40000000)).unwrap();
        assert_eq!(f.value, json!("40000000"));
        assert_eq!(f.note, Some("number written as text"));
        let (t, c) = col("persona_responsibilities", "time_allocation_percent");
        assert_eq!(fit(t, c, &json!("40")).unwrap().value, json!(40));
        let e = fit(t, c, &json!(140)).unwrap_err();
        assert_eq!(e.allowed.as_deref(), Some(">= 0 and <= 100"));
        let (t, c) = col("persona_internal_stakeholders", "collaboration_areas");
        assert_eq!(fit(t, c, &json!("a, b")).unwrap().value, json!(["a, b"]));
        let (t, c) = col("persona_public_research", "confidence_level");
        assert!(fit(t, c, &json!("high")).is_err());
    }
}
