//! Mapping profiles on the platform's real capture files: the shipped profiles pass the schema
//! check, a broken profile is refused with file and line, both capture files validate and
//! deploy through `profiles/vital-capture-v5.yaml` (37 personas), every source field is
//! accounted for, and the values no declared rule can fix are pinned here.
//!
//! The org rows the captures reference: `data/org` is given in the same run (a canonical
//! document passes through the profile) for the Medical Affairs persona; the Commercial
//! captures name a function, departments and roles no org data has (the platform's
//! DATABASE_PERSONAS_WITH_ROLES.csv holds Medical Affairs and Market Access only), so the
//! profile derives those org rows from the personas' own fields (`org:`).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use common::*;
use seeder::deploy::DeployOptions;
use seeder::profile::apply::child_path;
use seeder::profile::report::{Outcome, pattern};
use seeder::profile::{Accounting, Profile};
use seeder::run::{self, InvalidInput, Job};
use seeder::source::{Node, Value, parse_yaml_or_json};
use sqlx::AssertSqlSafe;
use vital_testkit::{shared_reference, workspace_root};

const MEDICAL_AFFAIRS: &str = "MEDICAL_AFFAIRS_EXAMPLE_FILLED.json";
const COMMERCIAL: &str = "roles_needing_4th_persona.json";

fn capture(name: &str) -> PathBuf {
    shared_reference().join("vital_data/capture").join(name)
}

fn profile_path(name: &str) -> PathBuf {
    workspace_root()
        .join("profiles")
        .join(format!("{name}.yaml"))
}

fn shipped(name: &str) -> Arc<Profile> {
    Arc::new(seeder::profile::load_file(&profile_path(name)).unwrap_or_else(|e| panic!("{e}")))
}

fn capture_inputs() -> Vec<PathBuf> {
    vec![
        data_dir().join("org"),
        capture(MEDICAL_AFFAIRS),
        capture(COMMERCIAL),
    ]
}

fn capture_job(tenant: uuid::Uuid) -> Job {
    Job {
        inputs: capture_inputs(),
        tenant_id: tenant,
        profile: Some(shipped("vital-capture-v5")),
        ..Job::default()
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().to_string()
}

#[test]
fn the_shipped_profiles_pass_the_schema_check() {
    let mut names = vec![];
    for entry in std::fs::read_dir(workspace_root().join("profiles")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let p = seeder::profile::load_file(&path).unwrap_or_else(|e| panic!("{e}"));
            names.push(p.name);
        }
    }
    names.sort();
    assert_eq!(names, ["seeding-guide", "vital-capture-v5"]);
    // By name, as `--profile NAME` finds it.
    assert_eq!(
        seeder::profile::load("vital-capture-v5").unwrap().name,
        "vital-capture-v5"
    );
    let err = seeder::profile::load("no-such-profile")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("shipped profiles: seeding-guide, vital-capture-v5"),
        "{err}"
    );
}

