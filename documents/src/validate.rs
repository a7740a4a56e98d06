//! Validation without a database: read every input (through its profile), keep the functions the
//! job names, and plan every row, which checks every value against the generated types, the
//! references between documents and the business rules. `seeder validate`, the first pass of a
//! deploy and the seeder's build (over `data/`) all run this.

use anyhow::{Result, bail};

use crate::input::select_functions;
use crate::job::{InvalidInput, Job};
use crate::plan::{ExistingIds, Plan, plan};
use crate::problem::sorted;

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
