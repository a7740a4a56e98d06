//! The deploy's two passes (see `seeder::stream`): whichever way the nested rows travel (COPY or
//! JSON) and whether pass 2 sends what pass 1 kept (in memory or in a temporary file) or reads
//! every unit again, the database ends the same; a root row made by another tool keeps its id
//! and its nested rows follow it; checks that span units still see every unit.

mod common;

use std::path::PathBuf;

use common::*;
use seeder::deploy::DeployOptions;
use seeder::run::{self, Db, InvalidInput, Job, Pooler};
use seeder::synth::{SynthOptions, synthesize, write};

/// For tenant A the project's data and the tricky text; for tenant B 24 synthetic personas that
/// fill every table (their org rows would clash with data/org's names in one tenant).
fn inputs() -> [(uuid::Uuid, Vec<PathBuf>); 2] {
    let synth = tempdir("streaming-synth");
    write(
        &synthesize(&SynthOptions {
            personas: 24,
            seed: 7,
            functions: vec![],
        }),
        &synth,
    )
    .unwrap();
    [
        (
            TENANT_A,
            vec![data_dir(), fixture("fixtures/tricky_text.yaml")],
        ),
        (TENANT_B, vec![synth]),
    ]
}

/// A pool that behaves as if a session pooler sat in front: rows travel as JSON.
fn as_behind_pooler(db: &vital_testkit::TestDb) -> Db {
    Db {
        pool: db.pool.clone(),
        pooler: Pooler::Session,
        statement_timeout: None,
    }
}

#[tokio::test]
async fn copy_or_json_kept_or_read_again_the_rows_are_the_same() {
    let inputs = inputs();
    let mut digests = vec![];
    for (label, behind_pooler, cache, no_spill) in [
        ("COPY, kept in memory", false, None, false),
        ("COPY, kept in a temporary file", false, Some(0), false),
        ("COPY, read again", false, Some(0), true),
        ("JSON, kept in memory", true, None, false),
        ("JSON, kept in a temporary file", true, Some(0), false),
        ("JSON, read again", true, Some(0), true),
    ] {
        let db = database().await;
        let target: Db = if behind_pooler {
            as_behind_pooler(&db)
        } else {
            (&db.pool).into()
        };
        let mut digest = vec![];
        for (tenant, inputs) in &inputs {
            let job = Job {
                inputs: inputs.clone(),
                tenant_id: *tenant,
                cache_bytes: cache,
                no_spill,
                ..Job::default()
            };
            let report = run::deploy(target.clone(), &job, DeployOptions::default())
                .await
                .unwrap_or_else(|e| panic!("{label}: {e:#}"));
            println!("{label}: {} rows written", report.rows_written());
            if digests.is_empty() {
                // The others are compared with this one, row for row.
                let verified = run::verify_tenant(&db.pool, &job).await.unwrap();
                assert!(verified.ok(), "{label}: {verified:?}");
            }
            digest.extend(tenant_digest(&db.pool, *tenant).await);
        }
        digests.push((label, digest));
    }
    let (first_label, first) = &digests[0];
    for (label, digest) in &digests[1..] {
        assert!(digest == first, "{label} differs from {first_label}");
    }
}

#[tokio::test]
async fn a_persona_made_elsewhere_keeps_its_id_and_its_nested_rows_follow_it() {
    let db = database().await;
    let org = data_dir().join("org");
    deploy(&db.pool, vec![org.clone()], TENANT_A).await.unwrap();
    // Another tool made this persona, under an id of its own.
    let theirs = uuid::Uuid::new_v4();
    sqlx::query(
        "INSERT INTO personas (id, tenant_id, name, slug) VALUES ($1, $2, 'Natalie Webb', 'natalie-webb-customer-success-manager')",
    )
    .bind(theirs)
    .bind(TENANT_A)
    .execute(&db.pool)
    .await
    .unwrap();
    let inputs = vec![org, data_dir().join("personas/customer-success.yaml")];
    let report = deploy(&db.pool, inputs.clone(), TENANT_A).await.unwrap();
    assert!(report.roots_updated >= 1);
    let id: uuid::Uuid = sqlx::query_scalar(
        "SELECT id FROM personas WHERE tenant_id = $1 AND slug = 'natalie-webb-customer-success-manager'",
    )
    .bind(TENANT_A)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(id, theirs, "the existing row keeps its id");
    let goals: i64 = sqlx::query_scalar("SELECT count(*) FROM persona_goals WHERE persona_id = $1")
        .bind(theirs)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert!(goals > 0, "its goals hang below the existing id");
    let verified = run::verify_tenant(&db.pool, &job(inputs, TENANT_A))
        .await
        .unwrap();
    assert!(verified.ok(), "{verified:?}");
}

