//! `seeder`: validate, deploy and verify persona documents against the live VITAL schema.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand, ValueEnum};
use pg::connect::ConnectArgs;
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

#[derive(Args, Clone, Default)]
struct InputArgs {
    /// Files or folders of documents (.json, .yaml, .yml, .csv); `PATH=PROFILE` reads that
    /// input through a mapping profile. Default: the data set built into this binary
    /// (validated when it was built; `seeder data` lists it).
    #[arg(long = "input")]
    inputs: Vec<PathBuf>,
    /// Business function slugs (comma separated); default: every function found.
    #[arg(long, value_delimiter = ',')]
    business_function: Vec<String>,
    /// Every business function found (the default when none is named).
    #[arg(long)]
    all: bool,
    /// Read the JSON/YAML inputs through a mapping profile: a name (profiles/NAME.yaml) or a path.
    #[arg(long)]
    profile: Option<String>,
    /// With a profile: write where every source field went, as JSON.
    #[arg(long)]
    report: Option<PathBuf>,
    /// With a profile: a rule that matches nothing in any input is listed, not an error.
    #[arg(long)]
    allow_unused_rules: bool,
    /// deploy: MiB of compressed rows kept in memory between reading and writing; the rest
    /// goes to a temporary file (or, with --no-spill, is read again). Default 32.
    #[arg(long, env = "VITAL_SEEDER_CACHE_MIB")]
    cache_mib: Option<usize>,
    /// deploy: keep no rows in a temporary file beyond that cache (read those files again).
    #[arg(long)]
    no_spill: bool,
}

