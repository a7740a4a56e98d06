//! The seeder's jobs, each reading like its pipeline:
//! read inputs -> validate -> (connect -> lock -> plan -> write -> verify) -> report.

use anyhow::{Context, Result, bail};
pub use pg::connect::{ConnectSettings, Db, Pooler};
use sqlx::AssertSqlSafe;
use uuid::Uuid;

use crate::deploy::{self, DeployOptions, DeployReport};

use crate::plan::{ExistingIds, Plan, plan};
use crate::problem::sorted;
use crate::verify::{VerifyReport, verify};

pub(crate) use crate::session::begin_for;
pub use documents::job::{InvalidInput, Job};
pub use documents::validate::{ensure_functions_present, read_valid_roots, validate_offline};

/// What `pg_stat_activity` shows for the seeder's connections (unless the URL names another).
pub const APPLICATION_NAME: &str = "vital-seeder";

/// TLS per the URL's sslmode, pooler, retries for `settings.connect_timeout`, application_name
/// (`pg::connect`). Every job below runs its statements inside transactions of
/// [`Db::begin_with`], unnamed: the same code works direct and behind either kind of pooler.
pub async fn connect(database_url: &str, settings: &ConnectSettings) -> Result<Db> {
    pg::connect::connect(database_url, settings).await
}

/// `work`'s error, with a missing privilege or a statement timeout explained.
async fn explained<T>(db: &Db, work: impl Future<Output = Result<T>>) -> Result<T> {
    match work.await {
        Ok(v) => Ok(v),
        Err(e) => {
            let e = crate::privileges::explain(db, e).await;
            let e = pg::connect::explain_timeout(e, db.statement_timeout);
            Err(refused_by_the_database(e))
        }
    }
}

/// An error the database raised that the checks before writing could not foresee (a trigger,
/// a constraint added after the snapshot), said once: what the server said (with its detail
/// and hint), what was being written and from which files, and that nothing was committed.
/// Errors not from the database, and those explained already, pass as they are.
fn refused_by_the_database(error: anyhow::Error) -> anyhow::Error {
    let Some(db_error) = pg::connect::database_error(&error) else {
        return error;
    };
    let mut said = db_error.message().to_string();
    if let Some(pg) = db_error.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
        if let Some(detail) = pg.detail() {
            said.push_str(&format!(" ({detail})"));
        }
        if let Some(hint) = pg.hint() {
            said.push_str(&format!("; hint: {hint}"));
        }
        if let Some(copy_line) = deploy::copy_context(pg) {
            // `COPY persona_goals, line 2`: the row's position in that statement.
            said.push_str(&format!("; at {copy_line}"));
        }
        if let Some(constraint) = pg.constraint() {
            said.push_str(&format!("; constraint {constraint}"));
        }
    }
    let doing: Vec<String> = error
        .chain()
        .take_while(|e| e.downcast_ref::<sqlx::Error>().is_none())
        .map(|e| e.to_string())
        .collect();
    let mut text = format!("the database refused a statement, so nothing was committed: {said}");
    if !doing.is_empty() {
        text.push_str(&format!(" (while {})", doing.join(": ")));
    }
    anyhow::anyhow!(text)
}

/// read -> validate against the tenant's rows -> plan (nothing written).
pub async fn validate_online(db: impl Into<Db>, job: &Job) -> Result<Plan> {
    Ok(plan_online(db, job).await?.0)
}

/// [`validate_online`]'s plan, and the root rows that exist already.
async fn plan_online(db: impl Into<Db>, job: &Job) -> Result<(Plan, ExistingIds)> {
    let db = db.into();
    let roots = read_valid_roots(job)?;
    let existing = explained(&db, async {
        let mut tx = begin_for(&db, job.tenant_id).await?;
        let existing =
            deploy::existing_ids(&mut tx, job.tenant_id, deploy::wanted_slugs(&roots)).await?;
        let refs = crate::tenant_checks::user_refs(&roots);
        let problems = crate::tenant_checks::check(&mut tx, job.tenant_id, &roots, &refs).await?;
        tx.rollback().await?;
        if !problems.is_empty() {
            return Err(InvalidInput(sorted(problems)).into());
        }
        Ok(existing)
    })
    .await?;
    let mut roots = roots;
    crate::profile::drop_existing_derived(&mut roots, &existing);
    let plan = plan(&roots, job.tenant_id, &existing).map_err(InvalidInput)?;
    Ok((plan, existing))
}

