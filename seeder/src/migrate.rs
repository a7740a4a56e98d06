//! The project's migrations (`migrations/`), embedded in the binary.

use anyhow::{Context, Result};
use pg::connect::ConnectSettings;
use sqlx::PgConnection;

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// Applies every pending migration; returns the versions applied now. Needs a session (the
/// migrator holds a session advisory lock): refused behind a transaction pooler.
pub async fn run(database_url: &str, settings: &ConnectSettings) -> Result<Vec<i64>> {
    let (_, pooler) = pg::connect::connect_options(database_url, settings)?;
    pg::connect::require_session(pooler, "seeder migrate")?;
    let db = pg::connect::connect(database_url, settings).await?;
    let mut conn = db.pool.acquire().await?;
    let before: Vec<i64> = applied(&mut conn).await.unwrap_or_default();
    MIGRATOR
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
