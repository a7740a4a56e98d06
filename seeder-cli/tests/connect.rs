//! Connecting the way Supabase users do: TLS modes against a TLS-only cluster, PgBouncer in
//! session and transaction mode in front of the test cluster, a least-privilege role under
//! row-level security, retries at start-up, application_name, statement timeout.
//!
//! Every test prints its part of the matrix (`cargo nextest run --no-capture` shows it).

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::*;
use pg::connect::{ConnectSettings, Db, Pooler};
use seeder::deploy::DeployOptions;
use seeder::run::{self, APPLICATION_NAME};
use sqlx::{AssertSqlSafe, Connection, PgConnection};
use vital_testkit::pgbouncer::{PgBouncer, PoolMode};
use vital_testkit::tls::TlsCluster;
use vital_testkit::{database_url, server_url};

fn settings(pooler: Pooler) -> ConnectSettings {
    ConnectSettings {
        pooler,
        connect_timeout: Duration::from_secs(5),
        ..ConnectSettings::new(APPLICATION_NAME)
    }
}

/// Is the session of a fresh transaction of `db` encrypted?
async fn uses_tls(db: &Db) -> bool {
    let mut tx = db.begin().await.unwrap();
    let ssl: bool = sqlx::query_scalar("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
        .persistent(false)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    ssl
}

fn outcome(result: &anyhow::Result<bool>) -> String {
    match result {
        Ok(true) => "connected, TLS".into(),
        Ok(false) => "connected, no TLS".into(),
        Err(e) => format!("refused: {e:#}"),
    }
}

#[tokio::test]
async fn tls_modes_against_a_tls_only_server() {
    let tls = TlsCluster::start().await.unwrap();
    let (ca, other) = (tls.ca.display(), tls.other_ca.display());
    // (host, URL query, connects?, what the error must say)
    let cases: Vec<(&str, String, bool, &str)> = vec![
        (
            "127.0.0.1",
            "sslmode=disable".into(),
            false,
            "accepts only encrypted connections",
        ),
        ("127.0.0.1", "sslmode=prefer".into(), true, ""),
        ("127.0.0.1", "sslmode=require".into(), true, ""),
        (
            "127.0.0.1",
            format!("sslmode=require&sslrootcert={other}"),
            false,
            "not signed by a trusted CA",
        ),
        (
            "127.0.0.1",
            "sslmode=verify-ca".into(),
            false,
            "not signed by a trusted CA",
        ),
        (
            "127.0.0.1",
            format!("sslmode=verify-ca&sslrootcert={other}"),
            false,
            "not signed by a trusted CA",
        ),
        (
            "127.0.0.1",
            format!("sslmode=verify-ca&sslrootcert={ca}"),
            true,
            "",
        ),
        (
            "localhost",
            format!("sslmode=verify-full&sslrootcert={ca}"),
            true,
            "",
        ),
        (
            "127.0.0.1",
            format!("sslmode=verify-full&sslrootcert={ca}"),
            false,
            "not valid for the host name '127.0.0.1'",
        ),
        (
            "localhost",
            format!("sslmode=verify-full&sslrootcert={other}"),
            false,
            "not signed by a trusted CA",
        ),
    ];
    println!("TLS-only server (hostssl, certificate for DNS:localhost):");
    let mut failures = vec![];
    for (host, query, connects, message) in &cases {
        let url = tls.url(host, query);
        let started = Instant::now();
        let result = match run::connect(&url, &settings(Pooler::Auto)).await {
            Ok(db) => Ok(uses_tls(&db).await),
            Err(e) => Err(e),
        };
        let took = started.elapsed();
        let query = query.replace(&tls.ca.display().to_string(), "ca.crt");
        let query = query.replace(&tls.other_ca.display().to_string(), "other-ca.crt");
        println!("  {host:<10} {query:<45} {}", outcome(&result));
        let ok = match &result {
            Ok(ssl) => *connects && *ssl,
            Err(e) => !*connects && format!("{e:#}").contains(message),
        };
        if !ok {
            failures.push(format!("{host} {query}: {}", outcome(&result)));
        }
        assert!(
            took < Duration::from_secs(3),
            "{host} {query}: a TLS or pg_hba refusal is not retried (took {took:?})"
        );
    }

    // The test cluster has no TLS: prefer falls back, require says why it fails.
    let plain = server_url().unwrap();
    let with = |q: &str| format!("{plain}{}{q}", if plain.contains('?') { '&' } else { '?' });
    println!("server without TLS:");
    let prefer = match run::connect(&with("sslmode=prefer"), &settings(Pooler::Auto)).await {
        Ok(db) => Ok(uses_tls(&db).await),
        Err(e) => Err(e),
    };
    println!("  {:<56} {}", "sslmode=prefer", outcome(&prefer));
    assert!(matches!(prefer, Ok(false)), "{}", outcome(&prefer));
    let require = run::connect(&with("sslmode=require"), &settings(Pooler::Auto))
        .await
        .map(|_| true);
    println!("  {:<56} {}", "sslmode=require", outcome(&require));
    assert!(
        outcome(&require).contains("does not offer TLS"),
        "{}",
        outcome(&require)
    );

    // A real job over verify-full: migrate, create a tenant, deploy, verify.
    let mut admin = tls.admin().await.unwrap();
    let name = format!("tls_{}", uuid::Uuid::new_v4().simple());
    sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut admin)
        .await
        .unwrap();
    let url = format!(
        "postgres://postgres@localhost:{}/{name}?sslmode=verify-full&sslrootcert={ca}",
        tls.port
    );
    let s = settings(Pooler::Auto);
    seeder::migrate::run(&url, &s).await.unwrap();
    let db = run::connect(&url, &s).await.unwrap();
    assert!(uses_tls(&db).await);
    run::ensure_tenant(&db, TENANT_A, "tenant-a", "Tenant A")
        .await
        .unwrap();
    let job = job(vec![data_dir()], TENANT_A);
    run::deploy(&db, &job, DeployOptions::default())
        .await
        .unwrap();
    let report = run::verify_tenant(&db, &job).await.unwrap();
    assert!(report.ok(), "{report:?}");
    println!(
        "  verify-full job: migrate, deploy and verify ({} rows compared) over TLS: OK",
        report.compared_rows
    );
    assert!(
        failures.is_empty(),
        "unexpected outcomes:\n{}",
        failures.join("\n")
    );
}