fn write_profile(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("seeder-profiles-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_broken_profile_is_refused_naming_file_and_line() {
    let path = write_profile(
        "broken.yaml",
        r#"profile: broken
personas:
  - list: personas
tables:
  persona_pain_pionts:
    fields:
      pain_point_text: pain
  persona_tools:
    fields:
      tool_nme: tool
    remap:
      proficiency_level: {advanced: very_advanced}
  persona_evidence_summary:
    defaults:
      evidence_quality_score: 11
  persona_public_research:
    defaults:
      confidence_level: high
  personas:
    fields:
      id: uuid
      org: [core_profile.function]
"#,
    );
    let errors = seeder::profile::load_file(&path).unwrap_err();
    let f = path.display().to_string();
    let lines: Vec<String> = errors.0.iter().map(|e| e.to_string()).collect();
    assert_eq!(
        lines,
        [
            format!(
                "{f}:5:3: no table 'persona_pain_pionts' in the schema; did you mean 'persona_pain_points'?"
            ),
            format!("{f}:10:7: persona_tools has no column 'tool_nme'; did you mean 'tool_name'?"),
            format!(
                "{f}:12:37: remap target of 'advanced': \"very_advanced\" for persona_tools.proficiency_level: invalid ProficiencyLevel 'very_advanced': allowed 'expert', 'proficient', 'competent', 'beginner'"
            ),
            format!(
                "{f}:15:31: default 11 for persona_evidence_summary.evidence_quality_score: invalid EvidenceQualityScore '11': allowed >= 1 and <= 10"
            ),
            format!(
                "{f}:18:25: default \"high\" for persona_public_research.confidence_level: 'high' is not a decimal number: allowed numeric(4,3) (less than 10^1 in magnitude, at most 3 decimal places), >= 0 and <= 1"
            ),
            format!(
                "{f}:21:7: personas.id is filled by the seeder or the database; a profile cannot target it"
            ),
            format!(
                "{f}:22:13: 'core_profile.function' is declared an org source but no rule under org: names it"
            ),
        ],
        "{errors}"
    );

    // Structural errors (an unknown key) name their line too.
    let path = write_profile(
        "typo.yaml",
        "profile: typo\npersonas:\n  - list: personas\ntables:\n  personas:\n    feilds: {}\n",
    );
    let err = seeder::profile::load_file(&path).unwrap_err().to_string();
    assert!(
        err.contains(&format!("{}:6:5: unknown field `feilds`", path.display())),
        "{err}"
    );
}

/// Every key of a JSON document, by the accounting's path spelling.
fn key_paths(node: &Node, base: &str, out: &mut Vec<String>) {
    match &node.value {
        Value::Map(entries) => {
            for e in entries {
                let p = child_path(base, &e.key);
                out.push(p.clone());
                key_paths(&e.node, &p, out);
            }
        }
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                key_paths(item, &format!("{base}[{i}]"), out);
            }
        }
        _ => {}
    }
}

fn capture_accounting() -> Accounting {
    seeder::validate::account(&capture_inputs(), &shipped("vital-capture-v5"))
}

#[test]
fn every_source_field_of_both_captures_is_accounted_for_once() {
    let accounting = capture_accounting();
    for name in [MEDICAL_AFFAIRS, COMMERCIAL] {
        let path = capture(name);
        let text = std::fs::read_to_string(&path).unwrap();
        let doc = parse_yaml_or_json(&path, &text).unwrap();
        let mut keys = vec![];
        key_paths(&doc, "", &mut keys);
        let file = accounting
            .files
            .iter()
            .find(|f| f.file.ends_with(name))
            .unwrap();
        let mut per_path: BTreeMap<&str, Vec<&Outcome>> = BTreeMap::new();
        for r in &file.fields {
            per_path
                .entry(r.path.as_str())
                .or_default()
                .push(&r.outcome);
        }
        let missing: Vec<&String> = keys
            .iter()
            .filter(|k| !per_path.contains_key(k.as_str()))
            .collect();
        let twice: Vec<(&&str, &Vec<&Outcome>)> =
            per_path.iter().filter(|(_, o)| o.len() > 1).collect();
        // A key below an ignored key, or inside a value that went somewhere whole (a column,
        // a metadata key, a rejected value), is accounted by that record.
        let covered = |k: &str| {
            per_path.iter().any(|(p, outcomes)| {
                (k.starts_with(&format!("{p}.")) || k.starts_with(&format!("{p}[")))
                    && matches!(
                        outcomes[0],
                        Outcome::Ignored { .. }
                            | Outcome::Canonical { .. }
                            | Outcome::Metadata { .. }
                            | Outcome::Column { .. }
                            | Outcome::Rejected { .. }
                    )
            })
        };
        let unaccounted: Vec<&&String> = missing.iter().filter(|k| !covered(k)).collect();
        println!("{name}: {} keys, {} records", keys.len(), file.fields.len());
        assert!(
            unaccounted.is_empty(),
            "{name}: source fields without a record: {unaccounted:?}"
        );
        assert!(
            twice.is_empty(),
            "{name}: fields accounted twice: {twice:?}"
        );
        let unmapped: Vec<&str> = file
            .fields
            .iter()
            .filter(|r| matches!(r.outcome, Outcome::Unmapped { .. }))
            .map(|r| r.path.as_str())
            .collect();
        assert!(unmapped.is_empty(), "{name}: unmapped: {unmapped:?}");
    }
    let totals = accounting.counts();
    assert_eq!(totals.personas, 37);
    print!("{}", accounting.summary());
}

