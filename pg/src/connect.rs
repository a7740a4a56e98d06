//! Connecting the way hosted PostgreSQL (Supabase) users do, shared by `codegen` and `seeder`.
//!
//! - TLS as the URL's `sslmode` says (`disable`, `prefer` (the default), `require`, `verify-ca`,
//!   `verify-full`, with `sslrootcert`), through rustls: no system OpenSSL. As in libpq,
//!   `require` with an `sslrootcert` verifies the chain (`verify-ca`).
//! - Poolers ([`Pooler`]): behind a transaction pooler (PgBouncer / Supavisor in transaction mode,
//!   Supabase's port 6543) the server connection may change after every transaction, so every
//!   unit of work runs inside one transaction ([`Db::begin`]), statements are unnamed (callers
//!   use `.persistent(false)`; nothing is cached), session settings are `SET LOCAL`, and
//!   startup parameters a pooler rejects (`extra_float_digits`) are not sent.
//! - Start-up: the first connection is retried with backoff for a bounded time
//!   (`--connect-timeout`); errors that retrying cannot fix (TLS, authentication, pg_hba) fail at
//!   once, explained.
//! - `application_name` (unless the URL sets one) and an optional statement timeout.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions, PgSslMode};
use sqlx::{AssertSqlSafe, Connection, PgConnection, PgPool, Postgres, Transaction};

/// What sits between us and PostgreSQL.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Pooler {
    /// From the URL: port 6543 or `pgbouncer=true` -> transaction; a `*.pooler.supabase.com`
    /// host -> session; otherwise none.
    #[default]
    Auto,
    /// A direct connection to PostgreSQL.
    None,
    /// A session-mode pooler: a server connection for the whole client session.
    Session,
    /// A transaction-mode pooler: a server connection per transaction only.
    Transaction,
}

impl Pooler {
    /// The pooler `url` (parsed into `options`) points at, when `self` is `Auto`.
    pub fn resolve(self, url: &str, options: &PgConnectOptions) -> Pooler {
        if self != Pooler::Auto {
            return self;
        }
        if options.get_port() == 6543 || url_param(url, "pgbouncer").as_deref() == Some("true") {
            Pooler::Transaction
        } else if options.get_host().ends_with(".pooler.supabase.com") {
            Pooler::Session
        } else {
            Pooler::None
        }
    }
}

/// How to connect, beyond the URL.
#[derive(Clone, Debug)]
pub struct ConnectSettings {
    pub pooler: Pooler,
    /// How long the first connection is retried (refused, starting up, too many connections).
    pub connect_timeout: Duration,
    /// `statement_timeout` for every statement of the run; None leaves the server's.
    pub statement_timeout: Option<Duration>,
    /// Unless the URL names one (`application_name=`).
    pub application_name: String,
    pub max_connections: u32,
}

impl ConnectSettings {
    pub fn new(application_name: &str) -> ConnectSettings {
        ConnectSettings {
            pooler: Pooler::Auto,
            connect_timeout: Duration::from_secs(10),
            statement_timeout: None,
            application_name: application_name.to_string(),
            max_connections: 2,
        }
    }
}

/// The connection flags every command that takes a `--database-url` shares.
#[cfg(feature = "cli")]
#[derive(clap::Args, Clone, Debug)]
pub struct ConnectArgs {
    /// What sits in front of PostgreSQL. auto: port 6543 or `pgbouncer=true` in the URL mean a
    /// transaction pooler, a `*.pooler.supabase.com` host a session pooler, anything else a
    /// direct connection.
    #[arg(long, env = "VITAL_POOLER", value_enum, default_value_t)]
    pub pooler: Pooler,
    /// How long to keep retrying the first connection, with backoff (`500ms`, `10s`, `2m`).
    #[arg(long, env = "VITAL_CONNECT_TIMEOUT", default_value = "10s", value_parser = parse_duration)]
    pub connect_timeout: Duration,
    /// Statement timeout for every statement of the run (`30s`, `5m`; `0` = no limit). Default:
    /// the server's (Supabase sets one per role).
    #[arg(long, env = "VITAL_STATEMENT_TIMEOUT", value_parser = parse_duration)]
    pub statement_timeout: Option<Duration>,
}

