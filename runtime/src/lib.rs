//! Support code the generated modules share: the error of a refused value, SQL values with their
//! literal and COPY forms, the JSON readers behind the insert structs' `from_json`, and the
//! types of the table metadata.
//!
//! One crate for every generated crate, compiled once: the generated `runtime.rs` re-exports it,
//! so generated code names these items as `crate::runtime::...`. Nothing here depends on a
//! snapshot.
#![forbid(unsafe_code)]

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::Value;

/// A JSON object: a document's fields by column name.
pub type JsonObject = serde_json::Map<String, Value>;

/// A row's fields by column name, as the insert structs read them: a [`JsonObject`], or a
/// list of (column, value) pairs, which a loader builds per row far more cheaply (a row has
/// few enough fields that a scan beats hashing every name).
pub trait Fields {
    /// The value given for `column`, if any.
    fn field(&self, column: &str) -> Option<&Value>;
    /// Every column given, in order.
    fn columns(&self) -> Vec<&str>;
}

impl Fields for JsonObject {
    fn field(&self, column: &str) -> Option<&Value> {
        self.get(column)
    }
    fn columns(&self) -> Vec<&str> {
        self.keys().map(String::as_str).collect()
    }
}

impl Fields for Vec<(&str, Value)> {
    fn field(&self, column: &str) -> Option<&Value> {
        self.iter().find(|(c, _)| *c == column).map(|(_, v)| v)
    }
    fn columns(&self) -> Vec<&str> {
        self.iter().map(|(c, _)| *c).collect()
    }
}

/// Column values for an INSERT, in column order.
pub type InsertValues = Vec<(&'static str, SqlValue)>;

/// A table's insert struct read from JSON and turned into its column values.
pub type FromJsonFn = fn(&dyn Fields) -> Result<InsertValues, Vec<FieldError>>;

/// A value that a generated type does not allow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidValue {
    /// The Rust type that refused it (`Severity`).
    pub type_name: &'static str,
    /// The value as given.
    pub value: String,
    /// What is allowed: `'low', 'high'` or `>= 1 and <= 10`.
    pub allowed: String,
}

impl InvalidValue {
    pub fn new(
        type_name: &'static str,
        value: impl fmt::Display,
        allowed: impl Into<String>,
    ) -> Self {
        InvalidValue {
            type_name,
            value: value.to_string(),
            allowed: allowed.into(),
        }
    }

    /// For an enum: `allowed` lists every value, quoted, comma separated.
    pub fn one_of(type_name: &'static str, value: &str, values: &[&str]) -> Self {
        InvalidValue::new(type_name, value, quoted_list(values))
    }
}

impl fmt::Display for InvalidValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid {} '{}': allowed {}",
            self.type_name, self.value, self.allowed
        )
    }
}

impl std::error::Error for InvalidValue {}

