//! CSV input: one file per table, assembled into the same rows as a JSON or YAML document.
//!
//! - The file is named after its section: `personas.csv`, `functions.csv`, `pain_points.csv`,
//!   `case_study_investments.csv` (the names a YAML document uses).
//! - A row of a nested table names its root row by slug in the column named after the root
//!   section in the singular (`persona`). A row below another nested row (a grandchild) also
//!   names its parent row by `parent_ref`, matching the `ref` column of a row of the parent's file
//!   for the same persona (`ref` is any text, unique per persona in that file).
//! - An empty cell means "not given" (the column's default, or NULL).
//! - Lists (`text[]`) and JSON (`jsonb`) cells are JSON: `["a", "b"]`, `{"k": "v"}`.
//! - Numbers are written as numbers, booleans as `true` / `false`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use generated::{ColumnMeta, TableMeta};

use crate::document::{RowInput, read_row};
use crate::problem::{Problem, did_you_mean};
use crate::source::{Entry, Node, Pos, Value};
use crate::vocabulary::vocabulary;

/// Column that points a nested row at its parent row of another file.
pub const PARENT_REF: &str = "parent_ref";
/// Column that names a row for its children's `parent_ref`.
pub const REF: &str = "ref";

struct CsvRow {
    file: Arc<PathBuf>,
    table: &'static TableMeta,
    root_slug: Option<(String, Pos)>,
    parent_ref: Option<(String, Pos)>,
    own_ref: Option<String>,
    row: RowInput,
}

/// Reads a set of CSV files (of one data set) into root rows with their nested rows.
pub fn read_csv_set(files: &[PathBuf], problems: &mut Vec<Problem>) -> Vec<RowInput> {
    let mut rows: Vec<CsvRow> = vec![];
    for path in files {
        read_file(path, &mut rows, problems);
    }
    assemble(rows, problems)
}

fn section_table(stem: &str) -> Option<(&'static TableMeta, bool)> {
    let v = vocabulary();
    if let Some(root) = v.root(stem) {
        return Some((root.table, true));
    }
    v.children
        .values()
        .flatten()
        .find(|s| s.keys.first().is_some_and(|k| k == stem))
        .map(|s| (s.table, false))
}

fn read_file(path: &Path, out: &mut Vec<CsvRow>, problems: &mut Vec<Problem>) {
    let file = Arc::new(path.to_path_buf());
    let problem = |pos: Option<Pos>, message: String| Problem {
        file: file.clone(),
        pos,
        path: String::new(),
        value: None,
        message,
    };
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let Some((table, is_root)) = section_table(stem) else {
        let v = vocabulary();
        let names: Vec<&str> = v
            .roots
            .iter()
            .map(|r| r.key.as_str())
            .chain(
                v.children
                    .values()
                    .flatten()
                    .filter_map(|s| s.keys.first().map(String::as_str)),
            )
            .collect();
        let hint = did_you_mean(stem, names.iter().copied());
        problems.push(problem(None, format!("a CSV file is named after its section (personas.csv, pain_points.csv, ...); '{stem}' is none{hint}")));
        return;
    };
    let mut reader = match csv::ReaderBuilder::new().flexible(false).from_path(path) {
        Ok(r) => r,
        Err(e) => {
            problems.push(problem(None, format!("cannot read: {e}")));
            return;
        }
    };
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            problems.push(problem(
                Some(Pos { line: 1, col: 1 }),
                format!("not valid CSV: {e}"),
            ));
            return;
        }
    };
    let root_key = root_column_name(table);
    for (index, record) in reader.records().enumerate() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                problems.push(problem(
                    Some(Pos { line, col: 1 }),
                    format!("not valid CSV: {e}"),
                ));
                continue;
            }
        };
        let line = record.position().map_or(index + 2, |p| p.line() as usize);
        let mut entries = vec![];
        let (mut root_slug, mut parent_ref, mut own_ref) = (None, None, None);
        for (col, (header, cell)) in headers.iter().zip(record.iter()).enumerate() {
            let pos = Pos { line, col: col + 1 };
            if cell.is_empty() {
                continue;
            }
            if !is_root && Some(header) == root_key.as_deref() {
                root_slug = Some((cell.to_string(), pos));
                continue;
            }
            if header == PARENT_REF {
                parent_ref = Some((cell.to_string(), pos));
                continue;
            }
            if header == REF {
                own_ref = Some(cell.to_string());
                continue;
            }
            let column = table.columns.iter().find(|c| c.name == header);
            let value = match column.map(|c| cell_value(c, cell)) {
                Some(Ok(v)) => v,
                Some(Err(message)) => {
                    problems.push(Problem {
                        file: file.clone(),
                        pos: Some(pos),
                        path: format!("{stem}[{index}].{header}"),
                        value: Some(format!("'{cell}'")),
                        message,
                    });
                    continue;
                }
                None => Value::Str(cell.to_string()),
            };
            entries.push(Entry {
                key: header.to_string(),
                key_pos: pos,
                node: Node::new(value, pos),
            });
        }
        let node = Node::new(Value::Map(entries), Pos { line, col: 1 });
        let path = format!("{stem}[{index}]");
        if !is_root && root_slug.is_none() {
            problems.push(Problem {
                file: file.clone(),
                pos: Some(Pos { line, col: 1 }),
                path: path.clone(),
                value: None,
                message: format!(
                    "a row of {stem}.csv names its {} by slug in column '{}'",
                    root_key.as_deref().unwrap_or("root"),
                    root_key.as_deref().unwrap_or("")
                ),
            });
            continue;
        }
        if let Some(row) = read_row(&file, table, &path, node, problems) {
            out.push(CsvRow {
                file: file.clone(),
                table,
                root_slug,
                parent_ref,
                own_ref,
                row,
            });
        }
    }
}

