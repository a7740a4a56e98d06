//! seeder: validated, transactional, idempotent persona deployment.

pub mod migrate;
