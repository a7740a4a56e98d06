//! After a deploy: personas per function, rows per table, orphans for every foreign key,
//! personas whose extension tables are empty, and (given the input) a row-by-row comparison.
//! Every query comes from the generated metadata.

use std::collections::{BTreeMap, HashSet};

use anyhow::{Context, Result};
use generated::TABLES;
use serde::Serialize;
use sqlx::{Acquire, AssertSqlSafe, PgConnection};
use uuid::Uuid;

use crate::plan::Plan;
use crate::sqltext;
use crate::vocabulary::vocabulary;

#[derive(Clone, Debug, Default, Serialize)]
pub struct VerifyReport {
    pub tenant_id: Uuid,
    /// (function slug, personas) for the tenant.
    pub personas_per_function: Vec<(String, i64)>,
    /// (table, rows of the tenant), every table below a tenant.
    pub rows_per_table: Vec<(String, i64)>,
    /// (table, foreign key, orphan rows) where non-zero.
    pub orphans: Vec<(String, String, i64)>,
    /// (persona slug, extension tables without a row for it) where all are empty.
    pub personas_without_extensions: Vec<String>,
    /// Differences between the database and the input, when the input was given.
    pub mismatches: Vec<String>,
    pub compared_rows: usize,
}

impl VerifyReport {
    pub fn ok(&self) -> bool {
        self.orphans.is_empty()
            && self.mismatches.is_empty()
            && self.personas_without_extensions.is_empty()
    }
}

/// Reads the report for `tenant` (limited to `functions` when not empty), comparing with `plan`.
pub async fn verify(
    conn: &mut PgConnection,
    tenant: Uuid,
    functions: &[String],
    plan: Option<&Plan>,
) -> Result<VerifyReport> {
    let v = vocabulary();
    let mut report = VerifyReport {
        tenant_id: tenant,
        ..Default::default()
    };

    // Personas (root rows that reference a function) per function.
    let mut selected_roots: Vec<(&'static str, Uuid, String)> = vec![];
    for root in &v.roots {
        let Some(reference) = v
            .references(root.table.name)
            .iter()
            .find(|r| r.target_table == "org_functions")
        else {
            continue;
        };
        let Some(target) = v.root_of_table(reference.target_table) else {
            continue;
        };
        let rows: Vec<(Uuid, String, Option<String>)> = sqlx::query_as(AssertSqlSafe(
            sqltext::roots_by_reference(root, reference.column.name, target),
        ))
        .persistent(false)
        .bind(tenant)
        .fetch_all(&mut *conn)
        .await?;
        let mut per: BTreeMap<String, i64> = BTreeMap::new();
        for (id, slug, function) in rows {
            let function = function.unwrap_or_else(|| "(no function)".into());
            if functions.is_empty() || functions.contains(&function) {
                *per.entry(function).or_default() += 1;
                selected_roots.push((root.table.name, id, slug));
            }
        }
        report.personas_per_function = per.into_iter().collect();
    }

    let counts = crate::deploy::count_tables(&mut *conn, tenant).await?;
    for table in TABLES {
        if let Some(n) = counts.get(table.name) {
            report.rows_per_table.push((table.name.to_string(), *n));
        }
        for fk in table.foreign_keys {
            let n: i64 = sqlx::query_scalar(AssertSqlSafe(sqltext::count_orphans(table.name, fk)))
                .persistent(false)
                .fetch_one(&mut *conn)
                .await
                .with_context(|| format!("checking {} for orphans", fk.name))?;
            if n > 0 {
                report
                    .orphans
                    .push((table.name.to_string(), fk.name.to_string(), n));
            }
        }
    }

    // Personas with no row in any of their extension (child) tables.
    let mut has_rows: HashSet<Uuid> = HashSet::new();
    let ids: Vec<Uuid> = selected_roots.iter().map(|(_, id, _)| *id).collect();
    for (_, sections) in v
        .children
        .iter()
        .filter(|(parent, _)| v.root_of_table(parent).is_some())
    {
        for s in sections {
            let present: Vec<Uuid> = sqlx::query_scalar(AssertSqlSafe(sqltext::parents_with_rows(
                s.table,
                s.parent_column,
            )))
            .persistent(false)
            .bind(&ids)
            .fetch_all(&mut *conn)
            .await?;
            has_rows.extend(present);
        }
    }
    report.personas_without_extensions = selected_roots
        .iter()
        .filter(|(table, id, _)| !v.child_sections(table).is_empty() && !has_rows.contains(id))
        .map(|(_, _, slug)| slug.clone())
        .collect();

    if let Some(plan) = plan {
        compare_with_plan(conn, plan, &mut report).await?;
    }
    Ok(report)
}

/// Row by row, by PostgreSQL's own comparison of typed values: the plan's rows are copied into
/// temporary tables (in a transaction that is rolled back) and joined with the real ones.
async fn compare_with_plan(
    conn: &mut PgConnection,
    plan: &Plan,
    report: &mut VerifyReport,
) -> Result<()> {
    let v = vocabulary();
    let mut tx = conn.begin().await?;
    let root_names: HashSet<&str> = plan
        .tables
        .iter()
        .map(|t| t.table.name)
        .filter(|t| v.root_of_table(t).is_some())
        .collect();
    for tp in &plan.tables {
        let temp = format!("verify_{}", tp.table.name);
        sqlx::raw_sql(AssertSqlSafe(sqltext::create_temp_like(&temp, tp.table)))
            .execute(&mut *tx)
            .await?;
        for (columns, rows) in crate::plan::group_by_columns(tp.rows.iter()) {
            crate::deploy::insert_rows(
                &mut tx,
                tp.table.name,
                &sqltext::temporary(&temp),
                &columns,
                &rows,
            )
            .await?;
            let bad: Vec<String> = sqlx::query_scalar(AssertSqlSafe(sqltext::count_mismatches(
                tp.table.name,
                &temp,
                &columns,
            )))
            .persistent(false)
            .fetch_all(&mut *tx)
            .await?;
            for id in bad {
                let source = tp
                    .rows
                    .iter()
                    .find(|r| r.id.to_string() == id)
                    .map_or("", |r| r.source.as_str());
                report.mismatches.push(format!(
                    "{}: row {id} ({source}) is missing or differs from the input",
                    tp.table.name
                ));
            }
            report.compared_rows += rows.len();
            sqlx::raw_sql(AssertSqlSafe(format!(
                "TRUNCATE {}",
                sqltext::temporary(&temp)
            )))
            .execute(&mut *tx)
            .await?;
        }
        // Rows the database holds below the deployed roots that the input does not.
        if tp.table.parent.is_some() {
            let root = root_names
                .iter()
                .find(|r| crate::plan::nests_under(tp.table, &HashSet::from([**r])));
            if let Some(root) = root {
                let ids: Vec<Uuid> = tp.rows.iter().map(|r| r.id).collect();
                let extra: i64 =
                    sqlx::query_scalar(AssertSqlSafe(sqltext::count_extra(tp.table, root)))
                        .persistent(false)
                        .bind(plan.root_ids(root))
                        .bind(&ids)
                        .fetch_one(&mut *tx)
                        .await?;
                if extra > 0 {
                    report.mismatches.push(format!(
                        "{}: {extra} rows below the deployed {root} are not in the input",
                        tp.table.name
                    ));
                }
            }
        }
    }
    tx.rollback().await?;
    Ok(())
}
