//! The command line's side of mapping profiles: `--input PATH=PROFILE`, the profile of a run,
//! `validate --format json`, `profile draft`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Result, bail};
use seeder::profile::{Profile, ProfileErrors, Route};
use seeder::run::InvalidInput;

/// `PATH=PROFILE` -> (PATH, PROFILE); a path that exists as written has no profile part.
pub fn split_input(input: &Path) -> (PathBuf, Option<String>) {
    let text = input.to_string_lossy();
    match text.rsplit_once('=') {
        Some((path, profile)) if !input.exists() && !path.is_empty() && !profile.is_empty() => {
            (PathBuf::from(path), Some(profile.to_string()))
        }
        _ => (input.to_path_buf(), None),
    }
}

/// The inputs without their `=PROFILE` parts.
pub fn input_paths(inputs: &[PathBuf]) -> Vec<PathBuf> {
    inputs.iter().map(|i| split_input(i).0).collect()
}

/// The profile of the run: `profile` for every input, or one per `--input PATH=PROFILE` (the
/// other inputs read by `profile`, or as canonical documents).
pub fn run_profile(
    inputs: &[PathBuf],
    profile: Option<&str>,
    allow_unused_rules: bool,
    report: Option<&Path>,
) -> Result<Option<Arc<Profile>>> {
    let load = |name: &str| -> Result<Arc<Profile>> {
        let mut profile = seeder::profile::load(name)?;
        profile.allow_unused_rules |= allow_unused_rules;
        Ok(Arc::new(profile))
    };
    let fallback = profile.map(load).transpose()?;
    let mut routes = vec![];
    for i in inputs {
        if let (path, Some(name)) = split_input(i) {
            routes.push(Route {
                input: path,
                profile: load(&name)?,
            });
        }
    }
    let profile = if routes.is_empty() {
        fallback
    } else {
        Some(Arc::new(Profile::per_input(routes, fallback)))
    };
    if profile.is_none() && (report.is_some() || allow_unused_rules) {
        bail!(
            "--report and --allow-unused-rules are about a mapping profile: give --profile or --input PATH=PROFILE"
        );
    }
    Ok(profile)
}

/// `validate --format json` when the profile itself is refused.
pub fn profile_problems_json(errors: &ProfileErrors) -> serde_json::Value {
    let problems: Vec<serde_json::Value> = errors
        .0
        .iter()
        .map(|p| serde_json::json!({"file": p.file, "pos": p.pos, "message": p.message}))
        .collect();
    serde_json::json!({"valid": false, "profile_problems": problems})
}

/// `validate --format json`: the outcome, or every problem.
pub fn validate_json(planned: &Result<seeder::plan::Plan>) -> serde_json::Value {
    match planned {
        Ok(plan) => serde_json::json!({
            "valid": true,
            "rows": plan.row_count(),
            "tables": plan
                .tables
                .iter()
                .filter(|t| !t.rows.is_empty())
                .map(|t| (t.table.name.to_string(), t.rows.len()))
                .collect::<std::collections::BTreeMap<_, _>>(),
        }),
        Err(e) => match e.downcast_ref::<InvalidInput>() {
            Some(invalid) => serde_json::json!({"valid": false, "problems": invalid.0}),
            None => serde_json::json!({"valid": false, "error": format!("{e:#}")}),
        },
    }
}

/// `seeder profile draft FILES...`: the draft profile's text.
pub fn draft(files: &[PathBuf]) -> Result<String> {
    let mut trees = vec![];
    for f in files {
        let text =
            std::fs::read_to_string(f).map_err(|e| anyhow::anyhow!("{}: {e}", f.display()))?;
        let node = seeder::source::parse_yaml_or_json(f, &text)
            .map_err(|e| anyhow::anyhow!("{}: {}", f.display(), e.message))?;
        trees.push((f.clone(), node));
    }
    Ok(seeder::profile::draft::draft(&trees).text)
}