/// `persona` for rows below `personas`: the root section's name in the singular.
pub fn root_column_name(table: &TableMeta) -> Option<String> {
    let mut current = table;
    while let Some(link) = &current.parent {
        current = generated::table(link.table)?;
    }
    let root = vocabulary().root_of_table(current.name)?;
    Some(root.key.strip_suffix('s').unwrap_or(&root.key).to_string())
}

/// A cell as the value the column expects.
fn cell_value(column: &ColumnMeta, cell: &str) -> Result<Value, String> {
    let sql = column.sql_type;
    let json = |what: &str| {
        serde_json::from_str::<serde_json::Value>(cell)
            .map(json_to_value)
            .map_err(|e| {
                format!(
                    "{} is {what}, written as JSON in a CSV cell ({e})",
                    column.name
                )
            })
    };
    if sql.ends_with("[]") {
        return json("a list: [\"a\", \"b\"]");
    }
    match sql {
        "json" | "jsonb" => json("JSON"),
        "integer" | "smallint" | "bigint" => cell
            .trim()
            .parse::<i64>()
            .map(Value::Int)
            .map_err(|_| format!("{} is an integer ({sql})", column.name)),
        "boolean" => match cell.trim() {
            "true" | "TRUE" | "t" => Ok(Value::Bool(true)),
            "false" | "FALSE" | "f" => Ok(Value::Bool(false)),
            _ => Err(format!("{} is a boolean: true or false", column.name)),
        },
        "double precision" | "real" => crate::source::exact_number(cell.trim())
            .ok_or_else(|| format!("{} is a number ({sql})", column.name)),
        _ => Ok(Value::Str(cell.to_string())),
    }
}

fn json_to_value(json: serde_json::Value) -> Value {
    use serde_json::Value as J;
    let pos = Pos::default();
    match json {
        J::Null => Value::Null,
        J::Bool(b) => Value::Bool(b),
        J::Number(n) => n
            .as_i64()
            .map_or_else(|| Value::Number(n.to_string()), Value::Int),
        J::String(s) => Value::Str(s),
        J::Array(items) => Value::Seq(
            items
                .into_iter()
                .map(|i| Node::new(json_to_value(i), pos))
                .collect(),
        ),
        J::Object(map) => Value::Map(
            map.into_iter()
                .map(|(k, v)| Entry {
                    key: k,
                    key_pos: pos,
                    node: Node::new(json_to_value(v), pos),
                })
                .collect(),
        ),
    }
}

