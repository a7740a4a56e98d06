//! A deploy of input of any size in bounded memory: two passes over the input, one unit (a
//! document, or a folder's CSV set) at a time.
//!
//! Pass 1, [`survey`], runs before any connection, on every core: each unit is read, validated
//! and planned on its own, and only what checks across units need is kept: its root rows
//! without their nested rows, and the references it leaves to other units or to the database.
//! The checks across units (duplicate slugs, UNIQUE keys of org rows, business rules of roots)
//! then run on those roots. Pass 2, [`Batches`], runs inside the deploy's transaction: a helper
//! thread reads each unit again and hands over its nested rows, planned against the final ids
//! and already serialized, a batch of roots at a time, so that reading and serializing the next
//! batch overlaps PostgreSQL writing this one.
//!
//! Memory is bounded by a unit being read (and a batch in flight), not by the whole input.

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::SystemTime;

use crate::deploy::{Payload, RowFilter, nested_payloads};
use crate::document::RowInput;
use crate::input::{Unit, function_of, list_units, read_unit, select_functions};
use crate::plan::{DeferredReference, ExistingIds, Plan, References, plan, plan_with};
use crate::problem::{Problem, sorted};
use crate::run::{InvalidInput, Job};
use crate::vocabulary::vocabulary;
use anyhow::{Result, anyhow, bail};

/// Roots planned and written per batch in pass 2: a few thousand nested rows per statement.
pub const ROOTS_PER_BATCH: usize = 64;

/// What pass 1 keeps of the input.
#[derive(Debug)]
pub struct Survey {
    /// Every root row of the input, without nested rows, in reading order.
    pub roots: Vec<RowInput>,
    /// References no unit of the input defines: the database must.
    pub deferred: Vec<DeferredReference>,
    /// The units and what their files looked like when read.
    pub units: Vec<(Unit, Vec<FileStamp>)>,
    /// Rows the input holds (roots and nested rows).
    pub rows: usize,
}

/// Size and modification time of a file, to notice a file changed between the two passes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileStamp {
    path: PathBuf,
    len: Option<u64>,
    modified: Option<SystemTime>,
}

fn stamps(unit: &Unit) -> Vec<FileStamp> {
    unit.files()
        .iter()
        .map(|path| {
            let meta = std::fs::metadata(path).ok();
            FileStamp {
                path: path.clone(),
                len: meta.as_ref().map(|m| m.len()),
                modified: meta.and_then(|m| m.modified().ok()),
            }
        })
        .collect()
}

/// Pass 1: reads, validates and plans every unit (in parallel), then checks across units.
/// Every problem of the input at once, or the survey.
pub fn survey(job: &Job) -> Result<Survey> {
    let listing = list_units(&job.inputs, job.profile.is_some());
    let mut problems = listing.problems;
    let surveyed = parallel_map(&listing.units, |unit| survey_unit(unit, job));
    let mut survey = Survey {
        roots: vec![],
        deferred: vec![],
        units: vec![],
        rows: 0,
    };
    for (unit, s) in listing.units.into_iter().zip(surveyed) {
        problems.extend(s.problems);
        survey.roots.extend(s.roots);
        survey.deferred.extend(s.deferred);
        survey.rows += s.rows;
        survey.units.push((unit, s.stamps));
    }
    if !problems.is_empty() {
        return Err(InvalidInput(sorted(problems)).into());
    }
    if survey.units.is_empty() {
        bail!("no input files found in {:?}", job.inputs);
    }
    for f in &job.functions {
        if !survey
            .roots
            .iter()
            .any(|r| function_of(r) == Some(f.as_str()))
        {
            bail!(
                "no persona of business function '{f}' in the input {:?}",
                job.inputs
            );
        }
    }
    // Across units: duplicate slugs, UNIQUE keys of root rows, rules of roots.
    if let Err(problems) = plan_with(
        &survey.roots,
        job.tenant_id,
        &ExistingIds::new(),
        References::Deferred,
    ) {
        return Err(InvalidInput(problems).into());
    }
    let defined: HashSet<(&str, &str)> = defined_roots(&survey.roots).collect();
    survey
        .deferred
        .retain(|d| !defined.contains(&(d.target.0, d.target.1.as_str())));
    Ok(survey)
}

/// (table, slug) of every root row the input defines.
fn defined_roots(roots: &[RowInput]) -> impl Iterator<Item = (&'static str, &str)> {
    let v = vocabulary();
    roots
        .iter()
        .filter(|r| v.root_of_table(r.table.name).is_some())
        .filter_map(|r| r.slug().map(|s| (r.table.name, s)))
}

