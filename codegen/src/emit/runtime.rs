//! `runtime.rs` of the generated crate: a re-export of the `schema-runtime` crate, so that the
//! generated modules name its items as `crate::runtime::...` and the support code is compiled
//! once, as an ordinary crate, not copied into every generated crate. A generated crate depends
//! on `schema-runtime` in its Cargo.toml.

use quote::quote;

use super::syntax;

pub fn render(content_hash: &str) -> anyhow::Result<String> {
    let docs = syntax::inner_docs(&[
        "",
        "The support code generated items use: SQL values, JSON readers, metadata types.",
    ]);
    syntax::render(
        content_hash,
        quote! {
            #docs
            pub use schema_runtime::*;
        },
    )
}
