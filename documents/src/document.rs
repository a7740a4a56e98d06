//! Spanned tree -> rows to deploy, keyed by the real column names.
//!
//! A document holds top-level sections (`personas:`, `functions:`, `departments:`, `roles:`), or
//! is a list of personas, or one persona. A row's keys are its table's columns, the child
//! sections nested in it, references by slug, or groups (`core_profile:`) whose keys are all of
//! those again. Anything else is a problem, with a suggestion.

use std::path::PathBuf;
use std::sync::Arc;

use generated::TableMeta;

use crate::problem::{Problem, did_you_mean};
use crate::source::{Node, Pos, Value};
use crate::vocabulary::{SlugReference, Vocabulary, vocabulary};

/// One row of input with its nested rows.
#[derive(Clone, Debug)]
pub struct RowInput {
    pub table: &'static TableMeta,
    pub file: Arc<PathBuf>,
    pub path: String,
    pub pos: Pos,
    pub fields: Vec<FieldInput>,
    pub refs: Vec<RefInput>,
    pub children: Vec<RowInput>,
}

#[derive(Clone, Debug)]
pub struct FieldInput {
    pub column: &'static str,
    pub key_pos: Pos,
    pub node: Node,
}

#[derive(Clone, Debug)]
pub struct RefInput {
    pub reference: &'static SlugReference,
    pub slug: String,
    pub pos: Pos,
}

impl RowInput {
    pub fn field(&self, column: &str) -> Option<&FieldInput> {
        self.fields.iter().find(|f| f.column == column)
    }

    /// The slug of a root row, when it has one.
    pub fn slug(&self) -> Option<&str> {
        self.field(crate::columns::SLUG)
            .and_then(|f| f.node.as_str())
    }

    /// Every row of this tree, parents before children.
    pub fn walk(&self) -> Vec<&RowInput> {
        let mut out = vec![self];
        for c in &self.children {
            out.extend(c.walk());
        }
        out
    }
}

/// Reads the rows of one document. Problems are collected, never thrown: the caller reports all.
pub fn rows_of_document(
    file: &Arc<PathBuf>,
    doc: Node,
    problems: &mut Vec<Problem>,
) -> Vec<RowInput> {
    let v = vocabulary();
    let reader = Reader { v, file, problems };
    reader.document(doc)
}

/// Reads one row of `table` from a map node (CSV rows come this way).
pub fn read_row(
    file: &Arc<PathBuf>,
    table: &'static TableMeta,
    path: &str,
    node: Node,
    problems: &mut Vec<Problem>,
) -> Option<RowInput> {
    let mut reader = Reader {
        v: vocabulary(),
        file,
        problems,
    };
    reader.row(table, path.to_string(), node)
}

struct Reader<'a> {
    v: &'static Vocabulary,
    file: &'a Arc<PathBuf>,
    problems: &'a mut Vec<Problem>,
}

