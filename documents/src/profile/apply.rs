//! A foreign document -> the canonical document the pipeline reads, and the account of every
//! source field. Canonical nodes keep the places of the source nodes they come from, so every
//! later error still points into the capture file.
//!
//! A key of a row is, in this order: a declared group (flattened), a declared field (column,
//! reference, `metadata.KEY`), a list-to-rows rule, a section (declared alias or canonical
//! name), a column or reference of the same name, an org row's source (personas only), or
//! unmapped (the profile's policy). A value is remapped, converted without loss and checked by
//! the generated parser; one that still does not fit is rejected (the profile's policy). A
//! nested row that lacks a required column after the defaults is rejected as a whole.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use generated::{ColumnMeta, TableMeta};
use serde_json::Value as Json;

use super::path::{PathPattern, PatternStep};
use super::report::pattern as pattern_of;
use super::report::{
    Accounting, DefaultRecord, EmptyReference, FieldRecord, FileAccount, OrgRecord, Outcome, Remap,
};
use super::usage::{Used, unused};
use super::value::{Misfit, fit, remap_key};
use super::{Inherit, Location, Policy, Profile, RowsProfile, Spelling, TableProfile, Target};
use crate::problem::{Problem, did_you_mean};
use crate::source::{Entry, Node, Pos, Value};
use crate::vocabulary::{Vocabulary, vocabulary};

/// The canonical documents of a run, their derived org rows, the accounting, the problems.
#[derive(Debug, Default)]
pub struct Applied {
    pub documents: Vec<(Arc<PathBuf>, Node)>,
    /// Org rows built from persona fields, one document per source file.
    pub derived: Vec<(Arc<PathBuf>, Node)>,
    pub accounting: Accounting,
    pub problems: Vec<Problem>,
}

/// Applies `profile` to every document of a run (all at once: an org row a canonical document
/// of the run defines is not derived from the personas). With a profile per input (or
/// `applies_to:`), each document is read by its own profile, or passed through as canonical.
pub fn apply_documents(profile: &Profile, docs: &[(Arc<PathBuf>, Node)]) -> Applied {
    let v = vocabulary();
    let chosen: Vec<Option<&Profile>> = docs.iter().map(|(f, _)| profile.for_document(f)).collect();
    let mut defined: HashSet<(&'static str, String)> = HashSet::new();
    for ((_, doc), p) in docs.iter().zip(&chosen) {
        for e in doc.as_map().unwrap_or_default() {
            let Some(root) = v
                .root(&e.key)
                .filter(|_| p.is_none_or(|p| p.passthrough.contains(&e.key)))
            else {
                continue;
            };
            if let Value::Seq(items) = &e.node.value {
                for item in items {
                    let slug = item
                        .as_map()
                        .and_then(|m| m.iter().find(|x| x.key == crate::columns::SLUG))
                        .and_then(|x| x.node.as_str());
                    if let Some(slug) = slug {
                        defined.insert((root.table.name, slug.to_string()));
                    }
                }
            }
        }
    }
    let mut applied = Applied {
        accounting: Accounting {
            profile: profile.name.clone(),
            profile_file: profile.file.clone(),
            files: vec![],
            unused_rules: vec![],
        },
        ..Applied::default()
    };
    let mut derived_seen: HashMap<(&'static str, String), String> = HashMap::new();
    // The profiles that read a document, each with the rules it used.
    let mut readers: Vec<(&Profile, Used)> = vec![];
    for ((file, doc), p) in docs.iter().zip(&chosen) {
        let Some(p) = *p else {
            applied.documents.push((file.clone(), doc.clone()));
            applied.accounting.files.push(canonical_account(file, doc));
            continue;
        };
        let reader = match readers.iter().position(|(r, _)| std::ptr::eq(*r, p)) {
            Some(i) => i,
            None => {
                readers.push((p, Used::default()));
                readers.len() - 1
            }
        };
        let mut run = FileRun {
            used: &readers[reader].1,
            p,
            v,
            file: file.clone(),
            records: vec![],
            defaults: vec![],
            org_rows: vec![],
            empty: vec![],
            problems: vec![],
            defined: &defined,
            derived_seen: &mut derived_seen,
            derived: vec![],
            personas: 0,
        };
        let canonical = run.document(doc);
        applied.documents.push((file.clone(), canonical));
        if !run.derived.is_empty() {
            let entries = run
                .derived
                .drain(..)
                .map(|(section, rows)| Entry {
                    key: section,
                    key_pos: doc.pos,
                    node: Node::new(Value::Seq(rows), doc.pos),
                })
                .collect();
            applied
                .derived
                .push((file.clone(), Node::new(Value::Map(entries), doc.pos)));
        }
        applied.problems.append(&mut run.problems);
        applied.accounting.files.push(FileAccount {
            file: file.clone(),
            profile: Some(p.name.clone()),
            personas: run.personas,
            fields: run.records,
            defaults: run.defaults,
            org_rows: run.org_rows,
            empty_references: run.empty,
        });
    }
    for (p, used) in &readers {
        let unused_rules = unused(p, used);
        if !p.allow_unused_rules {
            let file = Arc::new(p.file.clone());
            for u in &unused_rules {
                applied.problems.push(Problem {
                    file: file.clone(),
                    pos: Some(u.pos),
                    path: String::new(),
                    value: None,
                    message: format!(
                        "profile {}: the rule `{}` matches nothing in any input (correct it, remove it, or run with --allow-unused-rules)",
                        p.name, u.rule
                    ),
                });
            }
        }
        applied.accounting.unused_rules.extend(unused_rules);
    }
    applied
}

/// The account of a document no profile reads: its sections, passed through as they are.
fn canonical_account(file: &Arc<PathBuf>, doc: &Node) -> FileAccount {
    let fields = doc
        .as_map()
        .unwrap_or_default()
        .iter()
        .map(|e| FieldRecord {
            pos: e.key_pos,
            path: child_path("", &e.key),
            value: None,
            outcome: Outcome::Canonical {
                section: e.key.clone(),
            },
            also: vec![],
        })
        .collect();
    FileAccount {
        file: file.clone(),
        profile: None,
        personas: 0,
        fields,
        defaults: vec![],
        org_rows: vec![],
        empty_references: vec![],
    }
}

/// `base.key`, or `base["key with spaces"]` when the key is not a plain name.
pub fn child_path(base: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !key.starts_with(|c: char| c.is_ascii_digit());
    match (plain, base.is_empty()) {
        (true, true) => key.to_string(),
        (true, false) => format!("{base}.{key}"),
        (false, _) => format!("{base}[{}]", Json::String(key.to_string())),
    }
}

/// The first `steps` steps of a pattern, written as a pattern.
fn pattern_prefix(pattern: &PathPattern, steps: usize) -> String {
    let mut out = String::new();
    for step in &pattern.steps[..steps.min(pattern.steps.len())] {
        match step {
            PatternStep::Key(k) => out = child_path(&out, k),
            PatternStep::AnyKey => out = child_path(&out, "*"),
            PatternStep::AnyItem => out.push_str("[*]"),
            PatternStep::Index(i) => out = index_path(&out, *i),
        }
    }
    out
}

/// What a further target of a field became, for the field's first record.
fn describe_target(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Column { table, column, .. } => format!("{table}.{column}"),
        Outcome::Reference {
            table,
            column,
            target,
        } => format!("{table}.{column} (a reference to {target})"),
        Outcome::Metadata { key } => format!("metadata.{key}"),
        Outcome::Org { .. } => "org rows".to_string(),
        other => format!("{other:?}"),
    }
}

fn index_path(base: &str, i: usize) -> String {
    format!("{base}[{i}]")
}

/// A JSON value as a node, every part at `pos`.
fn json_node(value: &Json, pos: Pos) -> Node {
    let v = match value {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Number(n.to_string()),
        },
        Json::String(s) => Value::Str(s.clone()),
        Json::Array(items) => Value::Seq(items.iter().map(|i| json_node(i, pos)).collect()),
        Json::Object(map) => Value::Map(
            map.iter()
                .map(|(k, v)| Entry {
                    key: k.clone(),
                    key_pos: pos,
                    node: json_node(v, pos),
                })
                .collect(),
        ),
    };
    Node::new(v, pos)
}

