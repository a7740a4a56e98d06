//! `--input PATH...` -> every row of every document, with every problem found on the way.
//! A folder is read recursively; `.json`, `.yaml`, `.yml` files are documents, the `.csv` files of
//! one folder form one CSV set.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::csv_input::read_csv_set;
use crate::document::{RowInput, rows_of_document};
use crate::problem::Problem;
use crate::source::{Node, parse_yaml_or_json};

/// Everything read from the inputs.
#[derive(Debug, Default)]
pub struct Inputs {
    pub files: Vec<PathBuf>,
    pub roots: Vec<RowInput>,
    pub problems: Vec<Problem>,
    /// With a mapping profile: where every source field went.
    pub accounting: Option<crate::profile::Accounting>,
}

pub fn read_inputs(paths: &[PathBuf]) -> Inputs {
    read_inputs_with(paths, None)
}

/// A piece of input that is read and planned on its own: one document, the CSV set of one
/// folder, or, with a mapping profile (whose derived org rows span documents), every document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unit {
    Document(PathBuf),
    CsvSet(Vec<PathBuf>),
    Profiled(Vec<PathBuf>),
}

impl Unit {
    pub fn files(&self) -> &[PathBuf] {
        match self {
            Unit::Document(path) => std::slice::from_ref(path),
            Unit::CsvSet(files) | Unit::Profiled(files) => files,
        }
    }
}

/// The units of `paths`, in reading order, and the paths that are no input.
#[derive(Debug, Default)]
pub struct Listing {
    pub units: Vec<Unit>,
    pub problems: Vec<Problem>,
}

/// Finds the units of `paths` (folders recursively). With a profile, the documents form one
/// unit; CSV sets are canonical already and stay units of their own.
pub fn list_units(paths: &[PathBuf], profiled: bool) -> Listing {
    let mut listing = Listing::default();
    let mut documents = vec![];
    let mut csv_sets: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    for path in paths {
        collect(path, &mut documents, &mut csv_sets, &mut listing.problems);
    }
    documents.sort();
    if profiled {
        if !documents.is_empty() {
            listing.units.push(Unit::Profiled(documents));
        }
    } else {
        listing
            .units
            .extend(documents.into_iter().map(Unit::Document));
    }
    for (_, mut files) in csv_sets {
        files.sort();
        listing.units.push(Unit::CsvSet(files));
    }
    listing
}

/// Reads the inputs; with a profile, every JSON/YAML document is read through it (CSV sets are
/// canonical already).
pub fn read_inputs_with(paths: &[PathBuf], profile: Option<&crate::profile::Profile>) -> Inputs {
    let listing = list_units(paths, profile.is_some());
    let mut inputs = Inputs {
        problems: listing.problems,
        ..Inputs::default()
    };
    for (unit, read) in listing
        .units
        .iter()
        .zip(read_units(&listing.units, profile))
    {
        inputs.files.extend(unit.files().iter().cloned());
        inputs.roots.extend(read.roots);
        inputs.problems.extend(read.problems);
        if read.accounting.is_some() {
            inputs.accounting = read.accounting;
        }
    }
    inputs
}

/// [`read_unit`] of every unit, in their order, on as many threads as the machine has cores:
/// the units are independent until they are planned together.
fn read_units(units: &[Unit], profile: Option<&crate::profile::Profile>) -> Vec<Inputs> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(units.len());
    if threads <= 1 {
        return units.iter().map(|unit| read_unit(unit, profile)).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let read: Vec<Option<Inputs>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = vec![];
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(unit) = units.get(i) else {
                            return done;
                        };
                        done.push((i, read_unit(unit, profile)));
                    }
                })
            })
            .collect();
        let mut read: Vec<Option<Inputs>> = (0..units.len()).map(|_| None).collect();
        for worker in workers {
            for (i, inputs) in worker.join().expect("a reading thread panicked") {
                read[i] = Some(inputs);
            }
        }
        read
    });
    read.into_iter()
        .map(|r| r.expect("every unit read"))
        .collect()
}

