//! What every stage shares, so that no stage imports its orchestrator: the job a run works on
//! and the error of bad input (a deploy's report is in `outcome`).

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use uuid::Uuid;

use crate::problem::Problem;

/// What a run works on.
#[derive(Clone, Debug, Default)]
pub struct Job {
    pub inputs: Vec<PathBuf>,
    pub tenant_id: Uuid,
    /// Business function slugs; empty means every function found.
    pub functions: Vec<String>,
    /// A mapping profile the JSON/YAML inputs are read through (`--profile`).
    pub profile: Option<std::sync::Arc<crate::profile::Profile>>,
    /// Bytes of compressed rows a deploy may keep in memory between its two passes; default
    /// [``seeder::stream::CACHE_BYTES``]. The rest goes to a temporary file unless `no_spill`.
    pub cache_bytes: Option<usize>,
    /// Keep no rows in a temporary file: what the memory cache cannot hold is read again.
    pub no_spill: bool,
    /// Where the stages count what they have done, for a progress display (`seeder deploy`
    /// on a terminal); none: nothing is counted.
    pub progress: Option<Arc<Progress>>,
}

/// What a run has done so far, counted by its stages as they go (from any thread) and read by
/// whoever shows it: the phase, units of input read of those found, rows written.
#[derive(Debug, Default)]
pub struct Progress {
    phase: Mutex<&'static str>,
    units_found: AtomicUsize,
    units_read: AtomicUsize,
    rows_written: AtomicU64,
}

/// [`Progress`] at one moment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProgressNow {
    pub phase: &'static str,
    pub units_found: usize,
    pub units_read: usize,
    pub rows_written: u64,
}

impl Progress {
    pub fn phase(&self, phase: &'static str) {
        *self.phase.lock().unwrap_or_else(|e| e.into_inner()) = phase;
    }

    pub fn units_found(&self, n: usize) {
        self.units_found.store(n, Ordering::Relaxed);
    }

    pub fn unit_read(&self) {
        self.units_read.fetch_add(1, Ordering::Relaxed);
    }

    pub fn rows_written(&self, n: u64) {
        self.rows_written.fetch_add(n, Ordering::Relaxed);
    }

    pub fn now(&self) -> ProgressNow {
        ProgressNow {
            phase: *self.phase.lock().unwrap_or_else(|e| e.into_inner()),
            units_found: self.units_found.load(Ordering::Relaxed),
            units_read: self.units_read.load(Ordering::Relaxed),
            rows_written: self.rows_written.load(Ordering::Relaxed),
        }
    }
}

impl Job {
    /// Counts into the job's [`Progress`], when it has one.
    pub fn progress(&self, count: impl FnOnce(&Progress)) {
        if let Some(progress) = &self.progress {
            count(progress);
        }
    }
}

/// Bad input: every problem, the database untouched.
#[derive(Debug)]
pub struct InvalidInput(pub Vec<Problem>);

impl std::fmt::Display for InvalidInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{} problem(s) in the input; nothing was written:",
            self.0.len()
        )?;
        for p in &self.0 {
            writeln!(f, "  {p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for InvalidInput {}
