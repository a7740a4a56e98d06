//! `deploy --overlap`: pass 1 and the writes overlap, unit by unit, inside the deploy's one
//! transaction.
//!
//! The default deploy (`run::deploy`, which calls this one) reads and validates every unit before it writes
//! anything, so its time is pass 1 *plus* PostgreSQL's. On 2 cores PostgreSQL's backend uses
//! one core while the seeder's reading could use the other: here the units are surveyed on
//! helper threads in listing order while the connection writes each unit that has passed
//! (its roots upserted, their nested rows replaced, what pass 1 kept sent as COPY). The
//! guarantee a user relies on holds all the same: everything is validated before COMMIT, a
//! problem anywhere (in a unit not written yet, or across units: a slug defined twice, a
//! business function missing) rolls the transaction back, and every problem is reported at
//! once, the database exactly as it was (MVCC: no other session ever sees an uncommitted row).
//! What differs: bad input is found while rows are being written (and rolled back) rather than
//! before, and the tenant lock is taken before the input is read.
//!
//! A unit that needs what a later unit defines (a persona naming an org row that only a later
//! document has) waits: it is written, in the same transaction, as soon as the units it needs
//! are; what still refers to nothing once every unit is read is reported like any other
//! problem.

use anyhow::{Context, Result, bail};

use crate::deploy::{self, DeployOptions, DeployReport, Encoding, Writer, merge_payloads};
use crate::document::RowInput;
use crate::job::{InvalidInput, Job};
use crate::plan::{DeferredReference, ExistingIds, plan};
use crate::problem::{Problem, sorted};
use crate::stream::{
    StreamedUnit, UnitStream, check_across_units, offline_ids_hold, read_again, wanted_slugs,
};
use pg::connect::Db;

/// What writing one step of units came to.
enum Step {
    /// Written; the units at these indices have nested rows that wait for roots a later unit
    /// defines (their own roots are written).
    Written(Vec<usize>),
    /// Their roots refer to roots no unit so far defines: nothing of them was written; the
    /// planner's problems say what is missing, should nothing ever define it.
    Waiting(Vec<Problem>),
    /// The units do not fit the tenant's rows (a user of another tenant, a UNIQUE key taken):
    /// nothing of them was written.
    Invalid(Vec<Problem>),
}

/// lock tenant -> (survey unit -> write unit)* -> checks across units -> commit (or roll back).
pub async fn deploy(db: &Db, job: &Job, options: DeployOptions) -> Result<DeployReport> {
    // Reading starts at once (it only reads files); the connection meanwhile checks the
    // schema, takes the tenant lock and counts the tenant's rows.
    let mut timings = crate::session::Timings::from_env();
    job.progress(|p| p.phase("reading, validating and writing"));
    let mut encoding = Encoding::for_pooler(db.pooler);
    let (mut units, mut problems) = UnitStream::start(job, encoding);
    crate::schema_guard::ensure_same_schema(db).await?;
    let mut tx = crate::session::begin_for(db, job.tenant_id).await?;
    // Pools made elsewhere (a library caller's) did not go through our connect hook.
    pg::nodelay::on_connections_to(&db.pool.connect_options());
    deploy::lock_tenant(&mut tx, job.tenant_id).await?;
    let before = deploy::count_tables(&mut tx, job.tenant_id).await?;
    let secured = encoding.for_nested_tables(&mut tx).await?;
    if secured != encoding {
        // Row-level security applies to the role: no COPY; what was serialized for it goes.
        encoding = secured;
        drop(units);
        (units, problems) = UnitStream::start(job, encoding);
    }
    timings.lap("check schema, lock tenant, count rows (reading meanwhile)");

    let mut writer =
        Writer::new(job.tenant_id, before, options).counting_into(job.progress.clone());
    // Root rows the database held before this deploy, as far as looked up; and those plus
    // the roots written so far: the ids later units plan with.
    let (mut existing, mut known) = (ExistingIds::new(), ExistingIds::new());
    let (mut roots, mut deferred) = (vec![], vec![]);
    let mut write_error = None;
    let mut unit_count = 0;
    // Steps whose roots wait for a later unit's, and units whose nested rows do.
    let mut waiting = Waiting::default();
    while let Some(ready) = units.next_ready(UNITS_PER_STEP).await {
        let mut ready = ready?;
        unit_count += ready.len();
        for unit in &mut ready {
            problems.append(&mut unit.problems);
            roots.extend(unit.roots.iter().cloned());
            deferred.extend(unit.deferred.iter().cloned());
        }
        let count = ready.len();
        if problems.is_empty() && write_error.is_none() {
            waiting.steps.push(ready);
            let mut ctx = StepContext {
                tx: &mut tx,
                job,
                stream: &units,
                writer: &mut writer,
                existing: &mut existing,
                known: &mut known,
                encoding,
            };
            match waiting.write_what_can_be(&mut ctx).await {
                Ok(found) => problems.extend(found),
                // Kept until the input is read whole: bad input wins over a database error.
                Err(e) => write_error = Some(e),
            }
        }
        timings.lap(&format!("{count} unit(s) read, written when ready"));
    }
    if problems.is_empty() && write_error.is_none() {
        // Every unit is read: what still waits refers to something no unit defines.
        problems.extend(waiting.unresolved());
    }
    if problems.is_empty() {
        problems = across_units(job, &roots, &deferred, &known);
    }
    if !problems.is_empty() {
        tx.rollback().await?;
        return Err(InvalidInput(sorted(problems)).into());
    }
    if let Some(e) = write_error {
        return Err(e);
    }
    if unit_count == 0 {
        bail!("no input files found in {:?}", job.inputs);
    }
    crate::validate::ensure_functions_present(job, &roots)?;
    let report = writer.finish(&mut tx).await?;
    job.progress(|p| p.phase("committing"));
    timings.lap("checks across units");
    if options.dry_run {
        tx.rollback().await?;
    } else {
        tx.commit().await.context("committing")?;
    }
    timings.lap("commit");
    Ok(report)
}

