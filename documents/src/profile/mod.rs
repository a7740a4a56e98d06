//! Mapping profiles: declared rules that turn a foreign document shape (the platform's capture
//! files, the seeding guide's template) into canonical persona documents, checked against the
//! generated schema metadata before use, with an account of where every source field went.
//!
//! `model` (the profile file's serde structs), `check` (model -> a checked `Profile`, every
//! error with the profile's file and line), `path` (source paths with wildcards), `value`
//! (remap, convert, check one value), `transform` (declared value transforms), `apply`
//! (foreign tree -> canonical tree + accounting), `usage` (rules that matched nothing),
//! `report` (the accounting, on screen and as JSON), `draft` (a starting profile from capture
//! files).

pub mod apply;
pub mod check;
pub mod draft;
pub mod model;
pub mod path;
pub mod report;
pub mod transform;
pub mod usage;
pub mod value;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use generated::{ColumnMeta, TableMeta};
use serde_json::Value as Json;

use crate::document::RowInput;
use crate::plan::ExistingIds;
use crate::source::Pos;
use crate::vocabulary::SlugReference;

pub use apply::{Applied, apply_documents};
pub use report::Accounting;

/// A checked profile, its names resolved to the generated metadata.
#[derive(Debug)]
pub struct Profile {
    /// The profile file's tree, for the places of its rules.
    pub source: crate::source::Node,
    /// A rule that matches nothing in any input is reported, not an error.
    pub allow_unused_rules: bool,
    /// Globs of the files this profile reads; empty: every document.
    pub applies_to: Vec<String>,
    /// A profile per input (`--input PATH=PROFILE`): the longest input that holds a document
    /// names its profile; `fallback` reads the others (or none: canonical documents).
    pub routes: Vec<Route>,
    pub fallback: Option<std::sync::Arc<Profile>>,
    pub file: PathBuf,
    pub name: String,
    pub description: Option<String>,
    pub locations: Vec<Location>,
    pub passthrough: Vec<String>,
    pub ignore: BTreeMap<String, String>,
    /// Source paths left out, with the reason.
    pub drop: Vec<(path::PathPattern, String)>,
    /// The wrapper of every section (a table's own wins).
    pub unwrap: Option<Unwrap>,
    pub unmapped: Policy,
    pub invalid_values: Policy,
    pub tables: BTreeMap<&'static str, TableProfile>,
    pub org: Vec<OrgRule>,
}

/// The profile that reads the documents of one input.
#[derive(Clone, Debug)]
pub struct Route {
    pub input: PathBuf,
    pub profile: std::sync::Arc<Profile>,
}

impl Profile {
    /// Profiles per input: each route's input read by its profile, the others by `fallback`
    /// (its `applies_to:` still applies) or as canonical documents.
    pub fn per_input(routes: Vec<Route>, fallback: Option<std::sync::Arc<Profile>>) -> Profile {
        let names: Vec<String> = routes
            .iter()
            .map(|r| format!("{}={}", r.input.display(), r.profile.name))
            .collect();
        Profile {
            source: crate::source::Node::new(crate::source::Value::Null, Pos::default()),
            allow_unused_rules: false,
            applies_to: vec![],
            routes,
            fallback,
            file: PathBuf::new(),
            name: format!("per input ({})", names.join(", ")),
            description: None,
            locations: vec![],
            passthrough: vec![],
            ignore: BTreeMap::new(),
            drop: vec![],
            unwrap: None,
            unmapped: Policy::Error,
            invalid_values: Policy::Error,
            tables: BTreeMap::new(),
            org: vec![],
        }
    }

    /// The profile that reads `file`, or none when it is a canonical document.
    pub fn for_document(&self, file: &Path) -> Option<&Profile> {
        if !self.routes.is_empty() || self.fallback.is_some() {
            let route = self
                .routes
                .iter()
                .filter(|r| file.starts_with(&r.input))
                .max_by_key(|r| r.input.components().count());
            return match route {
                Some(r) => r.profile.for_document(file),
                None => self.fallback.as_ref().and_then(|p| p.for_document(file)),
            };
        }
        if self.applies_to.is_empty() || self.applies_to.iter().any(|g| glob_matches(g, file)) {
            Some(self)
        } else {
            None
        }
    }
}

