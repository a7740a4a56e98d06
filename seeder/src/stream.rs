//! A deploy of input of any size in bounded memory: two passes over the input, one unit (a
//! document, or a folder's CSV set) at a time.
//!
//! Pass 1, [`survey`], runs before anything is written (the deploy's connection meanwhile only
//! reads), on every core: each unit is read, validated and planned on its own, and only what checks across units need is kept: its root rows
//! without their nested rows, and the references it leaves to other units or to the database.
//! The checks across units (duplicate slugs, UNIQUE keys of org rows, business rules of roots)
//! then run on those roots. Pass 2, [`Batches`], runs inside the deploy's transaction: a helper
//! thread reads each unit again and hands over its nested rows, planned against the final ids
//! and already serialized, a batch of roots at a time, so that reading and serializing the next
//! batch overlaps PostgreSQL writing this one.
//!
//! Pass 1 also serializes each unit's nested rows as it plans them and keeps them, compressed:
//! in memory while they fit [`CACHE_BYTES`], then in an anonymous temporary file ([`Spill`]).
//! When the database holds no root row under another id than the one the seeder gives it
//! (always so for rows the seeder created) and no nested row waits for a reference to another
//! unit, pass 2 sends those instead of reading the unit again, so input of any size is read
//! once. Otherwise (or with `--no-spill` beyond the cache) units are read again.
//!
//! Memory is bounded by a unit being read, a batch in flight and the cache, not by the input.

use crate::tenant_checks::{UserRef, user_refs};
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::SystemTime;

use crate::deploy::{Encoding, Payload, RowFilter, merge_payloads, nested_payloads};
use crate::document::RowInput;
use crate::input::{Unit, list_units, read_unit, select_functions};
use crate::job::{InvalidInput, Job};
use crate::plan::{DeferredReference, ExistingIds, Plan, References, plan, plan_with, root_id};
use crate::problem::{Problem, sorted};
use crate::vocabulary::vocabulary;
use anyhow::{Context, Result, anyhow, bail};

/// Roots planned and written per batch of pass 2: a few thousand nested rows per statement.
pub const ROOTS_PER_BATCH: usize = 64;

/// Roots planned at once in pass 1, where batches only bound memory (what is kept is merged
/// into one statement per table anyway).
const ROOTS_PER_SURVEY_BATCH: usize = 16;

/// Serialized nested rows pass 1 may keep in memory for pass 2, compressed: ~1,500 synthetic
/// personas with every table filled. Beyond that they go to a temporary file ([`Spill`]), so
/// memory stays flat and nothing is read twice.
pub const CACHE_BYTES: usize = 32 << 20;

/// Text of kept rows unpacked and sent at a time in pass 2 (one statement per table each).
const KEPT_TEXT_PER_BATCH: usize = 16 << 20;

/// A batch of nested rows, serialized: one payload per table and column set, parents first.
pub type Batch = Vec<Payload>;

/// What pass 1 keeps of the input.
#[derive(Debug)]
pub struct Survey {
    /// Every root row of the input, without nested rows, in reading order.
    pub roots: Vec<RowInput>,
    /// References no unit of the input defines: the database must.
    pub deferred: Vec<DeferredReference>,
    /// Every reference to a user, nested rows' included: checked against the tenant's users.
    pub user_refs: Vec<UserRef>,
    /// The units, in reading order.
    pub units: Vec<SurveyedUnit>,
    /// How the nested rows are serialized for the connection at hand.
    pub encoding: Encoding,
    /// The root rows planned offline (ids the seeder gives, references left to the database
    /// deferred): the plan to write when the database agrees.
    roots_plan: Option<Plan>,
    /// Where kept rows beyond the memory cache went.
    spill: Option<Arc<Spill>>,
}

#[derive(Debug)]
pub struct SurveyedUnit {
    pub unit: Unit,
    /// What its files looked like when read.
    stamps: Vec<FileStamp>,
    /// Its nested rows as planned offline (deterministic ids), when kept.
    cached: Option<Vec<Packed>>,
}

/// A payload kept between the passes, its text lz4-compressed: COPY text of rows compresses
/// several times over and unpacks at GB/s, so the cache holds that much more of the input
/// than re-reading it would cost.
#[derive(Debug)]
struct Packed {
    /// The payload without its text.
    payload: Payload,
    packed: Vec<Block>,
    text_bytes: usize,
}

/// A compressed block of a payload's text: in memory, or in the spill file.
#[derive(Debug)]
enum Block {
    Memory(Vec<u8>),
    Spilled { offset: u64, len: usize },
}

