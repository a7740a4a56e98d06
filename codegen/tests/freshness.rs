//! The checked-in generated code is what codegen makes of the checked-in snapshot, byte for byte
//! (the rust-analyzer habit: regenerate in memory, compare, fail when stale).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use codegen::emit;
use schema::introspect;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn rust_files(dir: &Path, base: &Path, out: &mut BTreeSet<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, base, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.insert(path.strip_prefix(base).unwrap().to_path_buf());
        }
    }
}

fn assert_fresh(snapshot: &str, src: &str, fix: &str) {
    let (snapshot, src) = (root().join(snapshot), root().join(src));
    let snap = introspect::from_json(&std::fs::read_to_string(&snapshot).unwrap()).unwrap();
    let files = emit::generate(&snap).unwrap();
    let mut stale = vec![];
    for (path, content) in &files {
        match std::fs::read_to_string(src.join(path)) {
            Ok(on_disk) if &on_disk == content => {}
            Ok(_) => stale.push(format!("{} differs", path.display())),
            Err(_) => stale.push(format!("{} is missing", path.display())),
        }
    }
    let mut on_disk = BTreeSet::new();
    rust_files(&src, &src, &mut on_disk);
    for path in on_disk {
        if !files.contains_key(&path) {
            stale.push(format!("{} is no longer generated", path.display()));
        }
    }
    assert!(
        stale.is_empty(),
        "{} is stale ({fix}):\n{}",
        src.display(),
        stale.join("\n")
    );
}

#[test]
fn generated_crate_is_fresh() {
    assert_fresh(
        "schema_snapshots/vital.json",
        "generated/src",
        "run `make generate` (offline, from the checked-in snapshot)",
    );
}

#[test]
fn torture_crate_is_fresh() {
    assert_fresh(
        "tests/torture/snapshot.json",
        "tests/torture/generated/src",
        "run `make generate` (offline, from the checked-in snapshots)",
    );
}

#[test]
fn generation_is_deterministic() {
    let snap = introspect::from_json(
        &std::fs::read_to_string(root().join("schema_snapshots/vital.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        emit::generate(&snap).unwrap(),
        emit::generate(&snap).unwrap()
    );
}
