//! codegen: schema snapshot -> typed Rust.
//!
//! `emit` (snapshot -> the source files of a generated crate, deterministic) and `fsutil`
//! (writing only what changed, atomically). Reading the schema is the `schema` crate's job,
//! connecting the `pg` crate's.

pub mod emit;
pub mod fsutil;