/// Kept rows that do not fit the memory cache: an anonymous temporary file (the OS deletes it
/// when the process ends, even when killed). Writing and reading back a few hundred MB of
/// compressed text costs far less than reading, validating and planning the input again.
#[derive(Debug)]
pub struct Spill {
    file: std::sync::Mutex<(std::fs::File, u64)>,
}

impl Spill {
    fn create() -> Option<Spill> {
        let file = tempfile::tempfile().ok()?;
        Some(Spill {
            file: std::sync::Mutex::new((file, 0)),
        })
    }

    fn write(&self, bytes: &[u8]) -> std::io::Result<Block> {
        use std::io::{Seek, SeekFrom, Write};
        let mut guard = self.file.lock().unwrap_or_else(|p| p.into_inner());
        let (file, end) = &mut *guard;
        let offset = *end;
        file.seek(SeekFrom::Start(offset))?;
        file.write_all(bytes)?;
        *end += bytes.len() as u64;
        Ok(Block::Spilled {
            offset,
            len: bytes.len(),
        })
    }

    fn read(&self, offset: u64, len: usize) -> std::io::Result<Vec<u8>> {
        use std::io::{Read, Seek, SeekFrom};
        let mut guard = self.file.lock().unwrap_or_else(|p| p.into_inner());
        let (file, _) = &mut *guard;
        file.seek(SeekFrom::Start(offset))?;
        let mut bytes = vec![0; len];
        file.read_exact(&mut bytes)?;
        Ok(bytes)
    }
}

impl Packed {
    fn pack(mut payload: Payload) -> Packed {
        let text_bytes = payload.bytes();
        let chunks = std::mem::take(&mut payload.chunks);
        let packed = match payload.encoding {
            // COPY chunks are runs of whole lines: one block compresses better than many.
            Encoding::Copy => vec![lz4_flex::compress_prepend_size(chunks.concat().as_bytes())],
            Encoding::Json => chunks
                .iter()
                .map(|c| lz4_flex::compress_prepend_size(c.as_bytes()))
                .collect(),
        }
        .into_iter()
        .map(Block::Memory)
        .collect();
        Packed {
            payload,
            packed,
            text_bytes,
        }
    }

    /// Bytes held in memory (the rows' places stay there when the text is spilled).
    fn bytes(&self) -> usize {
        let text: usize = self
            .packed
            .iter()
            .map(|b| match b {
                Block::Memory(bytes) => bytes.len(),
                Block::Spilled { .. } => 0,
            })
            .sum();
        text + self.payload.places.bytes()
    }

    /// Moves the blocks held in memory to `spill`.
    fn spill(mut self, spill: &Spill) -> std::io::Result<Packed> {
        for block in &mut self.packed {
            if let Block::Memory(bytes) = block {
                *block = spill.write(bytes)?;
            }
        }
        Ok(self)
    }