#[derive(Subcommand)]
enum ProfileAction {
    /// Write a starting profile from capture files: where the personas are, every source path
    /// with its best-guess target or a TODO naming the candidates, with counts.
    Draft {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

#[derive(Subcommand)]
enum Command {
    /// Apply the project's migrations (embedded in this binary).
    Migrate {
        #[arg(long, env = "DATABASE_URL")]
        database_url: String,
        #[command(flatten)]
        connect: ConnectArgs,
    },
    /// Print the SQL that gives a role the privileges the seeder needs and no more (with --rls,
    /// row-level security by tenant too); run it as the tables' owner. With --tenant-id the
    /// policies name that tenant (a role per tenant, which no session setting can widen);
    /// without it they follow the tenant each transaction names (guards against mistakes,
    /// not against a holder of the credential).
    Grants {
        #[arg(long)]
        role: String,
        #[arg(long)]
        rls: bool,
        /// Pin the role's policies to this tenant (needs --rls).
        #[arg(long, requires = "rls")]
        tenant_id: Option<Uuid>,
    },
    /// Create a tenant (when it does not exist).
    CreateTenant {
        #[arg(long, env = "DATABASE_URL")]
        database_url: String,
        #[command(flatten)]
        connect: ConnectArgs,
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
        #[command(flatten)]
        connect: ConnectArgs,
        #[arg(
            long,
            env = "TENANT_ID",
            default_value = "00000000-0000-0000-0000-000000000000"
        )]
        tenant_id: Uuid,
        #[command(flatten)]
        input: InputArgs,
        /// `json`: the outcome and every problem as data on stdout (the profile's accounting
        /// goes to stderr).
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Deploy the documents for a tenant in one transaction.
    Deploy {
        #[arg(long, env = "DATABASE_URL")]
        database_url: String,
        #[command(flatten)]
        connect: ConnectArgs,
        #[arg(long, env = "TENANT_ID")]
        tenant_id: Uuid,
        #[command(flatten)]
        input: InputArgs,
        /// Do everything, then roll back and report what would change.
        #[arg(long)]
        dry_run: bool,
        /// Write the deploy's statements as a self-contained psql script instead of running them
        /// (read under the tenant lock; the script gives the rows the deploy would have).
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
        /// Validate every unit before sending anything (slower: reading and PostgreSQL's work
        /// add up). The default writes each unit as soon as it has passed, while later ones are
        /// still read, in the same one transaction: nothing is visible before COMMIT and any
        /// problem rolls everything back, found while rows are being written.
        #[arg(long, env = "VITAL_SEEDER_VALIDATE_FIRST", conflicts_with = "overlap")]
        validate_first: bool,
        /// The default (kept for scripts that name it): overlap reading and writing.
        #[arg(long, env = "VITAL_SEEDER_OVERLAP")]
        overlap: bool,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Write deterministic synthetic documents that fill every persona table.
    Synth {
        #[arg(long)]
        personas: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long)]
        out: PathBuf,
        /// Spread the personas over these function slugs (default: twelve synthetic functions).
        #[arg(long, value_delimiter = ',')]
        business_function: Vec<String>,
    },
    /// Write data capture templates per business function (JSON, YAML, CSV, README) and the
    /// JSON Schemas of persona and org documents, all generated from the schema.
    Templates {
        /// Business function slugs (comma separated), from the org documents.
        #[arg(long, value_delimiter = ',', required_unless_present = "all")]
        business_function: Vec<String>,
        /// Every business function of the org documents.
        #[arg(long, conflicts_with = "business_function")]
        all: bool,
        #[arg(long)]
        out: PathBuf,
        /// Template formats (comma separated); the README is always written.
        #[arg(long, value_delimiter = ',', default_value = "json,yaml,csv")]
        format: Vec<seeder::templates::Format>,
        /// Org documents: the business functions, and the department and role of each template.
        #[arg(long, default_value = "data/org")]
        org: Vec<PathBuf>,
    },
    /// Report personas per function, rows per table, orphans, empty extensions, and compare
    /// with the input when one is given.
    Verify {
        #[arg(long, env = "DATABASE_URL")]
        database_url: String,
        #[command(flatten)]
        connect: ConnectArgs,
        #[arg(long, env = "TENANT_ID")]
        tenant_id: Uuid,
        /// Documents to compare with, row by row.
        #[arg(long = "input", conflicts_with = "builtin")]
        inputs: Vec<PathBuf>,
        /// Compare with the data set built into this binary.
        #[arg(long)]
        builtin: bool,
        /// Read the inputs through a mapping profile (or `--input PATH=PROFILE` per input).
        #[arg(long, conflicts_with = "builtin")]
        profile: Option<String>,
        /// With a profile: a rule that matches nothing in any input is listed, not an error.
        #[arg(long)]
        allow_unused_rules: bool,
        /// With a profile: write where every source field went, as JSON (as validate and
        /// deploy do).
        #[arg(long)]
        report: Option<PathBuf>,
        #[arg(long, value_delimiter = ',')]
        business_function: Vec<String>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
        /// Also write the report as one self-contained HTML page (heat map of rows per persona
        /// and table, sortable; no network needed to view it).
        #[arg(long, value_name = "FILE")]
        html: Option<PathBuf>,
    },
    /// List the data set built into this binary (validated when it was built): business
    /// functions, personas per function, rows per table.
    Data,
    /// Mapping profiles: `seeder profile draft CAPTURE... > my-profile.yaml`.
    Profile {
        #[command(subcommand)]
        action: ProfileAction,
    },
}

mod profiled;
mod snippets;

/// Reading and planning allocate for every value of every row; mimalloc is markedly faster
/// than the system allocator at that (see bench/RESULTS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match run_cli(Cli::parse()).await {
        Ok(code) => code,
        Err(e) => {
            if let Some(invalid) = e.downcast_ref::<InvalidInput>() {
                eprint!("{}", snippets::render(invalid));
            } else if let Some(errors) = e.downcast_ref::<seeder::profile::ProfileErrors>() {
                eprint!("{}", snippets::render_profile(errors));
            } else {
                eprintln!("error: {e:#}");
            }
            ExitCode::from(2)
        }
    }
}

