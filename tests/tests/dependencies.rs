//! What the seeder is built from: never the code emitter (codegen, prettyplease), clap only in
//! the binary, and none of ICU4X (url's other IDNA back end). Read from `cargo tree` of this
//! workspace's lock file, as a user's `cargo build -p seeder` compiles it.

use std::collections::BTreeSet;
use std::process::Command;

/// The packages `package` is compiled from (normal and build dependencies, on this platform).
fn compiled_from(package: &str) -> BTreeSet<String> {
    let workspace = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let out = Command::new(env!("CARGO"))
        .args(["tree", "--locked", "--offline", "-p", package])
        .args(["-e", "normal,build", "--prefix", "none"])
        .args(["--format", "{p}"])
        .current_dir(workspace)
        .output()
        .expect("running cargo tree");
    assert!(
        out.status.success(),
        "cargo tree -p {package}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

fn assert_none_of(package: &str, names: &[&str]) {
    let tree = compiled_from(package);
    let found: Vec<&String> = tree
        .iter()
        .filter(|p| {
            names
                .iter()
                .any(|n| p == n || p.starts_with(&format!("{n}_")))
        })
        .collect();
    assert!(
        found.is_empty(),
        "`cargo tree -p {package}` holds {found:?}, which it must not be built from"
    );
}

#[test]
fn the_seeder_library_is_not_built_from_the_emitter_clap_or_icu() {
    assert_none_of(
        "seeder",
        &["codegen", "prettyplease", "clap", "icu", "displaydoc"],
    );
}

#[test]
fn the_seeder_binary_is_not_built_from_the_emitter_or_icu() {
    let tree = compiled_from("seeder-cli");
    assert!(
        tree.contains("seeder"),
        "the binary is built on the library"
    );
    assert_none_of(
        "seeder-cli",
        &["codegen", "prettyplease", "icu", "displaydoc"],
    );
}
