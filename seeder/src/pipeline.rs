//! The deploy: one driver for every way of writing. An ordered reader of input units
//! ([`UnitStream`]: units read, validated and planned on helper threads, handed over in listing
//! order) feeds one writer ([`Writer`]) inside the deploy's one transaction; a [`WritePolicy`]
//! decides when a unit that passed is written:
//!
//! - [`WritePolicy::AsSoonAsPassed`] (the CLI's default): each unit is written once it passed
//!   while later units are still read, so on 2 cores PostgreSQL's backend uses one core while
//!   the reading uses the other. Everything is still validated before COMMIT: a problem
//!   anywhere (in a unit not written yet, or across units: a slug defined twice, a business
//!   function missing) rolls the transaction back and every problem is reported at once, the
//!   database exactly as it was (MVCC: no other session ever sees an uncommitted row). The
//!   tenant lock is taken before the input is read.
//! - [`WritePolicy::AfterAllPassed`] (`--validate-first`, a backfill, and library callers'
//!   default): nothing is sent before every unit and every check across units passed; bad input
//!   is reported without waiting for the tenant lock.
//!
//! A unit that needs what a later unit defines (a persona naming an org row that only a later
//! document has) waits: it is written, in the same transaction, as soon as the units it needs
//! are; what still refers to nothing once every unit is read is reported like any other
//! problem. `--dry-run` is the same driver ending in a rollback.

use anyhow::{Context, Result, bail};

use std::collections::BTreeMap;

use crate::deploy::{self, DeployOptions, DeployReport, Encoding, Writer, merge_payloads};
use crate::document::RowInput;
use crate::emit_sql::Sink;
use crate::job::{InvalidInput, Job};
use crate::plan::{DeferredReference, ExistingIds, plan};
use crate::problem::{Problem, sorted};
use crate::stream::{
    StreamedUnit, UnitStream, check_across_units, defined_roots, offline_ids_hold, read_again,
    wanted_slugs,
};
use pg::connect::Db;
use sqlx::{Postgres, Transaction};

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

/// When a unit that passed is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WritePolicy {
    /// While later units are still read (in the same transaction).
    AsSoonAsPassed,
    /// Once every unit and every check across units passed.
    AfterAllPassed,
}

impl WritePolicy {
    /// The policy of `options`: a backfill decides per root which rows to write, from all of
    /// them, so it writes after all passed.
    pub fn of(options: DeployOptions) -> WritePolicy {
        if options.overlap && !options.backfill {
            WritePolicy::AsSoonAsPassed
        } else {
            WritePolicy::AfterAllPassed
        }
    }
}

/// read units -> check -> write through the writer -> commit (or roll back), the writes
/// placed by the policy of `options`.
pub async fn deploy(db: &Db, job: &Job, options: DeployOptions) -> Result<DeployReport> {
    Ok(deploy_into(db, job, options, Sink::Database).await?.0)
}

/// [`deploy`] with its writing statements sent to `sink`: a script sink ends in a rollback
/// (nothing written; the script, once run, writes what the deploy would have).
pub async fn deploy_into(
    db: &Db,
    job: &Job,
    options: DeployOptions,
    sink: Sink,
) -> Result<(DeployReport, Sink)> {
    match WritePolicy::of(options) {
        WritePolicy::AsSoonAsPassed => as_soon_as_passed(db, job, options, sink).await,
        WritePolicy::AfterAllPassed => after_all_passed(db, job, options, sink).await,
    }
}

/// The deploy's transaction, ready to write: schema checked, tenant locked, rows counted.
struct Prepared {
    tx: Transaction<'static, Postgres>,
    before: BTreeMap<&'static str, i64>,
    /// The encoding the tables take (JSON where row-level security refuses COPY).
    encoding: Encoding,
}

