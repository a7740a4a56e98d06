//! What each column becomes in Rust, and the named types (enums, typed ids, value types) that the
//! snapshot needs. Every emitter reads this [`Plan`]; nothing here prints code.
//!
//! All names are decided here, in one place, because every generated type ends up at the crate
//! root (lib.rs re-exports each module with a glob) and two equal names there would be an error.

use std::collections::{BTreeMap, BTreeSet};

use super::decimal::Dec;
use super::names::{self, FieldName, TypeNames};
use schema::model::{
    BaseType, Check, CheckKind, Column, ColumnType, Domain, Identity, Snapshot, Table,
};

pub struct Plan<'a> {
    pub snapshot: &'a Snapshot,
    /// Sorted by name.
    pub enums: Vec<EnumDef>,
    /// Sorted by name.
    pub ids: Vec<IdDef>,
    /// Sorted by name.
    pub values: Vec<ValueDef>,
    /// In snapshot order (by name).
    pub tables: Vec<TablePlan<'a>>,
}

/// An enum: a native enum type or a shared CHECK value list.
pub struct EnumDef {
    pub name: String,
    /// Exact database strings, in declared order.
    pub values: Vec<String>,
    /// One per value.
    pub variants: Vec<String>,
    /// Doc lines saying where it comes from.
    pub origin: Vec<String>,
}

/// The typed id of a table whose primary key is one uuid column.
pub struct IdDef {
    pub name: String,
    pub table: String,
    pub column: String,
}

/// The Rust number a value type wraps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Inner {
    I16,
    I32,
    I64,
    F32,
    F64,
    Decimal,
}

impl Inner {
    fn of(base: &BaseType) -> Option<Inner> {
        Some(match base {
            BaseType::Int2 => Inner::I16,
            BaseType::Int4 => Inner::I32,
            BaseType::Int8 => Inner::I64,
            BaseType::Float4 => Inner::F32,
            BaseType::Float8 => Inner::F64,
            BaseType::Numeric { .. } => Inner::Decimal,
            _ => return None,
        })
    }

    /// The range of an integer type; `None` for the others.
    fn int_range(self) -> Option<(i128, i128)> {
        match self {
            Inner::I16 => Some((i16::MIN.into(), i16::MAX.into())),
            Inner::I32 => Some((i32::MIN.into(), i32::MAX.into())),
            Inner::I64 => Some((i64::MIN.into(), i64::MAX.into())),
            _ => None,
        }
    }

    pub fn is_float(self) -> bool {
        matches!(self, Inner::F32 | Inner::F64)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct BoundSpec {
    pub value: Dec,
    pub inclusive: bool,
}

/// What a value type allows. Two columns share a value type when these are equal.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ValueSpec {
    pub inner: Inner,
    pub min: Option<BoundSpec>,
    pub max: Option<BoundSpec>,
    /// `numeric(precision, scale)`.
    pub precision: Option<(u32, u32)>,
}

/// A validated newtype over a number.
pub struct ValueDef {
    pub name: String,
    pub spec: ValueSpec,
    pub origin: Vec<String>,
}

pub struct TablePlan<'a> {
    pub table: &'a Table,
    /// Module and file name under `tables/`.
    pub module: String,
    pub row_name: String,
    pub insert_name: String,
    pub columns: Vec<ColumnPlan<'a>>,
}

pub struct ColumnPlan<'a> {
    pub column: &'a Column,
    pub field: FieldName,
    /// Without the `Option` of a nullable column.
    pub ty: RustType,
    /// Nullable in the database (a NOT NULL domain makes it not nullable).
    pub nullable: bool,
    /// A default (of the column or its domain) or an identity.
    pub has_default: bool,
    /// The default is worked out at each insert (an identity, or an expression calling a
    /// function such as `now()` or `gen_random_uuid()`).
    pub default_varies: bool,
    /// NOT NULL, no default, not identity, not generated: a plain field of the insert struct.
    pub required: bool,
    /// False for identity ALWAYS and generated columns: absent from the insert struct.
    pub insertable: bool,
    /// The SQL type to cast to: `uuid`, `text[]`, `numeric(4,3)`, `validation_status`.
    pub sql_type: String,
    pub allowed: AllowedPlan,
}

