//! `codegen snapshot | generate | check`: each command reads like its pipeline.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use pg::connect::{self, ConnectArgs, ConnectSettings};
use schema::introspect::{self, Selection};
use schema::model::{CheckKind, Snapshot};

#[derive(Parser)]
#[command(
    version,
    about = "Live PostgreSQL schema -> deterministic snapshot -> typed Rust"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read the live catalog and write the JSON snapshot.
    Snapshot {
        #[arg(long, env = "DATABASE_URL")]
        database_url: String,
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value = "public")]
        schema: String,
        /// Table name patterns (`*` wildcard), comma separated.
        #[arg(long, value_delimiter = ',', default_values_t = introspect::DEFAULT_INCLUDE.iter().map(|s| s.to_string()))]
        include: Vec<String>,
        #[command(flatten)]
        connect: ConnectArgs,
    },
    /// Write the generated crate's sources from a snapshot (only the files that change).
    Generate {
        #[arg(long)]
        snapshot: PathBuf,
        /// The generated crate's `src/`.
        #[arg(long)]
        out: PathBuf,
    },
    /// Exit 0 when the live schema matches the snapshot, else print the differences and exit 1.
    Check {
        #[arg(long, env = "DATABASE_URL")]
        database_url: String,
        #[arg(long)]
        snapshot: PathBuf,
        /// Table name patterns; by default those of the snapshot's own tables.
        #[arg(long, value_delimiter = ',')]
        include: Option<Vec<String>>,
        #[command(flatten)]
        connect: ConnectArgs,
    },
}

/// What `pg_stat_activity` shows for codegen's connections.
const APPLICATION_NAME: &str = "vital-codegen";

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<()> {
    match Cli::parse().command {
        Command::Snapshot {
            database_url,
            out,
            schema,
            include,
            connect,
        } => {
            let settings = connect.settings(APPLICATION_NAME);
            snapshot(
                &database_url,
                &settings,
                &out,
                Selection { schema, include },
            )
            .await
        }
        Command::Generate { snapshot, out } => generate(&snapshot, &out),
        Command::Check {
            database_url,
            snapshot,
            include,
            connect,
        } => {
            let settings = connect.settings(APPLICATION_NAME);
            let same = check(&database_url, &settings, &snapshot, include).await?;
            std::process::exit(if same { 0 } else { 1 });
        }
    }
}

/// read catalog -> snapshot -> report -> persist (only when changed).
async fn snapshot(
    database_url: &str,
    settings: &ConnectSettings,
    out: &Path,
    selection: Selection,
) -> Result<()> {
    let snap = read_live(database_url, settings, &selection).await?;
    print_summary(&snap);
    let json = introspect::to_json(&snap);
    let changed = codegen::fsutil::write_if_changed(out, &json)?;
    println!(
        "{} {} (hash {})",
        if changed { "wrote" } else { "unchanged" },
        out.display(),
        &snap.content_hash[..12]
    );
    Ok(())
}

/// read snapshot -> generate in memory -> persist what changed.
fn generate(snapshot: &Path, out: &Path) -> Result<()> {
    let snap = read_snapshot(snapshot)?;
    let files = codegen::emit::generate(&snap)?;
    let changed = codegen::emit::write_changed(&files, out)?;
    println!(
        "generated {} files into {} ({} changed) from snapshot {}",
        files.len(),
        out.display(),
        changed.len(),
        &snap.content_hash[..12]
    );
    Ok(())
}

fn read_snapshot(path: &Path) -> Result<Snapshot> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    introspect::from_json(&text).with_context(|| format!("parsing {}", path.display()))
}

/// read snapshot file -> read live -> diff -> report.
async fn check(
    database_url: &str,
    settings: &ConnectSettings,
    path: &Path,
    include: Option<Vec<String>>,
) -> Result<bool> {
    let expected = read_snapshot(path)?;
    let selection = Selection {
        schema: expected.schema.clone(),
        include: include
            .unwrap_or_else(|| expected.tables.iter().map(|t| t.name.clone()).collect()),
    };
    let live = read_live(database_url, settings, &selection).await?;
    let differences = schema::diff::diff(&expected, &live);
    if differences.is_empty() {
        println!(
            "live schema matches {} (hash {})",
            path.display(),
            &expected.content_hash[..12]
        );
        return Ok(true);
    }
    println!("live schema differs from {}:", path.display());
    for d in &differences {
        println!("  {d}");
    }
    println!("run `make regen` to regenerate the snapshot and the generated crate");
    Ok(false)
}

/// connect (TLS, pooler, retries) -> read the catalog in one transaction.
async fn read_live(
    database_url: &str,
    settings: &ConnectSettings,
    selection: &Selection,
) -> Result<Snapshot> {
    let db = connect::connect(database_url, settings).await?;
    let mut tx = db.begin().await?;
    let snap = introspect::snapshot_in(&mut tx, selection).await;
    tx.rollback().await?;
    db.pool.close().await;
    snap
}

fn print_summary(snap: &Snapshot) {
    let checks: Vec<_> = snap.all_checks().collect();
    let count = |f: fn(&CheckKind) -> bool| checks.iter().filter(|(_, c)| f(&c.parsed)).count();
    let value_lists = count(|k| matches!(k, CheckKind::ValueList { .. }));
    let ranges = count(|k| matches!(k, CheckKind::Range { .. }));
    let elements = count(|k| matches!(k, CheckKind::ArrayElements { .. }));
    let unparsed: Vec<_> = checks
        .iter()
        .filter(|(_, c)| matches!(c.parsed, CheckKind::Unparsed { .. }))
        .collect();
    let persona_tables = snap
        .tables
        .iter()
        .filter(|t| t.name == "personas" || t.name.starts_with("persona_"))
        .count();
    println!(
        "snapshot: {} tables ({} persona tables), {} columns, {} enums, {} domains",
        snap.tables.len(),
        persona_tables,
        snap.tables.iter().map(|t| t.columns.len()).sum::<usize>(),
        snap.enums.len(),
        snap.domains.len()
    );
    println!(
        "checks: {} total, {} typed ({} value lists, {} ranges, {} array element lists), {} verbatim fallbacks",
        checks.len(),
        checks.len() - unparsed.len(),
        value_lists,
        ranges,
        elements,
        unparsed.len()
    );
    for (owner, c) in unparsed {
        if let CheckKind::Unparsed { reason } = &c.parsed {
            eprintln!(
                "warning: {owner}: CHECK {} kept verbatim, enforced by the database only ({reason}): {}",
                c.name, c.definition
            );
        }
    }
}
