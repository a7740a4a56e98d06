//! Shared by the seeder's database tests: a migrated database with a tenant, deploys of the
//! project's data, and a digest of a tenant's rows to compare states.

#![allow(dead_code)]

use std::path::PathBuf;

use seeder::deploy::{DeployOptions, DeployReport};
use seeder::run::{self, Job};
use sqlx::{AssertSqlSafe, PgPool};
use uuid::Uuid;
use vital_testkit::{Stage, TestDb, workspace_root};

pub const TENANT_A: Uuid = Uuid::from_u128(0xaaaa_aaaa_0000_4000_8000_0000_0000_0001);
pub const TENANT_B: Uuid = Uuid::from_u128(0xbbbb_bbbb_0000_4000_8000_0000_0000_0002);

pub fn data_dir() -> PathBuf {
    workspace_root().join("data")
}

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(name)
}

/// A fresh migrated database with tenants A and B.
pub async fn database() -> TestDb {
    let db = TestDb::new(Stage::Latest).await.unwrap();
    run::ensure_tenant(&db.pool, TENANT_A, "tenant-a", "Tenant A")
        .await
        .unwrap();
    run::ensure_tenant(&db.pool, TENANT_B, "tenant-b", "Tenant B")
        .await
        .unwrap();
    db
}

pub fn job(inputs: Vec<PathBuf>, tenant: Uuid) -> Job {
    Job {
        inputs,
        tenant_id: tenant,
        ..Job::default()
    }
}

pub async fn deploy(
    pool: &PgPool,
    inputs: Vec<PathBuf>,
    tenant: Uuid,
) -> anyhow::Result<DeployReport> {
    run::deploy(pool, &job(inputs, tenant), DeployOptions::default()).await
}

/// `pool` as the seeder sees it, directly or as if behind a session pooler (JSON batches, no
/// COPY).
pub fn connection(pool: &PgPool, behind_pooler: bool) -> run::Db {
    if behind_pooler {
        run::Db {
            pool: pool.clone(),
            pooler: run::Pooler::Session,
            statement_timeout: None,
        }
    } else {
        pool.into()
    }
}

/// Every row of every table of the tenant as text, ordered, without the columns whose value is
/// the time of writing (timestamps defaulting to now()).
pub async fn tenant_digest(pool: &PgPool, tenant: Uuid) -> Vec<(String, String)> {
    let mut out = vec![];
    for table in generated::TABLES {
        let Some(scope) = seeder::sqltext::tenant_scope(table) else {
            continue;
        };
        let cols: Vec<String> = table
            .columns
            .iter()
            .filter(|c| !(c.has_default && c.sql_type.starts_with("timestamp")))
            .map(|c| seeder::sqltext::quote_ident(c.name))
            .collect();
        let sql = format!(
            "SELECT coalesce(string_agg(r::text, E'\\n' ORDER BY r::text), '') FROM (SELECT {} FROM {} WHERE {scope}) r",
            cols.join(", "),
            seeder::sqltext::quote_ident(table.name)
        );
        let text: String = sqlx::query_scalar(AssertSqlSafe(sql))
            .bind(tenant)
            .fetch_one(pool)
            .await
            .unwrap();
        out.push((table.name.to_string(), text));
    }
    out
}

/// Whether the tenant has no row in any table.
pub async fn tenant_is_empty(pool: &PgPool, tenant: Uuid) -> bool {
    counts(pool, tenant).await.iter().all(|(_, n)| *n == 0)
}

/// Rows per table of the tenant.
pub async fn counts(pool: &PgPool, tenant: Uuid) -> Vec<(String, i64)> {
    let mut conn = pool.acquire().await.unwrap();
    let counts = seeder::deploy::count_tables(&mut conn, tenant)
        .await
        .unwrap();
    generated::TABLES
        .iter()
        .filter_map(|t| counts.get(t.name).map(|n| (t.name.to_string(), *n)))
        .collect()
}

/// A fresh folder under the system's temporary directory.
pub fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("seeder-{name}-{}", Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The problems of a deploy refused for bad input, as printed.
pub fn problem_texts(err: &anyhow::Error) -> Vec<String> {
    let problems = &err
        .downcast_ref::<seeder::run::InvalidInput>()
        .unwrap_or_else(|| panic!("bad input expected, got: {err:#}"))
        .0;
    problems.iter().map(ToString::to_string).collect()
}

/// Runs the psql script `path` against `url` (with `pgoptions` as the session's PGOPTIONS),
/// stopping at the first error; panics with psql's output when it fails.
pub fn run_psql_script(url: &str, path: &std::path::Path, pgoptions: Option<&str>) {
    let mut psql = std::process::Command::new("psql");
    psql.arg(url).args(["-q", "-f"]).arg(path);
    if let Some(options) = pgoptions {
        psql.env("PGOPTIONS", options);
    }
    let out = psql.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
