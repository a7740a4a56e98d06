//! codegen: live schema -> snapshot -> typed Rust.
//!
//! Stages, one module each: `introspect` (catalog -> [`model::Snapshot`]), `checks` (CHECK text ->
//! meaning), `emit` (snapshot -> Rust sources), `diff` (snapshot vs snapshot); `connect` (TLS,
//! poolers, retries: shared with the seeder).

pub mod checks;
pub mod connect;
pub mod diff;
pub mod emit;
pub mod fsutil;
pub mod introspect;
pub mod model;
pub mod nodelay;
pub mod sql;