/// What the metadata says a column allows.
pub enum AllowedPlan {
    Any,
    /// The values of this enum.
    Values(String),
    /// Every element is one of the values of this enum.
    ElementValues(String),
    /// Whatever this value type allows (each element for an array).
    Value(String),
    /// Any text but these (`<> ALL (ARRAY[..])`, `NOT IN (..)`).
    Except(Vec<String>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scalar {
    String,
    I16,
    I32,
    I64,
    F32,
    F64,
    Decimal,
    Bool,
    Date,
    Time,
    Timestamptz,
    Timestamp,
    Json,
    Uuid,
    Bytes,
    /// A generated type: enum, typed id or value type.
    Named(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RustType {
    pub scalar: Scalar,
    /// `Vec<scalar>`.
    pub array: bool,
}

impl RustType {
    /// As Rust source (`Vec<Severity>`, `chrono::DateTime<chrono::Utc>`), for tokens and metadata.
    pub fn source(&self) -> String {
        let scalar = match &self.scalar {
            Scalar::String => "String",
            Scalar::I16 => "i16",
            Scalar::I32 => "i32",
            Scalar::I64 => "i64",
            Scalar::F32 => "f32",
            Scalar::F64 => "f64",
            Scalar::Decimal => "rust_decimal::Decimal",
            Scalar::Bool => "bool",
            Scalar::Date => "chrono::NaiveDate",
            Scalar::Time => "chrono::NaiveTime",
            Scalar::Timestamptz => "chrono::DateTime<chrono::Utc>",
            Scalar::Timestamp => "chrono::NaiveDateTime",
            Scalar::Json => "serde_json::Value",
            Scalar::Uuid => "uuid::Uuid",
            Scalar::Bytes => "Vec<u8>",
            Scalar::Named(name) => name,
        };
        if self.array {
            format!("Vec<{scalar}>")
        } else {
            scalar.to_owned()
        }
    }

    pub fn named(&self) -> Option<&str> {
        match &self.scalar {
            Scalar::Named(name) => Some(name),
            _ => None,
        }
    }
}

/// A column's type with domains looked through.
struct Resolved<'a> {
    base: &'a BaseType,
    array: bool,
    domains: Vec<&'a Domain>,
}

fn resolve<'a>(snapshot: &'a Snapshot, ty: &'a ColumnType) -> Resolved<'a> {
    let mut resolved = Resolved {
        base: &ty.base,
        array: ty.array,
        domains: Vec::new(),
    };
    // Domains over domains are allowed; the bound only guards against a malformed snapshot.
    while let BaseType::Domain { name } = resolved.base {
        match snapshot.domain(name) {
            Some(domain) if resolved.domains.len() < 16 => {
                resolved.domains.push(domain);
                resolved.base = &domain.base.base;
                resolved.array |= domain.base.array;
            }
            _ => break,
        }
    }
    resolved
}

/// What the CHECKs (of the column and its domains) and the type say about one column's values
/// (each element's, for an array).
#[derive(Default)]
struct Constraints {
    list: Option<Vec<String>>,
    spec: Option<ValueSpec>,
    /// The name the type is named after: the column, or the domain when only the domain's CHECKs
    /// constrain it.
    named_after_domain: Option<String>,
    list_origin: Vec<String>,
    value_origin: Vec<String>,
    /// Values a negated list (`<> ALL`, `NOT IN`) of the column or its domains forbids.
    forbidden: Vec<String>,
}

/// A CHECK that constrains a column, with where it comes from.
struct AppliedCheck<'a> {
    check: &'a Check,
    /// `table.column` or `domain name`.
    source: String,
    /// The CHECK speaks of each element of an array column (a domain's CHECK on an array of
    /// that domain, or `ArrayElements`), not of the whole value.
    per_element: bool,
    from_domain: Option<String>,
}

fn applied_checks<'a>(
    table: &'a Table,
    column: &'a Column,
    resolved: &Resolved<'a>,
) -> Vec<AppliedCheck<'a>> {
    let mut out = Vec::new();
    for check in &table.checks {
        let (target, per_element) = match &check.parsed {
            CheckKind::ValueList {
                column, negated, ..
            } if !negated => (column, false),
            CheckKind::Range { column, .. } => (column, false),
            CheckKind::ArrayElements { column, .. } => (column, true),
            _ => continue,
        };
        if *target == column.name {
            out.push(AppliedCheck {
                check,
                source: format!("{}.{}", table.name, column.name),
                per_element,
                from_domain: None,
            });
        }
    }
    // A domain's CHECK speaks of the domain's value: each element when the column is an array
    // of the domain.
    for domain in &resolved.domains {
        for check in &domain.checks {
            let per_element = match &check.parsed {
                CheckKind::ValueList { negated, .. } if !negated => column.ty.array,
                CheckKind::Range { .. } => column.ty.array,
                CheckKind::ArrayElements { .. } => true,
                _ => continue,
            };
            out.push(AppliedCheck {
                check,
                source: format!("domain {}", domain.name),
                per_element,
                from_domain: Some(domain.name.clone()),
            });
        }
    }
    out
}

