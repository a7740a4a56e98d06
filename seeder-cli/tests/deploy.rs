//! The seeder against a real PostgreSQL: the project's data fills every persona table, a re-run
//! changes nothing, bad input changes nothing, tenants stay apart, concurrent deploys do not
//! duplicate, and `--emit-sql` gives the same database as a deploy.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use common::*;
use seeder::deploy::DeployOptions;
use seeder::run::{self, InvalidInput};
use vital_testkit::{Stage, TestDb};

fn all_data() -> Vec<PathBuf> {
    vec![data_dir()]
}

fn org_data() -> PathBuf {
    data_dir().join("org")
}

#[tokio::test]
async fn every_persona_table_receives_rows_from_data_and_a_rerun_changes_nothing() {
    let db = database().await;
    let first = deploy(&db.pool, all_data(), TENANT_A).await.unwrap();
    let counts_first = counts(&db.pool, TENANT_A).await;
    let empty: Vec<&str> = counts_first
        .iter()
        .filter(|(t, n)| {
            *n == 0 && (t == "personas" || t.starts_with("persona_") || t.starts_with("org_"))
        })
        .map(|(t, _)| t.as_str())
        .collect();
    assert!(
        empty.is_empty(),
        "tables without rows after deploying data/: {empty:?}"
    );
    assert!(first.roots_created > 0);

    let digest_first = tenant_digest(&db.pool, TENANT_A).await;
    let second = deploy(&db.pool, all_data(), TENANT_A).await.unwrap();
    assert_eq!(second.roots_created, 0, "a re-run creates nothing");
    let counts_second = counts(&db.pool, TENANT_A).await;
    println!("{:<45} {:>8} {:>8}", "table", "run 1", "run 2");
    for ((t, a), (_, b)) in counts_first.iter().zip(&counts_second) {
        println!("{t:<45} {a:>8} {b:>8}");
    }
    assert_eq!(counts_first, counts_second);
    assert_eq!(
        digest_first,
        tenant_digest(&db.pool, TENANT_A).await,
        "a re-run leaves exactly the same rows"
    );

    let report = run::verify_tenant(&db.pool, &job(all_data(), TENANT_A))
        .await
        .unwrap();
    assert!(report.ok(), "{report:?}");
    let ma = report
        .personas_per_function
        .iter()
        .find(|(f, _)| f == "medical-affairs")
        .map(|(_, n)| *n);
    // One persona per file under data/personas/medical-affairs.
    let files = std::fs::read_dir(data_dir().join("personas/medical-affairs"))
        .unwrap()
        .count();
    assert_eq!(ma.map(|n| n as usize), Some(files));
    assert_eq!(
        report.personas_per_function.len(),
        12,
        "{:?}",
        report.personas_per_function
    );
}

/// Each file of tests/bad_input names, in `# expect:` lines, what its error must say.
fn bad_inputs() -> Vec<(PathBuf, Vec<String>)> {
    let dir = fixture("bad_input");
    let mut out = vec![];
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.extension().is_some_and(|e| e == "expect") {
            continue;
        }
        let expect_file = PathBuf::from(format!("{}.expect", path.display()));
        let text = std::fs::read_to_string(if expect_file.exists() {
            &expect_file
        } else {
            &path
        })
        .unwrap();
        let expected: Vec<String> = text
            .lines()
            .filter_map(|l| l.strip_prefix("# expect: "))
            .map(str::to_string)
            .collect();
        assert!(
            !expected.is_empty(),
            "{} has no # expect: line",
            path.display()
        );
        out.push((path, expected));
    }
    out
}

#[tokio::test]
async fn each_bad_document_yields_its_error_and_leaves_the_database_unchanged() {
    let db = database().await;
    deploy(&db.pool, all_data(), TENANT_A).await.unwrap();
    let before = tenant_digest(&db.pool, TENANT_A).await;
    let cases = bad_inputs();
    assert!(cases.len() >= 13);
    for (path, expected) in cases {
        let err = deploy(&db.pool, vec![org_data(), path.clone()], TENANT_A)
            .await
            .expect_err(&format!("{} must be rejected", path.display()));
        let text = match err.downcast_ref::<InvalidInput>() {
            Some(invalid) => invalid.to_string(),
            None => format!("{err:#}"),
        };
        println!(
            "--- {}\n{text}",
            path.file_name().unwrap().to_string_lossy()
        );
        assert!(
            text.contains(&path.file_name().unwrap().to_string_lossy().to_string()),
            "the error names the file: {text}"
        );
        for e in expected {
            assert!(
                text.contains(&e),
                "{}: expected «{e}» in:\n{text}",
                path.display()
            );
        }
        assert_eq!(
            before,
            tenant_digest(&db.pool, TENANT_A).await,
            "{} changed the database",
            path.display()
        );
    }
}

