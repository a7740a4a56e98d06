//! Deterministic synthetic documents that fill every persona table (grandchildren included)
//! with values that satisfy every CHECK, range, precision and unique key the metadata knows.
//! Everything is derived from `generated::TABLES` and the document vocabulary: a new table in a
//! migration is filled after `make regen` with no change here.
//!
//! Used by the property test (any seed validates and deploys without a constraint error: our
//! reading of the schema checked against PostgreSQL's own), the benchmarks and the reliability
//! tests.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use generated::{Allowed, ColumnMeta, RangeBound, TableMeta};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde_json::{Map, Value, json};

use crate::vocabulary::{ChildSection, RootSection, Vocabulary, vocabulary};

/// SplitMix64: small, fast, and the same sequence on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9e37_79b9_7f4a_7c15)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }
}

#[derive(Clone, Debug)]
pub struct SynthOptions {
    pub personas: usize,
    pub seed: u64,
    /// Function slugs to spread the personas over; empty: twelve synthetic functions.
    pub functions: Vec<String>,
}

/// The documents: one org document and one persona document per function, as JSON values.
pub struct Synthetic {
    pub org: Value,
    /// (function slug, document)
    pub personas: Vec<(String, Value)>,
}

pub fn synthesize(options: &SynthOptions) -> Synthetic {
    let v = vocabulary();
    let mut rng = Rng::new(options.seed);
    let functions: Vec<String> = if options.functions.is_empty() {
        (0..12).map(|i| format!("synth-function-{i:02}")).collect()
    } else {
        options.functions.clone()
    };
    let org_count = functions.len();

    // Roots that others reference by slug (the org tables): `org_count` rows each, row j
    // referencing row j of every other root, so a persona of function j meets department j and
    // role j.
    let referenced = |table: &str| {
        v.references
            .values()
            .flatten()
            .any(|r| r.target_table == table)
    };
    let mut org = Map::new();
    for root in v.roots.iter().filter(|r| referenced(r.table.name)) {
        let rows: Vec<Value> = (0..org_count)
            .map(|j| {
                let slug = if root.table.name == crate::columns::ORG_FUNCTIONS {
                    functions[j].clone()
                } else {
                    format!("synth-{}-{j:02}", root.key)
                };
                root_row(v, root, &slug, j, &mut rng, &|target, j| {
                    org_slug(v, target, j, &functions)
                })
            })
            .collect();
        org.insert(root.key.clone(), Value::Array(rows));
    }

    let mut per_function: Vec<Vec<Value>> = vec![vec![]; org_count];
    for root in v.roots.iter().filter(|r| !referenced(r.table.name)) {
        for n in 0..options.personas {
            let j = n % org_count;
            let slug = format!("synth-{}-{}-{n:05}", options.seed, root.table.name);
            let mut row = root_row(v, root, &slug, n, &mut rng, &|target, _| {
                org_slug(v, target, j, &functions)
            });
            add_children(v, root.table, &mut row, &mut rng);
            per_function[j].push(row);
        }
    }
    let personas_key = v
        .roots
        .iter()
        .find(|r| !referenced(r.table.name))
        .map_or(crate::columns::PERSONAS.to_string(), |r| r.key.clone());
    Synthetic {
        org: Value::Object(org),
        personas: functions
            .into_iter()
            .zip(per_function)
            .filter(|(_, rows)| !rows.is_empty())
            .map(|(f, rows)| (f, json!({ personas_key.clone(): rows })))
            .collect(),
    }
}

/// What [`revise`] changed: rows a diff-only re-run has to write, and no other.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Revision {
    pub personas: usize,
    pub updated: usize,
    pub inserted: usize,
    pub deleted: usize,
}

