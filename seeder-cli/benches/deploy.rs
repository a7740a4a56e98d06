//! `make bench`: the seeder against the guide's way and against `\copy`, on the same synthetic
//! data and a fresh database each time; then codegen and build figures. Writes bench/RESULTS.md.
//!
//! Needs DATABASE_URL (the Makefile starts a throwaway cluster), `psql`, and the release binaries
//! of seeder and codegen (the Makefile builds them first). Ratios are against baselines measured
//! in the same run, so they stay meaningful on another machine.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use seeder::plan::{Plan, group_by_columns};
use seeder::run::{self, Job};
use seeder::sqltext::quote_ident;
use seeder::synth::{Revision, SynthOptions, revise, synthesize, write};
use uuid::Uuid;
use vital_testkit::{Stage, TestDb, workspace_root};

const TENANT: Uuid = Uuid::from_u128(0x000b_e0c4_0000_4000_8000_0000_0000_0001);

struct Measure {
    label: &'static str,
    rows: usize,
    wall: Duration,
    /// Every round's wall time, in the order run.
    rounds: Vec<Duration>,
    peak_kib: Option<u64>,
    /// Rows the server inserted, updated and deleted in the tenant's tables (median round).
    server_writes: Option<ServerWrites>,
}

/// One round of a step: (wall time, peak KiB) of the command, and what the server wrote.
type Round = ((Duration, Option<u64>), Option<ServerWrites>);

/// `pg_stat_user_tables` counters over the schema's tables: what a step made the server write.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
struct ServerWrites {
    inserted: i64,
    updated: i64,
    deleted: i64,
}

impl ServerWrites {
    fn total(&self) -> i64 {
        self.inserted + self.updated + self.deleted
    }

    fn since(self, before: ServerWrites) -> ServerWrites {
        ServerWrites {
            inserted: self.inserted - before.inserted,
            updated: self.updated - before.updated,
            deleted: self.deleted - before.deleted,
        }
    }
}

/// The counters now, once the last step's backend has reported them (it does when its
/// session ends, just after the client has gone).
async fn server_writes(db: &TestDb) -> ServerWrites {
    // The tables of tenant rows only: the tenant row itself was written by a pooled connection
    // whose counters PostgreSQL may report later.
    let tables: Vec<&str> = generated::TABLES
        .iter()
        .filter(|t| seeder::sqltext::tenant_scope(t).is_some())
        .map(|t| t.name)
        .collect();
    let read = || async {
        let (inserted, updated, deleted): (i64, i64, i64) = sqlx::query_as(
            "SELECT coalesce(sum(n_tup_ins), 0)::bigint, coalesce(sum(n_tup_upd), 0)::bigint, coalesce(sum(n_tup_del), 0)::bigint FROM pg_stat_user_tables WHERE schemaname = $1 AND relname = ANY($2)",
        )
        .bind(generated::SCHEMA)
        .bind(&tables)
        .fetch_one(&db.pool)
        .await
        .unwrap();
        ServerWrites {
            inserted,
            updated,
            deleted,
        }
    };
    let mut last = read().await;
    for _ in 0..30 {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let now = read().await;
        if now == last {
            break;
        }
        last = now;
    }
    last
}

impl Measure {
    fn rows_per_s(&self) -> f64 {
        self.rows as f64 / self.wall.as_secs_f64()
    }
}

/// Runs a command under GNU time (when present) for its peak memory; returns wall time and KiB.
fn timed(program: &Path, args: &[&str]) -> (Duration, Option<u64>) {
    let gnu_time = Path::new("/usr/bin/time");
    let mut cmd = if gnu_time.exists() {
        let mut c = Command::new(gnu_time);
        c.args(["-f", "peak_kib=%M"]).arg(program);
        c
    } else {
        Command::new(program)
    };
    let start = Instant::now();
    let out = cmd.args(args).output().expect("running a benchmark step");
    let wall = start.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{} {args:?} failed:\n{stderr}",
        program.display()
    );
    let peak = stderr
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("peak_kib="))
        .and_then(|v| v.trim().parse().ok());
    (wall, peak)
}