/// read units -> check -> write -> commit (or roll back): [`crate::pipeline::deploy`], the
/// writes placed by `options` (`overlap`: as soon as each unit passed; otherwise after every
/// unit passed). Memory stays bounded by a unit of input and the cache; see `stream`.
pub async fn deploy(db: impl Into<Db>, job: &Job, options: DeployOptions) -> Result<DeployReport> {
    let db = db.into();
    explained(&db, crate::pipeline::deploy(&db, job, options)).await
}

/// The deploy as a psql script (`--emit-sql`): [`crate::pipeline::deploy_into`] a script sink,
/// against the database's current rows (read under the tenant lock; nothing written).
pub async fn emit_sql(db: impl Into<Db>, job: &Job, options: DeployOptions) -> Result<String> {
    let db = db.into();
    let sink = crate::emit_sql::Sink::Script(crate::emit_sql::Script::for_tenant(job.tenant_id));
    let (_, sink) = explained(&db, crate::pipeline::deploy_into(&db, job, options, sink)).await?;
    Ok(sink.into_script().expect("a script sink gives a script"))
}

/// verify, comparing with the input when one is given.
pub async fn verify_tenant(db: impl Into<Db>, job: &Job) -> Result<VerifyReport> {
    let db = db.into();
    let plan = if job.inputs.is_empty() {
        None
    } else {
        Some(validate_online(&db, job).await?)
    };
    explained(&db, async {
        let mut tx = begin_for(&db, job.tenant_id).await?;
        let report = verify(&mut tx, job.tenant_id, &job.functions, plan.as_ref()).await?;
        tx.rollback().await?;
        Ok(report)
    })
    .await
}

/// What `create-tenant` found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TenantOutcome {
    Created,
    /// The tenant existed with this id and slug; nothing was changed.
    AlreadyPresent,
}

/// Creates the tenant when it does not exist (for the demo and tests). An id that exists with
/// another slug, or a slug that another tenant has, is refused: nothing is changed then.
pub async fn ensure_tenant(
    db: impl Into<Db>,
    id: Uuid,
    slug: &str,
    name: &str,
) -> Result<TenantOutcome> {
    let db = db.into();
    explained(&db, async {
        let mut tx = db.begin().await?;
        let found: Vec<(Uuid, String)> =
            sqlx::query_as(AssertSqlSafe(crate::sqltext::tenants_by_id_or_slug()))
                .persistent(false)
                .bind(id)
                .bind(slug)
                .fetch_all(&mut *tx)
                .await
                .context("looking the tenant up")?;
        // The row with this id comes first (the query orders it so): it decides.
        if let Some((found_id, found_slug)) = found.first() {
            if *found_id == id && found_slug == slug {
                tx.rollback().await?;
                return Ok(TenantOutcome::AlreadyPresent);
            }
            if *found_id == id {
                bail!(
                    "tenant {id} exists with slug '{found_slug}', not '{slug}': nothing changed \
                     (pass --slug {found_slug} to use it as it is)"
                );
            }
            bail!(
                "slug '{slug}' belongs to another tenant ({found_id}): nothing changed \
                 (a tenant slug is unique; choose another one)"
            );
        }
        sqlx::query(AssertSqlSafe(crate::sqltext::create_tenant()))
            .persistent(false)
            .bind(id)
            .bind(name)
            .bind(slug)
            .execute(&mut *tx)
            .await
            .context("creating the tenant")?;
        tx.commit().await?;
        Ok(TenantOutcome::Created)
    })
    .await
}