/// `'a', 'b', 'c'`.
pub fn quoted_list(values: &[&str]) -> String {
    values
        .iter()
        .map(|v| format!("'{v}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One field of a JSON document that cannot become its column's value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub column: String,
    pub message: String,
}

impl FieldError {
    pub fn new(column: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            column: column.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.column, self.message)
    }
}

impl std::error::Error for FieldError {}

/// A value bound for a column, in the form a loader writes into SQL or COPY data.
/// The loader casts it to the column's `ColumnMeta::sql_type`, so one text form serves every
/// type without a variant of its own (floats, intervals, arrays of anything).
#[derive(Clone, Debug, PartialEq)]
pub enum SqlValue {
    Null,
    Text(String),
    TextArray(Vec<String>),
    Uuid(uuid::Uuid),
    Int(i64),
    Decimal(Decimal),
    Bool(bool),
    Date(chrono::NaiveDate),
    Time(chrono::NaiveTime),
    Timestamptz(chrono::DateTime<chrono::Utc>),
    Json(Value),
}

impl SqlValue {
    /// An array of any element type, as the text of each element.
    pub fn array<T: ToSqlValue>(items: &[T]) -> SqlValue {
        SqlValue::TextArray(
            items
                .iter()
                .map(|item| item.to_sql_value().to_text().unwrap_or_default())
                .collect(),
        )
    }

    /// `bytea` in PostgreSQL's hex input format (`\x0aff`).
    pub fn bytea(bytes: &[u8]) -> SqlValue {
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        SqlValue::Text(format!("\\x{hex}"))
    }

    pub fn is_null(&self) -> bool {
        matches!(self, SqlValue::Null)
    }

    /// The text PostgreSQL's input function for the column type reads; `None` for NULL.
    /// Arrays are array literals (`{"a","b"}`).
    pub fn to_text(&self) -> Option<String> {
        Some(match self {
            SqlValue::Null => return None,
            SqlValue::Text(s) => s.clone(),
            SqlValue::TextArray(items) => array_literal(items),
            SqlValue::Uuid(u) => u.to_string(),
            SqlValue::Int(i) => i.to_string(),
            SqlValue::Decimal(d) => d.to_string(),
            SqlValue::Bool(b) => b.to_string(),
            SqlValue::Date(d) => d.format("%Y-%m-%d").to_string(),
            SqlValue::Time(t) => t.format("%H:%M:%S%.f").to_string(),
            SqlValue::Timestamptz(t) => t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false),
            SqlValue::Json(v) => v.to_string(),
        })
    }

    /// A SQL literal: numbers and booleans bare, everything else a quoted string with quotes
    /// doubled (backslashes stay as they are: `standard_conforming_strings` is on, as it has
    /// been by default since PostgreSQL 9.1); arrays as a quoted array literal (`'{"a","b"}'`).
    /// The loader adds the cast (`::text[]`, `::validation_status`).
    pub fn to_sql_literal(&self) -> String {
        match self {
            SqlValue::Null => "NULL".to_owned(),
            SqlValue::Int(i) => i.to_string(),
            SqlValue::Decimal(d) => d.to_string(),
            SqlValue::Bool(true) => "TRUE".to_owned(),
            SqlValue::Bool(false) => "FALSE".to_owned(),
            other => quote_literal(&other.to_text().unwrap_or_default()),
        }
    }

    /// The field in COPY text format: backslash, tab, newline and carriage return escaped;
    /// `None` for NULL (written `\N`).
    pub fn to_copy_text(&self) -> Option<String> {
        self.to_text().map(|text| copy_escape(&text))
    }
}

/// `'it''s'`; text with a backslash as an escape string (`E'a\\b'`), whose meaning does not
/// depend on the server's `standard_conforming_strings`.
pub fn quote_literal(s: &str) -> String {
    if s.contains('\\') {
        format!("E'{}'", s.replace('\\', "\\\\").replace('\'', "''"))
    } else {
        format!("'{}'", s.replace('\'', "''"))
    }
}

/// `{"a","b \"c\""}`: every element quoted, so that empty strings, `NULL`, commas and braces
/// stay plain text.
pub fn array_literal(items: &[String]) -> String {
    // One buffer, no String per element: arrays are written for every row of a deploy.
    let mut out = String::with_capacity(2 + items.iter().map(|i| i.len() + 3).sum::<usize>());
    out.push('{');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('"');
        for c in item.chars() {
            if c == '\\' || c == '"' {
                out.push('\\');
            }
            out.push(c);
        }
        out.push('"');
    }
    out.push('}');
    out
}

/// COPY text format escaping of one field.
pub fn copy_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out
}

/// A Rust value that goes into a column.
pub trait ToSqlValue {
    fn to_sql_value(&self) -> SqlValue;
}

impl ToSqlValue for String {
    fn to_sql_value(&self) -> SqlValue {
        SqlValue::Text(self.clone())
    }
}

impl ToSqlValue for i16 {
    fn to_sql_value(&self) -> SqlValue {
        SqlValue::Int(i64::from(*self))
    }
}

impl ToSqlValue for i32 {
    fn to_sql_value(&self) -> SqlValue {
        SqlValue::Int(i64::from(*self))
    }
}

impl ToSqlValue for i64 {
    fn to_sql_value(&self) -> SqlValue {
        SqlValue::Int(*self)
    }
}

/// PostgreSQL spells the special floats `NaN`, `Infinity`, `-Infinity`.
fn float_text(value: f64, display: String) -> String {
    if value.is_nan() {
        "NaN".to_owned()
    } else if value.is_infinite() && value > 0.0 {
        "Infinity".to_owned()
    } else if value.is_infinite() {
        "-Infinity".to_owned()
    } else {
        display
    }
}

