//! Source paths with wildcards, as profiles write them to locate personas, enclosing fields and
//! dropped fields: `roles[*].personas[*]`, `*.notes`, `personas[*].goals[*].template_note`.
//! The same grammar reads the concrete paths the accounting gives every source field
//! (`role_examples["VP Key Accounts"].tools[2]`), so a pattern is matched against those.

use std::fmt;

/// One step of a concrete path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// A map key (`.name`, or `["a key"]` when not a plain name).
    Key(String),
    /// A list index.
    Index(usize),
}

/// One step of a pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PatternStep {
    Key(String),
    Index(usize),
    /// `*`: any map key.
    AnyKey,
    /// `[*]`: any list item, or any value of a map (its keys naming the items).
    AnyItem,
}

/// A path pattern, as written in a profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathPattern {
    pub steps: Vec<PatternStep>,
    pub text: String,
}

impl fmt::Display for PathPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Splits `a.b[0]["c d"][*]` into its raw steps: (text, bracketed).
fn raw_steps(text: &str) -> Result<Vec<(String, bool)>, String> {
    let mut out = vec![];
    let mut chars = text.chars().peekable();
    let mut current = String::new();
    let mut after_bracket = false;
    while let Some(ch) = chars.next() {
        match ch {
            '.' => {
                if current.is_empty() && !after_bracket {
                    return Err(format!("'{text}': an empty step before '.'"));
                }
                if !current.is_empty() {
                    out.push((std::mem::take(&mut current), false));
                }
                after_bracket = false;
            }
            '[' => {
                if !current.is_empty() {
                    out.push((std::mem::take(&mut current), false));
                }
                let mut inner = String::new();
                let mut closed = false;
                if chars.peek() == Some(&'"') {
                    chars.next();
                    let mut escaped = false;
                    for c in chars.by_ref() {
                        match (c, escaped) {
                            ('\\', false) => escaped = true,
                            ('"', false) => break,
                            (c, _) => {
                                inner.push(c);
                                escaped = false;
                            }
                        }
                    }
                    if chars.next() == Some(']') {
                        closed = true;
                    }
                    if !closed {
                        return Err(format!("'{text}': a quoted key without its closing \"]"));
                    }
                    out.push((inner, false));
                    after_bracket = true;
                    continue;
                }
                for c in chars.by_ref() {
                    if c == ']' {
                        closed = true;
                        break;
                    }
                    inner.push(c);
                }
                if !closed {
                    return Err(format!("'{text}': a '[' without its ']'"));
                }
                out.push((inner, true));
                after_bracket = true;
            }
            c => {
                if after_bracket && current.is_empty() {
                    return Err(format!(
                        "'{text}': write a '.' between ']' and the next key"
                    ));
                }
                current.push(c);
            }
        }
    }
    if !current.is_empty() {
        out.push((current, false));
    } else if text.ends_with('.') {
        return Err(format!("'{text}': an empty step at the end"));
    }
    if out.is_empty() {
        return Err("an empty path".into());
    }
    Ok(out)
}

impl PathPattern {
    /// Reads a pattern: keys joined by `.`, `*` for any key, `[*]` for any item, `[N]`.
    pub fn parse(text: &str) -> Result<PathPattern, String> {
        let mut steps = vec![];
        for (raw, bracketed) in raw_steps(text)? {
            steps.push(match (raw.as_str(), bracketed) {
                ("*", true) => PatternStep::AnyItem,
                ("*", false) => PatternStep::AnyKey,
                (n, true) => PatternStep::Index(
                    n.parse()
                        .map_err(|_| format!("'{text}': [{n}] is neither [*] nor a list index"))?,
                ),
                (k, false) => PatternStep::Key(k.to_string()),
            });
        }
        Ok(PathPattern {
            steps,
            text: text.to_string(),
        })
    }

    /// Whether the concrete `path` (as the accounting writes it) is matched, whole.
    pub fn matches(&self, path: &str) -> bool {
        match parse_concrete(path) {
            Some(steps) => matches_steps(&self.steps, &steps),
            None => false,
        }
    }

    /// The leading key, when the pattern starts with one (the document's top-level key).
    pub fn first_key(&self) -> Option<&str> {
        match self.steps.first() {
            Some(PatternStep::Key(k)) => Some(k),
            _ => None,
        }
    }

    /// Whether `prefix` is a leading part of this pattern (step for step).
    pub fn starts_with(&self, prefix: &[PatternStep]) -> bool {
        self.steps.len() >= prefix.len() && self.steps[..prefix.len()] == *prefix
    }
}

/// A concrete accounting path as steps; None when it does not read.
pub fn parse_concrete(path: &str) -> Option<Vec<Step>> {
    if path.is_empty() {
        return Some(vec![]);
    }
    raw_steps(path).ok().map(|raw| {
        raw.into_iter()
            .map(
                |(text, bracketed)| match (bracketed, text.parse::<usize>()) {
                    (true, Ok(i)) => Step::Index(i),
                    _ => Step::Key(text),
                },
            )
            .collect()
    })
}

fn matches_steps(pattern: &[PatternStep], steps: &[Step]) -> bool {
    pattern.len() == steps.len()
        && pattern.iter().zip(steps).all(|(p, s)| match (p, s) {
            (PatternStep::Key(a), Step::Key(b)) => a == b,
            (PatternStep::Index(a), Step::Index(b)) => a == b,
            (PatternStep::AnyKey, Step::Key(_)) => true,
            (PatternStep::AnyItem, _) => true,
            _ => false,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_read_and_match_concrete_paths() {
        let p = PathPattern::parse("roles[*].personas[*]").unwrap();
        assert_eq!(
            p.steps,
            [
                PatternStep::Key("roles".into()),
                PatternStep::AnyItem,
                PatternStep::Key("personas".into()),
                PatternStep::AnyItem
            ]
        );
        assert!(p.matches("roles[0].personas[12]"));
        assert!(p.matches("roles[\"Key Accounts\"].personas[1]"));
        assert!(!p.matches("roles[0].personas"));
        assert!(!p.matches("roles[0].personas[1].name"));
        let any = PathPattern::parse("*.notes").unwrap();
        assert!(any.matches("goals.notes"));
        assert!(!any.matches("goals[0].notes"));
        assert_eq!(p.first_key(), Some("roles"));
        assert!(
            PathPattern::parse("role_examples[\"VP [x]\"].tools[2]")
                .unwrap()
                .matches("role_examples[\"VP [x]\"].tools[2]")
        );
    }

    #[test]
    fn malformed_patterns_say_why() {
        assert!(
            PathPattern::parse("a..b")
                .unwrap_err()
                .contains("empty step")
        );
        assert!(PathPattern::parse("a[x]").unwrap_err().contains("[x]"));
        assert!(PathPattern::parse("a[*").unwrap_err().contains("']'"));
        assert!(PathPattern::parse("a[*]b").unwrap_err().contains("'.'"));
        assert!(PathPattern::parse("").is_err());
    }
}
