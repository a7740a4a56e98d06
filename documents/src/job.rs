//! What every stage shares, so that no stage imports its orchestrator: the job a run works on
//! and the error of bad input (a deploy's report is in `outcome`).

use std::path::PathBuf;

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
