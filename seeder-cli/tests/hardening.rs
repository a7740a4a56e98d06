//! Inputs an attacker or a careless user would try: each must be refused before anything is
//! written (with its place), or stored exactly as given; never a silent change of a value.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use pg::connect::ConnectSettings;
use seeder::deploy::DeployOptions;
use seeder::privileges::{TenantPin, grant_sql};
use seeder::run;
use sqlx::{AssertSqlSafe, PgPool};
use uuid::Uuid;

fn org_data() -> PathBuf {
    data_dir().join("org")
}

/// A one-persona document of medical-affairs; `extra` is YAML (or JSON) of further persona keys.
fn persona_yaml(slug: &str, extra: &str) -> String {
    let mut text = format!(
        "personas:\n- slug: {slug}\n  name: Probe {slug}\n  business_function: medical-affairs\n"
    );
    for line in extra.lines() {
        text.push_str("  ");
        text.push_str(line);
        text.push('\n');
    }
    text
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

async fn deploy_file(pool: &PgPool, file: PathBuf) -> anyhow::Result<seeder::deploy::DeployReport> {
    deploy(pool, vec![org_data(), file], TENANT_A).await
}

/// Both deploy orders: validate-first and overlapped.
async fn refused_everywhere(pool: &PgPool, file: &Path) -> Vec<String> {
    let before = tenant_digest(pool, TENANT_A).await;
    let first = deploy_file(pool, file.to_path_buf()).await.unwrap_err();
    let overlapped = run::deploy(
        pool,
        &job(vec![org_data(), file.to_path_buf()], TENANT_A),
        DeployOptions {
            overlap: true,
            ..DeployOptions::default()
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        tenant_digest(pool, TENANT_A).await,
        before,
        "nothing written"
    );
    let texts = problem_texts(&first);
    assert_eq!(
        texts,
        problem_texts(&overlapped),
        "both orders say the same"
    );
    texts
}

#[tokio::test]
async fn emit_sql_means_the_same_whatever_the_server_settings() {
    let db = database().await;
    // Tenant B's persona is what an escaped quote would reach.
    let dir = tempdir("emit-sql");
    let b = write(&dir, "b.yaml", &persona_yaml("victim", ""));
    deploy(&db.pool, vec![org_data(), b], TENANT_B)
        .await
        .unwrap();
    let attack = r"x\'); UPDATE public.personas SET name = 'pwned'; --";
    let a = write(
        &dir,
        "a.json",
        &serde_json::json!({"personas": [{
            "slug": "attacker", "name": "A", "business_function": "medical-affairs",
            "goals": [{"goal_text": attack}]
        }]})
        .to_string(),
    );
    let script = run::emit_sql(
        &db.pool,
        &job(vec![org_data(), a], TENANT_A),
        DeployOptions::default(),
    )
    .await
    .unwrap();
    assert!(script.contains("SET standard_conforming_strings = on;"));
    assert!(script.contains("SET search_path = pg_catalog, \"public\";"));
    let path = dir.join("deploy.sql");
    std::fs::write(&path, &script).unwrap();
    // A server (or role) that still reads backslashes in plain literals as escapes.
    run_psql_script(
        &db.url,
        &path,
        Some("-c standard_conforming_strings=off -c search_path=pg_temp"),
    );
    let pwned: i64 = sqlx::query_scalar("SELECT count(*) FROM personas WHERE name = 'pwned'")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(pwned, 0);
    let stored: String = sqlx::query_scalar("SELECT goal_text FROM persona_goals")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(stored, attack, "stored byte for byte");
}

#[tokio::test]
async fn numbers_are_stored_exactly_or_refused_with_their_bounds() {
    let db = database().await;
    let dir = tempdir("numbers");
    let stat = |value: &str| {
        format!(
            "{{\"statistic_name\": \"n\", \"statistic_value\": \"v\", \"data_source\": \"s\", \
             \"relevance_score\": 5, \"numeric_value\": {value}}}"
        )
    };
    let text = format!(
        "{{\"personas\": [{{\"slug\": \"exact\", \"name\": \"E\", \"business_function\": \"medical-affairs\",\n\
         \"metadata\": {{\"big\": 9223372036854775808, \"tenth\": 0.1, \"long\": 12345678901234.123456789012}},\n\
         \"supporting_statistics\": [{}, {}]}}]}}",
        stat("12345678901234.123456"),
        stat("99999999999999.999999")
    );
    let file = write(&dir, "exact.json", &text);
    deploy_file(&db.pool, file.clone()).await.unwrap();
    let values: Vec<String> = sqlx::query_scalar(
        "SELECT numeric_value::text FROM persona_supporting_statistics ORDER BY numeric_value",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert_eq!(values, ["12345678901234.123456", "99999999999999.999999"]);
    let metadata: String =
        sqlx::query_scalar("SELECT metadata::text FROM personas WHERE slug = 'exact'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert!(metadata.contains("9223372036854775808"), "{metadata}");
    assert!(
        metadata.contains("12345678901234.123456789012"),
        "{metadata}"
    );
    assert!(metadata.contains("0.1"), "{metadata}");
    // verify compares the input's exact values: a value changed behind its back shows.
    let report = run::verify_tenant(&db.pool, &job(vec![org_data(), file.clone()], TENANT_A))
        .await
        .unwrap();
    assert!(report.ok(), "{report:?}");
    sqlx::query("UPDATE persona_supporting_statistics SET numeric_value = 12345678901234.123000 WHERE numeric_value < 20000000000000")
        .execute(&db.pool)
        .await
        .unwrap();
    let report = run::verify_tenant(&db.pool, &job(vec![org_data(), file], TENANT_A))
        .await
        .unwrap();
    assert_eq!(report.mismatches.len(), 1, "{report:?}");

    // Out of range, too many decimals, non-finite: problems with their place and the bounds.
    for (name, value, expect) in [
        ("huge.json", "1e400", "1e+400 is out of range"),
        ("negative.json", "-1e400", "-1e+400 is out of range"),
        (
            "wide.json",
            "100000000000000",
            "less than 10^14 in magnitude",
        ),
        ("fine.json", "1.0000001", "at most 6 decimal places"),
    ] {
        let text = format!(
            "{{\"personas\": [{{\"slug\": \"bad\", \"name\": \"B\", \"business_function\": \"medical-affairs\",\n\
             \"supporting_statistics\": [{}]}}]}}",
            stat(value)
        );
        let file = write(&dir, name, &text);
        let problems = refused_everywhere(&db.pool, &file).await;
        assert_eq!(problems.len(), 1, "{problems:?}");
        let p = &problems[0];
        assert!(p.contains(&format!("{name}:2:")), "{p}");
        assert!(p.contains("numeric_value"), "{p}");
        assert!(p.contains(expect), "{value}: {p}");
        assert!(p.contains("numeric(20,6)"), "{p}");
    }
    for value in [".nan", ".inf", "-.Inf"] {
        let file = write(
            &dir,
            "nan.yaml",
            &persona_yaml(
                "nan",
                &format!(
                    "supporting_statistics:\n- statistic_name: n\n  statistic_value: v\n  data_source: s\n  relevance_score: 5\n  numeric_value: {value}\n"
                ),
            ),
        );
        let err = deploy_file(&db.pool, file).await.unwrap_err();
        let text = format!("{err:#}");
        assert!(text.contains("nan.yaml:10:"), "{text}");
        assert!(text.contains("is not a finite number"), "{text}");
    }
}

#[tokio::test]
async fn user_references_must_name_the_tenants_own_users() {
    let db = database().await;
    let (own, other, unknown) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
    for (id, tenant) in [(own, TENANT_A), (other, TENANT_B)] {
        sqlx::query("INSERT INTO users (id, email, tenant_id) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(format!("{id}@example.org"))
            .bind(tenant)
            .execute(&db.pool)
            .await
            .unwrap();
    }
    let dir = tempdir("users");
    let ok = write(
        &dir,
        "own.yaml",
        &persona_yaml("own-user", &format!("validated_by: {own}")),
    );
    deploy_file(&db.pool, ok).await.unwrap();
    for (name, id) in [("other.yaml", other), ("unknown.yaml", unknown)] {
        let file = write(
            &dir,
            name,
            &persona_yaml(
                "foreign-user",
                &format!(
                    "validated_by: {id}\nweek_in_life:\n- day_of_week: Monday\n  created_by: {id}"
                ),
            ),
        );
        let problems = refused_everywhere(&db.pool, &file).await;
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains(&format!("{name}:5:")), "{problems:?}");
        assert!(
            problems[0].contains("personas[0].validated_by")
                && problems[1].contains("personas[0].week_in_life[0].created_by"),
            "{problems:?}"
        );
        assert!(
            problems[0].contains("no user with this id in tenant"),
            "{problems:?}"
        );
        let validated = run::validate_online(&db.pool, &job(vec![org_data(), file], TENANT_A))
            .await
            .unwrap_err();
        assert_eq!(problem_texts(&validated), problems, "validate says it too");
    }
}

#[tokio::test]
async fn deep_yaml_is_a_problem_not_a_crash() {
    let db = database().await;
    let dir = tempdir("deep");
    let mut deep = String::from(
        "personas:\n- slug: deep\n  name: D\n  business_function: medical-affairs\n  metadata:\n",
    );
    for depth in 0..3000 {
        deep.push_str(&" ".repeat(4 + depth * 2));
        deep.push_str("a:\n");
    }
    let file = write(&dir, "deep.yaml", &deep);
    for command in ["validate", "deploy"] {
        let mut args = vec![command.to_string(), "--input".into()];
        args.push(org_data().display().to_string());
        args.push("--input".into());
        args.push(file.display().to_string());
        if command == "deploy" {
            args.extend([
                "--database-url".into(),
                db.url.clone(),
                "--tenant-id".into(),
                TENANT_A.to_string(),
                "--all".into(),
            ]);
        }
        let out = Command::new(env!("CARGO_BIN_EXE_seeder"))
            .args(&args)
            .env_remove("DATABASE_URL")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{command}: {text}");
        assert!(
            text.contains("nested more than 128 levels deep"),
            "{command}: {text}"
        );
        assert!(text.contains("deep.yaml:"), "{text}");
    }
    assert!(tenant_is_empty(&db.pool, TENANT_A).await);
}

#[tokio::test]
async fn values_the_database_would_refuse_are_problems_before_writing() {
    let db = database().await;
    let dir = tempdir("refused");
    // NUL in text and in jsonb.
    let nul = write(
        &dir,
        "nul.json",
        r#"{"personas": [{"slug": "nul", "name": "N", "business_function": "medical-affairs",
  "goals": [{"goal_text": "a\u0000b"}], "metadata": {"k": "x\u0000"}}]}"#,
    );
    let problems = refused_everywhere(&db.pool, &nul).await;
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems.iter().all(|p| p.contains("NUL character")),
        "{problems:?}"
    );
    assert!(problems[0].contains("nul.json:2:"), "{problems:?}");
    let offline = run::validate_offline(&job(vec![org_data(), nul], TENANT_A)).unwrap_err();
    assert_eq!(
        problem_texts(&offline).len(),
        2,
        "validate finds them offline"
    );

    // A UNIQUE (tenant_id, name) key against a row the tenant already has.
    sqlx::query(
        "INSERT INTO org_functions (tenant_id, name, slug) VALUES ($1, 'Sales', 'sales-legacy')",
    )
    .bind(TENANT_A)
    .execute(&db.pool)
    .await
    .unwrap();
    let before = tenant_digest(&db.pool, TENANT_A).await;
    let err = deploy(&db.pool, vec![data_dir()], TENANT_A)
        .await
        .unwrap_err();
    let problems = problem_texts(&err);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains("org/org.yaml:")
            && problems[0].contains("functions[1].name")
            && problems[0]
                .contains("org_functions 'sales-legacy' of this tenant already has this name"),
        "{problems:?}"
    );
    assert_eq!(tenant_digest(&db.pool, TENANT_A).await, before);
}

