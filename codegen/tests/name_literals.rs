//! Hand-written code names tables and columns only through generated items
//! (`generated::<table>::META`, `generated::<table>::columns::<COLUMN>`), so that a migration
//! that drops or renames one is a compile error where it is used. This test reads the sources of
//! the seeder (library and binary) and of the documents crate (its readers and validation) and fails on any string
//! literal equal to a table or column name of the snapshot.
//!
//! What is not code that names the schema, by rule:
//! - attributes (doc comments, `#[serde(..)]`, `#[arg(..)]`): text for readers and formats;
//! - `#[cfg(test)]` items: unit tests build their own fixtures;
//! - keys written into a JSON object (`json!({"description": ..})`, `map.insert("title".into(),
//!   ..)`): the JSON Schema vocabulary the templates write, which is not the database's.
//!
//! User-facing messages never match: a literal is flagged only when it is a name exactly.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use proc_macro2::{Delimiter, TokenStream, TokenTree};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn schema_names() -> BTreeSet<String> {
    let text = std::fs::read_to_string(workspace().join("schema_snapshots/vital.json")).unwrap();
    let snapshot = schema::introspect::from_json(&text).expect("reading the snapshot");
    let mut names = BTreeSet::new();
    for table in &snapshot.tables {
        names.insert(table.name.clone());
        for column in &table.columns {
            names.insert(column.name.clone());
        }
    }
    names
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The value of a plain or raw string literal token, `None` for any other literal.
fn string_value(literal: &str) -> Option<String> {
    if let Some(rest) = literal.strip_prefix('r') {
        let hashes = rest.len() - rest.trim_start_matches('#').len();
        let body = &rest[hashes..];
        return Some(body.get(1..body.len() - 1 - hashes)?.to_owned());
    }
    let body = literal.strip_prefix('"')?.strip_suffix('"')?;
    // Names have no escapes; an escaped literal is never one.
    (!body.contains('\\')).then(|| body.to_owned())
}

fn is_cfg_test(attribute: &TokenStream) -> bool {
    let text = attribute.to_string().replace(' ', "");
    text.starts_with("cfg(test") || text.starts_with("cfg(all(test")
}

/// Literals equal to a schema name, with their line, skipping what the rules above exclude.
fn scan(
    tokens: TokenStream,
    in_json: bool,
    names: &BTreeSet<String>,
    hits: &mut Vec<(usize, String)>,
) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut i = 0;
    let mut skip_next_item = false;
    while i < tokens.len() {
        match &tokens[i] {
            TokenTree::Punct(p) if p.as_char() == '#' => {
                // `#[..]` or `#![..]`: an attribute, skipped; `#[cfg(test)]` skips its item.
                let mut j = i + 1;
                if matches!(tokens.get(j), Some(TokenTree::Punct(p)) if p.as_char() == '!') {
                    j += 1;
                }
                if let Some(TokenTree::Group(g)) = tokens.get(j)
                    && g.delimiter() == Delimiter::Bracket
                {
                    skip_next_item |= is_cfg_test(&g.stream());
                    i = j + 1;
                    continue;
                }
            }
            TokenTree::Ident(ident) if skip_next_item => {
                // The item runs to its body (a brace group) or to a `;`.
                let _ = ident;
                let mut j = i;
                while j < tokens.len() {
                    match &tokens[j] {
                        TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => break,
                        TokenTree::Punct(p) if p.as_char() == ';' => break,
                        _ => j += 1,
                    }
                }
                skip_next_item = false;
                i = j + 1;
                continue;
            }
            TokenTree::Ident(ident) if *ident == "json" => {
                let bang =
                    matches!(tokens.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == '!');
                if bang && let Some(TokenTree::Group(g)) = tokens.get(i + 2) {
                    scan(g.stream(), true, names, hits);
                    i += 3;
                    continue;
                }
            }
            TokenTree::Ident(ident) if *ident == "insert" => {
                // `insert("key".into(), value)`: the literal is a JSON object's key.
                if let Some(TokenTree::Group(g)) = tokens.get(i + 1)
                    && g.delimiter() == Delimiter::Parenthesis
                {
                    let args: Vec<TokenTree> = g.stream().into_iter().collect();
                    let keyed = matches!(
                        (args.first(), args.get(1), args.get(2)),
                        (Some(TokenTree::Literal(_)), Some(TokenTree::Punct(p)), Some(TokenTree::Ident(into)))
                            if p.as_char() == '.' && *into == "into"
                    );
                    let rest: TokenStream =
                        args.into_iter().skip(if keyed { 1 } else { 0 }).collect();
                    scan(rest, in_json, names, hits);
                    i += 2;
                    continue;
                }
            }
            TokenTree::Group(g) => scan(g.stream(), in_json, names, hits),
            TokenTree::Literal(literal) => {
                let is_key = in_json
                    && matches!(tokens.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == ':');
                if !is_key
                    && let Some(value) = string_value(&literal.to_string())
                    && names.contains(&value)
                {
                    hits.push((literal.span().start().line, value));
                }
            }
            _ => {}
        }
        i += 1;
    }
}

#[test]
fn hand_written_seeder_code_names_no_table_or_column_in_a_string() {
    let names = schema_names();
    let mut files = vec![workspace().join("seeder/build.rs")];
    for dir in ["seeder/src", "seeder-cli/src", "documents/src"] {
        rust_files(&workspace().join(dir), &mut files);
    }
    files.sort();
    let mut found = vec![];
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let tokens = TokenStream::from_str(&text).expect("the seeder's sources tokenize");
        let mut hits = vec![];
        scan(tokens, false, &names, &mut hits);
        let shown = file
            .strip_prefix(workspace())
            .unwrap()
            .display()
            .to_string();
        found.extend(
            hits.into_iter()
                .map(|(line, name)| format!("{shown}:{line}: \"{name}\"")),
        );
    }
    println!(
        "{} string literals equal to a table or column name in {} files",
        found.len(),
        files.len()
    );
    assert!(
        found.is_empty(),
        "name tables and columns through generated::<table>::META and \
         generated::<table>::columns::<COLUMN> instead:\n{}",
        found.join("\n")
    );
}