async fn prepare(db: &Db, job: &Job, encoding: Encoding) -> Result<Prepared> {
    crate::schema_guard::ensure_same_schema(db).await?;
    let mut tx = crate::session::begin_for(db, job.tenant_id).await?;
    // Pools made elsewhere (a library caller's) did not go through our connect hook.
    pg::nodelay::on_connections_to(&db.pool.connect_options());
    deploy::lock_tenant(&mut tx, job.tenant_id).await?;
    let before = deploy::count_tables(&mut tx, job.tenant_id).await?;
    let encoding = encoding.for_nested_tables(&mut tx).await?;
    Ok(Prepared {
        tx,
        before,
        encoding,
    })
}

/// Every unit of `units`, in listing order.
async fn read_all(units: &mut UnitStream) -> Result<Vec<StreamedUnit>> {
    let mut all = vec![];
    while let Some(ready) = units.next_ready(usize::MAX).await {
        all.extend(ready?);
    }
    Ok(all)
}

/// The end of every deploy: the writer's differences and report, then COMMIT (a dry run rolls
/// back).
async fn finish(
    mut tx: Transaction<'static, Postgres>,
    job: &Job,
    writer: Writer,
    options: DeployOptions,
    timings: &mut crate::session::Timings,
) -> Result<(DeployReport, Sink)> {
    let (report, sink) = writer.finish(&mut tx).await?;
    timings.lap("write the differences below roots that existed");
    job.progress(|p| p.phase("committing"));
    if options.dry_run || matches!(sink, Sink::Script(_)) {
        tx.rollback().await?;
    } else {
        tx.commit().await.context("committing")?;
    }
    timings.lap("commit");
    Ok((report, sink))
}

/// read every unit (while the connection prepares) -> checks of every unit, against the
/// tenant's rows and across units -> write the units -> commit.
async fn after_all_passed(
    db: &Db,
    job: &Job,
    options: DeployOptions,
    sink: Sink,
) -> Result<(DeployReport, Sink)> {
    let mut timings = crate::session::Timings::from_env();
    job.progress(|p| p.phase("reading and validating every unit"));
    let encoding = Encoding::for_pooler(db.pooler);
    let (units, mut problems) = UnitStream::start(job, encoding);
    let mut reading = tokio::spawn(async move {
        let mut units = units;
        let read = read_all(&mut units).await;
        (units, read)
    });
    let preparing = prepare(db, job, encoding);
    let mut preparing = std::pin::pin!(preparing);
    let bad = |read: &Result<Vec<StreamedUnit>>, problems: &[Problem]| {
        !problems.is_empty()
            || read
                .as_ref()
                .is_ok_and(|units| units.iter().any(|u| !u.problems.is_empty()))
    };
    // Bad input is reported as soon as it is known, without waiting for the lock.
    let ((mut units, read), prepared) = tokio::select! {
        r = &mut reading => {
            let (units, read) = r.context("reading the input")?;
            let prepared = if bad(&read, &problems) { None } else { Some(preparing.await) };
            ((units, read), prepared)
        }
        p = preparing.as_mut() => (reading.await.context("reading the input")?, Some(p)),
    };
    let mut read = read?;
    for unit in &mut read {
        problems.append(&mut unit.problems);
    }
    if !problems.is_empty() {
        return Err(InvalidInput(sorted(problems)).into());
    }
    let Prepared {
        mut tx,
        before,
        encoding: secured,
    } = prepared.expect("prepared when the input is good")?;
    if secured != encoding {
        // Row-level security applies to the role: no COPY; what was serialized for it goes.
        let (again, _) = UnitStream::start(job, secured);
        units = again;
        read = read_all(&mut units).await?;
    }
    timings.lap("read and validate every unit (nothing sent yet); lock tenant, count rows");
    if read.is_empty() {
        bail!("no input files found in {:?}", job.inputs);
    }
    let (roots, deferred, refs) = gathered(&read);
    crate::validate::ensure_functions_present(job, &roots)?;
    let mut problems = crate::tenant_checks::check(&mut tx, job.tenant_id, &roots, &refs).await?;
    let mut defined =
        deploy::existing_ids(&mut tx, job.tenant_id, wanted_slugs(&roots, &deferred)).await?;
    for (table, slug) in defined_roots(&roots) {
        defined.entry((table, slug.to_string())).or_default();
    }
    problems.extend(across_units(job, &roots, &deferred, &defined));
    if !problems.is_empty() {
        tx.rollback().await?;
        return Err(InvalidInput(sorted(problems)).into());
    }
    drop((roots, deferred, refs, defined));
    timings.lap("checks against the tenant's rows and across units");

    job.progress(|p| p.phase("writing"));
    let mut writer = Writer::new(job.tenant_id, before, options)
        .counting_into(job.progress.clone())
        .writing_into(sink);
    let (mut existing, mut known) = (ExistingIds::new(), ExistingIds::new());
    let mut waiting = Waiting::default();
    let mut read = read.into_iter().peekable();
    while read.peek().is_some() {
        waiting
            .steps
            .push(read.by_ref().take(UNITS_PER_STEP).collect());
    }
    let mut ctx = StepContext {
        tx: &mut tx,
        job,
        stream: &units,
        writer: &mut writer,
        existing: &mut existing,
        known: &mut known,
        encoding: secured,
    };
    let mut problems = waiting.write_what_can_be(&mut ctx).await?;
    problems.extend(waiting.unresolved());
    if !problems.is_empty() {
        tx.rollback().await?;
        return Err(InvalidInput(sorted(problems)).into());
    }
    timings.lap("write every unit");
    finish(tx, job, writer, options, &mut timings).await
}

