//! The accounting of a run through a profile: for every source field, where it went (a column,
//! a reference, a metadata key, rows of a table, a remapped value) or why it was rejected; the
//! defaults applied and the org rows derived. Printed as a summary and written as JSON.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

use crate::outcome::DeployReport;
use crate::source::Pos;

#[derive(Clone, Debug, Default, Serialize)]
pub struct Accounting {
    pub profile: String,
    pub profile_file: PathBuf,
    pub files: Vec<FileAccount>,
    /// Rules of the profile no input matched.
    pub unused_rules: Vec<super::usage::UnusedRule>,
}

#[derive(Clone, Debug, Serialize)]
pub struct FileAccount {
    pub file: Arc<PathBuf>,
    /// The profile that read it; none for a canonical document passed through.
    pub profile: Option<String>,
    pub personas: usize,
    /// One record per source key (and per rejected list item), in document order.
    pub fields: Vec<FieldRecord>,
    pub defaults: Vec<DefaultRecord>,
    pub org_rows: Vec<OrgRecord>,
    /// Personas that name no row of an org table (their reference is left empty).
    #[serde(default)]
    pub empty_references: Vec<EmptyReference>,
}

/// A persona that names no row for one of its references (`function_id` left empty).
#[derive(Clone, Debug, Serialize)]
pub struct EmptyReference {
    pub pos: Pos,
    /// The persona's path.
    pub path: String,
    pub column: String,
    pub target: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct FieldRecord {
    pub pos: Pos,
    /// The path in the source document (`role_examples["VP Key Accounts"].tools[0].usage`).
    pub path: String,
    /// The value as written, for leaves.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<serde_json::Value>,
    #[serde(flatten)]
    pub outcome: Outcome,
    /// Other uses of the value (`org_roles.name`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<String>,
}

/// Where one source field went.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// A place of personas (`personas`, `role_examples`).
    Personas {
        count: usize,
    },
    /// One persona (a value of a `map_values` place).
    Persona,
    /// A canonical section passed through as it is.
    Canonical {
        section: String,
    },
    /// A map flattened into its row.
    Group {
        table: String,
    },
    /// A list (or map) whose items are rows of a table.
    Section {
        table: String,
        rows: usize,
    },
    Column {
        table: String,
        column: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        remapped: Option<Remap>,
        #[serde(skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// A reference by slug (`personas.function_id` from `org_functions.slug`).
    Reference {
        table: String,
        column: String,
        target: String,
    },
    /// Declared by the profile: a key of `personas.metadata`.
    Metadata {
        key: String,
    },
    /// No rule maps it; kept in `personas.metadata` (policy) or an error.
    Unmapped {
        #[serde(skip_serializing_if = "Option::is_none")]
        kept_in: Option<String>,
        reason: String,
    },
    /// Strings that became rows of a table.
    Rows {
        table: String,
        column: String,
        rows: usize,
    },
    /// One map entry that became a row (`key_column` = key, `column` = value).
    RowEntry {
        table: String,
        key_column: String,
        key: String,
        column: String,
    },
    /// Used only to build an org row.
    Org {
        table: String,
        column: String,
        status: String,
    },
    Ignored {
        reason: String,
    },
    /// Left out by a `drop:` rule, with its reason.
    Dropped {
        reason: String,
    },
    /// A value no rule makes valid, or a row that cannot be written without it.
    Rejected {
        reason: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        allowed: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        kept_in: Option<String>,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Remap {
    pub from: serde_json::Value,
    pub to: serde_json::Value,
}

#[derive(Clone, Debug, Serialize)]
pub struct DefaultRecord {
    pub pos: Pos,
    /// The source path of the row.
    pub path: String,
    pub table: String,
    pub column: String,
    pub value: serde_json::Value,
}

#[derive(Clone, Debug, Serialize)]
pub struct OrgRecord {
    pub pos: Pos,
    /// The persona the row comes from.
    pub path: String,
    pub table: String,
    pub slug: String,
    /// `derived`, or why not.
    pub status: String,
}

/// Counts of one file or of all.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub personas: usize,
    /// Leaf fields (values), not groups or sections.
    pub fields: usize,
    pub to_columns: usize,
    pub remapped: usize,
    pub references: usize,
    pub to_rows: usize,
    pub to_metadata: usize,
    pub unmapped: usize,
    pub org_only: usize,
    pub ignored: usize,
    pub dropped: usize,
    pub rejected: usize,
    pub defaults: usize,
    pub org_rows_derived: usize,
}

/// One value no rule could fix, as the tests pin it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Rejection {
    pub file: String,
    pub pos: Pos,
    pub path: String,
    pub value: String,
    pub reason: String,
    pub allowed: Option<String>,
}

impl FileAccount {
    pub fn counts(&self) -> Counts {
        let mut c = Counts {
            personas: self.personas,
            defaults: self.defaults.len(),
            org_rows_derived: self
                .org_rows
                .iter()
                .filter(|o| o.status == "derived")
                .count(),
            ..Counts::default()
        };
        for f in &self.fields {
            let leaf = !matches!(
                f.outcome,
                Outcome::Personas { .. }
                    | Outcome::Persona
                    | Outcome::Canonical { .. }
                    | Outcome::Group { .. }
                    | Outcome::Section { .. }
            );
            if leaf {
                c.fields += 1;
            }
            match &f.outcome {
                Outcome::Column { remapped, .. } => {
                    c.to_columns += 1;
                    if remapped.is_some() {
                        c.remapped += 1;
                    }
                }
                Outcome::Reference { .. } => c.references += 1,
                Outcome::Rows { .. } | Outcome::RowEntry { .. } => c.to_rows += 1,
                Outcome::Metadata { .. } => c.to_metadata += 1,
                Outcome::Unmapped { .. } => c.unmapped += 1,
                Outcome::Org { .. } => c.org_only += 1,
                Outcome::Ignored { .. } => c.ignored += 1,
                Outcome::Dropped { .. } => c.dropped += 1,
                Outcome::Rejected { .. } => c.rejected += 1,
                _ => {}
            }
        }
        c
    }
}

impl Accounting {
    pub fn counts(&self) -> Counts {
        let mut total = Counts::default();
        for f in &self.files {
            let c = f.counts();
            total.personas += c.personas;
            total.fields += c.fields;
            total.to_columns += c.to_columns;
            total.remapped += c.remapped;
            total.references += c.references;
            total.to_rows += c.to_rows;
            total.to_metadata += c.to_metadata;
            total.unmapped += c.unmapped;
            total.org_only += c.org_only;
            total.ignored += c.ignored;
            total.dropped += c.dropped;
            total.rejected += c.rejected;
            total.defaults += c.defaults;
            total.org_rows_derived += c.org_rows_derived;
        }
        total
    }

