//! Snapshot -> the source files of the `generated` crate.
//!
//! [`generate`] works in memory and is deterministic: the same snapshot gives the same bytes
//! (everything is iterated in snapshot or sorted order). [`write_changed`] puts the files on disk.
//!
//! Files (relative to `generated/src`): `lib.rs`, `runtime.rs` (a re-export of the
//! `schema-runtime` crate), `enums.rs`, `ids.rs`, `values.rs`, `metadata.rs`, `tables/mod.rs`
//! and `tables/<table>.rs`. Which Rust type each column gets is decided once, in `plan`.

mod decimal;
mod enums;
mod ids;
mod metadata;
pub mod names;
mod plan;
mod runtime;
mod syntax;
mod tables;
mod values;
mod write;

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::Context;
use proc_macro2::TokenStream;
use quote::quote;

use schema::model::Snapshot;
pub use write::write_changed;

/// The source files of the `generated` crate, by path relative to `generated/src`.
pub fn generate(snapshot: &Snapshot) -> anyhow::Result<BTreeMap<PathBuf, String>> {
    let plan = plan::build(snapshot);
    let hash = &snapshot.content_hash;
    let mut files = BTreeMap::new();
    let mut add = |path: String, body: TokenStream| -> anyhow::Result<()> {
        let text = syntax::render(hash, body).with_context(|| format!("rendering {path}"))?;
        files.insert(PathBuf::from(path), text);
        Ok(())
    };
    add("lib.rs".into(), lib_rs(&plan))?;
    add("enums.rs".into(), enums::emit(&plan))?;
    add("ids.rs".into(), ids::emit(&plan))?;
    add("values.rs".into(), values::emit(&plan))?;
    add("metadata.rs".into(), metadata::emit(&plan))?;
    add("tables/mod.rs".into(), tables::emit_mod(&plan))?;
    for table in &plan.tables {
        let body = tables::emit_table(&plan, table)
            .with_context(|| format!("table {}", table.table.name))?;
        add(format!("tables/{}.rs", table.module), body)?;
    }
    files.insert(PathBuf::from("runtime.rs"), runtime::render(hash)?);
    Ok(files)
}

/// `lib.rs`: the modules, and their items re-exported at the root.
///
/// Every module is `#[rustfmt::skip]`: the crate is a workspace member, and `cargo fmt --all`
/// would otherwise rewrite the prettyplease output, making the checked-in files differ from
/// what codegen generates. lib.rs itself is written the way rustfmt would leave it (uses in
/// alphabetical order).
fn lib_rs(plan: &plan::Plan<'_>) -> TokenStream {
    let docs = syntax::inner_docs(&[
        "",
        "Rust types for the tables of one schema snapshot: row and insert structs per table,",
        "enums for enum types and CHECK value lists, typed ids, validated numbers, and the",
        "metadata a loader walks. Regenerate with codegen; never edit by hand.",
    ]);
    // A glob re-export of a module with nothing in it would only draw a warning.
    let enums = (!plan.enums.is_empty()).then(|| quote! { pub use enums::*; });
    let ids = (!plan.ids.is_empty()).then(|| quote! { pub use ids::*; });
    let values = (!plan.values.is_empty()).then(|| quote! { pub use values::*; });
    let tables = (!plan.tables.is_empty()).then(|| quote! { pub use tables::*; });
    quote! {
        #docs
        #![forbid(unsafe_code)]

        #[rustfmt::skip]
        pub mod enums;
        #[rustfmt::skip]
        pub mod ids;
        #[rustfmt::skip]
        pub mod metadata;
        #[rustfmt::skip]
        pub mod runtime;
        #[rustfmt::skip]
        pub mod tables;
        #[rustfmt::skip]
        pub mod values;

        #enums
        #ids
        pub use metadata::{SCHEMA, SNAPSHOT_HASH, TABLES, table};
        pub use runtime::*;
        #tables
        #values
    }
}
