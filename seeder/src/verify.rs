//! After a deploy: personas per function, rows per table, orphans for every foreign key,
//! personas whose extension tables are empty, and (given the input) a row-by-row comparison.
//! Every query comes from the generated metadata.

use std::collections::{BTreeMap, HashSet};

use anyhow::{Context, Result};
use generated::{TABLES, TableMeta};
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
    /// Rows of each persona (the selected ones) in every table below it: the heat map of
    /// `verify --html` and the coverage line per function.
    pub persona_tables: PersonaTables,
}

/// Each persona's row count in each table nested below it (children and grandchildren).
#[derive(Clone, Debug, Default, Serialize)]
pub struct PersonaTables {
    /// The tables below the persona roots, in the metadata's (parent-first) order.
    pub tables: Vec<String>,
    /// Ordered by function, then slug.
    pub personas: Vec<PersonaCounts>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct PersonaCounts {
    pub slug: String,
    /// The persona's display name (as written by the user), when the table has one.
    pub name: Option<String>,
    pub function: String,
    /// Aligned with [`PersonaTables::tables`].
    pub counts: Vec<i64>,
}

/// One function's line of coverage: its personas, and the tables where any of them has rows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Coverage {
    pub function: String,
    pub personas: usize,
    pub tables: usize,
    /// Tables with rows per persona: the fewest, and the median.
    pub tables_per_persona_min: usize,
    pub tables_per_persona_median: usize,
}

impl PersonaTables {
    /// Per function (in the order the personas are listed).
    pub fn coverage(&self) -> Vec<Coverage> {
        let mut out: Vec<(Coverage, Vec<bool>, Vec<usize>)> = vec![];
        for p in &self.personas {
            let i = match out.iter().position(|(c, _, _)| c.function == p.function) {
                Some(i) => i,
                None => {
                    out.push((
                        Coverage {
                            function: p.function.clone(),
                            personas: 0,
                            tables: 0,
                            tables_per_persona_min: 0,
                            tables_per_persona_median: 0,
                        },
                        vec![false; self.tables.len()],
                        vec![],
                    ));
                    out.len() - 1
                }
            };
            let (c, filled, per_persona) = &mut out[i];
            c.personas += 1;
            per_persona.push(p.counts.iter().filter(|n| **n > 0).count());
            for (f, n) in filled.iter_mut().zip(&p.counts) {
                *f |= *n > 0;
            }
        }
        out.into_iter()
            .map(|(mut c, filled, mut per_persona)| {
                c.tables = filled.iter().filter(|f| **f).count();
                per_persona.sort_unstable();
                c.tables_per_persona_min = per_persona.first().copied().unwrap_or(0);
                c.tables_per_persona_median =
                    per_persona.get(per_persona.len() / 2).copied().unwrap_or(0);
                c
            })
            .collect()
    }
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
    let mut selected_roots: Vec<(&'static str, Uuid, String, String)> = vec![];
    for root in &v.roots {
        let Some(reference) = v
            .references(root.table.name)
            .iter()
            .find(|r| r.target_table == crate::columns::ORG_FUNCTIONS)
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
                *per.entry(function.clone()).or_default() += 1;
                selected_roots.push((root.table.name, id, slug, function));
            }
        }
        report.personas_per_function = per.into_iter().collect();
    }

    report.persona_tables = persona_table_counts(&mut *conn, tenant, &selected_roots).await?;

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
    let ids: Vec<Uuid> = selected_roots.iter().map(|(_, id, _, _)| *id).collect();
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
        .filter(|(table, id, _, _)| !v.child_sections(table).is_empty() && !has_rows.contains(id))
        .map(|(_, _, slug, _)| slug.clone())
        .collect();

    if let Some(plan) = plan {
        compare_with_plan(conn, plan, &mut report).await?;
    }
    Ok(report)
}

/// The tables nested (at any depth) below `root`, in metadata order.
fn tables_below(root: &str) -> Vec<&'static TableMeta> {
    TABLES
        .iter()
        .filter(|t| t.parent.is_some() && crate::plan::nests_under(t, &HashSet::from([root])))
        .collect()
}

