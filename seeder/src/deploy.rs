//! The plan -> the database, in one transaction under a per-tenant advisory lock.
//!
//! Root rows (personas, org rows) are upserted on (tenant_id, slug), and left untouched when
//! the input gives them as they are. Nested rows keep deterministic ids; those of a root that
//! is new are written straight into their tables, those of a root that existed go to a
//! temporary stage per table and column set first, and [`Writer::finish`] then writes only the
//! differences: rows no longer in the input deleted, changed rows updated, new rows inserted,
//! unchanged rows not touched (no new row version, `created_at` kept). Everything is written in
//! bulk, never a round trip per row: with `COPY .. FROM STDIN` on a direct connection, with one
//! `INSERT .. SELECT FROM json_populate_recordset($1)` per table and batch through a pooler
//! (which may not pass COPY on), and one set-based statement per table and stage for the
//! differences.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use generated::{SqlValue, TableMeta};
use sqlx::{AssertSqlSafe, PgConnection, Postgres, Transaction};
use uuid::Uuid;

use crate::differences::{self, Stage, Step, root_of};
use crate::document::RowInput;
use crate::emit_sql::{Parameter, Sink};
use crate::job::Progress;
use crate::plan::{ExistingIds, Plan, PlannedRow};
use crate::sqltext;
use crate::vocabulary::vocabulary;
pub use documents::outcome::{DeployReport, TableOutcome};

#[derive(Clone, Copy, Debug, Default)]
pub struct DeployOptions {
    /// Roll back at the end: report what would change.
    pub dry_run: bool,
    /// Only add nested rows to existing roots whose tables are empty (`--fix-medical-affairs`).
    pub backfill: bool,
    /// Write each unit of input once it has passed while later units are still read
    /// (`--overlap`, see `pipeline`); everything is still validated before COMMIT.
    pub overlap: bool,
}

/// Takes the per-tenant lock (held until the transaction ends) and checks the tenant exists.
pub async fn lock_tenant(tx: &mut Transaction<'_, Postgres>, tenant: Uuid) -> Result<()> {
    sqlx::query(sqltext::LOCK_TENANT)
        .persistent(false)
        .bind(tenant.to_string())
        .execute(&mut **tx)
        .await
        .context("taking the per-tenant advisory lock")?;
    let exists: Option<i32> = sqlx::query_scalar(AssertSqlSafe(sqltext::tenant_exists()))
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

/// The root rows that `roots` name, as rows or as references: table -> slugs.
pub fn wanted_slugs(roots: &[RowInput]) -> BTreeMap<&'static str, HashSet<String>> {
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
    slugs
}

/// Ids of the root rows in `slugs` (table -> slugs) that already exist for the tenant.
pub async fn existing_ids(
    conn: &mut PgConnection,
    tenant: Uuid,
    slugs: BTreeMap<&'static str, HashSet<String>>,
) -> Result<ExistingIds> {
    let v = vocabulary();
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

/// How nested rows travel to the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// COPY text format, for `COPY .. FROM STDIN`: the fastest way in (direct connections).
    Copy,
    /// A JSON array of objects for `json_populate_recordset`: a plain statement, which every
    /// pooler passes on.
    Json,
}

impl Encoding {
    /// What to prepare before connecting: COPY unless a pooler sits in between.
    pub fn for_pooler(pooler: pg::connect::Pooler) -> Encoding {
        match pooler {
            pg::connect::Pooler::None => Encoding::Copy,
            _ => Encoding::Json,
        }
    }

    /// `self`, unless row-level security applies to the role on a nested table of `plan`:
    /// PostgreSQL refuses `COPY FROM` there ("COPY FROM not supported with row-level
    /// security"), so JSON it is.
    pub async fn for_tables(
        self,
        tx: &mut Transaction<'_, Postgres>,
        plan: &Plan,
    ) -> Result<Encoding> {
        let tables: Vec<&str> = plan
            .tables
            .iter()
            .filter(|t| t.table.parent.is_some())
            .map(|t| t.table.name)
            .collect();
        self.for_table_names(tx, &tables).await
    }

    /// [`Encoding::for_tables`] for every nested table: before anything of the input is known.
    pub async fn for_nested_tables(self, tx: &mut Transaction<'_, Postgres>) -> Result<Encoding> {
        let tables: Vec<&str> = generated::TABLES
            .iter()
            .filter(|t| t.parent.is_some())
            .map(|t| t.name)
            .collect();
        self.for_table_names(tx, &tables).await
    }

