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
//! document has) cannot be written in listing order: then the transaction is rolled back and
//! the default deploy runs instead ([`Outcome::Fallback`]).

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

/// How an overlapped deploy ended.
pub enum Outcome {
    Deployed(DeployReport),
    /// The input cannot be written in listing order; nothing was written (rolled back).
    Fallback,
}

/// What writing one unit came to.
enum Step {
    Written,
    Fallback,
    /// The units do not fit the tenant's rows (a user of another tenant, a UNIQUE key taken):
    /// nothing of them was written.
    Invalid(Vec<Problem>),
}

/// lock tenant -> (survey unit -> write unit)* -> checks across units -> commit (or roll back).
pub async fn deploy(db: &Db, job: &Job, options: DeployOptions) -> Result<Outcome> {
    // Reading starts at once (it only reads files); the connection meanwhile checks the
    // schema, takes the tenant lock and counts the tenant's rows.
    let mut timings = crate::session::Timings::from_env();
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

    let mut writer = Writer::new(job.tenant_id, before, options);
    // Root rows the database held before this deploy, as far as looked up; and those plus
    // the roots written so far: the ids later units plan with.
    let (mut existing, mut known) = (ExistingIds::new(), ExistingIds::new());
    let (mut roots, mut deferred) = (vec![], vec![]);
    let mut write_error = None;
    let mut unit_count = 0;
    while let Some(ready) = units.next_ready(UNITS_PER_STEP).await {
        let mut ready = ready?;
        unit_count += ready.len();
        for unit in &mut ready {
            problems.append(&mut unit.problems);
        }
        if problems.is_empty() && write_error.is_none() {
            let step = write_units(
                &mut tx,
                job,
                &units,
                &mut ready,
                &mut writer,
                (&mut existing, &mut known),
                encoding,
            )
            .await;
            match step {
                Ok(Step::Written) => {}
                Ok(Step::Invalid(found)) => problems.extend(found),
                Ok(Step::Fallback) => {
                    drop(units);
                    tx.rollback().await?;
                    return Ok(Outcome::Fallback);
                }
                // Kept until the input is read whole: bad input wins over a database error.
                Err(e) => write_error = Some(e),
            }
        }
        for unit in &mut ready {
            roots.append(&mut unit.roots);
            deferred.append(&mut unit.deferred);
        }
        timings.lap(&format!("{} unit(s) written", ready.len()));
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
    let report = writer.finish();
    timings.lap("checks across units");
    if options.dry_run {
        tx.rollback().await?;
    } else {
        tx.commit().await.context("committing")?;
    }
    timings.lap("commit");
    Ok(Outcome::Deployed(report))
}

/// Units written in one step at most: their kept rows are unpacked together (a few MiB of
/// COPY text each) and sent as one statement per table.
const UNITS_PER_STEP: usize = 8;

/// Upserts the roots of `units`, replaces their nested rows with the units' own.
async fn write_units(
    tx: &mut sqlx::Transaction<'static, sqlx::Postgres>,
    job: &Job,
    stream: &UnitStream,
    units: &mut [StreamedUnit],
    writer: &mut Writer,
    (existing, known): (&mut ExistingIds, &mut ExistingIds),
    encoding: Encoding,
) -> Result<Step> {
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
    let Ok(roots_plan) = plan(&roots, job.tenant_id, known) else {
        // A reference to a root no unit so far defines: a later one may.
        return Ok(Step::Fallback);
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
    for (unit, holds) in units.iter_mut().zip(offline_ids_hold) {
        match holds.then(|| stream.take_kept(unit)).flatten() {
            Some(payloads) => kept.push(payloads?),
            None => {
                if unit.deferred.iter().any(|d| !known.contains_key(&d.target)) {
                    return Ok(Step::Fallback);
                }
                again.push(&*unit);
            }
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
    Ok(Step::Written)
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