#[cfg(feature = "cli")]
impl ConnectArgs {
    pub fn settings(&self, application_name: &str) -> ConnectSettings {
        ConnectSettings {
            pooler: self.pooler,
            connect_timeout: self.connect_timeout,
            statement_timeout: self.statement_timeout,
            ..ConnectSettings::new(application_name)
        }
    }
}

/// `250ms`, `10s`, `2m`, `1h`, or a number of seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let value: f64 = number
        .parse()
        .map_err(|_| format!("'{text}' is not a duration (e.g. 500ms, 10s, 2m)"))?;
    let seconds = match unit.trim() {
        "ms" => value / 1000.0,
        "" | "s" => value,
        "m" | "min" => value * 60.0,
        "h" => value * 3600.0,
        other => {
            return Err(format!(
                "unknown unit '{other}' in '{text}': use ms, s, m or h"
            ));
        }
    };
    Ok(Duration::from_secs_f64(seconds))
}

/// A pool and how its transactions must be opened.
#[derive(Clone, Debug)]
pub struct Db {
    pub pool: PgPool,
    /// Resolved: never `Auto`.
    pub pooler: Pooler,
    pub statement_timeout: Option<Duration>,
}

impl From<&PgPool> for Db {
    /// A pool made elsewhere: direct connection, the server's statement timeout.
    fn from(pool: &PgPool) -> Db {
        Db {
            pool: pool.clone(),
            pooler: Pooler::None,
            statement_timeout: None,
        }
    }
}

impl From<&Db> for Db {
    fn from(db: &Db) -> Db {
        db.clone()
    }
}

impl Db {
    /// A transaction with the run's settings (`SET LOCAL`, so nothing outlives it, which a
    /// transaction pooler requires), plus `locals` (custom settings such as `vital.tenant_id`),
    /// in one round trip.
    pub async fn begin_with(
        &self,
        locals: &[(&str, &str)],
    ) -> Result<Transaction<'static, Postgres>> {
        let mut sql = String::from("BEGIN");
        if let Some(timeout) = self.statement_timeout {
            let _ = write!(
                sql,
                "; SET LOCAL statement_timeout = {}",
                timeout.as_millis()
            );
        }
        for (name, value) in locals {
            let _ = write!(
                sql,
                "; SET LOCAL \"{}\" = '{}'",
                name.replace('"', "\"\""),
                value.replace('\'', "''")
            );
        }
        self.pool
            .begin_with(AssertSqlSafe(sql))
            .await
            .context("starting a transaction")
    }

    pub async fn begin(&self) -> Result<Transaction<'static, Postgres>> {
        self.begin_with(&[]).await
    }
}

/// An error naming the URLs to use when `what` needs a session and `pooler` is a transaction
/// pooler.
pub fn require_session(pooler: Pooler, what: &str) -> Result<()> {
    if pooler == Pooler::Transaction {
        bail!("{}", session_required(what));
    }
    Ok(())
}

fn session_required(what: &str) -> String {
    format!(
        "{what} needs a database session of its own, which a transaction pooler (port 6543, \
         --pooler transaction) does not keep: use the direct URL (Supabase: \
         db.<project>.supabase.co:5432) or the session pooler (<region>.pooler.supabase.com:5432)"
    )
}