    /// Every rejected value, with file, place, path, value, reason and what is allowed.
    pub fn rejections(&self) -> Vec<Rejection> {
        let mut out = vec![];
        for f in &self.files {
            for r in &f.fields {
                if let Outcome::Rejected {
                    reason, allowed, ..
                } = &r.outcome
                {
                    out.push(Rejection {
                        file: f.file.display().to_string(),
                        pos: r.pos,
                        path: r.path.clone(),
                        value: r.value.as_ref().map_or_else(|| "(row)".into(), short_value),
                        reason: reason.clone(),
                        allowed: allowed.clone(),
                    });
                }
            }
        }
        out
    }

    /// The on-screen summary: per file, counts, then remaps, defaults, metadata keys, org rows
    /// and rejections grouped by path pattern and value.
    pub fn summary(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "profile {} ({})",
            self.profile,
            self.profile_file.display()
        );
        for f in &self.files {
            let c = f.counts();
            match &f.profile {
                Some(p) if *p != self.profile => {
                    let _ = writeln!(out, "{} (profile {p}):", f.file.display());
                }
                None => {
                    let _ = writeln!(out, "{} (canonical, no profile):", f.file.display());
                }
                _ => {
                    let _ = writeln!(out, "{}:", f.file.display());
                }
            }
            let canonical: Vec<&str> = f
                .fields
                .iter()
                .filter_map(|r| match &r.outcome {
                    Outcome::Canonical { section } => Some(section.as_str()),
                    _ => None,
                })
                .collect();
            if !canonical.is_empty() {
                let _ = writeln!(
                    out,
                    "  canonical sections passed through: {}",
                    canonical.join(", ")
                );
            }
            if c.fields > 0 || canonical.is_empty() {
                write_counts(&mut out, &c);
            }
            let mut remaps: BTreeMap<String, usize> = BTreeMap::new();
            let mut metadata: BTreeMap<String, usize> = BTreeMap::new();
            let mut dropped: BTreeMap<String, usize> = BTreeMap::new();
            let mut unmapped: BTreeMap<String, usize> = BTreeMap::new();
            let mut rejected: BTreeMap<(String, String, String), (usize, String)> = BTreeMap::new();
            for r in &f.fields {
                match &r.outcome {
                    Outcome::Column {
                        table,
                        column,
                        remapped: Some(m),
                        ..
                    } => {
                        *remaps
                            .entry(format!("{table}.{column} {} -> {}", m.from, m.to))
                            .or_default() += 1;
                    }
                    Outcome::Metadata { key } => {
                        *metadata
                            .entry(format!("metadata.{key} <- {}", pattern(&r.path)))
                            .or_default() += 1;
                    }
                    Outcome::Unmapped {
                        kept_in: Some(key), ..
                    } => {
                        *metadata
                            .entry(format!("metadata.{key} <- {} (unmapped)", pattern(&r.path)))
                            .or_default() += 1;
                    }
                    Outcome::Unmapped { kept_in: None, .. } => {
                        *unmapped.entry(pattern(&r.path)).or_default() += 1;
                    }
                    Outcome::Dropped { reason } => {
                        *dropped
                            .entry(format!("{}: {reason}", pattern(&r.path)))
                            .or_default() += 1;
                    }
                    Outcome::Rejected {
                        reason,
                        allowed,
                        kept_in,
                    } => {
                        let value = r.value.as_ref().map_or_else(|| "(row)".into(), short_value);
                        if reason.starts_with("its ") {
                            // A field of a rejected row: one line per row pattern.
                            let e = rejected
                                .entry((
                                    format!("{}.*", pattern(&row_of(&r.path))),
                                    "(fields of rejected rows)".into(),
                                    reason.clone(),
                                ))
                                .or_insert((0, format!("{}", r.pos)));
                            e.0 += 1;
                            continue;
                        }
                        let mut why = reason.clone();
                        if let Some(a) = allowed.as_ref().filter(|_| !reason.contains("allowed ")) {
                            let _ = write!(why, "; allowed {a}");
                        }
                        if let Some(k) = kept_in {
                            let _ = write!(why, "; kept in metadata.{k}");
                        }
                        let e = rejected
                            .entry((pattern(&r.path), value, why))
                            .or_insert((0, format!("{}", r.pos)));
                        e.0 += 1;
                    }
                    _ => {}
                }
            }
            section(&mut out, "remapped", &remaps);
            let mut defaults: BTreeMap<String, usize> = BTreeMap::new();
            for d in &f.defaults {
                *defaults
                    .entry(format!("{}.{} = {}", d.table, d.column, d.value))
                    .or_default() += 1;
            }
            section(&mut out, "defaults applied", &defaults);
            section(&mut out, "to metadata", &metadata);
            section(&mut out, "dropped", &dropped);
            section(&mut out, "unmapped (no rule; an error)", &unmapped);
            let mut empty: BTreeMap<String, usize> = BTreeMap::new();
            for e in &f.empty_references {
                *empty
                    .entry(format!(
                        "{} left empty: the persona names no {} row",
                        e.column, e.target
                    ))
                    .or_default() += 1;
            }
            section(
                &mut out,
                "warning: personas with an empty reference",
                &empty,
            );
            // Org rows: derived ones counted per table, the others by slug.
            let mut org: BTreeMap<String, usize> = BTreeMap::new();
            let mut slugs: std::collections::BTreeSet<(&str, &str)> = Default::default();
            for o in &f.org_rows {
                if !slugs.insert((&o.table, &o.slug)) {
                    continue;
                }
                let line = if o.status == "derived" {
                    format!("{}: derived", o.table)
                } else {
                    format!("{} '{}': {}", o.table, o.slug, o.status)
                };
                *org.entry(line).or_default() += 1;
            }
            section(&mut out, "org rows named by the personas", &org);
            if !rejected.is_empty() {
                let _ = writeln!(out, "  rejected:");
                for ((path, value, why), (n, first)) in &rejected {
                    let _ = writeln!(
                        out,
                        "    {path}: value {value}: {why} (x{n}, first at line {first})"
                    );
                }
            }
        }
        if !self.unused_rules.is_empty() {
            let _ = writeln!(
                out,
                "rules of {} that matched nothing in any input ({}):",
                self.profile_file.display(),
                self.unused_rules.len()
            );
            for u in &self.unused_rules {
                let _ = writeln!(out, "  line {}: {}", u.pos.line, u.rule);
            }
        }
        if self.files.len() > 1 {
            let _ = writeln!(out, "all files:");
            write_counts(&mut out, &self.counts());
        }
        out
    }

