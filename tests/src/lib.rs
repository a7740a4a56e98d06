//! Test support: a real PostgreSQL for every run and a fresh, migrated database for every test.
//!
//! - The server is the one `DATABASE_URL` points at; without it, a throwaway cluster is started
//!   from the system's PostgreSQL binaries by `scripts/pg.sh` in `target/pg-test` (the Makefile
//!   wraps `make test` in `scripts/pg.sh run`, which also stops it afterwards, even on failure).
//! - Each migration stage gets a template database, built once per migration content (its name
//!   carries a hash of the migration checksums) under an advisory lock, so parallel test
//!   processes never build it twice.
//! - Each test clones the template (`CREATE DATABASE .. TEMPLATE ..`: a file copy, fast) and
//!   drops its clone when the [`TestDb`] goes out of scope.

pub mod catalog;
pub mod pgbouncer;
pub mod tls;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};
use sqlx::migrate::Migrator;
use sqlx::postgres::PgPoolOptions;
use sqlx::{AssertSqlSafe, Connection, PgConnection, PgPool};

/// Version of the last migration that belongs to the v5.0 dump
/// (`vital_live_schema_v5.json`); later ones are the documented evolution.
pub const DUMP_POINT_VERSION: i64 = 2;

/// How far the migrations of a test database go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Up to the dump of the live database (`DUMP_POINT_VERSION`).
    DumpPoint,
    /// Every migration.
    Latest,
}

impl Stage {
    fn target(self) -> i64 {
        match self {
            Stage::DumpPoint => DUMP_POINT_VERSION,
            Stage::Latest => i64::MAX,
        }
    }
    fn label(self) -> &'static str {
        match self {
            Stage::DumpPoint => "dump",
            Stage::Latest => "latest",
        }
    }
}

/// The workspace root (the folder with `migrations/`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the workspace")
        .to_path_buf()
}

/// `../shared/reference`, beside the clone (CI lays `shared/` there).
pub fn shared_reference() -> PathBuf {
    workspace_root().join("../shared/reference")
}

pub fn migrations_dir() -> PathBuf {
    workspace_root().join("migrations")
}

/// URL of the server's maintenance database: `DATABASE_URL`, or a throwaway cluster.
pub fn server_url() -> Result<String> {
    static URL: OnceLock<String> = OnceLock::new();
    if let Some(url) = URL.get() {
        return Ok(url.clone());
    }
    let url = match std::env::var("DATABASE_URL") {
        Ok(url) if !url.is_empty() => url,
        _ => start_local_cluster()?,
    };
    Ok(URL.get_or_init(|| url).clone())
}

fn start_local_cluster() -> Result<String> {
    let root = workspace_root();
    let dir = root.join("target/pg-test");
    let out = Command::new("bash")
        .arg(root.join("scripts/pg.sh"))
        .arg("start")
        .arg(&dir)
        .output()
        .context("running scripts/pg.sh")?;
    if !out.status.success() {
        bail!(
            "could not start a throwaway PostgreSQL cluster in {}:\n{}",
            dir.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(String::from_utf8(out.stdout)?.trim().to_string())
}

/// A database of its own for one test, cloned from a migrated template; dropped on drop.
pub struct TestDb {
    pub name: String,
    pub url: String,
    pub pool: PgPool,
}

impl TestDb {
    /// A fresh database migrated to `stage`.
    pub async fn new(stage: Stage) -> Result<TestDb> {
        let server = server_url()?;
        let template = ensure_template(&server, stage).await?;
        let name = format!("test_{}", uuid::Uuid::new_v4().simple());
        let mut admin = PgConnection::connect(&server).await?;
        sqlx::raw_sql(AssertSqlSafe(format!(
            "CREATE DATABASE {name} TEMPLATE {template}"
        )))
        .execute(&mut admin)
        .await
        .with_context(|| format!("cloning template {template}"))?;
        admin.close().await?;
        let url = database_url(&server, &name)?;
        let pool = PgPoolOptions::new()
            .max_connections(4)
            .connect(&url)
            .await?;
        Ok(TestDb { name, url, pool })
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let (Ok(server), name) = (server_url(), self.name.clone()) else {
            return;
        };
        // Drop runs inside or outside a runtime; a thread of its own works in both. The pool is
        // not closed from there (its connections belong to the test's runtime, which is blocked
        // on this drop): WITH (FORCE) ends them.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            rt.block_on(async move {
                let mut admin = PgConnection::connect(&server).await.ok()?;
                sqlx::raw_sql(AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                )))
                .execute(&mut admin)
                .await
                .ok()
            })
        })
        .join();
    }
}

/// The URL of database `name` on the server of `server_url`.
pub fn database_url(server_url: &str, name: &str) -> Result<String> {
    let mut url = url_without_path(server_url);
    url.push('/');
    url.push_str(name);
    if let Some((_, query)) = server_url.split_once('?') {
        url.push('?');
        url.push_str(query);
    }
    Ok(url)
}

fn url_without_path(url: &str) -> String {
    let base = url.split_once('?').map_or(url, |(b, _)| b);
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    match base[after_scheme..].find('/') {
        Some(slash) => base[..after_scheme + slash].to_string(),
        None => base.to_string(),
    }
}

/// Applies the migrations in `migrations/` up to `stage` to the database at `url`.
pub async fn migrate(url: &str, stage: Stage) -> Result<()> {
    let migrator = Migrator::new(migrations_dir()).await?;
    let mut conn = PgConnection::connect(url).await?;
    migrator
        .run_to(stage.target(), &mut conn)
        .await
        .context("applying migrations")?;
    conn.close().await?;
    Ok(())
}

async fn ensure_template(server: &str, stage: Stage) -> Result<String> {
    let migrator = Migrator::new(migrations_dir()).await?;
    let mut hasher = Sha256::new();
    for m in migrator.iter().filter(|m| m.version <= stage.target()) {
        hasher.update(m.version.to_le_bytes());
        hasher.update(&m.checksum);
    }
    let hash = hex8(&hasher.finalize());
    let template = format!("vital_tpl_{}_{hash}", stage.label());

    let mut admin = PgConnection::connect(server).await?;
    sqlx::query("SELECT pg_advisory_lock(hashtext($1))")
        .bind(&template)
        .execute(&mut admin)
        .await?;
    let ready: Option<bool> =
        sqlx::query_scalar("SELECT datistemplate FROM pg_database WHERE datname = $1")
            .bind(&template)
            .fetch_optional(&mut admin)
            .await?;
    if ready != Some(true) {
        // A half-built template from an interrupted run is not marked: rebuild it.
        let build = async {
            // Two statements: CREATE DATABASE cannot share an implicit transaction.
            for sql in [
                format!("DROP DATABASE IF EXISTS {template} WITH (FORCE)"),
                format!("CREATE DATABASE {template}"),
            ] {
                sqlx::raw_sql(AssertSqlSafe(sql))
                    .execute(&mut admin)
                    .await?;
            }
            migrate(&database_url(server, &template)?, stage).await?;
            sqlx::raw_sql(AssertSqlSafe(format!(
                "ALTER DATABASE {template} WITH IS_TEMPLATE true"
            )))
            .execute(&mut admin)
            .await?;
            anyhow::Ok(())
        };
        build
            .await
            .with_context(|| format!("building template database {template}"))?;
    }
    sqlx::query("SELECT pg_advisory_unlock(hashtext($1))")
        .bind(&template)
        .execute(&mut admin)
        .await?;
    admin.close().await?;
    Ok(template)
}

fn hex8(bytes: &[u8]) -> String {
    bytes[..4].iter().map(|b| format!("{b:02x}")).collect()
}
