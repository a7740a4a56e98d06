//! Rows to deploy -> a validated plan: every row of every table, its id made here, parents
//! first, each value already converted through the generated types. Deploy, dry-run,
//! `--emit-sql` and verify all read this one plan.
//!
//! Ids are deterministic: a root row (persona, function, ...) keeps the id it has in the
//! database, or gets a UUIDv5 of (tenant, table, slug); a nested row gets a UUIDv5 of (parent id,
//! table, position). A second run therefore plans exactly the same rows.

use std::collections::{BTreeMap, HashMap, HashSet};

use generated::{FieldError, SqlValue, TABLES, TableMeta};
use serde_json::Value as Json;
use uuid::Uuid;

use crate::document::RowInput;
use crate::problem::Problem;
use crate::rules;
use crate::vocabulary::vocabulary;

/// Namespace of the seeder's UUIDv5 ids.
const ID_NAMESPACE: Uuid = Uuid::from_u128(0x6c1e_0f8a_52b3_4c57_9d0e_7a3c_2b19_d4e1);

/// Ids of root rows that already exist for the tenant: (table, slug) -> id.
pub type ExistingIds = HashMap<(&'static str, String), Uuid>;

#[derive(Clone, Debug)]
pub struct PlannedRow {
    pub id: Uuid,
    /// The root row (persona, function, ...) this row hangs below; its own id for a root.
    pub root_id: Uuid,
    /// Converted values in column order, only the columns the input gives (and the loader's).
    pub values: Vec<(&'static str, SqlValue)>,
    /// For root rows: the slug.
    pub slug: Option<String>,
    /// Where the row came from, for messages and for verify's comparison.
    pub source: String,
}

#[derive(Clone, Debug)]
pub struct TablePlan {
    pub table: &'static TableMeta,
    pub rows: Vec<PlannedRow>,
}

#[derive(Clone, Debug)]
pub struct Plan {
    pub tenant_id: Uuid,
    /// In the generated parent-first order; only tables with rows, plus the child tables of
    /// deployed roots (their rows are replaced even when the input has none).
    pub tables: Vec<TablePlan>,
    /// References planned with a placeholder id ([`References::Deferred`]): another unit of
    /// input or the database must resolve them.
    pub deferred: Vec<DeferredReference>,
}

/// A reference by slug to a root row the planned input does not define.
#[derive(Clone, Debug)]
pub struct DeferredReference {
    /// The target root row: (table, slug).
    pub target: (&'static str, String),
    /// What is reported when nothing defines it.
    pub unresolved: Problem,
    /// Made by a nested row (not a root row).
    pub from_nested_row: bool,
}

impl Plan {
    pub fn table(&self, name: &str) -> Option<&TablePlan> {
        self.tables.iter().find(|t| t.table.name == name)
    }

    pub fn row_count(&self) -> usize {
        self.tables.iter().map(|t| t.rows.len()).sum()
    }

    /// Ids of the root rows of `table` this plan deploys.
    pub fn root_ids(&self, table: &str) -> Vec<Uuid> {
        self.table(table)
            .map(|t| t.rows.iter().map(|r| r.id).collect())
            .unwrap_or_default()
    }
}

pub fn root_id(tenant: Uuid, table: &str, slug: &str) -> Uuid {
    Uuid::new_v5(&ID_NAMESPACE, format!("{tenant}/{table}/{slug}").as_bytes())
}

fn child_id(parent: Uuid, table: &str, index: usize) -> Uuid {
    Uuid::new_v5(&parent, format!("{table}/{index}").as_bytes())
}

/// How references by slug that nothing in the input defines are treated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum References {
    /// Each must name a row of the input or of `ExistingIds`.
    Checked,
    /// They are looked up later, in the database (a pre-check before connecting).
    Deferred,
}

/// Validates every row and builds the plan; all problems at once, or the plan.
pub fn plan(
    roots: &[RowInput],
    tenant_id: Uuid,
    existing: &ExistingIds,
) -> Result<Plan, Vec<Problem>> {
    plan_with(roots, tenant_id, existing, References::Checked)
}

pub fn plan_with(
    roots: &[RowInput],
    tenant_id: Uuid,
    existing: &ExistingIds,
    references: References,
) -> Result<Plan, Vec<Problem>> {
    let mut problems = vec![];
    let v = vocabulary();

    // 1. Ids of root rows, and duplicate slugs.
    let mut ids: HashMap<(&'static str, String), Uuid> = HashMap::new();
    let mut first_seen: HashMap<(&'static str, String), String> = HashMap::new();
    for row in roots {
        let Some(root) = v.root_of_table(row.table.name) else {
            continue;
        };
        let Some(slug) = row.slug() else {
            problems.push(problem(
                row,
                &format!("{}.{}", row.path, root.slug_column),
                None,
                format!("{} needs a slug (text, unique per tenant)", row.table.name),
            ));
            continue;
        };
        let key = (row.table.name, slug.to_string());
        if let Some(first) = first_seen.get(&key) {
            problems.push(problem(
                row,
                &format!("{}.slug", row.path),
                Some(format!("'{slug}'")),
                format!(
                    "duplicate slug: {} '{slug}' is already defined at {first}",
                    row.table.name
                ),
            ));
            continue;
        }
        first_seen.insert(
            key.clone(),
            format!("{}:{} ({})", row.file.display(), row.pos, row.path),
        );
        let id = existing
            .get(&key)
            .copied()
            .unwrap_or_else(|| root_id(tenant_id, row.table.name, slug));
        ids.insert(key, id);
    }

    // Other unique keys of root rows (org_functions: UNIQUE (tenant_id, name)) across the input.
    for root in &v.roots {
        for key in root.table.unique_keys {
            let columns: Vec<&str> = key
                .iter()
                .copied()
                .filter(|c| *c != root.tenant_column)
                .collect();
            if columns.is_empty() || columns == [root.slug_column] {
                continue;
            }
            let mut seen: HashMap<String, &RowInput> = HashMap::new();
            for row in roots.iter().filter(|r| r.table.name == root.table.name) {
                let values: Vec<String> = columns
                    .iter()
                    .map(|c| {
                        row.field(c)
                            .map_or("null".into(), |f| f.node.to_json().to_string())
                    })
                    .collect();
                if values.iter().all(|v| v == "null") {
                    continue;
                }
                let joined = values.join(", ");
                match seen.get(&joined) {
                    Some(first) => problems.push(Problem {
                        file: row.file.clone(),
                        pos: Some(row.field(columns[0]).map_or(row.pos, |f| f.node.pos)),
                        path: format!("{}.{}", row.path, columns.join("+")),
                        value: Some(joined.clone()),
                        message: format!(
                            "{} is UNIQUE ({}) per tenant; {} ({}:{}) has the same",
                            root.table.name,
                            columns.join(", "),
                            first.path,
                            first.file.display(),
                            first.pos
                        ),
                    }),
                    None => {
                        seen.insert(joined, row);
                    }
                }
            }
        }
    }

    // 2. Every row, converted through the generated types.
    let mut by_table: BTreeMap<&'static str, Vec<PlannedRow>> = BTreeMap::new();
    let mut deferred = vec![];
    for row in roots {
        let Some(slug) = row.slug() else { continue };
        let Some(&id) = ids.get(&(row.table.name, slug.to_string())) else {
            continue;
        };
        plan_row(
            row,
            id,
            id,
            None,
            tenant_id,
            &ids,
            existing,
            Resolution {
                references,
                deferred: &mut deferred,
            },
            &mut by_table,
            &mut problems,
        );
    }
    problems.extend(rules::check_all(roots));
    if !problems.is_empty() {
        return Err(crate::problem::sorted(problems));
    }

    // Child tables of deployed roots are part of the plan even when empty: their rows are
    // replaced, so a row removed from a document is removed from the database.
    let deployed_roots: HashSet<&str> = by_table
        .keys()
        .copied()
        .filter(|t| v.root_of_table(t).is_some())
        .collect();
    let mut tables = vec![];
    for table in TABLES {
        let rows = by_table.remove(table.name).unwrap_or_default();
        let under_deployed_root = nests_under(table, &deployed_roots);
        if !rows.is_empty() || under_deployed_root {
            tables.push(TablePlan { table, rows });
        }
    }
    Ok(Plan {
        tenant_id,
        tables,
        deferred,
    })
}

/// Whether `table` hangs (at any depth) below one of `roots`.
pub fn nests_under(table: &TableMeta, roots: &HashSet<&str>) -> bool {
    let mut parent = table.parent.as_ref();
    while let Some(p) = parent {
        if roots.contains(p.table) {
            return true;
        }
        parent = generated::table(p.table).and_then(|t| t.parent.as_ref());
    }
    false
}

/// How `plan_row` treats references nothing in the input defines, and where it notes those
/// it deferred.
struct Resolution<'a> {
    references: References,
    deferred: &'a mut Vec<DeferredReference>,
}

#[allow(clippy::too_many_arguments)]
fn plan_row(
    row: &RowInput,
    id: Uuid,
    root_id: Uuid,
    parent: Option<(&'static str, Uuid)>,
    tenant_id: Uuid,
    ids: &HashMap<(&'static str, String), Uuid>,
    existing: &ExistingIds,
    resolution: Resolution<'_>,
    out: &mut BTreeMap<&'static str, Vec<PlannedRow>>,
    problems: &mut Vec<Problem>,
) {
    let table = row.table;
    // (column, value) pairs rather than a JSON object: no name hashed or copied per field.
    let mut map: Vec<(&str, Json)> = Vec::with_capacity(row.fields.len() + 3 + row.refs.len());
    // The loader's own values replace what a document gives for the same column.
    fn set<'a>(map: &mut Vec<(&'a str, Json)>, column: &'a str, value: Json) {
        match map.iter_mut().find(|(c, _)| *c == column) {
            Some(slot) => slot.1 = value,
            None => map.push((column, value)),
        }
    }
    // A row's fields name each column once (the reader refuses a column given twice), so they
    // go in as they are; only the loader's values below look for a slot. Should a column come
    // twice anyway (a group repeating a reference's column), the last one wins, as with `set`.
    if has_repeated_column(&row.fields) {
        for f in &row.fields {
            set(&mut map, f.column, f.node.to_json());
        }
    } else {
        map.extend(row.fields.iter().map(|f| (f.column, f.node.to_json())));
    }
    if let Some(pk) = table.primary_key.first() {
        set(&mut map, pk, Json::String(id.to_string()));
    }
    if crate::tenancy::has_tenant_column(table) {
        set(
            &mut map,
            crate::tenancy::TENANT_COLUMN,
            Json::String(tenant_id.to_string()),
        );
    }
    if let Some((column, parent_id)) = parent {
        set(&mut map, column, Json::String(parent_id.to_string()));
    }
    for r in &row.refs {
        let key = (r.reference.target_table, r.slug.clone());
        match ids.get(&key).or_else(|| existing.get(&key)) {
            Some(target) => {
                set(
                    &mut map,
                    r.reference.column.name,
                    Json::String(target.to_string()),
                );
            }
            None => {
                let unresolved = Problem {
                    file: row.file.clone(),
                    pos: Some(r.pos),
                    path: format!("{}.{}", row.path, r.reference.key),
                    value: Some(format!("'{}'", r.slug)),
                    message: format!(
                        "no {} with slug '{}' for this tenant, in the database or in the org documents given",
                        r.reference.target_table, r.slug
                    ),
                };
                if resolution.references == References::Deferred {
                    resolution.deferred.push(DeferredReference {
                        target: key,
                        unresolved,
                        from_nested_row: parent.is_some(),
                    });
                    set(
                        &mut map,
                        r.reference.column.name,
                        Json::String(Uuid::nil().to_string()),
                    );
                } else {
                    problems.push(unresolved);
                }
            }
        }
    }
    match (table.from_json)(&map) {
        Ok(values) => {
            out.entry(table.name).or_default().push(PlannedRow {
                id,
                root_id,
                values,
                slug: row.slug().map(str::to_string),
                source: format!("{}:{} {}", row.file.display(), row.pos, row.path),
            });
        }
        Err(errors) => {
            for e in errors {
                problems.push(field_problem(row, &e));
            }
        }
    }

    // Children: unique keys inside this parent, then each child row.
    for section in crate::vocabulary::vocabulary().child_sections(table.name) {
        let children: Vec<&RowInput> = row
            .children
            .iter()
            .filter(|c| c.table.name == section.table.name)
            .collect();
        for key in &section.unique_within_parent {
            let mut seen: HashMap<String, &str> = HashMap::new();
            for child in &children {
                let values: Vec<String> = key
                    .iter()
                    .map(|c| {
                        child
                            .field(c)
                            .map_or("null".into(), |f| f.node.to_json().to_string())
                    })
                    .collect();
                if values.iter().all(|v| v == "null") {
                    continue;
                }
                let joined = values.join(", ");
                if let Some(first) = seen.get(&joined) {
                    let at = child.field(key[0]).map_or(child.pos, |f| f.key_pos);
                    problems.push(Problem {
                        file: child.file.clone(),
                        pos: Some(at),
                        path: format!("{}.{}", child.path, key.join("+")),
                        value: Some(joined.clone()),
                        message: format!(
                            "{} allows one row per {} and ({}) within one {}; {first} has the same",
                            section.table.name,
                            table.name,
                            key.join(", "),
                            table.name
                        ),
                    });
                } else {
                    seen.insert(joined, &child.path);
                }
            }
        }
        if section.one_per_parent && children.len() > 1 {
            problems.push(Problem {
                file: row.file.clone(),
                pos: Some(children[1].pos),
                path: children[1].path.clone(),
                value: None,
                message: format!(
                    "{} holds one row per {}; {} given",
                    section.table.name,
                    table.name,
                    children.len()
                ),
            });
        }
        for (i, child) in children.iter().enumerate() {
            let cid = child_id(id, child.table.name, i);
            plan_row(
                child,
                cid,
                root_id,
                Some((section.parent_column, id)),
                tenant_id,
                ids,
                existing,
                Resolution {
                    references: resolution.references,
                    deferred: &mut *resolution.deferred,
                },
                out,
                problems,
            );
        }
    }
}

/// Whether two fields name the same column (compared by content: not every row comes from the
/// reader, whose column names are the metadata's own strings).
fn has_repeated_column(fields: &[crate::document::FieldInput]) -> bool {
    let mut columns: Vec<&str> = fields.iter().map(|f| f.column).collect();
    columns.sort_unstable();
    columns.windows(2).any(|w| w[0] == w[1])
}

fn problem(row: &RowInput, path: &str, value: Option<String>, message: String) -> Problem {
    Problem {
        file: row.file.clone(),
        pos: Some(row.pos),
        path: path.to_string(),
        value,
        message,
    }
}

/// A generated type's complaint about one field, placed at that field in the file.
fn field_problem(row: &RowInput, e: &FieldError) -> Problem {
    let field = row.field(&e.column);
    Problem {
        file: row.file.clone(),
        pos: Some(field.map_or(row.pos, |f| f.node.pos)),
        path: format!("{}.{}", row.path, e.column),
        value: field.map(|f| f.node.display_value()),
        message: format!("{}.{}: {}", row.table.name, e.column, e.message),
    }
}

/// Rows grouped by the set of columns they give: COPY cannot ask for a column's DEFAULT per
/// row, so each group is copied with its own column list.
pub fn group_by_columns<'a>(
    rows: impl Iterator<Item = &'a PlannedRow>,
) -> Vec<(Vec<&'static str>, Vec<&'a PlannedRow>)> {
    let mut groups: Vec<(Vec<&'static str>, Vec<&'a PlannedRow>)> = vec![];
    // Compared in place: most rows join the group of the row before, no list built per row.
    let gives = |cols: &[&str], row: &PlannedRow| {
        cols.len() == row.values.len() && cols.iter().zip(&row.values).all(|(c, (v, _))| c == v)
    };
    for row in rows {
        match groups.iter_mut().rev().find(|(c, _)| gives(c, row)) {
            Some((_, g)) => g.push(row),
            None => groups.push((row.values.iter().map(|(c, _)| *c).collect(), vec![row])),
        }
    }
    groups
}