/// The values of the two captures that no rule of the profile can fix, pinned: a new one
/// (a capture change, a CHECK change after `make regen`, a profile change) fails here.
#[test]
fn the_values_no_rule_can_fix_are_pinned() {
    let accounting = capture_accounting();
    let rejections = accounting.rejections();

    // By path pattern and value: what is rejected and what the column allows.
    let mut grouped: BTreeMap<(String, String, String, String), usize> = BTreeMap::new();
    for r in &rejections {
        let key = (
            r.file.rsplit('/').next().unwrap().to_string(),
            pattern(&r.path),
            r.value.clone(),
            r.allowed.clone().unwrap_or_else(|| r.reason.clone()),
        );
        *grouped.entry(key).or_default() += 1;
    }
    let stakeholder_types = "'customer', 'client', 'vendor', 'supplier', 'partner', 'alliance', 'consultant', 'advisor', 'investor', 'board_member', 'media', 'analyst', 'regulator', 'academic', 'community'";
    let satisfaction =
        "'very_satisfied', 'satisfied', 'neutral', 'dissatisfied', 'very_dissatisfied'";
    let row = "persona_external_stakeholders row rejected: persona_external_stakeholders.stakeholder_type is required and its value was rejected";
    let fields_of_row = "its persona_external_stakeholders row was rejected: persona_external_stakeholders.stakeholder_type is required and its value was rejected";
    let g = |file: &str, path: &str, value: &str, allowed: &str, n: usize| {
        (
            (
                file.to_string(),
                path.to_string(),
                value.to_string(),
                allowed.to_string(),
            ),
            n,
        )
    };
    let expected: BTreeMap<_, _> = [
        g(
            MEDICAL_AFFAIRS,
            "personas[*].external_stakeholders[*]",
            "(row)",
            row,
            3,
        ),
        g(
            MEDICAL_AFFAIRS,
            "personas[*].external_stakeholders[*].interaction_frequency",
            "'monthly'",
            fields_of_row,
            2,
        ),
        g(
            MEDICAL_AFFAIRS,
            "personas[*].external_stakeholders[*].interaction_frequency",
            "'quarterly'",
            fields_of_row,
            1,
        ),
        g(
            MEDICAL_AFFAIRS,
            "personas[*].external_stakeholders[*].organization",
            "'NCOS'",
            fields_of_row,
            1,
        ),
        g(
            MEDICAL_AFFAIRS,
            "personas[*].external_stakeholders[*].organization",
            "'Stanford Cancer Center'",
            fields_of_row,
            1,
        ),
        g(
            MEDICAL_AFFAIRS,
            "personas[*].external_stakeholders[*].organization",
            "'UCSF Medical Center'",
            fields_of_row,
            1,
        ),
        g(
            MEDICAL_AFFAIRS,
            "personas[*].external_stakeholders[*].relationship_importance",
            "'critical'",
            fields_of_row,
            2,
        ),
        g(
            MEDICAL_AFFAIRS,
            "personas[*].external_stakeholders[*].relationship_importance",
            "'high'",
            fields_of_row,
            1,
        ),
        g(
            MEDICAL_AFFAIRS,
            "personas[*].external_stakeholders[*].relationship_quality",
            "'excellent'",
            fields_of_row,
            1,
        ),
        g(
            MEDICAL_AFFAIRS,
            "personas[*].external_stakeholders[*].relationship_quality",
            "'good'",
            fields_of_row,
            2,
        ),
        g(
            MEDICAL_AFFAIRS,
            "personas[*].external_stakeholders[*].stakeholder_name",
            "'Dr. Lisa Thompson'",
            fields_of_row,
            1,
        ),
        g(
            MEDICAL_AFFAIRS,
            "personas[*].external_stakeholders[*].stakeholder_name",
            "'Dr. Robert Chang'",
            fields_of_row,
            1,
        ),
        g(
            MEDICAL_AFFAIRS,
            "personas[*].external_stakeholders[*].stakeholder_name",
            "'Northern California Oncology Society'",
            fields_of_row,
            1,
        ),
        g(
            MEDICAL_AFFAIRS,
            "personas[*].external_stakeholders[*].stakeholder_type",
            "'KOL'",
            stakeholder_types,
            2,
        ),
        g(
            MEDICAL_AFFAIRS,
            "personas[*].external_stakeholders[*].stakeholder_type",
            "'Medical_Society'",
            stakeholder_types,
            1,
        ),
        g(
            COMMERCIAL,
            "role_examples[*].tools[*].satisfaction",
            "'high'",
            satisfaction,
            72,
        ),
        g(
            COMMERCIAL,
            "role_examples[*].tools[*].satisfaction",
            "'medium'",
            satisfaction,
            36,
        ),
    ]
    .into_iter()
    .collect();
    assert_eq!(grouped, expected);

    // Every one, with file, line, path, value, reason and what is allowed.
    let full: Vec<String> = rejections
        .iter()
        .map(|r| {
            format!(
                "{}:{}: {}: value {}: {}{}",
                r.file.rsplit('/').next().unwrap(),
                r.pos,
                r.path,
                r.value,
                r.reason,
                r.allowed
                    .as_ref()
                    .filter(|_| !r.reason.contains("allowed "))
                    .map(|a| format!("; allowed {a}"))
                    .unwrap_or_default()
            )
        })
        .collect();
    let pinned_file = fixture("fixtures/capture_v5.rejections");
    let pinned: Vec<String> = std::fs::read_to_string(&pinned_file)
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect();
    if std::env::var_os("SEEDER_BLESS").is_some() {
        std::fs::write(&pinned_file, full.join("\n") + "\n").unwrap();
    }
    assert_eq!(
        full,
        pinned,
        "the rejections changed; if that is intended, run with SEEDER_BLESS=1 and review {}",
        pinned_file.display()
    );
    assert_eq!(full.len(), 129);
}

