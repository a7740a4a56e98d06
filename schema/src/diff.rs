//! Snapshot vs snapshot, as readable lines ("persona_pain_points.severity: values removed 'low',
//! added 'minor'"). Used by `codegen check` and by the seeder's refusal to run against a schema
//! it was not compiled for.

use std::collections::BTreeMap;

use crate::model::*;

/// Every difference between `expected` (the checked-in snapshot) and `live`.
pub fn diff(expected: &Snapshot, live: &Snapshot) -> Vec<String> {
    let mut out = vec![];
    let exp_tables = by_name(&expected.tables, |t| &t.name);
    let live_tables = by_name(&live.tables, |t| &t.name);
    for (name, exp) in &exp_tables {
        match live_tables.get(name) {
            None => out.push(format!("table {name}: missing from the live database")),
            Some(live) => diff_table(exp, live, &mut out),
        }
    }
    for name in live_tables.keys() {
        if !exp_tables.contains_key(name) {
            out.push(format!("table {name}: new in the live database"));
        }
    }

    let exp_enums = by_name(&expected.enums, |e| &e.name);
    let live_enums = by_name(&live.enums, |e| &e.name);
    for (name, exp) in &exp_enums {
        match live_enums.get(name) {
            None => out.push(format!("enum type {name}: missing from the live database")),
            Some(live) => {
                if let Some(change) = list_change(&exp.labels, &live.labels, "labels") {
                    out.push(format!("enum type {name}: {change}"));
                }
            }
        }
    }
    for name in live_enums.keys() {
        if !exp_enums.contains_key(name) {
            out.push(format!("enum type {name}: new in the live database"));
        }
    }

    let exp_domains = by_name(&expected.domains, |d| &d.name);
    let live_domains = by_name(&live.domains, |d| &d.name);
    for (name, exp) in &exp_domains {
        match live_domains.get(name) {
            None => out.push(format!("domain {name}: missing from the live database")),
            Some(live) => {
                if exp.base != live.base
                    || exp.not_null != live.not_null
                    || exp.default != live.default
                {
                    out.push(format!(
                        "domain {name}: base type, NOT NULL or default changed"
                    ));
                }
                diff_checks(
                    &format!("domain {name}"),
                    &exp.checks,
                    &live.checks,
                    &mut out,
                );
            }
        }
    }
    for name in live_domains.keys() {
        if !exp_domains.contains_key(name) {
            out.push(format!("domain {name}: new in the live database"));
        }
    }
    out
}

fn by_name<T>(items: &[T], name: impl Fn(&T) -> &String) -> BTreeMap<&str, &T> {
    items.iter().map(|i| (name(i).as_str(), i)).collect()
}

fn diff_table(exp: &Table, live: &Table, out: &mut Vec<String>) {
    let t = &exp.name;
    let exp_cols = by_name(&exp.columns, |c| &c.name);
    let live_cols = by_name(&live.columns, |c| &c.name);
    for (name, e) in &exp_cols {
        let Some(l) = live_cols.get(name) else {
            out.push(format!("{t}.{name}: column missing from the live database"));
            continue;
        };
        if e.ty != l.ty {
            out.push(format!(
                "{t}.{name}: type {} became {}",
                type_name(&e.ty),
                type_name(&l.ty)
            ));
        }
        if e.nullable != l.nullable {
            out.push(format!(
                "{t}.{name}: {}",
                if l.nullable {
                    "NOT NULL dropped"
                } else {
                    "became NOT NULL"
                }
            ));
        }
        if e.default != l.default {
            out.push(format!(
                "{t}.{name}: default {} became {}",
                opt(&e.default),
                opt(&l.default)
            ));
        }
        if e.identity != l.identity || e.generated != l.generated {
            out.push(format!("{t}.{name}: identity or generation changed"));
        }
        if e.comment != l.comment {
            out.push(format!("{t}.{name}: comment changed"));
        }
        if e.position != l.position {
            out.push(format!(
                "{t}.{name}: position {} became {}",
                e.position, l.position
            ));
        }
    }
    for name in live_cols.keys() {
        if !exp_cols.contains_key(name) {
            out.push(format!("{t}.{name}: new column in the live database"));
        }
    }
    if exp.primary_key != live.primary_key {
        out.push(format!(
            "{t}: primary key ({}) became ({})",
            exp.primary_key.join(", "),
            live.primary_key.join(", ")
        ));
    }
    if exp.comment != live.comment {
        out.push(format!("{t}: comment changed"));
    }
    let key_text = |u: &UniqueKey| format!("UNIQUE ({})", u.columns.join(", "));
    diff_named(
        t,
        "unique key",
        &exp.unique_keys,
        &live.unique_keys,
        |u| &u.name,
        key_text,
        out,
    );
    let fk_text = |f: &ForeignKey| {
        format!(
            "({}) -> {}({}) ON UPDATE {} ON DELETE {}",
            f.columns.join(", "),
            f.foreign_table,
            f.foreign_columns.join(", "),
            f.on_update.sql(),
            f.on_delete.sql()
        )
    };
    diff_named(
        t,
        "foreign key",
        &exp.foreign_keys,
        &live.foreign_keys,
        |f| &f.name,
        fk_text,
        out,
    );
    diff_checks(t, &exp.checks, &live.checks, out);
}

