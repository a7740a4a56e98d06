//! The data set under `data/` when this binary was built, validated by the build (`build.rs`:
//! the same readers, generated types and rules as `seeder validate`) and embedded in it.
//! `seeder deploy` without `--input` deploys it; `seeder data` lists it.

use std::path::PathBuf;

include!(concat!(env!("OUT_DIR"), "/builtin_data.rs"));

/// The built-in files, written into a fresh temporary folder (`.../built-in/<path below
/// data/>`) so that the ordinary readers read them; the folder goes when this is dropped.
pub struct Extracted {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
}

pub fn extract() -> anyhow::Result<Extracted> {
    use anyhow::Context as _;
    let dir = tempfile::Builder::new()
        .prefix("seeder-data-")
        .tempdir()
        .context("writing out the built-in data set")?;
    let root = dir.path().join("built-in");
    for (name, bytes) in FILES {
        let path = root.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| {
                format!("writing out the built-in data set: {}", parent.display())
            })?;
        }
        std::fs::write(&path, bytes)
            .with_context(|| format!("writing out the built-in data set: {}", path.display()))?;
    }
    Ok(Extracted { _dir: dir, root })
}

/// How many bytes the built-in files take.
pub fn bytes() -> usize {
    FILES.iter().map(|(_, b)| b.len()).sum()
}

/// What a planned data set holds: its business functions with their personas, and rows per
/// table (`seeder data`).
pub fn summary(plan: &crate::plan::Plan) -> String {
    use std::fmt::Write as _;
    let personas = crate::columns::PERSONAS;
    let functions = crate::columns::ORG_FUNCTIONS;
    let rows = |name: &str| {
        plan.tables
            .iter()
            .find(|t| t.table.name == name)
            .map_or(&[][..], |t| &t.rows[..])
    };
    let slug_of: std::collections::HashMap<uuid::Uuid, &str> = rows(functions)
        .iter()
        .filter_map(|f| Some((f.id, f.slug.as_deref()?)))
        .collect();
    let function_column = generated::personas::columns::FUNCTION_ID.name;
    let mut per_function: std::collections::BTreeMap<&str, usize> = Default::default();
    for persona in rows(personas) {
        let function = persona
            .values
            .iter()
            .find_map(|(column, value)| match value {
                generated::SqlValue::Uuid(id) if *column == function_column => {
                    slug_of.get(id).copied()
                }
                _ => None,
            });
        *per_function
            .entry(function.unwrap_or("(no function)"))
            .or_default() += 1;
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "built-in data set: {} files, {} bytes; {} business functions, {} personas, {} rows",
        FILES.len(),
        bytes(),
        rows(functions).len(),
        rows(personas).len(),
        plan.row_count()
    );
    let _ = writeln!(out, "personas per business function:");
    for (function, n) in &per_function {
        let _ = writeln!(out, "  {function:<30} {n:>6}");
    }
    let _ = writeln!(out, "rows per table:");
    for t in plan.tables.iter().filter(|t| !t.rows.is_empty()) {
        let _ = writeln!(out, "  {:<45} {:>6}", t.table.name, t.rows.len());
    }
    out
}
