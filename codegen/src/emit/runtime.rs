//! `runtime.rs` of the generated crate: fixed support code, copied from
//! `templates/runtime.rs` (parsed and printed again, so it reads like the other files).

use quote::ToTokens;

use super::syntax;

/// Compiled into codegen as text; never built as part of codegen itself.
const TEMPLATE: &str = include_str!("templates/runtime.rs");

pub fn render(content_hash: &str) -> anyhow::Result<String> {
    let file = syn::parse_file(TEMPLATE)
        .map_err(|e| anyhow::anyhow!("templates/runtime.rs does not parse: {e}"))?;
    syntax::render(content_hash, file.to_token_stream())
}
