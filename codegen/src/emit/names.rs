//! Rust names from SQL names: type names, enum variants, field names, typed-id names.
//!
//! Everything here is a pure function of its input (plus [`TypeNames`], which hands out unique
//! names in the order asked), so the emitted code is deterministic.

use std::collections::BTreeSet;

/// The words of a SQL name or label: ASCII letters and digits, split at every other character
/// and at camel-case boundaries (`userID` -> `user`, `ID`; `HTTPServer` -> `HTTP`, `Server`).
/// Non-ASCII letters count as separators: generated identifiers stay plain ASCII.
pub fn words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    for chunk in s.split(|c: char| !c.is_ascii_alphanumeric()) {
        let chars: Vec<char> = chunk.chars().collect();
        let mut word = String::new();
        for (i, &c) in chars.iter().enumerate() {
            if i > 0 && c.is_ascii_uppercase() {
                let prev = chars[i - 1];
                let next_is_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
                let boundary = prev.is_ascii_lowercase()
                    || prev.is_ascii_digit()
                    || (prev.is_ascii_uppercase() && next_is_lower);
                if boundary && !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                }
            }
            word.push(c);
        }
        if !word.is_empty() {
            out.push(word);
        }
    }
    out
}

/// `in-progress` -> `InProgress`, `N/A` -> `NA`, `NPS` -> `Nps`. May be empty or start with a digit.
pub fn pascal_case(s: &str) -> String {
    words(s)
        .iter()
        .map(|w| {
            let lower = w.to_ascii_lowercase();
            let mut chars = lower.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// `Status` -> `status`, `First Name` -> `first_name`, `userID` -> `user_id`.
pub fn snake_case(s: &str) -> String {
    words(s)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_")
}

/// A type name: PascalCase, never empty, never starting with a digit.
pub fn type_name(s: &str) -> String {
    let name = pascal_case(s);
    if name.is_empty() {
        "Unnamed".to_owned()
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("T{name}")
    } else {
        name
    }
}

/// The table name without a leading `persona_` (the family prefix says nothing in a qualified
/// name: `persona_goals.priority` -> `GoalsPriority`).
pub fn table_stem(table: &str) -> &str {
    match table.strip_prefix("persona_") {
        Some(rest) if !rest.is_empty() => rest,
        _ => table,
    }
}

/// The name of a type that a column name would give, qualified with its table:
/// (`persona_goals`, `priority`) -> `GoalsPriority`.
pub fn qualified_type_name(table: &str, column: &str) -> String {
    type_name(&format!("{}_{}", table_stem(table), column))
}

/// English singular of one lower-case word, by the simple rule the schema needs:
/// `ies` -> `y`, a trailing `s` dropped unless the word ends in `ss`, `us` or `is`.
pub fn singular(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ies") {
        return format!("{stem}y");
    }
    let keeps_s = ["ss", "us", "is"].iter().any(|end| word.ends_with(end));
    match word.strip_suffix('s') {
        Some(stem) if !keeps_s && !stem.is_empty() => stem.to_owned(),
        _ => word.to_owned(),
    }
}

/// PascalCase of the table name with its last word made singular:
/// `persona_case_studies` -> `PersonaCaseStudy`, `org_roles` -> `OrgRole`.
pub fn singular_type_name(table: &str) -> String {
    let mut ws: Vec<String> = words(table)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect();
    if let Some(last) = ws.last_mut() {
        *last = singular(last);
    }
    type_name(&ws.join("_"))
}

/// The typed id of a table: `personas` -> `PersonaId`.
pub fn id_type_name(table: &str) -> String {
    format!("{}Id", singular_type_name(table))
}

/// The row struct of a table: `persona_pain_points` -> `PersonaPainPointsRow`.
pub fn row_type_name(table: &str) -> String {
    format!("{}Row", type_name(table))
}

/// The insert struct of a table: `persona_pain_points` -> `NewPersonaPainPoint`.
pub fn insert_type_name(table: &str) -> String {
    format!("New{}", singular_type_name(table))
}

/// Variant names for enum labels, in label order: PascalCase, `V` before a leading digit
/// (`24x7` -> `V24x7`), `Empty` for a label without letters or digits, and a numeric suffix from 2
/// on for a name already taken by an earlier label (`High`, `high` -> `High`, `High2`).
pub fn variant_names(labels: &[String]) -> Vec<String> {
    // `Self` is a keyword and cannot name a variant.
    let mut used: BTreeSet<String> = BTreeSet::from(["Self".to_owned()]);
    labels
        .iter()
        .map(|label| {
            let base = match pascal_case(label) {
                name if name.is_empty() => "Empty".to_owned(),
                name if name.starts_with(|c: char| c.is_ascii_digit()) => format!("V{name}"),
                name => name,
            };
            let name = unique(&base, |n| used.contains(n));
            used.insert(name.clone());
            name
        })
        .collect()
}

/// `base`, or `base2`, `base3`, ... : the first that `taken` refuses.
fn unique(base: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_owned();
    }
    (2..)
        .map(|n| format!("{base}{n}"))
        .find(|n| !taken(n))
        .expect("an unbounded range always yields a free name")
}

/// Keywords of Rust 2024 (strict and reserved): a field with one of these names is written as a
/// raw identifier.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers (`r#self` is not Rust).
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

pub fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// The Rust field of a column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldName {
    /// As written in Rust: `name`, `r#type`.
    pub ident: String,
    /// The column name when it differs from the field name (`#[serde(rename = "Status")]`).
    pub rename: Option<String>,
}