/// The URL's options plus the settings: TLS per `sslmode`, pooler-safe startup parameters,
/// application_name.
pub fn connect_options(
    url: &str,
    settings: &ConnectSettings,
) -> Result<(PgConnectOptions, Pooler)> {
    let mut options: PgConnectOptions = url
        .parse()
        .with_context(|| format!("reading the database URL {}", redact(url)))?;
    // libpq: "require" with a root certificate verifies the chain, as "verify-ca" does.
    if matches!(options.get_ssl_mode(), PgSslMode::Require)
        && (url_param(url, "sslrootcert").is_some() || url_param(url, "ssl-root-cert").is_some())
    {
        options = options.ssl_mode(PgSslMode::VerifyCa);
    }
    if options.get_application_name().is_none() {
        options = options.application_name(&settings.application_name);
    }
    let pooler = settings.pooler.resolve(url, &options);
    if pooler != Pooler::None {
        // PgBouncer refuses unknown startup parameters, and sqlx sends extra_float_digits.
        options = options.extra_float_digits(None);
    }
    if pooler == Pooler::Transaction {
        // No statement outlives a transaction: nothing to cache (callers use unnamed ones).
        options = options.statement_cache_capacity(0);
    }
    Ok((options, pooler))
}

/// Connects (retrying for `settings.connect_timeout`) and makes the pool.
pub async fn connect(url: &str, settings: &ConnectSettings) -> Result<Db> {
    let (options, pooler) = connect_options(url, settings)?;
    let started = Instant::now();
    let deadline = started + settings.connect_timeout;
    let mut backoff = Duration::from_millis(100);
    let mut attempts = 0;
    loop {
        attempts += 1;
        let left = deadline.saturating_duration_since(Instant::now());
        let attempt = PgConnection::connect_with(&options);
        let error = match tokio::time::timeout(left.max(Duration::from_millis(50)), attempt).await {
            Ok(Ok(probe)) => {
                let _ = probe.close().await;
                break;
            }
            Ok(Err(e)) if !transient(&e) => {
                return Err(explain_connect_error(e, &options)
                    .context(format!("connecting to {}", redact(url))));
            }
            Ok(Err(e)) => Some(e),
            Err(_) => None,
        };
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            let last = error.map_or("the attempt timed out".to_string(), |e| e.to_string());
            bail!(
                "could not connect to {} within {:?} ({attempts} attempts, with backoff; \
                 --connect-timeout sets the bound): {last}",
                redact(url),
                settings.connect_timeout
            );
        }
        // The last attempt is made at the deadline.
        tokio::time::sleep(backoff.min(left)).await;
        backoff = (backoff * 2).min(Duration::from_secs(2));
    }
    let server = options.clone();
    let pool = PgPoolOptions::new()
        .max_connections(settings.max_connections)
        .acquire_timeout(settings.connect_timeout.max(Duration::from_secs(1)))
        .after_connect(move |_, _| {
            let server = server.clone();
            Box::pin(async move {
                crate::nodelay::on_connections_to(&server);
                Ok(())
            })
        })
        .connect_lazy_with(options);
    Ok(Db {
        pool,
        pooler,
        statement_timeout: settings.statement_timeout,
    })
}

/// Worth another attempt: nothing listening yet, the server starting up or full, a pooler that
/// cannot reach its server yet.
fn transient(error: &sqlx::Error) -> bool {
    match error {
        // A TLS failure arrives as InvalidData: retrying cannot fix it.
        sqlx::Error::Io(e) => !matches!(
            e.kind(),
            std::io::ErrorKind::InvalidData
                | std::io::ErrorKind::InvalidInput
                | std::io::ErrorKind::PermissionDenied
                | std::io::ErrorKind::Unsupported
        ),
        sqlx::Error::Database(db) => {
            let code = db.code();
            let message = db.message().to_lowercase();
            matches!(code.as_deref(), Some("57P03" | "53300" | "57P01"))
                || (code.as_deref() == Some("08P01")
                    && [
                        "cannot connect to server",
                        "no more connections",
                        "login has been failing",
                        "query_wait_timeout",
                    ]
                    .iter()
                    .any(|m| message.contains(m)))
                || message.contains("max client connections")
        }
        _ => false,
    }
}

fn ssl_mode_name(mode: PgSslMode) -> &'static str {
    match mode {
        PgSslMode::Disable => "disable",
        PgSslMode::Allow => "allow",
        PgSslMode::Prefer => "prefer",
        PgSslMode::Require => "require",
        PgSslMode::VerifyCa => "verify-ca",
        PgSslMode::VerifyFull => "verify-full",
    }
}

