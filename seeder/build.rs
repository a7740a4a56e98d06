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
    let mut files: Vec<&PathBuf> = listing.units.iter().flat_map(|u| u.files()).collect();
    files.sort();
    let mut source = String::from(
        "/// The files of the built-in data set: path below `data/`, contents.\n\
         pub static FILES: &[(&str, &[u8])] = &[\n",
    );
    for file in files {
        let relative = file.strip_prefix(&data).unwrap_or(file);
        let name = relative.to_string_lossy().replace('\\', "/");
        let absolute = std::fs::canonicalize(file).unwrap_or_else(|_| file.clone());
        writeln!(
            source,
            "    ({name:?}, include_bytes!({:?})),",
            absolute.display().to_string()
        )
        .unwrap();
    }
    source.push_str("];\n");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo"));
    write_if_changed(&out.join("builtin_data.rs"), &source);
    embed_migrations(&manifest.join("..").join("migrations"), &out);
}

/// `$OUT_DIR/migrations.rs`: every `migrations/NNNN_name.sql`, in version order, with
/// `include_str!` (what `sqlx::migrate!` embeds, without sqlx's macro crates).
fn embed_migrations(dir: &Path, out: &Path) {
    println!("cargo::rerun-if-changed={}", dir.display());
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("reading migrations/")
        .map(|e| e.expect("a migrations/ entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    files.sort();
    let mut source = String::from(
        "/// The migrations: file name (`NNNN_description.sql`), SQL.\n\
         pub static MIGRATIONS: &[(&str, &str)] = &[\n",
    );
    for file in files {
        let name = file
            .file_name()
            .expect("a file name")
            .to_string_lossy()
            .into_owned();
        let absolute = std::fs::canonicalize(&file).unwrap_or(file);
        writeln!(
            source,
            "    ({name:?}, include_str!({:?})),",
            absolute.display().to_string()
        )
        .unwrap();
    }
    source.push_str("];\n");
    write_if_changed(&out.join("migrations.rs"), &source);
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
