//! Writing the generated files: only those that changed, each atomically, and stale ones removed,
//! so that an unchanged schema leaves the tree (and cargo's fingerprints) untouched.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, bail};

/// Writes each of `files` (paths relative to `out_dir`) whose content differs from what is on
/// disk, through a temporary file in the same directory and a rename; removes the `.rs` files
/// under `out_dir` that are not in `files`. Returns the paths written or removed (joined to
/// `out_dir`), sorted.
pub fn write_changed(
    files: &BTreeMap<PathBuf, String>,
    out_dir: &Path,
) -> anyhow::Result<Vec<PathBuf>> {
    let mut changed = Vec::new();
    for (relative, content) in files {
        let safe = relative
            .components()
            .all(|c| matches!(c, Component::Normal(_)));
        if !safe || relative.as_os_str().is_empty() {
            bail!(
                "generated path {} is not a plain relative path",
                relative.display()
            );
        }
        let path = out_dir.join(relative);
        if fs::read(&path).is_ok_and(|old| old == content.as_bytes()) {
            continue;
        }
        write_atomically(&path, content)?;
        changed.push(path);
    }

    let wanted: BTreeSet<PathBuf> = files.keys().map(|p| out_dir.join(p)).collect();
    let mut existing = Vec::new();
    if out_dir.is_dir() {
        rust_files(out_dir, &mut existing)?;
    }
    for path in existing {
        if !wanted.contains(&path) {
            fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))?;
            remove_empty_dirs(path.parent(), out_dir);
            changed.push(path);
        }
    }
    changed.sort();
    Ok(changed)
}

fn write_atomically(path: &Path, content: &str) -> anyhow::Result<()> {
    let dir = path
        .parent()
        .with_context(|| format!("{} has no directory", path.display()))?;
    fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let file_name = path
        .file_name()
        .with_context(|| format!("{} has no file name", path.display()))?
        .to_string_lossy();
    // Hidden and not `.rs`: never taken for a generated file, even if left behind by a crash.
    let tmp = dir.join(format!(".{file_name}.codegen-tmp"));
    fs::write(&tmp, content).with_context(|| format!("writing {}", tmp.display()))?;
    fs::rename(&tmp, path)
        .with_context(|| format!("renaming {} to {}", tmp.display(), path.display()))
}

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let entries = fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))?;
    for entry in entries {
        let entry = entry?;
        let path = entry.path();
        let kind = entry.file_type()?;
        if kind.is_dir() {
            rust_files(&path, out)?;
        } else if kind.is_file() && path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(())
}

/// Removes `dir` and its parents up to (not including) `root` while they are empty.
fn remove_empty_dirs(mut dir: Option<&Path>, root: &Path) {
    while let Some(d) = dir {
        if d == root || !d.starts_with(root) || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_only_changes_and_removes_stale_files() {
        let dir = std::env::temp_dir().join(format!("codegen-write-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let mut files = BTreeMap::new();
        files.insert(PathBuf::from("lib.rs"), "a".to_owned());
        files.insert(PathBuf::from("tables/x.rs"), "x".to_owned());
        let first = write_changed(&files, &dir).unwrap();
        assert_eq!(first, [dir.join("lib.rs"), dir.join("tables/x.rs")]);
        assert!(write_changed(&files, &dir).unwrap().is_empty());

        files.remove(Path::new("tables/x.rs"));
        files.insert(PathBuf::from("lib.rs"), "b".to_owned());
        fs::write(dir.join("notes.txt"), "kept").unwrap();
        let second = write_changed(&files, &dir).unwrap();
        assert_eq!(second, [dir.join("lib.rs"), dir.join("tables/x.rs")]);
        assert_eq!(fs::read_to_string(dir.join("lib.rs")).unwrap(), "b");
        assert!(!dir.join("tables").exists());
        assert!(dir.join("notes.txt").exists());

        files.insert(PathBuf::from("../escape.rs"), String::new());
        assert!(write_changed(&files, &dir).is_err());
        fs::remove_dir_all(&dir).unwrap();
    }
}
