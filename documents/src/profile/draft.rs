//! `seeder profile draft CAPTURE...`: a starting profile written from the capture files
//! themselves. It finds where the personas are (the list, map or nested list whose items look
//! most like personas), then gives every source path its best-guess target: a key named like
//! a column or section is taken as it is, another is matched by name similarity against the
//! table's vocabulary, by its values against the CHECK lists, and a list of maps by its item
//! keys against the child tables. What it cannot guess is a `TODO` comment naming the
//! candidates, with counts and example values, so a user edits rather than writes.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use generated::{Allowed, TableMeta};

use crate::source::{Node, Value};
use crate::vocabulary::{Vocabulary, vocabulary};

/// The items of a list node.
trait Items {
    fn as_seq(&self) -> Option<&[Node]>;
}

impl Items for Node {
    fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }
}

/// What the draft guesses for one source path pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Guess {
    /// `table.column` (or a reference key's column).
    Column { table: String, column: String },
    /// A list (or map) of rows of this table.
    Section { table: String },
    /// A map flattened into its row.
    Group,
    /// Rows of this table wrapped in an object, under its key `rows`.
    Wrapped { table: String, rows: String },
    /// A key of a wrapper around rows: left out.
    Drop,
    /// A list of strings: one row of `table` per string, in `column`.
    Rows { table: String, column: String },
    /// Nothing good enough: these are the closest candidates.
    Todo { candidates: Vec<String> },
}

impl Guess {
    /// The form the accounting's outcomes are compared in (`personas.title`, `rows of
    /// persona_goals`).
    pub fn target(&self) -> Option<String> {
        match self {
            Guess::Column { table, column } => Some(format!("{table}.{column}")),
            Guess::Section { table } | Guess::Wrapped { table, .. } | Guess::Rows { table, .. } => {
                Some(format!("rows of {table}"))
            }
            Guess::Drop => Some("dropped".into()),
            _ => None,
        }
    }
}

/// One source path: what was seen there and the guess.
#[derive(Clone, Debug)]
pub struct PathSeen {
    pub count: usize,
    pub examples: Vec<String>,
    pub guess: Guess,
    /// The table of the row the key sits in, and its key there (with groups).
    table: &'static TableMeta,
    spelling: String,
}

/// A draft: the profile text and the guess per source path pattern.
#[derive(Debug, Default)]
pub struct Draft {
    pub text: String,
    /// With a nested place of personas: persona key -> the enclosing field it comes from.
    pub inherit: Vec<(String, String)>,
    pub location: Option<String>,
    pub personas: usize,
    pub paths: BTreeMap<String, PathSeen>,
}

/// How much a map's keys look like a row of `table` (0..1).
fn likeness(v: &Vocabulary, table: &TableMeta, node: &Node) -> f64 {
    let Some(entries) = node.as_map() else {
        return 0.0;
    };
    if entries.is_empty() {
        return 0.0;
    }
    let known = v.known_keys(table);
    let hits = entries
        .iter()
        .filter(|e| {
            let key = normal(&e.key);
            known.contains(&key) || v.child_section(table.name, &key).is_some()
        })
        .count();
    hits as f64 / entries.len() as f64
}

fn normal(key: &str) -> String {
    key.to_lowercase().replace(['-', ' '], "_")
}

