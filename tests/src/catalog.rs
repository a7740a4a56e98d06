//! The catalog in the shape of `vital_live_schema_v5.json`: read from a live database the way
//! the platform's dump was taken, or loaded from the dump itself, and compared item by item.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result};
use serde::Deserialize;
use sqlx::PgPool;

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct Column {
    pub column_name: String,
    pub ordinal_position: i32,
    pub data_type: String,
    pub udt_name: String,
    pub character_maximum_length: Option<i32>,
    pub numeric_precision: Option<i32>,
    pub numeric_scale: Option<i32>,
    pub is_nullable: String,
    pub column_default: Option<String>,
}

/// One row of the columns query: table, then the fields of [`Column`] in order.
type ColumnRow = (
    String,
    String,
    i32,
    String,
    String,
    Option<i32>,
    Option<i32>,
    Option<i32>,
    String,
    Option<String>,
);

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct Constraint {
    pub constraint_name: String,
    pub constraint_def: String,
    pub table_name: String,
}

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct ForeignKey {
    pub constraint_name: String,
    pub table_name: String,
    pub column_name: String,
    pub foreign_table_name: String,
    pub foreign_column_name: String,
    pub update_rule: String,
    pub delete_rule: String,
}

/// The persona family's catalog, as the dump holds it.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct Catalog {
    pub tables: BTreeMap<String, Vec<Column>>,
    pub check_constraints: Vec<Constraint>,
    pub unique_constraints: Vec<Constraint>,
    pub foreign_keys: Vec<ForeignKey>,
    pub enum_types: BTreeMap<String, Vec<String>>,
}

impl Catalog {
    pub fn load_dump(path: &Path) -> Result<Catalog> {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
    }

    pub fn column_count(&self) -> usize {
        self.tables.values().map(Vec::len).sum()
    }

    /// Reads the persona family (`personas`, `persona_*`) of the `public` schema.
    pub async fn read_live(pool: &PgPool) -> Result<Catalog> {
        let columns: Vec<ColumnRow> = sqlx::query_as(
            "SELECT c.table_name::text, c.column_name::text, c.ordinal_position::int4,
                        c.data_type::text, c.udt_name::text, c.character_maximum_length::int4,
                        c.numeric_precision::int4, c.numeric_scale::int4, c.is_nullable::text,
                        c.column_default::text
                   FROM information_schema.columns c
                   JOIN information_schema.tables t
                     ON t.table_schema = c.table_schema AND t.table_name = c.table_name
                  WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
                    AND (c.table_name = 'personas' OR c.table_name LIKE 'persona\\_%')
                  ORDER BY c.table_name, c.ordinal_position",
        )
        .fetch_all(pool)
        .await?;
        let mut tables: BTreeMap<String, Vec<Column>> = BTreeMap::new();
        for (table, name, pos, data_type, udt, len, prec, scale, nullable, default) in columns {
            tables.entry(table).or_default().push(Column {
                column_name: name,
                ordinal_position: pos,
                data_type,
                udt_name: udt,
                character_maximum_length: len,
                numeric_precision: prec,
                numeric_scale: scale,
                is_nullable: nullable,
                column_default: default,
            });
        }
        let constraints = |kind: &'static str| {
            sqlx::query_as::<_, (String, String, String)>(
                "SELECT con.conname::text, pg_get_constraintdef(con.oid), rel.relname::text
                   FROM pg_constraint con
                   JOIN pg_class rel ON rel.oid = con.conrelid
                   JOIN pg_namespace n ON n.oid = rel.relnamespace
                  WHERE n.nspname = 'public' AND con.contype = $1::\"char\"
                    AND (rel.relname = 'personas' OR rel.relname LIKE 'persona\\_%')
                  ORDER BY rel.relname, con.conname",
            )
            .bind(kind)
            .fetch_all(pool)
        };
        let to_constraints = |rows: Vec<(String, String, String)>| {
            rows.into_iter()
                .map(|(constraint_name, constraint_def, table_name)| Constraint {
                    constraint_name,
                    constraint_def,
                    table_name,
                })
                .collect()
        };
        let check_constraints = to_constraints(constraints("c").await?);
        let unique_constraints = to_constraints(constraints("u").await?);
        let fks: Vec<(String, String, String, String, String, String, String)> = sqlx::query_as(
            "SELECT con.conname::text, rel.relname::text, a.attname::text,
                    frel.relname::text, fa.attname::text,
                    CASE con.confupdtype WHEN 'a' THEN 'NO ACTION' WHEN 'r' THEN 'RESTRICT'
                         WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' ELSE 'SET DEFAULT' END,
                    CASE con.confdeltype WHEN 'a' THEN 'NO ACTION' WHEN 'r' THEN 'RESTRICT'
                         WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' ELSE 'SET DEFAULT' END
               FROM pg_constraint con
               JOIN pg_class rel ON rel.oid = con.conrelid
               JOIN pg_namespace n ON n.oid = rel.relnamespace
               JOIN pg_class frel ON frel.oid = con.confrelid
               CROSS JOIN LATERAL unnest(con.conkey, con.confkey) AS k(col, fcol)
               JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.col
               JOIN pg_attribute fa ON fa.attrelid = con.confrelid AND fa.attnum = k.fcol
              WHERE n.nspname = 'public' AND con.contype = 'f'
                AND (rel.relname = 'personas' OR rel.relname LIKE 'persona\\_%')
              ORDER BY rel.relname, con.conname, a.attname",
        )
        .fetch_all(pool)
        .await?;
        let foreign_keys = fks
            .into_iter()
            .map(
                |(constraint_name, table_name, column_name, ft, fc, update_rule, delete_rule)| {
                    ForeignKey {
                        constraint_name,
                        table_name,
                        column_name,
                        foreign_table_name: ft,
                        foreign_column_name: fc,
                        update_rule,
                        delete_rule,
                    }
                },
            )
            .collect();
        let enum_rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT t.typname::text, e.enumlabel::text
               FROM pg_type t
               JOIN pg_enum e ON e.enumtypid = t.oid
               JOIN pg_namespace n ON n.oid = t.typnamespace
              WHERE n.nspname = 'public'
              ORDER BY t.typname, e.enumsortorder",
        )
        .fetch_all(pool)
        .await?;
        let mut enum_types: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (name, label) in enum_rows {
            enum_types.entry(name).or_default().push(label);
        }
        Ok(Catalog {
            tables,
            check_constraints,
            unique_constraints,
            foreign_keys,
            enum_types,
        })
    }
}

