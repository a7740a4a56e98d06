//! The promise of the product, end to end: a migration changes a CHECK, `make regen` runs
//! (snapshot + generate), and the seeder stops building where it relied on the old shape: in its
//! code (a compile error naming the enum and the variant), or in its shipped data (the build
//! script's errors naming the document, line, column, value and the labels still allowed).
//!
//! The workspace is copied to a scratch folder so the checked-in code is never touched.

use std::path::{Path, PathBuf};
use std::process::Command;

use schema::introspect::{self, Selection};
use sqlx::AssertSqlSafe;
use vital_testkit::{Stage, TestDb, workspace_root};

/// The demo migration of the README: 'critical' leaves persona_pain_points.severity (the
/// seeder's code names it).
const DEMO_MIGRATION: &str = "
ALTER TABLE persona_pain_points DROP CONSTRAINT persona_pain_points_severity_check;
ALTER TABLE persona_pain_points ADD CONSTRAINT persona_pain_points_severity_check
    CHECK (severity IN ('high', 'medium', 'low'));";

/// 'low' leaves it instead: no code names it, documents under data/ do.
const DATA_MIGRATION: &str = "
ALTER TABLE persona_pain_points DROP CONSTRAINT persona_pain_points_severity_check;
ALTER TABLE persona_pain_points ADD CONSTRAINT persona_pain_points_severity_check
    CHECK (severity IN ('critical', 'high', 'medium'));";

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap();
        if name == "target" || name == ".git" || name == ".pg" {
            continue;
        }
        let dest = to.join(name);
        if path.is_dir() {
            copy_tree(&path, &dest);
        } else {
            std::fs::copy(&path, &dest).unwrap();
        }
    }
}

/// `version = "0.1.0"` -> a pre-release of its own (`0.1.0-<tag>`) in every crate of the scratch
/// copy, one per case, so that cases building at the same time never share an artifact.
fn give_scratch_versions(scratch: &Path, tag: &str) {
    for krate in [
        "codegen",
        "documents",
        "generated",
        "pg",
        "runtime",
        "schema",
        "seeder",
        "seeder-cli",
        "tests",
        "tests/torture/generated",
    ] {
        let path = scratch.join(krate).join("Cargo.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(
            &path,
            text.replacen(
                "version = \"0.1.0\"",
                &format!("version = \"0.1.0-{tag}\""),
                1,
            ),
        )
        .unwrap();
    }
}

/// `migration` applied to a fresh database, then `make regen` in a scratch copy of the
/// workspace: snapshot, generate, `cargo build -p seeder`. Returns whether the build passed and
/// what it printed.
async fn regen_after(migration: &str, tag: &str) -> (bool, String) {
    // The migration, applied to a fresh database.
    let db = TestDb::new(Stage::Latest).await.unwrap();
    sqlx::raw_sql(AssertSqlSafe(migration.to_string()))
        .execute(&db.pool)
        .await
        .unwrap();

    // make regen: snapshot, generate (into a scratch copy of the workspace).
    let root = workspace_root();
    let scratch: PathBuf = std::env::temp_dir().join(format!("regen-demo-{}", db.name));
    for part in ["Cargo.toml", "Cargo.lock"] {
        std::fs::create_dir_all(&scratch).unwrap();
        std::fs::copy(root.join(part), scratch.join(part)).unwrap();
    }
    for part in [
        "codegen",
        "documents",
        "generated",
        "pg",
        "runtime",
        "schema",
        "seeder",
        "seeder-cli",
        "tests",
        "data",
        "profiles",
        "migrations",
        "schema_snapshots",
    ] {
        copy_tree(&root.join(part), &scratch.join(part));
    }
    let snap = introspect::snapshot(&db.pool, &Selection::default())
        .await
        .unwrap();
    std::fs::write(
        scratch.join("schema_snapshots/vital.json"),
        introspect::to_json(&snap),
    )
    .unwrap();
    let files = codegen::emit::generate(&snap).unwrap();
    let changed = codegen::emit::write_changed(&files, &scratch.join("generated/src")).unwrap();
    assert!(
        !changed.is_empty(),
        "the migration changes the generated code"
    );

    // cargo build -p seeder: fails where the seeder relied on 'critical'. It shares our target
    // folder so that the dependencies are not built again; the scratch crates get a version of
    // their own, so their artifacts can never be mistaken for ours.
    give_scratch_versions(&scratch, tag);
    let out = Command::new(env!("CARGO"))
        .args([
            "build",
            "-p",
            "seeder",
            "--offline",
            "--quiet",
            "--message-format",
            "short",
        ])
        .current_dir(&scratch)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let _ = std::fs::remove_dir_all(&scratch);
    (out.status.success(), stderr)
}

#[tokio::test]
async fn a_changed_check_stops_the_seeder_build_naming_enum_and_value() {
    let (built, stderr) = regen_after(DEMO_MIGRATION, "regen-code").await;
    println!("{stderr}");
    assert!(
        !built,
        "the seeder must not build against the changed schema"
    );
    assert!(
        stderr.contains(
            "no variant or associated item named `Critical` found for enum `PainPointsSeverity`"
        ),
        "{stderr}"
    );
}

#[tokio::test]
async fn a_label_the_shipped_data_uses_stops_the_build_naming_document_and_value() {
    let (built, stderr) = regen_after(DATA_MIGRATION, "regen-data").await;
    println!("{stderr}");
    assert!(
        !built,
        "the seeder must not build with data the schema refuses"
    );
    let problems: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("severity: value 'low'"))
        .collect();
    assert!(!problems.is_empty(), "{stderr}");
    for line in &problems {
        // `error: seeder@..: /…/data/personas/x.yaml:12:15: personas[0].pain_points[1].severity:
        // value 'low': … allowed 'critical', 'high', 'medium'`
        assert!(line.starts_with("error: seeder@"), "{line}");
        assert!(line.contains("/data/personas/"), "{line}");
        assert!(
            line.split(".yaml:").nth(1).is_some_and(|rest| {
                let mut parts = rest.split(':');
                parts.next().is_some_and(|l| l.parse::<u32>().is_ok())
                    && parts.next().is_some_and(|c| c.parse::<u32>().is_ok())
            }),
            "file:line:col in {line}"
        );
        assert!(
            line.ends_with("allowed 'critical', 'high', 'medium'"),
            "{line}"
        );
    }
    assert!(
        stderr.contains("problem(s) in the shipped data"),
        "{stderr}"
    );
}