    async fn for_table_names(
        self,
        tx: &mut Transaction<'_, Postgres>,
        tables: &[&str],
    ) -> Result<Encoding> {
        if self == Encoding::Json {
            return Ok(self);
        }
        let secured: bool = sqlx::query_scalar(AssertSqlSafe(sqltext::row_security_active()))
            .persistent(false)
            .bind(tables)
            .fetch_one(&mut **tx)
            .await
            .context("checking for row-level security")?;
        Ok(if secured { Encoding::Json } else { self })
    }
}

/// The rows of one statement, serialized ahead of time (off the async task when streaming).
#[derive(Debug)]
pub struct Payload {
    pub table: &'static TableMeta,
    pub columns: Vec<&'static str>,
    pub rows: usize,
    pub encoding: Encoding,
    /// The serialized rows; COPY payloads may come in several chunks (sent one after the
    /// other in one COPY), a JSON payload is one chunk.
    pub chunks: Vec<String>,
    /// Where each row came from, for an error the database raises on one of them.
    pub places: RowPlaces,
}

/// Where the rows of a payload came from, in payload order: a file (by index) and the row's
/// line and column there, 12 bytes a row, so that "COPY t, line N" names the input row.
#[derive(Clone, Debug, Default)]
pub struct RowPlaces {
    files: Vec<Arc<str>>,
    rows: Vec<(u32, u32, u32)>,
}

impl RowPlaces {
    /// The places of `rows` (a row's source is `file:line:col path`).
    fn of(rows: &[&PlannedRow]) -> RowPlaces {
        let mut places = RowPlaces::default();
        for row in rows {
            let place = row.source.split(' ').next().unwrap_or_default();
            let mut parts = place.rsplitn(3, ':');
            let col = parts.next().and_then(|c| c.parse().ok()).unwrap_or(0);
            let line = parts.next().and_then(|l| l.parse().ok()).unwrap_or(0);
            let file = parts.next().unwrap_or(place);
            let index = places.file_index(file);
            places.rows.push((index, line, col));
        }
        places
    }

    fn file_index(&mut self, file: &str) -> u32 {
        match self.files.iter().rposition(|f| &**f == file) {
            Some(i) => i as u32,
            None => {
                self.files.push(Arc::from(file));
                (self.files.len() - 1) as u32
            }
        }
    }

    /// `other`'s rows after these (payloads joined into one statement).
    fn append(&mut self, other: RowPlaces) {
        for (file, line, col) in other.rows {
            let index = self.file_index(&other.files[file as usize]);
            self.rows.push((index, line, col));
        }
    }

