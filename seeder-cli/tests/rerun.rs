//! Re-runs write differences only: a row the input gives as the tenant holds it is not touched
//! (same row version, same `created_at`), a changed row is updated, a row no longer given is
//! deleted, a new one inserted; the rows left are those a fresh deploy of the same input
//! leaves, in every mode of deploying.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::*;
use seeder::deploy::{DeployOptions, DeployReport};
use seeder::run::{self, Db, Job};
use sqlx::{AssertSqlSafe, PgPool};
use uuid::Uuid;

/// Every row of the tenant: (table, id) -> (row version, created_at).
async fn row_versions(pool: &PgPool, tenant: Uuid) -> BTreeMap<(String, String), (String, String)> {
    let mut out = BTreeMap::new();
    for table in generated::TABLES {
        let Some(scope) = seeder::sqltext::tenant_scope(table) else {
            continue;
        };
        let sql = format!(
            "SELECT id::text, xmin::text, coalesce(to_jsonb(t)->>'created_at', '') FROM {} t WHERE {scope}",
            seeder::sqltext::qualified(table.name)
        );
        let rows: Vec<(String, String, String)> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(tenant)
            .fetch_all(pool)
            .await
            .unwrap();
        for (id, xmin, created) in rows {
            out.insert((table.name.to_string(), id), (xmin, created));
        }
    }
    out
}

async fn deploy_in(
    db: impl Into<Db>,
    inputs: &[PathBuf],
    options: DeployOptions,
    cache: Option<usize>,
) -> DeployReport {
    let job = Job {
        inputs: inputs.to_vec(),
        tenant_id: TENANT_A,
        cache_bytes: cache,
        ..Job::default()
    };
    run::deploy(db, &job, options)
        .await
        .unwrap_or_else(|e| panic!("{e:#}"))
}

fn outcome<'a>(report: &'a DeployReport, table: &str) -> &'a seeder::deploy::TableOutcome {
    report
        .tables
        .iter()
        .find(|t| t.table == table)
        .unwrap_or_else(|| panic!("{table} is not in the report: {report:?}"))
}

#[tokio::test]
async fn an_unchanged_rerun_leaves_every_row_as_it_was_in_every_mode() {
    // Every table of the schema receives rows from these.
    let inputs = vec![data_dir(), fixture("fixtures/tricky_text.yaml")];
    let overlap = DeployOptions {
        overlap: true,
        ..DeployOptions::default()
    };
    for (label, options, behind_pooler, cache) in [
        (
            "validate first, COPY",
            DeployOptions::default(),
            false,
            None,
        ),
        ("overlapped, COPY kept in memory", overlap, false, None),
        (
            "overlapped, COPY kept in a temporary file",
            overlap,
            false,
            Some(0),
        ),
        ("overlapped, JSON", overlap, true, None),
        ("validate first, JSON", DeployOptions::default(), true, None),
    ] {
        let db = database().await;
        let target = connection(&db.pool, behind_pooler);
        let first = deploy_in(target.clone(), &inputs, options, cache).await;
        assert!(first.roots_created > 0, "{label}");
        let versions = row_versions(&db.pool, TENANT_A).await;
        let digest = tenant_digest(&db.pool, TENANT_A).await;

        let again = deploy_in(target.clone(), &inputs, options, cache).await;
        assert_eq!(again.rows_changed(), 0, "{label}: {again:?}");
        assert_eq!(
            (
                again.roots_created,
                again.roots_updated,
                again.roots_unchanged
            ),
            (0, 0, first.roots_created),
            "{label}"
        );
        for t in &again.tables {
            assert_eq!(
                t.unchanged as i64, t.rows_before,
                "{label}: {} reports {} of {} rows unchanged",
                t.table, t.unchanged, t.rows_before
            );
        }
        let after = row_versions(&db.pool, TENANT_A).await;
        let touched: Vec<_> = versions
            .iter()
            .filter(|(key, version)| after.get(*key) != Some(version))
            .map(|(key, _)| key)
            .take(5)
            .collect();
        assert!(
            touched.is_empty() && after.len() == versions.len(),
            "{label}: rows written again by an unchanged re-run: {touched:?}"
        );
        assert_eq!(tenant_digest(&db.pool, TENANT_A).await, digest, "{label}");
    }
}

/// The medical-affairs persona that fills every table, and the org rows it names.
fn one_persona(dir: &Path, edit: impl Fn(String) -> String) -> Vec<PathBuf> {
    let source =
        data_dir().join("personas/medical-affairs/01-dr-elena-vasquez-vp-medical-affairs.yaml");
    let text = std::fs::read_to_string(source).unwrap();
    let file = dir.join("persona.yaml");
    std::fs::write(&file, edit(text)).unwrap();
    vec![data_dir().join("org"), file]
}

