//! Live catalog -> [`Snapshot`]: read (queries in `sql`), select the included tables, give every
//! CHECK its meaning (`checks`), sort, hash.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};
use sqlx::{PgConnection, PgPool};

/// What a CHECK means: parsed with sqlparser when the `checks` feature is on (codegen, which
/// types them); otherwise left `Unparsed` (a reader that only compares schemas, as the seeder's
/// schema guard does, compares definitions and needs no parser; see [`without_meanings`]).
fn parse_check(definition: &str) -> CheckKind {
    #[cfg(feature = "checks")]
    {
        crate::checks::parse_check(definition)
    }
    #[cfg(not(feature = "checks"))]
    {
        let _ = definition;
        CheckKind::Unparsed {
            reason: NOT_PARSED.to_string(),
        }
    }
}

/// The `Unparsed` reason of [`without_meanings`].
const NOT_PARSED: &str = "not parsed (read without the CHECK parser)";

/// `live` (read without the CHECK parser) with meanings lent from `compiled`, for readable
/// differences: a CHECK with the same definition takes the compiled meaning; a value list whose
/// definition differs only in its quoted values (same text around them) takes the compiled
/// list's kind with the live values, so the diff can say "values removed 'low', added 'minor'".
/// Anything else stays unparsed and is shown as its definition.
pub fn with_meanings_from(compiled: &Snapshot, live: &Snapshot) -> Snapshot {
    let compiled_checks: HashMap<(String, String), &Check> = compiled
        .tables
        .iter()
        .map(|t| (&t.name, &t.checks))
        .chain(compiled.domains.iter().map(|d| (&d.name, &d.checks)))
        .flat_map(|(owner, checks)| {
            checks
                .iter()
                .map(move |c| ((owner.clone(), c.name.clone()), c))
        })
        .collect();
    let mut live = live.clone();
    for_each_check(&mut live, |owner, check| {
        if !matches!(check.parsed, CheckKind::Unparsed { .. }) {
            return;
        }
        let Some(known) = compiled_checks.get(&(owner.to_string(), check.name.clone())) else {
            return;
        };
        if known.definition == check.definition {
            check.parsed = known.parsed.clone();
            return;
        }
        let (known_text, known_values) = quoted_values(&known.definition);
        let (live_text, live_values) = quoted_values(&check.definition);
        if known_text != live_text {
            return;
        }
        check.parsed = match &known.parsed {
            CheckKind::ValueList {
                column,
                values,
                negated,
                allows_null,
            } if *values == known_values => CheckKind::ValueList {
                column: column.clone(),
                values: live_values,
                negated: *negated,
                allows_null: *allows_null,
            },
            CheckKind::ArrayElements { column, values } if *values == known_values => {
                CheckKind::ArrayElements {
                    column: column.clone(),
                    values: live_values,
                }
            }
            _ => return,
        };
    });
    live
}

/// `f(owner, check)` for every CHECK of a table or a domain of `snapshot`.
fn for_each_check(snapshot: &mut Snapshot, mut f: impl FnMut(&str, &mut Check)) {
    for table in &mut snapshot.tables {
        for check in &mut table.checks {
            f(&table.name, check);
        }
    }
    for domain in &mut snapshot.domains {
        for check in &mut domain.checks {
            f(&domain.name, check);
        }
    }
}

/// A definition's text with its quoted literals blanked, and the literals' values in order.
fn quoted_values(definition: &str) -> (String, Vec<String>) {
    let mut text = String::new();
    let mut values = vec![];
    let mut chars = definition.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\'' {
            text.push(c);
            continue;
        }
        let mut value = String::new();
        while let Some(c) = chars.next() {
            if c == '\'' {
                if chars.peek() == Some(&'\'') {
                    chars.next();
                    value.push('\'');
                } else {
                    break;
                }
            } else {
                value.push(c);
            }
        }
        text.push_str("''");
        values.push(value);
    }
    (text, values)
}

/// `snapshot` with every CHECK's meaning dropped (definitions kept) and its hash recomputed:
/// two snapshots of one schema are equal this way whichever reader (with or without the
/// CHECK parser) made them, and differ when any definition does.
pub fn without_meanings(snapshot: &Snapshot) -> Snapshot {
    let mut copy = snapshot.clone();
    for_each_check(&mut copy, |_, check| {
        check.parsed = CheckKind::Unparsed {
            reason: NOT_PARSED.to_string(),
        };
    });
    copy.content_hash = content_hash(&copy);
    copy
}
use crate::model::*;
use crate::sql;

