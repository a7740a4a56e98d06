//! Checks of the input against the tenant's rows in the database, made before anything is
//! written: references to users (`validated_by`, `created_by`, `updated_by`) must name users of
//! the tenant itself, and a root row's UNIQUE keys other than its slug (`org_functions (tenant_id,
//! name)`) must not collide with another row the tenant already has. Both would otherwise fail
//! inside PostgreSQL, with a raw constraint error and no input place, or (a user of another
//! tenant) not fail at all.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::str::FromStr;

use anyhow::{Context, Result};
use generated::TableMeta;
use sqlx::{AssertSqlSafe, PgConnection};
use uuid::Uuid;

use crate::document::RowInput;
use crate::problem::Problem;
use crate::sqltext::{qualified, quote_ident};
use crate::tenancy::{TENANT_COLUMN, is_referenced_tenant_table};
use crate::vocabulary::vocabulary;

/// A field of the input that names a user by id.
#[derive(Clone, Debug)]
pub struct UserRef {
    /// The table referenced (users).
    pub table: &'static str,
    pub id: Uuid,
    /// The field's place, for the problem if the user is not the tenant's.
    pub at: Problem,
}

/// The user references of `rows` and everything below them.
pub fn user_refs(rows: &[RowInput]) -> Vec<UserRef> {
    let mut out = vec![];
    for row in rows.iter().flat_map(RowInput::walk) {
        for (column, table) in user_columns(row.table) {
            let Some(field) = row.field(column) else {
                continue;
            };
            // A value that is no uuid is the generated types' complaint, made elsewhere.
            let Some(id) = field.node.as_str().and_then(|s| Uuid::from_str(s).ok()) else {
                continue;
            };
            out.push(UserRef {
                table,
                id,
                at: Problem {
                    file: row.file.clone(),
                    pos: Some(field.node.pos),
                    path: format!("{}.{column}", row.path),
                    value: Some(field.node.display_value()),
                    message: String::new(),
                },
            });
        }
    }
    out
}

/// The columns of `table` that reference a user: a single-column FK to a table of
/// tenant-owned rows outside the documents.
fn user_columns(table: &TableMeta) -> impl Iterator<Item = (&'static str, &'static str)> + '_ {
    table
        .foreign_keys
        .iter()
        .filter(|fk| {
            fk.columns.len() == 1
                && generated::table(fk.foreign_table).is_some_and(is_referenced_tenant_table)
        })
        .map(|fk| (fk.columns[0], fk.foreign_table))
}

/// Problems of `refs` and of the UNIQUE keys of `roots` (root rows) against the tenant's rows.
pub async fn check(
    conn: &mut PgConnection,
    tenant: Uuid,
    roots: &[RowInput],
    refs: &[UserRef],
) -> Result<Vec<Problem>> {
    let mut problems = check_users(conn, tenant, refs).await?;
    problems.extend(check_unique_keys(conn, tenant, roots).await?);
    Ok(problems)
}

async fn check_users(
    conn: &mut PgConnection,
    tenant: Uuid,
    refs: &[UserRef],
) -> Result<Vec<Problem>> {
    if refs.is_empty() {
        return Ok(vec![]);
    }
    let mut problems = vec![];
    let mut by_table: BTreeMap<&'static str, Vec<&UserRef>> = BTreeMap::new();
    for r in refs {
        by_table.entry(r.table).or_default().push(r);
    }
    for (table, refs) in by_table {
        let wanted: Vec<Uuid> = refs
            .iter()
            .map(|r| r.id)
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let sql = format!(
            "SELECT id FROM {} WHERE {} = $1 AND id = ANY($2)",
            qualified(table),
            quote_ident(TENANT_COLUMN)
        );
        let found: HashSet<Uuid> = sqlx::query_scalar(AssertSqlSafe(sql))
            .persistent(false)
            .bind(tenant)
            .bind(&wanted)
            .fetch_all(&mut *conn)
            .await
            .with_context(|| format!("looking up the {table} rows the input references"))?
            .into_iter()
            .collect();
        problems.extend(refs.iter().filter(|r| !found.contains(&r.id)).map(|r| Problem {
            message: format!(
                "no user with this id in tenant {tenant}: a user reference must name one of the \
                 tenant's own users (table {table})"
            ),
            ..r.at.clone()
        }));
    }
    Ok(problems)
}

/// A UNIQUE key of a root table other than its (tenant, slug) key, that is kept per tenant.
fn other_unique_keys(table: &TableMeta) -> Vec<&'static [&'static str]> {
    let Some(root) = vocabulary().root_of_table(table.name) else {
        return vec![];
    };
    table
        .unique_keys
        .iter()
        .copied()
        .filter(|key| key.contains(&root.tenant_column) && !key.contains(&root.slug_column))
        .collect()
}

async fn check_unique_keys(
    conn: &mut PgConnection,
    tenant: Uuid,
    roots: &[RowInput],
) -> Result<Vec<Problem>> {
    let v = vocabulary();
    let mut by_table: BTreeMap<&'static str, Vec<&RowInput>> = BTreeMap::new();
    for row in roots {
        if !other_unique_keys(row.table).is_empty() {
            by_table.entry(row.table.name).or_default().push(row);
        }
    }
    let mut problems = vec![];
    for (table_name, rows) in by_table {
        let table = rows[0].table;
        let root = v.root_of_table(table_name).expect("a root table");
        // The input's own slugs: a row the input rewrites does not keep its old key.
        let input_slugs: HashSet<&str> = rows.iter().filter_map(|r| r.slug()).collect();
        for key in other_unique_keys(table) {
            let columns: Vec<&str> = key
                .iter()
                .copied()
                .filter(|c| *c != root.tenant_column)
                .collect();
            let values = columns
                .iter()
                .map(|c| format!("{}::text", quote_ident(c)))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "SELECT {}::text, ARRAY[{values}] FROM {} WHERE {} = $1",
                quote_ident(root.slug_column),
                qualified(table_name),
                quote_ident(root.tenant_column),
            );
            let existing: Vec<(String, Vec<Option<String>>)> = sqlx::query_as(AssertSqlSafe(sql))
                .persistent(false)
                .bind(tenant)
                .fetch_all(&mut *conn)
                .await
                .with_context(|| format!("reading the UNIQUE keys of {table_name}"))?;
            let taken: HashMap<Vec<Option<String>>, String> = existing
                .into_iter()
                .filter(|(slug, _)| !input_slugs.contains(slug.as_str()))
                .map(|(slug, values)| (values, slug))
                .collect();
            for row in &rows {
                let values: Vec<Option<String>> = columns
                    .iter()
                    .map(|c| {
                        row.field(c)
                            .and_then(|f| f.node.as_str().map(str::to_owned))
                    })
                    .collect();
                // NULLs never collide in a UNIQUE key.
                if values.iter().any(Option::is_none) {
                    continue;
                }
                let Some(other) = taken.get(&values) else {
                    continue;
                };
                let field = row.field(columns[0]).expect("present");
                problems.push(Problem {
                    file: row.file.clone(),
                    pos: Some(field.node.pos),
                    path: format!("{}.{}", row.path, columns[0]),
                    value: Some(field.node.display_value()),
                    message: format!(
                        "{table_name} '{other}' of this tenant already has this {}: UNIQUE ({}) \
                         allows it once per tenant (rename one of them)",
                        columns.join(", "),
                        key.join(", ")
                    ),
                });
            }
        }
    }
    Ok(problems)
}