/// Hangs every nested row below its parent: roots by slug, deeper rows by `parent_ref`.
fn assemble(rows: Vec<CsvRow>, problems: &mut Vec<Problem>) -> Vec<RowInput> {
    // Deepest tables first, so a row is complete before it is moved into its parent.
    let depth = |t: &TableMeta| {
        let mut d = 0;
        let mut p = t.parent.as_ref();
        while let Some(link) = p {
            d += 1;
            p = generated::table(link.table).and_then(|t| t.parent.as_ref());
        }
        d
    };
    let mut rows = rows;
    rows.sort_by_key(|r| std::cmp::Reverse(depth(r.table)));
    let max_depth = rows.first().map_or(0, |r| depth(r.table));
    let mut pending: Vec<CsvRow> = rows;
    for level in (1..=max_depth).rev() {
        let (movers, mut rest): (Vec<CsvRow>, Vec<CsvRow>) =
            pending.into_iter().partition(|r| depth(r.table) == level);
        // Index of possible parents: (table, root slug, ref) and roots by (table, slug).
        let mut by_ref: HashMap<(&str, String, String), usize> = HashMap::new();
        let mut by_slug: HashMap<(&str, String), usize> = HashMap::new();
        for (i, r) in rest.iter().enumerate() {
            if let (Some(slug), Some(own)) = (&r.root_slug, &r.own_ref) {
                let key = (r.table.name, slug.0.clone(), own.clone());
                if let Some(&first) = by_ref.get(&key) {
                    // Children naming this ref could belong to either row: refused, not guessed.
                    problems.push(Problem {
                        file: r.file.clone(),
                        pos: Some(r.row.pos),
                        path: r.row.path.clone(),
                        value: Some(format!("'{own}'")),
                        message: format!(
                            "ref '{own}' is given twice for persona '{}' (first at line {} of {}): \
                             a '{REF}' names one row of its file per persona",
                            slug.0,
                            rest[first].row.pos.line,
                            rest[first].file.display()
                        ),
                    });
                    continue;
                }
                by_ref.insert(key, i);
            }
            if let (None, Some(slug)) = (&r.table.parent, r.row.slug()) {
                by_slug.insert((r.table.name, slug.to_string()), i);
            }
        }
        for m in movers {
            let link = m.table.parent.as_ref().expect("nested");
            let (slug, slug_pos) = m.root_slug.clone().expect("checked on read");
            let target = if level == 1 {
                by_slug.get(&(link.table, slug.clone())).copied()
            } else {
                match &m.parent_ref {
                    Some((r, _)) => by_ref.get(&(link.table, slug.clone(), r.clone())).copied(),
                    None => {
                        problems.push(Problem {
                            file: m.file.clone(),
                            pos: Some(m.row.pos),
                            path: m.row.path.clone(),
                            value: None,
                            message: format!("a row of {} names its {} row in column '{PARENT_REF}' (the parent's '{REF}')", m.table.name, link.table),
                        });
                        continue;
                    }
                }
            };
            match target {
                Some(i) => {
                    let parent = &mut rest[i];
                    let mut row = m.row;
                    row.path = format!("{}.{}", parent.row.path, row.path);
                    parent.row.children.push(row);
                }
                None => problems.push(Problem {
                    file: m.file.clone(),
                    pos: Some(m.parent_ref.as_ref().map_or(slug_pos, |p| p.1)),
                    path: m.row.path.clone(),
                    value: Some(format!(
                        "'{}'",
                        m.parent_ref.as_ref().map_or(&slug, |p| &p.0)
                    )),
                    message: format!(
                        "no {} row with that {} in the CSV files given",
                        link.table,
                        if level == 1 {
                            crate::columns::SLUG
                        } else {
                            REF
                        }
                    ),
                }),
            }
        }
        pending = rest;
    }
    pending.into_iter().map(|r| r.row).collect()
}
