//! Validation without a database: read every input (through its profile), keep the functions the
//! job names, and plan every row, which checks every value against the generated types, the
//! references between documents and the business rules. `seeder validate`, the first pass of a
//! deploy and the seeder's build (over `data/`) all run this.

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

use crate::input::select_functions;
use crate::job::{InvalidInput, Job};
use crate::plan::{ExistingIds, Plan, plan};
use crate::problem::sorted;
use crate::profile::{Accounting, Profile};

/// read -> select functions -> validate (without the database) -> plan.
pub fn validate_offline(job: &Job) -> Result<Plan> {
    let roots = read_valid_roots(job)?;
    plan(&roots, job.tenant_id, &ExistingIds::new()).map_err(|p| InvalidInput(p).into())
}

pub fn read_valid_roots(job: &Job) -> Result<Vec<crate::document::RowInput>> {
    let inputs = crate::input::read_inputs_with(&job.inputs, job.profile.as_deref());
    if !inputs.problems.is_empty() {
        return Err(InvalidInput(sorted(inputs.problems)).into());
    }
    if inputs.files.is_empty() {
        bail!("no input files found in {:?}", job.inputs);
    }
    let roots = select_functions(inputs.roots, &job.functions);
    ensure_functions_present(job, &roots)?;
    Ok(roots)
}

/// Every business function the job names has a persona among `roots`.
pub fn ensure_functions_present(job: &Job, roots: &[crate::document::RowInput]) -> Result<()> {
    for f in &job.functions {
        if !roots
            .iter()
            .any(|r| crate::input::function_of(r) == Some(f.as_str()))
        {
            bail!(
                "no persona of business function '{f}' in the input {:?}",
                job.inputs
            );
        }
    }
    Ok(())
}

/// The accounting of a run's inputs read through `profile` (the same reading the run does).
pub fn account(inputs: &[PathBuf], profile: &Profile) -> Accounting {
    crate::input::read_inputs_with(inputs, Some(profile))
        .accounting
        .unwrap_or_default()
}

/// With a profile: prints the accounting summary (on stderr when stdout carries JSON) and
/// writes the report file, before the run (so that a failing run still leaves both).
pub fn announce(
    job: &crate::job::Job,
    report: Option<&Path>,
    to_stderr: bool,
) -> anyhow::Result<Option<Accounting>> {
    let Some(profile) = &job.profile else {
        return Ok(None);
    };
    let accounting = account(&job.inputs, profile);
    let summary = accounting.summary();
    if to_stderr {
        eprint!("{summary}");
    } else {
        print!("{summary}");
    }
    if let Some(path) = report {
        accounting.write(path, None)?;
    }
    Ok(Some(accounting))
}
