//! The project's migrations (`migrations/`), embedded in the binary.

use anyhow::{Context, Result};
use sqlx::{Connection, PgConnection};

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// Applies every pending migration; returns the versions applied now.
pub async fn run(database_url: &str) -> Result<Vec<i64>> {
    let mut conn = PgConnection::connect(database_url)
        .await
        .with_context(|| format!("connecting to {}", redact(database_url)))?;
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
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}