#[test]
fn both_captures_validate_with_the_shipped_profile() {
    let plan = run::validate_offline(&capture_job(TENANT_A)).unwrap_or_else(|e| panic!("{e:#}"));
    let personas = plan.table("personas").unwrap();
    assert_eq!(personas.rows.len(), 37);
    let slugs: Vec<&str> = personas
        .rows
        .iter()
        .filter_map(|r| r.slug.as_deref())
        .collect();
    assert!(
        slugs.contains(&"dr-jennifer-martinez-msl-oncology"),
        "{slugs:?}"
    );
    assert!(
        slugs.contains(&"matthew-thompson-director-territory-large-national"),
        "{slugs:?}"
    );
    // The Commercial org rows come from the personas, the Medical Affairs ones from data/org.
    let derived = |table: &str| {
        plan.table(table)
            .unwrap()
            .rows
            .iter()
            .filter(|r| r.source.contains(COMMERCIAL))
            .count()
    };
    assert_eq!(
        (
            derived("org_functions"),
            derived("org_departments"),
            derived("org_roles")
        ),
        (1, 5, 36)
    );
}

#[test]
fn with_the_error_policy_every_unfixable_value_stops_the_run_with_its_place() {
    let text = std::fs::read_to_string(profile_path("vital-capture-v5")).unwrap();
    let strict = text.replace(
        "invalid_values: metadata.capture_rejected",
        "invalid_values: error",
    );
    assert_ne!(text, strict);
    let path = write_profile("strict.yaml", &strict);
    let job = Job {
        profile: Some(Arc::new(seeder::profile::load_file(&path).unwrap())),
        ..capture_job(TENANT_A)
    };
    let err = run::validate_offline(&job).unwrap_err();
    let invalid = err
        .downcast_ref::<InvalidInput>()
        .unwrap_or_else(|| panic!("{err:#}"));
    // 108 satisfaction values and 3 stakeholder types; the rows of those are not reported again.
    assert_eq!(invalid.0.len(), 111, "{invalid}");
    let text = invalid.to_string();
    assert!(
        text.contains(&format!(
            "{}:262:31: personas[0].external_stakeholders[0].stakeholder_type: value 'KOL': persona_external_stakeholders.stakeholder_type: invalid ExternalStakeholdersStakeholderType 'KOL': allowed 'customer',",
            capture(MEDICAL_AFFAIRS).display()
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "{}:258:27: role_examples[\"Director Territory Management\"].tools[0].satisfaction: value 'high': persona_tools.satisfaction_level: invalid SatisfactionLevel 'high': allowed 'very_satisfied', 'satisfied', 'neutral', 'dissatisfied', 'very_dissatisfied'",
            capture(COMMERCIAL).display()
        )),
        "{text}"
    );
}

