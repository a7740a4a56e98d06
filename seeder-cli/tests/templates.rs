//! Data capture templates: the checked-in templates are what the generator makes today; every
//! template (JSON, YAML, CSV set) validates and deploys as generated; the JSON Schema accepts every
//! document of `data/` and rejects each bad document of `tests/bad_input/` it can express at the
//! same field as the seeder.
//!
//! Bad documents only the seeder can catch (the schema accepts them or never sees them):
//! - `broken_syntax.yaml`: not YAML at all; the editor's parser reports it before any schema runs.
//! - `critical_pain_without_text.yaml`, `executive_without_budget.yaml`: business rules
//!   (`seeder/src/rules.rs`), Rust functions over the generated types, not schema metadata.
//! - `duplicate_slug.yaml`: slugs unique per tenant across rows (and files, and the database).
//! - `duplicate_function_name.yaml`: another unique key across rows (`org_functions` name per
//!   tenant), here against a row of another file.
//! - `duplicate_unique_key.yaml`: a unique key within one parent row (`week_in_life.day_of_week`);
//!   JSON Schema's `uniqueItems` compares whole items, not one field of them.
//! - `unknown_org_reference.yaml`: references by slug to org rows, which may be in other files or
//!   in the database.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::*;
use jsonschema::error::ValidationErrorKind;
use seeder::run::{self, InvalidInput, Job};
use seeder::source::parse_yaml_or_json;
use seeder::templates::{
    ALL_FORMATS, GeneratedFile, Org, csv_dir_name, generate, json_template_name,
    org_document_schema, persona_document_schema, write_files, yaml_template_name,
};
use serde_json::Value as Json;
use vital_testkit::workspace_root;

const CHECKED_IN: &str = "data_capture_templates";

fn org_dir() -> PathBuf {
    data_dir().join("org")
}

fn org() -> Org {
    Org::read(&[org_dir()]).unwrap()
}

fn functions() -> Vec<String> {
    org().function_slugs().unwrap()
}

fn all_files() -> Vec<GeneratedFile> {
    generate(&org(), &[], &ALL_FORMATS).unwrap()
}

/// The templates of every function written to a fresh folder of this test.
fn written(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("templates-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    write_files(&dir, &all_files()).unwrap();
    dir
}

fn job(inputs: Vec<PathBuf>) -> Job {
    Job {
        inputs,
        tenant_id: TENANT_A,
        ..Job::default()
    }
}

fn files_below(dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>, base: &Path) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_below(&path, out, base);
        } else {
            let rel = path.strip_prefix(base).unwrap().to_path_buf();
            out.insert(rel, std::fs::read(&path).unwrap());
        }
    }
}

#[test]
fn the_checked_in_templates_are_fresh() {
    let dir = workspace_root().join(CHECKED_IN);
    let mut on_disk = BTreeMap::new();
    if dir.exists() {
        files_below(&dir, &mut on_disk, &dir);
    }
    let generated: BTreeMap<PathBuf, Vec<u8>> = all_files()
        .into_iter()
        .map(|f| (f.path, f.contents.into_bytes()))
        .collect();
    let mut stale = vec![];
    for (path, bytes) in &generated {
        match on_disk.get(path) {
            None => stale.push(format!("missing: {}", path.display())),
            Some(b) if b != bytes => stale.push(format!("differs: {}", path.display())),
            Some(_) => {}
        }
    }
    for path in on_disk.keys().filter(|p| !generated.contains_key(*p)) {
        stale.push(format!("not generated any more: {}", path.display()));
    }
    assert!(
        stale.is_empty(),
        "{CHECKED_IN}/ is stale; run `make templates`:\n  {}",
        stale.join("\n  ")
    );
    let functions = functions();
    assert_eq!(functions.len(), 12, "{functions:?}");
}

/// Every table below `personas`, and `personas`.
fn persona_tables() -> Vec<&'static str> {
    let personas = seeder::vocabulary::vocabulary()
        .root("personas")
        .unwrap()
        .table
        .name;
    let roots = [personas].into_iter().collect();
    generated::TABLES
        .iter()
        .filter(|t| t.name == personas || seeder::plan::nests_under(t, &roots))
        .map(|t| t.name)
        .collect()
}