#[tokio::test]
async fn a_database_error_is_reported_once_with_its_table_and_nothing_committed() {
    let db = database().await;
    sqlx::raw_sql(
        "CREATE FUNCTION refuse_goal() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
           IF NEW.goal_text LIKE '%forbidden%' THEN RAISE EXCEPTION 'goal text is forbidden here'; END IF; \
           RETURN NEW; END $$; \
         CREATE TRIGGER refuse_goal BEFORE INSERT ON persona_goals FOR EACH ROW EXECUTE FUNCTION refuse_goal();",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    let dir = tempdir("trigger");
    let file = write(
        &dir,
        "goals.yaml",
        &persona_yaml(
            "triggered",
            "goals:\n- goal_text: fine\n- goal_text: a forbidden goal",
        ),
    );
    let err = deploy_file(&db.pool, file).await.unwrap_err();
    let text = format!("{err:#}");
    println!("{text}");
    assert_eq!(
        text.matches("goal text is forbidden here").count(),
        1,
        "{text}"
    );
    assert!(!text.contains("at line"), "{text}");
    assert!(text.contains("persona_goals"), "{text}");
    // The refused row itself (the second goal, line 7 of the document), not just its file.
    assert!(text.contains("the row from "), "{text}");
    assert!(text.contains("goals.yaml:7:"), "{text}");
    assert!(text.contains("nothing was committed"), "{text}");
    assert!(tenant_is_empty(&db.pool, TENANT_A).await);
}

#[tokio::test]
async fn a_same_named_table_earlier_on_the_search_path_is_never_written() {
    let db = database().await;
    sqlx::raw_sql(AssertSqlSafe(format!(
        "CREATE SCHEMA shadow; CREATE TABLE shadow.personas (LIKE public.personas INCLUDING ALL); \
         CREATE TABLE shadow.persona_goals (LIKE public.persona_goals INCLUDING ALL); \
         ALTER DATABASE \"{}\" SET search_path = shadow, public",
        db.name
    )))
    .execute(&db.pool)
    .await
    .unwrap();
    let shadowed = run::connect(&db.url, &ConnectSettings::new(run::APPLICATION_NAME))
        .await
        .unwrap();
    let job = job(vec![data_dir()], TENANT_A);
    run::deploy(&shadowed, &job, DeployOptions::default())
        .await
        .unwrap();
    let (public, shadow): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM public.personas), (SELECT count(*) FROM shadow.personas)",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert!(
        public > 0 && shadow == 0,
        "public {public}, shadow {shadow}"
    );
    assert!(run::verify_tenant(&shadowed, &job).await.unwrap().ok());
}

