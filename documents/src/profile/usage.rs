//! Which rules of a profile matched something: every rule is named by its place in the
//! profile file (`tables.personas.fields.title`, `drop."roles[*].notes"`), the run marks the
//! ones it used, and a rule no input matched is reported with its line (an error unless
//! `--allow-unused-rules`), so a misspelt or stale rule never does nothing silently.

use std::cell::RefCell;
use std::collections::BTreeSet;

use serde::Serialize;

use super::model::place;
use super::{Location, Profile};
use crate::source::Pos;

/// A rule's place in the profile file: the keys (and list indexes) leading to it.
pub type RuleAt = Vec<String>;

/// The rules a run used.
#[derive(Debug, Default)]
pub struct Used(RefCell<BTreeSet<RuleAt>>);

impl Used {
    pub fn mark<S: AsRef<str>>(&self, at: &[S]) {
        self.0
            .borrow_mut()
            .insert(at.iter().map(|s| s.as_ref().to_string()).collect());
    }

    pub fn contains(&self, at: &RuleAt) -> bool {
        self.0.borrow().contains(at)
    }
}

/// A rule that matched nothing in any input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UnusedRule {
    pub pos: Pos,
    /// The rule as the profile writes it (`tables.personas.fields.title: job_title`).
    pub rule: String,
}

fn at(parts: &[&str]) -> RuleAt {
    parts.iter().map(|s| s.to_string()).collect()
}

/// Every rule of `profile`, with the words that say what it is.
pub fn rules(profile: &Profile) -> Vec<(RuleAt, String)> {
    let mut out = vec![];
    for (i, l) in profile.locations.iter().enumerate() {
        let index = i.to_string();
        let what = match l {
            Location::List(k) => format!("personas: list: {k}"),
            Location::MapValues(k) => format!("personas: map_values: {k}"),
            Location::DocumentList => "personas: document: list".into(),
            Location::DocumentPersona => "personas: document: persona".into(),
            Location::Path { pattern, inherit } => {
                for inh in inherit {
                    out.push((
                        at(&[crate::columns::PERSONAS, &index, "inherit", &inh.key]),
                        format!("inherit: {}: {}", inh.key, inh.text),
                    ));
                }
                format!("personas: path: {pattern}")
            }
        };
        out.push((at(&[crate::columns::PERSONAS, &index]), what));
    }
    for (i, k) in profile.passthrough.iter().enumerate() {
        out.push((
            at(&["passthrough", &i.to_string()]),
            format!("passthrough: {k}"),
        ));
    }
    for k in profile.ignore.keys() {
        out.push((at(&["ignore", k]), format!("ignore: {k}")));
    }
    for (p, _) in &profile.drop {
        out.push((at(&["drop", &p.text]), format!("drop: {}", p.text)));
    }
    if profile.unwrap.is_some() {
        out.push((at(&["unwrap"]), "unwrap:".into()));
    }
    for (table, t) in &profile.tables {
        let base = |rest: &[&str]| {
            let mut v = at(&["tables", table]);
            v.extend(rest.iter().map(|s| s.to_string()));
            v
        };
        for (i, g) in t.groups.iter().enumerate() {
            out.push((
                base(&["groups", &i.to_string()]),
                format!("tables.{table}.groups: {g}"),
            ));
        }
        for (i, s) in t.sections.iter().enumerate() {
            out.push((
                base(&["sections", &i.to_string()]),
                format!("tables.{table}.sections: {s}"),
            ));
        }
        for f in &t.fields {
            let target = f.at.get(3).cloned().unwrap_or_default();
            out.push((
                f.at.clone(),
                format!("tables.{table}.fields.{target}: {}", f.spelling),
            ));
        }
        for r in &t.rows {
            let from: Vec<String> = r.from.iter().map(|s| s.to_string()).collect();
            out.push((
                r.at.clone(),
                format!(
                    "tables.{table}.rows: from {} to {}",
                    from.join(", "),
                    r.table.name
                ),
            ));
            for (k, _) in &r.columns {
                let mut a = r.at.clone();
                a.extend(["columns".to_string(), k.clone()]);
                out.push((a, format!("tables.{table}.rows: columns: {k}")));
            }
        }
        for (col, map) in &t.remap {
            for from in map.keys() {
                out.push((
                    base(&["remap", col, from]),
                    format!("tables.{table}.remap.{col}: '{from}'"),
                ));
            }
        }
        for (col, _) in &t.defaults {
            out.push((
                base(&["defaults", col.name]),
                format!("tables.{table}.defaults.{}", col.name),
            ));
        }
        for col in t.split.keys() {
            out.push((base(&["split", col]), format!("tables.{table}.split.{col}")));
        }
        for col in t.transforms.keys() {
            out.push((
                base(&["transform", col]),
                format!("tables.{table}.transform.{col}"),
            ));
        }
        for (s, _) in &t.drop {
            let text = s.to_string();
            out.push((
                base(&["drop", &text]),
                format!("tables.{table}.drop: {text}"),
            ));
        }
        if t.unwrap.is_some() {
            out.push((base(&["unwrap"]), format!("tables.{table}.unwrap:")));
        }
        if t.one_row {
            out.push((base(&["one_row"]), format!("tables.{table}.one_row")));
        }
    }
    for o in &profile.org {
        out.push((at(&["org", o.table.name]), format!("org: {}", o.table.name)));
    }
    out
}

/// The rules `used` does not hold, each at its line of the profile.
pub fn unused(profile: &Profile, used: &Used) -> Vec<UnusedRule> {
    let mut out: Vec<UnusedRule> = rules(profile)
        .into_iter()
        .filter(|(a, _)| !used.contains(a))
        .map(|(a, rule)| {
            let path: Vec<&str> = a.iter().map(String::as_str).collect();
            UnusedRule {
                pos: place(&profile.source, &path, true),
                rule,
            }
        })
        .collect();
    out.sort_by_key(|u| u.pos);
    out
}