/// Units written in one step at most: their kept rows are unpacked together (a few MiB of
/// COPY text each) and sent as one statement per table.
const UNITS_PER_STEP: usize = 8;

/// What a step of writing needs from the deploy.
struct StepContext<'a, 'c> {
    tx: &'a mut sqlx::Transaction<'c, sqlx::Postgres>,
    job: &'a Job,
    stream: &'a UnitStream,
    writer: &'a mut Writer,
    /// Root rows the database held before this deploy, as far as looked up.
    existing: &'a mut ExistingIds,
    /// Those plus the roots written so far: the ids later units plan with.
    known: &'a mut ExistingIds,
    encoding: Encoding,
}

/// Units read but not (wholly) written yet, in reading order.
#[derive(Default)]
struct Waiting {
    /// Steps whose roots wait (nothing of them written), with the planner's last word.
    steps: Vec<Vec<StreamedUnit>>,
    problems: Vec<Vec<Problem>>,
    /// Units whose roots are written and whose nested rows wait.
    nested: Vec<StreamedUnit>,
}

impl Waiting {
    /// Writes every waiting step and unit that can be written now, again while writing one
    /// makes another writable. Returns the problems of units that do not fit the tenant.
    async fn write_what_can_be(&mut self, ctx: &mut StepContext<'_, '_>) -> Result<Vec<Problem>> {
        let mut invalid = vec![];
        loop {
            let mut progress = false;
            let steps = std::mem::take(&mut self.steps);
            self.problems.clear();
            for mut step in steps {
                match write_units(ctx, &mut step).await? {
                    Step::Written(nested) => {
                        progress = true;
                        for i in nested.into_iter().rev() {
                            self.nested.push(step.swap_remove(i));
                        }
                    }
                    // Units written together wait together: apart, those that need nothing
                    // later can go now.
                    Step::Waiting(_) if step.len() > 1 => {
                        progress = true;
                        self.steps.extend(step.into_iter().map(|unit| vec![unit]));
                    }
                    Step::Waiting(problems) => {
                        self.steps.push(step);
                        self.problems.push(problems);
                    }
                    Step::Invalid(found) => {
                        progress = true;
                        invalid.extend(found);
                    }
                }
            }
            let nested = std::mem::take(&mut self.nested);
            for unit in nested {
                if unit
                    .deferred
                    .iter()
                    .all(|d| ctx.known.contains_key(&d.target))
                {
                    progress = true;
                    write_nested_again(ctx, &unit).await?;
                } else {
                    self.nested.push(unit);
                }
            }
            if !progress || (self.steps.is_empty() && self.nested.is_empty()) {
                return Ok(invalid);
            }
        }
    }