#[test]
fn each_template_as_generated_passes_validation() {
    let dir = written("validate");
    let tables = persona_tables();
    assert_eq!(tables.len(), 70);
    for function in functions() {
        for input in [
            dir.join(json_template_name(&function)),
            dir.join(yaml_template_name(&function)),
            dir.join(csv_dir_name(&function)),
        ] {
            let plan = run::validate_offline(&job(vec![org_dir(), input.clone()]))
                .unwrap_or_else(|e| panic!("{}: {e}", input.display()));
            for table in &tables {
                let rows = plan.table(table).map_or(0, |t| t.rows.len());
                assert_eq!(rows, 1, "{}: {table} has {rows} rows", input.display());
            }
            let personas = plan.table("personas").unwrap();
            let function_id = &personas.rows[0]
                .values
                .iter()
                .find(|(c, _)| *c == "function_id")
                .expect("the template persona references its function")
                .1;
            assert!(!function_id.is_null());
        }
    }
}

#[tokio::test]
async fn each_filled_example_deploys_and_the_three_formats_give_the_same_rows() {
    let dir = written("deploy");
    let db = database().await;
    let functions = functions();
    let set = |name: fn(&str) -> String| -> Vec<PathBuf> {
        std::iter::once(org_dir())
            .chain(functions.iter().map(|f| dir.join(name(f))))
            .collect()
    };
    let json_set = set(json_template_name);
    deploy(&db.pool, json_set.clone(), TENANT_A).await.unwrap();
    let counts = counts(&db.pool, TENANT_A).await;
    for table in persona_tables() {
        let n = counts
            .iter()
            .find(|(t, _)| t == table)
            .map_or(0, |(_, n)| *n);
        assert_eq!(
            n,
            functions.len() as i64,
            "{table}: one row per function's template"
        );
    }
    let report = run::verify_tenant(&db.pool, &job(json_set)).await.unwrap();
    assert!(report.ok(), "{report:?}");
    assert_eq!(report.personas_per_function.len(), 12);

    let after_json = tenant_digest(&db.pool, TENANT_A).await;
    let yaml = deploy(&db.pool, set(yaml_template_name), TENANT_A)
        .await
        .unwrap();
    assert_eq!(yaml.roots_created, 0);
    assert_eq!(
        after_json,
        tenant_digest(&db.pool, TENANT_A).await,
        "YAML == JSON"
    );
    let csv = deploy(&db.pool, set(csv_dir_name), TENANT_A).await.unwrap();
    assert_eq!(csv.roots_created, 0);
    assert_eq!(
        after_json,
        tenant_digest(&db.pool, TENANT_A).await,
        "CSV == JSON"
    );
}

fn validator(schema: &Json) -> jsonschema::Validator {
    jsonschema::draft202012::new(schema).expect("a valid draft 2020-12 schema")
}

fn document_json(path: &Path) -> Json {
    let text = std::fs::read_to_string(path).unwrap();
    parse_yaml_or_json(path, &text).unwrap().to_json()
}

/// `/personas/0/pain_points/0` + `severity` -> `personas[0].pain_points[0].severity`.
fn seeder_path(pointer: &str, property: Option<&str>) -> String {
    let mut out = String::new();
    let segments = pointer
        .split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .chain(property.map(str::to_string));
    for segment in segments {
        if segment.parse::<usize>().is_ok() {
            out.push_str(&format!("[{segment}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&segment);
        }
    }
    out
}

/// Every schema error as (the seeder-style path of the field, message).
fn schema_errors(validator: &jsonschema::Validator, doc: &Json) -> Vec<(String, String)> {
    validator
        .iter_errors(doc)
        .flat_map(|e| {
            let pointer = e.instance_path().as_str().to_string();
            let properties: Vec<Option<String>> = match e.kind() {
                ValidationErrorKind::Required { property } => {
                    vec![property.as_str().map(str::to_string)]
                }
                ValidationErrorKind::AdditionalProperties { unexpected } => {
                    unexpected.iter().cloned().map(Some).collect()
                }
                _ => vec![None],
            };
            let message = e.to_string();
            properties
                .into_iter()
                .map(move |p| (seeder_path(&pointer, p.as_deref()), message.clone()))
        })
        .collect()
}

#[test]
fn seeder_paths_from_pointers() {
    assert_eq!(
        seeder_path("/personas/0/pain_points/0", Some("severity")),
        "personas[0].pain_points[0].severity"
    );
    assert_eq!(seeder_path("", Some("persona")), "persona");
    assert_eq!(
        seeder_path(
            "/personas/0/evidence_summary/overall_confidence_score",
            None
        ),
        "personas[0].evidence_summary.overall_confidence_score"
    );
}

fn documents_below(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            documents_below(&path, out);
        } else if path
            .extension()
            .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
        {
            out.push(path);
        }
    }
}