/// The error, with what it means and what to change in front of it.
pub fn explain_connect_error(error: sqlx::Error, options: &PgConnectOptions) -> anyhow::Error {
    let mode = ssl_mode_name(options.get_ssl_mode());
    let host = options.get_host();
    let tls_failure = match &error {
        sqlx::Error::Tls(e) => Some(format!("{e:?} {e}")),
        sqlx::Error::Io(e) if e.kind() == std::io::ErrorKind::InvalidData => {
            Some(format!("{e:?} {e}"))
        }
        _ => None,
    };
    let explanation = match &error {
        _ if tls_failure.is_some() => {
            let text = tls_failure.unwrap_or_default();
            if text.contains("NotValidForName") {
                Some(format!(
                    "TLS: the server's certificate is not valid for the host name '{host}': \
                     sslmode={mode} checks the name; connect with a name the certificate lists \
                     (or use sslmode=verify-ca to check the CA only)"
                ))
            } else if text.contains("UnknownIssuer") || text.contains("BadSignature") {
                Some(format!(
                    "TLS: the server's certificate is not signed by a trusted CA (sslmode={mode}): \
                     give the CA certificate with sslrootcert=/path/to/ca.crt (Supabase: the \
                     project's CA certificate from its database settings)"
                ))
            } else if text.contains("does not support TLS") {
                Some(format!(
                    "TLS: the server does not offer TLS, but sslmode={mode} requires it \
                     (use sslmode=prefer or disable for a server without TLS)"
                ))
            } else {
                Some(format!("TLS handshake failed (sslmode={mode})"))
            }
        }
        sqlx::Error::Database(db) => {
            let message = db.message();
            match db.code().as_deref() {
                Some("28000") if message.contains("no encryption") => Some(format!(
                    "the server accepts only encrypted connections from here (pg_hba.conf: \
                     hostssl), but sslmode={mode}: use sslmode=require, or verify-full with \
                     sslrootcert"
                )),
                Some("28000") | Some("28P01") => Some(format!(
                    "authentication failed for user '{}' (Supabase poolers want the user \
                     `postgres.<project-ref>`)",
                    options.get_username()
                )),
                Some("3D000") => Some("the database does not exist".to_string()),
                Some("08P01") if message.contains("unsupported startup parameter") => {
                    Some(format!(
                        "this is a connection pooler that refuses a startup parameter ({message}): \
                         pass --pooler session or --pooler transaction"
                    ))
                }
                _ => None,
            }
        }
        _ => None,
    };
    // The explanation and what the server (or the TLS library) said, without sqlx's wrapping.
    let said = match &error {
        sqlx::Error::Database(db) => format!("the server said: {}", db.message()),
        other => other.to_string(),
    };
    match explanation {
        Some(text) => anyhow!("{text} ({said})"),
        None => anyhow::Error::new(error),
    }
}

/// The value of query parameter `name` in `url`, if any.
pub fn url_param(url: &str, name: &str) -> Option<String> {
    let (_, query) = url.split_once('?')?;
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (k == name).then(|| v.to_string())
    })
}

/// The URL without its password, for messages.
pub fn redact(url: &str) -> String {
    let base = url.split('?').next().unwrap_or(url);
    let query = url
        .split_once('?')
        .map(|(_, q)| {
            q.split('&')
                .map(|p| {
                    if p.starts_with("password=") {
                        "password=***"
                    } else {
                        p
                    }
                })
                .collect::<Vec<_>>()
                .join("&")
        })
        .map(|q| format!("?{q}"))
        .unwrap_or_default();
    let base = match (base.find("://"), base.rfind('@')) {
        (Some(s), Some(at)) if at > s => match base[s + 3..at].split_once(':') {
            Some((user, _)) => format!("{}{user}:***{}", &base[..s + 3], &base[at..]),
            None => base.to_string(),
        },
        _ => base.to_string(),
    };
    format!("{base}{query}")
}