/// Reads one unit into rows (nothing is kept of the text).
pub fn read_unit(unit: &Unit, profile: Option<&crate::profile::Profile>) -> Inputs {
    let mut inputs = Inputs::default();
    match unit {
        Unit::Document(path) => {
            if let Some(node) = parse_file(path, &mut inputs.problems) {
                let file = Arc::new(path.clone());
                inputs.roots = rows_of_document(&file, node, &mut inputs.problems);
            }
        }
        Unit::CsvSet(files) => inputs.roots = read_csv_set(files, &mut inputs.problems),
        Unit::Profiled(documents) => {
            let foreign: Vec<(Arc<PathBuf>, Node)> = documents
                .iter()
                .filter_map(|path| {
                    parse_file(path, &mut inputs.problems).map(|n| (Arc::new(path.clone()), n))
                })
                .collect();
            let Some(profile) = profile else {
                unreachable!("a profiled unit is only listed with a profile")
            };
            let applied = crate::profile::apply_documents(profile, &foreign);
            drop(foreign);
            inputs.problems.extend(applied.problems);
            for (file, doc) in applied.documents {
                let rows = rows_of_document(&file, doc, &mut inputs.problems);
                inputs.roots.extend(rows);
            }
            for (file, doc) in applied.derived {
                let mut rows = rows_of_document(&file, doc, &mut inputs.problems);
                for row in &mut rows {
                    row.path = format!("{}{}", crate::profile::DERIVED_PREFIX, row.path);
                }
                inputs.roots.extend(rows);
            }
            inputs.accounting = Some(applied.accounting);
        }
    }
    inputs.files = unit.files().to_vec();
    inputs
}

fn parse_file(path: &Path, problems: &mut Vec<Problem>) -> Option<Node> {
    let file = || Arc::new(path.to_path_buf());
    match std::fs::read_to_string(path) {
        Ok(text) => match parse_yaml_or_json(path, &text) {
            Ok(node) => Some(node),
            Err(e) => {
                problems.push(Problem {
                    file: file(),
                    pos: e.pos,
                    path: String::new(),
                    value: None,
                    message: e.message,
                });
                None
            }
        },
        Err(e) => {
            problems.push(Problem {
                file: file(),
                pos: None,
                path: String::new(),
                value: None,
                message: format!("cannot read: {e}"),
            });
            None
        }
    }
}

fn collect(
    path: &Path,
    documents: &mut Vec<PathBuf>,
    csv_sets: &mut BTreeMap<PathBuf, Vec<PathBuf>>,
    problems: &mut Vec<Problem>,
) {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = match std::fs::read_dir(path) {
            Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => {
                problems.push(Problem {
                    file: Arc::new(path.to_path_buf()),
                    pos: None,
                    path: String::new(),
                    value: None,
                    message: format!("cannot read folder: {e}"),
                });
                return;
            }
        };
        entries.sort();
        for e in entries {
            if e.is_dir() || is_input(&e) {
                collect(&e, documents, csv_sets, problems);
            }
        }
        return;
    }
    match extension(path).as_str() {
        "json" | "yaml" | "yml" => documents.push(path.to_path_buf()),
        "csv" => csv_sets
            .entry(path.parent().map(Path::to_path_buf).unwrap_or_default())
            .or_default()
            .push(path.to_path_buf()),
        _ => problems.push(Problem {
            file: Arc::new(path.to_path_buf()),
            pos: None,
            path: String::new(),
            value: None,
            message: if path.exists() {
                "not an input file: expected .json, .yaml, .yml or .csv".into()
            } else {
                "no such file or folder".into()
            },
        }),
    }
}

fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
}

fn is_input(path: &Path) -> bool {
    matches!(extension(path).as_str(), "json" | "yaml" | "yml" | "csv")
}

/// The business function slug a root row belongs to (`business_function`, `function_slug`, ...).
pub fn function_of(row: &RowInput) -> Option<&str> {
    row.refs
        .iter()
        .find(|r| r.reference.target_table == crate::columns::ORG_FUNCTIONS)
        .map(|r| r.slug.as_str())
}

/// Keeps the rows of the given functions. Rows of tables that others reference by slug (the
/// org tables) always stay: they are what the selected rows point to.
pub fn select_functions(roots: Vec<RowInput>, functions: &[String]) -> Vec<RowInput> {
    if functions.is_empty() {
        return roots;
    }
    let v = crate::vocabulary::vocabulary();
    let referenced = |table: &str| {
        v.references
            .values()
            .flatten()
            .any(|r| r.target_table == table)
    };
    roots
        .into_iter()
        .filter(|row| {
            referenced(row.table.name)
                || function_of(row).is_some_and(|f| functions.iter().any(|x| x == f))
        })
        .collect()
}
