//! A deploy's report (rows before, written and after, per table): written by the seeder's
//! deploy, read by the profile report, so it lives in a leaf of its own.

use serde::Serialize;
use uuid::Uuid;

#[derive(Clone, Debug, Default, Serialize)]
pub struct TableOutcome {
    pub table: &'static str,
    pub rows_before: i64,
    pub rows_written: u64,
    pub rows_after: i64,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct DeployReport {
    pub tenant_id: Uuid,
    pub dry_run: bool,
    pub roots_created: usize,
    pub roots_updated: usize,
    pub tables: Vec<TableOutcome>,
}

impl DeployReport {
    pub fn rows_written(&self) -> u64 {
        self.tables.iter().map(|t| t.rows_written).sum()
    }
}