/// Swaps two texts everywhere in `text`.
fn swap(text: &str, a: &str, b: &str) -> String {
    text.replace(a, "\u{1}").replace(b, a).replace('\u{1}', b)
}

fn changed(text: String) -> String {
    // A field of a grandchild row.
    let text = text.replacen(
        "Median across 160 companies",
        "Median across 170 companies",
        1,
    );
    // Two rows of a table with a UNIQUE (persona_id, tag_name) key exchange their keys, and a
    // row is added at the end of the list.
    let text = swap(&text, "tag_name: executive", "tag_name: oncology");
    let text = text.replacen(
        "  - tag_name: economic-buyer\n    tag_category: buying_role\n",
        "  - tag_name: economic-buyer\n    tag_category: buying_role\n  - tag_name: added-on-rerun\n    tag_category: initiative\n",
        1,
    );
    // A row is removed from the middle of a list: the rows after it move up one place.
    let removed = "  - tool_name: Veeva Vault MedComms\n    tool_category: Content management\n    usage_frequency: weekly\n    proficiency_level: competent\n    satisfaction_level: satisfied\n    sequence_order: 2\n";
    assert!(text.contains(removed), "the fixture's tools changed");
    text.replacen(removed, "", 1)
}

#[tokio::test]
async fn a_changed_rerun_writes_only_what_changed() {
    let dir = tempdir("rerun-changed");
    let original = one_persona(&dir.join("."), |t| t);
    let db = database().await;
    deploy_in(&db.pool, &original, DeployOptions::default(), None).await;
    let versions = row_versions(&db.pool, TENANT_A).await;

    let edited_dir = tempdir("rerun-changed-edit");
    let edited = one_persona(&edited_dir, changed);
    for (label, options) in [
        (
            "dry run",
            DeployOptions {
                dry_run: true,
                ..DeployOptions::default()
            },
        ),
        ("deploy", DeployOptions::default()),
    ] {
        let report = deploy_in(&db.pool, &edited, options, None).await;
        let tags = outcome(&report, generated::persona_tags::META.name);
        assert_eq!(
            (tags.updated, tags.inserted, tags.deleted),
            (2, 1, 0),
            "{label}: {tags:?}"
        );
        let tools = outcome(&report, generated::persona_tools::META.name);
        assert_eq!(
            (tools.updated, tools.inserted, tools.deleted),
            (2, 0, 1),
            "{label}: {tools:?}"
        );
        let history = outcome(&report, generated::persona_statistic_history::META.name);
        assert_eq!(
            (history.updated, history.inserted, history.deleted),
            (1, 0, 0),
            "{label}"
        );
        assert_eq!(report.rows_changed(), 7, "{label}: {report:?}");
        assert_eq!(
            (report.roots_updated, report.roots_created),
            (0, 0),
            "{label}"
        );
        if options.dry_run {
            assert_eq!(
                row_versions(&db.pool, TENANT_A).await,
                versions,
                "a dry run writes nothing"
            );
        }
    }

    // The rows are those a fresh deploy of the edited input leaves.
    let fresh = database().await;
    deploy_in(&fresh.pool, &edited, DeployOptions::default(), None).await;
    assert_eq!(
        tenant_digest(&db.pool, TENANT_A).await,
        tenant_digest(&fresh.pool, TENANT_A).await,
        "a re-run leaves the rows of a fresh deploy"
    );

    // Only the changed rows have new row versions; an updated row keeps its created_at.
    let after = row_versions(&db.pool, TENANT_A).await;
    let mut rewritten: BTreeMap<&str, usize> = BTreeMap::new();
    for ((table, id), version) in &versions {
        match after.get(&(table.clone(), id.clone())) {
            Some(now) if now == version => {}
            Some(now) => {
                *rewritten.entry(table.as_str()).or_default() += 1;
                if table == generated::persona_tools::META.name {
                    assert_eq!(now.1, version.1, "an updated row keeps its created_at");
                }
            }
            None => *rewritten.entry(table.as_str()).or_default() += 1,
        }
    }
    let expected: BTreeMap<&str, usize> = [
        (generated::persona_tags::META.name, 2),
        (generated::persona_tools::META.name, 3),
        (generated::persona_statistic_history::META.name, 1),
    ]
    .into();
    assert_eq!(
        rewritten, expected,
        "rows given a new version by the re-run"
    );
}