fn is_text(base: &BaseType) -> bool {
    matches!(
        base,
        BaseType::Text | BaseType::Varchar { .. } | BaseType::Char { .. }
    )
}

fn constraints(table: &Table, column: &Column, resolved: &Resolved<'_>) -> Constraints {
    let mut c = Constraints::default();
    let mut from_column = false;
    let mut domain_name = None;
    let mut min: Option<BoundSpec> = None;
    let mut max: Option<BoundSpec> = None;
    let inner = Inner::of(resolved.base);

    for applied in applied_checks(table, column, resolved) {
        // A CHECK on the whole value of an array column (other than ArrayElements) does not
        // describe its elements: left to the database.
        if resolved.array != applied.per_element {
            continue;
        }
        let origin = format!(
            "`{}` CHECK `{}`: `{}`",
            applied.source, applied.check.name, applied.check.definition
        );
        let used = match &applied.check.parsed {
            CheckKind::ValueList { values, .. } | CheckKind::ArrayElements { values, .. }
                if is_text(resolved.base) =>
            {
                // Several lists on one column: only values in all of them pass. A value listed
                // twice is kept once (two equal match arms would not compile cleanly).
                let mut list: Vec<String> = Vec::new();
                for v in c.list.take().unwrap_or_else(|| values.clone()) {
                    if values.contains(&v) && !list.contains(&v) {
                        list.push(v);
                    }
                }
                c.list = Some(list);
                c.list_origin.push(origin);
                true
            }
            CheckKind::Range {
                min: lo, max: hi, ..
            } if inner.is_some() => {
                let inner = inner.expect("guarded above");
                let lo = lo.as_ref().and_then(|b| bound_spec(inner, b));
                let hi = hi.as_ref().and_then(|b| bound_spec(inner, b));
                if lo.is_none() && hi.is_none() {
                    false
                } else {
                    min = tighter(min, lo, true);
                    max = tighter(max, hi, false);
                    c.value_origin.push(origin);
                    true
                }
            }
            _ => false,
        };
        if used {
            match applied.from_domain {
                Some(d) => domain_name = domain_name.or(Some(d)),
                None => from_column = true,
            }
        }
    }

    let precision = match resolved.base {
        BaseType::Numeric {
            precision: Some(p),
            scale,
        } => {
            let s = scale.unwrap_or(0);
            (s >= 0 && s <= *p).then_some((*p as u32, s as u32))
        }
        _ => None,
    };
    if let Some((p, s)) = precision {
        c.value_origin
            .push(format!("`{}.{}` numeric({p},{s})", table.name, column.name));
        // The type is the column's own (a domain over numeric(p,s) still names it by domain).
        if resolved.domains.is_empty() {
            from_column = true;
        } else {
            domain_name = domain_name.or_else(|| resolved.domains.last().map(|d| d.name.clone()));
        }
    }
    if let Some(inner) = inner
        && (min.is_some() || max.is_some() || precision.is_some())
    {
        c.spec = Some(ValueSpec {
            inner,
            min,
            max,
            precision,
        });
    }
    if !from_column {
        c.named_after_domain = domain_name;
    }
    c.forbidden = forbidden_values(table, column, resolved);
    // A value list and a negated one: what the first allows and the second does not forbid.
    if let Some(list) = &mut c.list {
        list.retain(|v| !c.forbidden.contains(v));
    }
    c
}