/// The result of comparing an expected catalog with a live one.
#[derive(Debug, Default)]
pub struct Comparison {
    pub tables: usize,
    pub columns: usize,
    pub checks: usize,
    pub uniques: usize,
    pub foreign_keys: usize,
    pub enums: usize,
    /// One line per difference, naming the table, column or constraint.
    pub differences: Vec<String>,
}

impl Comparison {
    pub fn summary(&self) -> String {
        format!(
            "{} tables, {} columns, {} checks, {} unique, {} foreign keys, {} enum types matched, {} differences",
            self.tables,
            self.columns,
            self.checks,
            self.uniques,
            self.foreign_keys,
            self.enums,
            self.differences.len()
        )
    }

    pub fn report(&self) -> String {
        let mut out = self.summary();
        for d in &self.differences {
            let _ = write!(out, "\n  - {d}");
        }
        out
    }
}

/// `pg_get_constraintdef` text with white space folded, so layout never counts as a difference.
pub fn normalise_definition(def: &str) -> String {
    def.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Compares `expected` (the dump, or the dump with documented changes) with `actual` (live).
pub fn compare(expected: &Catalog, actual: &Catalog) -> Comparison {
    let mut cmp = Comparison::default();
    let diffs = &mut cmp.differences;

    for (table, exp_cols) in &expected.tables {
        let Some(act_cols) = actual.tables.get(table) else {
            diffs.push(format!("table {table}: missing"));
            continue;
        };
        cmp.tables += 1;
        let act_by_name: BTreeMap<&str, &Column> = act_cols
            .iter()
            .map(|c| (c.column_name.as_str(), c))
            .collect();
        for exp in exp_cols {
            let name = &exp.column_name;
            let Some(act) = act_by_name.get(name.as_str()) else {
                diffs.push(format!("{table}.{name}: column missing"));
                continue;
            };
            let before = diffs.len();
            let mut field = |what: &str, e: String, a: String| {
                if e != a {
                    diffs.push(format!("{table}.{name}: {what} expected {e}, found {a}"));
                }
            };
            field(
                "position",
                exp.ordinal_position.to_string(),
                act.ordinal_position.to_string(),
            );
            field("data_type", exp.data_type.clone(), act.data_type.clone());
            field("udt_name", exp.udt_name.clone(), act.udt_name.clone());
            field(
                "length",
                fmt_opt(&exp.character_maximum_length),
                fmt_opt(&act.character_maximum_length),
            );
            field(
                "precision",
                fmt_opt(&exp.numeric_precision),
                fmt_opt(&act.numeric_precision),
            );
            field(
                "scale",
                fmt_opt(&exp.numeric_scale),
                fmt_opt(&act.numeric_scale),
            );
            field("nullable", exp.is_nullable.clone(), act.is_nullable.clone());
            field(
                "default",
                fmt_opt(&exp.column_default),
                fmt_opt(&act.column_default),
            );
            if diffs.len() == before {
                cmp.columns += 1;
            }
        }
        let exp_names: Vec<&str> = exp_cols.iter().map(|c| c.column_name.as_str()).collect();
        for act in act_cols {
            if !exp_names.contains(&act.column_name.as_str()) {
                diffs.push(format!("{table}.{}: unexpected column", act.column_name));
            }
        }
    }
    for table in actual.tables.keys() {
        if !expected.tables.contains_key(table) {
            diffs.push(format!("table {table}: unexpected"));
        }
    }

    cmp.checks = compare_constraints(
        "CHECK",
        &expected.check_constraints,
        &actual.check_constraints,
        diffs,
    );
    cmp.uniques = compare_constraints(
        "UNIQUE",
        &expected.unique_constraints,
        &actual.unique_constraints,
        diffs,
    );

    let key = |fk: &ForeignKey| {
        (
            fk.table_name.clone(),
            fk.constraint_name.clone(),
            fk.column_name.clone(),
        )
    };
    let exp_fks: BTreeMap<_, _> = expected.foreign_keys.iter().map(|f| (key(f), f)).collect();
    let act_fks: BTreeMap<_, _> = actual.foreign_keys.iter().map(|f| (key(f), f)).collect();
    for (k, exp) in &exp_fks {
        match act_fks.get(k) {
            None => diffs.push(format!("{}: foreign key {} ({}) missing", k.0, k.1, k.2)),
            Some(act) if act != exp => diffs.push(format!(
                "{}: foreign key {} expected ({}) -> {}({}) ON UPDATE {} ON DELETE {}, found ({}) -> {}({}) ON UPDATE {} ON DELETE {}",
                k.0, k.1, exp.column_name, exp.foreign_table_name, exp.foreign_column_name,
                exp.update_rule, exp.delete_rule, act.column_name, act.foreign_table_name,
                act.foreign_column_name, act.update_rule, act.delete_rule
            )),
            Some(_) => cmp.foreign_keys += 1,
        }
    }
    for k in act_fks.keys() {
        if !exp_fks.contains_key(k) {
            diffs.push(format!("{}: unexpected foreign key {} ({})", k.0, k.1, k.2));
        }
    }

    for (name, labels) in &expected.enum_types {
        match actual.enum_types.get(name) {
            None => diffs.push(format!("enum type {name}: missing")),
            Some(act) if act != labels => diffs.push(format!(
                "enum type {name}: expected labels {labels:?}, found {act:?}"
            )),
            Some(_) => cmp.enums += 1,
        }
    }
    for name in actual.enum_types.keys() {
        if !expected.enum_types.contains_key(name) {
            diffs.push(format!("enum type {name}: unexpected"));
        }
    }
    cmp
}

fn compare_constraints(
    kind: &str,
    expected: &[Constraint],
    actual: &[Constraint],
    diffs: &mut Vec<String>,
) -> usize {
    let by_key = |list: &[Constraint]| -> BTreeMap<(String, String), String> {
        list.iter()
            .map(|c| {
                (
                    (c.table_name.clone(), c.constraint_name.clone()),
                    normalise_definition(&c.constraint_def),
                )
            })
            .collect()
    };
    let (exp, act) = (by_key(expected), by_key(actual));
    let mut matched = 0;
    for ((table, name), def) in &exp {
        match act.get(&(table.clone(), name.clone())) {
            None => diffs.push(format!("{table}: {kind} {name} missing ({def})")),
            Some(a) if a != def => {
                diffs.push(format!("{table}: {kind} {name} expected {def}, found {a}"))
            }
            Some(_) => matched += 1,
        }
    }
    for (table, name) in act.keys() {
        if !exp.contains_key(&(table.clone(), name.clone())) {
            diffs.push(format!("{table}: unexpected {kind} {name}"));
        }
    }
    matched
}

fn fmt_opt<T: std::fmt::Display>(v: &Option<T>) -> String {
    v.as_ref()
        .map_or_else(|| "NULL".to_string(), |v| v.to_string())
}