/// Changes every `every`-th persona as a later capture would: a text field of two rows of one
/// child list edited, a row added to that list, the last row of another list removed (lists of
/// rows with no children and no UNIQUE key of their own, so that each change is one row).
pub fn revise(synthetic: &mut Synthetic, every: usize) -> Revision {
    let v = vocabulary();
    let Some(root) = v.roots.iter().find(|r| r.key == crate::columns::PERSONAS) else {
        return Revision::default();
    };
    let sections: Vec<(&ChildSection, &'static str)> = v
        .child_sections(root.table.name)
        .iter()
        .filter(|s| {
            !s.one_per_parent
                && s.unique_within_parent.is_empty()
                && v.child_sections(s.table.name).is_empty()
        })
        .filter_map(|s| {
            let text = s.table.columns.iter().find(|c| {
                c.sql_type == "text" && c.allowed == Allowed::Any && c.slug_ref.is_none()
            })?;
            Some((s, text.name))
        })
        .collect();
    let mut revision = Revision::default();
    let mut n = 0;
    for (_, doc) in &mut synthetic.personas {
        let Some(Value::Array(personas)) = doc.get_mut(crate::columns::PERSONAS) else {
            continue;
        };
        for persona in personas {
            n += 1;
            if (n - 1) % every != 0 {
                continue;
            }
            let Some(fields) = persona.as_object_mut() else {
                continue;
            };
            let list_of = |fields: &Map<String, Value>, s: &ChildSection| {
                [s.keys[0].as_str(), s.table.name]
                    .into_iter()
                    .find(|k| {
                        fields
                            .get(*k)
                            .and_then(Value::as_array)
                            .is_some_and(|a| a.len() >= 2)
                    })
                    .map(str::to_string)
            };
            let mut lists = sections
                .iter()
                .filter_map(|(s, text)| Some((list_of(fields, s)?, *text)));
            let (Some((edited, text)), Some((shortened, _))) = (lists.next(), lists.next()) else {
                continue;
            };
            let rows = fields[&edited].as_array_mut().expect("a list");
            let mut changed = 0;
            for row in rows.iter_mut().take(2) {
                if let Some(Value::String(value)) = row.get_mut(text) {
                    value.push_str(" (revised)");
                    changed += 1;
                }
            }
            let added = rows[0].clone();
            rows.push(added);
            fields[&shortened].as_array_mut().expect("a list").pop();
            revision.personas += 1;
            revision.updated += changed;
            revision.inserted += 1;
            revision.deleted += 1;
        }
    }
    revision
}

/// Personas per file at most: the size of a function's capture file in practice, and what
/// bounds a deploy's memory (a file is read whole; see `stream`).
pub const PERSONAS_PER_FILE: usize = 50;

/// Writes the documents as JSON files into `dir`: `org.json`, and per function
/// `personas-<function>.json`, split into `-part-NNN` files of [`PERSONAS_PER_FILE`] personas
/// when it holds more. Returns the paths.
pub fn write(synthetic: &Synthetic, dir: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut paths = vec![];
    let org = dir.join("org.json");
    std::fs::write(&org, serde_json::to_string_pretty(&synthetic.org)?)?;
    paths.push(org);
    for (function, doc) in &synthetic.personas {
        let Some((key, Value::Array(personas))) = doc.as_object().and_then(|o| o.iter().next())
        else {
            continue;
        };
        let parts: Vec<&[Value]> = personas.chunks(PERSONAS_PER_FILE).collect();
        for (i, part) in parts.iter().enumerate() {
            let name = if parts.len() == 1 {
                format!("personas-{function}.json")
            } else {
                format!("personas-{function}-part-{:03}.json", i + 1)
            };
            let path = dir.join(name);
            std::fs::write(&path, serde_json::to_string(&json!({ key: part }))?)?;
            paths.push(path);
        }
    }
    Ok(paths)
}

fn org_slug(v: &Vocabulary, target: &str, j: usize, functions: &[String]) -> Option<String> {
    let root = v.root_of_table(target)?;
    Some(if target == crate::columns::ORG_FUNCTIONS {
        functions[j % functions.len()].clone()
    } else {
        format!("synth-{}-{:02}", root.key, j % functions.len())
    })
}

fn root_row(
    v: &Vocabulary,
    root: &RootSection,
    slug: &str,
    index: usize,
    rng: &mut Rng,
    reference: &dyn Fn(&str, usize) -> Option<String>,
) -> Value {
    let table = root.table;
    let mut row = Map::new();
    row.insert(root.slug_column.to_string(), json!(slug));
    // References by slug (not to the own table: no hierarchy in synthetic data).
    let mut done: Vec<&str> = vec![root.slug_column];
    for r in v.references(table.name) {
        if r.target_table == table.name || done.contains(&r.column.name) {
            continue;
        }
        // Prefer the key that also sets a slug column (role_slug), else the plain one.
        let key = r.also_sets.map_or_else(|| r.key.clone(), str::to_string);
        if let Some(target_slug) = reference(r.target_table, index) {
            row.insert(key.clone(), json!(target_slug));
        }
        done.push(r.column.name);
        if let Some(also) = r.also_sets {
            done.push(also);
        }
    }
    // Other unique keys of the root (org_functions: UNIQUE (tenant_id, name)) differ by index.
    let unique: Vec<&str> = table
        .unique_keys
        .iter()
        .flat_map(|k| k.iter().copied())
        .filter(|c| *c != root.tenant_column && *c != root.slug_column)
        .collect();
    fill_columns(v, table, &mut row, index, &unique, rng, &done);
    Value::Object(row)
}

/// Every insertable column the document may give, with a value its CHECKs accept.
fn fill_columns(
    v: &Vocabulary,
    table: &TableMeta,
    row: &mut Map<String, Value>,
    index: usize,
    unique_columns: &[&str],
    rng: &mut Rng,
    skip: &[&str],
) {
    for column in table.columns {
        if !column.insertable
            || v.is_loader_column(table, column.name)
            || skip.contains(&column.name)
        {
            continue;
        }
        // A column that is also a child section's key is written as rows, not as a value.
        if v.child_section(table.name, column.name).is_some()
            && !column.sql_type.ends_with("[]")
            && column.sql_type != "jsonb"
        {
            continue;
        }
        let unique = unique_columns.contains(&column.name);
        if let Some(value) = column_value(column, index, unique, rng) {
            row.insert(column.name.to_string(), value);
        }
    }
}

fn add_children(v: &Vocabulary, table: &TableMeta, row: &mut Value, rng: &mut Rng) {
    for section in v.child_sections(table.name) {
        let unique: Vec<&str> = section
            .unique_within_parent
            .iter()
            .flatten()
            .copied()
            .collect();
        // As many rows as the tightest value list of a unique key allows.
        let cap = section
            .unique_within_parent
            .iter()
            .flatten()
            .filter_map(|c| section.table.column(c))
            .filter_map(|c| match c.allowed {
                Allowed::Values(values) => Some(values.len()),
                _ => None,
            })
            .min()
            .unwrap_or(usize::MAX);
        let count = if section.one_per_parent {
            1
        } else {
            (1 + rng.below(3)).min(cap)
        };
        let rows: Vec<Value> = (0..count)
            .map(|i| {
                let mut child = Map::new();
                fill_columns(v, section.table, &mut child, i, &unique, rng, &[]);
                let mut child = Value::Object(child);
                add_children(v, section.table, &mut child, rng);
                child
            })
            .collect();
        let key = section.keys[0].clone();
        // `tags` / `metadata` are also persona columns: name the section unambiguously.
        let key = if table.columns.iter().any(|c| c.name == key) {
            section.table.name.to_string()
        } else {
            key
        };
        row[key] = Value::Array(rows);
    }
}

/// A value of `column` its CHECKs accept; `unique` values differ by `index`.
fn column_value(column: &ColumnMeta, index: usize, unique: bool, rng: &mut Rng) -> Option<Value> {
    let pick = |len: usize, rng: &mut Rng| if unique { index % len } else { rng.below(len) };
    match column.allowed {
        Allowed::Values(values) if !values.is_empty() => {
            let v = values[pick(values.len(), rng)];
            return Some(if column.sql_type.ends_with("[]") {
                json!([v])
            } else {
                json!(v)
            });
        }
        Allowed::ElementValues(values) if !values.is_empty() => {
            let n = 1 + rng.below(values.len().min(3));
            let start = rng.below(values.len());
            let items: Vec<&str> = (0..n).map(|k| values[(start + k) % values.len()]).collect();
            return Some(json!(items));
        }
        Allowed::Range { min, max } => return Some(number_in(column, min, max, None, index, rng)),
        Allowed::Precision {
            precision,
            scale,
            min,
            max,
        } => {
            return Some(number_in(
                column,
                min,
                max,
                Some((precision, scale)),
                index,
                rng,
            ));
        }
        _ => {}
    }
    let sql = column.sql_type;
    let n = rng.below(1000);
    Some(match sql {
        s if s.ends_with("[]") && (s.starts_with("text") || s.starts_with("character")) => {
            json!([
                format!("{} item {n}", column.name),
                format!("{} item {}", column.name, n + 1)
            ])
        }
        "text" => json!(format!(
            "Synthetic {} {index}-{n}",
            column.name.replace('_', " ")
        )),
        s if s.starts_with("character varying") || s.starts_with("character") => {
            let limit = s
                .split(['(', ')'])
                .nth(1)
                .and_then(|d| d.parse::<usize>().ok())
                .unwrap_or(20);
            json!(
                format!("s{index}{n}")
                    .chars()
                    .take(limit)
                    .collect::<String>()
            )
        }
        "integer" | "smallint" | "bigint" => json!(if unique {
            index as i64
        } else {
            (n % 50) as i64
        }),
        "numeric" | "double precision" | "real" => json!(format!("{}.5", n % 100)),
        "boolean" => json!(n.is_multiple_of(2)),
        "date" => json!(format!("2025-{:02}-{:02}", 1 + n % 12, 1 + n % 28)),
        "time without time zone" | "time" => json!(format!("{:02}:{:02}:00", 7 + n % 10, n % 60)),
        "timestamp with time zone" => json!(format!(
            "2025-{:02}-{:02}T09:30:00Z",
            1 + n % 12,
            1 + n % 28
        )),
        "jsonb" | "json" => json!({ "source": "synth", "n": n }),
        _ => return None,
    })
}

/// A number strictly inside the bounds, within numeric(precision, scale) when given.
fn number_in(
    column: &ColumnMeta,
    min: Option<RangeBound>,
    max: Option<RangeBound>,
    precision: Option<(u32, u32)>,
    index: usize,
    rng: &mut Rng,
) -> Value {
    let integer = matches!(column.sql_type, "integer" | "smallint" | "bigint");
    let dec = |b: &RangeBound| b.value.parse::<Decimal>().ok();
    let mut lo = min.as_ref().and_then(dec);
    let mut hi = max.as_ref().and_then(dec);
    if let Some((p, s)) = precision {
        let limit = Decimal::from(10i64.pow(p.saturating_sub(s).min(18))) - Decimal::new(1, s);
        lo = Some(lo.map_or(-limit, |l| l.max(-limit)));
        hi = Some(hi.map_or(limit, |h| h.min(limit)));
    }
    let lo = lo.unwrap_or_else(|| {
        hi.map_or(Decimal::ZERO, |h| {
            (h - Decimal::from(100)).min(Decimal::ZERO)
        })
    });
    let hi = hi.unwrap_or(lo + Decimal::from(100));
    let lo_strict = min.as_ref().is_some_and(|b| !b.inclusive);
    let hi_strict = max.as_ref().is_some_and(|b| !b.inclusive);
    if integer {
        let mut a = lo.ceil().to_i128().unwrap_or(0);
        let mut b = hi.floor().to_i128().unwrap_or(a);
        if lo_strict && Decimal::from(a) == lo {
            a += 1;
        }
        if hi_strict && Decimal::from(b) == hi {
            b -= 1;
        }
        let span = (b - a).max(0) as usize + 1;
        return json!((a + (index + rng.below(span)) as i128 % span as i128) as i64);
    }
    let scale = precision.map_or(2, |(_, s)| s);
    // k/10 of the way: strictly inside for k in 1..=9, then rounded to the scale.
    let k = Decimal::from(1 + rng.below(9) as i64) / Decimal::from(10);
    let mut value = (lo + (hi - lo) * k).round_dp(scale);
    if value <= lo && lo_strict || value < lo {
        value = lo + Decimal::new(1, scale);
    }
    if value >= hi && hi_strict || value > hi {
        value = hi - Decimal::new(1, scale);
    }
    json!(value.normalize().to_string())
}