impl FieldName {
    /// The identifier without a `r#` prefix, for building other names from it.
    pub fn bare(&self) -> &str {
        self.ident.strip_prefix("r#").unwrap_or(&self.ident)
    }
}

/// Field names for a table's columns, in column order: the column name when it is already a
/// snake_case identifier (a keyword as a raw identifier: `r#type`), otherwise its snake_case form
/// with a rename (`"Status"` -> `status`); a numeric suffix keeps them distinct.
pub fn field_names<'a>(columns: impl IntoIterator<Item = &'a str>) -> Vec<FieldName> {
    let mut used = BTreeSet::new();
    columns
        .into_iter()
        .map(|column| {
            let mut base = snake_case(column);
            if base.is_empty() {
                base = "column".to_owned();
            } else if base.starts_with(|c: char| c.is_ascii_digit()) {
                base = format!("c_{base}");
            }
            if NOT_RAW.contains(&base.as_str()) {
                base.push('_');
            }
            let bare = unique_snake(&base, |n| used.contains(n));
            used.insert(bare.clone());
            let ident = if is_keyword(&bare) {
                format!("r#{bare}")
            } else {
                bare.clone()
            };
            let rename = (bare != column).then(|| column.to_owned());
            FieldName { ident, rename }
        })
        .collect()
}

/// Like [`unique`] with an underscore before the number (`status`, `status_2`): stays snake_case.
fn unique_snake(base: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_owned();
    }
    (2..)
        .map(|n| format!("{base}_{n}"))
        .find(|n| !taken(n))
        .expect("an unbounded range always yields a free name")
}

/// A module (and file) name for a table: its snake_case form, `_table` after a keyword.
pub fn module_name(table: &str) -> String {
    let mut name = snake_case(table);
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("t_{name}");
    }
    if is_keyword(&name) || NOT_RAW.contains(&name.as_str()) {
        name.push_str("_table");
    }
    name
}

/// Names visible at the generated crate's root (everything is re-exported there), handed out
/// first come, first served.
#[derive(Debug, Default)]
pub struct TypeNames {
    taken: BTreeSet<String>,
}

/// Names the generated code uses unqualified or that the prelude gives: a generated type must
/// not shadow them.
const PRELUDE_AND_RUNTIME: &[&str] = &[
    // std prelude and traits the generated code names
    "AsMut",
    "AsRef",
    "Box",
    "Clone",
    "Copy",
    "Debug",
    "Default",
    "Display",
    "Drop",
    "Eq",
    "Err",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "FromIterator",
    "FromStr",
    "Hash",
    "Into",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Self",
    "Send",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Vec",
    // runtime.rs
    "Allowed",
    "ColumnMeta",
    "FieldError",
    "Fields",
    "ForeignKeyMeta",
    "FromJsonFn",
    "FromJsonValue",
    "InsertValues",
    "InvalidValue",
    "JsonObject",
    "ParentLink",
    "RangeBound",
    "SlugRef",
    "SqlValue",
    "TableMeta",
    "ToSqlValue",
];

