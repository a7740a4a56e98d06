//! The units of input, read in bounded memory, one unit (a document, or a folder's CSV set) at
//! a time: the deploy's ordered reader.
//!
//! [`UnitStream`] reads, validates and plans every unit on helper threads (every core), and
//! keeps only what checks across units and the writer need: its root rows without their nested
//! rows, the references it leaves to other units or to the database, and its nested rows
//! serialized, compressed: in memory while they fit [`CACHE_BYTES`], then in an anonymous
//! temporary file ([`Spill`]). The writer sends those as they are when the database holds no
//! root row under another id than the one the seeder gives it (always so for rows the seeder
//! created) and no nested row waits for a reference to another unit; otherwise (or with
//! `--no-spill` beyond the cache) [`read_again`] reads the unit again with the final ids, and
//! refuses a file that changed since.
//!
//! Memory is bounded by the units being read and the cache, not by the input.

use crate::tenant_checks::{UserRef, user_refs};
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::SystemTime;

use crate::deploy::{Encoding, Payload, RowFilter, merge_payloads, nested_payloads};
use crate::document::RowInput;
use crate::input::{Unit, list_units, read_unit, select_functions};
use crate::job::Job;
use crate::plan::{DeferredReference, ExistingIds, Plan, References, plan_with, root_id};
use crate::problem::Problem;
use crate::vocabulary::vocabulary;
use anyhow::{Context, Result, anyhow};

/// Roots planned at once when a unit is read again: a few thousand nested rows per statement.
pub const ROOTS_PER_BATCH: usize = 64;

/// Roots planned at once when a unit is first read, where batches only bound memory (what is kept is merged
/// into one statement per table anyway).
const ROOTS_PER_SURVEY_BATCH: usize = 16;

/// Serialized nested rows the reader may keep in memory for the writer, compressed: ~1,500 synthetic
/// personas with every table filled. Beyond that they go to a temporary file ([`Spill`]), so
/// memory stays flat and nothing is read twice.
pub const CACHE_BYTES: usize = 32 << 20;

/// A batch of nested rows, serialized: one payload per table and column set, parents first.
pub type Batch = Vec<Payload>;

/// A payload kept between the passes, its text lz4-compressed: COPY text of rows compresses
/// several times over and unpacks at GB/s, so the cache holds that much more of the input
/// than re-reading it would cost.
#[derive(Debug)]
struct Packed {
    /// The payload without its text.
    payload: Payload,
    packed: Vec<Block>,
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
        Packed { payload, packed }
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

/// Whether every root of `roots` has the id its first reading planned it with (the one the seeder gives)
/// in `ids`, or none yet: a root row made by something else has another id, and so does every
/// nested row below it, so what was kept cannot be sent as it is.
pub fn offline_ids_hold(roots: &[RowInput], tenant: uuid::Uuid, ids: &ExistingIds) -> bool {
    roots.iter().all(|r| {
        r.slug().is_none_or(|slug| {
            ids.get(&(r.table.name, slug.to_string()))
                .is_none_or(|id| *id == root_id(tenant, r.table.name, slug))
        })
    })
}

/// (table, slug) of every root row the input defines.
pub fn defined_roots(roots: &[RowInput]) -> impl Iterator<Item = (&'static str, &str)> {
    let v = vocabulary();
    roots
        .iter()
        .filter(|r| v.root_of_table(r.table.name).is_some())
        .filter_map(|r| r.slug().map(|s| (r.table.name, s)))
}

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
/// else in the spill file; `None` when neither can take them (the unit is read again).
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

/// The ordered reader of the deploy ([`crate::pipeline`]): helper threads on every core read
/// the units in listing order, ahead of the writer, and [`UnitStream::next_ready`] hands them
/// over in that order.
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

    /// Every unit of a stream of `job`, read.
    async fn read(job: &Job) -> (UnitStream, Vec<StreamedUnit>) {
        let (mut stream, problems) = UnitStream::start(job, Encoding::Copy);
        assert!(problems.is_empty(), "{problems:?}");
        let mut units = vec![];
        while let Some(ready) = stream.next_ready(usize::MAX).await {
            units.extend(ready.unwrap());
        }
        (stream, units)
    }

    /// (all kept blocks, those in the spill file)
    fn blocks(units: &[StreamedUnit]) -> (usize, usize) {
        let all: Vec<&Block> = units
            .iter()
            .flat_map(|u| u.cached.iter().flatten())
            .flat_map(|p| &p.packed)
            .collect();
        let spilled = all
            .iter()
            .filter(|b| matches!(b, Block::Spilled { .. }))
            .count();
        (all.len(), spilled)
    }

    /// Every unit's kept text, unpacked, per (table, columns).
    fn kept_text(
        stream: &UnitStream,
        units: &mut [StreamedUnit],
    ) -> Vec<(String, Vec<&'static str>, String)> {
        let mut out = vec![];
        for unit in units {
            for payload in stream.take_kept(unit).expect("every unit kept").unwrap() {
                out.push((
                    payload.table.name.to_string(),
                    payload.columns,
                    payload.chunks.concat(),
                ));
            }
        }
        out
    }

    #[tokio::test]
    async fn rows_beyond_the_memory_cache_go_to_the_spill_file_and_come_back_the_same() {
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
        let (memory_stream, mut in_memory) = read(&job(None)).await;
        let (spill_stream, mut spilled) = read(&job(Some(0))).await;
        assert!(spill_stream.spill.is_some());
        let (total, on_disk) = blocks(&spilled);
        assert!(
            total > 0 && on_disk == total,
            "{on_disk} of {total} blocks spilled"
        );
        assert_eq!(blocks(&in_memory).1, 0);
        assert_eq!(
            kept_text(&memory_stream, &mut in_memory),
            kept_text(&spill_stream, &mut spilled)
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