#[tokio::test]
async fn deploying_tenant_a_leaves_tenant_b_untouched() {
    let db = database().await;
    let ma_only = vec![org_data(), data_dir().join("personas/sales.yaml")];
    deploy(&db.pool, ma_only, TENANT_B).await.unwrap();
    let b_before = tenant_digest(&db.pool, TENANT_B).await;
    deploy(&db.pool, all_data(), TENANT_A).await.unwrap();
    deploy(&db.pool, all_data(), TENANT_A).await.unwrap();
    assert_eq!(b_before, tenant_digest(&db.pool, TENANT_B).await);
}

#[tokio::test]
async fn concurrent_deploys_to_one_tenant_leave_no_duplicates() {
    let db = database().await;
    let (a, b) = tokio::join!(
        deploy(&db.pool, all_data(), TENANT_A),
        deploy(&db.pool, all_data(), TENANT_A)
    );
    a.unwrap();
    b.unwrap();
    let concurrent = tenant_digest(&db.pool, TENANT_A).await;
    let other = database().await;
    deploy(&other.pool, all_data(), TENANT_A).await.unwrap();
    assert_eq!(concurrent, tenant_digest(&other.pool, TENANT_A).await);
}

#[tokio::test]
async fn dry_run_reports_and_writes_nothing() {
    let db = database().await;
    let before = tenant_digest(&db.pool, TENANT_A).await;
    let options = DeployOptions {
        dry_run: true,
        ..DeployOptions::default()
    };
    let report = run::deploy(&db.pool, &job(all_data(), TENANT_A), options)
        .await
        .unwrap();
    assert!(report.rows_written() > 0);
    assert_eq!(before, tenant_digest(&db.pool, TENANT_A).await);
}

/// `--emit-sql` is the deploy's own driver writing into a script: under either policy, with
/// COPY (its data inline) or, where COPY is not taken, JSON statements, the script leaves the
/// rows a deploy leaves, and writing it leaves the database as it was.
#[tokio::test]
async fn emit_sql_gives_the_same_database_as_deploy() {
    let deployed = database().await;
    let inputs = vec![data_dir(), fixture("fixtures/tricky_text.yaml")];
    deploy(&deployed.pool, inputs.clone(), TENANT_A)
        .await
        .unwrap();
    let expected = tenant_digest(&deployed.pool, TENANT_A).await;

    let overlap = DeployOptions {
        overlap: true,
        ..DeployOptions::default()
    };
    for (label, options, behind_pooler) in [
        ("validate first, COPY", DeployOptions::default(), false),
        ("as soon as passed, COPY", overlap, false),
        ("as soon as passed, JSON", overlap, true),
    ] {
        let scripted = database().await;
        let empty = tenant_digest(&scripted.pool, TENANT_A).await;
        let target = connection(&scripted.pool, behind_pooler);
        let script = run::emit_sql(target, &job(inputs.clone(), TENANT_A), options)
            .await
            .unwrap_or_else(|e| panic!("{label}: {e:#}"));
        assert_eq!(
            tenant_digest(&scripted.pool, TENANT_A).await,
            empty,
            "{label}: writing the script wrote nothing"
        );
        assert_eq!(
            script.contains("FROM STDIN;\n"),
            !behind_pooler,
            "{label}: COPY with its data inline, unless COPY is not taken"
        );
        let path = std::env::temp_dir().join(format!("{}.sql", scripted.name));
        std::fs::write(&path, script).unwrap();
        run_psql_script(&scripted.url, &path, None);
        assert_eq!(
            tenant_digest(&scripted.pool, TENANT_A).await,
            expected,
            "{label}"
        );
    }
}