/// A deploy and a verify of data/ through `url`, twice (the second run changes nothing).
async fn deploy_and_verify_twice(url: &str, pooler: Pooler) -> (usize, usize) {
    let mut created = vec![];
    let mut compared = 0;
    for _ in 0..2 {
        // A new Db each time: new client connections, as a second run of the CLI would make.
        let db = run::connect(url, &settings(pooler)).await.unwrap();
        let report = run::deploy(
            &db,
            &job(vec![data_dir()], TENANT_A),
            DeployOptions::default(),
        )
        .await
        .unwrap();
        created.push(report.roots_created);
        let verified = run::verify_tenant(&db, &job(vec![data_dir()], TENANT_A))
            .await
            .unwrap();
        assert!(verified.ok(), "{verified:?}");
        compared = verified.compared_rows;
        db.pool.close().await;
    }
    assert!(created[0] > 0);
    assert_eq!(created[1], 0, "the second run creates nothing");
    (created[0], compared)
}

fn seeder_cli(args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_seeder"))
        .args(args)
        .env_remove("DATABASE_URL")
        .env_remove("VITAL_POOLER")
        .output()
        .unwrap();
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[tokio::test]
async fn pgbouncer_session_mode() {
    let db = database().await;
    let bouncer = PgBouncer::start(PoolMode::Session, 4, &["postgres"]).unwrap();
    let url = bouncer.url(&db.name, "postgres");
    println!("PgBouncer, session mode:");

    // sqlx's default startup parameters: PgBouncer refuses extra_float_digits.
    let plain = run::connect(&url, &settings(Pooler::None))
        .await
        .map(|_| false);
    println!("  --pooler none (sqlx defaults)   {}", outcome(&plain));
    assert!(outcome(&plain).contains("--pooler session or --pooler transaction"));

    let (created, compared) = deploy_and_verify_twice(&url, Pooler::Session).await;
    println!("  --pooler session: deploy ({created} roots), verify ({compared} rows), re-run: OK");
    let (ok, out) = seeder_cli(&["migrate", "--database-url", &url, "--pooler", "session"]);
    println!("  --pooler session: seeder migrate: {}", out.trim());
    assert!(ok, "{out}");
}

#[tokio::test]
async fn pgbouncer_transaction_mode() {
    let db = database().await;
    // One server connection: every client shares it, as under load.
    let bouncer = PgBouncer::start(PoolMode::Transaction, 1, &["postgres"]).unwrap();
    let url = bouncer.url(&db.name, "postgres");
    println!("PgBouncer, transaction mode (pool size 1):");

    // What does not work: sqlx's named prepared statements outlive the transaction on the shared
    // server connection, and the next client's first statement collides with them.
    let options: sqlx::postgres::PgConnectOptions = url.parse().unwrap();
    let options = options.extra_float_digits(None);
    let mut a = PgConnection::connect_with(&options).await.unwrap();
    let mut b = PgConnection::connect_with(&options).await.unwrap();
    let first: Result<i32, _> = sqlx::query_scalar("SELECT $1::int4")
        .bind(1)
        .fetch_one(&mut a)
        .await;
    let second: Result<i32, _> = sqlx::query_scalar("SELECT $1::int4 + 1")
        .bind(1)
        .fetch_one(&mut b)
        .await;
    let failure = format!("{:?} / {:?}", first, second);
    println!("  named prepared statements (sqlx default), two clients: {failure}");
    assert!(
        first.is_err() || second.is_err(),
        "expected a prepared statement collision: {failure}"
    );
    drop((a, b));

    // What works: the seeder's way (unnamed statements inside transactions), from two clients.
    let s = settings(Pooler::Transaction);
    let (x, y) = (
        run::connect(&url, &s).await.unwrap(),
        run::connect(&url, &s).await.unwrap(),
    );
    for db in [&x, &y, &x, &y] {
        let mut tx = db.begin().await.unwrap();
        let n: i32 = sqlx::query_scalar("SELECT $1::int4 + 1")
            .persistent(false)
            .bind(1)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(n, 2);
    }
    println!("  unnamed statements in transactions, two clients: OK");

    let (created, compared) = deploy_and_verify_twice(&url, Pooler::Transaction).await;
    println!(
        "  --pooler transaction: deploy ({created} roots), verify ({compared} rows), re-run: OK"
    );

    // Auto-detection: `pgbouncer=true` (Supabase's port 6543 is the other sign).
    let auto = run::connect(&format!("{url}?pgbouncer=true"), &settings(Pooler::Auto))
        .await
        .unwrap();
    assert_eq!(auto.pooler, Pooler::Transaction);

    // A statement timeout is SET LOCAL: it applies to the run's transactions, and the shared
    // server connection keeps the server's own setting afterwards.
    let timed = run::connect(
        &url,
        &ConnectSettings {
            statement_timeout: Some(Duration::from_millis(200)),
            ..settings(Pooler::Transaction)
        },
    )
    .await
    .unwrap();
    let mut tx = timed.begin().await.unwrap();
    let slow = sqlx::query("SELECT pg_sleep(3)")
        .persistent(false)
        .execute(&mut *tx)
        .await
        .map_err(anyhow::Error::from);
    drop(tx);
    let slow = pg::connect::explain_timeout(slow.unwrap_err(), timed.statement_timeout);
    println!("  --statement-timeout 200ms: {slow:#}");
    assert!(format!("{slow:#}").contains("--statement-timeout"));
    let mut tx = x.begin().await.unwrap();
    let after: String = sqlx::query_scalar("SHOW statement_timeout")
        .persistent(false)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    assert_eq!(
        after, "0",
        "the timeout did not leak to the shared server connection"
    );

    // The CLI: verify works, migrate is refused with the URLs to use instead.
    let tenant = TENANT_A.to_string();
    let (ok, out) = seeder_cli(&[
        "verify",
        "--database-url",
        &url,
        "--pooler",
        "transaction",
        "--tenant-id",
        &tenant,
        "--input",
        data_dir().to_str().unwrap(),
    ]);
    assert!(ok && out.contains("verify: OK"), "{out}");
    println!("  CLI: seeder verify --pooler transaction: OK");
    let (ok, out) = seeder_cli(&["migrate", "--database-url", &url, "--pooler", "transaction"]);
    println!("  CLI: seeder migrate --pooler transaction: {}", out.trim());
    assert!(!ok && out.contains("session pooler"), "{out}");
}

const ROLE: &str = "vital_seeder_least";

#[tokio::test]
async fn least_privilege_role_under_row_level_security() {
    let db = database().await;
    let admin = &db.pool;
    sqlx::raw_sql(AssertSqlSafe(format!(
        "DO $$ BEGIN CREATE ROLE {ROLE} LOGIN PASSWORD 'least'; \
         EXCEPTION WHEN duplicate_object THEN NULL; END $$"
    )))
    .execute(admin)
    .await
    .unwrap();
    sqlx::raw_sql(AssertSqlSafe(seeder::privileges::grant_sql(
        ROLE,
        Some(seeder::privileges::TenantPin::Session),
    )))
    .execute(admin)
    .await
    .unwrap();
    let owned: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = $1)",
    )
    .bind(ROLE)
    .fetch_one(admin)
    .await
    .unwrap();
    assert_eq!(owned, 0, "the role owns nothing");

    let server: sqlx::postgres::PgConnectOptions = server_url().unwrap().parse().unwrap();
    let url = format!(
        "postgres://{ROLE}:least@{}:{}/{}",
        server.get_host(),
        server.get_port(),
        db.name
    );
    let least = run::connect(&url, &settings(Pooler::Auto)).await.unwrap();
    println!("least privilege ({ROLE}: SELECT/INSERT/UPDATE/DELETE, RLS by tenant):");
    let deployed = run::deploy(
        &least,
        &job(vec![data_dir()], TENANT_A),
        DeployOptions::default(),
    )
    .await
    .unwrap();
    let report = run::verify_tenant(&least, &job(vec![data_dir()], TENANT_A))
        .await
        .unwrap();
    assert!(report.ok(), "{report:?}");
    println!(
        "  deploy ({} roots, {} rows) and verify ({} rows compared): OK",
        deployed.roots_created,
        deployed.rows_written(),
        report.compared_rows
    );
    // `--overlap` under RLS: PostgreSQL refuses COPY there, so the reading it started with
    // COPY in mind starts again for JSON. A re-run of the same input: nothing to write.
    let overlapped = DeployOptions {
        overlap: true,
        ..DeployOptions::default()
    };
    let again = run::deploy(&least, &job(vec![data_dir()], TENANT_A), overlapped)
        .await
        .unwrap();
    assert_eq!(again.rows_changed(), 0, "{again:?}");
    assert_eq!(again.roots_unchanged, deployed.roots_created);
    let report = run::verify_tenant(&least, &job(vec![data_dir()], TENANT_A))
        .await
        .unwrap();
    assert!(report.ok(), "--overlap under RLS: {report:?}");

    // Row-level security: the role sees the rows of the tenant its transaction names only.
    let visible = |tenant: Option<uuid::Uuid>| {
        let least = least.clone();
        async move {
            let tenant = tenant.map(|t| t.to_string()).unwrap_or_default();
            let mut tx = least
                .begin_with(&[(seeder::privileges::TENANT_SETTING, &tenant)])
                .await
                .unwrap();
            let n: i64 = sqlx::query_scalar(
                "SELECT (SELECT count(*) FROM personas) + (SELECT count(*) FROM persona_goals)",
            )
            .persistent(false)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
            n
        }
    };
    let all: i64 = sqlx::query_scalar(
        "SELECT (SELECT count(*) FROM personas) + (SELECT count(*) FROM persona_goals)",
    )
    .fetch_one(admin)
    .await
    .unwrap();
    let (a, b, none) = (
        visible(Some(TENANT_A)).await,
        visible(Some(TENANT_B)).await,
        visible(None).await,
    );
    println!(
        "  personas + goals visible: tenant A {a}, tenant B {b}, no tenant {none} (owner: {all})"
    );
    assert!(a > 0 && a == all && b == 0 && none == 0);

    // A missing privilege: the error names the table and the privilege; nothing changes.
    let before = tenant_digest(admin, TENANT_A).await;
    sqlx::raw_sql(AssertSqlSafe(format!(
        "REVOKE INSERT ON persona_goals FROM {ROLE}"
    )))
    .execute(admin)
    .await
    .unwrap();
    let err = run::deploy(
        &least,
        &job(vec![data_dir()], TENANT_A),
        DeployOptions::default(),
    )
    .await
    .unwrap_err();
    let text = format!("{err:#}");
    println!("  without INSERT on persona_goals: {text}");
    assert!(
        text.contains(&format!("role {ROLE} lacks INSERT on table persona_goals")),
        "{text}"
    );
    assert_eq!(before, tenant_digest(admin, TENANT_A).await);

    sqlx::raw_sql(AssertSqlSafe(format!("REVOKE SELECT ON users FROM {ROLE}")))
        .execute(admin)
        .await
        .unwrap();
    let err = run::verify_tenant(&least, &job(vec![], TENANT_A))
        .await
        .unwrap_err();
    let text = format!("{err:#}");
    println!("  verify without SELECT on users: {text}");
    assert!(
        text.contains(&format!("role {ROLE} lacks SELECT on table users")),
        "{text}"
    );
    least.pool.close().await;
}

