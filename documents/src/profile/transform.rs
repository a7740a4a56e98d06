//! Declared value transforms (`transform: {column: [steps]}`): arithmetic scale and offset
//! (exact decimals), rounding, split, join, trim, case, a regex capture, date formats. A
//! transform is checked against its column when the profile is loaded (the kind it gives,
//! the column's type, its CHECK list); every value it gives is then checked by the column's
//! generated parser like any other, so a value the database would refuse is refused.

use std::fmt;
use std::str::FromStr;

use generated::{Allowed, ColumnMeta};
use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::Value as Json;

use super::model::TransformStep;
use super::value::is_array;

/// Letter case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    Lower,
    Upper,
    /// Each word's first letter upper, the rest lower.
    Title,
}

impl Case {
    /// The word a profile writes for it (`case: title`).
    fn word(self) -> String {
        format!("{self:?}").to_lowercase()
    }

    fn apply(self, s: &str) -> String {
        match self {
            Case::Lower => s.to_lowercase(),
            Case::Upper => s.to_uppercase(),
            Case::Title => s
                .split(' ')
                .map(|w| {
                    let mut chars = w.chars();
                    match chars.next() {
                        Some(c) => c
                            .to_uppercase()
                            .chain(chars.flat_map(char::to_lowercase))
                            .collect(),
                        None => String::new(),
                    }
                })
                .collect::<Vec<_>>()
                .join(" "),
        }
    }
}

/// One step of a transform.
#[derive(Clone, Debug)]
pub enum Step {
    Scale(Decimal),
    Offset(Decimal),
    /// Round to this many fractional digits, halves away from zero.
    Round(u32),
    Split(String),
    Join(String),
    Trim,
    Case(Case),
    /// The first capture group (or the whole match) of the pattern.
    Regex(regex::Regex),
    /// A date written in `from` (chrono's strftime), stored in `to`.
    Date {
        from: String,
        to: String,
    },
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::Scale(d) => write!(f, "scale {d}"),
            Step::Offset(d) => write!(f, "offset {d}"),
            Step::Round(n) => write!(f, "round {n}"),
            Step::Split(s) => write!(f, "split '{s}'"),
            Step::Join(s) => write!(f, "join '{s}'"),
            Step::Trim => f.write_str("trim"),
            Step::Case(c) => write!(f, "case {}", c.word()),
            Step::Regex(r) => write!(f, "regex /{}/", r.as_str()),
            Step::Date { from, to } => write!(f, "date {from} -> {to}"),
        }
    }
}

/// The steps of one column's transform, in order.
#[derive(Clone, Debug, Default)]
pub struct Transform {
    pub steps: Vec<Step>,
}

impl fmt::Display for Transform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.steps.iter().map(Step::to_string).collect();
        f.write_str(&parts.join(", "))
    }
}

/// What a step works on and gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Any,
    Number,
    Text,
    List,
}

const STEP_KEYS: &str = "scale, offset, round, split, join, trim, case, regex, date";

fn decimal(value: &Json) -> Option<Decimal> {
    match value {
        Json::Number(n) => {
            let text = n.to_string();
            Decimal::from_str(&text)
                .or_else(|_| Decimal::from_scientific(&text))
                .ok()
        }
        Json::String(s) => Decimal::from_str(s.trim()).ok(),
        _ => None,
    }
}

fn number(d: Decimal) -> Json {
    let d = d.normalize();
    serde_json::from_str(&d.to_string()).unwrap_or_else(|_| Json::String(d.to_string()))
}