/// `*` (within a name), `**` (across folders) and `?`; a glob without `/` is matched against
/// the file name, one with `/` against the path's trailing components.
pub fn glob_matches(glob: &str, file: &Path) -> bool {
    fn matches(g: &[u8], s: &[u8]) -> bool {
        match (g.first(), s.first()) {
            (None, None) => true,
            (Some(b'*'), _) if g.get(1) == Some(&b'*') => {
                let rest = g[2..].strip_prefix(b"/").unwrap_or(&g[2..]);
                (0..=s.len()).any(|i| matches(rest, &s[i..]))
            }
            (Some(b'*'), _) => (0..=s.len())
                .take_while(|i| *i == 0 || s[i - 1] != b'/')
                .any(|i| matches(&g[1..], &s[i..])),
            (Some(b'?'), Some(c)) if *c != b'/' => matches(&g[1..], &s[1..]),
            (Some(a), Some(b)) if a == b => matches(&g[1..], &s[1..]),
            _ => false,
        }
    }
    let text = file.to_string_lossy();
    if !glob.contains('/') {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        return matches(glob.as_bytes(), name.as_bytes());
    }
    let parts: Vec<&str> = text.split('/').collect();
    (0..parts.len()).any(|i| matches(glob.as_bytes(), parts[i..].join("/").as_bytes()))
}

/// Where personas are in a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    List(String),
    MapValues(String),
    DocumentList,
    DocumentPersona,
    /// Every node the pattern reaches from the document's top, each given the fields it
    /// inherits from the objects that enclose it.
    Path {
        pattern: path::PathPattern,
        inherit: Vec<Inherit>,
    },
}

/// A field an enclosing object gives each persona below it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inherit {
    /// The key the persona gets.
    pub key: String,
    /// The enclosing object: the pattern's first `depth` steps.
    pub depth: usize,
    /// Its key that gives the value.
    pub field: String,
    /// As written (`roles[*].slug`).
    pub text: String,
}

/// Child rows wrapped in an object: the key holding them and the other keys left out.
#[derive(Clone, Debug, Default)]
pub struct Unwrap {
    pub rows: String,
    pub drop: BTreeMap<String, String>,
}

/// What happens to a field no rule maps, or to a value no rule makes valid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Policy {
    Error,
    /// Kept in `personas.metadata` under this key, with the source path.
    Metadata(String),
}

/// The rules of one table.
#[derive(Debug, Default)]
pub struct TableProfile {
    pub sections: Vec<String>,
    pub groups: Vec<String>,
    pub fields: Vec<FieldRule>,
    pub rows: Vec<RowsProfile>,
    pub remap: BTreeMap<&'static str, BTreeMap<String, Json>>,
    pub defaults: Vec<(&'static ColumnMeta, Json)>,
    pub split: BTreeMap<&'static str, String>,
    /// Keys of a row left out, with the reason.
    pub drop: Vec<(Spelling, String)>,
    pub unwrap: Option<Unwrap>,
    /// A single map where the list of rows belongs is one row.
    pub one_row: bool,
    pub transforms: BTreeMap<&'static str, transform::Transform>,
}

/// A source key, optionally with the groups it must sit in (`core_profile.function`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spelling {
    pub groups: Vec<String>,
    pub key: String,
}

impl Spelling {
    pub fn parse(text: &str) -> Spelling {
        let mut parts: Vec<String> = text.split('.').map(str::to_string).collect();
        let key = parts.pop().unwrap_or_default();
        Spelling { groups: parts, key }
    }

    /// `*` stands for any one group or any key.
    pub fn matches(&self, groups: &[String], key: &str) -> bool {
        (self.key == key || self.key == "*")
            && (self.groups.is_empty()
                || (self.groups.len() == groups.len()
                    && self
                        .groups
                        .iter()
                        .zip(groups)
                        .all(|(a, b)| a == "*" || a == b)))
    }
}

impl fmt::Display for Spelling {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for g in &self.groups {
            write!(f, "{g}.")?;
        }
        f.write_str(&self.key)
    }
}

#[derive(Debug)]
pub struct FieldRule {
    pub spelling: Spelling,
    pub target: Target,
    /// The rule's place in the profile (`tables.personas.fields.title`).
    pub at: Vec<String>,
}