#[tokio::test]
async fn both_captures_deploy_and_a_rerun_changes_nothing() {
    let db = database().await;
    let job = capture_job(TENANT_A);
    let report = run::deploy(&db.pool, &job, DeployOptions::default())
        .await
        .unwrap_or_else(|e| panic!("{e:#}"));
    println!("{:<45} {:>8}", "table", "written");
    for t in report.tables.iter().filter(|t| t.rows_written > 0) {
        println!("{:<45} {:>8}", t.table, t.rows_written);
    }
    let personas = report
        .tables
        .iter()
        .find(|t| t.table == "personas")
        .unwrap();
    assert_eq!(personas.rows_written, 37);
    let counts: BTreeMap<String, i64> = counts(&db.pool, TENANT_A).await.into_iter().collect();
    assert_eq!(counts["personas"], 37);
    assert_eq!(
        counts["org_functions"], 13,
        "12 of data/org and commercial-organization"
    );
    for table in [
        "persona_goals",
        "persona_pain_points",
        "persona_challenges",
        "persona_responsibilities",
        "persona_tools",
        "persona_internal_stakeholders",
        "persona_communication_preferences",
        "persona_quotes",
        "persona_certifications",
        "persona_tags",
        "persona_typical_locations",
        "persona_evidence_summary",
        "persona_case_studies",
        "persona_monthly_objectives",
        "persona_week_in_life",
        "persona_annual_conferences",
    ] {
        assert!(counts[table] > 0, "{table} has no rows");
    }
    // The three rejected external stakeholder rows are kept in the persona's metadata.
    assert_eq!(counts["persona_external_stakeholders"], 0);
    let kept: serde_json::Value = sqlx::query_scalar(AssertSqlSafe(
        "SELECT metadata->'capture_rejected' FROM personas WHERE tenant_id = $1 AND slug = 'dr-jennifer-martinez-msl-oncology'",
    ))
    .bind(TENANT_A)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(kept["external_stakeholders[0]"]["stakeholder_type"], "KOL");
    assert_eq!(
        kept["external_stakeholders[2]"]["stakeholder_name"],
        "Northern California Oncology Society"
    );
    let (function, role): (String, String) = sqlx::query_as(AssertSqlSafe(
        "SELECT f.slug, r.name FROM personas p JOIN org_functions f ON f.id = p.function_id JOIN org_roles r ON r.id = p.role_id WHERE p.tenant_id = $1 AND p.slug = 'matthew-thompson-director-territory-large-national'",
    ))
    .bind(TENANT_A)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(
        (function.as_str(), role.as_str()),
        ("commercial-organization", "Director Territory Management")
    );

    let digest = tenant_digest(&db.pool, TENANT_A).await;
    let again = run::deploy(&db.pool, &job, DeployOptions::default())
        .await
        .unwrap();
    assert_eq!(again.roots_created, 0);
    assert_eq!(
        digest,
        tenant_digest(&db.pool, TENANT_A).await,
        "a re-run leaves the same rows"
    );
}

#[tokio::test]
async fn derived_org_rows_are_created_when_missing_and_never_change_existing_ones() {
    let db = database().await;
    deploy(&db.pool, vec![data_dir().join("org")], TENANT_A)
        .await
        .unwrap();
    let department = |db: &sqlx::PgPool| {
        let db = db.clone();
        async move {
            sqlx::query_as::<_, (String, String)>(AssertSqlSafe(
                "SELECT d.name, f.slug FROM org_departments d JOIN org_functions f ON f.id = d.function_id WHERE d.tenant_id = $1 AND d.slug = 'field-sales'",
            ))
            .bind(TENANT_A)
            .fetch_one(&db)
            .await
            .unwrap()
        }
    };
    let before = department(&db.pool).await;
    assert_eq!(before, ("Field Sales".to_string(), "sales".to_string()));
    // The captures alone: their personas name field-sales (Field Sales Operations, under
    // commercial-organization), which the tenant has.
    let job = Job {
        inputs: vec![capture(MEDICAL_AFFAIRS), capture(COMMERCIAL)],
        ..capture_job(TENANT_A)
    };
    run::deploy(&db.pool, &job, DeployOptions::default())
        .await
        .unwrap_or_else(|e| panic!("{e:#}"));
    assert_eq!(department(&db.pool).await, before);
    let counts: BTreeMap<String, i64> = counts(&db.pool, TENANT_A).await.into_iter().collect();
    assert_eq!(counts["personas"], 37);
    assert_eq!(counts["org_functions"], 13);
}

