//! The words a document may use, derived from the generated metadata and nothing else:
//! top-level sections (one per table keyed by (tenant_id, slug): `personas`, `functions`, ...),
//! child sections (a child table named without the family prefix: `pain_points`), grandchild
//! sections nested in their parent row (`case_studies[i].investments`), and references to rows
//! by slug (`role_slug: medical-science-liaison` for `role_id`).

use std::collections::BTreeMap;

// Looked up for every key of every row read: a fast hash (keys are the schema's own names,
// never an attacker's choice of what goes into the map).
use rustc_hash::FxHashMap as HashMap;
use std::sync::OnceLock;

use generated::{ColumnMeta, TABLES, TableMeta};

/// A table whose rows documents list at the top level, identified per tenant by a slug.
#[derive(Debug)]
pub struct RootSection {
    pub key: String,
    pub table: &'static TableMeta,
    pub slug_column: &'static str,
    pub tenant_column: &'static str,
}

/// A table whose rows are nested in a row of `parent`.
#[derive(Debug)]
pub struct ChildSection {
    /// The key in the parent row, then other accepted spellings.
    pub keys: Vec<String>,
    pub table: &'static TableMeta,
    /// The column pointing at the parent row.
    pub parent_column: &'static str,
    /// UNIQUE (parent column) alone: a single map is accepted instead of a list.
    pub one_per_parent: bool,
    /// Unique keys other than the parent column, checked inside one parent.
    pub unique_within_parent: Vec<Vec<&'static str>>,
}

/// A key that names a referenced row by its slug.
#[derive(Debug)]
pub struct SlugReference {
    pub key: String,
    /// The FK column the resolved id goes to (`role_id`).
    pub column: &'static ColumnMeta,
    pub target_table: &'static str,
    pub target_slug_column: &'static str,
    /// A text column of the same table that keeps the slug as written (`personas.role_slug`).
    pub also_sets: Option<&'static str>,
}

#[derive(Debug)]
pub struct Vocabulary {
    pub roots: Vec<RootSection>,
    pub children: BTreeMap<&'static str, Vec<ChildSection>>,
    pub references: BTreeMap<&'static str, Vec<SlugReference>>,
    /// table -> key -> what the key may mean in a row of it (one lookup per key read).
    keys: HashMap<&'static str, HashMap<String, KeyMeaning>>,
}

/// What a key of a row may name; a key can be both a column and a child section (`tags`).
#[derive(Clone, Copy, Debug, Default)]
pub struct KeyMeaning {
    /// Index into `references(table)`.
    pub reference: Option<usize>,
    /// Index into `child_sections(table)`.
    pub section: Option<usize>,
    /// Index into `table.columns`.
    pub column: Option<usize>,
    /// The column is filled by the loader (`is_loader_column`).
    pub loader_column: bool,
}

pub fn vocabulary() -> &'static Vocabulary {
    static VOCABULARY: OnceLock<Vocabulary> = OnceLock::new();
    VOCABULARY.get_or_init(build)
}

/// Extra spellings the seeding guide uses for a reference key.
fn guide_aliases(key: &str) -> &'static [&'static str] {
    match key {
        "function" => &["business_function"],
        _ => &[],
    }
}

fn build() -> Vocabulary {
    let mut roots = vec![];
    let mut children: BTreeMap<&'static str, Vec<ChildSection>> = BTreeMap::new();
    let mut references: BTreeMap<&'static str, Vec<SlugReference>> = BTreeMap::new();
    for table in TABLES {
        if let Some(parent) = &table.parent {
            let unique_within_parent: Vec<Vec<&'static str>> = table
                .unique_keys
                .iter()
                .map(|k| {
                    k.iter()
                        .copied()
                        .filter(|c| *c != parent.column)
                        .collect::<Vec<_>>()
                })
                .filter(|k| !k.is_empty())
                .collect();
            let one_per_parent = table.unique_keys.iter().any(|k| *k == [parent.column]);
            children
                .entry(parent.table)
                .or_default()
                .push(ChildSection {
                    keys: section_keys(table.name, parent.table),
                    table,
                    parent_column: parent.column,
                    one_per_parent,
                    unique_within_parent,
                });
        } else if let Some(key) = table.unique_keys.iter().find(|k| {
            k.len() == 2
                && k.contains(&crate::columns::SLUG)
                && k.contains(&crate::columns::TENANT_ID)
        }) {
            let _ = key;
            roots.push(RootSection {
                key: table
                    .name
                    .strip_prefix("org_")
                    .unwrap_or(table.name)
                    .to_string(),
                table,
                slug_column: crate::columns::SLUG,
                tenant_column: crate::columns::TENANT_ID,
            });
        }
        let mut refs = vec![];
        for column in table.columns {
            let Some(slug_ref) = &column.slug_ref else {
                continue;
            };
            // The link to the parent row is made by nesting, never by a slug.
            if table
                .parent
                .as_ref()
                .is_some_and(|p| p.column == column.name)
            {
                continue;
            }
            let Some(stem) = column.name.strip_suffix("_id") else {
                continue;
            };
            let slug_col = format!("{stem}_slug");
            let also_sets = table
                .columns
                .iter()
                .find(|c| c.name == slug_col)
                .map(|c| c.name);
            let mut keys = vec![stem.to_string(), slug_col.clone()];
            keys.extend(guide_aliases(stem).iter().map(|s| s.to_string()));
            for key in keys {
                refs.push(SlugReference {
                    key,
                    column,
                    target_table: slug_ref.table,
                    target_slug_column: slug_ref.slug_column,
                    also_sets,
                });
            }
        }
        if !refs.is_empty() {
            references.insert(table.name, refs);
        }
    }
    let mut vocabulary = Vocabulary {
        roots,
        children,
        references,
        keys: HashMap::default(),
    };
    vocabulary.keys = TABLES
        .iter()
        .map(|table| (table.name, key_meanings(&vocabulary, table)))
        .collect();
    vocabulary
}