/// Reads one step as written; the error says which keys a step may have.
pub fn read_step(step: &TransformStep) -> Result<Step, String> {
    let given = [
        step.scale.is_some(),
        step.offset.is_some(),
        step.round.is_some(),
        step.split.is_some(),
        step.join.is_some(),
        step.trim.is_some(),
        step.case.is_some(),
        step.regex.is_some(),
        step.date.is_some(),
    ]
    .iter()
    .filter(|g| **g)
    .count();
    if given != 1 {
        return Err(format!(
            "a transform step is exactly one of {STEP_KEYS} (write several steps as a list)"
        ));
    }
    if let Some(v) = &step.scale {
        // A ratio may be written as one: "1/60".
        if let Json::String(s) = v
            && let Some((a, b)) = s.split_once('/')
        {
            let (a, b) = (Decimal::from_str(a.trim()), Decimal::from_str(b.trim()));
            return match (a, b) {
                (Ok(a), Ok(b)) if !b.is_zero() => Ok(Step::Scale(a / b)),
                _ => Err(format!("scale: '{s}' is not a ratio of two numbers")),
            };
        }
        return decimal(v)
            .map(Step::Scale)
            .ok_or_else(|| format!("scale: {v} is not a number"));
    }
    if let Some(v) = &step.offset {
        return decimal(v)
            .map(Step::Offset)
            .ok_or_else(|| format!("offset: {v} is not a number"));
    }
    if let Some(n) = step.round {
        return Ok(Step::Round(n));
    }
    if let Some(s) = &step.split {
        if s.is_empty() {
            return Err("split: an empty separator".into());
        }
        return Ok(Step::Split(s.clone()));
    }
    if let Some(s) = &step.join {
        return Ok(Step::Join(s.clone()));
    }
    if let Some(t) = step.trim {
        return if t {
            Ok(Step::Trim)
        } else {
            Err("trim: write trim: true, or leave the step out".into())
        };
    }
    if let Some(c) = &step.case {
        return [Case::Lower, Case::Upper, Case::Title]
            .into_iter()
            .find(|k| k.word() == *c)
            .map(Step::Case)
            .ok_or_else(|| format!("case: '{c}' is none of lower, upper, title"));
    }
    if let Some(r) = &step.regex {
        return regex::Regex::new(r)
            .map(Step::Regex)
            .map_err(|e| format!("regex: {e}"));
    }
    if let Some(d) = &step.date {
        let to = d.to.clone().unwrap_or_else(|| "%Y-%m-%d".to_string());
        for fmt in [&d.from, &to] {
            if chrono::format::StrftimeItems::new(fmt)
                .any(|i| matches!(i, chrono::format::Item::Error))
            {
                return Err(format!(
                    "date: '{fmt}' is not a strftime format (%Y-%m-%d, %d/%m/%Y, ...)"
                ));
            }
        }
        return Ok(Step::Date {
            from: d.from.clone(),
            to,
        });
    }
    Err(format!("a transform step is one of {STEP_KEYS}"))
}

fn is_integer_type(column: &ColumnMeta) -> bool {
    let t = column.sql_type.trim_end_matches("[]");
    matches!(
        t,
        "int2" | "int4" | "int8" | "smallint" | "integer" | "bigint"
    )
}

fn is_number_type(column: &ColumnMeta) -> bool {
    let t = column.sql_type.trim_end_matches("[]");
    is_integer_type(column)
        || t.starts_with("numeric")
        || matches!(t, "float4" | "float8" | "real" | "double precision")
}

fn is_text_type(column: &ColumnMeta) -> bool {
    let t = column.sql_type.trim_end_matches("[]");
    matches!(t, "text" | "varchar" | "bpchar")
        || t.starts_with("character")
        || t.starts_with("varchar")
}