#[tokio::test]
async fn startup_retries_application_name_and_statement_timeout() {
    let db = database().await;

    // Nothing listens: bounded retries, then an error saying so.
    let port = vital_testkit::pgbouncer::free_port().unwrap();
    let started = Instant::now();
    let err = run::connect(
        &format!("postgres://postgres@127.0.0.1:{port}/x"),
        &ConnectSettings {
            connect_timeout: Duration::from_secs(1),
            ..settings(Pooler::Auto)
        },
    )
    .await
    .unwrap_err();
    let took = started.elapsed();
    println!("start-up: nothing listening, --connect-timeout 1s: {err:#} ({took:?})");
    assert!(format!("{err:#}").contains("within 1s"), "{err:#}");
    assert!(
        took >= Duration::from_millis(600) && took < Duration::from_secs(3),
        "{took:?}"
    );

    // The server comes up late (a proxy that starts listening after 700 ms): the run waits.
    let server: sqlx::postgres::PgConnectOptions = server_url().unwrap().parse().unwrap();
    let target = format!("{}:{}", server.get_host(), server.get_port());
    let port = vital_testkit::pgbouncer::free_port().unwrap();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(700)).await;
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .unwrap();
        loop {
            let (mut inbound, _) = listener.accept().await.unwrap();
            let target = target.clone();
            tokio::spawn(async move {
                let mut outbound = tokio::net::TcpStream::connect(target).await.unwrap();
                let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
            });
        }
    });
    let started = Instant::now();
    let late = run::connect(
        &format!("postgres://postgres@127.0.0.1:{port}/{}", db.name),
        &settings(Pooler::Auto),
    )
    .await
    .unwrap();
    let took = started.elapsed();
    println!("start-up: server up after 700 ms: connected after {took:?}");
    assert!(took >= Duration::from_millis(600));

    // application_name, visible in pg_stat_activity from another session.
    let mut tx = late.begin().await.unwrap();
    let pid: i32 = sqlx::query_scalar("SELECT pg_backend_pid()")
        .persistent(false)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    let shown: Option<String> =
        sqlx::query_scalar("SELECT application_name FROM pg_stat_activity WHERE pid = $1")
            .bind(pid)
            .fetch_optional(&db.pool)
            .await
            .unwrap();
    tx.rollback().await.unwrap();
    println!("pg_stat_activity.application_name of the run: {shown:?}");
    assert_eq!(shown.as_deref(), Some(APPLICATION_NAME));
    let url = database_url(&server_url().unwrap(), &db.name).unwrap();
    let sep = if url.contains('?') { '&' } else { '?' };
    let own = run::connect(
        &format!("{url}{sep}application_name=nightly-load"),
        &settings(Pooler::Auto),
    )
    .await
    .unwrap();
    let mut tx = own.begin().await.unwrap();
    let name: String = sqlx::query_scalar("SHOW application_name")
        .persistent(false)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert_eq!(name, "nightly-load", "the URL's application_name wins");
    drop(tx);

    // Statement timeout, direct: set for the run's transactions, explained when hit.
    let timed = run::connect(
        &url,
        &ConnectSettings {
            statement_timeout: Some(Duration::from_millis(150)),
            ..settings(Pooler::Auto)
        },
    )
    .await
    .unwrap();
    let mut tx = timed.begin().await.unwrap();
    let shown: String = sqlx::query_scalar("SHOW statement_timeout")
        .persistent(false)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert_eq!(shown, "150ms");
    let slow = sqlx::query("SELECT pg_sleep(2)")
        .persistent(false)
        .execute(&mut *tx)
        .await
        .map_err(anyhow::Error::from)
        .unwrap_err();
    let slow = pg::connect::explain_timeout(slow, timed.statement_timeout);
    println!("statement timeout 150ms: {slow:#}");
    assert!(format!("{slow:#}").contains("longer than --statement-timeout 150ms"));
}
