//! codegen: live schema -> snapshot -> typed Rust.