#[tokio::test]
async fn repeated_keys_and_csv_refs_are_refused_with_both_places() {
    let db = database().await;
    let dir = tempdir("repeated");
    let json = write(
        &dir,
        "twice.json",
        "{\"personas\": [{\"slug\": \"t\", \"name\": \"T\", \"business_function\": \"medical-affairs\",\n\
         \"goals\": [{\"goal_text\": \"a\"}],\n\"goals\": [{\"goal_text\": \"b\"}]}]}",
    );
    let err = deploy_file(&db.pool, json).await.unwrap_err();
    let text = format!("{err:#}");
    assert!(
        text.contains("twice.json:3:1")
            && text.contains("key 'goals' appears twice in one object (first at line 2, column 1)"),
        "{text}"
    );
    let csv = dir.join("csv");
    std::fs::create_dir_all(&csv).unwrap();
    write(
        &csv,
        "personas.csv",
        "slug,name,business_function\nc,C,medical-affairs\n",
    );
    write(
        &csv,
        "case_studies.csv",
        "persona,ref,case_study_title\nc,one,First\nc,one,Second\n",
    );
    write(
        &csv,
        "case_study_investments.csv",
        "persona,parent_ref,category\nc,one,Which parent?\n",
    );
    let err = deploy(&db.pool, vec![org_data(), csv], TENANT_A)
        .await
        .unwrap_err();
    let problems = problem_texts(&err);
    assert!(
        problems.iter().any(|p| p.contains("case_studies.csv:3:")
            && p.contains("ref 'one' is given twice for persona 'c' (first at line 2 of")),
        "{problems:?}"
    );
    assert!(tenant_is_empty(&db.pool, TENANT_A).await);
}