    /// The report file: the accounting, the rejections, and the rows deployed when there was a
    /// deploy.
    pub fn write(&self, path: &Path, deployed: Option<&DeployReport>) -> anyhow::Result<()> {
        #[derive(Serialize)]
        struct ReportFile<'a> {
            profile: &'a str,
            profile_file: &'a Path,
            totals: Counts,
            rejections: Vec<Rejection>,
            files: Vec<FileReport<'a>>,
            #[serde(skip_serializing_if = "Option::is_none")]
            deployed: Option<&'a DeployReport>,
        }
        #[derive(Serialize)]
        struct FileReport<'a> {
            #[serde(flatten)]
            account: &'a FileAccount,
            counts: Counts,
        }
        let report = ReportFile {
            profile: &self.profile,
            profile_file: &self.profile_file,
            totals: self.counts(),
            rejections: self.rejections(),
            files: self
                .files
                .iter()
                .map(|f| FileReport {
                    account: f,
                    counts: f.counts(),
                })
                .collect(),
            deployed,
        };
        let text = serde_json::to_string_pretty(&report)?;
        std::fs::write(path, text + "\n")
            .map_err(|e| anyhow::anyhow!("writing {}: {e}", path.display()))
    }
}

fn write_counts(out: &mut String, c: &Counts) {
    let _ = writeln!(
        out,
        "  {} personas, {} fields: {} to columns ({} remapped), {} references, {} to rows, {} to metadata, {} unmapped, {} org names, {} ignored, {} dropped, {} rejected; {} defaults applied, {} org rows derived",
        c.personas,
        c.fields,
        c.to_columns,
        c.remapped,
        c.references,
        c.to_rows,
        c.to_metadata,
        c.unmapped,
        c.org_only,
        c.ignored,
        c.dropped,
        c.rejected,
        c.defaults,
        c.org_rows_derived
    );
}