/// An error of `sqlx` inside `error`, if it came from the database.
pub fn database_error(
    error: &anyhow::Error,
) -> Option<&(dyn sqlx::error::DatabaseError + 'static)> {
    error
        .chain()
        .find_map(|e| e.downcast_ref::<sqlx::Error>())
        .and_then(|e| e.as_database_error())
}

/// `explanation`, then what was being done (the error's contexts) and what the server said,
/// without sqlx's wrapping of the server's message.
pub fn restate(error: &anyhow::Error, explanation: &str) -> anyhow::Error {
    let doing: Vec<String> = error
        .chain()
        .take_while(|e| e.downcast_ref::<sqlx::Error>().is_none())
        .map(|e| e.to_string())
        .collect();
    let said = database_error(error).map_or(String::new(), |e| e.message().to_string());
    let mut text = explanation.to_string();
    if !doing.is_empty() {
        let _ = write!(text, " (while {}", doing.join(": "));
        if !said.is_empty() {
            let _ = write!(text, "; the server said: {said}");
        }
        text.push(')');
    } else if !said.is_empty() {
        let _ = write!(text, " (the server said: {said})");
    }
    anyhow!(text)
}

/// A statement cancelled by `statement_timeout`, explained (else the error as it was).
pub fn explain_timeout(error: anyhow::Error, timeout: Option<Duration>) -> anyhow::Error {
    let is_timeout = database_error(&error)
        .is_some_and(|e| e.code().as_deref() == Some("57014") && e.message().contains("timeout"));
    if !is_timeout {
        return error;
    }
    let limit = timeout.map_or("the server's statement_timeout".to_string(), |t| {
        format!("--statement-timeout {t:?}")
    });
    restate(
        &error,
        &format!(
            "a statement ran longer than {limit} and was cancelled; nothing was committed \
             (raise it with --statement-timeout, e.g. 5m)"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolved(url: &str) -> Pooler {
        connect_options(url, &ConnectSettings::new("t")).unwrap().1
    }

    #[test]
    fn the_pooler_follows_the_url() {
        assert_eq!(
            resolved("postgres://u:p@aws-0-eu-central-1.pooler.supabase.com:6543/postgres"),
            Pooler::Transaction
        );
        assert_eq!(
            resolved("postgres://u:p@aws-0-eu-central-1.pooler.supabase.com:5432/postgres"),
            Pooler::Session
        );
        assert_eq!(
            resolved("postgres://u@db.abc.supabase.co:5432/postgres"),
            Pooler::None
        );
        assert_eq!(
            resolved("postgres://u@127.0.0.1:5000/x?pgbouncer=true"),
            Pooler::Transaction
        );
    }

    #[test]
    fn options_follow_the_url_and_settings() {
        let settings = ConnectSettings::new("vital-seeder");
        let (o, _) = connect_options("postgres://u@h/db?sslmode=require", &settings).unwrap();
        assert!(matches!(o.get_ssl_mode(), PgSslMode::Require));
        assert_eq!(o.get_application_name(), Some("vital-seeder"));
        let (o, _) = connect_options(
            "postgres://u@h/db?sslmode=require&sslrootcert=/tmp/ca.crt&application_name=mine",
            &settings,
        )
        .unwrap();
        assert!(matches!(o.get_ssl_mode(), PgSslMode::VerifyCa));
        assert_eq!(o.get_application_name(), Some("mine"));
        let (o, _) = connect_options("postgres://u@h/db", &settings).unwrap();
        assert!(matches!(o.get_ssl_mode(), PgSslMode::Prefer));
    }

    #[test]
    fn durations_and_redaction() {
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("10s"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("3"), Ok(Duration::from_secs(3)));
        assert!(parse_duration("ten").is_err());
        assert!(parse_duration("5d").is_err());
        assert_eq!(
            redact("postgres://u:secret@h:5432/db?sslmode=require&password=x"),
            "postgres://u:***@h:5432/db?sslmode=require&password=***"
        );
    }
}