/// The values negated value lists forbid in a text column (not an array: a CHECK on a whole
/// array is left to the database), from the table's CHECKs and its domains'.
fn forbidden_values(table: &Table, column: &Column, resolved: &Resolved<'_>) -> Vec<String> {
    if !is_text(resolved.base) || resolved.array {
        return vec![];
    }
    let of_column = table.checks.iter().filter(|check| {
        matches!(&check.parsed, CheckKind::ValueList { column: c, .. } if *c == column.name)
    });
    let of_domains = resolved.domains.iter().flat_map(|d| d.checks.iter());
    let mut forbidden: Vec<String> = vec![];
    for check in of_column.chain(of_domains) {
        if let CheckKind::ValueList {
            values,
            negated: true,
            ..
        } = &check.parsed
        {
            for v in values {
                if !forbidden.contains(v) {
                    forbidden.push(v.clone());
                }
            }
        }
    }
    forbidden
}

/// A CHECK bound the Rust type can enforce. Integer bounds must be integers inside the type and
/// are dropped at the type's own limits (the comparison would be vacuous, and clippy says so);
/// decimal bounds must fit a `Decimal`.
fn bound_spec(inner: Inner, bound: &schema::model::Bound) -> Option<BoundSpec> {
    let value = Dec::parse(&bound.value)?;
    if let Some((lo, hi)) = inner.int_range() {
        let v = value.to_i128()?;
        if v <= lo || v >= hi {
            return None;
        }
    } else if inner == Inner::Decimal {
        value.decimal_parts()?;
    }
    Some(BoundSpec {
        value,
        inclusive: bound.inclusive,
    })
}

/// The stricter of two bounds (larger minimum, smaller maximum; exclusive on a tie).
fn tighter(a: Option<BoundSpec>, b: Option<BoundSpec>, is_min: bool) -> Option<BoundSpec> {
    match (a, b) {
        (None, x) | (x, None) => x,
        (Some(a), Some(b)) => {
            let order = a.value.cmp(&b.value);
            let a_wins = match order {
                std::cmp::Ordering::Equal => !a.inclusive,
                o => (o == std::cmp::Ordering::Greater) == is_min,
            };
            Some(if a_wins { a } else { b })
        }
    }
}

/// The key under which columns share a named type.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum SharedKey {
    List(Vec<String>),
    Value(ValueSpec),
}

/// One named type to be, before its name is decided.
struct Candidate {
    /// What it is named after (column or domain name) and what it allows.
    base: String,
    key: SharedKey,
    simple: String,
    qualified: String,
    origin: Vec<String>,
}

/// The primary key column when it is a single uuid.
fn single_uuid_pk<'a>(snapshot: &'a Snapshot, table: &'a Table) -> Option<&'a Column> {
    let [pk] = table.primary_key.as_slice() else {
        return None;
    };
    let column = table.column(pk)?;
    let resolved = resolve(snapshot, &column.ty);
    (*resolved.base == BaseType::Uuid && !resolved.array).then_some(column)
}