impl Transform {
    /// Checks the steps against `column`: the kinds they work on and give, the column's type
    /// and its CHECK list. Returns every problem.
    pub fn check(&self, column: &ColumnMeta) -> Vec<String> {
        let mut problems = vec![];
        let mut kind = Kind::Any;
        let mut fraction_from: Option<&Step> = None;
        for step in &self.steps {
            let (takes, gives) = match step {
                Step::Scale(d) | Step::Offset(d) => {
                    if !d.fract().is_zero() {
                        fraction_from = Some(step);
                    }
                    (&[Kind::Any, Kind::Number, Kind::Text][..], Kind::Number)
                }
                Step::Round(n) => {
                    if *n == 0 {
                        fraction_from = None;
                    }
                    (&[Kind::Any, Kind::Number, Kind::Text][..], Kind::Number)
                }
                Step::Split(_) => (&[Kind::Any, Kind::Text][..], Kind::List),
                Step::Join(_) => (&[Kind::Any, Kind::List][..], Kind::Text),
                Step::Trim | Step::Case(_) => (
                    &[Kind::Any, Kind::Text, Kind::List][..],
                    if kind == Kind::List {
                        Kind::List
                    } else {
                        Kind::Text
                    },
                ),
                Step::Regex(_) | Step::Date { .. } => (&[Kind::Any, Kind::Text][..], Kind::Text),
            };
            if !takes.contains(&kind) {
                problems.push(format!(
                    "{step} works on {}, but the step before gives {}",
                    words(takes),
                    word(kind)
                ));
            }
            kind = gives;
        }
        let array = is_array(column);
        match kind {
            Kind::List if !array => problems.push(format!(
                "it gives a list, and {} is {}, not a list (join: SEP makes one text)",
                column.name, column.sql_type
            )),
            Kind::Number if !is_number_type(column) && !is_text_type(column) => {
                problems.push(format!(
                    "it gives a number, and {} is {}",
                    column.name, column.sql_type
                ))
            }
            _ => {}
        }
        if kind == Kind::Number
            && is_integer_type(column)
            && let Some(step) = fraction_from
        {
            problems.push(format!(
                "{step} can give a fraction, and {} is {} (whole numbers): add round: 0 to say how it is rounded",
                column.name, column.sql_type
            ));
        }
        if self.steps.iter().any(|s| matches!(s, Step::Date { .. }))
            && !is_text_type(column)
            && !column.sql_type.starts_with("date")
            && !column.sql_type.starts_with("timestamp")
        {
            problems.push(format!(
                "date gives a date, and {} is {}",
                column.name, column.sql_type
            ));
        }
        let values = match column.allowed {
            Allowed::Values(v) | Allowed::ElementValues(v) => Some(v),
            _ => None,
        };
        if let Some(values) = values {
            for step in &self.steps {
                if let Step::Case(c) = step
                    && !values.iter().any(|v| c.apply(v) == *v)
                {
                    problems.push(format!(
                        "{step} gives no value {}'s CHECK allows ({})",
                        column.name,
                        generated::quoted_list(values)
                    ));
                }
            }
        }
        problems
    }

    /// The value after every step, or why a step cannot take it.
    pub fn apply(&self, value: &Json) -> Result<Json, String> {
        let mut v = value.clone();
        for step in &self.steps {
            v = apply_step(step, v).map_err(|e| format!("{step}: {e}"))?;
        }
        Ok(v)
    }
}

fn apply_step(step: &Step, v: Json) -> Result<Json, String> {
    if let Json::Array(items) = &v
        && matches!(
            step,
            Step::Trim
                | Step::Case(_)
                | Step::Regex(_)
                | Step::Date { .. }
                | Step::Scale(_)
                | Step::Offset(_)
                | Step::Round(_)
        )
    {
        return items
            .iter()
            .map(|i| apply_step(step, i.clone()))
            .collect::<Result<Vec<_>, _>>()
            .map(Json::Array);
    }
    let text = |v: &Json| match v {
        Json::String(s) => Ok(s.clone()),
        Json::Number(n) => Ok(n.to_string()),
        Json::Bool(b) => Ok(b.to_string()),
        other => Err(format!("expected text, found {other}")),
    };
    let num = |v: &Json| decimal(v).ok_or_else(|| format!("{v} is not a number"));
    match step {
        Step::Scale(d) => num(&v)?
            .checked_mul(*d)
            .map(number)
            .ok_or_else(|| "the product is beyond 28 digits".into()),
        Step::Offset(d) => num(&v)?
            .checked_add(*d)
            .map(number)
            .ok_or_else(|| "the sum is beyond 28 digits".into()),
        Step::Round(n) => Ok(number(
            num(&v)?.round_dp_with_strategy(*n, RoundingStrategy::MidpointAwayFromZero),
        )),
        Step::Split(sep) => Ok(Json::Array(
            text(&v)?
                .split(sep.as_str())
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(|p| Json::String(p.to_string()))
                .collect(),
        )),
        Step::Join(sep) => match &v {
            Json::Array(items) => Ok(Json::String(
                items
                    .iter()
                    .map(text)
                    .collect::<Result<Vec<_>, _>>()?
                    .join(sep),
            )),
            other => Ok(Json::String(text(other)?)),
        },
        Step::Trim => Ok(Json::String(text(&v)?.trim().to_string())),
        Step::Case(c) => Ok(Json::String(c.apply(&text(&v)?))),
        Step::Regex(re) => {
            let s = text(&v)?;
            let caps = re
                .captures(&s)
                .ok_or_else(|| format!("'{s}' does not match"))?;
            let m = caps
                .get(1)
                .or_else(|| caps.get(0))
                .map_or("", |m| m.as_str());
            Ok(Json::String(m.to_string()))
        }
        Step::Date { from, to } => {
            let s = text(&v)?;
            let date = chrono::NaiveDate::parse_from_str(s.trim(), from)
                .map_err(|e| format!("'{s}' is not a date in {from}: {e}"))?;
            Ok(Json::String(date.format(to).to_string()))
        }
    }
}