#[tokio::test]
async fn a_slug_defined_in_two_files_is_refused_before_anything_is_written() {
    let db = database().await;
    let dir = tempdir("streaming-duplicate");
    let persona =
        "personas:\n- slug: twice-defined\n  name: Twice\n  business_function: customer-success\n";
    std::fs::write(dir.join("a.yaml"), persona).unwrap();
    std::fs::write(dir.join("b.yaml"), persona).unwrap();
    let before = tenant_digest(&db.pool, TENANT_A).await;
    let err = deploy(&db.pool, vec![data_dir().join("org"), dir], TENANT_A)
        .await
        .unwrap_err();
    let text = problem_texts(&err);
    assert!(
        text.iter()
            .any(|p| p.contains("b.yaml") && p.contains("duplicate slug") && p.contains("a.yaml")),
        "{text:#?}"
    );
    assert_eq!(before, tenant_digest(&db.pool, TENANT_A).await);
}

/// Pass 1 runs while the connection takes the tenant lock: bad input is reported as soon as it
/// is known, not once another deploy of the tenant lets go of the lock.
#[tokio::test]
async fn bad_input_is_reported_without_waiting_for_the_tenant_lock() {
    let db = database().await;
    let mut holder = db.pool.begin().await.unwrap();
    sqlx::query(seeder::sqltext::LOCK_TENANT)
        .bind(TENANT_A.to_string())
        .execute(&mut *holder)
        .await
        .unwrap();
    let dir = tempdir("locked-bad-input");
    std::fs::write(dir.join("bad.json"), "{\"personas\": [{\"slug\": ").unwrap();
    let outcome = tokio::time::timeout(
        std::time::Duration::from_secs(30),
        deploy(&db.pool, vec![dir.clone()], TENANT_A),
    )
    .await
    .expect("the deploy waited for the lock before reporting bad input");
    let err = outcome.unwrap_err();
    assert!(err.downcast_ref::<InvalidInput>().is_some(), "{err:#}");
    assert!(format!("{err:#}").contains("bad.json"), "{err:#}");
    holder.rollback().await.unwrap();
    assert!(tenant_is_empty(&db.pool, TENANT_A).await);
}

/// The report's counts are derived from what each statement touched; they must be the
/// tenant's real counts, on a first deploy (nothing to delete) and on a re-run (everything
/// replaced), and for one business function out of several.
#[tokio::test]
async fn reported_row_counts_are_the_tenants_counts() {
    let db = database().await;
    let [(tenant, inputs), _] = inputs();
    let mut one_function = job(inputs.clone(), tenant);
    one_function.functions = vec!["medical-affairs".into()];
    let runs = [
        ("first deploy", job(inputs.clone(), tenant)),
        ("re-run", job(inputs.clone(), tenant)),
        ("one business function", one_function),
    ];
    let mut previous: Option<Vec<(String, i64)>> = None;
    for (label, job) in runs {
        let report = run::deploy(&db.pool, &job, DeployOptions::default())
            .await
            .unwrap_or_else(|e| panic!("{label}: {e:#}"));
        let real = counts(&db.pool, tenant).await;
        for t in &report.tables {
            let real_after = real.iter().find(|(n, _)| n == t.table).map_or(0, |c| c.1);
            assert_eq!(
                t.rows_after, real_after,
                "{label}: rows after in {}",
                t.table
            );
            if let Some(before) = &previous {
                let real_before = before.iter().find(|(n, _)| n == t.table).map_or(0, |c| c.1);
                assert_eq!(
                    t.rows_before, real_before,
                    "{label}: rows before in {}",
                    t.table
                );
            }
        }
        previous = Some(real);
    }
}
