//! codegen against a real, migrated PostgreSQL: the checked-in snapshot is what the migrations
//! produce, every CHECK of the reference is typed, and `codegen check` names a changed CHECK.

use std::path::PathBuf;
use std::process::Command;

use schema::introspect::{self, Selection};
use schema::model::CheckKind;
use vital_testkit::{Stage, TestDb, workspace_root};

fn checked_in_snapshot_path() -> PathBuf {
    workspace_root().join("schema_snapshots/vital.json")
}

#[tokio::test]
async fn checked_in_snapshot_equals_a_fresh_snapshot_of_the_migrated_database() {
    let db = TestDb::new(Stage::Latest).await.unwrap();
    let live = introspect::snapshot(&db.pool, &Selection::default())
        .await
        .unwrap();
    let text = std::fs::read_to_string(checked_in_snapshot_path()).unwrap();
    let checked_in = introspect::from_json(&text).unwrap();
    let differences = schema::diff::diff(&checked_in, &live);
    assert!(
        differences.is_empty(),
        "schema_snapshots/vital.json is stale (run `make regen`):\n{}",
        differences.join("\n")
    );
    assert_eq!(
        introspect::to_json(&live),
        text,
        "same content, different bytes: not deterministic?"
    );
}

#[tokio::test]
async fn every_check_of_the_vital_schema_is_typed() {
    let db = TestDb::new(Stage::Latest).await.unwrap();
    let snap = introspect::snapshot(&db.pool, &Selection::default())
        .await
        .unwrap();
    let persona_tables = snap
        .tables
        .iter()
        .filter(|t| t.name == "personas" || t.name.starts_with("persona_"))
        .count();
    let checks: Vec<_> = snap.all_checks().collect();
    let unparsed: Vec<_> = checks
        .iter()
        .filter(|(_, c)| matches!(c.parsed, CheckKind::Unparsed { .. }))
        .map(|(t, c)| format!("{t}: {}", c.definition))
        .collect();
    println!(
        "{persona_tables} persona tables, {} checks, {} typed, {} verbatim fallbacks",
        checks.len(),
        checks.len() - unparsed.len(),
        unparsed.len()
    );
    assert_eq!(persona_tables, 70);
    assert!(checks.len() >= 271);
    assert!(
        unparsed.is_empty(),
        "untyped CHECKs:\n{}",
        unparsed.join("\n")
    );
}

#[tokio::test]
async fn check_names_a_changed_value_list_and_exits_1() {
    let db = TestDb::new(Stage::Latest).await.unwrap();
    let run_check = || {
        Command::new(env!("CARGO_BIN_EXE_codegen"))
            .args(["check", "--database-url", &db.url, "--snapshot"])
            .arg(checked_in_snapshot_path())
            .output()
            .unwrap()
    };
    let same = run_check();
    assert_eq!(
        same.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&same.stdout)
    );

    sqlx::raw_sql(
        "ALTER TABLE persona_pain_points DROP CONSTRAINT persona_pain_points_severity_check;
         ALTER TABLE persona_pain_points ADD CONSTRAINT persona_pain_points_severity_check
           CHECK (severity IN ('critical', 'high', 'medium', 'minor'));",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    let changed = run_check();
    let stdout = String::from_utf8_lossy(&changed.stdout);
    assert_eq!(changed.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("persona_pain_points.severity: values removed 'low', added 'minor'"),
        "{stdout}"
    );
}

/// The torture schema (tests/torture/schema.sql) snapshots to the checked-in torture snapshot.
#[tokio::test]
async fn torture_schema_snapshot_is_fresh() {
    let root = workspace_root().join("tests/torture");
    let db = TestDb::new(Stage::Latest).await.unwrap();
    let sql = std::fs::read_to_string(root.join("schema.sql")).unwrap();
    // One connection: the script's `SET search_path` (which shapes how defaults are printed)
    // belongs to its session.
    let mut conn = db.pool.acquire().await.unwrap();
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
        .execute(&mut *conn)
        .await
        .unwrap();
    let selection = Selection {
        schema: "torture".into(),
        include: vec!["*".into()],
    };
    let snap = introspect::snapshot_in(&mut conn, &selection)
        .await
        .unwrap();
    let json = introspect::to_json(&snap);
    let path = root.join("snapshot.json");
    if std::env::var_os("UPDATE_TORTURE").is_some() {
        std::fs::write(&path, &json).unwrap();
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        json, checked_in,
        "tests/torture/snapshot.json is stale: rerun with UPDATE_TORTURE=1"
    );
    let unparsed: Vec<_> = snap
        .all_checks()
        .filter(|(_, c)| matches!(c.parsed, CheckKind::Unparsed { .. }))
        .map(|(_, c)| c.name.clone())
        .collect();
    // CHECKs the parser leaves to the database: a list of numbers, a two-column rule, a regex.
    assert_eq!(
        unparsed,
        [
            "Order_lucky_check",
            "Order_select_not_upper",
            "Order_weird_check"
        ]
    );
}