pub fn build(snapshot: &Snapshot) -> Plan<'_> {
    let mut names = TypeNames::new();

    // Structs first: a table's own names win over any enum or value type.
    let struct_names: Vec<(String, String)> = snapshot
        .tables
        .iter()
        .map(|t| {
            let row = names.claim(&names::row_type_name(&t.name));
            let insert = names.claim_first(&[
                names::insert_type_name(&t.name),
                format!("New{}", names::type_name(&t.name)),
            ]);
            (row, insert)
        })
        .collect();

    let mut ids = Vec::new();
    let mut id_of_table: BTreeMap<&str, (String, &str)> = BTreeMap::new();
    for table in &snapshot.tables {
        if let Some(pk) = single_uuid_pk(snapshot, table) {
            let name = names.claim_first(&[
                names::id_type_name(&table.name),
                format!("{}Id", names::type_name(&table.name)),
            ]);
            id_of_table.insert(&table.name, (name.clone(), &pk.name));
            ids.push(IdDef {
                name,
                table: table.name.clone(),
                column: pk.name.clone(),
            });
        }
    }

    let mut native_enums: Vec<&schema::model::EnumType> = snapshot.enums.iter().collect();
    native_enums.sort_by(|a, b| a.name.cmp(&b.name));
    let mut enums = Vec::new();
    let mut native_name: BTreeMap<&str, String> = BTreeMap::new();
    for e in native_enums {
        let name = names.claim_first(&[
            names::type_name(&e.name),
            format!("{}Enum", names::type_name(&e.name)),
        ]);
        native_name.insert(&e.name, name.clone());
        enums.push(EnumDef {
            name,
            values: e.labels.clone(),
            variants: names::variant_names(&e.labels),
            origin: vec![format!("native enum type `{}`", e.name)],
        });
    }

    // Constraints of every column, and the candidates they make.
    let mut column_constraints: Vec<Vec<(Constraints, Resolved<'_>)>> = Vec::new();
    let mut candidates: BTreeMap<(String, SharedKey), Candidate> = BTreeMap::new();
    for table in &snapshot.tables {
        let mut per_column = Vec::new();
        for column in &table.columns {
            let resolved = resolve(snapshot, &column.ty);
            let c = constraints(table, column, &resolved);
            let (base, qualified) = match &c.named_after_domain {
                Some(domain) => (
                    domain.clone(),
                    format!("{}Domain", names::type_name(domain)),
                ),
                None => (
                    column.name.clone(),
                    names::qualified_type_name(&table.name, &column.name),
                ),
            };
            let found = [
                c.list.clone().map(|l| (SharedKey::List(l), &c.list_origin)),
                c.spec
                    .clone()
                    .map(|s| (SharedKey::Value(s), &c.value_origin)),
            ];
            for (key, origin) in found.into_iter().flatten() {
                let entry = candidates
                    .entry((base.clone(), key.clone()))
                    .or_insert_with(|| Candidate {
                        base: base.clone(),
                        key,
                        simple: names::type_name(&base),
                        qualified: qualified.clone(),
                        origin: Vec::new(),
                    });
                entry.origin.extend(origin.iter().cloned());
            }
            per_column.push((c, resolved));
        }
        column_constraints.push(per_column);
    }

    let chosen = choose_candidate_names(&candidates, &mut names);

    let mut values = Vec::new();
    let mut check_enum_name: BTreeMap<(String, Vec<String>), String> = BTreeMap::new();
    let mut value_name: BTreeMap<(String, ValueSpec), String> = BTreeMap::new();
    for (key, cand) in &candidates {
        let name = chosen[key].clone();
        match &cand.key {
            SharedKey::List(list) => {
                check_enum_name.insert((cand.base.clone(), list.clone()), name.clone());
                enums.push(EnumDef {
                    name,
                    values: list.clone(),
                    variants: names::variant_names(list),
                    origin: cand.origin.clone(),
                });
            }
            SharedKey::Value(spec) => {
                value_name.insert((cand.base.clone(), spec.clone()), name.clone());
                values.push(ValueDef {
                    name,
                    spec: spec.clone(),
                    origin: cand.origin.clone(),
                });
            }
        }
    }
    enums.sort_by(|a, b| a.name.cmp(&b.name));
    values.sort_by(|a, b| a.name.cmp(&b.name));

    let mut tables = Vec::new();
    let mut modules = std::collections::BTreeSet::new();
    for ((table, (row_name, insert_name)), per_column) in snapshot
        .tables
        .iter()
        .zip(struct_names)
        .zip(column_constraints)
    {
        let fields = names::field_names(table.columns.iter().map(|c| c.name.as_str()));
        let columns = table
            .columns
            .iter()
            .zip(fields)
            .zip(per_column)
            .map(|((column, field), (c, resolved))| {
                let base_name = c
                    .named_after_domain
                    .clone()
                    .unwrap_or_else(|| column.name.clone());
                let typed_id = typed_id(snapshot, table, column, &resolved, &id_of_table);
                let (scalar, allowed) = if let Some(id) = typed_id {
                    (Scalar::Named(id), AllowedPlan::Any)
                } else if let Some(list) = &c.list {
                    let name = check_enum_name[&(base_name, list.clone())].clone();
                    (
                        Scalar::Named(name.clone()),
                        list_allowed(name, resolved.array),
                    )
                } else if let Some(spec) = &c.spec {
                    let name = value_name[&(base_name, spec.clone())].clone();
                    (Scalar::Named(name.clone()), AllowedPlan::Value(name))
                } else if let BaseType::Enum { name } = resolved.base
                    && let Some(rust) = native_name.get(name.as_str())
                {
                    (
                        Scalar::Named(rust.clone()),
                        list_allowed(rust.clone(), resolved.array),
                    )
                } else if !c.forbidden.is_empty() {
                    (
                        primitive(resolved.base),
                        AllowedPlan::Except(c.forbidden.clone()),
                    )
                } else {
                    (primitive(resolved.base), AllowedPlan::Any)
                };
                let nullable = column.nullable && !resolved.domains.iter().any(|d| d.not_null);
                let has_default = column.default.is_some()
                    || column.identity.is_some()
                    || resolved.domains.iter().any(|d| d.default.is_some());
                let default_varies = column.identity.is_some()
                    || column
                        .default
                        .iter()
                        .chain(resolved.domains.iter().filter_map(|d| d.default.as_ref()))
                        .any(|d| default_varies(d));
                let insertable =
                    column.identity != Some(Identity::Always) && column.generated.is_none();
                ColumnPlan {
                    column,
                    field,
                    ty: RustType {
                        scalar,
                        array: resolved.array,
                    },
                    nullable,
                    has_default,
                    default_varies,
                    required: insertable && !nullable && !has_default,
                    insertable,
                    sql_type: sql_type(&column.ty),
                    allowed,
                }
            })
            .collect();
        // Quoted table names could share a snake_case form; files must not.
        let base = names::module_name(&table.name);
        let module = (1..)
            .map(|n| {
                if n == 1 {
                    base.clone()
                } else {
                    format!("{base}_{n}")
                }
            })
            .find(|m| !modules.contains(m))
            .expect("an unbounded range always yields a free name");
        modules.insert(module.clone());
        tables.push(TablePlan {
            table,
            module,
            row_name,
            insert_name,
            columns,
        });
    }
    ids.sort_by(|a, b| a.name.cmp(&b.name));

    Plan {
        snapshot,
        enums,
        ids,
        values,
        tables,
    }
}