#[tokio::test]
async fn create_tenant_never_claims_a_slug_it_did_not_set() {
    let db = database().await;
    let err = run::ensure_tenant(&db.pool, TENANT_A, "renamed", "Tenant A")
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("exists with slug 'tenant-a', not 'renamed': nothing changed"),
        "{err}"
    );
    let err = run::ensure_tenant(&db.pool, Uuid::new_v4(), "tenant-a", "X")
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("belongs to another tenant"),
        "{err}"
    );
    assert_eq!(
        run::ensure_tenant(&db.pool, TENANT_A, "tenant-a", "Tenant A")
            .await
            .unwrap(),
        run::TenantOutcome::AlreadyPresent
    );
}

/// What a session of `role` reaches of tenant B after naming B in `vital.tenant_id`:
/// (B's personas it reads, B's personas it updates, whether it may insert a B child row under
/// A's persona, other tenants' users it reads).
async fn probe(db: &vital_testkit::TestDb, role: &str) -> (i64, u64, bool, i64) {
    let server: sqlx::postgres::PgConnectOptions = db.url.parse().unwrap();
    let url = format!(
        "postgres://{role}:probe@{}:{}/{}",
        server.get_host(),
        server.get_port(),
        db.name
    );
    let pool = PgPool::connect(&url).await.unwrap();
    let mut tx = pool.begin().await.unwrap();
    sqlx::query("SELECT set_config('vital.tenant_id', $1, true)")
        .bind(TENANT_B.to_string())
        .execute(&mut *tx)
        .await
        .unwrap();
    let read: i64 = sqlx::query_scalar("SELECT count(*) FROM personas WHERE tenant_id = $1")
        .bind(TENANT_B)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    let updated = sqlx::query("UPDATE personas SET name = name WHERE tenant_id = $1")
        .bind(TENANT_B)
        .execute(&mut *tx)
        .await
        .unwrap()
        .rows_affected();
    let users: i64 = sqlx::query_scalar("SELECT count(*) FROM users WHERE tenant_id <> $1")
        .bind(TENANT_A)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    // A child row of A's persona that names tenant B, written while the session names A.
    let mut tx = pool.begin().await.unwrap();
    sqlx::query("SELECT set_config('vital.tenant_id', $1, true)")
        .bind(TENANT_A.to_string())
        .execute(&mut *tx)
        .await
        .unwrap();
    let mixed = sqlx::query(
        "INSERT INTO persona_goals (persona_id, tenant_id, goal_text) \
         SELECT id, $1, 'mixed' FROM personas WHERE tenant_id = $2 LIMIT 1",
    )
    .bind(TENANT_B)
    .bind(TENANT_A)
    .execute(&mut *tx)
    .await;
    let mixed_accepted = mixed.is_ok_and(|r| r.rows_affected() > 0);
    tx.rollback().await.unwrap();
    pool.close().await;
    (read, updated, mixed_accepted, users)
}

