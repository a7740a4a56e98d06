//! The seeder's jobs, each reading like its pipeline:
//! read inputs -> validate -> (connect -> lock -> plan -> write -> verify) -> report.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use sqlx::postgres::PgPoolOptions;
use sqlx::{Connection, PgPool};
use uuid::Uuid;

use crate::deploy::{self, DeployOptions, DeployReport};
use crate::input::{read_inputs, select_functions};
use crate::plan::{ExistingIds, Plan, References, plan, plan_with};
use crate::problem::{Problem, sorted};
use crate::verify::{VerifyReport, verify};

/// What a run works on.
#[derive(Clone, Debug, Default)]
pub struct Job {
    pub inputs: Vec<PathBuf>,
    pub tenant_id: Uuid,
    /// Business function slugs; empty means every function found.
    pub functions: Vec<String>,
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

/// read -> select functions -> validate (without the database) -> plan.
pub fn validate_offline(job: &Job) -> Result<Plan> {
    let roots = read_valid_roots(job)?;
    plan(&roots, job.tenant_id, &ExistingIds::new()).map_err(|p| InvalidInput(p).into())
}

fn read_valid_roots(job: &Job) -> Result<Vec<crate::document::RowInput>> {
    let inputs = read_inputs(&job.inputs);
    if !inputs.problems.is_empty() {
        return Err(InvalidInput(sorted(inputs.problems)).into());
    }
    if inputs.files.is_empty() {
        bail!("no input files found in {:?}", job.inputs);
    }
    let roots = select_functions(inputs.roots, &job.functions);
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
    Ok(roots)
}

pub async fn connect(database_url: &str) -> Result<PgPool> {
    PgPoolOptions::new()
        .max_connections(2)
        .connect(database_url)
        .await
        .with_context(|| format!("connecting to {}", crate::migrate::redact(database_url)))
}

/// read -> validate against the tenant's rows -> plan (nothing written).
pub async fn validate_online(pool: &PgPool, job: &Job) -> Result<Plan> {
    let roots = read_valid_roots(job)?;
    let mut conn = pool.acquire().await?;
    let existing = deploy::existing_ids(&mut conn, job.tenant_id, &roots).await?;
    plan(&roots, job.tenant_id, &existing).map_err(|p| InvalidInput(p).into())
}

/// read -> validate -> check schema -> lock tenant -> plan -> write -> commit (or roll back).
pub async fn deploy(
    pool: &PgPool,
    job: &Job,
    options: DeployOptions,
) -> Result<(Plan, DeployReport)> {
    let roots = read_valid_roots(job)?;
    // Offline validation first: bad documents fail before any connection is used.
    // References to org rows may resolve against the database: only those wait for it.
    plan_with(
        &roots,
        job.tenant_id,
        &ExistingIds::new(),
        References::Deferred,
    )
    .map_err(InvalidInput)?;
    crate::schema_guard::ensure_same_schema(pool).await?;

    let mut conn = pool.acquire().await?;
    let mut tx = conn.begin().await?;
    deploy::lock_tenant(&mut tx, job.tenant_id).await?;
    let existing = deploy::existing_ids(&mut tx, job.tenant_id, &roots).await?;
    let plan = plan(&roots, job.tenant_id, &existing).map_err(InvalidInput)?;
    let report = deploy::write(&mut tx, &plan, &existing, options).await?;
    if options.dry_run {
        tx.rollback().await?;
    } else {
        tx.commit().await.context("committing")?;
    }
    Ok((plan, report))
}

/// The psql script of a plan made against the database's current rows.
pub async fn emit_sql(pool: &PgPool, job: &Job) -> Result<String> {
    let plan = validate_online(pool, job).await?;
    Ok(crate::emit_sql::script(&plan))
}

/// verify, comparing with the input when one is given.
pub async fn verify_tenant(pool: &PgPool, job: &Job) -> Result<VerifyReport> {
    let plan = if job.inputs.is_empty() {
        None
    } else {
        Some(validate_online(pool, job).await?)
    };
    let mut conn = pool.acquire().await?;
    verify(&mut conn, job.tenant_id, &job.functions, plan.as_ref()).await
}

/// Creates the tenant when it does not exist (for the demo and tests).
pub async fn ensure_tenant(pool: &PgPool, id: Uuid, slug: &str, name: &str) -> Result<()> {
    sqlx::query(crate::sqltext::CREATE_TENANT)
        .bind(id)
        .bind(name)
        .bind(slug)
        .execute(pool)
        .await
        .context("creating the tenant")?;
    Ok(())
}