fn key_meanings(v: &Vocabulary, table: &TableMeta) -> HashMap<String, KeyMeaning> {
    let mut keys: HashMap<String, KeyMeaning> = HashMap::default();
    for (i, column) in table.columns.iter().enumerate() {
        let meaning = keys.entry(column.name.to_string()).or_default();
        meaning.column = Some(i);
        meaning.loader_column = v.is_loader_column(table, column.name);
    }
    for (i, section) in v.child_sections(table.name).iter().enumerate() {
        for key in &section.keys {
            let meaning = keys.entry(key.clone()).or_default();
            meaning.section = meaning.section.or(Some(i));
        }
    }
    for (i, reference) in v.references(table.name).iter().enumerate() {
        let meaning = keys.entry(reference.key.clone()).or_default();
        meaning.reference = meaning.reference.or(Some(i));
    }
    keys
}

/// `persona_pain_points` under `personas` -> `pain_points`; `persona_case_study_investments`
/// under `persona_case_studies` -> `case_study_investments`, also `investments`.
fn section_keys(table: &str, parent: &str) -> Vec<String> {
    let family = parent
        .split('_')
        .next()
        .map(|w| w.trim_end_matches('s'))
        .unwrap_or("");
    let short = table
        .strip_prefix(&format!("{family}_"))
        .unwrap_or(table)
        .to_string();
    let mut keys = vec![short.clone()];
    // The parent's own section name, singular, as a prefix: case_studies -> case_study_.
    let parent_short = parent.strip_prefix(&format!("{family}_")).unwrap_or(parent);
    let parent_singular = singular(parent_short);
    if let Some(rest) = short.strip_prefix(&format!("{parent_singular}_")) {
        keys.push(rest.to_string());
    }
    if table != short {
        keys.push(table.to_string());
    }
    keys
}

fn singular(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ies") {
        format!("{stem}y")
    } else if word.ends_with("ss") {
        word.to_string()
    } else {
        word.strip_suffix('s').unwrap_or(word).to_string()
    }
}

impl Vocabulary {
    pub fn root(&self, key: &str) -> Option<&RootSection> {
        self.roots
            .iter()
            .find(|r| r.key == key || r.table.name == key)
    }

    pub fn root_of_table(&self, table: &str) -> Option<&RootSection> {
        self.roots.iter().find(|r| r.table.name == table)
    }

    pub fn child_sections(&self, parent: &str) -> &[ChildSection] {
        self.children.get(parent).map_or(&[], Vec::as_slice)
    }

    pub fn child_section(&self, parent: &str, key: &str) -> Option<&ChildSection> {
        self.child_sections(parent)
            .iter()
            .find(|s| s.keys.iter().any(|k| k == key))
    }

    /// What each key may mean in a row of `table`.
    pub fn key_meanings(&self, table: &str) -> Option<&HashMap<String, KeyMeaning>> {
        self.keys.get(table)
    }

    pub fn references(&self, table: &str) -> &[SlugReference] {
        self.references.get(table).map_or(&[], Vec::as_slice)
    }

    pub fn reference(&self, table: &str, key: &str) -> Option<&SlugReference> {
        self.references(table).iter().find(|r| r.key == key)
    }

    /// Columns the loader fills: the key, the parent link, the tenant, resolved references.
    pub fn is_loader_column(&self, table: &TableMeta, column: &str) -> bool {
        table.primary_key.contains(&column)
            || column == crate::columns::TENANT_ID
            || table.parent.as_ref().is_some_and(|p| p.column == column)
            || self
                .references(table.name)
                .iter()
                .any(|r| r.column.name == column)
    }

    /// Every key a row of `table` may hold (for "did you mean").
    pub fn known_keys(&self, table: &TableMeta) -> Vec<String> {
        let mut keys: Vec<String> = table
            .columns
            .iter()
            .filter(|c| c.insertable && !self.is_loader_column(table, c.name))
            .map(|c| c.name.to_string())
            .collect();
        keys.extend(
            self.child_sections(table.name)
                .iter()
                .flat_map(|s| s.keys.iter().cloned()),
        );
        keys.extend(self.references(table.name).iter().map(|r| r.key.clone()));
        keys
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_names_come_from_table_names() {
        assert_eq!(
            section_keys("persona_pain_points", "personas"),
            ["pain_points", "persona_pain_points"]
        );
        assert_eq!(
            section_keys("persona_case_study_investments", "persona_case_studies"),
            [
                "case_study_investments",
                "investments",
                "persona_case_study_investments"
            ]
        );
    }

    #[test]
    fn the_vital_schema_has_its_sections() {
        let v = vocabulary();
        let roots: Vec<&str> = v.roots.iter().map(|r| r.key.as_str()).collect();
        for key in ["personas", "functions", "departments", "roles"] {
            assert!(roots.contains(&key), "{roots:?}");
        }
        assert!(v.child_section("personas", "pain_points").is_some());
        assert!(v.child_section("personas", "week_in_life").is_some());
        assert!(
            v.child_section("persona_case_studies", "investments")
                .is_some()
        );
        assert!(v.reference("personas", "role_slug").is_some());
        assert!(v.reference("personas", "business_function").is_some());
        assert_eq!(
            v.reference("personas", "role_slug").unwrap().also_sets,
            Some("role_slug")
        );
    }
}
