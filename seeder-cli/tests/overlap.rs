//! `deploy --overlap` (`seeder::pipeline`): units are written while later ones are still read,
//! in the one transaction. It must leave exactly the rows the validate-first deploy leaves, and
//! bad input anywhere (a late unit, or across units) must leave the tenant exactly as before.

mod common;

use std::path::PathBuf;

use common::*;
use seeder::deploy::DeployOptions;
use seeder::run::{self, Db, Job};
use seeder::synth::{SynthOptions, synthesize, write};

const OVERLAP: DeployOptions = DeployOptions {
    dry_run: false,
    backfill: false,
    overlap: true,
};

fn synthetic(personas: usize, seed: u64) -> PathBuf {
    let dir = tempdir("overlap-synth");
    let synthetic = synthesize(&SynthOptions {
        personas,
        seed,
        functions: vec![],
    });
    write(&synthetic, &dir).unwrap();
    dir
}

/// Tenant A: the project's data and the tricky text; tenant B: synthetic personas filling
/// every table, in several files.
fn inputs() -> [(uuid::Uuid, Vec<PathBuf>); 2] {
    [
        (
            TENANT_A,
            vec![data_dir(), fixture("fixtures/tricky_text.yaml")],
        ),
        (TENANT_B, vec![synthetic(60, 11)]),
    ]
}

async fn deploy_with(
    db: impl Into<Db>,
    inputs: &[PathBuf],
    tenant: uuid::Uuid,
    options: DeployOptions,
    cache: Option<usize>,
    no_spill: bool,
) -> anyhow::Result<seeder::deploy::DeployReport> {
    let job = Job {
        inputs: inputs.to_vec(),
        tenant_id: tenant,
        cache_bytes: cache,
        no_spill,
        ..Job::default()
    };
    run::deploy(db, &job, options).await
}

/// `deploy --overlap` of `inputs` for `tenant`, with the default cache.
async fn overlapped(
    pool: &sqlx::PgPool,
    inputs: &[PathBuf],
    tenant: uuid::Uuid,
) -> anyhow::Result<seeder::deploy::DeployReport> {
    deploy_with(pool, inputs, tenant, OVERLAP, None, false).await
}

#[tokio::test]
async fn overlapped_deploys_leave_the_rows_a_validate_first_deploy_leaves() {
    let inputs = inputs();
    let reference = database().await;
    let mut expected = vec![];
    for (tenant, inputs) in &inputs {
        deploy_with(
            &reference.pool,
            inputs,
            *tenant,
            DeployOptions::default(),
            None,
            false,
        )
        .await
        .unwrap();
        expected.push(tenant_digest(&reference.pool, *tenant).await);
    }
    for (label, behind_pooler, cache, no_spill) in [
        ("COPY, kept in memory", false, None, false),
        ("COPY, kept in a temporary file", false, Some(0), false),
        ("COPY, read again", false, Some(0), true),
        ("JSON, kept in memory", true, None, false),
    ] {
        let db = database().await;
        let target = connection(&db.pool, behind_pooler);
        for ((tenant, inputs), expected) in inputs.iter().zip(&expected) {
            // A first deploy, then a re-run replacing every nested row.
            for run in ["first", "re-run"] {
                let report = deploy_with(target.clone(), inputs, *tenant, OVERLAP, cache, no_spill)
                    .await
                    .unwrap_or_else(|e| panic!("{label}, {run}: {e:#}"));
                assert_eq!(
                    &tenant_digest(&db.pool, *tenant).await,
                    expected,
                    "{label}, {run}: the rows differ from a validate-first deploy"
                );
                let reported: Vec<(String, i64)> = report
                    .tables
                    .iter()
                    .map(|t| (t.table.to_string(), t.rows_after))
                    .collect();
                let real = counts(&db.pool, *tenant).await;
                for (table, n) in &reported {
                    let actual = real.iter().find(|(t, _)| t == table).map(|(_, n)| *n);
                    assert_eq!(actual, Some(*n), "{label}, {run}: rows after in {table}");
                }
            }
        }
        let verified = run::verify_tenant(&db.pool, &job(inputs[0].1.clone(), TENANT_A))
            .await
            .unwrap();
        assert!(verified.ok(), "{label}: {verified:?}");
    }
}