#[test]
fn the_schema_accepts_every_document_in_data_and_every_template() {
    let persona = validator(&persona_document_schema());
    let org_schema = validator(&org_document_schema());
    let mut documents = vec![];
    documents_below(&data_dir(), &mut documents);
    assert!(documents.len() >= 13, "{documents:?}");
    let dir = written("schema");
    for function in functions() {
        documents.push(dir.join(json_template_name(&function)));
        documents.push(dir.join(yaml_template_name(&function)));
    }
    let mut problems = vec![];
    for path in &documents {
        let doc = document_json(path);
        for (field, message) in schema_errors(&persona, &doc) {
            problems.push(format!("{}: {field}: {message}", path.display()));
        }
        if path.starts_with(org_dir()) {
            for (field, message) in schema_errors(&org_schema, &doc) {
                problems.push(format!(
                    "{} (org schema): {field}: {message}",
                    path.display()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The generated schema files are the ones checked here.
    let on_disk: Json = serde_json::from_str(
        &std::fs::read_to_string(dir.join(seeder::templates::PERSONA_SCHEMA_FILE)).unwrap(),
    )
    .unwrap();
    assert_eq!(on_disk, persona_document_schema());
}

/// The bad documents the schema cannot express (see the module comment), and why.
const SEEDER_ONLY: &[(&str, &str)] = &[
    ("broken_syntax.yaml", "syntax: no document to check"),
    ("critical_pain_without_text.yaml", "business rule"),
    (
        "duplicate_function_name.yaml",
        "uniqueness across rows (UNIQUE (tenant_id, name))",
    ),
    ("duplicate_slug.yaml", "uniqueness across rows"),
    (
        "duplicate_unique_key.yaml",
        "uniqueness within a parent row",
    ),
    ("executive_without_budget.yaml", "business rule"),
    ("unknown_org_reference.yaml", "reference to an org row"),
];

fn seeder_problem_paths(path: &Path) -> Vec<String> {
    let err = run::validate_offline(&job(vec![org_dir(), path.to_path_buf()])).expect_err(
        &format!("{} must be rejected by the seeder", path.display()),
    );
    let invalid = err
        .downcast_ref::<InvalidInput>()
        .unwrap_or_else(|| panic!("{}: {err}", path.display()));
    invalid.0.iter().map(|p| p.path.clone()).collect()
}

#[test]
fn the_schema_rejects_each_bad_document_it_can_express_at_the_seeders_field() {
    let persona = validator(&persona_document_schema());
    let dir = fixture("bad_input");
    let mut documents = vec![];
    documents_below(&dir, &mut documents);
    let names: BTreeSet<String> = documents
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    for (name, _) in SEEDER_ONLY {
        assert!(
            names.contains(*name),
            "{name} is listed but not in bad_input/"
        );
    }
    let mut expressed = 0;
    for path in &documents {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let seeder_paths = seeder_problem_paths(path);
        if let Some((_, why)) = SEEDER_ONLY.iter().find(|(n, _)| *n == name) {
            if name != "broken_syntax.yaml" {
                let errors = schema_errors(&persona, &document_json(path));
                assert!(
                    errors.is_empty(),
                    "{name} ({why}) is listed as seeder-only but the schema rejects it: {errors:?}"
                );
            }
            continue;
        }
        let errors = schema_errors(&persona, &document_json(path));
        assert!(
            !errors.is_empty(),
            "the schema accepts {name} (seeder: {seeder_paths:?}); when the schema cannot express \
             its error, list it in SEEDER_ONLY with the reason"
        );
        let same: Vec<&(String, String)> = errors
            .iter()
            .filter(|(field, _)| seeder_paths.contains(field))
            .collect();
        assert!(
            !same.is_empty(),
            "{name}: schema errors at {errors:?}, seeder errors at {seeder_paths:?}"
        );
        println!("{name}: {} -> {}", same[0].0, same[0].1);
        expressed += 1;
    }
    assert!(
        expressed >= 9,
        "{expressed} bad documents expressed by the schema"
    );
}

/// A `deleted_at` value in an example would deploy a soft-deleted row: every template leaves
/// it empty.
#[test]
fn no_example_marks_a_row_deleted() {
    fn deleted_at_values(value: &Json, path: &str, out: &mut Vec<String>) {
        match value {
            Json::Object(map) => {
                for (key, v) in map {
                    if key.ends_with("deleted_at") && !v.is_null() {
                        out.push(format!("{path}.{key} = {v}"));
                    }
                    deleted_at_values(v, &format!("{path}.{key}"), out);
                }
            }
            Json::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    deleted_at_values(v, &format!("{path}[{i}]"), out);
                }
            }
            _ => {}
        }
    }
    let dir = written("deleted-at");
    let mut found = vec![];
    for f in functions() {
        let path = dir.join(format!("{f}_persona_template.json"));
        deleted_at_values(&document_json(&path), &f, &mut found);
    }
    assert!(found.is_empty(), "{found:#?}");
}