#[tokio::test]
async fn row_level_security_in_both_forms_against_the_same_probes() {
    let db = database().await;
    let admin = &db.pool;
    deploy(admin, vec![data_dir()], TENANT_A).await.unwrap();
    deploy(admin, vec![data_dir()], TENANT_B).await.unwrap();
    for (id, tenant) in [(Uuid::new_v4(), TENANT_A), (Uuid::new_v4(), TENANT_B)] {
        sqlx::query("INSERT INTO users (id, email, tenant_id) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(format!("{id}@example.org"))
            .bind(tenant)
            .execute(admin)
            .await
            .unwrap();
    }
    let shared = format!("probe_shared_{}", &db.name[db.name.len() - 8..]);
    let pinned = format!("probe_tenant_a_{}", &db.name[db.name.len() - 8..]);
    for (role, pin) in [
        (&shared, TenantPin::Session),
        (&pinned, TenantPin::Fixed(TENANT_A)),
    ] {
        sqlx::raw_sql(AssertSqlSafe(format!(
            "DO $$ BEGIN CREATE ROLE {role} LOGIN PASSWORD 'probe'; \
             EXCEPTION WHEN duplicate_object THEN NULL; END $$"
        )))
        .execute(admin)
        .await
        .unwrap();
        sqlx::raw_sql(AssertSqlSafe(grant_sql(role, Some(pin))))
            .execute(admin)
            .await
            .unwrap();
    }
    let (read, updated, mixed, users) = probe(&db, &shared).await;
    println!(
        "RLS, one role for all tenants, session names tenant B: reads {read} of B's personas, \
         updates {updated}, child row naming B under A's persona accepted: {mixed}, \
         other tenants' users read: {users}"
    );
    assert!(
        read > 0 && updated > 0,
        "the shared form does not stand against the credential"
    );
    assert!(!mixed, "a child row must carry its parent's tenant");
    assert_eq!(users, 1, "the shared form shows the named tenant's users");
    let (read, updated, mixed, users) = probe(&db, &pinned).await;
    println!(
        "RLS, a role pinned to tenant A, session names tenant B: reads {read} of B's personas, \
         updates {updated}, child row naming B under A's persona accepted: {mixed}, \
         other tenants' users read: {users}"
    );
    assert_eq!((read, updated, mixed, users), (0, 0, false, 0));
    // The pinned role still deploys and verifies its own tenant.
    let server: sqlx::postgres::PgConnectOptions = db.url.parse().unwrap();
    let url = format!(
        "postgres://{pinned}:probe@{}:{}/{}",
        server.get_host(),
        server.get_port(),
        db.name
    );
    let own = run::connect(&url, &ConnectSettings::new(run::APPLICATION_NAME))
        .await
        .unwrap();
    run::deploy(
        &own,
        &job(vec![data_dir()], TENANT_A),
        DeployOptions::default(),
    )
    .await
    .unwrap();
    assert!(
        run::verify_tenant(&own, &job(vec![data_dir()], TENANT_A))
            .await
            .unwrap()
            .ok()
    );
    let err = run::deploy(
        &own,
        &job(vec![data_dir()], TENANT_B),
        DeployOptions::default(),
    )
    .await
    .unwrap_err();
    assert!(format!("{err:#}").contains("does not exist"), "{err:#}");
}
