//! The plan -> the database, in one transaction under a per-tenant advisory lock.
//!
//! Root rows (personas, org rows) are upserted on (tenant_id, slug) through a temporary table;
//! the nested rows of every deployed root are deleted and written again, so a second run leaves
//! exactly the same rows. Every table is written in bulk with COPY, never a round trip per row.

use std::collections::{BTreeMap, HashSet};

use anyhow::{Context, Result, bail};
use generated::{SqlValue, TableMeta};
use serde::Serialize;
use sqlx::{AssertSqlSafe, PgConnection, Postgres, Transaction};
use uuid::Uuid;

use crate::document::RowInput;
use crate::plan::{ExistingIds, Plan, PlannedRow};
use crate::sqltext;
use crate::vocabulary::vocabulary;

#[derive(Clone, Copy, Debug, Default)]
pub struct DeployOptions {
    /// Roll back at the end: report what would change.
    pub dry_run: bool,
    /// Only add nested rows to existing roots whose tables are empty (`--fix-medical-affairs`).
    pub backfill: bool,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct TableOutcome {
    pub table: &'static str,
    pub rows_before: i64,
    pub rows_written: u64,
    pub rows_after: i64,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct DeployReport {
    pub tenant_id: Uuid,
    pub dry_run: bool,
    pub roots_created: usize,
    pub roots_updated: usize,
    pub tables: Vec<TableOutcome>,
}

impl DeployReport {
    pub fn rows_written(&self) -> u64 {
        self.tables.iter().map(|t| t.rows_written).sum()
    }
}

/// Takes the per-tenant lock (held until the transaction ends) and checks the tenant exists.
pub async fn lock_tenant(tx: &mut Transaction<'_, Postgres>, tenant: Uuid) -> Result<()> {
    sqlx::query(sqltext::LOCK_TENANT)
        .persistent(false)
        .bind(tenant.to_string())
        .execute(&mut **tx)
        .await
        .context("taking the per-tenant advisory lock")?;
    let exists: Option<i32> = sqlx::query_scalar(sqltext::TENANT_EXISTS)
        .persistent(false)
        .bind(tenant)
        .fetch_optional(&mut **tx)
        .await
        .context("looking up the tenant")?;
    if exists.is_none() {
        bail!(
            "tenant {tenant} does not exist in table tenants: create it first (nothing was written)"
        );
    }
    Ok(())
}

/// Ids of the root rows the documents name (as rows or as references) that already exist.
pub async fn existing_ids(
    conn: &mut PgConnection,
    tenant: Uuid,
    roots: &[RowInput],
) -> Result<ExistingIds> {
    let v = vocabulary();
    let mut slugs: BTreeMap<&'static str, HashSet<String>> = BTreeMap::new();
    for row in roots.iter().flat_map(RowInput::walk) {
        if let (Some(_), Some(slug)) = (v.root_of_table(row.table.name), row.slug()) {
            slugs
                .entry(row.table.name)
                .or_default()
                .insert(slug.to_string());
        }
        for r in &row.refs {
            slugs
                .entry(r.reference.target_table)
                .or_default()
                .insert(r.slug.clone());
        }
    }
    let mut out = ExistingIds::new();
    for (table, wanted) in slugs {
        let Some(root) = v.root_of_table(table) else {
            continue;
        };
        let wanted: Vec<String> = wanted.into_iter().collect();
        let rows: Vec<(String, Uuid)> =
            sqlx::query_as(AssertSqlSafe(sqltext::select_ids_by_slug(root)))
                .persistent(false)
                .bind(tenant)
                .bind(&wanted)
                .fetch_all(&mut *conn)
                .await
                .with_context(|| format!("looking up {table} by slug"))?;
        for (slug, id) in rows {
            out.insert((root.table.name, slug), id);
        }
    }
    Ok(out)
}

/// Writes the plan inside `tx` (which holds the tenant lock). Commit is the caller's.
pub async fn write(
    tx: &mut Transaction<'_, Postgres>,
    plan: &Plan,
    existing: &ExistingIds,
    options: DeployOptions,
) -> Result<DeployReport> {
    let v = vocabulary();
    let tenant = plan.tenant_id;
    let mut report = DeployReport {
        tenant_id: tenant,
        dry_run: options.dry_run,
        ..Default::default()
    };
    let mut before: BTreeMap<&str, i64> = BTreeMap::new();
    for tp in &plan.tables {
        before.insert(tp.table.name, count_rows(tx, tp.table, tenant).await?);
    }
    let existing_root_ids: HashSet<Uuid> = existing.values().copied().collect();
    let mut written: BTreeMap<&str, u64> = BTreeMap::new();

    // Roots: upsert (or, when backfilling, leave alone).
    let mut deployed_roots: Vec<(&'static TableMeta, Vec<Uuid>)> = vec![];
    for tp in plan
        .tables
        .iter()
        .filter(|t| v.root_of_table(t.table.name).is_some())
    {
        let ids: Vec<Uuid> = tp.rows.iter().map(|r| r.id).collect();
        let created = ids
            .iter()
            .filter(|id| !existing_root_ids.contains(id))
            .count();
        if options.backfill {
            let present: Vec<Uuid> = ids
                .iter()
                .copied()
                .filter(|id| existing_root_ids.contains(id))
                .collect();
            deployed_roots.push((tp.table, present));
            continue;
        }
        report.roots_created += created;
        report.roots_updated += ids.len() - created;
        let n = upsert_roots(tx, tp.table, &tp.rows).await?;
        written.insert(tp.table.name, n);
        deployed_roots.push((tp.table, ids));
    }

    // Nested rows: replace those of every deployed root (children cascade to grandchildren, and
    // are deleted deepest first anyway so that no FK rule can stop it).
    let root_names: HashSet<&str> = deployed_roots.iter().map(|(t, _)| t.name).collect();
    let mut skip_parents: HashSet<Uuid> = HashSet::new();
    if options.backfill {
        // Only roots whose nested table is empty get rows; remember (table, root) pairs to fill.
        for tp in plan
            .tables
            .iter()
            .filter(|t| t.table.parent.is_some() && crate::plan::nests_under(t.table, &root_names))
        {
            let Some(link) = &tp.table.parent else {
                continue;
            };
            if !root_names.contains(link.table) {
                continue;
            }
            for (_, ids) in &deployed_roots {
                let filled: Vec<Uuid> = sqlx::query_scalar(AssertSqlSafe(
                    sqltext::parents_with_rows(tp.table, link.column),
                ))
                .persistent(false)
                .bind(ids)
                .fetch_all(&mut **tx)
                .await?;
                for id in filled {
                    skip_parents.insert(child_key(tp.table.name, id));
                }
            }
        }
    } else {
        for tp in plan.tables.iter().rev() {
            if tp.table.parent.is_none() || !crate::plan::nests_under(tp.table, &root_names) {
                continue;
            }
            let (root_table, ids) = deployed_roots
                .iter()
                .find(|(t, _)| t.name == root_of(tp.table))
                .map(|(t, ids)| (t.name, ids.clone()))
                .unwrap_or_default();
            if ids.is_empty() {
                continue;
            }
            sqlx::query(AssertSqlSafe(sqltext::delete_nested(tp.table, root_table)))
                .persistent(false)
                .bind(&ids)
                .execute(&mut **tx)
                .await
                .with_context(|| format!("replacing the rows of {}", tp.table.name))?;
        }
    }
    let allowed_roots: HashSet<Uuid> = deployed_roots
        .iter()
        .flat_map(|(_, ids)| ids.iter().copied())
        .collect();
    for tp in plan.tables.iter().filter(|t| t.table.parent.is_some()) {
        let rows: Vec<&PlannedRow> = tp
            .rows
            .iter()
            .filter(|r| allowed_roots.contains(&r.root_id))
            .filter(|r| {
                !options.backfill || !skip_parents.contains(&child_key(tp.table.name, r.root_id))
            })
            .collect();
        if rows.is_empty() {
            continue;
        }
        let n = copy_rows(tx, tp.table, &rows).await?;
        written.insert(tp.table.name, n);
    }

    for tp in &plan.tables {
        report.tables.push(TableOutcome {
            table: tp.table.name,
            rows_before: before[tp.table.name],
            rows_written: written.get(tp.table.name).copied().unwrap_or(0),
            rows_after: count_rows(tx, tp.table, tenant).await?,
        });
    }
    Ok(report)
}

/// A key for "this root already has rows in this table" (backfill).
fn child_key(table: &str, root: Uuid) -> Uuid {
    Uuid::new_v5(&root, table.as_bytes())
}

/// The root table a nested table hangs under.
fn root_of(table: &TableMeta) -> &'static str {
    let mut current = table.parent.as_ref().map(|p| p.table).unwrap_or(table.name);
    while let Some(t) = generated::table(current).and_then(|t| t.parent.as_ref()) {
        current = t.table;
    }
    current
}

async fn count_rows(
    tx: &mut Transaction<'_, Postgres>,
    table: &TableMeta,
    tenant: Uuid,
) -> Result<i64> {
    let Some(sql) = sqltext::count_for_tenant(table) else {
        return Ok(0);
    };
    sqlx::query_scalar(AssertSqlSafe(sql))
        .persistent(false)
        .bind(tenant)
        .fetch_one(&mut **tx)
        .await
        .with_context(|| format!("counting {}", table.name))
}

/// Upsert on (tenant_id, slug), one statement per column set.
async fn upsert_roots(
    tx: &mut Transaction<'_, Postgres>,
    table: &TableMeta,
    rows: &[PlannedRow],
) -> Result<u64> {
    let mut total = 0;
    for (columns, group) in crate::plan::group_by_columns(rows.iter()) {
        let source = sqltext::rows_from_json(table.name, &columns);
        total += sqlx::query(AssertSqlSafe(sqltext::upsert(table, &columns, &source)))
            .persistent(false)
            .bind(rows_json(&group))
            .execute(&mut **tx)
            .await
            .with_context(|| format!("upserting into {}", table.name))?
            .rows_affected();
    }
    Ok(total)
}

async fn copy_rows(
    tx: &mut Transaction<'_, Postgres>,
    table: &TableMeta,
    rows: &[&PlannedRow],
) -> Result<u64> {
    let mut total = 0;
    for (columns, group) in crate::plan::group_by_columns(rows.iter().copied()) {
        total += insert_rows(tx, table.name, table.name, &columns, &group).await?;
    }
    Ok(total)
}

/// Inserts `rows` into `target` (a table of `table_type`'s shape) in one statement: the rows
/// travel as one JSON parameter and PostgreSQL's own input functions read each value, as COPY
/// would. (COPY through sqlx waits on Nagle's algorithm for ~40 ms per table over TCP: sqlx
/// sets no TCP_NODELAY and sends CopyDone as a separate write.)
pub async fn insert_rows(
    tx: &mut Transaction<'_, Postgres>,
    table_type: &str,
    target: &str,
    columns: &[&str],
    rows: &[&PlannedRow],
) -> Result<u64> {
    let source = sqltext::rows_from_json(table_type, columns);
    Ok(sqlx::query(AssertSqlSafe(sqltext::insert_values(
        target, columns, &source,
    )))
    .persistent(false)
    .bind(rows_json(rows))
    .execute(&mut **tx)
    .await
    .with_context(|| format!("writing {} rows into {target}", rows.len()))?
    .rows_affected())
}

/// The rows as a JSON array of objects: JSON values for json/jsonb columns, otherwise the text
/// the column type's input function reads (so arrays, enums, numerics need no JSON mapping).
/// Serialized straight from the plan, without an intermediate `serde_json::Value`.
fn rows_json(rows: &[&PlannedRow]) -> String {
    serde_json::to_string(&RowsJson(rows)).expect("plan values always serialize")
}

struct RowsJson<'a>(&'a [&'a PlannedRow]);

impl serde::Serialize for RowsJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|row| RowJson(row)))
    }
}

struct RowJson<'a>(&'a PlannedRow);

impl serde::Serialize for RowJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.values.len()))?;
        for (column, value) in &self.0.values {
            match value {
                SqlValue::Json(v) => map.serialize_entry(column, v)?,
                SqlValue::Text(text) => map.serialize_entry(column, text)?,
                other => map.serialize_entry(column, &other.to_text())?,
            }
        }
        map.end()
    }
}