/// Whether a default expression (as `pg_get_expr` prints it) can give another value at each
/// insert: it calls a function (`now()`, `gen_random_uuid()`, `nextval(..)`) or names one of
/// SQL's value functions (`CURRENT_TIMESTAMP`). Constants and casts of constants do not.
fn default_varies(expr: &str) -> bool {
    // Type names that take a modifier in parentheses (`'x'::character varying(10)`).
    const MODIFIED_TYPES: &[&str] = &[
        "VARYING",
        "NUMERIC",
        "DECIMAL",
        "CHAR",
        "CHARACTER",
        "VARCHAR",
        "BPCHAR",
        "BIT",
        "TIME",
        "TIMESTAMP",
        "INTERVAL",
    ];
    const VALUE_FUNCTIONS: &[&str] = &[
        "CURRENT_TIMESTAMP",
        "CURRENT_DATE",
        "CURRENT_TIME",
        "LOCALTIMESTAMP",
        "LOCALTIME",
        "CURRENT_USER",
        "SESSION_USER",
        "CURRENT_ROLE",
    ];
    let mut word = String::new();
    let mut chars = expr.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
            continue;
        }
        let upper = word.to_ascii_uppercase();
        if VALUE_FUNCTIONS.contains(&upper.as_str()) {
            return true;
        }
        if c == '('
            && word.chars().next().is_some_and(|f| !f.is_ascii_digit())
            && !MODIFIED_TYPES.contains(&upper.as_str())
        {
            return true;
        }
        word.clear();
        if c == '\'' {
            // A quoted literal: nothing inside it is code ('' is a quote inside it).
            while let Some(q) = chars.next() {
                if q == '\'' {
                    if chars.peek() == Some(&'\'') {
                        chars.next();
                    } else {
                        break;
                    }
                }
            }
        }
    }
    VALUE_FUNCTIONS.contains(&word.to_ascii_uppercase().as_str())
}