fn section(out: &mut String, title: &str, items: &BTreeMap<String, usize>) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, "  {title}:");
    for (line, n) in items {
        let _ = writeln!(out, "    {line} (x{n})");
    }
}

/// The row a field path belongs to: the path up to its last `]`.
fn row_of(path: &str) -> String {
    path.rfind(']').map_or(path, |i| &path[..=i]).to_string()
}

/// `role_examples["VP Key Accounts"].tools[2].usage` -> `role_examples[*].tools[*].usage`.
pub fn pattern(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut chars = path.chars().peekable();
    while let Some(ch) = chars.next() {
        if ch == '[' {
            out.push_str("[*]");
            let mut quoted = false;
            for c in chars.by_ref() {
                match c {
                    '"' => quoted = !quoted,
                    ']' if !quoted => break,
                    _ => {}
                }
            }
        } else {
            out.push(ch);
        }
    }
    out
}

fn short_value(v: &serde_json::Value) -> String {
    let text = match v {
        serde_json::Value::String(s) => format!("'{s}'"),
        other => other.to_string(),
    };
    if text.chars().count() > 60 {
        format!("{}...", text.chars().take(57).collect::<String>())
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_hide_indexes_and_names() {
        assert_eq!(
            pattern("role_examples[\"VP Key [x] Accounts\"].tools[2].usage"),
            "role_examples[*].tools[*].usage"
        );
        assert_eq!(pattern("personas[0].name"), "personas[*].name");
    }
}
