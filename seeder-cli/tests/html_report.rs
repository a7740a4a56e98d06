//! `seeder verify --html`: the page, rendered by a real headless Chromium (scripts run), shows
//! the database's figures: personas per function and rows per persona and table. A screenshot
//! is kept as target/html-report.png.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use sqlx::AssertSqlSafe;

const CHROMIUM: &str = "/usr/bin/chromium";

fn target_dir() -> PathBuf {
    vital_testkit::workspace_root().join("target")
}

/// Chromium with the flags that keep it offline and self-contained; returns stdout.
fn chromium(args: &[&str]) -> String {
    assert!(
        Path::new(CHROMIUM).exists(),
        "{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium); this test needs a real browser"
    );
    let profile = tempdir("chromium-profile");
    let out = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .expect("running chromium");
    let _ = std::fs::remove_dir_all(&profile);
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The value of `attr` in the first element whose opening tag contains `marker`.
fn attr_after(dom: &str, marker: &str, attr: &str) -> Option<String> {
    let at = dom.find(marker)?;
    let tag_end = at + dom[at..].find('>')?;
    let start = dom[..at].rfind('<')?;
    let tag = &dom[start..tag_end];
    let key = format!("{attr}=\"");
    let v = tag.find(&key)? + key.len();
    Some(tag[v..v + tag[v..].find('"')?].to_string())
}

#[tokio::test]
async fn the_rendered_page_shows_the_database_counts() {
    assert!(
        Path::new(CHROMIUM).exists(),
        "{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)"
    );
    let db = database().await;
    deploy(&db.pool, vec![data_dir()], TENANT_A).await.unwrap();
    let dir = tempdir("html-report");
    let page = dir.join("report.html");
    let tenant = TENANT_A.to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_seeder"))
        .args([
            "verify",
            "--database-url",
            &db.url,
            "--tenant-id",
            &tenant,
            "--input",
        ])
        .arg(data_dir())
        .arg("--html")
        .arg(&page)
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(&format!("report: {}", page.display())),
        "{stdout}"
    );
    assert!(stdout.contains(" personas x "), "{stdout}");

    let url = format!("file://{}", page.display());
    let dom = chromium(&["--dump-dom", &url]);
    assert!(
        dom.contains("data-script=\"ready\""),
        "the page's script did not run"
    );

    // Personas per function, from the database.
    let per_function: Vec<(String, i64)> = sqlx::query_as(
        "SELECT f.slug::text, count(*) FROM personas p JOIN org_functions f ON f.id = p.function_id \
         WHERE p.tenant_id = $1 GROUP BY 1 ORDER BY 1",
    )
    .bind(TENANT_A)
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert!(!per_function.is_empty());
    let total: i64 = per_function.iter().map(|(_, n)| n).sum();
    for (function, n) in &per_function {
        let shown = attr_after(
            &dom,
            &format!("<tr data-function=\"{function}\""),
            "data-personas",
        );
        assert_eq!(shown.as_deref(), Some(n.to_string().as_str()), "{function}");
    }
    assert_eq!(
        attr_after(&dom, "data-total=\"personas\"", "data-personas"),
        Some(total.to_string())
    );
    assert_eq!(
        dom.matches("<tr data-persona=").count() as i64,
        total,
        "one heat-map row per persona"
    );

    // Some heat-map cells against count(*), for a child and a grandchild table.
    let personas: Vec<(uuid::Uuid, String)> =
        sqlx::query_as("SELECT id, slug FROM personas WHERE tenant_id = $1 ORDER BY slug")
            .bind(TENANT_A)
            .fetch_all(&db.pool)
            .await
            .unwrap();
    let child = generated::TABLES
        .iter()
        .find(|t| {
            t.parent
                .as_ref()
                .is_some_and(|p| p.table == personas_table())
        })
        .unwrap();
    let grandchild = generated::TABLES
        .iter()
        .find(|t| {
            t.parent
                .as_ref()
                .and_then(|p| generated::table(p.table))
                .and_then(|p| p.parent.as_ref())
                .is_some_and(|p| p.table == personas_table())
        })
        .unwrap();
    let link = grandchild.parent.as_ref().unwrap();
    let parent = generated::table(link.table).unwrap();
    let mut checked = 0;
    for (id, slug) in personas.iter().step_by(personas.len().div_ceil(8).max(1)) {
        let sql = format!(
            "SELECT count(*) FROM {} WHERE {} = $1",
            seeder::sqltext::qualified(child.name),
            seeder::sqltext::quote_ident(child.parent.as_ref().unwrap().column)
        );
        let n: i64 = sqlx::query_scalar(AssertSqlSafe(sql))
            .bind(id)
            .fetch_one(&db.pool)
            .await
            .unwrap();
        let cell = format!("data-persona=\"{slug}\" data-table=\"{}\"", child.name);
        assert_eq!(
            attr_after(&dom, &cell, "data-count"),
            Some(n.to_string()),
            "{cell}"
        );
        let sql = format!(
            "SELECT count(*) FROM {} g JOIN {} p ON p.id = g.{} WHERE p.{} = $1",
            seeder::sqltext::qualified(grandchild.name),
            seeder::sqltext::qualified(parent.name),
            seeder::sqltext::quote_ident(link.column),
            seeder::sqltext::quote_ident(parent.parent.as_ref().unwrap().column)
        );
        let n: i64 = sqlx::query_scalar(AssertSqlSafe(sql))
            .bind(id)
            .fetch_one(&db.pool)
            .await
            .unwrap();
        let cell = format!("data-persona=\"{slug}\" data-table=\"{}\"", grandchild.name);
        assert_eq!(
            attr_after(&dom, &cell, "data-count"),
            Some(n.to_string()),
            "{cell}"
        );
        checked += 1;
    }
    assert!(checked > 0);
    assert!(dom.contains("<section id=\"orphans\" data-count=\"0\">"));
    assert!(dom.contains("data-compared=\"true\""));

    // Sorting in the browser: by a column, highest first within each function group.
    let dom = chromium(&["--dump-dom", &format!("{url}#sort={}", child.name)]);
    assert!(
        dom.contains(&format!("data-sorted-by=\"{}\"", child.name)),
        "sorted by the column"
    );
    for body in dom.split("<tbody ").skip(1) {
        let marker = format!("data-table=\"{}\" data-count=\"", child.name);
        let counts: Vec<i64> = body
            .match_indices(&marker)
            .map(|(i, _)| {
                let v = &body[i + marker.len()..];
                v[..v.find('"').unwrap()].parse().unwrap()
            })
            .collect();
        assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    }

    let shot = target_dir().join("html-report.png");
    let _ = std::fs::remove_file(&shot);
    chromium(&[
        &format!("--screenshot={}", shot.display()),
        "--window-size=1600,1200",
        &url,
    ]);
    assert!(
        std::fs::metadata(&shot)
            .map(|m| m.len() > 10_000)
            .unwrap_or(false),
        "no screenshot at {}",
        shot.display()
    );
    println!("screenshot: {}", shot.display());
    let _ = std::fs::remove_dir_all(&dir);
}

/// The persona root table, from the metadata.
fn personas_table() -> &'static str {
    seeder::vocabulary::vocabulary()
        .roots
        .iter()
        .find(|r| !r.table.name.starts_with("org_"))
        .map(|r| r.table.name)
        .unwrap()
}