/// Candidate places of personas in one document: (pattern, items).
fn candidates(doc: &Node) -> Vec<(String, Vec<&Node>)> {
    let mut out = vec![];
    match &doc.value {
        Value::Seq(items) => out.push(("document: list".to_string(), items.iter().collect())),
        Value::Map(entries) => {
            out.push(("document: persona".to_string(), vec![doc]));
            for e in entries {
                match &e.node.value {
                    Value::Seq(items) => {
                        out.push((format!("list: {}", e.key), items.iter().collect()));
                        // One level of nesting: KEY[*].INNER[*].
                        let mut inner: BTreeMap<&str, Vec<&Node>> = BTreeMap::new();
                        for item in items {
                            for ie in item.as_map().unwrap_or_default() {
                                if let Value::Seq(xs) = &ie.node.value {
                                    inner.entry(&ie.key).or_default().extend(xs.iter());
                                }
                            }
                        }
                        for (k, xs) in inner {
                            out.push((format!("path: \"{}[*].{k}[*]\"", e.key), xs));
                        }
                    }
                    Value::Map(inner) if inner.iter().all(|x| x.node.as_map().is_some()) => {
                        out.push((
                            format!("map_values: {}", e.key),
                            inner.iter().map(|x| &x.node).collect(),
                        ));
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
    out
}

/// The values of a column's CHECK list, when it has one.
fn check_values(table: &TableMeta, column: &str) -> Option<&'static [&'static str]> {
    match table.column(column)?.allowed {
        Allowed::Values(v) | Allowed::ElementValues(v) => Some(v),
        _ => None,
    }
}

struct Walker<'v> {
    v: &'v Vocabulary,
    paths: BTreeMap<String, PathSeen>,
}

impl Walker<'_> {
    fn see(&mut self, pattern: String, table: &'static TableMeta, spelling: &str, node: &Node) {
        let example = match &node.value {
            Value::Map(_) | Value::Seq(_) => None,
            _ => Some(node.display_value()),
        };
        let entry = self.paths.entry(pattern).or_insert_with(|| PathSeen {
            count: 0,
            examples: vec![],
            guess: Guess::Todo { candidates: vec![] },
            table,
            spelling: spelling.to_string(),
        });
        entry.count += 1;
        if let Some(x) = example
            && entry.examples.len() < 3
            && !entry.examples.contains(&x)
        {
            entry.examples.push(x);
        }
    }

    /// One row of `table` at `pattern`, its keys under `groups`.
    fn row(&mut self, table: &'static TableMeta, node: &Node, pattern: &str, groups: &str) {
        for e in node.as_map().unwrap_or_default() {
            let p = super::report::pattern(&super::apply::child_path(pattern, &e.key));
            let spelling = if groups.is_empty() {
                e.key.clone()
            } else {
                format!("{groups}.{}", e.key)
            };
            self.see(p.clone(), table, &spelling, &e.node);
            let guess = self.guess(table, &e.key, &e.node);
            match &guess {
                Guess::Group => self.row(table, &e.node, &p, &spelling),
                Guess::Wrapped { table: child, rows } => {
                    let child = generated::table(child).expect("a guessed table exists");
                    for we in e.node.as_map().unwrap_or_default() {
                        let wp = super::report::pattern(&super::apply::child_path(&p, &we.key));
                        self.see(wp.clone(), child, &we.key, &we.node);
                        let g = if we.key == *rows {
                            for item in we.node.as_seq().unwrap_or_default() {
                                self.row(child, item, &format!("{wp}[*]"), "");
                            }
                            Guess::Section {
                                table: child.name.to_string(),
                            }
                        } else {
                            Guess::Drop
                        };
                        if let Some(seen) = self.paths.get_mut(&wp) {
                            seen.guess = g;
                        }
                    }
                }
                Guess::Section { table: child } => {
                    let child = generated::table(child).expect("a guessed table exists");
                    match &e.node.value {
                        Value::Seq(items) => {
                            for item in items.iter().filter(|i| i.as_map().is_some()) {
                                self.row(child, item, &format!("{p}[*]"), "");
                            }
                        }
                        Value::Map(_) => self.row(child, &e.node, &p, ""),
                        _ => {}
                    }
                }
                _ => {}
            }
            if let Some(seen) = self.paths.get_mut(&p) {
                seen.guess = guess;
            }
        }
    }

    fn guess(&self, table: &'static TableMeta, key: &str, node: &Node) -> Guess {
        let v = self.v;
        let rows_shaped = match &node.value {
            Value::Seq(items) => items.iter().any(|i| i.as_map().is_some()),
            Value::Map(_) => true,
            _ => false,
        };
        let column_named = table
            .column(key)
            .filter(|c| c.insertable && !v.is_loader_column(table, c.name));
        if let Some(s) = v.child_section(table.name, key)
            && (column_named.is_none() || rows_shaped)
        {
            // {table: .., count: .., data: [rows]}: one key holds the rows, the rest scalars.
            if let Some(entries) = node.as_map() {
                let lists: Vec<&str> = entries
                    .iter()
                    .filter(|e| {
                        e.node
                            .as_seq()
                            .is_some_and(|items| items.iter().any(|i| i.as_map().is_some()))
                    })
                    .map(|e| e.key.as_str())
                    .collect();
                let scalars = entries.iter().all(|e| {
                    e.node.as_map().is_none()
                        && (e.node.as_seq().is_none() || lists.contains(&e.key.as_str()))
                });
                if lists.len() == 1 && scalars && !s.one_per_parent {
                    return Guess::Wrapped {
                        table: s.table.name.to_string(),
                        rows: lists[0].to_string(),
                    };
                }
            }
            return Guess::Section {
                table: s.table.name.to_string(),
            };
        }
        if let Some(c) = column_named {
            return Guess::Column {
                table: table.name.to_string(),
                column: c.name.to_string(),
            };
        }
        if let Some(r) = v.reference(table.name, key) {
            return Guess::Column {
                table: table.name.to_string(),
                column: r.also_sets.unwrap_or(r.column.name).to_string(),
            };
        }
        if rows_shaped {
            // A section under another name: the child table whose name or columns fit best.
            let mut best: Option<(f64, &'static TableMeta)> = None;
            for s in v.child_sections(table.name) {
                let by_name = s
                    .keys
                    .iter()
                    .map(|k| strsim::jaro_winkler(&normal(key), k))
                    .fold(0.0, f64::max);
                let sample = match &node.value {
                    Value::Seq(items) => items.first(),
                    _ => Some(node),
                };
                let by_shape = sample.map_or(0.0, |n| likeness(v, s.table, n));
                let score = by_name.max(0.0) * 0.5 + by_shape * 0.5;
                if best.is_none_or(|(b, _)| score > b) {
                    best = Some((score, s.table));
                }
            }
            if matches!(node.value, Value::Map(_)) && likeness(v, table, node) >= 0.5 {
                return Guess::Group;
            }
            if let Some((score, t)) = best
                && score > 0.6
            {
                return Guess::Section {
                    table: t.name.to_string(),
                };
            }
            if matches!(node.value, Value::Map(_)) {
                return Guess::Group;
            }
        }
        // A list of strings named like a child table: a row per string.
        if let Value::Seq(items) = &node.value
            && !items.is_empty()
            && items.iter().all(|i| i.as_str().is_some())
            && let Some(s) = v.child_section(table.name, key).or_else(|| {
                v.child_sections(table.name).iter().find(|s| {
                    s.keys
                        .iter()
                        .any(|k| strsim::jaro_winkler(&normal(key), k) > 0.93)
                })
            })
        {
            let singular = normal(key);
            let singular = singular.strip_suffix('s').unwrap_or(&singular).to_string();
            let text_columns: Vec<&str> = s
                .table
                .columns
                .iter()
                .filter(|c| c.insertable && !v.is_loader_column(s.table, c.name))
                .filter(|c| c.sql_type == "text")
                .map(|c| c.name)
                .collect();
            let column = text_columns
                .iter()
                .find(|c| {
                    c.starts_with(&singular) && (c.ends_with("_name") || c.ends_with("_text"))
                })
                .or_else(|| {
                    text_columns
                        .iter()
                        .find(|c| c.ends_with("_name") || c.ends_with("_text"))
                })
                .or(text_columns.first());
            if let Some(column) = column {
                return Guess::Rows {
                    table: s.table.name.to_string(),
                    column: column.to_string(),
                };
            }
        }
        // A value on a CHECK list names its column.
        if let Some(text) = node.as_str() {
            let by_values: Vec<&str> = table
                .columns
                .iter()
                .filter(|c| check_values(table, c.name).is_some_and(|vals| vals.contains(&text)))
                .map(|c| c.name)
                .collect();
            if by_values.len() == 1 {
                return Guess::Column {
                    table: table.name.to_string(),
                    column: by_values[0].to_string(),
                };
            }
        }
        let known = v.known_keys(table);
        let mut scored: Vec<(f64, &String)> = known
            .iter()
            .map(|k| {
                let a = normal(key);
                let plain = strsim::jaro_winkler(&a, k);
                // `goal` for `goal_text`, `impact` for `impact_level`.
                let prefix = if k.starts_with(&format!("{a}_")) || k.ends_with(&format!("_{a}")) {
                    0.93
                } else {
                    0.0
                };
                (plain.max(prefix), k)
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        // The closest name, when it is close (or starts with the same word) and the value fits
        // the column (its type, CHECK list and range).
        let first_word = |k: &str| k.split('_').next().unwrap_or("").to_string();
        let value = node.to_json();
        let chosen = scored.iter().take(3).find(|(score, k)| {
            let close =
                *score >= 0.92 || (*score >= 0.75 && first_word(k) == first_word(&normal(key)));
            close
                && table
                    .column(k)
                    .is_some_and(|c| super::value::fit(table, c, &value).is_ok())
        });
        match chosen {
            Some((_, k)) => Guess::Column {
                table: table.name.to_string(),
                column: (*k).clone(),
            },
            None => Guess::Todo {
                candidates: scored.iter().take(3).map(|(_, k)| (*k).clone()).collect(),
            },
        }
    }
}

/// Writes a draft profile for `files` (their parsed trees).
pub fn draft(files: &[(PathBuf, Node)]) -> Draft {
    let v = vocabulary();
    let personas_table = generated::personas::META;
    // Where the personas are: the candidate whose items look most like personas.
    let mut scores: BTreeMap<String, (f64, usize)> = BTreeMap::new();
    for (_, doc) in files {
        for (place, items) in candidates(doc) {
            let maps: Vec<&Node> = items.into_iter().filter(|i| i.as_map().is_some()).collect();
            if maps.is_empty() {
                continue;
            }
            let s: f64 = maps
                .iter()
                .map(|m| likeness(v, personas_table, m))
                .sum::<f64>()
                / maps.len() as f64;
            let e = scores.entry(place).or_insert((0.0, 0));
            e.0 = e.0.max(s);
            e.1 += maps.len();
        }
    }
    let location = scores
        .iter()
        .filter(|(_, (s, _))| *s > 0.2)
        // On a tie the nested place wins: personas inside role objects that look like them.
        .max_by(|a, b| a.1.0.total_cmp(&b.1.0).then(a.0.len().cmp(&b.0.len())))
        .map(|(k, _)| k.clone());
    let mut walker = Walker {
        v,
        paths: BTreeMap::new(),
    };
    let mut personas = 0;
    let mut inherit: Vec<(String, String)> = vec![];
    if let Some(path) = location.as_deref().and_then(|l| l.strip_prefix("path: ")) {
        let path = path.trim_matches('"');
        let (outer, rest) = path.split_once("[*].").unwrap_or((path, ""));
        let inner = rest.trim_end_matches("[*]");
        // `roles` -> `role`: a key of a role object is the persona's `role_KEY` when that is
        // one of its columns or references.
        let singular = outer.strip_suffix('s').unwrap_or(outer);
        let known = v.known_keys(personas_table);
        for (_, doc) in files {
            let Some(list) = doc
                .as_map()
                .and_then(|m| m.iter().find(|e| e.key == outer))
                .and_then(|e| e.node.as_seq())
            else {
                continue;
            };
            for item in list {
                for e in item
                    .as_map()
                    .unwrap_or_default()
                    .iter()
                    .filter(|e| e.key != inner)
                {
                    let pattern = format!("{outer}[*].{}", e.key);
                    walker.see(pattern.clone(), personas_table, &e.key, &e.node);
                    let candidates = [format!("{singular}_{}", e.key), e.key.clone()];
                    let guess = candidates
                        .iter()
                        .find(|c| known.contains(c) && personas_table.column(c).is_some())
                        .filter(|c| **c != e.key || e.key.ends_with("_slug"))
                        .map(|c| Guess::Column {
                            table: personas_table.name.to_string(),
                            column: c.clone(),
                        })
                        .unwrap_or(Guess::Todo {
                            candidates: vec![
                                format!("inherit: {{KEY: \"{pattern}\"}}"),
                                format!("drop: {{\"{pattern}\": REASON}}"),
                            ],
                        });
                    if let Guess::Column { column, .. } = &guess
                        && !inherit.iter().any(|(k, _)| k == column)
                    {
                        inherit.push((column.clone(), pattern.clone()));
                    }
                    if let Some(seen) = walker.paths.get_mut(&pattern) {
                        seen.guess = guess;
                    }
                }
            }
        }
    }
    for (_, doc) in files {
        for (place, items) in candidates(doc) {
            if Some(&place) != location.as_ref() {
                continue;
            }
            let prefix = place_pattern(&place);
            for item in items.into_iter().filter(|i| i.as_map().is_some()) {
                personas += 1;
                walker.row(personas_table, item, &prefix, "");
            }
        }
    }
    let mut d = Draft {
        inherit,
        location,
        personas,
        paths: walker.paths,
        text: String::new(),
    };
    d.text = write(&d, files);
    d
}

/// The accounting path pattern of a persona of `place` (`personas[*]`).
fn place_pattern(place: &str) -> String {
    if let Some(k) = place.strip_prefix("list: ") {
        format!("{k}[*]")
    } else if let Some(k) = place.strip_prefix("map_values: ") {
        format!("{k}[*]")
    } else if let Some(p) = place.strip_prefix("path: ") {
        p.trim_matches('"').to_string()
    } else if place == "document: list" {
        "[*]".into()
    } else {
        String::new()
    }
}

fn write(d: &Draft, files: &[(PathBuf, Node)]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Draft mapping profile, written by `seeder profile draft` from {} file(s):",
        files.len()
    );
    for (f, _) in files {
        let _ = writeln!(out, "#   {}", f.display());
    }
    let guessed = d
        .paths
        .values()
        .filter(|p| !matches!(p.guess, Guess::Todo { .. }))
        .count();
    let _ = writeln!(
        out,
        "# {} personas, {} source paths: {} guessed, {} TODO. Edit the guesses, decide each TODO\n# (map it under fields:, keep it as metadata.KEY, or drop it with a reason), then run\n#   seeder validate --profile THIS_FILE --input ...\n# which says what is left to decide.",
        d.personas,
        d.paths.len(),
        guessed,
        d.paths.len() - guessed
    );
    let _ = writeln!(out, "profile: draft");
    let _ = writeln!(out, "personas:");
    match &d.location {
        Some(l) => {
            let _ = writeln!(out, "  - {l}");
            if !d.inherit.is_empty() {
                let _ = writeln!(
                    out,
                    "    inherit:   # fields of the enclosing objects, given to each persona"
                );
                for (k, from) in &d.inherit {
                    let _ = writeln!(out, "      {k}: \"{from}\"");
                }
            }
        }
        None => {
            let _ = writeln!(
                out,
                "  # TODO: no list or map of the files looks like personas\n  - document: persona"
            );
        }
    }
    let mut wrappers: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (p, seen) in &d.paths {
        if let Guess::Wrapped { rows, .. } = &seen.guess {
            let prefix = format!("{p}.");
            let dropped = wrappers.entry(rows.as_str()).or_default();
            for (q, s) in &d.paths {
                if s.guess == Guess::Drop
                    && let Some(k) = q.strip_prefix(&prefix)
                    && !dropped.contains(&k)
                {
                    dropped.push(k);
                }
            }
        }
    }
    if let Some((rows, dropped)) = wrappers.iter().next() {
        let _ = writeln!(
            out,
            "unwrap:   # sections given as {{{}: [rows], ...}}",
            rows
        );
        let _ = writeln!(out, "  rows: {rows}");
        if !dropped.is_empty() {
            let _ = writeln!(out, "  drop:");
            for k in dropped {
                let _ = writeln!(out, "    {k}: \"TODO: the reason it is left out\"");
            }
        }
    }
    let _ = writeln!(out, "unmapped: error");
    let _ = writeln!(out, "invalid_values: error");
    let _ = writeln!(out, "tables:");
    let mut per_table: BTreeMap<&str, Vec<(&String, &PathSeen)>> = BTreeMap::new();
    let mut aliases: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (p, seen) in &d.paths {
        // A field of an enclosing object goes to the persona through inherit:, not fields:.
        if d.inherit.iter().any(|(_, from)| from == p) {
            continue;
        }
        per_table
            .entry(seen.table.name)
            .or_default()
            .push((p, seen));
        if let Guess::Section { table: child } = &seen.guess {
            let key = seen.spelling.rsplit('.').next().unwrap_or("").to_string();
            let canonical = vocabulary()
                .child_section(seen.table.name, &key)
                .is_some_and(|c| c.table.name == child);
            let list = aliases.entry(child.clone()).or_default();
            if !canonical && !list.contains(&key) {
                list.push(key);
            }
        }
    }
    for child in aliases.keys() {
        if let Some(t) = generated::table(child) {
            per_table.entry(t.name).or_default();
        }
    }
    let quote = |s: &str| serde_json::to_string(s).unwrap_or_default();
    for (table, paths) in per_table {
        let block_start = out.len();
        let _ = writeln!(out, "  {table}:");
        let mut real = false;
        if let Some(keys) = aliases.get(table).filter(|k| !k.is_empty()) {
            let quoted: Vec<String> = keys.iter().map(|k| quote(k)).collect();
            let _ = writeln!(
                out,
                "    sections: [{}]   # guessed from names and item keys",
                quoted.join(", ")
            );
        }
        let mut groups: Vec<String> = paths
            .iter()
            .filter(|(_, s)| s.guess == Guess::Group)
            .map(|(_, s)| quote(s.spelling.rsplit('.').next().unwrap_or("")))
            .collect();
        groups.sort();
        groups.dedup();
        if !groups.is_empty() {
            real = true;
            let _ = writeln!(out, "    groups: [{}]", groups.join(", "));
        }
        let mut targets: BTreeMap<&str, Vec<(String, String)>> = BTreeMap::new();
        let mut comments: Vec<String> = vec![];
        let mut rows_rules: Vec<(String, String, String)> = vec![];
        for (p, s) in &paths {
            let key = s.spelling.rsplit('.').next().unwrap_or("");
            let note = format!(
                "{p} ({}x{})",
                s.count,
                if s.examples.is_empty() {
                    String::new()
                } else {
                    format!(", e.g. {}", s.examples.join(", "))
                }
            );
            match &s.guess {
                Guess::Column { column, .. } if column != key => {
                    let list = targets.entry(column).or_default();
                    if !list.iter().any(|(sp, _)| *sp == s.spelling) {
                        list.push((s.spelling.clone(), note));
                    }
                }
                Guess::Column { .. } => {
                    comments.push(format!("      # {} is a column: {note}", s.spelling))
                }
                Guess::Section { table: child } => {
                    comments.push(format!("      # {}: rows of {child}: {note}", s.spelling))
                }
                Guess::Group | Guess::Drop => {}
                Guess::Rows {
                    table: child,
                    column,
                } => {
                    if !rows_rules.iter().any(|(sp, _, _)| *sp == s.spelling) {
                        rows_rules.push((s.spelling.clone(), child.clone(), column.clone()));
                    }
                    comments.push(format!(
                        "      # {}: a row of {child} per string: {note}",
                        s.spelling
                    ));
                }
                Guess::Wrapped { table: child, rows } => comments.push(format!(
                    "      # {}: rows of {child} under `{rows}` (unwrap:): {note}",
                    s.spelling
                )),
                Guess::Todo { candidates } => comments.push(format!(
                    "      # TODO {}: {note}; closest: {}",
                    s.spelling,
                    candidates.join(", ")
                )),
            }
        }
        if !rows_rules.is_empty() {
            real = true;
            let _ = writeln!(out, "    rows:");
            for (from, child, column) in &rows_rules {
                let _ = writeln!(
                    out,
                    "      - from: {}\n        table: {child}\n        column: {column}",
                    quote(from)
                );
            }
        }
        if targets.is_empty() {
            let _ = writeln!(out, "    # fields:");
        } else {
            real = true;
            let _ = writeln!(out, "    fields:");
            for (column, spellings) in &targets {
                let names: Vec<String> = spellings.iter().map(|(s, _)| quote(s)).collect();
                let notes: Vec<&str> = spellings.iter().map(|(_, n)| n.as_str()).collect();
                let _ = writeln!(
                    out,
                    "      {column}: [{}]   # guessed: {}",
                    names.join(", "),
                    notes.join("; ")
                );
            }
        }
        if !real {
            out.truncate(block_start);
            let _ = writeln!(out, "  {table}: {{}}");
        }
        for c in comments {
            let _ = writeln!(out, "{c}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_personas_are_found() {
        let text = r#"{"capture": "x", "roles": [{"slug": "r", "name": "R", "notes": "n", "personas": [{"name": "A", "slug": "a", "title": "T"}]}]}"#;
        let node = crate::source::parse_yaml_or_json(std::path::Path::new("c.json"), text).unwrap();
        for (place, items) in candidates(&node) {
            let maps: Vec<&Node> = items.into_iter().filter(|i| i.as_map().is_some()).collect();
            let s: f64 = maps
                .iter()
                .map(|m| likeness(vocabulary(), generated::personas::META, m))
                .sum::<f64>()
                / maps.len().max(1) as f64;
            println!("{place}: {s}");
        }
        let d = draft(&[(PathBuf::from("c.json"), node)]);
        assert_eq!(
            d.location.as_deref(),
            Some("path: \"roles[*].personas[*]\"")
        );
    }
}