/// Where a field goes.
#[derive(Clone, Debug)]
pub enum Target {
    Column(&'static ColumnMeta),
    /// A reference by slug (`function`, `role`); the canonical document names it by this key.
    Reference(&'static SlugReference),
    /// A key of `personas.metadata`.
    Metadata(String),
    /// Only a source of org rows (`org:`), not a field of the persona.
    Org,
}

#[derive(Debug)]
pub struct RowsProfile {
    /// The rule's place in the profile (`tables.personas.rows.0`).
    pub at: Vec<String>,
    pub from: Vec<Spelling>,
    pub table: &'static TableMeta,
    pub column: &'static ColumnMeta,
    pub key_column: Option<&'static ColumnMeta>,
    pub keys: BTreeMap<String, String>,
    pub set: Vec<(&'static ColumnMeta, Json)>,
    /// Map keys that go to the parent row (as its `fields:` would), the rest becoming rows.
    pub columns: Vec<(String, Target)>,
}

/// Org rows of `table` built from persona fields.
#[derive(Debug)]
pub struct OrgRule {
    pub table: &'static TableMeta,
    /// The canonical section (`roles`).
    pub section: String,
    /// Canonical key (a column or a reference key) -> the persona field it comes from.
    pub values: Vec<(String, Spelling)>,
}

impl OrgRule {
    pub fn slug(&self) -> Option<&Spelling> {
        self.values
            .iter()
            .find(|(k, _)| k == crate::columns::SLUG)
            .map(|(_, s)| s)
    }
}

/// A profile that cannot be used: every error, each with the profile's file and line.
#[derive(Debug)]
pub struct ProfileErrors(pub Vec<ProfileError>);

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileError {
    pub file: PathBuf,
    pub pos: Option<Pos>,
    pub message: String,
}

impl fmt::Display for ProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.pos {
            Some(p) => write!(f, "{}:{p}: {}", self.file.display(), self.message),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

impl fmt::Display for ProfileErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} problem(s) in the mapping profile:", self.0.len())?;
        for e in &self.0 {
            writeln!(f, "  {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ProfileErrors {}

/// The folder of the shipped profiles, in the source tree.
pub fn shipped_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("profiles")
}

/// `NAME` -> `profiles/NAME.yaml` (in the working directory, else the shipped folder); a path
/// (with a `/`, or ending in `.yaml` / `.yml` / `.json`) as it is.
pub fn resolve(name_or_path: &str) -> Result<PathBuf, String> {
    let as_path = Path::new(name_or_path);
    let looks_like_path = name_or_path.contains('/')
        || [".yaml", ".yml", ".json"]
            .iter()
            .any(|e| name_or_path.ends_with(e));
    if looks_like_path {
        return if as_path.is_file() {
            Ok(as_path.to_path_buf())
        } else {
            Err(format!("no profile file {name_or_path}"))
        };
    }
    let candidates = [
        Path::new("profiles").join(format!("{name_or_path}.yaml")),
        shipped_dir().join(format!("{name_or_path}.yaml")),
    ];
    if let Some(found) = candidates.iter().find(|p| p.is_file()) {
        return Ok(found.clone());
    }
    let mut known: Vec<String> = std::fs::read_dir(shipped_dir())
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter_map(|e| {
                    let name = e.file_name().to_string_lossy().to_string();
                    name.strip_suffix(".yaml").map(str::to_string)
                })
                .collect()
        })
        .unwrap_or_default();
    known.sort();
    Err(format!(
        "no profile '{name_or_path}' (looked for {}); shipped profiles: {}",
        candidates
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", "),
        known.join(", ")
    ))
}

/// Reads and checks a profile by name or path.
pub fn load(name_or_path: &str) -> Result<Profile, ProfileErrors> {
    let file = resolve(name_or_path).map_err(|message| {
        ProfileErrors(vec![ProfileError {
            file: PathBuf::from(name_or_path),
            pos: None,
            message,
        }])
    })?;
    load_file(&file)
}

/// Reads and checks the profile in `file`.
pub fn load_file(file: &Path) -> Result<Profile, ProfileErrors> {
    let error = |pos, message| {
        ProfileErrors(vec![ProfileError {
            file: file.to_path_buf(),
            pos,
            message,
        }])
    };
    let text =
        std::fs::read_to_string(file).map_err(|e| error(None, format!("cannot read: {e}")))?;
    let node =
        crate::source::parse_yaml_or_json(file, &text).map_err(|e| error(e.pos, e.message))?;
    let model = model::from_node(&node).map_err(|e| error(e.pos, e.message))?;
    check::check(file, &node, &model).map_err(ProfileErrors)
}

/// The path of the org rows a profile derives from personas, so that a deploy creates them
/// when missing and never changes an existing row.
pub const DERIVED_PREFIX: &str = "derived:";

pub fn is_derived(row: &RowInput) -> bool {
    row.path.starts_with(DERIVED_PREFIX)
}

/// Drops the derived org rows whose slug the tenant already has.
/// Returns whether any was dropped.
pub fn drop_existing_derived(roots: &mut Vec<RowInput>, existing: &ExistingIds) -> bool {
    let before = roots.len();
    roots.retain(|r| {
        !(is_derived(r)
            && r.slug()
                .is_some_and(|s| existing.contains_key(&(r.table.name, s.to_string()))))
    });
    roots.len() != before
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_names_and_trailing_paths() {
        let f = Path::new("/data/captures/2025/msl_capture.json");
        assert!(glob_matches("*_capture.json", f));
        assert!(glob_matches("*.json", f));
        assert!(!glob_matches("*.yaml", f));
        assert!(glob_matches("captures/**", f));
        assert!(glob_matches("captures/**/*.json", f));
        assert!(!glob_matches("captures/*.json", f));
        assert!(glob_matches("2025/msl_?apture.json", f));
        assert!(!glob_matches("org/**", f));
    }
}