/// What the bench's step (g) deploys: synthetic personas, 1% of them revised; the re-run
/// writes exactly the revised rows.
#[tokio::test]
async fn a_revised_synthetic_capture_writes_exactly_its_revisions() {
    use seeder::synth::{SynthOptions, revise, synthesize, write};
    let options = SynthOptions {
        personas: 200,
        seed: 3,
        functions: vec![],
    };
    let (dir, revised_dir) = (tempdir("rerun-synth"), tempdir("rerun-synth-revised"));
    write(&synthesize(&options), &dir).unwrap();
    let mut revised = synthesize(&options);
    let revision = revise(&mut revised, 100);
    write(&revised, &revised_dir).unwrap();
    assert_eq!(revision.personas, 2, "{revision:?}");
    assert!(revision.updated > 0, "{revision:?}");

    let db = database().await;
    deploy_in(&db.pool, &[dir], DeployOptions::default(), None).await;
    let report = deploy_in(&db.pool, &[revised_dir], DeployOptions::default(), None).await;
    let sum = |f: fn(&seeder::deploy::TableOutcome) -> u64| -> usize {
        report.tables.iter().map(f).sum::<u64>() as usize
    };
    assert_eq!(
        (sum(|t| t.updated), sum(|t| t.inserted), sum(|t| t.deleted)),
        (revision.updated, revision.inserted, revision.deleted),
        "{report:?}"
    );
}

/// The counters behind `seeder deploy`'s progress bar: every unit found is read, and the rows
/// counted as written are the report's, under both write policies, first run and re-run.
#[tokio::test]
async fn progress_counts_every_unit_and_every_row_written() {
    let inputs = vec![data_dir()];
    let db = database().await;
    for (label, options) in [
        ("validate first", DeployOptions::default()),
        (
            "overlapped",
            DeployOptions {
                overlap: true,
                ..DeployOptions::default()
            },
        ),
    ] {
        for run in ["first", "re-run"] {
            let progress = std::sync::Arc::new(seeder::job::Progress::default());
            let job = Job {
                inputs: inputs.clone(),
                tenant_id: if label == "overlapped" {
                    TENANT_B
                } else {
                    TENANT_A
                },
                progress: Some(progress.clone()),
                ..Job::default()
            };
            let report = run::deploy(&db.pool, &job, options).await.unwrap();
            let now = progress.now();
            assert!(now.units_found > 1, "{label}, {run}: {now:?}");
            assert_eq!(now.units_read, now.units_found, "{label}, {run}");
            assert_eq!(now.rows_written, report.rows_written(), "{label}, {run}");
            assert_eq!(now.phase, "committing", "{label}, {run}");
        }
    }
}

/// `deploy --emit-sql` against a tenant that holds the rows already: the script stages the
/// rows and writes the same differences a deploy writes, and nothing for unchanged input.
#[tokio::test]
async fn an_emitted_script_writes_the_differences_a_deploy_writes() {
    let dir = tempdir("rerun-script");
    let original = one_persona(&dir, |t| t);
    let edited_dir = tempdir("rerun-script-edit");
    let edited = one_persona(&edited_dir, changed);
    let (scripted, deployed) = (database().await, database().await);
    for db in [&scripted, &deployed] {
        deploy_in(&db.pool, &original, DeployOptions::default(), None).await;
    }
    let run_script = |name: &str, script: String| {
        let path = dir.join(format!("{name}.sql"));
        std::fs::write(&path, script).unwrap();
        run_psql_script(&scripted.url, &path, None);
    };

    let versions = row_versions(&scripted.pool, TENANT_A).await;
    let unchanged = run::emit_sql(
        &scripted.pool,
        &job(original, TENANT_A),
        DeployOptions::default(),
    )
    .await
    .unwrap();
    run_script("unchanged", unchanged);
    assert_eq!(
        row_versions(&scripted.pool, TENANT_A).await,
        versions,
        "a script of unchanged input writes nothing"
    );

    let script = run::emit_sql(
        &scripted.pool,
        &job(edited.clone(), TENANT_A),
        DeployOptions::default(),
    )
    .await
    .unwrap();
    run_script("edited", script);
    deploy_in(&deployed.pool, &edited, DeployOptions::default(), None).await;
    assert_eq!(
        tenant_digest(&scripted.pool, TENANT_A).await,
        tenant_digest(&deployed.pool, TENANT_A).await,
        "the script leaves the rows the deploy leaves"
    );
    let after = row_versions(&scripted.pool, TENANT_A).await;
    let touched = versions
        .iter()
        .filter(|(key, version)| after.get(*key) != Some(*version))
        .count();
    assert_eq!(touched, 6, "rows given a new version by the script");
}
