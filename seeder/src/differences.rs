//! The statements that turn a tenant's nested rows into the input's, given the input's rows
//! in stages (temporary tables, one per table and column set) for roots that existed: run by
//! the deploy's writer, written out by `--emit-sql`. Set-based: a statement per table and
//! stage, never one per row.
//!
//! Order: rows no longer given are deleted deepest table first (a removed parent's children
//! are not in the stages either); then per table, parents first, changed rows are updated
//! (or, in a table with a UNIQUE key besides the primary key, deleted, since updating rows in
//! place could collide with each other's old values) and rows the table lacks are inserted
//! (written-again rows among them).

use std::collections::BTreeMap;

use generated::TableMeta;
use uuid::Uuid;

use crate::sqltext;

/// The input's rows of one table and column set, in a temporary table.
#[derive(Clone, Debug)]
pub struct Stage {
    pub name: String,
    pub table: &'static TableMeta,
    pub columns: Vec<&'static str>,
}

impl Stage {
    /// The stage number `index` of `table` and `columns`.
    pub fn new(index: usize, table: &'static TableMeta, columns: &[&'static str]) -> Stage {
        Stage {
            name: format!("seeder_stage_{index}"),
            table,
            columns: columns.to_vec(),
        }
    }

    /// `CREATE TEMP TABLE ..`: the table's shape (defaults, NOT NULL), dropped at commit.
    pub fn create(&self) -> String {
        sqltext::create_temp_like(&self.name, self.table)
    }
}

/// What a statement does, for counting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Rows below the compared roots that no stage holds.
    DeleteRemoved,
    /// Rows of stage `0` held with other values, updated in place.
    UpdateChanged(usize),
    /// Rows of stage `0` held with other values, deleted (inserted again by the next step).
    DeleteChanged(usize),
    /// Rows of stage `0` the table lacks.
    InsertNew(usize),
}

/// One statement; `$1`, where the text has it, is the root ids of `roots`.
#[derive(Clone, Debug)]
pub struct Statement<'a> {
    pub table: &'static TableMeta,
    pub step: Step,
    pub sql: String,
    pub roots: Option<&'a [Uuid]>,
}

/// The statements for `stages`, below `compared_roots` (root table -> ids of roots that
/// existed). `may_hold_rows`: whether the tenant may have rows in a table (false skips what
/// could only find none).
pub fn statements<'a>(
    stages: &[Stage],
    compared_roots: &'a BTreeMap<&'static str, Vec<Uuid>>,
    may_hold_rows: impl Fn(&TableMeta) -> bool,
) -> Vec<Statement<'a>> {
    let mut out = vec![];
    for table in generated::TABLES.iter().rev() {
        if table.parent.is_none() || !may_hold_rows(table) {
            continue;
        }
        let root = root_of(table);
        let Some(ids) = compared_roots.get(root).filter(|ids| !ids.is_empty()) else {
            continue;
        };
        let names: Vec<&str> = stages
            .iter()
            .filter(|s| s.table.name == table.name)
            .map(|s| s.name.as_str())
            .collect();
        out.push(Statement {
            table,
            step: Step::DeleteRemoved,
            sql: sqltext::delete_unstaged(table, root, &names),
            roots: Some(ids),
        });
    }
    for table in generated::TABLES.iter() {
        for (i, stage) in stages.iter().enumerate() {
            if stage.table.name != table.name {
                continue;
            }
            let compared = compared_columns(table, &stage.columns);
            if !compared.is_empty() && may_hold_rows(table) {
                let rewrite = table
                    .unique_keys
                    .iter()
                    .any(|key| *key != table.primary_key);
                let (step, sql) = if rewrite {
                    (
                        Step::DeleteChanged(i),
                        sqltext::delete_changed(table, &stage.name, &compared),
                    )
                } else {
                    let touch = table
                        .column(crate::columns::UPDATED_AT)
                        .filter(|c| c.default_varies && !stage.columns.contains(&c.name))
                        .map(|c| c.name);
                    (
                        Step::UpdateChanged(i),
                        sqltext::update_changed(table, &stage.name, &compared, touch),
                    )
                };
                out.push(Statement {
                    table,
                    step,
                    sql,
                    roots: None,
                });
            }
            out.push(Statement {
                table,
                step: Step::InsertNew(i),
                sql: sqltext::insert_unmatched(table, &stage.name, &stage.columns),
                roots: None,
            });
        }
    }
    out
}

/// The columns a re-run compares (and sets) for rows of `table` given with `given` columns:
/// every column a fresh insert of them would fill the same way each time: those given, and
/// those left to a constant default (or NULL). Not the id, not what is worked out per insert
/// (`created_at DEFAULT now()`) unless given, not generated columns.
pub fn compared_columns(table: &TableMeta, given: &[&'static str]) -> Vec<&'static str> {
    table
        .columns
        .iter()
        .filter(|c| c.name != crate::columns::ID && c.insertable)
        .filter(|c| given.contains(&c.name) || !c.default_varies)
        .map(|c| c.name)
        .collect()
}

/// The root table a nested table hangs under.
pub fn root_of(table: &TableMeta) -> &'static str {
    let mut current = table.parent.as_ref().map(|p| p.table).unwrap_or(table.name);
    while let Some(t) = generated::table(current).and_then(|t| t.parent.as_ref()) {
        current = t.table;
    }
    current
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removed_rows_go_deepest_first_then_each_table_parents_first() {
        let goals = generated::persona_goals::META.name;
        let child = generated::TABLES
            .iter()
            .find(|t| t.parent.as_ref().is_some_and(|p| p.table != "personas"))
            .unwrap();
        let parent = generated::table(child.parent.as_ref().unwrap().table).unwrap();
        let stages = vec![
            Stage::new(0, child, &["id"]),
            Stage::new(1, parent, &["id"]),
            Stage::new(2, generated::table(goals).unwrap(), &["id"]),
        ];
        let roots = BTreeMap::from([("personas", vec![Uuid::nil()])]);
        let all = statements(&stages, &roots, |_| true);
        let position = |table: &str, step: fn(&Step) -> bool| {
            all.iter()
                .position(|s| s.table.name == table && step(&s.step))
                .unwrap()
        };
        let deleted = |s: &Step| *s == Step::DeleteRemoved;
        let inserted = |s: &Step| matches!(s, Step::InsertNew(_));
        assert!(position(child.name, deleted) < position(parent.name, deleted));
        assert!(position(parent.name, inserted) < position(child.name, inserted));
        let last_delete = all.iter().rposition(|s| deleted(&s.step)).unwrap();
        let first_write = all.iter().position(|s| !deleted(&s.step)).unwrap();
        assert!(last_delete < first_write);
        // Without rows the tenant could hold, only inserts.
        assert!(
            statements(&stages, &roots, |_| false)
                .iter()
                .all(|s| inserted(&s.step))
        );
    }
}