fn diff_named<T>(
    owner: &str,
    what: &str,
    exp: &[T],
    live: &[T],
    name: impl Fn(&T) -> &String,
    text: impl Fn(&T) -> String,
    out: &mut Vec<String>,
) {
    let e = by_name(exp, &name);
    let l = by_name(live, &name);
    for (n, item) in &e {
        match l.get(n) {
            None => out.push(format!(
                "{owner}: {what} {n} missing from the live database"
            )),
            Some(li) if text(li) != text(item) => out.push(format!(
                "{owner}: {what} {n} {} became {}",
                text(item),
                text(li)
            )),
            Some(_) => {}
        }
    }
    for (n, item) in &l {
        if !e.contains_key(n) {
            out.push(format!("{owner}: new {what} {n} {}", text(item)));
        }
    }
}

/// CHECKs by meaning: a changed value list is reported as values removed and added.
fn diff_checks(owner: &str, exp: &[Check], live: &[Check], out: &mut Vec<String>) {
    let e = by_name(exp, |c| &c.name);
    let l = by_name(live, |c| &c.name);
    for (n, ec) in &e {
        let Some(lc) = l.get(n) else {
            out.push(format!(
                "{owner}: CHECK {n} missing from the live database ({})",
                ec.definition
            ));
            continue;
        };
        if ec.definition == lc.definition {
            continue;
        }
        let line = match (&ec.parsed, &lc.parsed) {
            (
                CheckKind::ValueList {
                    column: c1,
                    values: v1,
                    ..
                },
                CheckKind::ValueList {
                    column: c2,
                    values: v2,
                    ..
                },
            )
            | (
                CheckKind::ArrayElements {
                    column: c1,
                    values: v1,
                },
                CheckKind::ArrayElements {
                    column: c2,
                    values: v2,
                },
            ) if c1 == c2 => list_change(v1, v2, "values").map(|ch| format!("{owner}.{c1}: {ch}")),
            (
                CheckKind::Range {
                    column: c1,
                    min: min1,
                    max: max1,
                },
                CheckKind::Range {
                    column: c2,
                    min: min2,
                    max: max2,
                },
            ) if c1 == c2 => Some(format!(
                "{owner}.{c1}: range {} became {}",
                range_text(min1, max1),
                range_text(min2, max2)
            )),
            _ => None,
        };
        out.push(line.unwrap_or_else(|| {
            format!(
                "{owner}: CHECK {n} {} became {}",
                ec.definition, lc.definition
            )
        }));
    }
    for (n, lc) in &l {
        if !e.contains_key(n) {
            out.push(format!("{owner}: new CHECK {n} {}", lc.definition));
        }
    }
}