    fn unpack(self, spill: Option<&Spill>) -> Result<Payload> {
        let mut payload = self.payload;
        for block in self.packed {
            let block = match block {
                Block::Memory(bytes) => bytes,
                Block::Spilled { offset, len } => spill
                    .ok_or_else(|| anyhow!("rows kept in a spill file that is gone"))?
                    .read(offset, len)
                    .with_context(|| {
                        format!("reading back the rows kept for {}", payload.table.name)
                    })?,
            };
            let text = lz4_flex::decompress_size_prepended(&block)
                .map_err(anyhow::Error::from)
                .and_then(|bytes| Ok(String::from_utf8(bytes)?))
                .map_err(|e| anyhow!("unpacking the rows kept for {}: {e}", payload.table.name))?;
            payload.chunks.push(text);
        }
        Ok(payload)
    }
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
pub fn survey(job: &Job, encoding: Encoding) -> Result<Survey> {
    let listing = list_units(&job.inputs, job.profile.is_some());
    job.progress(|p| p.units_found(listing.units.len()));
    let mut problems = listing.problems;
    let cache_left = AtomicUsize::new(job.cache_bytes.unwrap_or(CACHE_BYTES));
    // Without a temporary file (none allowed, or none to be had) pass 2 reads again instead.
    let spill = (!job.no_spill).then(Spill::create).flatten().map(Arc::new);
    let surveyed = parallel_map(&listing.units, |unit| {
        survey_unit(unit, job, encoding, &cache_left, spill.as_deref())
    });
    let mut survey = Survey {
        roots: vec![],
        deferred: vec![],
        user_refs: vec![],
        units: vec![],
        encoding,
        roots_plan: None,
        spill,
    };
    for (unit, s) in listing.units.into_iter().zip(surveyed) {
        problems.extend(s.problems);
        survey.roots.extend(s.roots);
        survey.deferred.extend(s.deferred);
        survey.user_refs.extend(s.user_refs);
        survey.units.push(SurveyedUnit {
            unit,
            stamps: s.stamps,
            cached: s.cached,
        });
    }
    if !problems.is_empty() {
        return Err(InvalidInput(sorted(problems)).into());
    }
    if survey.units.is_empty() {
        bail!("no input files found in {:?}", job.inputs);
    }
    crate::validate::ensure_functions_present(job, &survey.roots)?;
    match check_across_units(&survey.roots, job.tenant_id) {
        Ok(plan) => survey.roots_plan = Some(plan),
        Err(problems) => return Err(InvalidInput(problems).into()),
    }
    let defined: HashSet<(&str, &str)> = defined_roots(&survey.roots).collect();
    survey
        .deferred
        .retain(|d| !defined.contains(&(d.target.0, d.target.1.as_str())));
    Ok(survey)
}

/// The checks across units, on their root rows: duplicate slugs, UNIQUE keys of root rows,
/// rules of roots. The roots planned offline (references left to the database deferred).
pub fn check_across_units(roots: &[RowInput], tenant: uuid::Uuid) -> Result<Plan, Vec<Problem>> {
    plan_with(roots, tenant, &ExistingIds::new(), References::Deferred)
}

/// The root rows `roots` and `deferred` name, as rows or as references: table -> slugs.
pub fn wanted_slugs(
    roots: &[RowInput],
    deferred: &[DeferredReference],
) -> BTreeMap<&'static str, HashSet<String>> {
    let mut wanted = crate::deploy::wanted_slugs(roots);
    for d in deferred {
        wanted
            .entry(d.target.0)
            .or_default()
            .insert(d.target.1.clone());
    }
    wanted
}

