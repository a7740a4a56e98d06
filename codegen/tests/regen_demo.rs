//! The promise of the product, end to end: a migration changes a CHECK, `make regen` runs
//! (snapshot + generate), and the seeder stops building where it relied on the old shape, with an
//! error that names the enum and the value.
//!
//! The workspace is copied to a scratch folder so the checked-in code is never touched.

use std::path::{Path, PathBuf};
use std::process::Command;

use schema::introspect::{self, Selection};
use vital_testkit::{Stage, TestDb, workspace_root};

/// The demo migration of the README: 'critical' leaves persona_pain_points.severity.
const DEMO_MIGRATION: &str = "
ALTER TABLE persona_pain_points DROP CONSTRAINT persona_pain_points_severity_check;
ALTER TABLE persona_pain_points ADD CONSTRAINT persona_pain_points_severity_check
    CHECK (severity IN ('high', 'medium', 'low'));";

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

/// `version = "0.1.0"` -> a pre-release of its own in every crate of the scratch copy.
fn give_scratch_versions(scratch: &Path) {
    for krate in [
        "codegen",
        "generated",
        "runtime",
        "seeder",
        "tests",
        "tests/torture/generated",
    ] {
        let path = scratch.join(krate).join("Cargo.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(
            &path,
            text.replacen("version = \"0.1.0\"", "version = \"0.1.0-regen-demo\"", 1),
        )
        .unwrap();
    }
}

#[tokio::test]
async fn a_changed_check_stops_the_seeder_build_naming_enum_and_value() {
    // The migration, applied to a fresh database.
    let db = TestDb::new(Stage::Latest).await.unwrap();
    sqlx::raw_sql(DEMO_MIGRATION)
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
        "generated",
        "runtime",
        "seeder",
        "tests",
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
    give_scratch_versions(&scratch);
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
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stderr}");
    assert!(
        !out.status.success(),
        "the seeder must not build against the changed schema"
    );
    assert!(
        stderr.contains(
            "no variant or associated item named `Critical` found for enum `PainPointsSeverity`"
        ),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&scratch);
}