/// "values removed 'low', added 'minor'", or "values reordered", or None when equal.
fn list_change(exp: &[String], live: &[String], what: &str) -> Option<String> {
    if exp == live {
        return None;
    }
    let quote = |v: Vec<&String>| {
        v.iter()
            .map(|s| format!("'{s}'"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let removed: Vec<&String> = exp.iter().filter(|v| !live.contains(v)).collect();
    let added: Vec<&String> = live.iter().filter(|v| !exp.contains(v)).collect();
    let mut parts = vec![];
    if !removed.is_empty() {
        parts.push(format!("{what} removed {}", quote(removed)));
    }
    if !added.is_empty() {
        parts.push(format!("added {}", quote(added)));
    }
    if parts.is_empty() {
        parts.push(format!("{what} reordered"));
    }
    Some(parts.join(", "))
}

fn range_text(min: &Option<Bound>, max: &Option<Bound>) -> String {
    let lo = min.as_ref().map_or("(-inf".to_string(), |b| {
        format!("{}{}", if b.inclusive { "[" } else { "(" }, b.value)
    });
    let hi = max.as_ref().map_or("+inf)".to_string(), |b| {
        format!("{}{}", b.value, if b.inclusive { "]" } else { ")" })
    });
    format!("{lo}, {hi}")
}

fn opt(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("none")
}

/// A type as SQL spells it, for messages.
pub fn type_name(ty: &ColumnType) -> String {
    let base = match &ty.base {
        BaseType::Text => "text".to_string(),
        BaseType::Varchar {
            max_length: Some(n),
        } => format!("varchar({n})"),
        BaseType::Varchar { max_length: None } => "varchar".into(),
        BaseType::Char { length: Some(n) } => format!("char({n})"),
        BaseType::Char { length: None } => "char".into(),
        BaseType::Uuid => "uuid".into(),
        BaseType::Int2 => "smallint".into(),
        BaseType::Int4 => "integer".into(),
        BaseType::Int8 => "bigint".into(),
        BaseType::Float4 => "real".into(),
        BaseType::Float8 => "double precision".into(),
        BaseType::Numeric {
            precision: Some(p),
            scale: Some(s),
        } => format!("numeric({p},{s})"),
        BaseType::Numeric { .. } => "numeric".into(),
        BaseType::Bool => "boolean".into(),
        BaseType::Date => "date".into(),
        BaseType::Time => "time".into(),
        BaseType::Timestamp => "timestamp".into(),
        BaseType::Timestamptz => "timestamptz".into(),
        BaseType::Interval => "interval".into(),
        BaseType::Json => "json".into(),
        BaseType::Jsonb => "jsonb".into(),
        BaseType::Bytea => "bytea".into(),
        BaseType::Inet => "inet".into(),
        BaseType::Enum { name } | BaseType::Domain { name } | BaseType::Other { name } => {
            name.clone()
        }
    };
    if ty.array { format!("{base}[]") } else { base }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap_with(values: &[&str]) -> Snapshot {
        Snapshot {
            format_version: FORMAT_VERSION,
            content_hash: String::new(),
            schema: "public".into(),
            enums: vec![],
            domains: vec![],
            tables: vec![Table {
                name: "persona_pain_points".into(),
                comment: None,
                columns: vec![Column {
                    name: "severity".into(),
                    position: 1,
                    ty: ColumnType {
                        base: BaseType::Text,
                        array: false,
                    },
                    nullable: true,
                    default: None,
                    identity: None,
                    generated: None,
                    comment: None,
                }],
                primary_key: vec![],
                unique_keys: vec![],
                foreign_keys: vec![],
                checks: vec![Check {
                    name: "persona_pain_points_severity_check".into(),
                    definition: format!("CHECK {values:?}"),
                    parsed: CheckKind::ValueList {
                        column: "severity".into(),
                        values: values.iter().map(|s| s.to_string()).collect(),
                        negated: false,
                        allows_null: false,
                    },
                }],
            }],
        }
    }

    #[test]
    fn a_changed_value_list_names_removed_and_added_values() {
        let d = diff(&snap_with(&["high", "low"]), &snap_with(&["high", "minor"]));
        assert_eq!(
            d,
            ["persona_pain_points.severity: values removed 'low', added 'minor'"]
        );
        assert!(diff(&snap_with(&["a"]), &snap_with(&["a"])).is_empty());
    }

    #[test]
    fn a_dropped_column_is_named() {
        let exp = snap_with(&["a"]);
        let mut live = exp.clone();
        live.tables[0].columns.clear();
        assert_eq!(
            diff(&exp, &live),
            ["persona_pain_points.severity: column missing from the live database"]
        );
    }
}