impl TypeNames {
    /// With the prelude's and the runtime's names already taken.
    pub fn new() -> Self {
        TypeNames {
            taken: PRELUDE_AND_RUNTIME.iter().map(|s| s.to_string()).collect(),
        }
    }

    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// `preferred`, or with a numeric suffix when it is taken.
    pub fn claim(&mut self, preferred: &str) -> String {
        let name = unique(preferred, |n| self.taken.contains(n));
        self.taken.insert(name.clone());
        name
    }

    /// The first of `choices` that is free, else the last with a numeric suffix.
    pub fn claim_first(&mut self, choices: &[String]) -> String {
        match choices.iter().find(|c| !self.is_taken(c)) {
            Some(free) => self.claim(free),
            None => self.claim(choices.last().map(String::as_str).unwrap_or("Unnamed")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(ls: &[&str]) -> Vec<String> {
        ls.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn variant_names_follow_the_rules() {
        assert_eq!(
            variant_names(&labels(&[
                "in-progress",
                "N/A",
                "Research & Development",
                "24x7",
                "High",
                "high",
                "",
                "IT/Digital",
                "Cost_Savings",
                "self",
            ])),
            [
                "InProgress",
                "NA",
                "ResearchDevelopment",
                "V24x7",
                "High",
                "High2",
                "Empty",
                "ItDigital",
                "CostSavings",
                "Self2",
            ]
        );
    }

    #[test]
    fn id_names_use_the_singular_table_name() {
        for (table, id) in [
            ("personas", "PersonaId"),
            ("tenants", "TenantId"),
            ("org_roles", "OrgRoleId"),
            ("persona_case_studies", "PersonaCaseStudyId"),
            ("persona_week_in_life", "PersonaWeekInLifeId"),
            ("persona_buying_process", "PersonaBuyingProcessId"),
            ("persona_status", "PersonaStatusId"),
            ("persona_analysis", "PersonaAnalysisId"),
        ] {
            assert_eq!(id_type_name(table), id, "{table}");
        }
    }

    #[test]
    fn struct_names() {
        assert_eq!(row_type_name("personas"), "PersonasRow");
        assert_eq!(insert_type_name("personas"), "NewPersona");
        assert_eq!(
            insert_type_name("persona_pain_points"),
            "NewPersonaPainPoint"
        );
        assert_eq!(type_name("conference_type"), "ConferenceType");
        assert_eq!(type_name("validation_status"), "ValidationStatus");
        assert_eq!(
            qualified_type_name("persona_goals", "priority"),
            "GoalsPriority"
        );
        assert_eq!(qualified_type_name("tenants", "tier"), "TenantsTier");
    }

    #[test]
    fn field_names_are_snake_case_identifiers() {
        let names = field_names([
            "id",
            "type",
            "role",
            "Status",
            "First Name",
            "self",
            "status",
        ]);
        let idents: Vec<&str> = names.iter().map(|n| n.ident.as_str()).collect();
        assert_eq!(
            idents,
            [
                "id",
                "r#type",
                "role",
                "status",
                "first_name",
                "self_",
                "status_2"
            ]
        );
        let renames: Vec<Option<&str>> = names.iter().map(|n| n.rename.as_deref()).collect();
        assert_eq!(
            renames,
            [
                None,
                None,
                None,
                Some("Status"),
                Some("First Name"),
                Some("self"),
                Some("status")
            ]
        );
        assert_eq!(names[1].bare(), "type");
    }

    #[test]
    fn words_split_camel_case_and_punctuation() {
        assert_eq!(words("userID"), ["user", "ID"]);
        assert_eq!(words("HTTPServer"), ["HTTP", "Server"]);
        assert_eq!(words("a__b--c"), ["a", "b", "c"]);
        assert_eq!(snake_case("Status"), "status");
        assert_eq!(pascal_case("NPS"), "Nps");
    }

    #[test]
    fn type_names_are_unique() {
        let mut names = TypeNames::new();
        assert_eq!(names.claim("Severity"), "Severity");
        assert_eq!(names.claim("Severity"), "Severity2");
        assert_eq!(names.claim("Result"), "Result2");
        assert_eq!(
            names.claim_first(&["Severity".into(), "GoalsSeverity".into()]),
            "GoalsSeverity"
        );
    }
}