/// Tables a snapshot holds by default: the persona family, the org tables, tenants and users
/// (the targets of the persona tables' foreign keys).
pub const DEFAULT_INCLUDE: &[&str] = &["personas", "persona_*", "org_*", "tenants", "users"];

/// Which tables of which schema to read.
#[derive(Clone, Debug)]
pub struct Selection {
    pub schema: String,
    /// Table name patterns; `*` matches any run of characters.
    pub include: Vec<String>,
}

impl Default for Selection {
    fn default() -> Self {
        Selection {
            schema: "public".into(),
            include: DEFAULT_INCLUDE.iter().map(|s| s.to_string()).collect(),
        }
    }
}

impl Selection {
    fn includes(&self, table: &str) -> bool {
        self.include.iter().any(|p| glob_match(p, table))
    }
}

/// `*` matches any run of characters; everything else matches itself.
pub fn glob_match(pattern: &str, name: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == name;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !name.starts_with(first) || name.len() < first.len() + last.len() || !name.ends_with(last) {
        return false;
    }
    let mut rest = &name[first.len()..name.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    true
}

/// Catalog rows read by column name: what sqlx's `FromRow` derive writes, without sqlx's macro
/// crates (they compile a second sqlx-postgres into every build that depends on this one).
macro_rules! rows_by_name {
    ($($name:ident { $($field:ident: $ty:ty),* $(,)? })*) => {$(
        struct $name { $($field: $ty),* }
        impl<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow> for $name {
            fn from_row(row: &'r sqlx::postgres::PgRow) -> Result<Self, sqlx::Error> {
                use sqlx::Row;
                Ok(Self { $($field: row.try_get(stringify!($field))?),* })
            }
        }
    )*};
}

rows_by_name! {
    TableRow {
        oid: i64,
        name: String,
        comment: Option<String>,
    }
    ColumnRow {
        table_oid: i64,
        position: i32,
        name: String,
        is_array: bool,
        base_name: String,
        base_kind: String,
        typmod: i32,
        formatted: String,
        not_null: bool,
        default_expr: Option<String>,
        generated_expr: Option<String>,
        identity: String,
        comment: Option<String>,
    }
    ConstraintRow {
        table_oid: i64,
        name: String,
        kind: String,
        definition: String,
        columns: Option<Vec<i32>>,
        foreign_table: Option<String>,
        foreign_columns: Option<Vec<i32>>,
        foreign_oid: i64,
        on_update: String,
        on_delete: String,
    }
    AttributeRow {
        table_oid: i64,
        position: i32,
        name: String,
    }
    DomainRow {
        name: String,
        is_array: bool,
        base_name: String,
        base_kind: String,
        typmod: i32,
        not_null: bool,
        default_expr: Option<String>,
    }
    DomainCheckRow {
        domain: String,
        name: String,
        definition: String,
    }
}

/// Reads the catalog of `selection.schema` and builds the snapshot of the included tables
/// (in one transaction: one consistent view, and safe behind a transaction pooler).
pub async fn snapshot(pool: &PgPool, selection: &Selection) -> Result<Snapshot> {
    let mut tx = pool.begin().await.context("starting a transaction")?;
    let snap = snapshot_in(&mut tx, selection).await;
    tx.rollback().await?;
    snap
}

/// [`snapshot`] on a connection (or inside a transaction) of the caller's. Statements are
/// unnamed (`persistent(false)`): nothing outlives the caller's transaction.
pub async fn snapshot_in(conn: &mut PgConnection, selection: &Selection) -> Result<Snapshot> {
    let schema = selection.schema.as_str();
    let fetch_err = |what: &'static str| move || format!("reading {what} of schema {schema}");
    let tables: Vec<TableRow> = sqlx::query_as(sql::TABLES)
        .persistent(false)
        .bind(schema)
        .fetch_all(&mut *conn)
        .await
        .with_context(fetch_err("tables"))?;
    let columns: Vec<ColumnRow> = sqlx::query_as(sql::COLUMNS)
        .persistent(false)
        .bind(schema)
        .fetch_all(&mut *conn)
        .await
        .with_context(fetch_err("columns"))?;
    let constraints: Vec<ConstraintRow> = sqlx::query_as(sql::TABLE_CONSTRAINTS)
        .persistent(false)
        .bind(schema)
        .fetch_all(&mut *conn)
        .await
        .with_context(fetch_err("constraints"))?;
    let attributes: Vec<AttributeRow> = sqlx::query_as(sql::ATTRIBUTE_NAMES)
        .persistent(false)
        .bind(schema)
        .fetch_all(&mut *conn)
        .await
        .with_context(fetch_err("attribute names"))?;
    let enum_rows: Vec<(String, String)> = sqlx::query_as(sql::ENUMS)
        .persistent(false)
        .bind(schema)
        .fetch_all(&mut *conn)
        .await
        .with_context(fetch_err("enum types"))?;
    let domain_rows: Vec<DomainRow> = sqlx::query_as(sql::DOMAINS)
        .persistent(false)
        .bind(schema)
        .fetch_all(&mut *conn)
        .await
        .with_context(fetch_err("domains"))?;
    let domain_checks: Vec<DomainCheckRow> = sqlx::query_as(sql::DOMAIN_CHECKS)
        .persistent(false)
        .bind(schema)
        .fetch_all(&mut *conn)
        .await
        .with_context(fetch_err("domain checks"))?;

    let attr_name: HashMap<(i64, i32), String> = attributes
        .into_iter()
        .map(|a| ((a.table_oid, a.position), a.name))
        .collect();
    let names_of = |oid: i64, nums: &Option<Vec<i32>>| -> Result<Vec<String>> {
        nums.iter()
            .flatten()
            .map(|n| {
                attr_name
                    .get(&(oid, *n))
                    .cloned()
                    .with_context(|| format!("attribute {n} of relation {oid} not found"))
            })
            .collect()
    };

    let mut enum_labels: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (name, label) in enum_rows {
        enum_labels.entry(name).or_default().push(label);
    }

    let included: BTreeMap<i64, &TableRow> = tables
        .iter()
        .filter(|t| selection.includes(&t.name))
        .map(|t| (t.oid, t))
        .collect();
    if included.is_empty() {
        bail!(
            "no table of schema {schema} matches {:?}: is this the right database?",
            selection.include
        );
    }

    let mut out_tables: BTreeMap<String, Table> = included
        .values()
        .map(|t| {
            (
                t.name.clone(),
                Table {
                    name: t.name.clone(),
                    comment: t.comment.clone(),
                    columns: vec![],
                    primary_key: vec![],
                    unique_keys: vec![],
                    foreign_keys: vec![],
                    checks: vec![],
                },
            )
        })
        .collect();

    let mut used_types: BTreeSet<(bool, String)> = BTreeSet::new(); // (is_domain, name)
    for c in &columns {
        let Some(t) = included.get(&c.table_oid) else {
            continue;
        };
        let ty = column_type(
            c.is_array,
            &c.base_name,
            &c.base_kind,
            c.typmod,
            &c.formatted,
        );
        note_used_type(&ty.base, &mut used_types);
        let table = out_tables.get_mut(&t.name).expect("included table");
        table.columns.push(Column {
            name: c.name.clone(),
            position: c.position,
            ty,
            nullable: !c.not_null,
            default: c.default_expr.clone(),
            identity: match c.identity.as_str() {
                "a" => Some(Identity::Always),
                "d" => Some(Identity::ByDefault),
                _ => None,
            },
            generated: c.generated_expr.clone(),
            comment: c.comment.clone(),
        });
    }

    for con in &constraints {
        let Some(t) = included.get(&con.table_oid) else {
            continue;
        };
        let table = out_tables.get_mut(&t.name).expect("included table");
        let cols = names_of(con.table_oid, &con.columns)?;
        match con.kind.as_str() {
            "p" => table.primary_key = cols,
            "u" => table.unique_keys.push(UniqueKey {
                name: con.name.clone(),
                columns: cols,
            }),
            "f" => table.foreign_keys.push(ForeignKey {
                name: con.name.clone(),
                columns: cols,
                foreign_table: con.foreign_table.clone().unwrap_or_default(),
                foreign_columns: names_of(con.foreign_oid, &con.foreign_columns)?,
                on_update: fk_action(&con.on_update),
                on_delete: fk_action(&con.on_delete),
            }),
            "c" => table.checks.push(Check {
                name: con.name.clone(),
                definition: con.definition.clone(),
                parsed: parse_check(&con.definition),
            }),
            _ => {}
        }
    }

    // Domains used by the included columns, and the enums they (or the columns) use.
    let mut domains = vec![];
    for d in &domain_rows {
        if !used_types.contains(&(true, d.name.clone())) {
            continue;
        }
        let base = column_type(
            d.is_array,
            &d.base_name,
            &d.base_kind,
            d.typmod,
            &d.base_name,
        );
        note_used_type(&base.base, &mut used_types);
        domains.push(Domain {
            name: d.name.clone(),
            base,
            not_null: d.not_null,
            default: d.default_expr.clone(),
            checks: domain_checks
                .iter()
                .filter(|c| c.domain == d.name)
                .map(|c| Check {
                    name: c.name.clone(),
                    definition: c.definition.clone(),
                    parsed: parse_check(&c.definition),
                })
                .collect(),
        });
    }
    let enums = enum_labels
        .into_iter()
        .filter(|(name, _)| used_types.contains(&(false, name.clone())))
        .map(|(name, labels)| EnumType { name, labels })
        .collect();

    let mut tables: Vec<Table> = out_tables.into_values().collect();
    for t in &mut tables {
        t.columns.sort_by_key(|c| c.position);
        t.unique_keys.sort_by(|a, b| a.name.cmp(&b.name));
        t.foreign_keys.sort_by(|a, b| a.name.cmp(&b.name));
        t.checks.sort_by(|a, b| a.name.cmp(&b.name));
    }
    let mut snap = Snapshot {
        format_version: FORMAT_VERSION,
        content_hash: String::new(),
        schema: schema.to_string(),
        enums,
        domains,
        tables,
    };
    snap.content_hash = content_hash(&snap);
    Ok(snap)
}

fn note_used_type(base: &BaseType, used: &mut BTreeSet<(bool, String)>) {
    match base {
        BaseType::Enum { name } => {
            used.insert((false, name.clone()));
        }
        BaseType::Domain { name } => {
            used.insert((true, name.clone()));
        }
        _ => {}
    }
}

fn fk_action(code: &str) -> FkAction {
    match code {
        "r" => FkAction::Restrict,
        "c" => FkAction::Cascade,
        "n" => FkAction::SetNull,
        "d" => FkAction::SetDefault,
        _ => FkAction::NoAction,
    }
}

/// The model type of a column from its (element) type name, kind (`typtype`) and typmod.
fn column_type(
    is_array: bool,
    base_name: &str,
    kind: &str,
    typmod: i32,
    formatted: &str,
) -> ColumnType {
    let base = match kind {
        "e" => BaseType::Enum {
            name: base_name.to_string(),
        },
        "d" => BaseType::Domain {
            name: base_name.to_string(),
        },
        _ => match base_name {
            "text" => BaseType::Text,
            "varchar" => BaseType::Varchar {
                max_length: (typmod >= 4).then_some(typmod - 4),
            },
            "bpchar" => BaseType::Char {
                length: (typmod >= 4).then_some(typmod - 4),
            },
            "uuid" => BaseType::Uuid,
            "int2" => BaseType::Int2,
            "int4" => BaseType::Int4,
            "int8" => BaseType::Int8,
            "float4" => BaseType::Float4,
            "float8" => BaseType::Float8,
            "numeric" => {
                let (precision, scale) = if typmod >= 4 {
                    let m = typmod - 4;
                    (Some((m >> 16) & 0xffff), Some(m & 0xffff))
                } else {
                    (None, None)
                };
                BaseType::Numeric { precision, scale }
            }
            "bool" => BaseType::Bool,
            "date" => BaseType::Date,
            "time" => BaseType::Time,
            "timestamp" => BaseType::Timestamp,
            "timestamptz" => BaseType::Timestamptz,
            "interval" => BaseType::Interval,
            "json" => BaseType::Json,
            "jsonb" => BaseType::Jsonb,
            "bytea" => BaseType::Bytea,
            "inet" => BaseType::Inet,
            _ => BaseType::Other {
                name: formatted.trim_end_matches("[]").to_string(),
            },
        },
    };
    ColumnType {
        base,
        array: is_array,
    }
}

/// SHA-256 of the snapshot's JSON with an empty `content_hash`.
pub fn content_hash(snapshot: &Snapshot) -> String {
    let mut copy = snapshot.clone();
    copy.content_hash = String::new();
    let json = serde_json::to_string(&copy).expect("a snapshot always serialises");
    Sha256::digest(json.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The snapshot as written to disk: pretty JSON, one trailing newline.
pub fn to_json(snapshot: &Snapshot) -> String {
    let mut s = serde_json::to_string_pretty(snapshot).expect("a snapshot always serialises");
    s.push('\n');
    s
}

pub fn from_json(text: &str) -> Result<Snapshot> {
    let snap: Snapshot = serde_json::from_str(text)?;
    if snap.format_version != FORMAT_VERSION {
        bail!(
            "snapshot format {} is not the one this codegen reads ({FORMAT_VERSION}): run `make regen`",
            snap.format_version
        );
    }
    Ok(snap)
}

#[cfg(test)]
mod tests {
    use super::glob_match;
    use super::*;

    fn one_check(definition: &str, parsed: CheckKind) -> Snapshot {
        Snapshot {
            format_version: 1,
            content_hash: String::new(),
            schema: "public".into(),
            enums: vec![],
            domains: vec![],
            tables: vec![Table {
                name: "persona_pain_points".into(),
                comment: None,
                columns: vec![],
                primary_key: vec![],
                unique_keys: vec![],
                foreign_keys: vec![],
                checks: vec![Check {
                    name: "severity_check".into(),
                    definition: definition.into(),
                    parsed,
                }],
            }],
        }
    }

    fn list(values: &[&str]) -> CheckKind {
        CheckKind::ValueList {
            column: "severity".into(),
            values: values.iter().map(|v| v.to_string()).collect(),
            negated: false,
            allows_null: false,
        }
    }

    fn unparsed() -> CheckKind {
        CheckKind::Unparsed {
            reason: NOT_PARSED.into(),
        }
    }

    const OLD: &str = "CHECK ((severity = ANY (ARRAY['critical'::text, 'it''s'::text])))";
    const NEW: &str = "CHECK ((severity = ANY (ARRAY['critical'::text, 'minor'::text])))";

    #[test]
    fn a_changed_value_list_read_without_the_parser_gets_its_new_values() {
        let compiled = one_check(OLD, list(&["critical", "it's"]));
        let live = with_meanings_from(&compiled, &one_check(NEW, unparsed()));
        assert_eq!(
            live.tables[0].checks[0].parsed,
            list(&["critical", "minor"])
        );
        let lines = crate::diff::diff(&compiled, &live);
        assert_eq!(
            lines,
            ["persona_pain_points.severity: values removed 'it's', added 'minor'"]
        );
    }

    #[test]
    fn an_unchanged_check_takes_the_compiled_meaning_and_another_shape_stays_unparsed() {
        let compiled = one_check(OLD, list(&["critical", "it's"]));
        let same = with_meanings_from(&compiled, &one_check(OLD, unparsed()));
        assert_eq!(same.tables[0].checks[0].parsed, list(&["critical", "it's"]));
        let other = "CHECK ((severity <> 'x'::text))";
        let changed = with_meanings_from(&compiled, &one_check(other, unparsed()));
        assert_eq!(changed.tables[0].checks[0].parsed, unparsed());
    }

    #[test]
    fn meanings_do_not_change_the_comparison_of_definitions() {
        let parsed = one_check(OLD, list(&["critical", "it's"]));
        let not_parsed = one_check(OLD, unparsed());
        assert_eq!(
            without_meanings(&parsed).content_hash,
            without_meanings(&not_parsed).content_hash
        );
        assert_ne!(
            without_meanings(&parsed).content_hash,
            without_meanings(&one_check(NEW, unparsed())).content_hash
        );
    }

    #[test]
    fn globs() {
        assert!(glob_match("persona_*", "persona_goals"));
        assert!(!glob_match("persona_*", "personas"));
        assert!(glob_match("personas", "personas"));
        assert!(glob_match("*_roles", "org_roles"));
        assert!(glob_match("org_*s", "org_roles"));
        assert!(!glob_match("org_*x", "org_roles"));
        assert!(glob_match("*", "anything"));
    }
}
