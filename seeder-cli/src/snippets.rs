//! Problems shown with their source line and a marker under the value (annotate-snippets),
//! below the one-line form (`file:line:col: path: value: message`) that scripts read.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use annotate_snippets::{Level, Renderer, Snippet};
use seeder::run::InvalidInput;

/// Problems shown with their source (the first ones; the rest as lines only).
const WITH_SOURCE: usize = 20;

/// The byte range of the value starting at `col` (1-based characters) of `line`.
fn value_span(line: &str, col: usize) -> std::ops::Range<usize> {
    let start = line
        .char_indices()
        .nth(col.saturating_sub(1))
        .map_or(line.len(), |(i, _)| i);
    let rest = &line[start..];
    let len = if let Some(quoted) = rest.strip_prefix('"') {
        let mut escaped = false;
        let mut end = rest.len();
        for (i, c) in quoted.char_indices() {
            match (c, escaped) {
                ('\\', false) => escaped = true,
                ('"', false) => {
                    end = i + 2;
                    break;
                }
                _ => escaped = false,
            }
        }
        end
    } else {
        let mut end = rest.find([',', '}', ']', '#']).unwrap_or(rest.len());
        // A key: up to its colon.
        if let Some(colon) = rest.find(": ").or(rest.strip_suffix(':').map(str::len)) {
            end = end.min(colon);
        }
        let token = &rest[..end];
        token.trim_end().len().max(1)
    };
    start..(start + len).min(line.len()).max(start)
}

/// Input problems: the one-line forms, then the first ones with their source.
pub fn render(invalid: &InvalidInput) -> String {
    let items: Vec<Item<'_>> = invalid
        .0
        .iter()
        .map(|p| Item {
            file: p.file.as_path(),
            pos: p.pos,
            path: &p.path,
            message: &p.message,
        })
        .collect();
    invalid.to_string() + &snippets(&items)
}

/// Profile problems likewise, at their lines of the profile file.
pub fn render_profile(errors: &seeder::profile::ProfileErrors) -> String {
    let items: Vec<Item<'_>> = errors
        .0
        .iter()
        .map(|p| Item {
            file: p.file.as_path(),
            pos: p.pos,
            path: "",
            message: &p.message,
        })
        .collect();
    format!("error: {errors}") + &snippets(&items)
}

struct Item<'a> {
    file: &'a std::path::Path,
    pos: Option<seeder::source::Pos>,
    path: &'a str,
    message: &'a str,
}

fn snippets(items: &[Item<'_>]) -> String {
    let mut out = String::new();
    let mut sources: HashMap<PathBuf, Option<String>> = HashMap::new();
    let renderer = Renderer::plain();
    let mut shown = 0;
    for p in items {
        let Some(pos) = p.pos else { continue };
        if shown == WITH_SOURCE {
            let _ = writeln!(
                out,
                "(source lines shown for the first {WITH_SOURCE} problems)"
            );
            break;
        }
        let text = sources
            .entry(p.file.to_path_buf())
            .or_insert_with(|| std::fs::read_to_string(p.file).ok());
        let Some(line) = text
            .as_deref()
            .and_then(|t| t.lines().nth(pos.line.saturating_sub(1)))
        else {
            continue;
        };
        shown += 1;
        // The renderer adds the line and column to the origin.
        let origin = p.file.display().to_string();
        let span = value_span(line, pos.col);
        let title = if p.path.is_empty() {
            p.message.to_string()
        } else {
            format!("{}: {}", p.path, p.message)
        };
        let message = Level::Error.title(&title).snippet(
            Snippet::source(line)
                .line_start(pos.line)
                .origin(&origin)
                .annotation(Level::Error.span(span).label("here")),
        );
        let _ = writeln!(out, "{}", renderer.render(message));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_marker_covers_the_value() {
        let line = r#"      "severity": "extreme", "x": 1"#;
        let col = line.find("\"extreme").unwrap() + 1;
        assert_eq!(&line[value_span(line, col)], "\"extreme\"");
        let yaml = "    severity: extreme  # a comment";
        assert_eq!(&yaml[value_span(yaml, 15)], "extreme");
        assert_eq!(&yaml[value_span(yaml, 5)], "severity");
    }
}