/// One statement giving, for every table below `root`, each of the tenant's (`$1`) roots with
/// rows in it: rows of (table, root id, rows). Grandchildren are joined up to their root.
pub fn count_per_root_sql(root: &TableMeta, tables: &[&TableMeta]) -> Option<String> {
    let scope = sqltext::tenant_scope(root)?;
    let parts: Vec<String> = tables
        .iter()
        .filter_map(|t| {
            let mut from = format!("{} t0", sqltext::qualified(t.name));
            let mut current: &TableMeta = t;
            let mut depth = 0;
            loop {
                let link = current.parent.as_ref()?;
                if link.table == root.name {
                    return Some(format!(
                        "SELECT {}::text, t{depth}.{col}, count(*) FROM {from} WHERE t{depth}.{col} IN (SELECT id FROM {} WHERE {scope}) GROUP BY 2",
                        generated::quote_literal(t.name),
                        sqltext::qualified(root.name),
                        col = sqltext::quote_ident(link.column),
                    ));
                }
                let parent = generated::table(link.table)?;
                from.push_str(&format!(
                    " JOIN {} t{next} ON t{next}.id = t{depth}.{}",
                    sqltext::qualified(parent.name),
                    sqltext::quote_ident(link.column),
                    next = depth + 1
                ));
                current = parent;
                depth += 1;
            }
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join("\nUNION ALL\n"))
}

/// The heat map's counts: one statement per persona root table (one in this schema), never
/// one per persona.
async fn persona_table_counts(
    conn: &mut PgConnection,
    tenant: Uuid,
    selected: &[(&'static str, Uuid, String, String)],
) -> Result<PersonaTables> {
    let mut roots: Vec<&'static str> = selected.iter().map(|(t, _, _, _)| *t).collect();
    roots.sort_unstable();
    roots.dedup();
    let mut out = PersonaTables::default();
    let mut per_root: Vec<(&'static str, Vec<&'static TableMeta>)> = vec![];
    for root in &roots {
        let tables = tables_below(root);
        if tables.is_empty() {
            // Org rows (departments, roles) name a function too; they have no nested tables.
            continue;
        }
        out.tables.extend(tables.iter().map(|t| t.name.to_string()));
        per_root.push((root, tables));
    }
    let mut counts: BTreeMap<(Uuid, &str), i64> = BTreeMap::new();
    let mut names: BTreeMap<Uuid, String> = BTreeMap::new();
    for (root, tables) in &per_root {
        let Some(meta) = generated::table(root) else {
            continue;
        };
        if let Some(sql) = count_per_root_sql(meta, tables) {
            let rows: Vec<(String, Uuid, i64)> = sqlx::query_as(AssertSqlSafe(sql))
                .persistent(false)
                .bind(tenant)
                .fetch_all(&mut *conn)
                .await
                .with_context(|| format!("counting the rows below each of {root}"))?;
            for (table, id, n) in rows {
                if let Some(t) = tables.iter().find(|t| t.name == table) {
                    counts.insert((id, t.name), n);
                }
            }
        }
        if let (Some(name), Some(scope)) = (
            meta.column(crate::columns::NAME),
            sqltext::tenant_scope(meta),
        ) {
            let sql = format!(
                "SELECT id, {}::text FROM {} WHERE {scope}",
                sqltext::quote_ident(name.name),
                sqltext::qualified(meta.name)
            );
            let rows: Vec<(Uuid, Option<String>)> = sqlx::query_as(AssertSqlSafe(sql))
                .persistent(false)
                .bind(tenant)
                .fetch_all(&mut *conn)
                .await?;
            names.extend(rows.into_iter().filter_map(|(id, n)| Some((id, n?))));
        }
    }
    for (root, id, slug, function) in selected {
        if !per_root.iter().any(|(r, _)| r == root) {
            continue;
        }
        out.personas.push(PersonaCounts {
            slug: slug.clone(),
            name: names.get(id).cloned(),
            function: function.clone(),
            counts: out
                .tables
                .iter()
                .map(|t| {
                    per_root
                        .iter()
                        .find(|(r, _)| r == root)
                        .filter(|(_, ts)| ts.iter().any(|x| x.name == t))
                        .map_or(0, |_| counts.get(&(*id, t.as_str())).copied().unwrap_or(0))
                })
                .collect(),
        });
    }
    out.personas
        .sort_by(|a, b| (&a.function, &a.slug).cmp(&(&b.function, &b.slug)));
    Ok(out)
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
