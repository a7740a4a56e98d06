//! schema: the snapshot model of a PostgreSQL schema, and how it is read and compared.
//!
//! `model` (the deterministic JSON snapshot: tables, columns, types, CHECKs, enums, domains,
//! keys), `introspect` (catalog -> snapshot, its JSON and content hash), `checks` (CHECK text ->
//! meaning, through sqlparser; the `checks` feature), `diff` (snapshot vs snapshot: what a migration changed).
//! Everything that reads the schema depends on this crate; nothing here emits code.

#[cfg(feature = "checks")]
pub mod checks;
pub mod diff;
pub mod introspect;
pub mod model;
mod sql;