impl ToSqlValue for f32 {
    fn to_sql_value(&self) -> SqlValue {
        SqlValue::Text(float_text(f64::from(*self), self.to_string()))
    }
}

impl ToSqlValue for f64 {
    fn to_sql_value(&self) -> SqlValue {
        SqlValue::Text(float_text(*self, self.to_string()))
    }
}

impl ToSqlValue for Decimal {
    fn to_sql_value(&self) -> SqlValue {
        SqlValue::Decimal(*self)
    }
}

impl ToSqlValue for bool {
    fn to_sql_value(&self) -> SqlValue {
        SqlValue::Bool(*self)
    }
}

impl ToSqlValue for chrono::NaiveDate {
    fn to_sql_value(&self) -> SqlValue {
        SqlValue::Date(*self)
    }
}

impl ToSqlValue for chrono::NaiveTime {
    fn to_sql_value(&self) -> SqlValue {
        SqlValue::Time(*self)
    }
}

impl ToSqlValue for chrono::DateTime<chrono::Utc> {
    fn to_sql_value(&self) -> SqlValue {
        SqlValue::Timestamptz(*self)
    }
}

impl ToSqlValue for chrono::NaiveDateTime {
    fn to_sql_value(&self) -> SqlValue {
        SqlValue::Text(self.format("%Y-%m-%d %H:%M:%S%.f").to_string())
    }
}

impl ToSqlValue for Value {
    fn to_sql_value(&self) -> SqlValue {
        SqlValue::Json(self.clone())
    }
}

impl ToSqlValue for uuid::Uuid {
    fn to_sql_value(&self) -> SqlValue {
        SqlValue::Uuid(*self)
    }
}

/// `bytea`.
impl ToSqlValue for Vec<u8> {
    fn to_sql_value(&self) -> SqlValue {
        SqlValue::bytea(self)
    }
}

/// A Rust value read from one JSON field of a document.
pub trait FromJsonValue: Sized {
    /// What the JSON must hold, for error messages (`a string`, `an integer (integer)`).
    const EXPECTED: &'static str;

    /// The value, or a message saying what is wrong with it.
    fn from_json_value(value: &Value) -> Result<Self, String>;
}

/// `expected a string, got a number`.
pub fn expected(what: &str, value: &Value) -> String {
    let got = match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    };
    format!("expected {what}, got {got}")
}

impl FromJsonValue for String {
    const EXPECTED: &'static str = "a string";

    fn from_json_value(value: &Value) -> Result<Self, String> {
        match value {
            Value::String(s) => {
                refuse_nul(s)?;
                Ok(s.clone())
            }
            other => Err(expected(Self::EXPECTED, other)),
        }
    }
}

/// PostgreSQL's text (and jsonb) cannot hold U+0000: refused here, with the input's place,
/// rather than by the server in the middle of a deploy.
fn refuse_nul(s: &str) -> Result<(), String> {
    match s.find('\0') {
        Some(at) => Err(format!(
            "contains a NUL character (U+0000) at character {}, which PostgreSQL text cannot store",
            s[..at].chars().count() + 1
        )),
        None => Ok(()),
    }
}

/// [`refuse_nul`] for every string and key of a JSON value.
fn refuse_nul_in_json(value: &Value) -> Result<(), String> {
    match value {
        Value::String(s) => refuse_nul(s),
        Value::Array(items) => items.iter().try_for_each(refuse_nul_in_json),
        Value::Object(map) => map.iter().try_for_each(|(k, v)| {
            refuse_nul(k).map_err(|e| format!("key {k:?} {e}"))?;
            refuse_nul_in_json(v)
        }),
        _ => Ok(()),
    }
}

/// An integer from a JSON number (`3` or `3.0`), within the range of the SQL type.
fn json_integer(value: &Value, what: &str, sql_type: &str) -> Result<i64, String> {
    let Value::Number(number) = value else {
        return Err(expected(what, value));
    };
    if let Some(i) = number.as_i64() {
        return Ok(i);
    }
    // `3.0`, `1e2`: exactly, through the number's text (a float would round big ones).
    match parse_decimal(&number.to_string()) {
        Ok(d) if d.fract().is_zero() => {
            i64::try_from(d).map_err(|_| format!("{number} is out of range for {sql_type}"))
        }
        Ok(_) => Err(format!("expected {what}, got {number}")),
        Err(_) if number.as_f64().is_some_and(|f| f.fract() == 0.0) => {
            Err(format!("{number} is out of range for {sql_type}"))
        }
        Err(_) => Err(format!("expected {what}, got {number}")),
    }
}