/// The last unit read is bad: the units before it were written already, and are rolled back.
#[tokio::test]
async fn bad_input_in_a_late_unit_leaves_the_tenant_as_it_was() {
    let db = database().await;
    let good = synthetic(36, 5);
    // First a deployed state to return to, then the same input plus a bad last file.
    overlapped(&db.pool, std::slice::from_ref(&good), TENANT_B)
        .await
        .unwrap();
    let before = tenant_digest(&db.pool, TENANT_B).await;
    let bad = fixture("bad_input/out_of_range.yaml");
    let last = good.join("zz-last.yaml");
    let text = std::fs::read_to_string(&bad)
        .unwrap()
        .replace("medical-affairs", "synth-function-00");
    std::fs::write(&last, text).unwrap();
    let err = overlapped(&db.pool, std::slice::from_ref(&good), TENANT_B)
        .await
        .unwrap_err();
    let text = problem_texts(&err);
    assert!(
        text.iter()
            .any(|p| p.contains("zz-last.yaml") && p.contains("focus_time_available")),
        "{text:#?}"
    );
    assert_eq!(before, tenant_digest(&db.pool, TENANT_B).await);
    assert!(tenant_is_empty(&db.pool, TENANT_A).await);
}

/// Duplicate slugs are a check across units: found after both units were written, and the
/// whole deploy is rolled back.
#[tokio::test]
async fn a_slug_defined_in_two_files_is_refused_and_nothing_is_kept() {
    let db = database().await;
    let dir = tempdir("overlap-duplicate");
    let persona = "personas:\n- slug: twice-defined\n  name: Twice\n  business_function: customer-success\n  goals:\n  - goal_text: Once\n";
    std::fs::write(dir.join("a.yaml"), persona).unwrap();
    std::fs::write(dir.join("b.yaml"), persona).unwrap();
    let inputs = [data_dir().join("org"), dir];
    let err = overlapped(&db.pool, &inputs, TENANT_A).await.unwrap_err();
    let text = problem_texts(&err);
    assert!(
        text.iter()
            .any(|p| p.contains("b.yaml") && p.contains("duplicate slug") && p.contains("a.yaml")),
        "{text:#?}"
    );
    assert!(tenant_is_empty(&db.pool, TENANT_A).await);
}

/// A persona read before the org document that defines its business function waits for it:
/// written in the same transaction once the org rows are, without starting again.
#[tokio::test]
async fn a_reference_to_a_later_unit_waits_for_it() {
    let db = database().await;
    let dir = tempdir("overlap-forward");
    let first = dir.join("a-persona.yaml");
    std::fs::copy(data_dir().join("personas/customer-success.yaml"), &first).unwrap();
    let org = dir.join("z-org");
    std::fs::create_dir_all(&org).unwrap();
    for entry in std::fs::read_dir(data_dir().join("org")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, org.join(path.file_name().unwrap())).unwrap();
    }
    let job = job(vec![dir.clone()], TENANT_A);
    // The overlapped pipeline itself (no other path can run): it deploys in one go.
    let report = seeder::pipeline::deploy(&(&db.pool).into(), &job, OVERLAP)
        .await
        .unwrap();
    assert!(report.roots_created > 0);
    let reference = database().await;
    deploy(&reference.pool, vec![dir], TENANT_A).await.unwrap();
    assert_eq!(
        tenant_digest(&db.pool, TENANT_A).await,
        tenant_digest(&reference.pool, TENANT_A).await
    );
}

/// A reference that no unit ever defines is a problem like any other: nothing is written.
#[tokio::test]
async fn a_reference_nothing_defines_is_reported_and_nothing_is_written() {
    let db = database().await;
    let dir = tempdir("overlap-undefined");
    let text = std::fs::read_to_string(data_dir().join("personas/sales.yaml")).unwrap();
    std::fs::write(dir.join("a-persona.yaml"), text).unwrap();
    // No org documents at all: the personas' business function is never defined here, and the
    // tenant has none.
    let err = overlapped(&db.pool, std::slice::from_ref(&dir), TENANT_A)
        .await
        .unwrap_err();
    let text = format!("{err:#}");
    assert!(text.contains("problem(s) in the input"), "{text}");
    assert!(text.contains("sales"), "{text}");
    assert!(tenant_is_empty(&db.pool, TENANT_A).await);
}

#[tokio::test]
async fn an_overlapped_dry_run_writes_nothing() {
    let db = database().await;
    let options = DeployOptions {
        dry_run: true,
        ..OVERLAP
    };
    let report = deploy_with(&db.pool, &[data_dir()], TENANT_A, options, None, false)
        .await
        .unwrap();
    assert!(report.rows_written() > 0);
    assert!(tenant_is_empty(&db.pool, TENANT_A).await);
}