/// Keys of `personas.metadata` collected for one persona.
#[derive(Default)]
struct Meta {
    puts: Vec<MetaPut>,
}

struct MetaPut {
    key: String,
    /// The source path (relative to the persona) for values from rows and for the policies;
    /// none for a persona field declared `metadata.KEY`.
    sub: Option<String>,
    key_pos: Pos,
    node: Node,
}

impl Meta {
    fn put(&mut self, key: &str, sub: Option<String>, key_pos: Pos, node: &Node) {
        self.puts.push(MetaPut {
            key: key.to_string(),
            sub,
            key_pos,
            node: node.clone(),
        });
    }
}

/// A persona field (or row field) after groups are flattened.
struct Flat<'n> {
    groups: Vec<String>,
    entry: &'n Entry,
    path: String,
    rel: String,
    /// A declared group: its keys follow as entries of their own.
    group: bool,
}

#[derive(Default)]
struct RowState {
    entries: Vec<Entry>,
    given: HashMap<&'static str, String>,
    rejected_columns: HashSet<&'static str>,
    value_rejected: bool,
    children: Vec<(&'static TableMeta, Vec<Node>)>,
}

impl RowState {
    fn child(&mut self, table: &'static TableMeta, row: Node) {
        match self.children.iter_mut().find(|(t, _)| t.name == table.name) {
            Some((_, rows)) => rows.push(row),
            None => self.children.push((table, vec![row])),
        }
    }
}

static NO_RULES: std::sync::LazyLock<TableProfile> =
    std::sync::LazyLock::new(TableProfile::default);

/// The rules of `table`, or none.
fn rules_of<'p>(p: &'p Profile, table: &TableMeta) -> &'p TableProfile {
    p.tables.get(table.name).unwrap_or(&NO_RULES)
}

/// A row's keys with its declared groups flattened: each group as an entry of its own
/// (`group: true`), then its keys.
fn flatten<'n>(
    declared: &[String],
    node: &'n Node,
    path: &str,
    rel: &str,
    groups: &[String],
    out: &mut Vec<Flat<'n>>,
) {
    for e in node.as_map().unwrap_or_default() {
        let p = child_path(path, &e.key);
        let r = child_path(rel, &e.key);
        let group = declared.contains(&e.key) && matches!(e.node.value, Value::Map(_));
        out.push(Flat {
            groups: groups.to_vec(),
            entry: e,
            path: p.clone(),
            rel: r.clone(),
            group,
        });
        if group {
            let mut inner = groups.to_vec();
            inner.push(e.key.clone());
            flatten(declared, &e.node, &p, &r, &inner, out);
        }
    }
}

struct FileRun<'a> {
    p: &'a Profile,
    v: &'static Vocabulary,
    file: Arc<PathBuf>,
    records: Vec<FieldRecord>,
    defaults: Vec<DefaultRecord>,
    org_rows: Vec<OrgRecord>,
    empty: Vec<EmptyReference>,
    problems: Vec<Problem>,
    defined: &'a HashSet<(&'static str, String)>,
    derived_seen: &'a mut HashMap<(&'static str, String), String>,
    derived: Vec<(String, Vec<Node>)>,
    personas: usize,
    used: &'a Used,
}