    /// The distinct files, in order of first row.
    pub fn files(&self) -> String {
        self.files
            .iter()
            .map(|f| &**f)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// `file:line:col` of the payload's row `index` (0-based).
    pub fn row(&self, index: usize) -> Option<String> {
        let (file, line, col) = *self.rows.get(index)?;
        Some(format!("{}:{line}:{col}", self.files[file as usize]))
    }

    /// The memory the places take, counted with the payload it describes.
    pub fn bytes(&self) -> usize {
        self.rows.len() * std::mem::size_of::<(u32, u32, u32)>()
    }
}

impl Payload {
    pub fn bytes(&self) -> usize {
        self.chunks.iter().map(String::len).sum()
    }
}

/// Payloads of several batches as one: a COPY per table and column set instead of one per
/// batch, parents first. (JSON payloads cannot be joined and stay as they are.)
pub fn merge_payloads(batches: Vec<Vec<Payload>>) -> Vec<Payload> {
    let mut merged: Vec<Payload> = vec![];
    for p in batches.into_iter().flatten() {
        let same = merged.iter_mut().find(|m| {
            p.encoding == Encoding::Copy
                && m.encoding == Encoding::Copy
                && m.table.name == p.table.name
                && m.columns == p.columns
        });
        match same {
            Some(m) => {
                m.rows += p.rows;
                m.chunks.extend(p.chunks);
                m.places.append(p.places);
            }
            None => merged.push(p),
        }
    }
    // Generated order is parent-first; the sort is stable, so column sets keep their order.
    let position = |name: &str| generated::TABLES.iter().position(|t| t.name == name);
    merged.sort_by_key(|p| position(p.table.name));
    merged
}

/// The nested rows of `plan` that `keep` accepts, as payloads in parent-first table order, one
/// per table and column set.
pub fn nested_payloads(
    plan: &Plan,
    encoding: Encoding,
    keep: impl Fn(&TableMeta, &PlannedRow) -> bool,
) -> Vec<Payload> {
    let mut out = vec![];
    for tp in plan.tables.iter().filter(|t| t.table.parent.is_some()) {
        let rows: Vec<&PlannedRow> = tp.rows.iter().filter(|r| keep(tp.table, r)).collect();
        for (columns, group) in crate::plan::group_by_columns(rows.into_iter()) {
            out.push(Payload {
                table: tp.table,
                columns,
                rows: group.len(),
                encoding,
                chunks: vec![match encoding {
                    Encoding::Copy => copy_text(&group),
                    Encoding::Json => rows_json(&group),
                }],
                places: RowPlaces::of(&group),
            });
        }
    }
    out
}

/// A deploy's writes in three steps: [`Writer::add_roots`] upserts root rows (once, or once per
/// step of units), [`Writer::insert`] writes nested rows (straight into their tables below new
/// roots, into stages below roots that existed), [`Writer::finish`] writes the staged rows'
/// differences and reports.
///
/// Row counts after the deploy are derived, not counted again: under the tenant lock the
/// tenant's rows change only by what this transaction deletes and adds, and PostgreSQL says
/// how many rows each DELETE, UPDATE, upsert and COPY touched (`seeder verify` counts for
/// real).
pub struct Writer {
    report: DeployReport,
    tables: Vec<&'static TableMeta>,
    before: BTreeMap<&'static str, i64>,
    counts: BTreeMap<&'static str, RowCounts>,
    /// Deployed roots that existed before this deploy, per root table: their nested rows are
    /// compared with the input's (staged) instead of written straight.
    compared_roots: BTreeMap<&'static str, Vec<Uuid>>,
    /// The input's rows below roots that existed, and how many each stage holds.
    stages: Vec<(Stage, u64)>,
    filter: RowFilter,
    options: DeployOptions,
    progress: Option<Arc<Progress>>,
    /// Where the writing statements go (reads always go to the transaction).
    sink: Sink,
}

/// What happened to the rows of one table.
#[derive(Clone, Copy, Debug, Default)]
struct RowCounts {
    unchanged: u64,
    updated: u64,
    inserted: u64,
    deleted: u64,
}

/// Which nested rows of the input are written: those whose root is deployed and, when
/// backfilling, has no rows in that table yet.
#[derive(Clone, Debug, Default)]
pub struct RowFilter {
    allowed_roots: HashSet<Uuid>,
    /// Backfill: (table, root) pairs that already have rows.
    skip_parents: HashSet<Uuid>,
    backfill: bool,
}

impl RowFilter {
    /// Whether some nested rows of deployed roots are left out (a backfill).
    pub fn leaves_out_rows(&self) -> bool {
        self.backfill
    }

    /// A backfill judges a grandchild by the child table it hangs from: below a root that
    /// already has rows there, the grandchildren exist too (they share the deterministic ids).
    pub fn keeps(&self, table: &TableMeta, row: &PlannedRow) -> bool {
        self.allowed_roots.contains(&row.root_id)
            && !(self.backfill
                && self
                    .skip_parents
                    .contains(&child_key(top_child(table).name, row.root_id)))
    }
}

impl Writer {
    /// A writer that has written nothing yet.
    pub fn new(tenant: Uuid, before: BTreeMap<&'static str, i64>, options: DeployOptions) -> Self {
        Writer {
            report: DeployReport {
                tenant_id: tenant,
                dry_run: options.dry_run,
                ..Default::default()
            },
            tables: vec![],
            before,
            counts: BTreeMap::new(),
            compared_roots: BTreeMap::new(),
            stages: vec![],
            filter: RowFilter {
                backfill: options.backfill,
                ..RowFilter::default()
            },
            options,
            progress: None,
            sink: Sink::Database,
        }
    }

    /// Writes its statements into `sink` instead of the transaction (`--emit-sql`).
    pub fn writing_into(mut self, sink: Sink) -> Self {
        self.sink = sink;
        self
    }