impl Reader<'_> {
    fn problem(&mut self, pos: Pos, path: &str, value: Option<String>, message: String) {
        self.problems.push(Problem {
            file: self.file.clone(),
            pos: Some(pos),
            path: path.to_string(),
            value,
            message,
        });
    }

    fn document(mut self, doc: Node) -> Vec<RowInput> {
        let personas = self.v.root(crate::columns::PERSONAS).map(|r| r.table);
        match &doc.value {
            Value::Seq(_) => match personas {
                Some(table) => self.rows(table, crate::columns::PERSONAS, doc),
                None => vec![],
            },
            Value::Map(entries) => {
                let is_section = |k: &str| self.v.root(k).is_some();
                if !entries.iter().any(|e| is_section(&e.key))
                    && entries.iter().any(|e| e.key == crate::columns::SLUG)
                {
                    // One persona on its own.
                    return match personas {
                        Some(table) => self
                            .row(table, "personas[0]".into(), doc)
                            .into_iter()
                            .collect(),
                        None => vec![],
                    };
                }
                let Value::Map(entries) = doc.value else {
                    unreachable!("matched a map above")
                };
                let mut rows = vec![];
                for e in entries {
                    match self.v.root(&e.key) {
                        Some(root) => rows.extend(self.rows(root.table, &e.key, e.node)),
                        None => {
                            let hint =
                                did_you_mean(&e.key, self.v.roots.iter().map(|r| r.key.as_str()));
                            let sections: Vec<&str> =
                                self.v.roots.iter().map(|r| r.key.as_str()).collect();
                            self.problem(
                                e.key_pos,
                                &e.key,
                                None,
                                format!(
                                    "unknown section '{}'; a document holds {}{hint}",
                                    e.key,
                                    sections.join(", ")
                                ),
                            );
                        }
                    }
                }
                rows
            }
            Value::Null => vec![],
            _ => {
                self.problem(
                    doc.pos,
                    "",
                    Some(doc.display_value()),
                    format!(
                        "expected a map of sections or a list of personas, found {}",
                        doc.kind()
                    ),
                );
                vec![]
            }
        }
    }

    /// A list of rows (or, where `single` allows it, one map).
    fn rows(&mut self, table: &'static TableMeta, path: &str, node: Node) -> Vec<RowInput> {
        match node.value {
            Value::Seq(items) => items
                .into_iter()
                .enumerate()
                .filter_map(|(i, item)| self.row(table, format!("{path}[{i}]"), item))
                .collect(),
            Value::Null => vec![],
            _ => {
                self.problem(
                    node.pos,
                    path,
                    Some(node.display_value()),
                    format!(
                        "expected a list of {} rows, found {}",
                        table.name,
                        node.kind()
                    ),
                );
                vec![]
            }
        }
    }

    fn row(&mut self, table: &'static TableMeta, path: String, node: Node) -> Option<RowInput> {
        if node.as_map().is_none() {
            self.problem(
                node.pos,
                &path,
                Some(node.display_value()),
                format!(
                    "expected a map of {} columns, found {}",
                    table.name,
                    node.kind()
                ),
            );
            return None;
        }
        let mut row = RowInput {
            table,
            file: self.file.clone(),
            path,
            pos: node.pos,
            fields: vec![],
            refs: vec![],
            children: vec![],
        };
        self.fill(&mut row, node);
        Some(row)
    }

    /// Reads the keys of `node` (a map) into `row`; groups recurse.
    fn fill(&mut self, row: &mut RowInput, node: Node) {
        let table = row.table;
        let Value::Map(entries) = node.value else {
            return;
        };
        let meanings = self.v.key_meanings(table.name);
        let references = self.v.references(table.name);
        let sections = self.v.child_sections(table.name);
        for e in entries {
            let key = e.key.as_str();
            // Built only for a problem or a nested path: most keys need none.
            let key_path = |row: &RowInput| format!("{}.{key}", row.path);
            let meaning = meanings
                .and_then(|m| m.get(key))
                .copied()
                .unwrap_or_default();
            if let Some(reference) = meaning.reference.map(|i| &references[i]) {
                match &e.node.value {
                    Value::Str(slug) => row.refs.push(RefInput {
                        reference,
                        slug: slug.clone(),
                        pos: e.node.pos,
                    }),
                    Value::Null => {}
                    _ => self.problem(
                        e.node.pos,
                        &key_path(row),
                        Some(e.node.display_value()),
                        format!(
                            "expected the slug of a row of {} (a string), found {}",
                            reference.target_table,
                            e.node.kind()
                        ),
                    ),
                }
                // `role_slug` is also a column of personas: keep the slug there too.
                if reference.also_sets == Some(key) {
                    row.fields.push(FieldInput {
                        column: reference.also_sets.expect("checked"),
                        key_pos: e.key_pos,
                        node: e.node.clone(),
                    });
                }
                continue;
            }
            // `tags` and `metadata` are both a column of personas and a child section
            // (persona_tags, persona_metadata): a list of maps means rows, anything else the
            // column. `persona_tags:` always means the section.
            let section = meaning.section.map(|i| &sections[i]);
            let column = meaning.column.map(|i| &table.columns[i]);
            let rows_shaped = matches!(&e.node.value, Value::Seq(items) if items.iter().any(|i| i.as_map().is_some()));
            let column = if section.is_some() && rows_shaped {
                None
            } else {
                column
            };
            if let Some(column) = column {
                if meaning.loader_column || !column.insertable {
                    let why = if column.insertable {
                        "is filled by the seeder (ids come from slugs and the run's tenant)"
                    } else {
                        "is generated by the database"
                    };
                    self.problem(
                        e.key_pos,
                        &key_path(row),
                        Some(e.node.display_value()),
                        format!("{}.{key} {why}; leave it out", table.name),
                    );
                    continue;
                }
                // Columns are the metadata's own strings: comparing addresses is enough.
                if row
                    .fields
                    .iter()
                    .any(|f| std::ptr::eq(f.column, column.name))
                {
                    self.problem(
                        e.key_pos,
                        &key_path(row),
                        None,
                        format!("{key} is given twice in this row"),
                    );
                    continue;
                }
                row.fields.push(FieldInput {
                    column: column.name,
                    key_pos: e.key_pos,
                    node: e.node,
                });
                continue;
            }
            if let Some(section) = section {
                let child_table = section.table;
                let path = key_path(row);
                let children = match (&e.node.value, section.one_per_parent) {
                    (Value::Map(_), true) => {
                        self.row(child_table, path, e.node).into_iter().collect()
                    }
                    _ => self.rows(child_table, &path, e.node),
                };
                row.children.extend(children);
                continue;
            }
            if matches!(e.node.value, Value::Map(_)) {
                // A group such as core_profile: its keys belong to this row.
                let group_path = key_path(row);
                let saved = std::mem::replace(&mut row.path, group_path);
                self.fill(row, e.node);
                row.path = saved;
                continue;
            }
            let known = self.v.known_keys(table);
            let hint = did_you_mean(key, known.iter().map(String::as_str));
            self.problem(
                e.key_pos,
                &key_path(row),
                None,
                format!(
                    "unknown field '{key}': {} has no such column or section{hint}",
                    table.name
                ),
            );
        }
    }
}