/// Whether every root of `roots` has the id pass 1 planned it with (the one the seeder gives)
/// in `ids`, or none yet: a root row made by something else has another id, and so does every
/// nested row below it, so what pass 1 kept cannot be sent as it is.
pub fn offline_ids_hold(roots: &[RowInput], tenant: uuid::Uuid, ids: &ExistingIds) -> bool {
    roots.iter().all(|r| {
        r.slug().is_none_or(|slug| {
            ids.get(&(r.table.name, slug.to_string()))
                .is_none_or(|id| *id == root_id(tenant, r.table.name, slug))
        })
    })
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
        wanted_slugs(&self.roots, &self.deferred)
    }

    /// The plan of the root rows against the tenant's `existing` rows, once every reference
    /// the input leaves to the database is known to resolve; and the ids every batch of pass 2
    /// plans with (existing rows and the input's roots).
    pub fn plan_roots(&mut self, job: &Job, existing: &ExistingIds) -> Result<(Plan, ExistingIds)> {
        let dropped = crate::profile::drop_existing_derived(&mut self.roots, existing);
        let mut problems: Vec<Problem> = self
            .deferred
            .iter()
            .filter(|d| !existing.contains_key(&d.target))
            .map(|d| d.unresolved.clone())
            .collect();
        let offline_ids_hold = offline_ids_hold(&self.roots, job.tenant_id, existing);
        if !offline_ids_hold {
            self.drop_cache();
        }
        let offline = self
            .roots_plan
            .take()
            .filter(|p| !dropped && offline_ids_hold && p.deferred.is_empty());
        let roots = match offline {
            Some(plan) => Some(plan),
            None => match plan(&self.roots, job.tenant_id, existing) {
                Ok(plan) => Some(plan),
                Err(p) => {
                    problems.extend(p);
                    None
                }
            },
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

    /// Switches the encoding of pass 2 (forgetting what pass 1 serialized the other way).
    pub fn use_encoding(&mut self, encoding: Encoding) {
        if encoding != self.encoding {
            self.encoding = encoding;
            self.drop_cache();
        }
    }

    /// Forgets what pass 1 kept: pass 2 reads every unit again.
    pub fn drop_cache(&mut self) {
        for u in &mut self.units {
            u.cached = None;
        }
    }
}

/// What pass 1 keeps of one unit.
struct UnitSurvey {
    stamps: Vec<FileStamp>,
    roots: Vec<RowInput>,
    deferred: Vec<DeferredReference>,
    user_refs: Vec<UserRef>,
    problems: Vec<Problem>,
    cached: Option<Vec<Packed>>,
}

fn survey_unit(
    unit: &Unit,
    job: &Job,
    encoding: Encoding,
    cache_left: &AtomicUsize,
    spill: Option<&Spill>,
) -> UnitSurvey {
    let stamps = stamps(unit);
    let read = read_unit(unit, job.profile.as_deref());
    let mut roots = select_functions(read.roots, &job.functions);
    let mut survey = UnitSurvey {
        stamps,
        roots: Vec::with_capacity(roots.len()),
        deferred: vec![],
        user_refs: vec![],
        problems: read.problems,
        cached: None,
    };
    // The unit's nested rows, serialized, while it may still be kept.
    let mut kept: Option<Vec<Batch>> = Some(vec![]);
    // A unit that cannot be read whole is not planned: its plan's complaints would mostly
    // repeat the reading's.
    let plan_it = survey.problems.is_empty();
    while !roots.is_empty() {
        let take = ROOTS_PER_SURVEY_BATCH.min(roots.len());
        let mut batch: Vec<RowInput> = roots.drain(..take).collect();
        if plan_it {
            match plan_with(
                &batch,
                job.tenant_id,
                &ExistingIds::new(),
                References::Deferred,
            ) {
                Ok(plan) => {
                    // A nested row waiting for another unit's id cannot be sent as planned;
                    // with the cache full and nowhere to spill, serializing is wasted work.
                    let cacheable = !plan.deferred.iter().any(|d| d.from_nested_row)
                        && (spill.is_some() || cache_left.load(Ordering::Relaxed) > 0);
                    survey.deferred.extend(plan.deferred.iter().cloned());
                    kept = kept.filter(|_| cacheable).map(|mut kept| {
                        kept.push(nested_payloads(&plan, encoding, |_, _| true));
                        kept
                    });
                }
                Err(p) => survey.problems.extend(p),
            }
        }
        survey.user_refs.extend(user_refs(&batch));
        for root in &mut batch {
            root.children = vec![];
        }
        survey.roots.append(&mut batch);
    }
    if survey.problems.is_empty() {
        survey.cached = kept.and_then(|kept| keep(kept, cache_left, spill));
    }
    job.progress(|p| p.unit_read());
    survey
}

/// A unit's batches merged and packed: in memory when they fit what is left of the cache,
/// else in the spill file; `None` when neither can take them (pass 2 reads the unit again).
fn keep(
    batches: Vec<Batch>,
    cache_left: &AtomicUsize,
    spill: Option<&Spill>,
) -> Option<Vec<Packed>> {
    let packed: Vec<Packed> = merge_payloads(batches)
        .into_iter()
        .map(Packed::pack)
        .collect();
    let bytes: usize = packed.iter().map(Packed::bytes).sum();
    let in_memory = cache_left
        .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
            left.checked_sub(bytes)
        })
        .is_ok();
    if in_memory {
        return Some(packed);
    }
    let spill = spill?;
    packed.into_iter().map(|p| p.spill(spill).ok()).collect()
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

/// Pass 1 unit by unit, for a deploy that writes each unit once it has passed
/// ([`crate::pipeline`]): helper threads on every core survey the units in listing order,
/// ahead of the writer, and [`UnitStream::next`] hands them over in that order.
pub struct UnitStream {
    receiver: tokio::sync::mpsc::UnboundedReceiver<(usize, UnitSurvey)>,
    pending: BTreeMap<usize, UnitSurvey>,
    units: std::vec::IntoIter<Unit>,
    next: usize,
    spill: Option<Arc<Spill>>,
    workers: Vec<std::thread::JoinHandle<()>>,
}

/// A unit surveyed by a [`UnitStream`].
pub struct StreamedUnit {
    pub unit: Unit,
    pub stamps: Vec<FileStamp>,
    /// Its root rows, without nested rows.
    pub roots: Vec<RowInput>,
    pub deferred: Vec<DeferredReference>,
    pub user_refs: Vec<UserRef>,
    pub problems: Vec<Problem>,
    cached: Option<Vec<Packed>>,
}

