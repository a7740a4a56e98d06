//! The shipped data set, checked by the compiler: every document under `data/` is read and
//! validated with the same readers, generated types and rules as `seeder validate` (the
//! `documents` crate), and any problem fails the build, each one a cargo error line
//! `file:line:col: path: value: what is allowed`, all of them at once. After a migration and
//! `make regen`, a value the schema no longer takes stops the build where it is written.
//!
//! The validated files are embedded in the binary (`seeder data`, `seeder deploy` without
//! `--input`): `$OUT_DIR/builtin_data.rs` lists them with `include_bytes!`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use documents::job::{InvalidInput, Job};

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let data = manifest.join("..").join("data");
    let data = std::fs::canonicalize(&data).unwrap_or(data);
    // A folder: cargo looks at every file below it.
    println!("cargo::rerun-if-changed={}", data.display());
    println!("cargo::rerun-if-changed=build.rs");

    let job = Job {
        inputs: vec![data.clone()],
        ..Job::default()
    };
    if let Err(error) = documents::validate::validate_offline(&job) {
        match error.downcast_ref::<InvalidInput>() {
            Some(InvalidInput(problems)) => {
                for problem in problems {
                    println!("cargo::error={}", one_line(&problem.to_string()));
                }
                println!(
                    "cargo::error={} problem(s) in the shipped data ({}): the seeder is not built with data the schema refuses",
                    problems.len(),
                    data.display()
                );
            }
            None => println!(
                "cargo::error=reading {}: {}",
                data.display(),
                one_line(&format!("{error:#}"))
            ),
        }
        return;
    }

    let listing = documents::input::list_units(std::slice::from_ref(&data), false);
    let files: Vec<(String, PathBuf)> = listing
        .units
        .iter()
        .flat_map(|u| u.files())
        .map(|file| {
            let relative = file.strip_prefix(&data).unwrap_or(file);
            (relative.to_string_lossy().replace('\\', "/"), file.clone())
        })
        .collect();
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo"));
    write_include_list(
        &out.join("builtin_data.rs"),
        "/// The files of the built-in data set: path below `data/`, contents.\n\
         pub static FILES: &[(&str, &[u8])]",
        "include_bytes",
        files,
    );

    // Every `migrations/NNNN_name.sql`, with `include_str!` (what `sqlx::migrate!` embeds,
    // without sqlx's macro crates).
    let migrations = manifest.join("..").join("migrations");
    println!("cargo::rerun-if-changed={}", migrations.display());
    let files: Vec<(String, PathBuf)> = std::fs::read_dir(&migrations)
        .expect("reading migrations/")
        .map(|e| e.expect("a migrations/ entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .map(|p| {
            let name = p
                .file_name()
                .expect("a file name")
                .to_string_lossy()
                .into_owned();
            (name, p)
        })
        .collect();
    write_include_list(
        &out.join("migrations.rs"),
        "/// The migrations: file name (`NNNN_description.sql`), SQL.\n\
         pub static MIGRATIONS: &[(&str, &str)]",
        "include_str",
        files,
    );
}

/// `<declaration> = &[(name, <include>!(absolute path)), ...];` in name order, written when it
/// changed.
fn write_include_list(
    path: &Path,
    declaration: &str,
    include: &str,
    mut files: Vec<(String, PathBuf)>,
) {
    files.sort();
    let mut source = format!("{declaration} = &[\n");
    for (name, file) in files {
        let absolute = std::fs::canonicalize(&file).unwrap_or(file);
        writeln!(
            source,
            "    ({name:?}, {include}!({:?})),",
            absolute.display().to_string()
        )
        .unwrap();
    }
    source.push_str("];\n");
    write_if_changed(path, &source);
}

/// A cargo directive is one line.
fn one_line(text: &str) -> String {
    text.replace(['\r', '\n'], " ")
}

fn write_if_changed(path: &Path, text: &str) {
    if std::fs::read_to_string(path).ok().as_deref() != Some(text) {
        std::fs::write(path, text).expect("writing into OUT_DIR");
    }
}
