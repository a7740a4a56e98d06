//! A PgBouncer (Debian's `pgbouncer` package) in front of the test cluster, on a free port, one
//! per test: `PgBouncer::start(mode, pool_size, users)`, stopped (and its folder removed) on drop.
//!
//! Like Supabase's poolers it forwards every database name (`* =`), authenticates nobody (trust,
//! loopback only) and keeps PgBouncer's defaults otherwise: no `ignore_startup_parameters`, and
//! (1.18) no prepared statement support in transaction mode.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::{server_url, workspace_root};

/// PgBouncer's pool_mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PoolMode {
    Session,
    Transaction,
}

pub struct PgBouncer {
    child: Child,
    dir: PathBuf,
    pub port: u16,
    pub mode: PoolMode,
}

/// The pgbouncer binary: `PGBOUNCER`, Debian's `/usr/sbin/pgbouncer`, or the PATH.
pub fn binary() -> Option<PathBuf> {
    if let Ok(path) = std::env::var("PGBOUNCER") {
        return Some(PathBuf::from(path));
    }
    ["/usr/sbin/pgbouncer", "/usr/bin/pgbouncer"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
        .or_else(|| {
            let out = Command::new("sh")
                .args(["-c", "command -v pgbouncer"])
                .output()
                .ok()?;
            let path = String::from_utf8(out.stdout).ok()?.trim().to_string();
            (!path.is_empty()).then(|| PathBuf::from(path))
        })
}

/// (uid, gid) of the `postgres` user when running as root (PgBouncer and PostgreSQL refuse to
/// run as root), None otherwise.
pub fn service_user() -> Result<Option<(u32, u32)>> {
    let id = |args: &[&str]| -> Result<u32> {
        let out = Command::new("id")
            .args(args)
            .output()
            .context("running id")?;
        if !out.status.success() {
            bail!(
                "id {args:?}: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        Ok(String::from_utf8(out.stdout)?.trim().parse()?)
    };
    if id(&["-u"])? != 0 {
        return Ok(None);
    }
    Ok(Some((id(&["-u", "postgres"])?, id(&["-g", "postgres"])?)))
}

/// Gives `path` to the service user (when running as root).
pub fn give_to_service_user(path: &Path) -> Result<()> {
    if let Some((uid, gid)) = service_user()? {
        std::os::unix::fs::chown(path, Some(uid), Some(gid))
            .with_context(|| format!("chown {}", path.display()))?;
    }
    Ok(())
}

/// A port nobody listens on right now.
pub fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Waits until something accepts TCP connections on `port`.
pub fn wait_for_port(port: u16, timeout: Duration) -> bool {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    false
}

impl PgBouncer {
    /// Starts PgBouncer in `mode` in front of the test server, `pool_size` server connections per
    /// (database, user), accepting `users`.
    pub fn start(mode: PoolMode, pool_size: u32, users: &[&str]) -> Result<PgBouncer> {
        let binary = binary().context(
            "pgbouncer is not installed (apt-get install pgbouncer; .ci/run installs it)",
        )?;
        let server: sqlx::postgres::PgConnectOptions = server_url()?.parse()?;
        let port = free_port()?;
        let dir = workspace_root().join(format!("target/pgbouncer-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        give_to_service_user(&dir)?;
        let userlist: String = users.iter().map(|u| format!("\"{u}\" \"\"\n")).collect();
        std::fs::write(dir.join("userlist.txt"), userlist)?;
        let config = format!(
            "[databases]\n\
             * = host={host} port={server_port}\n\
             [pgbouncer]\n\
             listen_addr = 127.0.0.1\n\
             listen_port = {port}\n\
             unix_socket_dir =\n\
             auth_type = trust\n\
             auth_file = {dir}/userlist.txt\n\
             pool_mode = {mode}\n\
             default_pool_size = {pool_size}\n\
             max_client_conn = 100\n\
             server_login_retry = 1\n\
             logfile = {dir}/pgbouncer.log\n",
            host = server.get_host(),
            server_port = server.get_port(),
            dir = dir.display(),
            mode = match mode {
                PoolMode::Session => "session",
                PoolMode::Transaction => "transaction",
            },
        );
        let ini = dir.join("pgbouncer.ini");
        std::fs::write(&ini, config)?;
        let mut command = Command::new(&binary);
        command
            .arg(&ini)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some((uid, gid)) = service_user()? {
            use std::os::unix::process::CommandExt;
            command.uid(uid).gid(gid);
        }
        let mut child = command
            .spawn()
            .with_context(|| format!("starting {}", binary.display()))?;
        if !wait_for_port(port, Duration::from_secs(10)) {
            let _ = child.kill();
            let _ = child.wait();
            let log = std::fs::read_to_string(dir.join("pgbouncer.log")).unwrap_or_default();
            bail!("pgbouncer did not start on port {port}:\n{log}");
        }
        Ok(PgBouncer {
            child,
            dir,
            port,
            mode,
        })
    }

    /// The URL of `database` through the pooler, as `user`.
    pub fn url(&self, database: &str, user: &str) -> String {
        format!("postgres://{user}@127.0.0.1:{}/{database}", self.port)
    }

    /// PgBouncer's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("pgbouncer.log")).unwrap_or_default()
    }
}

impl Drop for PgBouncer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
