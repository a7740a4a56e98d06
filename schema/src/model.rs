//! The snapshot: a plain serde model of the schema, the one description everything else reads.
//!
//! It knows nothing of Rust code. `introspect` fills it from a live database, `checks` gives each
//! CHECK its meaning, `emit` prints Rust from it, `diff` compares two of them.
//! Every list is sorted (tables by name, columns by position, constraints by name), so the JSON is
//! byte-for-byte deterministic.

use serde::{Deserialize, Serialize};

/// Bumped when the JSON shape changes.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub format_version: u32,
    /// SHA-256 (hex) of the snapshot's JSON with this field empty.
    pub content_hash: String,
    pub schema: String,
    /// Native enum types used by the included tables (and their domains), by name.
    pub enums: Vec<EnumType>,
    /// Domains used by the included tables, by name.
    pub domains: Vec<Domain>,
    pub tables: Vec<Table>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnumType {
    pub name: String,
    /// In declared order (`enumsortorder`).
    pub labels: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Domain {
    pub name: String,
    pub base: ColumnType,
    pub not_null: bool,
    pub default: Option<String>,
    /// The domain's own CHECKs; their column is `VALUE`.
    pub checks: Vec<Check>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub name: String,
    pub comment: Option<String>,
    pub columns: Vec<Column>,
    pub primary_key: Vec<String>,
    pub unique_keys: Vec<UniqueKey>,
    pub foreign_keys: Vec<ForeignKey>,
    pub checks: Vec<Check>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    /// `attnum`: dropped columns leave gaps.
    pub position: i32,
    #[serde(rename = "type")]
    pub ty: ColumnType,
    pub nullable: bool,
    /// The default expression as PostgreSQL prints it (`now()`, `'USD'::text`).
    pub default: Option<String>,
    pub identity: Option<Identity>,
    /// The expression of a `GENERATED ALWAYS AS (..) STORED` column.
    pub generated: Option<String>,
    pub comment: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Identity {
    Always,
    ByDefault,
}

/// A column's type. `array` is true for one-dimensional arrays of `base` (`text[]`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnType {
    pub base: BaseType,
    pub array: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BaseType {
    Text,
    Varchar {
        max_length: Option<i32>,
    },
    Char {
        length: Option<i32>,
    },
    Uuid,
    Int2,
    Int4,
    Int8,
    Float4,
    Float8,
    /// `precision`/`scale` are `None` for an unconstrained `numeric`.
    Numeric {
        precision: Option<i32>,
        scale: Option<i32>,
    },
    Bool,
    Date,
    Time,
    Timestamp,
    Timestamptz,
    Interval,
    Json,
    Jsonb,
    Bytea,
    Inet,
    /// A native enum type of `Snapshot::enums`.
    Enum {
        name: String,
    },
    /// A domain of `Snapshot::domains`.
    Domain {
        name: String,
    },
    /// Anything else, by its `format_type` name; mapped to a string by the emitter.
    Other {
        name: String,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UniqueKey {
    pub name: String,
    pub columns: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignKey {
    pub name: String,
    pub columns: Vec<String>,
    pub foreign_table: String,
    pub foreign_columns: Vec<String>,
    pub on_update: FkAction,
    pub on_delete: FkAction,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FkAction {
    NoAction,
    Restrict,
    Cascade,
    SetNull,
    SetDefault,
}

impl FkAction {
    pub fn sql(self) -> &'static str {
        match self {
            FkAction::NoAction => "NO ACTION",
            FkAction::Restrict => "RESTRICT",
            FkAction::Cascade => "CASCADE",
            FkAction::SetNull => "SET NULL",
            FkAction::SetDefault => "SET DEFAULT",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    pub name: String,
    /// Verbatim, as `pg_get_constraintdef` prints it.
    pub definition: String,
    /// What the CHECK means, or `Unparsed` (left to the database, listed as a warning).
    pub parsed: CheckKind,
}

/// The meaning of a CHECK, for the forms PostgreSQL stores (see `checks`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CheckKind {
    /// `col = ANY (ARRAY[...])`, `col = 'x'`, `col IN (...)`; `negated` for `<> ALL` / NOT IN.
    /// `allows_null` when the CHECK says `OR col IS NULL` (NULL passes a CHECK anyway: this only
    /// records the spelling).
    ValueList {
        column: String,
        values: Vec<String>,
        negated: bool,
        allows_null: bool,
    },
    /// `col >= a`, `col > a`, `col <= b`, `col < b`, both with AND, or BETWEEN.
    Range {
        column: String,
        min: Option<Bound>,
        max: Option<Bound>,
    },
    /// Every element of an array column is one of `values`
    /// (`col <@ ARRAY[...]` or `ARRAY[...] @> col`).
    ArrayElements { column: String, values: Vec<String> },
    /// A form the parser does not type: kept verbatim, enforced by the database only.
    Unparsed { reason: String },
}

/// One end of a range, as a decimal literal (`"0"`, `"-1"`, `"0.5"`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bound {
    pub value: String,
    pub inclusive: bool,
}

impl Snapshot {
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }

    pub fn domain(&self, name: &str) -> Option<&Domain> {
        self.domains.iter().find(|d| d.name == name)
    }

    /// Every CHECK, with the table (or domain) it belongs to.
    pub fn all_checks(&self) -> impl Iterator<Item = (&str, &Check)> {
        self.tables
            .iter()
            .flat_map(|t| t.checks.iter().map(move |c| (t.name.as_str(), c)))
            .chain(
                self.domains
                    .iter()
                    .flat_map(|d| d.checks.iter().map(move |c| (d.name.as_str(), c))),
            )
    }
}

impl Table {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}
