//! A deploy's report (per table: rows before and after, and what happened to the input's
//! rows): written by the seeder's deploy, read by the profile report, so it lives in a leaf of
//! its own.

use serde::Serialize;
use uuid::Uuid;

#[derive(Clone, Debug, Default, Serialize)]
pub struct TableOutcome {
    pub table: &'static str,
    pub rows_before: i64,
    /// Rows of the input the table held as they are: not touched.
    pub unchanged: u64,
    /// Rows of the input the table held with other values.
    pub updated: u64,
    /// Rows of the input the table did not hold.
    pub inserted: u64,
    /// Rows below the deployed roots the input no longer gives.
    pub deleted: u64,
    /// Rows written: updated + inserted.
    pub rows_written: u64,
    pub rows_after: i64,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct DeployReport {
    pub tenant_id: Uuid,
    pub dry_run: bool,
    pub roots_created: usize,
    pub roots_updated: usize,
    /// Roots the input gives as the database holds them (not touched).
    pub roots_unchanged: usize,
    pub tables: Vec<TableOutcome>,
}

impl DeployReport {
    pub fn rows_written(&self) -> u64 {
        self.tables.iter().map(|t| t.rows_written).sum()
    }

    /// Rows written or deleted: 0 for a re-run of unchanged input.
    pub fn rows_changed(&self) -> u64 {
        self.tables.iter().map(|t| t.rows_written + t.deleted).sum()
    }
}