#[test]
fn the_seeding_guide_template_validates_with_its_profile() {
    let job = Job {
        inputs: vec![data_dir().join("org"), fixture("fixtures/seeding_guide")],
        tenant_id: TENANT_A,
        profile: Some(shipped("seeding-guide")),
        ..Job::default()
    };
    let plan = run::validate_offline(&job).unwrap_or_else(|e| panic!("{e:#}"));
    assert_eq!(plan.table("personas").unwrap().rows.len(), 2);
    let accounting = seeder::validate::account(&job.inputs, job.profile.as_ref().unwrap());
    print!("{}", accounting.summary());
    let unmapped: Vec<(&str, &Outcome)> = accounting
        .files
        .iter()
        .flat_map(|f| &f.fields)
        .filter(|r| matches!(r.outcome, Outcome::Unmapped { .. }))
        .map(|r| (r.path.as_str(), &r.outcome))
        .collect();
    assert_eq!(unmapped.len(), 1, "{unmapped:?}");
    assert_eq!(unmapped[0].0, "employment_status");
    assert!(accounting.rejections().is_empty());
}

#[test]
fn the_cli_reads_a_profile_by_name_and_writes_the_report() {
    let report =
        std::env::temp_dir().join(format!("seeder-profile-report-{}.json", std::process::id()));
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_seeder"));
    cmd.current_dir(workspace_root())
        .args(["validate", "--profile", "vital-capture-v5", "--report"])
        .arg(&report);
    for input in capture_inputs() {
        cmd.arg("--input").arg(input);
    }
    let out = cmd.env_remove("DATABASE_URL").output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("profile vital-capture-v5"), "{stdout}");
    assert!(stdout.contains("rejected:"), "{stdout}");
    assert!(stdout.contains("valid: "), "{stdout}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(json["totals"]["personas"], 37);
    assert_eq!(json["rejections"].as_array().unwrap().len(), 129);
    let org_files = std::fs::read_dir(data_dir().join("org")).unwrap().count();
    assert_eq!(json["files"].as_array().unwrap().len(), 2 + org_files);
    let _ = std::fs::remove_file(&report);
    println!("{stdout}");
}

#[test]
fn problems_found_after_the_profile_point_into_the_capture_file() {
    // The Medical Affairs capture alone, without data/org: its org references cannot resolve
    // (medical-affairs is defined by no document of the run and the capture derives none of
    // it: its role has no name). The pipeline finds that on the canonical rows and still names
    // the capture file, the line and column of the value.
    let job = Job {
        inputs: vec![capture(MEDICAL_AFFAIRS)],
        ..capture_job(TENANT_A)
    };
    let err = run::validate_offline(&job).unwrap_err();
    let text = err
        .downcast_ref::<InvalidInput>()
        .unwrap_or_else(|| panic!("{err:#}"))
        .to_string();
    let source = std::fs::read_to_string(capture(MEDICAL_AFFAIRS)).unwrap();
    let line = source
        .lines()
        .position(|l| l.contains("\"role_slug\": \"medical-science-liaison\""))
        .unwrap()
        + 1;
    let expected = format!(
        "{}:{line}:22: personas[0].role_slug: value 'medical-science-liaison': no org_roles with slug 'medical-science-liaison'",
        capture(MEDICAL_AFFAIRS).display()
    );
    assert!(
        text.contains(&expected),
        "expected «{expected}» in:\n{text}"
    );
    assert_eq!(file_name(&capture(MEDICAL_AFFAIRS)), MEDICAL_AFFAIRS);
}