    /// Counts the rows it writes into `progress` (a job's, when it has one).
    pub fn counting_into(mut self, progress: Option<Arc<Progress>>) -> Self {
        self.progress = progress;
        self
    }

    fn count_written(&self, rows: u64) {
        if let Some(p) = &self.progress {
            p.rows_written(rows);
        }
    }

    /// Upserts the root rows of `plan` (unless backfilling: then it notes which roots already
    /// have nested rows), added to what this writer has done (a deploy that writes unit by unit
    /// calls it once per step). `existing`: the root rows the database held before this
    /// deploy; their nested rows are compared with the input's at [`Writer::finish`].
    pub async fn add_roots(
        &mut self,
        tx: &mut Transaction<'_, Postgres>,
        plan: &Plan,
        existing: &ExistingIds,
    ) -> Result<()> {
        let v = vocabulary();
        let options = self.options;
        let writer = self;
        for t in &plan.tables {
            note_table(&mut writer.tables, t.table);
        }
        let existing_root_ids: HashSet<Uuid> = existing.values().copied().collect();

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
            // Rows the upsert touched: the created ones and the ones with other values.
            let touched = match upsert_roots(tx, &mut writer.sink, tp.table, &tp.rows).await? {
                // A script has run nothing yet: as if every root it upserts were new or changed.
                0 if matches!(writer.sink, Sink::Script(_)) => created as u64,
                n => n,
            };
            writer.count_written(touched);
            let changed = touched.saturating_sub(created as u64);
            writer.report.roots_created += created;
            writer.report.roots_updated += changed as usize;
            writer.report.roots_unchanged += ids.len() - created - changed as usize;
            let counts = writer.counts.entry(tp.table.name).or_default();
            counts.inserted += created as u64;
            counts.updated += changed;
            counts.unchanged += (ids.len() - created) as u64 - changed;
            writer
                .compared_roots
                .entry(tp.table.name)
                .or_default()
                .extend(ids.iter().filter(|id| existing_root_ids.contains(id)));
            deployed_roots.push((tp.table, ids));
        }

