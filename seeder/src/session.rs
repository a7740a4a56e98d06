//! What every path of a run opens and measures, apart from the paths themselves (a leaf module,
//! so that `run`, `stream` and `pipeline` need not import each other): the run's transaction
//! for a tenant, and the phase timings.

use anyhow::Result;
use pg::connect::Db;
use sqlx::{Postgres, Transaction};
use uuid::Uuid;

/// A transaction of the run for `tenant`: the statement timeout and `vital.tenant_id` (which
/// row-level security policies may use) are set for it alone.
pub(crate) async fn begin_for(db: &Db, tenant: Uuid) -> Result<Transaction<'static, Postgres>> {
    db.begin_with(&[(crate::privileges::TENANT_SETTING, &tenant.to_string())])
        .await
}

/// Phase times of a deploy on stderr when `VITAL_SEEDER_TIMINGS` is set (for profiling).
pub(crate) struct Timings(Option<std::time::Instant>);

impl Timings {
    pub(crate) fn from_env() -> Self {
        Timings(std::env::var_os("VITAL_SEEDER_TIMINGS").map(|_| std::time::Instant::now()))
    }

    pub(crate) fn lap(&mut self, phase: &str) {
        if let Some(start) = &mut self.0 {
            eprintln!("timing: {:>8.3} s  {phase}", start.elapsed().as_secs_f64());
            *start = std::time::Instant::now();
        }
    }
}