    /// What the waiting units refer to that no unit defined (nested rows' references are
    /// reported by the checks across units).
    fn unresolved(&mut self) -> Vec<Problem> {
        std::mem::take(&mut self.problems)
            .into_iter()
            .flatten()
            .collect()
    }
}

/// A unit's nested rows, read and planned again with the ids known now, and written.
async fn write_nested_again(ctx: &mut StepContext<'_, '_>, unit: &StreamedUnit) -> Result<()> {
    for batch in read_again(unit, ctx.job, ctx.known, &ctx.writer.filter(), ctx.encoding)? {
        ctx.writer.insert(ctx.tx, batch).await?;
    }
    Ok(())
}

/// Upserts the roots of `units`, replaces their nested rows with the units' own.
async fn write_units(ctx: &mut StepContext<'_, '_>, units: &mut [StreamedUnit]) -> Result<Step> {
    let StepContext {
        tx,
        job,
        stream,
        writer,
        existing,
        known,
        encoding,
    } = ctx;
    let (job, stream, encoding) = (*job, *stream, *encoding);
    let mut roots: Vec<RowInput> = units.iter().flat_map(|u| u.roots.iter().cloned()).collect();
    let deferred: Vec<DeferredReference> = units
        .iter()
        .flat_map(|u| u.deferred.iter().cloned())
        .collect();
    let refs: Vec<_> = units
        .iter()
        .flat_map(|u| u.user_refs.iter().cloned())
        .collect();
    let invalid = crate::tenant_checks::check(tx, job.tenant_id, &roots, &refs).await?;
    if !invalid.is_empty() {
        return Ok(Step::Invalid(invalid));
    }
    let wanted = wanted_slugs(&roots, &deferred);
    for (key, id) in deploy::existing_ids(tx, job.tenant_id, wanted).await? {
        known.entry(key.clone()).or_insert(id);
        existing.entry(key).or_insert(id);
    }
    // A unit with a root made elsewhere (another id) is planned again with the real ones.
    let offline_ids_hold: Vec<bool> = units
        .iter()
        .map(|u| offline_ids_hold(&u.roots, job.tenant_id, known))
        .collect();
    crate::profile::drop_existing_derived(&mut roots, known);
    let roots_plan = match plan(&roots, job.tenant_id, known) {
        Ok(plan) => plan,
        // A reference to a root no unit so far defines: a later one may.
        Err(problems) => return Ok(Step::Waiting(problems)),
    };
    drop(roots);
    writer.add_roots(tx, &roots_plan, existing).await?;
    for tp in &roots_plan.tables {
        for row in &tp.rows {
            if let Some(slug) = &row.slug {
                known.insert((tp.table.name, slug.clone()), row.id);
            }
        }
    }
    let mut kept = vec![];
    let mut again = vec![];
    let mut nested_wait = vec![];
    for (i, (unit, holds)) in units.iter_mut().zip(offline_ids_hold).enumerate() {
        match holds.then(|| stream.take_kept(unit)).flatten() {
            Some(payloads) => kept.push(payloads?),
            None if unit.deferred.iter().any(|d| !known.contains_key(&d.target)) => {
                // Its nested rows name a root a later unit defines: they wait for it.
                nested_wait.push(i);
            }
            None => again.push(&*unit),
        }
    }
    if !kept.is_empty() {
        writer.insert(tx, merge_payloads(kept)).await?;
    }
    for unit in again {
        for batch in read_again(unit, job, known, &writer.filter(), encoding)? {
            writer.insert(tx, batch).await?;
        }
    }
    Ok(Step::Written(nested_wait))
}

/// The checks that span units (as [`crate::stream::survey`] makes them): duplicate slugs,
/// UNIQUE keys of root rows, rules of roots, references nothing defines.
fn across_units(
    job: &Job,
    roots: &[RowInput],
    deferred: &[DeferredReference],
    known: &ExistingIds,
) -> Vec<Problem> {
    let mut problems = check_across_units(roots, job.tenant_id)
        .err()
        .unwrap_or_default();
    problems.extend(
        deferred
            .iter()
            .filter(|d| !known.contains_key(&d.target))
            .map(|d| d.unresolved.clone()),
    );
    problems
}