        // Nested rows: replace those of every deployed root (children cascade to
        // grandchildren, and are deleted deepest first anyway so that no FK rule can stop it).
        let root_names: HashSet<&str> = deployed_roots.iter().map(|(t, _)| t.name).collect();
        if options.backfill {
            // Only roots whose nested table is empty get rows; remember (table, root) pairs.
            for tp in plan.tables.iter().filter(|t| {
                t.table.parent.is_some() && crate::plan::nests_under(t.table, &root_names)
            }) {
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
                        writer
                            .filter
                            .skip_parents
                            .insert(child_key(tp.table.name, id));
                    }
                }
            }
        }
        writer
            .filter
            .allowed_roots
            .extend(deployed_roots.into_iter().flat_map(|(_, ids)| ids));
        Ok(())
    }

    /// Whether the rows of nested `table` go to a stage: some deployed root they hang under
    /// existed before this deploy.
    fn stages_table(&self, table: &TableMeta) -> bool {
        self.compared_roots
            .get(root_of(table))
            .is_some_and(|ids| !ids.is_empty())
    }

    /// The stage of `table` and `columns` (its index), created on first use.
    async fn stage_for(
        &mut self,
        tx: &mut Transaction<'_, Postgres>,
        table: &'static TableMeta,
        columns: &[&'static str],
    ) -> Result<usize> {
        if let Some(i) = self
            .stages
            .iter()
            .position(|(s, _)| s.table.name == table.name && s.columns == columns)
        {
            return Ok(i);
        }
        let stage = Stage::new(self.stages.len(), table, columns);
        self.sink
            .execute(tx, &stage.create(), None)
            .await
            .with_context(|| format!("staging the rows of {}", table.name))?;
        self.stages.push((stage, 0));
        Ok(self.stages.len() - 1)
    }

    /// The staged rows compared with the tenant's ([`crate::differences`]): only what differs
    /// is written; unchanged rows are not touched.
    async fn write_differences(&mut self, tx: &mut Transaction<'_, Postgres>) -> Result<()> {
        if self.stages.is_empty() && self.compared_roots.values().all(Vec::is_empty) {
            return Ok(());
        }
        if let Some(p) = &self.progress {
            p.phase("writing the differences");
        }
        let stages: Vec<Stage> = self.stages.iter().map(|(s, _)| s.clone()).collect();
        let before = &self.before;
        let statements = differences::statements(&stages, &self.compared_roots, |t| {
            before.get(t.name).is_some_and(|n| *n > 0)
        });
        // Per stage: rows changed in place, or deleted to be written again.
        let mut changed: BTreeMap<usize, (u64, bool)> = BTreeMap::new();
        for statement in statements {
            let table = statement.table;
            let n = self
                .sink
                .execute(tx, &statement.sql, statement.roots.map(Parameter::Ids))
                .await
                .with_context(|| format!("writing the differences in {}", table.name))?;
            note_table(&mut self.tables, table);
            let counts = self.counts.entry(table.name).or_default();
            match statement.step {
                Step::DeleteRemoved => counts.deleted += n,
                Step::UpdateChanged(i) => {
                    changed.insert(i, (n, false));
                }
                Step::DeleteChanged(i) => {
                    changed.insert(i, (n, true));
                }
                Step::InsertNew(i) => {
                    let (changed, rewritten) = changed.get(&i).copied().unwrap_or_default();
                    // A row written again whole counts once, as updated.
                    let new = if rewritten { n - changed } else { n };
                    counts.updated += changed;
                    counts.inserted += new;
                    counts.unchanged += self.stages[i].1 - changed - new;
                    if let Some(p) = &self.progress {
                        p.rows_written(changed + new);
                    }
                }
            }
        }
        Ok(())
    }

    /// Which nested rows are to be written.
    pub fn filter(&self) -> Arc<RowFilter> {
        Arc::new(self.filter.clone())
    }

    /// Writes payloads of nested rows, in the order given (parents first).
    pub async fn insert(
        &mut self,
        tx: &mut Transaction<'_, Postgres>,
        payloads: Vec<Payload>,
    ) -> Result<()> {
        for p in payloads {
            let name = p.table.name;
            let files = p.places.files();
            let stage = if self.stages_table(p.table) {
                Some(self.stage_for(tx, p.table, &p.columns).await?)
            } else {
                None
            };
            let (copy_sql, json_target) = match stage {
                Some(i) => {
                    let name = &self.stages[i].0.name;
                    (
                        sqltext::copy_into_temporary(name, &p.columns),
                        sqltext::temporary(name),
                    )
                }
                None => (
                    sqltext::copy_from_stdin(name, &p.columns),
                    sqltext::qualified(name),
                ),
            };
            let n = match p.encoding {
                Encoding::Copy => copy_in(tx, &mut self.sink, &copy_sql, name, p.chunks, p.rows)
                    .await
                    .map_err(|e| {
                        // PostgreSQL counts COPY lines from 1, one line a row.
                        let row = copy_line(&e).and_then(|line| p.places.row(line - 1));
                        match row {
                            Some(row) => e.context(format!("the row from {row}")),
                            None => e.context(format!("rows from {files}")),
                        }
                    })?,
                Encoding::Json => {
                    let mut total = 0;
                    for json in p.chunks {
                        total += insert_json(
                            tx,
                            &mut self.sink,
                            name,
                            &json_target,
                            &p.columns,
                            json,
                            p.rows,
                        )
                        .await
                        .with_context(|| format!("rows from {files}"))?;
                    }
                    total
                }
            };
            note_table(&mut self.tables, p.table);
            match stage {
                Some(i) => self.stages[i].1 += n,
                None => {
                    self.count_written(n);
                    self.counts.entry(name).or_default().inserted += n;
                }
            }
        }
        Ok(())
    }

    /// Writes the differences of the staged rows ([`Writer::write_differences`]) and reports:
    /// per table, rows before and after, and how many were unchanged, updated, inserted and
    /// deleted.
    pub async fn finish(
        mut self,
        tx: &mut Transaction<'_, Postgres>,
    ) -> Result<(DeployReport, Sink)> {
        self.write_differences(tx).await?;
        let position = |name: &str| generated::TABLES.iter().position(|t| t.name == name);
        self.tables.sort_by_key(|t| position(t.name));
        for table in &self.tables {
            let before = self.before.get(table.name).copied().unwrap_or(0);
            let c = self.counts.get(table.name).copied().unwrap_or_default();
            self.report.tables.push(TableOutcome {
                table: table.name,
                rows_before: before,
                unchanged: c.unchanged,
                updated: c.updated,
                inserted: c.inserted,
                deleted: c.deleted,
                rows_written: c.updated + c.inserted,
                rows_after: before - c.deleted as i64 + c.inserted as i64,
            });
        }
        Ok((self.report, self.sink))
    }
}