fn list_allowed(name: String, array: bool) -> AllowedPlan {
    if array {
        AllowedPlan::ElementValues(name)
    } else {
        AllowedPlan::Values(name)
    }
}

/// Names for the CHECK enums and value types. A name after the column (or domain) when that
/// column name means one thing everywhere and nothing else wants the name; the table-qualified
/// name otherwise; a numeric suffix as the last resort.
fn choose_candidate_names(
    candidates: &BTreeMap<(String, SharedKey), Candidate>,
    names: &mut TypeNames,
) -> BTreeMap<(String, SharedKey), String> {
    // Per base name and kind (list or value): how many different things it names.
    let mut meanings: BTreeMap<(&str, bool), usize> = BTreeMap::new();
    for cand in candidates.values() {
        let is_list = matches!(cand.key, SharedKey::List(_));
        *meanings.entry((&cand.base, is_list)).or_default() += 1;
    }
    let wants_simple = |cand: &Candidate| {
        let is_list = matches!(cand.key, SharedKey::List(_));
        meanings[&(cand.base.as_str(), is_list)] == 1
    };
    let mut simple_wanted: BTreeMap<&str, usize> = BTreeMap::new();
    for cand in candidates.values().filter(|c| wants_simple(c)) {
        *simple_wanted.entry(&cand.simple).or_default() += 1;
    }
    let mut chosen = BTreeMap::new();
    for (key, cand) in candidates {
        let simple_ok = wants_simple(cand)
            && simple_wanted[cand.simple.as_str()] == 1
            && !names.is_taken(&cand.simple);
        let name = if simple_ok {
            names.claim(&cand.simple)
        } else {
            names.claim(&cand.qualified)
        };
        chosen.insert(key.clone(), name);
    }
    chosen
}

/// The typed id of a column: the table's own for its single uuid primary key, the target's for
/// a single-column FK to a single uuid primary key; for a uuid column without an FK, the id
/// that every single-column FK of that column name elsewhere points to (a `tenant_id` with no
/// constraint of its own is still a tenant's id), when they all agree.
fn typed_id(
    snapshot: &Snapshot,
    table: &Table,
    column: &Column,
    resolved: &Resolved<'_>,
    id_of_table: &BTreeMap<&str, (String, &str)>,
) -> Option<String> {
    if *resolved.base != BaseType::Uuid || resolved.array {
        return None;
    }
    if table.primary_key == [column.name.as_str()] {
        return id_of_table.get(table.name.as_str()).map(|(n, _)| n.clone());
    }
    let fk_id = |fk: &schema::model::ForeignKey| {
        let (id, pk) = id_of_table.get(fk.foreign_table.as_str())?;
        let single = fk.columns == [column.name.as_str()] && fk.foreign_columns == [*pk];
        (single && snapshot.table(&fk.foreign_table).is_some()).then(|| id.clone())
    };
    if let Some(id) = table.foreign_keys.iter().find_map(fk_id) {
        return Some(id);
    }
    let own_fk = table
        .foreign_keys
        .iter()
        .any(|fk| fk.columns.contains(&column.name));
    if own_fk {
        return None;
    }
    let elsewhere: BTreeSet<String> = snapshot
        .tables
        .iter()
        .flat_map(|t| t.foreign_keys.iter())
        .filter(|fk| fk.columns == [column.name.as_str()])
        .map(fk_id)
        .collect::<Option<_>>()?;
    match elsewhere.len() {
        1 => elsewhere.into_iter().next(),
        _ => None,
    }
}