impl FromJsonValue for i16 {
    const EXPECTED: &'static str = "an integer (smallint)";

    fn from_json_value(value: &Value) -> Result<Self, String> {
        let i = json_integer(value, Self::EXPECTED, "smallint")?;
        i16::try_from(i).map_err(|_| format!("{i} is out of range for smallint"))
    }
}

impl FromJsonValue for i32 {
    const EXPECTED: &'static str = "an integer (integer)";

    fn from_json_value(value: &Value) -> Result<Self, String> {
        let i = json_integer(value, Self::EXPECTED, "integer")?;
        i32::try_from(i).map_err(|_| format!("{i} is out of range for integer"))
    }
}

impl FromJsonValue for i64 {
    const EXPECTED: &'static str = "an integer (bigint)";

    fn from_json_value(value: &Value) -> Result<Self, String> {
        json_integer(value, Self::EXPECTED, "bigint")
    }
}

impl FromJsonValue for f32 {
    const EXPECTED: &'static str = "a number (real)";

    fn from_json_value(value: &Value) -> Result<Self, String> {
        let f = f64::from_json_value(value).map_err(|_| expected(Self::EXPECTED, value))?;
        let narrowed = f as f32;
        if narrowed.is_finite() {
            Ok(narrowed)
        } else {
            Err(format!("{value} is out of range for real"))
        }
    }
}

impl FromJsonValue for f64 {
    const EXPECTED: &'static str = "a number (double precision)";

    fn from_json_value(value: &Value) -> Result<Self, String> {
        match value.as_f64() {
            Some(f) if f.is_finite() => Ok(f),
            Some(_) => Err(format!("{value} is out of range for double precision")),
            None => Err(expected(Self::EXPECTED, value)),
        }
    }
}

/// A decimal from its text, exactly (no silent rounding), scientific notation allowed.
pub fn parse_decimal(text: &str) -> Result<Decimal, String> {
    let text = text.trim();
    Decimal::from_str_exact(text)
        .or_else(|_| Decimal::from_scientific(text))
        .map_err(|_| {
            if text.parse::<f64>().is_ok() {
                format!("{text} is out of range (or has more digits than can be kept exactly)")
            } else {
                format!("'{text}' is not a decimal number")
            }
        })
}

impl FromJsonValue for Decimal {
    const EXPECTED: &'static str = "a number or a numeric string (numeric)";

    fn from_json_value(value: &Value) -> Result<Self, String> {
        match value {
            Value::Number(n) => parse_decimal(&n.to_string()),
            Value::String(s) => parse_decimal(s),
            other => Err(expected(Self::EXPECTED, other)),
        }
    }
}

impl FromJsonValue for bool {
    const EXPECTED: &'static str = "true or false (boolean)";

    fn from_json_value(value: &Value) -> Result<Self, String> {
        value
            .as_bool()
            .ok_or_else(|| expected(Self::EXPECTED, value))
    }
}