/// `table` among the tables of the report (once).
fn note_table(tables: &mut Vec<&'static TableMeta>, table: &'static TableMeta) {
    if !tables.iter().any(|t| t.name == table.name) {
        tables.push(table);
    }
}

/// A key for "this root already has rows in this table" (backfill).
fn child_key(table: &str, root: Uuid) -> Uuid {
    Uuid::new_v5(&root, table.as_bytes())
}

/// The ancestor of a nested `table` (or itself) that hangs directly under a root table.
fn top_child(table: &TableMeta) -> &TableMeta {
    let mut current: &TableMeta = table;
    while let Some(parent) = current
        .parent
        .as_ref()
        .and_then(|p| generated::table(p.table))
    {
        if parent.parent.is_none() {
            break;
        }
        current = parent;
    }
    current
}

/// The tenant's row count of every table that holds tenant rows, in one round trip.
pub async fn count_tables(
    conn: &mut PgConnection,
    tenant: Uuid,
) -> Result<BTreeMap<&'static str, i64>> {
    let tables: Vec<&'static TableMeta> = generated::TABLES.iter().collect();
    let Some(sql) = sqltext::count_each_for_tenant(&tables) else {
        return Ok(BTreeMap::new());
    };
    let counts: Vec<(String, i64)> = sqlx::query_as(AssertSqlSafe(sql))
        .persistent(false)
        .bind(tenant)
        .fetch_all(conn)
        .await
        .context("counting the tenant's rows")?;
    Ok(tables
        .iter()
        .filter_map(|t| {
            let n = counts.iter().find(|(name, _)| name == t.name)?.1;
            Some((t.name, n))
        })
        .collect())
}

/// Root rows per upsert statement.
const ROOTS_PER_UPSERT: usize = 500;

/// Upsert on (tenant_id, slug), one statement per column set and [`ROOTS_PER_UPSERT`] rows.
async fn upsert_roots(
    tx: &mut Transaction<'_, Postgres>,
    sink: &mut Sink,
    table: &TableMeta,
    rows: &[PlannedRow],
) -> Result<u64> {
    let mut total = 0;
    for (columns, group) in crate::plan::group_by_columns(rows.iter()) {
        let sql = sqltext::upsert(
            table,
            &columns,
            &sqltext::rows_from_json(table.name, &columns),
        );
        // Bounded statements: a root row can be wide, and thousands of them as one JSON text
        // (plus its copy in the connection's buffer) would be a memory peak of their own.
        for part in group.chunks(ROOTS_PER_UPSERT) {
            total += sink
                .execute(tx, &sql, Some(Parameter::Json(rows_json(part))))
                .await
                .with_context(|| format!("upserting into {}", table.name))?;
        }
    }
    Ok(total)
}

/// Inserts `rows` into `target` (a table of `table_type`'s shape) in one statement: the rows
/// travel as one JSON parameter and PostgreSQL's own input functions read each value, as COPY
/// would.
pub async fn insert_rows(
    tx: &mut Transaction<'_, Postgres>,
    table_type: &str,
    target: &str,
    columns: &[&str],
    rows: &[&PlannedRow],
) -> Result<u64> {
    let json = rows_json(rows);
    insert_json(
        tx,
        &mut Sink::Database,
        table_type,
        target,
        columns,
        json,
        rows.len(),
    )
    .await
}

async fn insert_json(
    tx: &mut Transaction<'_, Postgres>,
    sink: &mut Sink,
    table_type: &str,
    target: &str,
    columns: &[&str],
    json: String,
    rows: usize,
) -> Result<u64> {
    let source = sqltext::rows_from_json(table_type, columns);
    let sql = sqltext::insert_values(target, columns, &source);
    let written = sink.execute(tx, &sql, Some(Parameter::Json(json))).await;
    let written = written.with_context(|| format!("writing {rows} rows into {table_type}"))?;
    // A script has run nothing yet: its rows count as written once it runs.
    Ok(if matches!(sink, Sink::Script(_)) {
        rows as u64
    } else {
        written
    })
}