fn psql() -> PathBuf {
    PathBuf::from("psql")
}

async fn fresh_db() -> TestDb {
    let db = TestDb::new(Stage::Latest).await.unwrap();
    run::ensure_tenant(&db.pool, TENANT, "bench", "Bench")
        .await
        .unwrap();
    quiet_server(&db).await;
    db
}

/// `VACUUM (ANALYZE)` of the database a step has just loaded, then [`quiet_server`]: what
/// autovacuum would do within a minute is done before the next step, not during it.
async fn settle(db: &TestDb) {
    sqlx::raw_sql("VACUUM (ANALYZE)")
        .execute(&db.pool)
        .await
        .unwrap();
    quiet_server(db).await;
}

/// Waits until no autovacuum worker runs and writes out dirty buffers: on 2 cores an ANALYZE
/// of the previous step's tables, or a checkpoint it left due, would otherwise slow the next
/// step by up to a core, whichever method that step measures.
async fn quiet_server(db: &TestDb) {
    for _ in 0..600 {
        let busy: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        if busy == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    sqlx::raw_sql("CHECKPOINT").execute(&db.pool).await.unwrap();
}

/// The guide's deployment script: one transaction, a DO block per persona, one INSERT per row.
fn guide_script(plan: &Plan) -> String {
    let mut out = String::from("\\set ON_ERROR_STOP on\nBEGIN;\n");
    let insert = |out: &mut String, table: &str, values: &[(&'static str, generated::SqlValue)]| {
        let cols: Vec<String> = values.iter().map(|(c, _)| quote_ident(c)).collect();
        let vals: Vec<String> = values.iter().map(|(_, v)| v.to_sql_literal()).collect();
        let _ = writeln!(
            out,
            "    INSERT INTO {} ({}) VALUES ({});",
            quote_ident(table),
            cols.join(", "),
            vals.join(", ")
        );
    };
    // Rows by their root, in table order: org rows first, then one block per persona.
    let mut roots: Vec<Uuid> = vec![];
    for tp in plan.tables.iter().filter(|t| t.table.parent.is_none()) {
        roots.extend(tp.rows.iter().map(|r| r.id));
    }
    for root in roots {
        out.push_str("DO $guide$\nBEGIN\n");
        for tp in &plan.tables {
            for row in tp.rows.iter().filter(|r| r.root_id == root) {
                insert(&mut out, tp.table.name, &row.values);
            }
        }
        out.push_str("END $guide$;\n");
    }
    out.push_str("COMMIT;\n");
    out
}

/// `\copy` per table (and column set) from COPY text files: the lower bound.
fn copy_script(plan: &Plan, dir: &Path) -> String {
    let mut out = String::from("\\set ON_ERROR_STOP on\nBEGIN;\n");
    for tp in &plan.tables {
        for (i, (columns, rows)) in group_by_columns(tp.rows.iter()).into_iter().enumerate() {
            let file = dir.join(format!("{}.{i}.copy", tp.table.name));
            let mut data = String::new();
            for row in rows {
                let cells: Vec<String> = row
                    .values
                    .iter()
                    .map(|(_, v)| v.to_copy_text().unwrap_or_else(|| "\\N".into()))
                    .collect();
                data.push_str(&cells.join("\t"));
                data.push('\n');
            }
            std::fs::write(&file, data).unwrap();
            let cols: Vec<String> = columns.iter().map(|c| quote_ident(c)).collect();
            let _ = writeln!(
                out,
                "\\copy {} ({}) FROM '{}'",
                quote_ident(tp.table.name),
                cols.join(", "),
                file.display()
            );
        }
    }
    out.push_str("COMMIT;\n");
    out
}

async fn bench_size(personas: usize, seeder_bin: &Path, work: &Path) -> (Vec<Measure>, Revision) {
    let dir = work.join(format!("synth-{personas}"));
    let _ = std::fs::remove_dir_all(&dir);
    write(
        &synthesize(&SynthOptions {
            personas,
            seed: 1,
            functions: vec![],
        }),
        &dir,
    )
    .unwrap();
    let job = Job {
        inputs: vec![dir.clone()],
        tenant_id: TENANT,
        ..Default::default()
    };
    let plan = run::validate_offline(&job).unwrap();
    let rows = plan.row_count();
    let dir_s = dir.display().to_string();
    let tenant = TENANT.to_string();

    // 1% of the personas revised as a later capture would (a field of two nested rows, a row
    // added, a row removed): what step (g) deploys over (a)'s rows.
    let revised_dir = work.join(format!("synth-{personas}-revised"));
    let _ = std::fs::remove_dir_all(&revised_dir);
    let mut revised = synthesize(&SynthOptions {
        personas,
        seed: 1,
        functions: vec![],
    });
    let revision = revise(&mut revised, 100);
    write(&revised, &revised_dir).unwrap();
    let revised_s = revised_dir.display().to_string();

    let runs = rounds(personas);
    let large = personas >= LARGE;
    let (mut a, mut d, mut g, mut b, mut c) = (vec![], vec![], vec![], vec![], vec![]);
    let guide = work.join(format!("guide-{personas}.sql"));
    if !large {
        std::fs::write(&guide, guide_script(&plan)).unwrap();
    }
    let copy_dir = work.join(format!("copy-{personas}"));
    let _ = std::fs::remove_dir_all(&copy_dir);
    std::fs::create_dir_all(&copy_dir).unwrap();
    let copy = work.join(format!("copy-{personas}.sql"));
    std::fs::write(&copy, copy_script(&plan, &copy_dir)).unwrap();
    drop(plan);
    let deploy_args = |url: &str, input: &str| -> Vec<String> {
        [
            "deploy",
            "--database-url",
            url,
            "--tenant-id",
            &tenant,
            "--all",
            "--input",
            input,
        ]
        .map(String::from)
        .to_vec()
    };
    let run = |args: &[String]| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        timed(seeder_bin, &args)
    };
    // Interleaved rounds: a machine that slows down for a while slows every step alike.
    for _ in 0..runs {
        let db = fresh_db().await;
        a.push((run(&deploy_args(&db.url, &dir_s)), None));
        if !large {
            // The re-runs meet the tables as a later day would: analyzed, nothing pending.
            for (input, times) in [(&dir_s, &mut d), (&revised_s, &mut g)] {
                settle(&db).await;
                let before = server_writes(&db).await;
                let timing = run(&deploy_args(&db.url, input));
                times.push((timing, Some(server_writes(&db).await.since(before))));
            }
        }
        // Dropped here, before the next step: no autovacuum of it can run during that one.
        drop(db);
        let mut scripts = vec![(&copy, &mut c)];
        if !large {
            scripts.insert(0, (&guide, &mut b));
        }
        for (script, times) in scripts {
            let db = fresh_db().await;
            times.push((
                timed(
                    &psql(),
                    &[&db.url, "-q", "-f", &script.display().to_string()],
                ),
                None,
            ));
        }
    }
    let measure = |label, times: Vec<Round>| {
        let rounds = times.iter().map(|((w, _), _)| *w).collect();
        let (wall, peak_kib, server_writes) = median(times);
        Measure {
            label,
            rows,
            wall,
            rounds,
            peak_kib,
            server_writes,
        }
    };
    let mut out = vec![measure("(a) seeder deploy", a)];
    if !large {
        out.push(measure("(b) guide-style DO blocks (psql)", b));
    }
    out.push(measure("(c) \\copy per table (psql)", c));
    if !large {
        out.push(measure("(d) re-run, input unchanged", d));
        out.push(measure("(g) re-run, 1% of the personas revised", g));
    }
    (out, revision)
}

/// From this many personas on, one round of (a) and (c) only.
const LARGE: usize = 60_000;

/// Rounds of each step (the median is reported): 3, or `BENCH_ROUNDS`; 1 from [`LARGE`] on.
fn rounds(personas: usize) -> usize {
    if personas >= LARGE {
        return 1;
    }
    std::env::var("BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .filter(|r| *r > 0)
        .unwrap_or(3)
}

/// Persona counts measured: 600 and 6,000, 60 with `BENCH_QUICK`, or `BENCH_SIZES=600,...`.
fn sizes(quick: bool) -> Vec<usize> {
    if let Ok(list) = std::env::var("BENCH_SIZES") {
        let sizes: Vec<usize> = list
            .split(',')
            .map(|n| {
                n.trim()
                    .parse()
                    .expect("BENCH_SIZES: numbers, comma-separated")
            })
            .collect();
        return sizes;
    }
    if quick { vec![60] } else { vec![600, 6000] }
}

/// The median round's wall time and server writes, and the largest peak memory.
fn median(mut times: Vec<Round>) -> (Duration, Option<u64>, Option<ServerWrites>) {
    let peak = times.iter().filter_map(|((_, p), _)| *p).max();
    times.sort_by_key(|((w, _), _)| *w);
    let ((wall, _), writes) = times[times.len() / 2];
    (wall, peak, writes)
}

fn cargo(args: &[&str], target: &Path, dir: &Path) -> Duration {
    let start = Instant::now();
    let status = Command::new(env!("CARGO"))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .status()
        .unwrap();
    assert!(status.success(), "cargo {args:?}");
    start.elapsed()
}

/// Build time of `generated` from clean and after one changed table, in a copy of the crate.
fn generated_build_times(work: &Path) -> (Duration, Duration) {
    let root = workspace_root();
    let copy = work.join("generated-copy");
    let _ = std::fs::remove_dir_all(&copy);
    std::fs::create_dir_all(copy.join("src/tables")).unwrap();
    for entry in walk(&root.join("generated/src")) {
        let rel = entry.strip_prefix(root.join("generated")).unwrap();
        std::fs::copy(&entry, copy.join(rel)).unwrap();
    }
    // A standalone manifest with the workspace's dependency lines.
    let versions = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let deps: Vec<&str> = ["serde", "serde_json", "uuid", "chrono", "rust_decimal"]
        .iter()
        .map(|name| {
            versions
                .lines()
                .find(|l| l.starts_with(&format!("{name} =")))
                .expect("workspace dependency")
        })
        .collect();
    // The runtime crate stays where it is (it resolves its own workspace's settings).
    let runtime = format!(
        "schema-runtime = {{ path = {:?} }}",
        root.join("runtime").display().to_string()
    );
    let toml = format!(
        "[package]\nname = \"generated\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\n{runtime}\n{}\n\n[workspace]\n",
        deps.join("\n")
    );
    std::fs::write(copy.join("Cargo.toml"), toml).unwrap();
    let target = work.join("generated-target");
    // Dependencies first (not timed), then the crate from clean, then one changed table.
    cargo(&["build", "--offline", "-q"], &target, &copy);
    cargo(
        &["clean", "-p", "generated", "--offline", "-q"],
        &target,
        &copy,
    );
    let clean = cargo(&["build", "--offline", "-q"], &target, &copy);
    let table = copy.join("src/tables/persona_goals.rs");
    let mut text = std::fs::read_to_string(&table).unwrap();
    text.push_str("\n/// A changed table.\npub const BENCH_CHANGE: u8 = 1;\n");
    std::fs::write(&table, text).unwrap();
    let incremental = cargo(&["build", "--offline", "-q"], &target, &copy);
    (clean, incremental)
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![];
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p))
        } else {
            out.push(p)
        }
    }
    out
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_default();
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines().next().map(|l| {
                l.split_whitespace()
                    .nth(1)
                    .unwrap_or("0")
                    .parse::<u64>()
                    .unwrap_or(0)
                    / 1024
                    / 1024
            })
        })
        .unwrap_or(0);
    let cmd = |p: &str, a: &[&str]| {
        Command::new(p)
            .args(a)
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .unwrap_or_default()
    };
    format!(
        "{} cores ({cpu}), {mem} GiB, {}, {}, PostgreSQL server {} (fsync off, throwaway cluster on loopback)",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        cmd("rustc", &["--version"]),
        cmd("uname", &["-sr"]),
        cmd("psql", &["--version"]).trim_start_matches("psql (PostgreSQL) "),
    )
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let root = workspace_root();
    let work = root.join("target/bench");
    std::fs::create_dir_all(&work).unwrap();
    let seeder_bin = root.join("target/release/seeder");
    let codegen_bin = root.join("target/release/codegen");
    // A partial run (quick, or other sizes) does not overwrite the checked-in results.
    let quick =
        std::env::var_os("BENCH_QUICK").is_some() || std::env::var_os("BENCH_SIZES").is_some();
    let sizes = sizes(std::env::var_os("BENCH_QUICK").is_some());

    let path = root.join(if quick {
        "target/bench/RESULTS.md"
    } else {
        "bench/RESULTS.md"
    });
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    // Written after every section, so a long run leaves its figures so far.
    let save = |md: &str| std::fs::write(&path, md).unwrap();
    let mut md = String::new();
    let _ = writeln!(md, "# Benchmark results\n\nMachine: {}\n", machine());
    let _ = writeln!(
        md,
        "Made by `make bench` ({}). Synthetic personas (`seeder synth --seed 1`: 12 functions, files of at most 50 personas), every persona table filled; a fresh database for each measurement. Each step runs {} times, the rounds interleaved (a, d, g, b, c, then again), and the median wall time is shown (peak memory: the largest); before each step the server is left idle (the previous step's database dropped, no autovacuum worker running, a CHECKPOINT; before a re-run its database gets the VACUUM (ANALYZE) autovacuum would soon give it). (a) is the default deploy (reading and writing overlapped in one transaction); (d) deploys the same input again; (g) deploys it with 1% of the personas revised (a text field of two rows of one child list edited, a row added to it, the last row of another list removed). From 60,000 personas on, one round of (a) and (c) only.\n",
        if quick { "partial run" } else { "full run" },
        rounds(0)
    );
    for &n in &sizes {
        eprintln!("bench: {n} personas");
        let (m, revision) = bench_size(n, &seeder_bin, &work).await;
        let step = |prefix: &str| m.iter().find(|x| x.label.starts_with(prefix));
        let ratio = |x: &str, y: &str| -> Option<f64> {
            Some(step(x)?.wall.as_secs_f64() / step(y)?.wall.as_secs_f64())
        };
        let rows = m[0].rows;
        let _ = writeln!(md, "## {n} personas ({rows} rows)\n");
        let _ = writeln!(
            md,
            "| step | rows | wall (s), median | rows/s | peak memory (MiB) | rows the server wrote (ins / upd / del) | every round (s) |\n|---|---:|---:|---:|---:|---:|---|"
        );
        for x in &m {
            let _ = writeln!(
                md,
                "| {} | {} | {:.2} | {:.0} | {} | {} | {} |",
                x.label,
                x.rows,
                x.wall.as_secs_f64(),
                x.rows_per_s(),
                x.peak_kib
                    .map_or("n/a".into(), |k| format!("{:.1}", k as f64 / 1024.0)),
                x.server_writes.map_or("".into(), |w| format!(
                    "{} / {} / {}",
                    w.inserted, w.updated, w.deleted
                )),
                x.rounds
                    .iter()
                    .map(|w| format!("{:.2}", w.as_secs_f64()))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        let verdict = |met: bool| if met { "met" } else { "**not met**" };
        let _ = writeln!(md, "\n| ratio | value | target | |\n|---|---:|---|---|");
        if let Some(r) = ratio("(a)", "(b)") {
            let _ = writeln!(
                md,
                "| a/b (seeder vs guide-style DO blocks) | {r:.2} | below 1 is faster | |"
            );
        }
        if let Some(r) = ratio("(a)", "(c)") {
            let target = if n <= 600 { 1.25 } else { 1.15 };
            let _ = writeln!(
                md,
                "| a/c (seeder vs `\\copy`, the lower bound) | {r:.2} | <= {target} (stretch: < 1.0) | {} |",
                verdict(r <= target)
            );
        }
        if let (Some(r), Some(d)) = (ratio("(d)", "(a)"), step("(d)")) {
            let writes = d.server_writes.unwrap_or_default();
            let _ = writeln!(
                md,
                "| d/a (unchanged re-run vs first deploy) | {r:.2} | <= 0.5, and 0 rows written ({} written) | {} |",
                writes.total(),
                verdict(r <= 0.5 && writes.total() == 0)
            );
        }
        if let (Some(r), Some(g)) = (ratio("(g)", "(a)"), step("(g)")) {
            let writes = g.server_writes.unwrap_or_default();
            let expected = ServerWrites {
                inserted: revision.inserted as i64,
                updated: revision.updated as i64,
                deleted: revision.deleted as i64,
            };
            let _ = writeln!(
                md,
                "| g/a (re-run after 1% revised vs first deploy) | {r:.2} | <= 0.6, and only the changed rows written ({} personas revised: {} / {} / {} expected) | {} |",
                revision.personas,
                expected.inserted,
                expected.updated,
                expected.deleted,
                verdict(r <= 0.6 && writes == expected)
            );
        }
        let _ = writeln!(
            md,
            "\nThe seeder's wall time includes starting the binary, reading and validating every document, and checking the live schema against the compiled snapshot; (b) and (c) start from ready-made SQL. Rows the server wrote: `pg_stat_user_tables` of the tables of tenant rows over the step (temporary tables not counted).\n"
        );
        save(&md);
    }

    // codegen: snapshot + generate of the full schema.
    let db = fresh_db().await;
    let snap = work.join("snapshot.json");
    let gen_out = work.join("generated-src");
    let start = Instant::now();
    timed(
        &codegen_bin,
        &[
            "snapshot",
            "--database-url",
            &db.url,
            "--out",
            &snap.display().to_string(),
        ],
    );
    let snapshot_wall = start.elapsed();
    let start = Instant::now();
    timed(
        &codegen_bin,
        &[
            "generate",
            "--snapshot",
            &snap.display().to_string(),
            "--out",
            &gen_out.display().to_string(),
        ],
    );
    let generate_wall = start.elapsed();
    let _ = writeln!(md, "## codegen\n\n| step | wall (s) |\n|---|---:|");
    let _ = writeln!(
        md,
        "| `codegen snapshot` (75 tables) | {:.2} |",
        snapshot_wall.as_secs_f64()
    );
    let _ = writeln!(
        md,
        "| `codegen generate` (into an empty folder) | {:.2} |",
        generate_wall.as_secs_f64()
    );

    if !quick {
        eprintln!("bench: building generated");
        let (clean, incremental) = generated_build_times(&work);
        let _ = writeln!(
            md,
            "| `cargo build` of `generated` from clean (dependencies built) | {:.1} |",
            clean.as_secs_f64()
        );
        let _ = writeln!(
            md,
            "| `cargo build` of `generated` after one changed table | {:.1} |",
            incremental.as_secs_f64()
        );
        eprintln!("bench: make regen");
        let start = Instant::now();
        let status = Command::new("make")
            .arg("-s")
            .arg("regen")
            .current_dir(&root)
            .status()
            .unwrap();
        assert!(status.success());
        let _ = writeln!(
            md,
            "| `make regen` with no schema change (migrate, snapshot, generate, build seeder) | {:.1} |",
            start.elapsed().as_secs_f64()
        );
    }
    save(&md);
    println!("{md}");
    eprintln!("bench: wrote {}", path.display());
}