/// The string of a JSON string, parsed with the first of `formats` that fits.
fn parse_with<T>(
    value: &Value,
    what: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<T, String> {
    match value {
        Value::String(s) => parse(s.trim()).ok_or_else(|| format!("expected {what}, got '{s}'")),
        other => Err(expected(what, other)),
    }
}

impl FromJsonValue for chrono::NaiveDate {
    const EXPECTED: &'static str = "a date string YYYY-MM-DD (date)";

    fn from_json_value(value: &Value) -> Result<Self, String> {
        parse_with(value, Self::EXPECTED, |s| {
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
        })
    }
}

impl FromJsonValue for chrono::NaiveTime {
    const EXPECTED: &'static str = "a time string HH:MM[:SS] (time)";

    fn from_json_value(value: &Value) -> Result<Self, String> {
        parse_with(value, Self::EXPECTED, |s| {
            chrono::NaiveTime::parse_from_str(s, "%H:%M:%S%.f")
                .or_else(|_| chrono::NaiveTime::parse_from_str(s, "%H:%M"))
                .ok()
        })
    }
}

impl FromJsonValue for chrono::DateTime<chrono::Utc> {
    const EXPECTED: &'static str =
        "a timestamp string with a time zone, RFC 3339 (timestamp with time zone)";

    fn from_json_value(value: &Value) -> Result<Self, String> {
        parse_with(value, Self::EXPECTED, |s| {
            chrono::DateTime::parse_from_rfc3339(s)
                .or_else(|_| chrono::DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f%#z"))
                .ok()
                .map(|t| t.with_timezone(&chrono::Utc))
        })
    }
}

impl FromJsonValue for chrono::NaiveDateTime {
    const EXPECTED: &'static str =
        "a timestamp string YYYY-MM-DD HH:MM:SS (timestamp without time zone)";

    fn from_json_value(value: &Value) -> Result<Self, String> {
        parse_with(value, Self::EXPECTED, |s| {
            chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
                .or_else(|_| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f"))
                .ok()
        })
    }
}

impl FromJsonValue for Value {
    const EXPECTED: &'static str = "any JSON value (json)";

    fn from_json_value(value: &Value) -> Result<Self, String> {
        refuse_nul_in_json(value)?;
        Ok(value.clone())
    }
}

impl FromJsonValue for uuid::Uuid {
    const EXPECTED: &'static str = "a uuid string (uuid)";

    fn from_json_value(value: &Value) -> Result<Self, String> {
        parse_with(value, Self::EXPECTED, |s| uuid::Uuid::from_str(s).ok())
    }
}

/// `bytea`: a hex string (`\x0aff`) or an array of byte values.
impl FromJsonValue for Vec<u8> {
    const EXPECTED: &'static str = "a hex string \\x... or an array of bytes (bytea)";

    fn from_json_value(value: &Value) -> Result<Self, String> {
        match value {
            Value::String(s) => {
                let hex = s
                    .strip_prefix("\\x")
                    .filter(|h| h.len() % 2 == 0 && h.bytes().all(|b| b.is_ascii_hexdigit()))
                    .ok_or_else(|| format!("expected {}, got '{s}'", Self::EXPECTED))?;
                (0..hex.len())
                    .step_by(2)
                    .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).map_err(|e| e.to_string()))
                    .collect()
            }
            Value::Array(items) => items
                .iter()
                .map(|item| {
                    item.as_u64()
                        .and_then(|b| u8::try_from(b).ok())
                        .ok_or_else(|| expected("a byte 0..=255", item))
                })
                .collect(),
            other => Err(expected(Self::EXPECTED, other)),
        }
    }
}

/// One value of a scalar column.
pub fn json_scalar<T: FromJsonValue>(value: &Value) -> Result<T, String> {
    T::from_json_value(value)
}

/// A text column with a negated value list (`<> ALL (ARRAY[..])`, `NOT IN (..)`): any text
/// but the forbidden values, which the message lists.
pub fn json_text_except(value: &Value, forbidden: &[&str]) -> Result<String, String> {
    let text = String::from_json_value(value)?;
    if forbidden.contains(&text.as_str()) {
        return Err(format!(
            "'{text}' is not allowed: any text except {}",
            quoted_list(forbidden)
        ));
    }
    Ok(text)
}

/// An array column: a JSON array whose every element reads as `T`; the message names each
/// element that does not.
pub fn json_array<T: FromJsonValue>(value: &Value) -> Result<Vec<T>, String> {
    let Value::Array(items) = value else {
        return Err(expected(&format!("an array of {}", T::EXPECTED), value));
    };
    let mut out = Vec::with_capacity(items.len());
    let mut problems = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match T::from_json_value(item) {
            Ok(v) => out.push(v),
            Err(message) => problems.push(format!("element {i}: {message}")),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems.join("; "))
    }
}