#[tokio::test]
async fn tricky_text_round_trips_byte_for_byte() {
    let db = database().await;
    let file = fixture("fixtures/tricky_text.yaml");
    deploy(&db.pool, vec![org_data(), file.clone()], TENANT_A)
        .await
        .unwrap();
    let text = std::fs::read_to_string(&file).unwrap();
    let node = seeder::source::parse_yaml_or_json(&file, &text).unwrap();
    let expected = &node.to_json()["personas"][0];
    let row: (String, String, String, String, String, Vec<String>) = sqlx::query_as(
        "SELECT name, title, tagline, one_liner, notes, tags FROM personas WHERE slug = 'tricky-text-persona'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(row.0, expected["name"].as_str().unwrap());
    assert_eq!(row.1, "'); DROP TABLE personas; --");
    assert_eq!(row.2, expected["tagline"].as_str().unwrap());
    assert!(row.2.contains('\t') && row.2.contains('\n') && row.2.contains('\r'));
    assert_eq!(row.3, expected["one_liner"].as_str().unwrap());
    assert_eq!(row.4, expected["notes"].as_str().unwrap());
    let tags: Vec<String> = expected["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_string())
        .collect();
    assert_eq!(row.5, tags);
    let report = run::verify_tenant(&db.pool, &job(vec![org_data(), file], TENANT_A))
        .await
        .unwrap();
    assert!(report.mismatches.is_empty(), "{:?}", report.mismatches);
}

#[tokio::test]
async fn refuses_a_schema_it_was_not_compiled_for() {
    let db = database().await;
    sqlx::raw_sql(
        "ALTER TABLE persona_pain_points DROP CONSTRAINT persona_pain_points_severity_check;
         ALTER TABLE persona_pain_points ADD CONSTRAINT persona_pain_points_severity_check
           CHECK (severity IN ('critical', 'high', 'medium', 'minor'));",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    let err = deploy(&db.pool, all_data(), TENANT_A)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("persona_pain_points.severity: values removed 'low', added 'minor'"),
        "{err}"
    );
    assert!(tenant_is_empty(&db.pool, TENANT_A).await);
}

#[tokio::test]
async fn the_tenant_must_exist() {
    let db = TestDb::new(Stage::Latest).await.unwrap();
    let err = deploy(&db.pool, all_data(), TENANT_A)
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("does not exist"), "{err}");
}

#[tokio::test]
async fn backfill_adds_missing_extension_rows_only() {
    let db = database().await;
    // Personas first without their extension rows (as the platform's first pipeline left them).
    let dir = tempdir("backfill");
    let v = seeder::vocabulary::vocabulary();
    let mut personas = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(data_dir().join("personas/medical-affairs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let node = seeder::source::parse_yaml_or_json(&file, &text).unwrap();
        personas.extend(
            node.to_json()["personas"]
                .as_array()
                .unwrap()
                .iter()
                .cloned(),
        );
    }
    let mut bare = serde_json::json!({ "personas": personas });
    for p in bare["personas"].as_array_mut().unwrap() {
        let keep: BTreeMap<String, serde_json::Value> = p
            .as_object()
            .unwrap()
            .iter()
            .filter(|(k, _)| v.child_section("personas", k).is_none())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        *p = serde_json::to_value(keep).unwrap();
    }
    std::fs::write(dir.join("bare.json"), bare.to_string()).unwrap();
    deploy(&db.pool, vec![org_data(), dir.join("bare.json")], TENANT_A)
        .await
        .unwrap();
    let options = DeployOptions {
        backfill: true,
        ..DeployOptions::default()
    };
    let mut fix = job(
        vec![org_data(), data_dir().join("personas/medical-affairs")],
        TENANT_A,
    );
    fix.functions = vec!["medical-affairs".into()];
    run::deploy(&db.pool, &fix, options).await.unwrap();
    let report = run::verify_tenant(&db.pool, &fix).await.unwrap();
    assert!(report.personas_without_extensions.is_empty(), "{report:?}");

    // A second backfill finds nothing missing: it succeeds and writes nothing (grandchildren of
    // rows that exist were once written again and hit their primary key).
    let before = tenant_digest(&db.pool, TENANT_A).await;
    let again = run::deploy(&db.pool, &fix, options).await.unwrap();
    let written: u64 = again.tables.iter().map(|t| t.rows_written).sum();
    assert_eq!(written, 0, "{again:?}");
    assert_eq!(tenant_digest(&db.pool, TENANT_A).await, before);
}

#[tokio::test]
async fn backfill_of_a_complete_tenant_writes_nothing() {
    let db = database().await;
    deploy(&db.pool, vec![data_dir()], TENANT_A).await.unwrap();
    let before = tenant_digest(&db.pool, TENANT_A).await;
    let options = DeployOptions {
        backfill: true,
        ..DeployOptions::default()
    };
    let mut fix = job(vec![data_dir()], TENANT_A);
    fix.functions = vec!["medical-affairs".into()];
    let report = run::deploy(&db.pool, &fix, options).await.unwrap();
    let written: u64 = report.tables.iter().map(|t| t.rows_written).sum();
    assert_eq!(written, 0, "{report:?}");
    assert_eq!(tenant_digest(&db.pool, TENANT_A).await, before);
}

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("seeder-{name}-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `deploy --format json`: bad input comes out as data (every problem with its place), exit
/// status 2, nothing written.
#[tokio::test]
async fn deploy_gives_its_problems_as_json() {
    let db = database().await;
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_seeder"))
        .args(["deploy", "--database-url", &db.url, "--tenant-id"])
        .arg(TENANT_A.to_string())
        .args(["--all", "--format", "json", "--input"])
        .arg(org_data())
        .arg("--input")
        .arg(fixture("bad_input/critical_pain_without_text.yaml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    assert_eq!(value["valid"], false, "{value}");
    let problems = value["problems"].as_array().expect("a list of problems");
    assert!(!problems.is_empty(), "{value}");
    assert!(
        problems[0]
            .to_string()
            .contains("critical_pain_without_text.yaml"),
        "{value}"
    );
    assert!(tenant_is_empty(&db.pool, TENANT_A).await);
}