impl UnitStream {
    /// Starts surveying `job`'s units; also returns the problems of finding them.
    pub fn start(job: &Job, encoding: Encoding) -> (UnitStream, Vec<Problem>) {
        let listing = list_units(&job.inputs, job.profile.is_some());
        job.progress(|p| p.units_found(listing.units.len()));
        let shared = Arc::new(listing.units.clone());
        let spill = (!job.no_spill).then(Spill::create).flatten().map(Arc::new);
        let cache_left = Arc::new(AtomicUsize::new(job.cache_bytes.unwrap_or(CACHE_BYTES)));
        let next = Arc::new(AtomicUsize::new(0));
        let (sender, receiver) = tokio::sync::mpsc::unbounded_channel();
        let workers = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(shared.len().max(1));
        let workers = (0..workers)
            .map(|_| {
                let (units, job, spill) = (shared.clone(), job.clone(), spill.clone());
                let (cache_left, next, sender) = (cache_left.clone(), next.clone(), sender.clone());
                std::thread::spawn(move || {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(unit) = units.get(i) else { break };
                        let surveyed =
                            survey_unit(unit, &job, encoding, &cache_left, spill.as_deref());
                        if sender.send((i, surveyed)).is_err() {
                            break; // the writer stopped
                        }
                    }
                })
            })
            .collect();
        let stream = UnitStream {
            receiver,
            pending: BTreeMap::new(),
            units: listing.units.into_iter(),
            next: 0,
            spill,
            workers,
        };
        (stream, listing.problems)
    }

    /// The next unit in listing order, once surveyed; `None` after the last.
    async fn next(&mut self) -> Option<Result<StreamedUnit>> {
        let unit = self.units.next()?;
        let surveyed = loop {
            if let Some(s) = self.pending.remove(&self.next) {
                break s;
            }
            match self.receiver.recv().await {
                Some((i, s)) => {
                    self.pending.insert(i, s);
                }
                None => return Some(Err(anyhow!("the input reader threads stopped early"))),
            }
        };
        self.next += 1;
        Some(Ok(StreamedUnit {
            unit,
            stamps: surveyed.stamps,
            roots: surveyed.roots,
            deferred: surveyed.deferred,
            user_refs: surveyed.user_refs,
            problems: surveyed.problems,
            cached: surveyed.cached,
        }))
    }

    /// The next unit in listing order (waiting for it), and after it those of the following
    /// units that are surveyed already, up to `max` in all: what a writer that fell behind
    /// the readers can write in one go (one statement per table for all of them).
    pub async fn next_ready(&mut self, max: usize) -> Option<Result<Vec<StreamedUnit>>> {
        let first = match self.next().await? {
            Ok(unit) => unit,
            Err(e) => return Some(Err(e)),
        };
        let mut ready = vec![first];
        while ready.len() < max {
            while let Ok((i, s)) = self.receiver.try_recv() {
                self.pending.insert(i, s);
            }
            if !self.pending.contains_key(&self.next) {
                break;
            }
            match self.next().await {
                Some(Ok(unit)) => ready.push(unit),
                Some(Err(e)) => return Some(Err(e)),
                None => break,
            }
        }
        Some(Ok(ready))
    }

    /// The unit's nested rows as pass 1 kept them (planned with the ids the seeder gives),
    /// unpacked; `None` when it kept none.
    pub fn take_kept(&self, unit: &mut StreamedUnit) -> Option<Result<Vec<Payload>>> {
        let packed = unit.cached.take()?;
        Some(
            packed
                .into_iter()
                .map(|p| p.unpack(self.spill.as_deref()))
                .collect(),
        )
    }
}

impl Drop for UnitStream {
    fn drop(&mut self) {
        // Workers stop at their next hand-over once the receiver is closed.
        self.receiver.close();
        for w in self.workers.drain(..) {
            let _ = w.join();
        }
    }
}

/// The nested rows of `unit` read again and planned with `ids` (the final ids of its roots
/// and of what they reference), in batches: for a unit whose kept rows cannot be used.
pub fn read_again(
    unit: &StreamedUnit,
    job: &Job,
    ids: &ExistingIds,
    filter: &RowFilter,
    encoding: Encoding,
) -> Result<Vec<Batch>> {
    let mut batches = vec![];
    let mut failed = None;
    read_batches(
        &unit.unit,
        &unit.stamps,
        job,
        ids,
        filter,
        encoding,
        |b| match b {
            Ok(b) => {
                batches.push(b);
                true
            }
            Err(e) => {
                failed = Some(e);
                false
            }
        },
    );
    match failed {
        Some(e) => Err(e),
        None => Ok(batches),
    }
}