/// A field the document must give (NOT NULL, no default); a missing or null one is an error.
pub fn field_required<T>(
    map: &(impl Fields + ?Sized),
    column: &str,
    parse: fn(&Value) -> Result<T, String>,
    errors: &mut Vec<FieldError>,
) -> Option<T> {
    match map.field(column) {
        None => {
            errors.push(FieldError::new(column, "missing required value"));
            None
        }
        Some(Value::Null) => {
            errors.push(FieldError::new(
                column,
                "must not be null (NOT NULL without a default)",
            ));
            None
        }
        Some(value) => parse(value)
            .map_err(|message| errors.push(FieldError::new(column, message)))
            .ok(),
    }
}

/// A field the document may leave out; null means "not given" (NULL, or the column default).
pub fn field_optional<T>(
    map: &(impl Fields + ?Sized),
    column: &str,
    parse: fn(&Value) -> Result<T, String>,
    errors: &mut Vec<FieldError>,
) -> Option<T> {
    match map.field(column) {
        None | Some(Value::Null) => None,
        Some(value) => parse(value)
            .map_err(|message| errors.push(FieldError::new(column, message)))
            .ok(),
    }
}

/// An error for every key that is not an insertable column.
pub fn check_columns(
    map: &(impl Fields + ?Sized),
    insertable: &[&str],
    read_only: &[&str],
    errors: &mut Vec<FieldError>,
) {
    for key in map.columns() {
        if read_only.contains(&key) {
            errors.push(FieldError::new(
                key,
                "is generated by the database and cannot be set",
            ));
        } else if !insertable.contains(&key) {
            errors.push(FieldError::new(key, "unknown column"));
        }
    }
}

/// Serializes a decimal as a JSON number when the number says exactly the same (an integer, or
/// a float that prints back to the same digits), else as a string: no value is silently rounded.
pub fn serialize_decimal<S: serde::Serializer>(
    value: &Decimal,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let value = value.normalize();
    let text = value.to_string();
    if value.scale() == 0
        && let Ok(i) = text.parse::<i64>()
    {
        return serializer.serialize_i64(i);
    }
    match text.parse::<f64>() {
        Ok(f) if f.is_finite() && f.to_string() == text => serializer.serialize_f64(f),
        _ => serializer.serialize_str(&text),
    }
}

/// A table as the loader needs it.
#[derive(Clone, Copy, Debug)]
pub struct TableMeta {
    pub name: &'static str,
    /// In column order.
    pub columns: &'static [ColumnMeta],
    pub primary_key: &'static [&'static str],
    pub unique_keys: &'static [&'static [&'static str]],
    pub foreign_keys: &'static [ForeignKeyMeta],
    /// Where documents nest this table: under `personas`, or under a child of it.
    pub parent: Option<ParentLink>,
    pub comment: Option<&'static str>,
    /// A document's fields read through the table's insert struct (every field error at once)
    /// and turned into column values.
    pub from_json: FromJsonFn,
}

impl TableMeta {
    pub fn column(&self, name: &str) -> Option<&'static ColumnMeta> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// A column as the loader needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ColumnMeta {
    pub name: &'static str,
    /// The SQL type to cast a value to: `uuid`, `text[]`, `numeric(4,3)`, `validation_status`.
    pub sql_type: &'static str,
    pub nullable: bool,
    /// A default of the column or its domain, or an identity.
    pub has_default: bool,
    /// The default is worked out at each insert (`now()`, `gen_random_uuid()`, an identity): a
    /// re-run that compares rows leaves such a column alone unless the input gives it.
    pub default_varies: bool,
    /// NOT NULL, no default, not identity, not generated: every insert gives it.
    pub required: bool,
    /// False for identity ALWAYS and generated columns.
    pub insertable: bool,
    pub allowed: Allowed,
    pub comment: Option<&'static str>,
    /// Set when documents may name the referenced row by its slug.
    pub slug_ref: Option<SlugRef>,
}

/// What a column's CHECKs (or enum type, or numeric precision) allow.
/// For an array column, `Range` and `Precision` apply to each element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Allowed {
    /// Whatever the SQL type takes.
    Any,
    /// One of these exact strings.
    Values(&'static [&'static str]),
    /// An array whose every element is one of these exact strings.
    ElementValues(&'static [&'static str]),
    /// Any text but these exact strings (a negated value list).
    Except(&'static [&'static str]),
    /// A number within these bounds (a bound is a decimal literal).
    Range {
        min: Option<RangeBound>,
        max: Option<RangeBound>,
    },
    /// A `numeric(precision, scale)`: at most `scale` fractional digits and
    /// `precision - scale` integer digits, and within the bounds if any.
    Precision {
        precision: u32,
        scale: u32,
        min: Option<RangeBound>,
        max: Option<RangeBound>,
    },
}

