//! One error in the input, with everything a user needs to fix it: file, line and column, the
//! path in the document (`personas[3].pain_points[1].severity`), the value, what is allowed.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;

use crate::source::Pos;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub file: Arc<PathBuf>,
    pub pos: Option<Pos>,
    /// Where in the document: `personas[3].pain_points[1].severity`.
    pub path: String,
    /// The offending value as written, when there is one.
    pub value: Option<String>,
    /// What is wrong and what is allowed.
    pub message: String,
}

impl Serialize for Pos {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(pos) = self.pos {
            write!(f, ":{pos}")?;
        }
        if !self.path.is_empty() {
            write!(f, ": {}", self.path)?;
        }
        if let Some(value) = &self.value {
            write!(f, ": value {value}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// "did you mean 'pain_point_text'?" when a known name is close enough.
pub fn did_you_mean<'a>(unknown: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    let best = known
        .into_iter()
        .filter(|k| *k != unknown)
        .map(|k| (strsim::jaro_winkler(unknown, k), k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match best {
        Some((_, k)) => format!("; did you mean '{k}'?"),
        None => String::new(),
    }
}

/// A sorted, de-duplicated list of problems, ready to print.
pub fn sorted(mut problems: Vec<Problem>) -> Vec<Problem> {
    problems.sort_by(|a, b| {
        (&a.file, a.pos, &a.path, &a.message).cmp(&(&b.file, b.pos, &b.path, &b.message))
    });
    problems.dedup();
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        let known = ["pain_point_text", "severity", "pain_category"];
        assert_eq!(
            did_you_mean("pain_point", known),
            "; did you mean 'pain_point_text'?"
        );
        assert_eq!(did_you_mean("sevrity", known), "; did you mean 'severity'?");
        assert_eq!(did_you_mean("zzz", known), "");
    }

    #[test]
    fn a_suggestion_never_repeats_the_name_it_corrects() {
        assert_eq!(
            did_you_mean("severity", ["severity", "severities"]),
            "; did you mean 'severities'?"
        );
        assert_eq!(did_you_mean("severity", ["severity"]), "");
    }
}