async fn run_cli(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Migrate {
            database_url,
            connect,
        } => {
            let settings = connect.settings(run::APPLICATION_NAME);
            let applied = seeder::migrate::run(&database_url, &settings).await?;
            if applied.is_empty() {
                println!("migrations: up to date");
            } else {
                println!("migrations: applied {applied:?}");
            }
        }
        Command::Grants {
            role,
            rls,
            tenant_id,
        } => {
            use seeder::privileges::{TenantPin, grant_sql};
            let pin = rls.then_some(tenant_id.map_or(TenantPin::Session, TenantPin::Fixed));
            print!("{}", grant_sql(&role, pin));
        }
        Command::CreateTenant {
            database_url,
            connect,
            tenant_id,
            slug,
            name,
        } => {
            let pool =
                run::connect(&database_url, &connect.settings(run::APPLICATION_NAME)).await?;
            match run::ensure_tenant(&pool, tenant_id, &slug, &name).await? {
                run::TenantOutcome::Created => println!("tenant {tenant_id} ({slug}) created"),
                run::TenantOutcome::AlreadyPresent => {
                    println!("tenant {tenant_id} ({slug}) is present (unchanged)")
                }
            }
        }
        Command::Validate {
            database_url,
            connect,
            tenant_id,
            input,
            format,
        } => {
            let json = matches!(format, Format::Json);
            let (job, _builtin) = match job(&input, tenant_id) {
                Ok(j) => j,
                Err(e) => {
                    let Some(errors) = e
                        .downcast_ref::<seeder::profile::ProfileErrors>()
                        .filter(|_| json)
                    else {
                        return Err(e);
                    };
                    let value = profiled::profile_problems_json(errors);
                    println!("{}", serde_json::to_string_pretty(&value)?);
                    return Ok(ExitCode::from(2));
                }
            };
            seeder::validate::announce(&job, input.report.as_deref(), json)?;
            let planned = match database_url {
                Some(url) => {
                    let settings = connect.settings(run::APPLICATION_NAME);
                    run::validate_online(&run::connect(&url, &settings).await?, &job).await
                }
                None => run::validate_offline(&job),
            };
            if json {
                let value = profiled::validate_json(&planned);
                println!("{}", serde_json::to_string_pretty(&value)?);
                return Ok(if planned.is_ok() {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::from(2)
                });
            }
            let plan = planned?;
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
            connect,
            tenant_id,
            mut input,
            dry_run,
            emit_sql,
            auto_deploy: _,
            fix_medical_affairs,
            backfill,
            validate_first,
            overlap: _,
            format,
        } => {
            if fix_medical_affairs && input.business_function.is_empty() {
                input.business_function.push("medical-affairs".into());
            }
            let json = matches!(format, Format::Json);
            let (job, _builtin) = match job(&input, tenant_id) {
                Ok(j) => j,
                Err(e) => return problems_as_json(e, json),
            };
            let accounting = seeder::validate::announce(&job, input.report.as_deref(), json)?;
            let pool =
                run::connect(&database_url, &connect.settings(run::APPLICATION_NAME)).await?;
            let options = DeployOptions {
                dry_run,
                backfill: backfill || fix_medical_affairs,
                overlap: !validate_first,
            };
            if let Some(path) = emit_sql {
                if dry_run {
                    bail!("--emit-sql writes nothing to the database already; leave out --dry-run");
                }
                let script = run::emit_sql(&pool, &job, options).await?;
                std::fs::write(&path, script)
                    .with_context(|| format!("writing {}", path.display()))?;
                println!("wrote {}", path.display());
                return Ok(ExitCode::SUCCESS);
            }
            let mut job = job;
            let shown = progress_bar(&mut job);
            let report = run::deploy(&pool, &job, options).await;
            shown.finish();
            let report = match report {
                Ok(report) => report,
                Err(e) => return problems_as_json(e, json),
            };
            print_deploy(&report, format)?;
            if let (Some(accounting), Some(path)) = (&accounting, &input.report) {
                accounting.write(path, Some(&report))?;
            }
        }
        Command::Synth {
            personas,
            seed,
            out,
            business_function,
        } => {
            let synthetic = seeder::synth::synthesize(&seeder::synth::SynthOptions {
                personas,
                seed,
                functions: business_function,
            });
            let files = seeder::synth::write(&synthetic, &out)?;
            println!("wrote {} files into {}", files.len(), out.display());
        }
        Command::Templates {
            business_function,
            all,
            out,
            format,
            org,
        } => {
            let org = seeder::templates::Org::read(&org)?;
            let functions = if all { vec![] } else { business_function };
            let files = seeder::templates::generate(&org, &functions, &format)?;
            seeder::templates::write_files(&out, &files)?;
            println!("wrote {} files to {}", files.len(), out.display());
        }
        Command::Verify {
            database_url,
            connect,
            tenant_id,
            inputs,
            builtin,
            profile,
            allow_unused_rules,
            report,
            business_function,
            format,
            html,
        } => {
            let extracted = builtin.then(seeder::builtin::extract).transpose()?;
            let profile = profiled::run_profile(
                &inputs,
                profile.as_deref(),
                allow_unused_rules,
                report.as_deref(),
            )?;
            let inputs = match &extracted {
                Some(e) => vec![e.root.clone()],
                None => profiled::input_paths(&inputs),
            };
            if profile.is_some() {
                let job = Job {
                    inputs: inputs.clone(),
                    profile: profile.clone(),
                    ..Job::default()
                };
                seeder::validate::announce(&job, report.as_deref(), true)?;
            }
            let info = seeder::report_html::PageInfo {
                inputs: match &extracted {
                    Some(_) => vec!["the built-in data set".to_string()],
                    None => inputs.iter().map(|p| p.display().to_string()).collect(),
                },
            };
            let job = Job {
                inputs,
                tenant_id,
                functions: business_function,
                profile,
                ..Job::default()
            };
            let pool =
                run::connect(&database_url, &connect.settings(run::APPLICATION_NAME)).await?;
            let report = run::verify_tenant(&pool, &job).await?;
            print_verify(&report, format)?;
            if let Some(path) = &html {
                let page = seeder::report_html::render(&report, &info);
                std::fs::write(path, page)
                    .with_context(|| format!("writing {}", path.display()))?;
                if let Format::Json = format {
                    eprintln!("report: {}", path.display());
                } else {
                    println!("report: {}", path.display());
                }
            }
            if !report.ok() {
                return Ok(ExitCode::from(1));
            }
        }
        Command::Profile {
            action: ProfileAction::Draft { files },
        } => {
            print!("{}", profiled::draft(&files)?);
        }
        Command::Data => {
            let every_function = InputArgs {
                all: true,
                ..InputArgs::default()
            };
            let (job, _builtin) = job(&every_function, Uuid::nil())?;
            let plan = run::validate_offline(&job)?;
            print!("{}", seeder::builtin::summary(&plan));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The job of the input flags; without `--input`, the built-in data set (extracted into a
/// temporary folder that lives as long as the returned guard).
fn job(input: &InputArgs, tenant_id: Uuid) -> Result<(Job, Option<seeder::builtin::Extracted>)> {
    let (inputs, builtin) = if input.inputs.is_empty() {
        let extracted = seeder::builtin::extract()?;
        eprintln!(
            "input: the built-in data set ({} files, validated when this seeder was built)",
            seeder::builtin::FILES.len()
        );
        (vec![extracted.root.clone()], Some(extracted))
    } else {
        (profiled::input_paths(&input.inputs), None)
    };
    let job = Job {
        inputs,
        tenant_id,
        functions: if input.all {
            vec![]
        } else {
            input.business_function.clone()
        },
        profile: profiled::run_profile(
            &input.inputs,
            input.profile.as_deref(),
            input.allow_unused_rules,
            input.report.as_deref(),
        )?,
        cache_bytes: input.cache_mib.map(|mib| mib.saturating_mul(1 << 20)),
        no_spill: input.no_spill,
        progress: None,
    };
    Ok((job, builtin))
}

/// A deploy's progress on a terminal: per phase, units read of those found and rows written,
/// redrawn ten times a second from the counters the job's stages keep. Nothing otherwise
/// (logs and pipes stay clean), and then nothing is counted either.
fn progress_bar(job: &mut Job) -> ShownProgress {
    if !std::io::stderr().is_terminal() {
        return ShownProgress(None);
    }
    let progress = std::sync::Arc::new(seeder::job::Progress::default());
    job.progress = Some(progress.clone());
    let bar = indicatif::ProgressBar::new(0).with_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} {prefix}: [{bar:30}] {pos}/{len} units, {msg} rows written ({elapsed})",
        )
        .expect("a valid template")
        .progress_chars("=> "),
    );
    let drawn = bar.clone();
    let drawing = tokio::spawn(async move {
        loop {
            let now = progress.now();
            drawn.set_prefix(now.phase);
            drawn.set_length(now.units_found as u64);
            drawn.set_position(now.units_read as u64);
            drawn.set_message(now.rows_written.to_string());
            drawn.tick();
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    });
    ShownProgress(Some((bar, drawing)))
}

/// The progress bar of [`progress_bar`], while it is drawn.
struct ShownProgress(Option<(indicatif::ProgressBar, tokio::task::JoinHandle<()>)>);

impl ShownProgress {
    fn finish(self) {
        if let Some((bar, drawing)) = self.0 {
            drawing.abort();
            bar.finish_and_clear();
        }
    }
}

/// With `--format json`, bad input (or a refused profile) as data on stdout, exit status 2;
/// any other error, or without JSON, the error as it is (printed by `main`).
fn problems_as_json(error: anyhow::Error, json: bool) -> Result<ExitCode> {
    let value = if !json {
        return Err(error);
    } else if let Some(errors) = error.downcast_ref::<seeder::profile::ProfileErrors>() {
        profiled::profile_problems_json(errors)
    } else if error.downcast_ref::<InvalidInput>().is_some() {
        profiled::validate_json(&Err(error))
    } else {
        return Err(error);
    };
    println!("{}", serde_json::to_string_pretty(&value)?);
    Ok(ExitCode::from(2))
}

fn print_deploy(report: &DeployReport, format: Format) -> Result<()> {
    if let Format::Json = format {
        println!("{}", serde_json::to_string_pretty(report)?);
        return Ok(());
    }
    println!(
        "{:<45} {:>8} {:>9} {:>8} {:>8} {:>8} {:>8}",
        "table", "before", "unchanged", "updated", "inserted", "deleted", "after"
    );
    for t in &report.tables {
        println!(
            "{:<45} {:>8} {:>9} {:>8} {:>8} {:>8} {:>8}",
            t.table, t.rows_before, t.unchanged, t.updated, t.inserted, t.deleted, t.rows_after
        );
    }
    println!(
        "{}: tenant {}, {} rows written ({} updated, {} inserted), {} deleted; roots: {} created, {} updated, {} unchanged",
        if report.dry_run {
            "dry run (rolled back)"
        } else {
            "deployed"
        },
        report.tenant_id,
        report.rows_written(),
        report.tables.iter().map(|t| t.updated).sum::<u64>(),
        report.tables.iter().map(|t| t.inserted).sum::<u64>(),
        report.tables.iter().map(|t| t.deleted).sum::<u64>(),
        report.roots_created,
        report.roots_updated,
        report.roots_unchanged
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
    let coverage = report.persona_tables.coverage();
    if !coverage.is_empty() {
        println!(
            "coverage (persona tables with rows, of {}):",
            report.persona_tables.tables.len()
        );
        for c in &coverage {
            println!(
                "  {}: {} personas x {} tables (per persona: min {}, median {})",
                c.function,
                c.personas,
                c.tables,
                c.tables_per_persona_min,
                c.tables_per_persona_median
            );
        }
    }
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