/// One end of a range: `value` as a decimal literal (`"0"`, `"0.5"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RangeBound {
    pub value: &'static str,
    pub inclusive: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ForeignKeyMeta {
    pub name: &'static str,
    pub columns: &'static [&'static str],
    pub foreign_table: &'static str,
    pub foreign_columns: &'static [&'static str],
}

/// The table a nested table's rows belong to, and the NOT NULL FK column that points there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParentLink {
    pub table: &'static str,
    pub column: &'static str,
}

/// A FK column whose target has a unique `slug` (alone or per tenant): documents may give the
/// slug (`role: medical-science-liaison`) instead of the id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SlugRef {
    pub table: &'static str,
    pub slug_column: &'static str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sql_literals_double_quotes() {
        assert_eq!(
            SqlValue::Text("it's \\n".into()).to_sql_literal(),
            "E'it''s \\\\n'"
        );
        assert_eq!(SqlValue::Text("it's".into()).to_sql_literal(), "'it''s'");
        assert_eq!(SqlValue::Null.to_sql_literal(), "NULL");
        assert_eq!(SqlValue::Int(-3).to_sql_literal(), "-3");
        assert_eq!(SqlValue::Bool(true).to_sql_literal(), "TRUE");
        assert_eq!(
            SqlValue::TextArray(vec!["a\"b".into(), "c'd".into(), String::new()]).to_sql_literal(),
            "E'{\"a\\\\\"b\",\"c''d\",\"\"}'"
        );
    }

    #[test]
    fn copy_text_escapes() {
        assert_eq!(
            SqlValue::Text("a\tb\nc\\d\re".into())
                .to_copy_text()
                .as_deref(),
            Some("a\\tb\\nc\\\\d\\re")
        );
        assert_eq!(SqlValue::Null.to_copy_text(), None);
        assert_eq!(
            SqlValue::TextArray(vec!["x\\y".into(), "q\"".into()])
                .to_copy_text()
                .as_deref(),
            Some("{\"x\\\\\\\\y\",\"q\\\\\"\"}")
        );
    }

    #[test]
    fn arrays_and_bytea() {
        assert_eq!(
            SqlValue::array(&[1_i32, 2]),
            SqlValue::TextArray(vec!["1".into(), "2".into()])
        );
        assert_eq!(
            SqlValue::bytea(&[0x0a, 0xff]),
            SqlValue::Text("\\x0aff".into())
        );
        assert_eq!(
            Vec::<u8>::from_json_value(&Value::from("\\x0aff")),
            Ok(vec![0x0a, 0xff])
        );
    }

    #[test]
    fn json_readers_say_what_is_wrong() {
        let map: JsonObject =
            serde_json::from_str(r#"{"a": "x", "b": null, "c": [1, "y"]}"#).expect("valid JSON");
        let mut errors = Vec::new();
        assert_eq!(
            field_required(&map, "a", json_scalar::<i32>, &mut errors),
            None
        );
        assert_eq!(
            field_required(&map, "b", json_scalar::<i32>, &mut errors),
            None
        );
        assert_eq!(
            field_optional(&map, "c", json_array::<i32>, &mut errors),
            None
        );
        assert_eq!(
            field_optional(&map, "d", json_scalar::<i32>, &mut errors),
            None
        );
        let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [
                "a: expected an integer (integer), got a string",
                "b: must not be null (NOT NULL without a default)",
                "c: element 1: expected an integer (integer), got a string",
            ]
        );
        assert_eq!(
            Decimal::from_json_value(&Value::from("1.250")),
            Ok(Decimal::new(1250, 3))
        );
        assert_eq!(
            Decimal::from_json_value(&serde_json::json!(0.1)),
            Ok(Decimal::new(1, 1))
        );
    }

    #[test]
    fn invalid_value_display() {
        let e = InvalidValue::one_of("Severity", "huge", &["low", "high"]);
        assert_eq!(
            e.to_string(),
            "invalid Severity 'huge': allowed 'low', 'high'"
        );
    }
}
