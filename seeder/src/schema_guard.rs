//! Refuses to run against a database whose schema is not the one this binary was compiled for:
//! the live catalog is read the way codegen reads it and compared with the snapshot that
//! generated the `generated` crate.

use anyhow::{Context, Result, bail};
use pg::connect::Db;
use schema::introspect::{self, Selection};
use schema::model::Snapshot;

/// The snapshot `generated` was built from (its hash is `generated::SNAPSHOT_HASH`).
const COMPILED_SNAPSHOT: &str = include_str!("../../schema_snapshots/vital.json");

pub fn compiled_snapshot() -> Result<Snapshot> {
    introspect::from_json(COMPILED_SNAPSHOT).context("reading the compiled-in snapshot")
}

/// Ok when the live schema is the compiled one; else an error listing every difference.
/// (Read in a transaction of its own: safe behind a transaction pooler.)
pub async fn ensure_same_schema(db: impl Into<Db>) -> Result<()> {
    let db = db.into();
    let compiled = compiled_snapshot()?;
    let selection = Selection {
        schema: compiled.schema.clone(),
        include: compiled.tables.iter().map(|t| t.name.clone()).collect(),
    };
    let mut tx = db.begin().await?;
    let live = introspect::snapshot_in(&mut tx, &selection)
        .await
        .context("reading the live schema")?;
    tx.rollback().await?;
    if live.content_hash == generated::SNAPSHOT_HASH {
        return Ok(());
    }
    // Read without the CHECK parser the live snapshot has no meanings: compare definitions.
    if introspect::without_meanings(&live).content_hash
        == introspect::without_meanings(&compiled).content_hash
    {
        return Ok(());
    }
    let live = introspect::with_meanings_from(&compiled, &live);
    let differences = schema::diff::diff(&compiled, &live);
    bail!(
        "the live schema differs from the one this seeder was compiled against (snapshot {}); nothing was written:\n  {}\nrun `make regen` and rebuild",
        &generated::SNAPSHOT_HASH[..12.min(generated::SNAPSHOT_HASH.len())],
        if differences.is_empty() {
            "(same tables, different details)".to_string()
        } else {
            differences.join("\n  ")
        }
    )
}