/// lock tenant -> (read unit -> write unit)* -> checks across units -> commit (or roll back).
async fn as_soon_as_passed(
    db: &Db,
    job: &Job,
    options: DeployOptions,
    sink: Sink,
) -> Result<(DeployReport, Sink)> {
    // Reading starts at once (it only reads files); the connection meanwhile checks the
    // schema, takes the tenant lock and counts the tenant's rows.
    let mut timings = crate::session::Timings::from_env();
    job.progress(|p| p.phase("reading, validating and writing"));
    let mut encoding = Encoding::for_pooler(db.pooler);
    let (mut units, mut problems) = UnitStream::start(job, encoding);
    let Prepared {
        mut tx,
        before,
        encoding: secured,
    } = prepare(db, job, encoding).await?;
    if secured != encoding {
        // Row-level security applies to the role: no COPY; what was serialized for it goes.
        encoding = secured;
        drop(units);
        (units, problems) = UnitStream::start(job, encoding);
    }
    timings.lap("check schema, lock tenant, count rows (reading meanwhile)");

    let mut writer = Writer::new(job.tenant_id, before, options)
        .counting_into(job.progress.clone())
        .writing_into(sink);
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
    timings.lap("checks across units");
    finish(tx, job, writer, options, &mut timings).await
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

/// What the checks of `units` need, in reading order: their root rows, the references they
/// leave to other units or the database, their references to users.
fn gathered(
    units: &[StreamedUnit],
) -> (
    Vec<RowInput>,
    Vec<DeferredReference>,
    Vec<crate::tenant_checks::UserRef>,
) {
    let roots = units.iter().flat_map(|u| u.roots.iter().cloned()).collect();
    let deferred = units
        .iter()
        .flat_map(|u| u.deferred.iter().cloned())
        .collect();
    let refs = units
        .iter()
        .flat_map(|u| u.user_refs.iter().cloned())
        .collect();
    (roots, deferred, refs)
}

/// Upserts the roots of `units` and writes their nested rows (straight below new roots, into
/// the stages below roots that existed).
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
    let (mut roots, deferred, refs) = gathered(units);
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
    // What was kept holds every nested row; a backfill leaves some out, so it reads again.
    let whole = !writer.filter().leaves_out_rows();
    for (i, (unit, holds)) in units.iter_mut().zip(offline_ids_hold).enumerate() {
        match (holds && whole).then(|| stream.take_kept(unit)).flatten() {
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

/// The checks that span units: duplicate slugs, UNIQUE keys of root rows, rules of roots,
/// references nothing defines (`known`: the root rows that exist or are defined).
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