/// `COPY .. FROM STDIN` of COPY-text `data`.
async fn copy_in(
    tx: &mut Transaction<'_, Postgres>,
    sink: &mut Sink,
    statement: &str,
    table: &str,
    chunks: Vec<String>,
    rows: usize,
) -> Result<u64> {
    sink.copy(tx, statement, chunks, rows)
        .await
        .with_context(|| format!("writing {rows} rows into {table} (COPY)"))
}

/// The line of a COPY statement the database refused (its error context says `COPY t, line N`).
pub fn copy_line(error: &anyhow::Error) -> Option<usize> {
    let db_error = pg::connect::database_error(error)?;
    let pg = db_error.try_downcast_ref::<sqlx::postgres::PgDatabaseError>()?;
    let after = copy_context(pg)?.split(", line ").nth(1)?;
    let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok().filter(|&n| n > 0)
}

/// The line of the error's context that names the COPY statement and its input line
/// (`COPY persona_goals, line 2: "..."`).
pub fn copy_context(pg: &sqlx::postgres::PgDatabaseError) -> Option<&str> {
    pg.r#where()?.lines().find(|l| l.starts_with("COPY "))
}

/// The rows in COPY text format: tab-separated fields, `\N` for NULL, backslash escapes;
/// each value is the text the column type's input function reads.
fn copy_text(rows: &[&PlannedRow]) -> String {
    let mut out = String::new();
    for row in rows {
        for (i, (_, value)) in row.values.iter().enumerate() {
            if i > 0 {
                out.push('\t');
            }
            copy_field_into(&mut out, value);
        }
        out.push('\n');
    }
    out
}

/// One field in COPY text format, appended to `out`: the text of [`SqlValue::to_text`],
/// escaped. Ids, numbers, booleans and plain arrays are written in place (no string made per
/// value: this runs for every value of every nested row).
fn copy_field_into(out: &mut String, value: &SqlValue) {
    use std::fmt::Write as _;
    match value {
        SqlValue::Null => out.push_str("\\N"),
        SqlValue::Text(text) => copy_escape_into(out, text),
        SqlValue::Uuid(id) => {
            out.push_str(id.hyphenated().encode_lower(&mut Uuid::encode_buffer()))
        }
        SqlValue::Int(i) => {
            let _ = write!(out, "{i}");
        }
        SqlValue::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        SqlValue::TextArray(items)
            if !items.iter().any(|i| {
                i.bytes()
                    .any(|b| matches!(b, b'\\' | b'"' | b'\t' | b'\n' | b'\r'))
            }) =>
        {
            // generated::array_literal, with nothing in it to escape (neither for the array
            // literal nor for COPY).
            out.push('{');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push('"');
                out.push_str(item);
                out.push('"');
            }
            out.push('}');
        }
        other => match other.to_text() {
            Some(text) => copy_escape_into(out, &text),
            None => out.push_str("\\N"),
        },
    }
}

/// COPY text escaping, appended to `out` (no allocation for the usual text without escapes).
fn copy_escape_into(out: &mut String, text: &str) {
    if text
        .bytes()
        .any(|b| matches!(b, b'\\' | b'\t' | b'\n' | b'\r'))
    {
        out.push_str(&generated::copy_escape(text));
    } else {
        out.push_str(text);
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The in-place COPY writer gives exactly what the generated types' own text gives.
    #[test]
    fn fields_written_in_place_equal_the_generated_copy_text() {
        let values = [
            SqlValue::Null,
            SqlValue::Text("plain".into()),
            SqlValue::Text("tab\there\\ and \r\n lines".into()),
            SqlValue::Uuid(Uuid::from_u128(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef)),
            SqlValue::Int(-42),
            SqlValue::Int(i64::MAX),
            SqlValue::Bool(true),
            SqlValue::Bool(false),
            SqlValue::TextArray(vec![]),
            SqlValue::TextArray(vec!["a".into(), "b c".into(), "é, 😀".into()]),
            SqlValue::TextArray(vec![
                "quote \"".into(),
                "back\\slash".into(),
                "tab\t".into(),
            ]),
            SqlValue::Decimal("12.50".parse().unwrap()),
            SqlValue::Json(serde_json::json!({"a": "b\tc"})),
        ];
        for value in values {
            let mut out = String::new();
            copy_field_into(&mut out, &value);
            let expected = value.to_copy_text().unwrap_or_else(|| "\\N".into());
            assert_eq!(out, expected, "{value:?}");
        }
    }
}