impl FileRun<'_> {
    /// A field the run refuses for want of a rule: a problem at `pos`, recorded as unmapped.
    fn refuse_unmapped(&mut self, pos: Pos, path: &str, value: Option<&Node>, reason: String) {
        self.problem(pos, path, None, reason.clone());
        self.record(
            pos,
            path,
            value,
            Outcome::Unmapped {
                kept_in: None,
                reason,
            },
        );
    }

    /// `f` names an org row by a field the persona gives no slug in: none is derived.
    fn record_no_org_row(&mut self, f: &Flat<'_>) {
        self.record(
            f.entry.key_pos,
            &f.path,
            Some(&f.entry.node),
            Outcome::Org {
                table: String::new(),
                column: String::new(),
                status: "no org row: the persona names no slug".into(),
            },
        );
    }

    fn record(&mut self, pos: Pos, path: &str, value: Option<&Node>, outcome: Outcome) -> usize {
        self.records.push(FieldRecord {
            pos,
            path: path.to_string(),
            value: value.map(Node::to_json),
            outcome,
            also: vec![],
        });
        self.records.len() - 1
    }

    fn problem(&mut self, pos: Pos, path: &str, value: Option<&Node>, message: String) {
        self.problems.push(Problem {
            file: self.file.clone(),
            pos: Some(pos),
            path: path.to_string(),
            value: value.map(Node::display_value),
            message,
        });
    }

    fn location(&self, key: &str) -> Option<&Location> {
        self.p.locations.iter().find(|l| match l {
            Location::List(k) | Location::MapValues(k) => k == key,
            Location::Path { pattern, .. } => pattern.first_key() == Some(key),
            _ => false,
        })
    }

    fn document(&mut self, doc: &Node) -> Node {
        let mut canonical: Vec<Entry> = vec![];
        let mut personas: Vec<Node> = vec![];
        match &doc.value {
            Value::Map(entries) => {
                let structured = entries.iter().any(|e| {
                    self.location(&e.key).is_some()
                        || self.p.passthrough.contains(&e.key)
                        || self.p.ignore.contains_key(&e.key)
                });
                if !structured && self.p.locations.contains(&Location::DocumentPersona) {
                    self.mark_location(&Location::DocumentPersona);
                    personas.extend(self.persona(doc, ""));
                } else {
                    for e in entries {
                        self.top_level(doc, e, &mut canonical, &mut personas);
                    }
                }
            }
            Value::Seq(items) if self.p.locations.contains(&Location::DocumentList) => {
                self.mark_location(&Location::DocumentList);
                for (i, item) in items.iter().enumerate() {
                    personas.extend(self.persona(item, &index_path("", i)));
                }
            }
            Value::Null => {}
            _ => self.problem(
                doc.pos,
                "",
                Some(doc),
                format!(
                    "profile {}: expected a document with personas at {}, found {}",
                    self.p.name,
                    self.describe_locations(),
                    doc.kind()
                ),
            ),
        }
        if !personas.is_empty() {
            canonical.push(Entry {
                key: crate::columns::PERSONAS.into(),
                key_pos: doc.pos,
                node: Node::new(Value::Seq(personas), doc.pos),
            });
        }
        Node::new(Value::Map(canonical), doc.pos)
    }

    fn describe_locations(&self) -> String {
        self.p
            .locations
            .iter()
            .map(|l| match l {
                Location::List(k) => format!("{k}: [...]"),
                Location::MapValues(k) => format!("{k}: {{name: persona}}"),
                Location::DocumentList => "a list of personas".into(),
                Location::DocumentPersona => "one persona".into(),
                Location::Path { pattern, .. } => pattern.to_string(),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn top_level(
        &mut self,
        doc: &Node,
        e: &Entry,
        canonical: &mut Vec<Entry>,
        personas: &mut Vec<Node>,
    ) {
        let path = child_path("", &e.key);
        if let Some(location) = self.location(&e.key).cloned() {
            self.mark_location(&location);
            match (&location, &e.node.value) {
                (Location::Path { pattern, inherit }, _) => {
                    let mut ancestors = vec![(doc, String::new())];
                    let found = self.walk(
                        pattern,
                        inherit,
                        1,
                        &e.node,
                        &path,
                        &mut ancestors,
                        personas,
                    );
                    self.record(e.key_pos, &path, None, Outcome::Personas { count: found });
                }
                (Location::List(_), Value::Seq(items)) => {
                    self.record(
                        e.key_pos,
                        &path,
                        None,
                        Outcome::Personas { count: items.len() },
                    );
                    for (i, item) in items.iter().enumerate() {
                        personas.extend(self.persona(item, &index_path(&path, i)));
                    }
                }
                (Location::MapValues(_), Value::Map(entries)) => {
                    self.record(
                        e.key_pos,
                        &path,
                        None,
                        Outcome::Personas {
                            count: entries.len(),
                        },
                    );
                    for pe in entries {
                        let p = child_path(&path, &pe.key);
                        self.record(pe.key_pos, &p, None, Outcome::Persona);
                        personas.extend(self.persona(&pe.node, &p));
                    }
                }
                (_, Value::Null) => {
                    self.record(e.key_pos, &path, None, Outcome::Personas { count: 0 });
                }
                _ => {
                    let want = if matches!(location, Location::List(_)) {
                        "a list of personas"
                    } else {
                        "a map of personas"
                    };
                    let reason = format!("expected {want}, found {}", e.node.kind());
                    self.problem(e.node.pos, &path, Some(&e.node), reason.clone());
                    self.record(
                        e.key_pos,
                        &path,
                        None,
                        Outcome::Rejected {
                            reason,
                            allowed: None,
                            kept_in: None,
                        },
                    );
                }
            }
        } else if let Some(i) = self.p.passthrough.iter().position(|k| *k == e.key) {
            self.used.mark(&["passthrough".to_string(), i.to_string()]);
            canonical.push(e.clone());
            self.record(
                e.key_pos,
                &path,
                None,
                Outcome::Canonical {
                    section: e.key.clone(),
                },
            );
        } else if self.inherited_at(0, &e.key) {
            // Recorded where each persona below takes it.
        } else if let Some(reason) = self.dropped_path(&path) {
            self.record(e.key_pos, &path, Some(&e.node), Outcome::Dropped { reason });
        } else if let Some(reason) = self.p.ignore.get(&e.key) {
            self.used.mark(&["ignore", e.key.as_str()]);
            let value = (!matches!(e.node.value, Value::Map(_) | Value::Seq(_))).then_some(&e.node);
            self.record(
                e.key_pos,
                &path,
                value,
                Outcome::Ignored {
                    reason: reason.clone(),
                },
            );
        } else {
            let known: Vec<String> = self
                .p
                .locations
                .iter()
                .filter_map(|l| match l {
                    Location::List(k) | Location::MapValues(k) => Some(k.clone()),
                    _ => None,
                })
                .chain(self.p.passthrough.iter().cloned())
                .chain(self.p.ignore.keys().cloned())
                .collect();
            let hint = did_you_mean(&e.key, known.iter().map(String::as_str));
            let reason = format!(
                "profile {}: no rule for the top-level key '{}' (personas at {}; declare it under ignore: with a reason, or passthrough:){hint}",
                self.p.name,
                e.key,
                self.describe_locations()
            );
            self.refuse_unmapped(e.key_pos, &path, None, reason);
        }
    }

    /// One persona: its row, its metadata, the org rows derived from it.
    fn persona(&mut self, node: &Node, path: &str) -> Option<Node> {
        self.persona_with(node, path, vec![])
    }

    /// One persona with the fields it inherits from enclosing objects (entry, source path).
    fn persona_with(
        &mut self,
        node: &Node,
        path: &str,
        inherited: Vec<(Entry, String)>,
    ) -> Option<Node> {
        let combined;
        let (node, sources): (&Node, Vec<String>) = if inherited.is_empty() {
            (node, vec![])
        } else {
            let Some(own) = node.as_map() else {
                let reason = format!("expected a map of persona fields, found {}", node.kind());
                self.problem(node.pos, path, Some(node), reason);
                return None;
            };
            let (mut entries, sources): (Vec<Entry>, Vec<String>) = inherited.into_iter().unzip();
            entries.extend(own.iter().cloned());
            combined = Node::new(Value::Map(entries), node.pos);
            (&combined, sources)
        };
        let personas = generated::personas::META;
        let start = self.records.len();
        let mut meta = Meta::default();
        let mut entries = self.row_with(personas, node, path, "", &mut meta, true, &sources)?;
        self.personas += 1;
        self.metadata_entry(&mut entries, meta, node.pos, path);
        self.derive_org(node, path, start);
        self.empty_references(&entries, node.pos, path);
        Some(Node::new(Value::Map(entries), node.pos))
    }

    /// Each reference of a persona to an org row that the canonical persona leaves empty
    /// (no function, department or role named): a warning at validate, not a surprise later.
    fn empty_references(&mut self, entries: &[Entry], pos: Pos, path: &str) {
        let refs = self.v.references(crate::columns::PERSONAS);
        let mut columns: Vec<&'static str> = refs
            .iter()
            .filter(|r| self.v.root_of_table(r.target_table).is_some())
            .map(|r| r.column.name)
            .collect();
        columns.sort_unstable();
        columns.dedup();
        for column in columns {
            let named = refs.iter().filter(|r| r.column.name == column).any(|r| {
                entries.iter().any(|e| {
                    (e.key == r.key || Some(e.key.as_str()) == r.also_sets)
                        && !matches!(e.node.value, Value::Null)
                })
            });
            if !named && let Some(r) = refs.iter().find(|r| r.column.name == column) {
                self.empty.push(EmptyReference {
                    pos,
                    path: path.to_string(),
                    column: column.to_string(),
                    target: r.target_table.to_string(),
                });
            }
        }
    }

    fn metadata_entry(&mut self, entries: &mut Vec<Entry>, meta: Meta, pos: Pos, path: &str) {
        if meta.puts.is_empty() {
            return;
        }
        // Persona fields declared `metadata.KEY` give the key's value; values from rows and
        // the policies give a map of source paths.
        let mut keys: Vec<Entry> = vec![];
        let mut by_path: HashSet<String> = HashSet::new();
        for put in meta.puts {
            let existing = keys.iter().position(|e| e.key == put.key);
            match (existing, put.sub) {
                (None, None) => keys.push(Entry {
                    key: put.key,
                    key_pos: put.key_pos,
                    node: put.node,
                }),
                (None, Some(sub)) => {
                    by_path.insert(put.key.clone());
                    keys.push(Entry {
                        key: put.key,
                        key_pos: put.key_pos,
                        node: Node::new(
                            Value::Map(vec![Entry {
                                key: sub,
                                key_pos: put.key_pos,
                                node: put.node,
                            }]),
                            put.key_pos,
                        ),
                    });
                }
                (Some(i), Some(sub)) if by_path.contains(&put.key) => {
                    if let Value::Map(m) = &mut keys[i].node.value {
                        m.push(Entry {
                            key: sub,
                            key_pos: put.key_pos,
                            node: put.node,
                        });
                    }
                }
                (Some(_), _) => self.problem(
                    put.key_pos,
                    path,
                    Some(&put.node),
                    format!(
                        "profile {}: personas.metadata key '{}' is given twice in this persona",
                        self.p.name, put.key
                    ),
                ),
            }
        }
        match entries
            .iter_mut()
            .find(|e| e.key == crate::columns::PERSONA_METADATA)
        {
            Some(Entry {
                node:
                    Node {
                        value: Value::Map(m),
                        ..
                    },
                ..
            }) => m.extend(keys),
            Some(e) => {
                let at = e.key_pos;
                self.problem(
                    at,
                    path,
                    None,
                    "personas.metadata is given as a column and the profile also writes keys into it".into(),
                );
            }
            None => entries.push(Entry {
                key: crate::columns::PERSONA_METADATA.into(),
                key_pos: pos,
                node: Node::new(Value::Map(keys), pos),
            }),
        }
    }

    /// One row of `table`: its canonical keys, or None when rejected (then kept in metadata
    /// or reported, by the policy).
    fn row(
        &mut self,
        table: &'static TableMeta,
        node: &Node,
        path: &str,
        rel: &str,
        parent_meta: &mut Meta,
        root: bool,
    ) -> Option<Vec<Entry>> {
        self.row_with(table, node, path, rel, parent_meta, root, &[])
    }

    /// A row whose first `sources.len()` entries come from enclosing objects, at those paths.
    #[allow(clippy::too_many_arguments)]
    fn row_with(
        &mut self,
        table: &'static TableMeta,
        node: &Node,
        path: &str,
        rel: &str,
        parent_meta: &mut Meta,
        root: bool,
        sources: &[String],
    ) -> Option<Vec<Entry>> {
        if node.as_map().is_none() {
            let reason = format!(
                "expected a map of {} fields, found {}",
                table.name,
                node.kind()
            );
            self.problem(node.pos, path, Some(node), reason);
            return None;
        }
        let start = self.records.len();
        let defaults_start = self.defaults.len();
        let mut flat = vec![];
        flatten(
            &rules_of(self.p, table).groups,
            node,
            path,
            rel,
            &[],
            &mut flat,
        );
        if let Some(entries) = node.as_map() {
            for (entry, source) in entries.iter().zip(sources) {
                for f in flat.iter_mut().filter(|f| std::ptr::eq(f.entry, entry)) {
                    f.path = source.clone();
                    f.rel = source.clone();
                }
            }
        }
        let mut meta = Meta::default();
        let mut state = RowState::default();
        for f in &flat {
            if f.group {
                if let Some(i) = rules_of(self.p, table)
                    .groups
                    .iter()
                    .position(|g| *g == f.entry.key)
                {
                    self.used
                        .mark(&["tables", table.name, "groups", &i.to_string()]);
                }
                let group = Outcome::Group {
                    table: table.name.to_string(),
                };
                self.record(f.entry.key_pos, &f.path, None, group);
            } else {
                self.field(table, f, &mut state, &mut meta, root, rel);
            }
        }
        match self.finish(table, node, path, &mut state, root) {
            Ok(()) => {
                let mut entries = state.entries;
                for (child, rows) in state.children {
                    let pos = rows.first().map_or(node.pos, |r| r.pos);
                    entries.push(Entry {
                        key: child.name.to_string(),
                        key_pos: pos,
                        node: Node::new(Value::Seq(rows), pos),
                    });
                }
                parent_meta.puts.append(&mut meta.puts);
                Some(entries)
            }
            Err(reason) => {
                self.defaults.truncate(defaults_start);
                let kept_in = match &self.p.invalid_values {
                    Policy::Metadata(k) => {
                        parent_meta.put(k, Some(rel.to_string()), node.pos, node);
                        Some(k.clone())
                    }
                    Policy::Error => {
                        if !state.value_rejected {
                            self.problem(
                                node.pos,
                                path,
                                None,
                                format!("{} row rejected: {reason}", table.name),
                            );
                        }
                        None
                    }
                };
                for r in &mut self.records[start..] {
                    if !matches!(r.outcome, Outcome::Rejected { .. }) {
                        r.outcome = Outcome::Rejected {
                            reason: format!("its {} row was rejected: {reason}", table.name),
                            allowed: None,
                            kept_in: kept_in.clone(),
                        };
                    }
                }
                self.record(
                    node.pos,
                    path,
                    None,
                    Outcome::Rejected {
                        reason: format!("{} row rejected: {reason}", table.name),
                        allowed: None,
                        kept_in,
                    },
                );
                None
            }
        }
    }

    /// Defaults for the columns the row does not give, then the required columns.
    fn finish(
        &mut self,
        table: &'static TableMeta,
        node: &Node,
        path: &str,
        state: &mut RowState,
        root: bool,
    ) -> Result<(), String> {
        let defaults = rules_of(self.p, table)
            .defaults
            .iter()
            .map(|(c, v)| (*c, v.clone()))
            .collect::<Vec<_>>();
        let defaulted = |c: &str| defaults.iter().any(|(d, _)| d.name == c);
        if !root {
            for c in table.columns {
                if c.required
                    && !self.v.is_loader_column(table, c.name)
                    && !state.given.contains_key(c.name)
                    && (state.rejected_columns.contains(c.name) || !defaulted(c.name))
                {
                    return Err(if state.rejected_columns.contains(c.name) {
                        format!(
                            "{}.{} is required and its value was rejected",
                            table.name, c.name
                        )
                    } else {
                        format!(
                            "{}.{} is required; the source gives none and the profile declares no default",
                            table.name, c.name
                        )
                    });
                }
            }
        }
        for (column, value) in defaults {
            if state.given.contains_key(column.name) || state.rejected_columns.contains(column.name)
            {
                continue;
            }
            state.entries.push(Entry {
                key: column.name.to_string(),
                key_pos: node.pos,
                node: json_node(&value, node.pos),
            });
            state.given.insert(column.name, "default".into());
            self.used
                .mark(&["tables", table.name, "defaults", column.name]);
            self.defaults.push(DefaultRecord {
                pos: node.pos,
                path: path.to_string(),
                table: table.name.to_string(),
                column: column.name.to_string(),
                value,
            });
        }
        Ok(())
    }

    fn field(
        &mut self,
        table: &'static TableMeta,
        f: &Flat<'_>,
        state: &mut RowState,
        meta: &mut Meta,
        root: bool,
        row_rel: &str,
    ) {
        let key = f.entry.key.as_str();
        let p = self.p;
        let rules = rules_of(p, table);
        if let Some(reason) = rules
            .drop
            .iter()
            .find(|(s, _)| s.matches(&f.groups, key))
            .map(|(s, r)| {
                self.used
                    .mark(&["tables", table.name, "drop", &s.to_string()]);
                r.clone()
            })
            .or_else(|| self.dropped_path(&f.path))
        {
            self.record(
                f.entry.key_pos,
                &f.path,
                Some(&f.entry.node),
                Outcome::Dropped { reason },
            );
            return;
        }
        let targets: Vec<&Target> = rules
            .fields
            .iter()
            .filter(|r| r.spelling.matches(&f.groups, key))
            .map(|r| {
                self.used.mark(&r.at);
                &r.target
            })
            .collect();
        if let Some((first, rest)) = targets.split_first() {
            let at = self.records.len();
            self.apply_target(table, first, f, state, meta, root, row_rel);
            for target in rest {
                let before = self.records.len();
                self.apply_target(table, target, f, state, meta, root, row_rel);
                // A further target of the same value is told on the field's first record.
                if self.records.len() == before + 1
                    && at < before
                    && !matches!(self.records[before].outcome, Outcome::Rejected { .. })
                    && let Some(r) = self.records.pop()
                {
                    self.records[at].also.push(describe_target(&r.outcome));
                }
            }
            return;
        }
        if let Some(i) = rules
            .rows
            .iter()
            .position(|r| r.from.iter().any(|s| s.matches(&f.groups, key)))
        {
            self.used.mark(&rules.rows[i].at);
            self.map_rows(table, i, f, state, meta, root, row_rel);
            return;
        }
        let alias = p
            .tables
            .iter()
            .filter(|(_, t)| t.sections.iter().any(|s| s == key))
            .filter_map(|(name, _)| generated::table(name))
            .find(|t| t.parent.as_ref().is_some_and(|l| l.table == table.name));
        let section = alias.or_else(|| self.v.child_section(table.name, key).map(|s| s.table));
        let column = table
            .column(key)
            .filter(|c| c.insertable && !self.v.is_loader_column(table, c.name));
        let rows_shaped = matches!(&f.entry.node.value, Value::Seq(items) if items.iter().any(|i| i.as_map().is_some()))
            || matches!(f.entry.node.value, Value::Map(_));
        if let Some(child) = section.filter(|_| column.is_none() || rows_shaped) {
            if let Some(i) = rules_of(p, child).sections.iter().position(|s| s == key) {
                self.used
                    .mark(&["tables", child.name, "sections", &i.to_string()]);
            }
            self.read_section(child, f, state, meta);
            return;
        }
        if let Some(c) = column {
            self.map_column(table, c, f, state, meta);
            return;
        }
        if let Some(r) = self.v.reference(table.name, key) {
            self.map_reference(table, r, f, state, meta);
            return;
        }
        if root
            && p.org
                .iter()
                .any(|o| o.values.iter().any(|(_, s)| s.matches(&f.groups, key)))
        {
            self.record_no_org_row(f);
            return;
        }
        let known = self.v.known_keys(table);
        let hint = did_you_mean(key, known.iter().map(String::as_str));
        let reason = format!(
            "no rule of profile {} maps '{key}' of {} and it is no column or section there{hint}",
            self.p.name, table.name
        );
        match &self.p.unmapped {
            Policy::Metadata(k) => {
                let k = k.clone();
                meta.put(&k, Some(f.rel.clone()), f.entry.key_pos, &f.entry.node);
                self.record(
                    f.entry.key_pos,
                    &f.path,
                    Some(&f.entry.node),
                    Outcome::Unmapped {
                        kept_in: Some(k),
                        reason,
                    },
                );
            }
            Policy::Error => {
                self.refuse_unmapped(f.entry.key_pos, &f.path, Some(&f.entry.node), reason);
            }
        }
    }

    /// Sends one field to one declared target.
    #[allow(clippy::too_many_arguments)]
    fn apply_target(
        &mut self,
        table: &'static TableMeta,
        target: &Target,
        f: &Flat<'_>,
        state: &mut RowState,
        meta: &mut Meta,
        root: bool,
        row_rel: &str,
    ) {
        match target {
            Target::Column(c) => self.map_column(table, c, f, state, meta),
            Target::Reference(r) => self.map_reference(table, r, f, state, meta),
            Target::Org => {
                self.record_no_org_row(f);
            }
            Target::Metadata(k) => {
                let sub = (!root).then(|| row_rel.to_string());
                meta.put(k, sub, f.entry.key_pos, &f.entry.node);
                self.record(
                    f.entry.key_pos,
                    &f.path,
                    Some(&f.entry.node),
                    Outcome::Metadata { key: k.clone() },
                );
            }
        }
    }

    /// The reason of the first `drop:` path the source path matches.
    fn dropped_path(&self, path: &str) -> Option<String> {
        self.p
            .drop
            .iter()
            .find(|(p, _)| p.matches(path))
            .map(|(p, r)| {
                self.used.mark(&["drop", p.text.as_str()]);
                r.clone()
            })
    }

    /// Marks a place of personas used.
    fn mark_location(&self, location: &Location) {
        if let Some(i) = self.p.locations.iter().position(|l| l == location) {
            self.used
                .mark(&[crate::columns::PERSONAS.to_string(), i.to_string()]);
        }
    }

    /// Whether a path location takes `key` of the object `depth` steps down as a persona field.
    fn inherited_at(&self, depth: usize, key: &str) -> bool {
        self.p.locations.iter().any(|l| match l {
            Location::Path { inherit, .. } => {
                inherit.iter().any(|i| i.depth == depth && i.field == key)
            }
            _ => false,
        })
    }

    /// Walks `pattern` from step `at` below `node` (at `path`), reading the personas it
    /// reaches; returns how many were read. `ancestors` holds the objects on the way.
    #[allow(clippy::too_many_arguments)]
    fn walk<'n>(
        &mut self,
        pattern: &PathPattern,
        inherit: &[Inherit],
        at: usize,
        node: &'n Node,
        path: &str,
        ancestors: &mut Vec<(&'n Node, String)>,
        personas: &mut Vec<Node>,
    ) -> usize {
        let Some(step) = pattern.steps.get(at) else {
            let mut inherited = vec![];
            for i in inherit {
                let Some((enclosing, enclosing_path)) = ancestors.get(i.depth) else {
                    continue;
                };
                if let Some(e) = enclosing
                    .as_map()
                    .and_then(|m| m.iter().find(|e| e.key == i.field))
                {
                    if let Some(l) = self.p.locations.iter().position(
                        |l| matches!(l, Location::Path { pattern: p, .. } if p == pattern),
                    ) {
                        self.used.mark(&[
                            crate::columns::PERSONAS.to_string(),
                            l.to_string(),
                            "inherit".to_string(),
                            i.key.clone(),
                        ]);
                    }
                    inherited.push((
                        Entry {
                            key: i.key.clone(),
                            key_pos: e.key_pos,
                            node: e.node.clone(),
                        },
                        child_path(enclosing_path, &i.field),
                    ));
                }
            }
            return match self.persona_with(node, path, inherited) {
                Some(p) => {
                    personas.push(p);
                    1
                }
                None => 0,
            };
        };
        let last = at + 1 == pattern.steps.len();
        ancestors.push((node, path.to_string()));
        let mut found = 0;
        match (step, &node.value) {
            (PatternStep::Key(k), Value::Map(entries)) => {
                for e in entries {
                    let p = child_path(path, &e.key);
                    if e.key == *k {
                        let n =
                            self.walk(pattern, inherit, at + 1, &e.node, &p, ancestors, personas);
                        self.record(e.key_pos, &p, None, Outcome::Personas { count: n });
                        found += n;
                    } else if inherit.iter().any(|i| i.depth == at && i.field == e.key) {
                        // Recorded where each persona below takes it.
                    } else if let Some(reason) = self.dropped_path(&p) {
                        self.record(e.key_pos, &p, Some(&e.node), Outcome::Dropped { reason });
                    } else {
                        let reason = format!(
                            "profile {}: no rule for '{}' of the object enclosing the personas at {pattern}: give it to each persona (inherit: {{KEY: {}}}) or leave it out (drop: {{\"{}\": REASON}})",
                            self.p.name,
                            e.key,
                            child_path(&pattern_prefix(pattern, at), &e.key),
                            pattern_of(&p),
                        );
                        self.refuse_unmapped(e.key_pos, &p, None, reason);
                    }
                }
            }
            (PatternStep::AnyKey | PatternStep::AnyItem, Value::Map(entries)) => {
                for e in entries {
                    let p = child_path(path, &e.key);
                    let n = self.walk(pattern, inherit, at + 1, &e.node, &p, ancestors, personas);
                    let outcome = if last {
                        Outcome::Persona
                    } else {
                        Outcome::Personas { count: n }
                    };
                    self.record(e.key_pos, &p, None, outcome);
                    found += n;
                }
            }
            (PatternStep::AnyItem, Value::Seq(items)) => {
                for (i, item) in items.iter().enumerate() {
                    let p = index_path(path, i);
                    found += self.walk(pattern, inherit, at + 1, item, &p, ancestors, personas);
                }
            }
            (PatternStep::Index(i), Value::Seq(items)) => {
                for (k, item) in items.iter().enumerate() {
                    let p = index_path(path, k);
                    if k == *i {
                        found += self.walk(pattern, inherit, at + 1, item, &p, ancestors, personas);
                    } else if let Some(reason) = self.dropped_path(&p) {
                        self.record(item.pos, &p, None, Outcome::Dropped { reason });
                    } else {
                        let reason = format!(
                            "profile {}: item {k} is not on the way to the personas at {pattern}; leave it out with drop: and a reason",
                            self.p.name
                        );
                        self.refuse_unmapped(item.pos, &p, None, reason);
                    }
                }
            }
            (_, Value::Null) => {}
            (step, _) => {
                let want = match step {
                    PatternStep::Key(k) => format!("a map with '{k}'"),
                    PatternStep::AnyKey => "a map".to_string(),
                    _ => "a list (or a map of named items)".to_string(),
                };
                let reason = format!(
                    "profile {}: personas at {pattern}: expected {want} here, found {}",
                    self.p.name,
                    node.kind()
                );
                self.problem(node.pos, path, Some(node), reason);
            }
        }
        ancestors.pop();
        found
    }

    /// The value after the table's remap of `column`; the remap when one applied.
    fn remapped(
        &self,
        table: &TableMeta,
        column: &ColumnMeta,
        value: &Json,
    ) -> (Json, Option<Remap>) {
        let Some(map) = rules_of(self.p, table).remap.get(column.name) else {
            return (value.clone(), None);
        };
        let one = |v: &Json| {
            remap_key(v).and_then(|k| {
                let to = map.get(&k).cloned();
                if to.is_some() {
                    self.used
                        .mark(&["tables", table.name, "remap", column.name, k.as_str()]);
                }
                to
            })
        };
        let new = match value {
            Json::Array(items) => {
                let mapped: Vec<Json> = items
                    .iter()
                    .map(|i| one(i).unwrap_or_else(|| i.clone()))
                    .collect();
                (mapped != *items).then_some(Json::Array(mapped))
            }
            other => one(other),
        };
        match new {
            Some(to) => (
                to.clone(),
                Some(Remap {
                    from: value.clone(),
                    to,
                }),
            ),
            None => (value.clone(), None),
        }
    }

    /// The value after the table's declared transform of `column`, with a note saying so.
    fn transformed(
        &self,
        table: &TableMeta,
        column: &ColumnMeta,
        value: Json,
    ) -> Result<(Json, Option<String>), Misfit> {
        match rules_of(self.p, table).transforms.get(column.name) {
            None => Ok((value, None)),
            Some(t) => {
                self.used
                    .mark(&["tables", table.name, "transform", column.name]);
                t.apply(&value)
                    .map(|v| (v, Some(format!("transform: {t}"))))
                    .map_err(|e| Misfit {
                        message: format!("transform {e}"),
                        allowed: None,
                    })
            }
        }
    }

    fn split(&self, table: &TableMeta, column: &ColumnMeta, value: Json) -> (Json, Option<String>) {
        match (rules_of(self.p, table).split.get(column.name), &value) {
            (Some(sep), Json::String(s)) => {
                self.used
                    .mark(&["tables", table.name, "split", column.name]);
                let parts: Vec<Json> = s
                    .split(sep.as_str())
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(|p| Json::String(p.to_string()))
                    .collect();
                (Json::Array(parts), Some(format!("split on '{sep}'")))
            }
            _ => (value, None),
        }
    }

    fn map_column(
        &mut self,
        table: &'static TableMeta,
        column: &'static ColumnMeta,
        f: &Flat<'_>,
        state: &mut RowState,
        meta: &mut Meta,
    ) {
        let node = &f.entry.node;
        if matches!(node.value, Value::Null) {
            self.record(
                f.entry.key_pos,
                &f.path,
                Some(node),
                Outcome::Column {
                    table: table.name.to_string(),
                    column: column.name.to_string(),
                    remapped: None,
                    note: Some("null: not given".into()),
                },
            );
            return;
        }
        if let Some(first) = state.given.get(column.name) {
            let m = Misfit {
                message: format!("{} is already given by {first}", column.name),
                allowed: None,
            };
            self.reject(table, column, f, m, state, meta);
            return;
        }
        let original = node.to_json();
        let (value, remapped) = self.remapped(table, column, &original);
        let (value, transform_note) = match self.transformed(table, column, value) {
            Ok(t) => t,
            Err(m) => {
                self.reject(table, column, f, m, state, meta);
                return;
            }
        };
        let (value, split_note) = self.split(table, column, value);
        match fit(table, column, &value) {
            Ok(fitted) => {
                let canonical = if fitted.value == original {
                    node.clone()
                } else {
                    json_node(&fitted.value, node.pos)
                };
                state.entries.push(Entry {
                    key: column.name.to_string(),
                    key_pos: f.entry.key_pos,
                    node: canonical,
                });
                state.given.insert(column.name, f.path.clone());
                let note = split_note
                    .or(transform_note)
                    .or(fitted.note.map(str::to_string));
                let outcome = match self.v.reference(table.name, column.name) {
                    // `role_slug`: a reference by slug that also keeps the slug in its column.
                    Some(r) => Outcome::Reference {
                        table: table.name.to_string(),
                        column: r.column.name.to_string(),
                        target: r.target_table.to_string(),
                    },
                    None => Outcome::Column {
                        table: table.name.to_string(),
                        column: column.name.to_string(),
                        remapped,
                        note,
                    },
                };
                let i = self.record(f.entry.key_pos, &f.path, Some(node), outcome);
                if self.v.reference(table.name, column.name).is_some() {
                    self.records[i]
                        .also
                        .push(format!("{}.{}", table.name, column.name));
                }
            }
            Err(m) => self.reject(table, column, f, m, state, meta),
        }
    }

    fn reject(
        &mut self,
        table: &'static TableMeta,
        column: &'static ColumnMeta,
        f: &Flat<'_>,
        m: Misfit,
        state: &mut RowState,
        meta: &mut Meta,
    ) {
        state.rejected_columns.insert(column.name);
        state.value_rejected = true;
        let reason = format!("{}.{}: {}", table.name, column.name, m.message);
        let node = &f.entry.node;
        let kept_in = match &self.p.invalid_values {
            Policy::Metadata(k) => {
                meta.put(k, Some(f.rel.clone()), f.entry.key_pos, node);
                Some(k.clone())
            }
            Policy::Error => {
                let mut message = reason.clone();
                if let Some(a) = &m.allowed
                    && !message.contains("allowed ")
                {
                    message.push_str(&format!("; allowed {a}"));
                }
                self.problem(node.pos, &f.path, Some(node), message);
                None
            }
        };
        self.record(
            node.pos,
            &f.path,
            Some(node),
            Outcome::Rejected {
                reason,
                allowed: m.allowed,
                kept_in,
            },
        );
    }

    fn map_reference(
        &mut self,
        table: &'static TableMeta,
        r: &'static crate::vocabulary::SlugReference,
        f: &Flat<'_>,
        state: &mut RowState,
        meta: &mut Meta,
    ) {
        let node = &f.entry.node;
        match &node.value {
            Value::Str(_) | Value::Null => {
                state.entries.push(Entry {
                    key: r.key.clone(),
                    key_pos: f.entry.key_pos,
                    node: node.clone(),
                });
                self.record(
                    f.entry.key_pos,
                    &f.path,
                    Some(node),
                    Outcome::Reference {
                        table: table.name.to_string(),
                        column: r.column.name.to_string(),
                        target: r.target_table.to_string(),
                    },
                );
            }
            _ => {
                let m = Misfit {
                    message: format!(
                        "expected the slug of a row of {} (a string), found {}",
                        r.target_table,
                        node.kind()
                    ),
                    allowed: None,
                };
                self.reject(table, r.column, f, m, state, meta);
            }
        }
    }

    fn read_section(
        &mut self,
        child: &'static TableMeta,
        f: &Flat<'_>,
        state: &mut RowState,
        meta: &mut Meta,
    ) {
        let node = &f.entry.node;
        let p = self.p;
        let rules = rules_of(p, child);
        if let (Some(u), Value::Map(entries)) =
            (rules.unwrap.as_ref().or(p.unwrap.as_ref()), &node.value)
            && entries.iter().any(|e| e.key == u.rows)
        {
            if rules.unwrap.is_some() {
                self.used.mark(&["tables", child.name, "unwrap"]);
            } else {
                self.used.mark(&["unwrap"]);
            }
            self.record(
                f.entry.key_pos,
                &f.path,
                None,
                Outcome::Section {
                    table: child.name.to_string(),
                    rows: 0,
                },
            );
            for e in entries {
                let path = child_path(&f.path, &e.key);
                if e.key == u.rows {
                    let inner = Flat {
                        groups: vec![],
                        entry: e,
                        path,
                        rel: child_path(&f.rel, &e.key),
                        group: false,
                    };
                    self.read_section(child, &inner, state, meta);
                } else if let Some(reason) = u.drop.get(&e.key) {
                    self.record(
                        e.key_pos,
                        &path,
                        Some(&e.node),
                        Outcome::Dropped {
                            reason: reason.clone(),
                        },
                    );
                } else {
                    let reason = format!(
                        "profile {}: '{}' of the wrapper around the {} rows (unwrap: rows: {}) has no rule; leave it out with a reason (unwrap: drop: {{{}: REASON}})",
                        p.name, e.key, child.name, u.rows, e.key
                    );
                    self.refuse_unmapped(e.key_pos, &path, None, reason);
                }
            }
            return;
        }
        let one_per_parent = rules.one_row
            || self
                .v
                .child_sections(child.parent.as_ref().map_or("", |p| p.table))
                .iter()
                .any(|s| s.table.name == child.name && s.one_per_parent);
        let items: Vec<(String, String, &Node)> = match &node.value {
            Value::Seq(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| (index_path(&f.path, i), index_path(&f.rel, i), item))
                .collect(),
            Value::Map(_) if one_per_parent => {
                if rules.one_row {
                    self.used.mark(&["tables", child.name, "one_row"]);
                }
                vec![(f.path.clone(), f.rel.clone(), node)]
            }
            Value::Null => vec![],
            _ => {
                let reason = format!(
                    "expected a list of {} rows{}, found {}",
                    child.name,
                    if one_per_parent { " (or one map)" } else { "" },
                    node.kind()
                );
                self.problem(node.pos, &f.path, Some(node), reason.clone());
                self.record(
                    f.entry.key_pos,
                    &f.path,
                    None,
                    Outcome::Rejected {
                        reason,
                        allowed: None,
                        kept_in: None,
                    },
                );
                return;
            }
        };
        let i = self.record(
            f.entry.key_pos,
            &f.path,
            None,
            Outcome::Section {
                table: child.name.to_string(),
                rows: 0,
            },
        );
        let mut n = 0;
        for (path, rel, item) in items {
            if let Some(entries) = self.row(child, item, &path, &rel, meta, false) {
                state.child(child, Node::new(Value::Map(entries), item.pos));
                n += 1;
            }
        }
        if let Outcome::Section { rows, .. } = &mut self.records[i].outcome {
            *rows = n;
        }
    }

    /// A list of strings (or a map, with `key_column`) -> rows of the rule's table.
    #[allow(clippy::too_many_arguments)]
    fn map_rows(
        &mut self,
        table: &'static TableMeta,
        rule_index: usize,
        f: &Flat<'_>,
        state: &mut RowState,
        meta: &mut Meta,
        root: bool,
        row_rel: &str,
    ) {
        let p = self.p;
        let rule: &RowsProfile = &rules_of(p, table).rows[rule_index];
        let node = &f.entry.node;
        let i = self.record(
            f.entry.key_pos,
            &f.path,
            Some(node),
            Outcome::Rows {
                table: rule.table.name.to_string(),
                column: rule.column.name.to_string(),
                rows: 0,
            },
        );
        let mut n = 0;
        match (&node.value, rule.key_column) {
            (Value::Map(entries), Some(key_column)) => {
                self.records[i].value = None;
                for e in entries {
                    if let Some((_, target)) = rule.columns.iter().find(|(k, _)| *k == e.key) {
                        let mut at = rule.at.clone();
                        at.extend(["columns".to_string(), e.key.clone()]);
                        self.used.mark(&at);
                        let to_parent = Flat {
                            groups: f.groups.clone(),
                            entry: e,
                            path: child_path(&f.path, &e.key),
                            rel: child_path(&f.rel, &e.key),
                            group: false,
                        };
                        self.apply_target(table, target, &to_parent, state, meta, root, row_rel);
                        continue;
                    }
                    let key = rule
                        .keys
                        .get(&e.key)
                        .cloned()
                        .unwrap_or_else(|| e.key.clone());
                    let path = child_path(&f.path, &e.key);
                    let rel = child_path(&f.rel, &e.key);
                    let key_node = Node::new(Value::Str(key.clone()), e.key_pos);
                    if self.rows_row(
                        rule,
                        Some((key_column, &key_node)),
                        &e.node,
                        &path,
                        &rel,
                        state,
                        meta,
                    ) {
                        self.record(
                            e.key_pos,
                            &path,
                            Some(&e.node),
                            Outcome::RowEntry {
                                table: rule.table.name.to_string(),
                                key_column: key_column.name.to_string(),
                                key,
                                column: rule.column.name.to_string(),
                            },
                        );
                        n += 1;
                    }
                }
            }
            (Value::Seq(items), _) => {
                for (k, item) in items.iter().enumerate() {
                    let path = index_path(&f.path, k);
                    let rel = index_path(&f.rel, k);
                    if self.rows_row(rule, None, item, &path, &rel, state, meta) {
                        n += 1;
                    }
                }
            }
            (Value::Null, _) => {}
            (Value::Map(_), None) => {
                let reason = format!(
                    "expected a list of strings for rows of {}, found a map (a map needs key_column)",
                    rule.table.name
                );
                self.problem(node.pos, &f.path, Some(node), reason.clone());
                self.records[i].outcome = Outcome::Rejected {
                    reason,
                    allowed: None,
                    kept_in: None,
                };
                return;
            }
            _ => {
                if self.rows_row(rule, None, node, &f.path, &f.rel, state, meta) {
                    n += 1;
                }
            }
        }
        if let Outcome::Rows { rows, .. } = &mut self.records[i].outcome {
            *rows = n;
        }
    }

    /// One row of a rows rule; false when its value was rejected (recorded there).
    #[allow(clippy::too_many_arguments)]
    fn rows_row(
        &mut self,
        rule: &RowsProfile,
        key: Option<(&'static ColumnMeta, &Node)>,
        value: &Node,
        path: &str,
        rel: &str,
        state: &mut RowState,
        meta: &mut Meta,
    ) -> bool {
        let table = rule.table;
        let mut entries = vec![];
        for (column, node) in key.into_iter().chain([(rule.column, value)]) {
            let original = node.to_json();
            let (v, _) = self.remapped(table, column, &original);
            let v = match self.transformed(table, column, v) {
                Ok((v, _)) => Ok(v),
                Err(m) => Err(m),
            };
            match v.and_then(|v| fit(table, column, &v)) {
                Ok(fitted) => entries.push(Entry {
                    key: column.name.to_string(),
                    key_pos: node.pos,
                    node: if fitted.value == original {
                        node.clone()
                    } else {
                        json_node(&fitted.value, node.pos)
                    },
                }),
                Err(m) => {
                    let entry = Entry {
                        key: column.name.to_string(),
                        key_pos: value.pos,
                        node: value.clone(),
                    };
                    let f = Flat {
                        groups: vec![],
                        entry: &entry,
                        path: path.to_string(),
                        rel: rel.to_string(),
                        group: false,
                    };
                    let mut scratch = RowState::default();
                    self.reject(table, column, &f, m, &mut scratch, meta);
                    return false;
                }
            }
        }
        for (column, v) in &rule.set {
            entries.push(Entry {
                key: column.name.to_string(),
                key_pos: value.pos,
                node: json_node(v, value.pos),
            });
        }
        let mut row = RowState {
            given: entries
                .iter()
                .filter_map(|e| table.column(&e.key).map(|c| (c.name, path.to_string())))
                .collect(),
            entries,
            ..RowState::default()
        };
        let row_node = Node::new(Value::Null, value.pos);
        if let Err(reason) = self.finish(table, &row_node, path, &mut row, false) {
            let m = Misfit {
                message: format!("row rejected: {reason}"),
                allowed: None,
            };
            let entry = Entry {
                key: rule.column.name.to_string(),
                key_pos: value.pos,
                node: value.clone(),
            };
            let f = Flat {
                groups: vec![],
                entry: &entry,
                path: path.to_string(),
                rel: rel.to_string(),
                group: false,
            };
            let mut scratch = RowState::default();
            self.reject(table, rule.column, &f, m, &mut scratch, meta);
            return false;
        }
        state.child(table, Node::new(Value::Map(row.entries), value.pos));
        true
    }

    /// The org rows a persona names (by slug) that no canonical document of the run defines.
    fn derive_org(&mut self, node: &Node, path: &str, start: usize) {
        if self.p.org.is_empty() {
            return;
        }
        let personas = generated::personas::META;
        let mut flat = vec![];
        flatten(
            &rules_of(self.p, personas).groups,
            node,
            path,
            "",
            &[],
            &mut flat,
        );
        let find = |s: &Spelling| {
            flat.iter()
                .find(|f| !f.group && s.matches(&f.groups, &f.entry.key))
        };
        let p = self.p;
        for rule in &p.org {
            let Some(slug_field) = rule.slug().and_then(&find) else {
                continue;
            };
            self.used.mark(&["org", rule.table.name]);
            let Some(slug) = slug_field.entry.node.as_str().map(str::to_string) else {
                continue;
            };
            let key = (rule.table.name, slug.clone());
            let mut entries = vec![];
            let status = if self.defined.contains(&key) {
                "defined by an org document of this run".to_string()
            } else if let Some(first) = self.derived_seen.get(&key) {
                format!("derived from {first}")
            } else {
                let mut status = "derived".to_string();
                for (k, s) in &rule.values {
                    let Some(f) = find(s) else { continue };
                    match rule
                        .table
                        .column(k)
                        .filter(|_| self.v.reference(rule.table.name, k).is_none())
                    {
                        Some(column) => {
                            let original = f.entry.node.to_json();
                            let (v, _) = self.remapped(rule.table, column, &original);
                            match fit(rule.table, column, &v) {
                                Ok(fitted) => entries.push(Entry {
                                    key: k.clone(),
                                    key_pos: f.entry.key_pos,
                                    node: json_node(&fitted.value, f.entry.node.pos),
                                }),
                                Err(m) => {
                                    let allowed = m
                                        .allowed
                                        .map(|a| format!("; allowed {a}"))
                                        .unwrap_or_default();
                                    status = format!(
                                        "not derived: {}.{k} {}: {}{allowed}",
                                        rule.table.name,
                                        f.entry.node.display_value(),
                                        m.message
                                    );
                                    break;
                                }
                            }
                        }
                        None => entries.push(Entry {
                            key: k.clone(),
                            key_pos: f.entry.key_pos,
                            node: f.entry.node.clone(),
                        }),
                    }
                }
                if status == "derived" {
                    let missing: Vec<&str> = rule
                        .table
                        .columns
                        .iter()
                        .filter(|c| c.required && !self.v.is_loader_column(rule.table, c.name))
                        .filter(|c| !entries.iter().any(|e| e.key == c.name))
                        .map(|c| c.name)
                        .collect();
                    if !missing.is_empty() {
                        status =
                            format!("not derived: the persona gives no {}", missing.join(", "));
                    }
                }
                status
            };
            for (k, s) in &rule.values {
                let Some(f) = find(s) else { continue };
                let note = format!("{}.{k} ({status})", rule.table.name);
                if let Some(r) = self.records[start..].iter_mut().find(|r| r.path == f.path) {
                    match &mut r.outcome {
                        Outcome::Org {
                            table,
                            column,
                            status: st,
                        } => {
                            *table = rule.table.name.to_string();
                            *column = k.clone();
                            *st = status.clone();
                        }
                        _ => r.also.push(note),
                    }
                }
            }
            self.org_rows.push(OrgRecord {
                pos: slug_field.entry.node.pos,
                path: path.to_string(),
                table: rule.table.name.to_string(),
                slug: slug.clone(),
                status: status.clone(),
            });
            if status == "derived" {
                self.derived_seen
                    .insert(key, format!("{}:{} {path}", self.file.display(), node.pos));
                match self.derived.iter_mut().find(|(s, _)| *s == rule.section) {
                    Some((_, rows)) => rows.push(Node::new(Value::Map(entries), node.pos)),
                    None => self.derived.push((
                        rule.section.clone(),
                        vec![Node::new(Value::Map(entries), node.pos)],
                    )),
                }
            }
        }
    }
}
