//! A second throwaway cluster that speaks TLS only: a CA and a server certificate made here with
//! the `openssl` CLI (the server's is for `localhost` only, so `127.0.0.1` is a wrong host name),
//! a second CA that signed nothing, `ssl = on`, and a pg_hba.conf with `hostssl` lines only.
//! Started with `scripts/pg.sh` in `target/pg-tls-<pid>`, stopped and removed on drop.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use sqlx::{AssertSqlSafe, Connection, PgConnection};

use crate::pgbouncer::give_to_service_user;
use crate::workspace_root;

pub struct TlsCluster {
    dir: PathBuf,
    pub port: u16,
    /// The CA that signed the server's certificate.
    pub ca: PathBuf,
    /// A CA that signed nothing the server has.
    pub other_ca: PathBuf,
}

fn openssl(dir: &Path, args: &[&str]) -> Result<()> {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .context("running openssl (apt-get install openssl)")?;
    if !out.status.success() {
        bail!("openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(())
}

/// `name.crt` and `name.key`: a self-signed CA.
fn make_ca(dir: &Path, name: &str) -> Result<()> {
    let (crt, key, subject) = (
        format!("{name}.crt"),
        format!("{name}.key"),
        format!("/CN={name}"),
    );
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "3",
            "-subj",
            &subject,
            "-keyout",
            &key,
            "-out",
            &crt,
        ],
    )
}

/// `server.crt` / `server.key`, signed by `ca`, valid for `localhost` only.
fn make_server_cert(dir: &Path) -> Result<()> {
    std::fs::write(
        dir.join("server.ext"),
        "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\n\
         keyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n",
    )?;
    openssl(
        dir,
        &[
            "req",
            "-new",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-subj",
            "/CN=localhost",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
        ],
    )?;
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "3",
            "-extfile",
            "server.ext",
            "-out",
            "server.crt",
        ],
    )
}

fn pg_sh(command: &str, dir: &Path) -> Result<String> {
    let out = Command::new("bash")
        .arg(workspace_root().join("scripts/pg.sh"))
        .arg(command)
        .arg(dir)
        .output()
        .context("running scripts/pg.sh")?;
    if !out.status.success() {
        bail!(
            "scripts/pg.sh {command} {}: {}",
            dir.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(String::from_utf8(out.stdout)?.trim().to_string())
}

impl TlsCluster {
    pub async fn start() -> Result<TlsCluster> {
        // A folder per test process: parallel runs in one tree do not stop each other's cluster.
        let dir = workspace_root().join(format!("target/pg-tls-{}", std::process::id()));
        let certs = dir.join("certs");
        std::fs::create_dir_all(&certs)?;
        make_ca(&certs, "ca")?;
        make_ca(&certs, "other-ca")?;
        make_server_cert(&certs)?;
        // PostgreSQL wants its key private to the user it runs as.
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            certs.join("server.key"),
            std::fs::Permissions::from_mode(0o600),
        )?;
        for f in ["", "server.key", "server.crt", "ca.crt"] {
            give_to_service_user(&certs.join(f))?;
        }

        let url = pg_sh("start", &dir)?;
        let port: u16 = url
            .rsplit(':')
            .next()
            .and_then(|p| p.split('/').next())
            .and_then(|p| p.parse().ok())
            .with_context(|| format!("no port in {url}"))?;
        let cluster = TlsCluster {
            dir: dir.clone(),
            port,
            ca: certs.join("ca.crt"),
            other_ca: certs.join("other-ca.crt"),
        };
        std::fs::write(
            dir.join("data/pg_hba.conf"),
            "local all all trust\nhostssl all all 127.0.0.1/32 trust\nhostssl all all ::1/128 trust\n",
        )?;
        let mut admin = cluster.admin().await?;
        for (name, value) in [
            ("ssl_cert_file", certs.join("server.crt")),
            ("ssl_key_file", certs.join("server.key")),
        ] {
            sqlx::raw_sql(AssertSqlSafe(format!(
                "ALTER SYSTEM SET {name} = '{}'",
                value.display()
            )))
            .execute(&mut admin)
            .await?;
        }
        for sql in ["ALTER SYSTEM SET ssl = on", "SELECT pg_reload_conf()"] {
            sqlx::raw_sql(sql).execute(&mut admin).await?;
        }
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let mut conn = cluster.admin().await?;
            let ssl: String = sqlx::query_scalar("SHOW ssl").fetch_one(&mut conn).await?;
            if ssl == "on" {
                break;
            }
            if Instant::now() > deadline {
                let log = std::fs::read_to_string(dir.join("server.log")).unwrap_or_default();
                bail!("the TLS cluster did not turn ssl on:\n{log}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Ok(cluster)
    }

    /// A superuser connection over the cluster's Unix socket (no TLS needed there).
    pub async fn admin(&self) -> Result<PgConnection> {
        let options = sqlx::postgres::PgConnectOptions::new()
            .socket(&self.dir)
            .port(self.port)
            .username("postgres")
            .database("postgres");
        Ok(PgConnection::connect_with(&options).await?)
    }

    /// `postgres://postgres@HOST:PORT/postgres?QUERY`.
    pub fn url(&self, host: &str, query: &str) -> String {
        format!("postgres://postgres@{host}:{}/postgres?{query}", self.port)
    }
}

impl Drop for TlsCluster {
    fn drop(&mut self) {
        let _ = pg_sh("stop", &self.dir);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