impl Survey {
    /// The root rows the deploy needs ids of: those the input defines and those it references.
    pub fn wanted_slugs(&self) -> BTreeMap<&'static str, HashSet<String>> {
        let mut wanted = crate::deploy::wanted_slugs(&self.roots);
        for d in &self.deferred {
            wanted
                .entry(d.target.0)
                .or_default()
                .insert(d.target.1.clone());
        }
        wanted
    }

    /// The plan of the root rows against the tenant's `existing` rows, once every reference
    /// the input leaves to the database is known to resolve; and the ids every batch of pass 2
    /// plans with (existing rows and the input's roots).
    pub fn plan_roots(&mut self, job: &Job, existing: &ExistingIds) -> Result<(Plan, ExistingIds)> {
        crate::profile::drop_existing_derived(&mut self.roots, existing);
        let mut problems: Vec<Problem> = self
            .deferred
            .iter()
            .filter(|d| !existing.contains_key(&d.target))
            .map(|d| d.unresolved.clone())
            .collect();
        let roots = match plan(&self.roots, job.tenant_id, existing) {
            Ok(plan) => Some(plan),
            Err(p) => {
                problems.extend(p);
                None
            }
        };
        let Some(roots) = roots.filter(|_| problems.is_empty()) else {
            return Err(InvalidInput(sorted(problems)).into());
        };
        let mut ids = existing.clone();
        for tp in &roots.tables {
            for row in &tp.rows {
                if let Some(slug) = &row.slug {
                    ids.insert((tp.table.name, slug.clone()), row.id);
                }
            }
        }
        Ok((roots, ids))
    }
}

/// What pass 1 keeps of one unit.
struct UnitSurvey {
    stamps: Vec<FileStamp>,
    roots: Vec<RowInput>,
    deferred: Vec<DeferredReference>,
    problems: Vec<Problem>,
    rows: usize,
}

fn survey_unit(unit: &Unit, job: &Job) -> UnitSurvey {
    let stamps = stamps(unit);
    let read = read_unit(unit, job.profile.as_deref());
    let roots = select_functions(read.roots, &job.functions);
    let mut problems = read.problems;
    let mut deferred = vec![];
    let mut rows = 0;
    // A unit that cannot be read whole is not planned: its plan's complaints would mostly
    // repeat the reading's.
    if problems.is_empty() {
        match plan_with(
            &roots,
            job.tenant_id,
            &ExistingIds::new(),
            References::Deferred,
        ) {
            Ok(plan) => {
                rows = plan.row_count();
                deferred = plan.deferred;
            }
            Err(p) => problems.extend(p),
        }
    }
    let roots = roots
        .into_iter()
        .map(|mut r| {
            r.children = vec![];
            r
        })
        .collect();
    UnitSurvey {
        stamps,
        roots,
        deferred,
        problems,
        rows,
    }
}

/// `f` over `items` on every core, results in `items`' order.
fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len());
    if workers <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let mut results: Vec<(usize, R)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut out = vec![];
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        out.push((i, f(item)));
                    }
                    out
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

/// Pass 2: the nested rows of every unit, planned with the final ids, serialized by a helper
/// thread one batch of roots ahead of the writer.
pub struct Batches {
    receiver: tokio::sync::mpsc::Receiver<Result<Vec<Payload>>>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Batches {
    pub fn start(survey: &Survey, job: &Job, ids: ExistingIds, filter: Arc<RowFilter>) -> Self {
        let (sender, receiver) = tokio::sync::mpsc::channel(1);
        let units = survey.units.clone();
        let job = job.clone();
        let reader = std::thread::spawn(move || {
            for (unit, stamps_then) in &units {
                let sent = read_batches(unit, stamps_then, &job, &ids, &filter, |batch| {
                    sender.blocking_send(batch).is_ok()
                });
                if !sent {
                    return; // the writer stopped (an error): nothing more to do
                }
            }
        });
        Batches {
            receiver,
            reader: Some(reader),
        }
    }

    /// The next batch; `None` once every unit has been handed over.
    pub async fn next(&mut self) -> Option<Result<Vec<Payload>>> {
        match self.receiver.recv().await {
            Some(batch) => Some(batch),
            None => {
                // The reader is done; a panic in it is an error, not a short deploy.
                let reader = self.reader.take()?;
                match reader.join() {
                    Ok(()) => None,
                    Err(_) => Some(Err(anyhow!("the input reader thread panicked"))),
                }
            }
        }
    }
}

/// Reads `unit` again and sends its nested rows in batches; false once `send` refuses.
fn read_batches(
    unit: &Unit,
    stamps_then: &[FileStamp],
    job: &Job,
    ids: &ExistingIds,
    filter: &RowFilter,
    mut send: impl FnMut(Result<Vec<Payload>>) -> bool,
) -> bool {
    let changed = || {
        anyhow!(
            "{} changed while the deploy ran (between validating and writing); nothing was written, run it again",
            unit.files()
                .iter()
                .map(|f| f.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    if stamps(unit) != stamps_then {
        send(Err(changed()));
        return false;
    }
    let read = read_unit(unit, job.profile.as_deref());
    if !read.problems.is_empty() {
        send(Err(changed()));
        return false;
    }
    let mut roots = select_functions(read.roots, &job.functions);
    while !roots.is_empty() {
        let batch: Vec<RowInput> = roots.drain(..ROOTS_PER_BATCH.min(roots.len())).collect();
        let payloads = match plan_with(&batch, job.tenant_id, ids, References::Checked) {
            Ok(plan) => Ok(nested_payloads(&plan, |table, row| {
                filter.keeps(table, row)
            })),
            Err(_) => Err(changed()),
        };
        let failed = payloads.is_err();
        drop(batch);
        if !send(payloads) || failed {
            return false;
        }
    }
    true
}