fn word(k: Kind) -> &'static str {
    match k {
        Kind::Any => "any value",
        Kind::Number => "a number",
        Kind::Text => "text",
        Kind::List => "a list",
    }
}

fn words(kinds: &[Kind]) -> String {
    kinds
        .iter()
        .filter(|k| **k != Kind::Any)
        .map(|k| word(*k))
        .collect::<Vec<_>>()
        .join(" or ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(name: &'static str) -> &'static ColumnMeta {
        generated::table("persona_week_in_life")
            .unwrap()
            .column(name)
            .unwrap()
    }

    fn steps(steps: Vec<Step>) -> Transform {
        Transform { steps }
    }

    #[test]
    fn arithmetic_is_exact_and_rounding_is_declared() {
        let hours = steps(vec![
            Step::Scale(Decimal::from_str("0.0166666666666666666666666667").unwrap()),
            Step::Round(0),
        ]);
        assert_eq!(hours.apply(&Json::from(90)).unwrap(), Json::from(2));
        assert!(hours.check(column("focus_time_available")).is_empty());
        let unrounded = steps(vec![Step::Scale(Decimal::from_str("0.5").unwrap())]);
        let problems = unrounded.check(column("focus_time_available"));
        assert!(problems[0].contains("add round: 0"), "{problems:?}");
        let plus = steps(vec![Step::Offset(Decimal::from(2))]);
        assert_eq!(plus.apply(&Json::from("3")).unwrap(), Json::from(5));
    }

    #[test]
    fn text_steps_and_their_checks() {
        let t = steps(vec![Step::Trim, Step::Case(Case::Title)]);
        assert_eq!(
            t.apply(&Json::from("  monday ")).unwrap(),
            Json::from("Monday")
        );
        assert!(t.check(column("day_of_week")).is_empty());
        let lower = steps(vec![Step::Case(Case::Lower)]);
        let problems = lower.check(column("day_of_week"));
        assert!(problems[0].contains("'Monday'"), "{problems:?}");
        let split = steps(vec![Step::Split(";".into())]);
        assert_eq!(
            split.apply(&Json::from("a; b;")).unwrap(),
            serde_json::json!(["a", "b"])
        );
        assert!(split.check(column("typical_activities")).is_empty());
        assert!(split.check(column("day_of_week"))[0].contains("not a list"));
        let re = steps(vec![Step::Regex(regex::Regex::new(r"(\d+) min").unwrap())]);
        assert_eq!(
            re.apply(&Json::from("about 45 min")).unwrap(),
            Json::from("45")
        );
        assert!(
            re.apply(&Json::from("n/a"))
                .unwrap_err()
                .contains("does not match")
        );
        let date = steps(vec![Step::Date {
            from: "%m/%d/%Y".into(),
            to: "%Y-%m-%d".into(),
        }]);
        assert_eq!(
            date.apply(&Json::from("03/14/2025")).unwrap(),
            Json::from("2025-03-14")
        );
        assert!(date.apply(&Json::from("14/03/2025")).is_err());
        let join = steps(vec![Step::Join(", ".into())]);
        assert_eq!(
            join.apply(&serde_json::json!(["a", "b"])).unwrap(),
            Json::from("a, b")
        );
        let wrong = steps(vec![Step::Join(",".into()), Step::Scale(Decimal::from(2))]);
        assert!(wrong.apply(&serde_json::json!(["a"])).is_err());
    }
}