fn primitive(base: &BaseType) -> Scalar {
    match base {
        BaseType::Text | BaseType::Varchar { .. } | BaseType::Char { .. } => Scalar::String,
        BaseType::Uuid => Scalar::Uuid,
        BaseType::Int2 => Scalar::I16,
        BaseType::Int4 => Scalar::I32,
        BaseType::Int8 => Scalar::I64,
        BaseType::Float4 => Scalar::F32,
        BaseType::Float8 => Scalar::F64,
        BaseType::Numeric { .. } => Scalar::Decimal,
        BaseType::Bool => Scalar::Bool,
        BaseType::Date => Scalar::Date,
        BaseType::Time => Scalar::Time,
        BaseType::Timestamp => Scalar::Timestamp,
        BaseType::Timestamptz => Scalar::Timestamptz,
        BaseType::Json | BaseType::Jsonb => Scalar::Json,
        BaseType::Bytea => Scalar::Bytes,
        // An enum or domain missing from the snapshot, interval, inet and the rest: their text.
        BaseType::Interval
        | BaseType::Inet
        | BaseType::Enum { .. }
        | BaseType::Domain { .. }
        | BaseType::Other { .. } => Scalar::String,
    }
}

/// The SQL type as PostgreSQL's `format_type` prints it: what a loader casts a value to.
pub fn sql_type(ty: &ColumnType) -> String {
    let base = match &ty.base {
        BaseType::Text => "text".to_owned(),
        BaseType::Varchar {
            max_length: Some(n),
        } => format!("character varying({n})"),
        BaseType::Varchar { max_length: None } => "character varying".to_owned(),
        BaseType::Char { length: Some(n) } => format!("character({n})"),
        BaseType::Char { length: None } => "bpchar".to_owned(),
        BaseType::Uuid => "uuid".to_owned(),
        BaseType::Int2 => "smallint".to_owned(),
        BaseType::Int4 => "integer".to_owned(),
        BaseType::Int8 => "bigint".to_owned(),
        BaseType::Float4 => "real".to_owned(),
        BaseType::Float8 => "double precision".to_owned(),
        BaseType::Numeric {
            precision: Some(p),
            scale: Some(s),
        } => format!("numeric({p},{s})"),
        BaseType::Numeric {
            precision: Some(p),
            scale: None,
        } => format!("numeric({p})"),
        BaseType::Numeric { .. } => "numeric".to_owned(),
        BaseType::Bool => "boolean".to_owned(),
        BaseType::Date => "date".to_owned(),
        BaseType::Time => "time without time zone".to_owned(),
        BaseType::Timestamp => "timestamp without time zone".to_owned(),
        BaseType::Timestamptz => "timestamp with time zone".to_owned(),
        BaseType::Interval => "interval".to_owned(),
        BaseType::Json => "json".to_owned(),
        BaseType::Jsonb => "jsonb".to_owned(),
        BaseType::Bytea => "bytea".to_owned(),
        BaseType::Inet => "inet".to_owned(),
        BaseType::Enum { name } | BaseType::Domain { name } => quote_ident(name),
        BaseType::Other { name } => name.clone(),
    };
    if ty.array { format!("{base}[]") } else { base }
}

/// A type name as SQL needs it: bare when it is a plain lower-case identifier, else quoted.
fn quote_ident(name: &str) -> String {
    let plain = name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if plain {
        name.to_owned()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

#[cfg(test)]
mod tests {
    use super::default_varies;

    #[test]
    fn defaults_that_vary_per_insert_are_told_from_constants() {
        for varies in [
            "now()",
            "gen_random_uuid()",
            "uuid_generate_v4()",
            "nextval('t_id_seq'::regclass)",
            "CURRENT_TIMESTAMP",
            "(now() + '1 day'::interval)",
        ] {
            assert!(default_varies(varies), "{varies}");
        }
        for constant in [
            "0",
            "false",
            "'USD'::text",
            "'now()'::text",
            "'it''s (not) a call'::text",
            "ARRAY[]::text[]",
            "'{}'::jsonb",
            "'draft'::validation_status",
            "'USD'::character varying(3)",
            "(0)::numeric(10,2)",
        ] {
            assert!(!default_varies(constant), "{constant}");
        }
    }
}