/// Pass 2: the nested rows of every unit, planned with the final ids, serialized by a helper
/// thread one batch of roots ahead of the writer.
pub struct Batches {
    receiver: tokio::sync::mpsc::Receiver<Result<Batch>>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Batches {
    /// Starts the reader thread. Units pass 1 kept are sent as kept (unless `filter` leaves
    /// rows out: a backfill reads everything again); the others are read again.
    pub fn start(survey: &mut Survey, job: &Job, ids: ExistingIds, filter: Arc<RowFilter>) -> Self {
        let (sender, receiver) = tokio::sync::mpsc::channel(1);
        // The roots are planned and written by now: free them for the batches.
        survey.roots = Vec::new();
        survey.deferred = Vec::new();
        if filter.leaves_out_rows() {
            survey.drop_cache();
        }
        // What pass 1 kept goes first, unpacked a few MiB at a time (one statement per table
        // each); then the units read again. Order between units does not matter: each writes
        // below its own roots, which are all written already; within a unit parents come
        // first, so a parent's rows are never sent after its children's.
        let mut kept: Vec<Packed> = vec![];
        let mut again: Vec<(Unit, Vec<FileStamp>)> = vec![];
        for u in &mut survey.units {
            match u.cached.take() {
                Some(packed) => kept.extend(packed),
                None => again.push((u.unit.clone(), u.stamps.clone())),
            }
        }
        let job = job.clone();
        let encoding = survey.encoding;
        let spill = survey.spill.clone();
        let reader = std::thread::spawn(move || {
            let send_kept = |group: Vec<Packed>| {
                let batch = group
                    .into_iter()
                    .map(|p| p.unpack(spill.as_deref()))
                    .collect::<Result<Vec<Payload>>>()
                    .map(|payloads| merge_payloads(vec![payloads]));
                sender.blocking_send(batch).is_ok()
            };
            let (mut group, mut text) = (vec![], 0);
            for packed in kept {
                text += packed.text_bytes;
                group.push(packed);
                if text >= KEPT_TEXT_PER_BATCH {
                    if !send_kept(std::mem::take(&mut group)) {
                        return;
                    }
                    text = 0;
                }
            }
            if !group.is_empty() && !send_kept(group) {
                return;
            }
            for (unit, stamps_then) in again {
                let sent = read_batches(&unit, &stamps_then, &job, &ids, &filter, encoding, |b| {
                    sender.blocking_send(b).is_ok()
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
    pub async fn next(&mut self) -> Option<Result<Batch>> {
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
    encoding: Encoding,
    mut send: impl FnMut(Result<Batch>) -> bool,
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
            Ok(plan) => Ok(nested_payloads(&plan, encoding, |table, row| {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every unit's kept text, unpacked, per (unit, table, columns).
    fn kept_text(survey: Survey) -> Vec<(String, Vec<&'static str>, String)> {
        let spill = survey.spill.clone();
        let mut out = vec![];
        for u in survey.units {
            for p in u.cached.expect("every unit kept") {
                let payload = p.unpack(spill.as_deref()).unwrap();
                out.push((
                    payload.table.name.to_string(),
                    payload.columns,
                    payload.chunks.concat(),
                ));
            }
        }
        out
    }

    #[test]
    fn rows_beyond_the_memory_cache_go_to_the_spill_file_and_come_back_the_same() {
        let dir = std::env::temp_dir().join(format!("seeder-spill-{}", uuid::Uuid::new_v4()));
        let synthetic = crate::synth::synthesize(&crate::synth::SynthOptions {
            personas: 24,
            seed: 3,
            functions: vec![],
        });
        crate::synth::write(&synthetic, &dir).unwrap();
        let job = |cache_bytes| Job {
            inputs: vec![dir.clone()],
            cache_bytes,
            ..Job::default()
        };
        let in_memory = survey(&job(None), Encoding::Copy).unwrap();
        let spilled = survey(&job(Some(0)), Encoding::Copy).unwrap();
        assert!(spilled.spill.is_some());
        let blocks = |s: &Survey| -> (usize, usize) {
            let all: Vec<&Block> = s
                .units
                .iter()
                .flat_map(|u| u.cached.iter().flatten())
                .flat_map(|p| &p.packed)
                .collect();
            let spilled = all
                .iter()
                .filter(|b| matches!(b, Block::Spilled { .. }))
                .count();
            (all.len(), spilled)
        };
        let (total, on_disk) = blocks(&spilled);
        assert!(
            total > 0 && on_disk == total,
            "{on_disk} of {total} blocks spilled"
        );
        assert_eq!(blocks(&in_memory).1, 0);
        assert_eq!(kept_text(in_memory), kept_text(spilled));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
