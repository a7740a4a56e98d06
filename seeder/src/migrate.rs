//! The project's migrations (`migrations/`), embedded in the binary.

use std::borrow::Cow;

use anyhow::{Context, Result};
use pg::connect::ConnectSettings;
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AssertSqlSafe, PgConnection, SqlSafeStr};

// `MIGRATIONS`, written by build.rs.
include!(concat!(env!("OUT_DIR"), "/migrations.rs"));

/// The embedded migrations, as sqlx's migrator runs them (`NNNN_description.sql`: version,
/// description with `_` as spaces; `-- no-transaction` on the first line opts out of the
/// transaction), the same migrations and checksums `sqlx::migrate!` would embed.
pub fn migrator() -> Migrator {
    let migrations = MIGRATIONS
        .iter()
        .map(|(name, sql)| {
            let (version, description) = name
                .trim_end_matches(".sql")
                .split_once('_')
                .expect("build.rs lists NNNN_description.sql files");
            Migration::new(
                version.parse().expect("a numeric migration version"),
                Cow::Owned(description.replace('_', " ")),
                MigrationType::Simple,
                AssertSqlSafe(*sql).into_sql_str(),
                sql.starts_with("-- no-transaction"),
            )
        })
        .collect();
    Migrator::with_migrations(migrations)
}

/// Applies every pending migration; returns the versions applied now. Needs a session (the
/// migrator holds a session advisory lock): refused behind a transaction pooler.
pub async fn run(database_url: &str, settings: &ConnectSettings) -> Result<Vec<i64>> {
    let (_, pooler) = pg::connect::connect_options(database_url, settings)?;
    pg::connect::require_session(pooler, "seeder migrate")?;
    let db = pg::connect::connect(database_url, settings).await?;
    let mut conn = db.pool.acquire().await?;
    let before: Vec<i64> = applied(&mut conn).await.unwrap_or_default();
    migrator()
        .run(&mut conn)
        .await
        .context("applying migrations")?;
    let after = applied(&mut conn).await?;
    Ok(after.into_iter().filter(|v| !before.contains(v)).collect())
}

async fn applied(conn: &mut PgConnection) -> Result<Vec<i64>> {
    Ok(
        sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
            .fetch_all(conn)
            .await?,
    )
}

/// The URL without its password, for messages.
pub fn redact(url: &str) -> String {
    pg::connect::redact(url)
}
