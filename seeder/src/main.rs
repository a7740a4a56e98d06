//! `seeder`: validate, deploy and verify persona documents against the live VITAL schema.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand, ValueEnum};
use seeder::deploy::{DeployOptions, DeployReport};
use seeder::run::{self, InvalidInput, Job};
use seeder::verify::VerifyReport;
use uuid::Uuid;

/// Loads persona documents into a VITAL (PostgreSQL / Supabase) database.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, Debug, Default, ValueEnum)]
enum Format {
    #[default]
    Text,
    Json,
}

#[derive(Args, Clone)]
struct InputArgs {
    /// Files or folders of documents (.json, .yaml, .yml, .csv).
    #[arg(long = "input", default_value = "data")]
    inputs: Vec<PathBuf>,
    /// Business function slugs (comma separated); default: every function found.
    #[arg(long, value_delimiter = ',')]
    business_function: Vec<String>,
    /// Every business function found (the default when none is named).
    #[arg(long)]
    all: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Apply the project's migrations (embedded in this binary).
    Migrate {
        #[arg(long, env = "DATABASE_URL")]
        database_url: String,
    },
    /// Create a tenant (when it does not exist).
    CreateTenant {
        #[arg(long, env = "DATABASE_URL")]
        database_url: String,
        #[arg(long, env = "TENANT_ID")]
        tenant_id: Uuid,
        #[arg(long)]
        slug: String,
        #[arg(long)]
        name: String,
    },
    /// Check every input without writing: types, CHECKs, required fields, unique keys,
    /// references, rules. With a database URL, references are checked against the tenant too.
    Validate {
        #[arg(long, env = "DATABASE_URL")]
        database_url: Option<String>,
        #[arg(
            long,
            env = "TENANT_ID",
            default_value = "00000000-0000-0000-0000-000000000000"
        )]
        tenant_id: Uuid,
        #[command(flatten)]
        input: InputArgs,
    },
    /// Deploy the documents for a tenant in one transaction.
    Deploy {
        #[arg(long, env = "DATABASE_URL")]
        database_url: String,
        #[arg(long, env = "TENANT_ID")]
        tenant_id: Uuid,
        #[command(flatten)]
        input: InputArgs,
        /// Do everything, then roll back and report what would change.
        #[arg(long)]
        dry_run: bool,
        /// Write a self-contained psql script giving the same rows instead of deploying.
        #[arg(long)]
        emit_sql: Option<PathBuf>,
        /// The seeding guide's orchestrator flag: deploy (this is what deploy does).
        #[arg(long)]
        auto_deploy: bool,
        /// The guide's repair: add the missing extension rows of existing medical-affairs personas.
        #[arg(long)]
        fix_medical_affairs: bool,
        /// Add the missing nested rows of existing personas only (any function).
        #[arg(long)]
        backfill: bool,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Report personas per function, rows per table, orphans, empty extensions, and compare
    /// with the input when one is given.
    Verify {
        #[arg(long, env = "DATABASE_URL")]
        database_url: String,
        #[arg(long, env = "TENANT_ID")]
        tenant_id: Uuid,
        /// Documents to compare with, row by row.
        #[arg(long = "input")]
        inputs: Vec<PathBuf>,
        #[arg(long, value_delimiter = ',')]
        business_function: Vec<String>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match run_cli(Cli::parse()).await {
        Ok(code) => code,
        Err(e) => {
            if let Some(invalid) = e.downcast_ref::<InvalidInput>() {
                eprint!("{invalid}");
            } else {
                eprintln!("error: {e:#}");
            }
            ExitCode::from(2)
        }
    }
}

async fn run_cli(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Migrate { database_url } => {
            let applied = seeder::migrate::run(&database_url).await?;
            if applied.is_empty() {
                println!("migrations: up to date");
            } else {
                println!("migrations: applied {applied:?}");
            }
        }
        Command::CreateTenant {
            database_url,
            tenant_id,
            slug,
            name,
        } => {
            let pool = run::connect(&database_url).await?;
            run::ensure_tenant(&pool, tenant_id, &slug, &name).await?;
            println!("tenant {tenant_id} ({slug}) is present");
        }
        Command::Validate {
            database_url,
            tenant_id,
            input,
        } => {
            let job = job(&input, tenant_id)?;
            let plan = match database_url {
                Some(url) => run::validate_online(&run::connect(&url).await?, &job).await?,
                None => run::validate_offline(&job)?,
            };
            println!(
                "valid: {} root rows, {} rows in {} tables",
                plan.tables
                    .iter()
                    .filter(|t| t.table.parent.is_none())
                    .map(|t| t.rows.len())
                    .sum::<usize>(),
                plan.row_count(),
                plan.tables.iter().filter(|t| !t.rows.is_empty()).count()
            );
        }
        Command::Deploy {
            database_url,
            tenant_id,
            mut input,
            dry_run,
            emit_sql,
            auto_deploy: _,
            fix_medical_affairs,
            backfill,
            format,
        } => {
            if fix_medical_affairs && input.business_function.is_empty() {
                input.business_function.push("medical-affairs".into());
            }
            let job = job(&input, tenant_id)?;
            let pool = run::connect(&database_url).await?;
            if let Some(path) = emit_sql {
                if backfill || fix_medical_affairs {
                    bail!(
                        "--emit-sql writes a full deployment; it cannot be combined with --backfill / --fix-medical-affairs"
                    );
                }
                let script = run::emit_sql(&pool, &job).await?;
                std::fs::write(&path, script)
                    .with_context(|| format!("writing {}", path.display()))?;
                println!("wrote {}", path.display());
                return Ok(ExitCode::SUCCESS);
            }
            let options = DeployOptions {
                dry_run,
                backfill: backfill || fix_medical_affairs,
            };
            let progress = spinner("deploying");
            let (_, report) = run::deploy(&pool, &job, options).await?;
            progress.finish_and_clear();
            print_deploy(&report, format)?;
        }
        Command::Verify {
            database_url,
            tenant_id,
            inputs,
            business_function,
            format,
        } => {
            let job = Job {
                inputs,
                tenant_id,
                functions: business_function,
            };
            let pool = run::connect(&database_url).await?;
            let report = run::verify_tenant(&pool, &job).await?;
            print_verify(&report, format)?;
            if !report.ok() {
                return Ok(ExitCode::from(1));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn job(input: &InputArgs, tenant_id: Uuid) -> Result<Job> {
    Ok(Job {
        inputs: input.inputs.clone(),
        tenant_id,
        functions: if input.all {
            vec![]
        } else {
            input.business_function.clone()
        },
    })
}

/// A spinner on a terminal, nothing otherwise (logs and pipes stay clean).
fn spinner(message: &'static str) -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new_spinner().with_message(message);
    bar.enable_steady_tick(std::time::Duration::from_millis(100));
    bar
}

fn print_deploy(report: &DeployReport, format: Format) -> Result<()> {
    if let Format::Json = format {
        println!("{}", serde_json::to_string_pretty(report)?);
        return Ok(());
    }
    println!(
        "{:<45} {:>8} {:>8} {:>8}",
        "table", "before", "written", "after"
    );
    for t in &report.tables {
        println!(
            "{:<45} {:>8} {:>8} {:>8}",
            t.table, t.rows_before, t.rows_written, t.rows_after
        );
    }
    println!(
        "{}: tenant {}, {} rows written, {} roots created, {} updated",
        if report.dry_run {
            "dry run (rolled back)"
        } else {
            "deployed"
        },
        report.tenant_id,
        report.rows_written(),
        report.roots_created,
        report.roots_updated
    );
    Ok(())
}

fn print_verify(report: &VerifyReport, format: Format) -> Result<()> {
    if let Format::Json = format {
        println!("{}", serde_json::to_string_pretty(report)?);
        return Ok(());
    }
    println!(
        "personas per business function (tenant {}):",
        report.tenant_id
    );
    let mut total = 0;
    for (f, n) in &report.personas_per_function {
        println!("  {f:<30} {n:>6}");
        total += n;
    }
    println!("  {:<30} {total:>6}", "total");
    let filled = report.rows_per_table.iter().filter(|(_, n)| *n > 0).count();
    println!(
        "rows per table ({} of {} tables have rows):",
        filled,
        report.rows_per_table.len()
    );
    for (t, n) in &report.rows_per_table {
        println!("  {t:<45} {n:>8}");
    }
    println!(
        "orphans: {}",
        if report.orphans.is_empty() {
            "none".to_string()
        } else {
            format!("{:?}", report.orphans)
        }
    );
    println!(
        "personas without any extension row: {}",
        if report.personas_without_extensions.is_empty() {
            "none".to_string()
        } else {
            report.personas_without_extensions.join(", ")
        }
    );
    if report.compared_rows > 0 || !report.mismatches.is_empty() {
        println!(
            "compared with the input: {} rows, {} differences",
            report.compared_rows,
            report.mismatches.len()
        );
        for m in &report.mismatches {
            println!("  {m}");
        }
    }
    println!("verify: {}", if report.ok() { "OK" } else { "FAILED" });
    Ok(())
}
