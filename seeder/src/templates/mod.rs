//! Data capture templates per business function, generated from the schema metadata.
//!
//! `seeder templates` writes, per business function `F`:
//! - `F_persona_template.json` and `F_persona_template.yaml` (the YAML commented field by field
//!   and bound to the JSON Schema for editors),
//! - `F_csv/`, one CSV file per section in the format `csv_input` reads,
//! - `F_README.md`, a field reference per section and how to validate and deploy,
//!
//! and once per output folder the JSON Schemas `persona-document.schema.json` and
//! `org-document.schema.json` (draft 2020-12) and an index `README.md`.
//!
//! Nothing is listed by hand: tables, columns, types, CHECKs and comments come from
//! `generated::TABLES`, section and reference names from `vocabulary()`, business functions and
//! the department and role a template persona points at from the org documents (`--org`).
//! Every table below `personas` is present with one example row whose values satisfy every
//! CHECK, range and precision, so each template as generated validates and deploys.

mod csv_set;
mod fields;
mod json_schema;
mod readme;
mod yaml;

use std::path::{Path, PathBuf};
use std::str::FromStr;

use anyhow::{Context, Result, bail};
use generated::TableMeta;

use crate::document::RowInput;
use crate::input::{function_of, read_inputs};
use crate::problem::sorted;
use crate::run::InvalidInput;
use crate::vocabulary::vocabulary;

pub use json_schema::{org_document_schema, persona_document_schema};

pub(crate) use fields::row_template;

/// The JSON Schema of persona documents (every form the seeder reads), next to the templates.
pub const PERSONA_SCHEMA_FILE: &str = "persona-document.schema.json";
/// The JSON Schema of org documents (`functions:`, `departments:`, `roles:`).
pub const ORG_SCHEMA_FILE: &str = "org-document.schema.json";

/// A template format; the README is always written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Format {
    Json,
    Yaml,
    Csv,
}

pub const ALL_FORMATS: [Format; 3] = [Format::Json, Format::Yaml, Format::Csv];

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "json" => Ok(Format::Json),
            "yaml" | "yml" => Ok(Format::Yaml),
            "csv" => Ok(Format::Csv),
            other => Err(format!("unknown format '{other}': json, yaml or csv")),
        }
    }
}

pub fn json_template_name(function: &str) -> String {
    format!("{function}_persona_template.json")
}

pub fn yaml_template_name(function: &str) -> String {
    format!("{function}_persona_template.yaml")
}

pub fn csv_dir_name(function: &str) -> String {
    format!("{function}_csv")
}

pub fn readme_name(function: &str) -> String {
    format!("{function}_README.md")
}

/// The org documents templates are made for: their business functions, departments, roles.
#[derive(Debug)]
pub struct Org {
    roots: Vec<RowInput>,
}

impl Org {
    /// Reads org documents through the normal input reader; any problem in them is an error.
    pub fn read(paths: &[PathBuf]) -> Result<Org> {
        let inputs = read_inputs(paths);
        if !inputs.problems.is_empty() {
            return Err(InvalidInput(sorted(inputs.problems)).into());
        }
        if inputs.files.is_empty() {
            bail!("no org documents found in {paths:?}");
        }
        Ok(Org {
            roots: inputs.roots,
        })
    }

    /// The table of the `functions` section.
    fn functions_table() -> Result<&'static TableMeta> {
        vocabulary()
            .root("functions")
            .map(|r| r.table)
            .context("the schema has no `functions` section")
    }

    /// The slugs of the `functions` rows, in document order.
    pub fn function_slugs(&self) -> Result<Vec<String>> {
        let table = Self::functions_table()?;
        Ok(self
            .roots
            .iter()
            .filter(|r| r.table.name == table.name)
            .filter_map(|r| r.slug().map(str::to_string))
            .collect())
    }

    /// What the example persona of `function` says about its function, department and role.
    pub fn function_template(&self, function: &str) -> Result<FunctionTemplate> {
        let functions = Self::functions_table()?;
        let Some(row) = self
            .roots
            .iter()
            .find(|r| r.table.name == functions.name && r.slug() == Some(function))
        else {
            bail!(
                "no business function '{function}' in the org documents; known: {}",
                self.function_slugs()?.join(", ")
            );
        };
        let name = row
            .field(crate::columns::NAME)
            .and_then(|f| f.node.as_str())
            .map(str::to_string);
        let persona = persona_table()?;
        // The org tables the persona references by slug, parents first.
        let v = vocabulary();
        let mut targets: Vec<&'static str> = v
            .references(persona.name)
            .iter()
            .map(|r| r.target_table)
            .filter(|t| *t != persona.name && v.root_of_table(t).is_some())
            .collect();
        targets.sort_by_key(|t| generated::TABLES.iter().position(|x| x.name == *t));
        targets.dedup();
        let mut chosen: Vec<(&'static str, String)> = vec![];
        for target in targets {
            if target == functions.name {
                chosen.push((target, function.to_string()));
                continue;
            }
            // The first row of the function, preferring one that points at rows already chosen
            // (the role of the chosen department).
            let score = |r: &RowInput| {
                r.refs
                    .iter()
                    .filter(|x| {
                        chosen
                            .iter()
                            .any(|(t, s)| *t == x.reference.target_table && *s == x.slug)
                    })
                    .count()
            };
            let mut best: Option<(&RowInput, usize)> = None;
            for r in self
                .roots
                .iter()
                .filter(|r| r.table.name == target && function_of(r) == Some(function))
            {
                if best.is_none_or(|(_, s)| score(r) > s) {
                    best = Some((r, score(r)));
                }
            }
            if let Some(slug) = best.and_then(|(r, _)| r.slug()) {
                chosen.push((target, slug.to_string()));
            }
        }
        Ok(FunctionTemplate {
            slug: function.to_string(),
            name,
            references: chosen,
        })
    }
}

fn persona_table() -> Result<&'static TableMeta> {
    vocabulary()
        .root(crate::columns::PERSONAS)
        .map(|r| r.table)
        .context("the schema has no `personas` section")
}

/// The business function a template is for, and the org rows its persona references.
#[derive(Clone, Debug)]
pub struct FunctionTemplate {
    pub slug: String,
    /// The function's display name from the org documents.
    pub name: Option<String>,
    /// (referenced table, slug): the function itself, its first department, its first role.
    pub references: Vec<(&'static str, String)>,
}

impl FunctionTemplate {
    pub fn title(&self) -> String {
        match &self.name {
            Some(name) => format!("{name} (`{}`)", self.slug),
            None => format!("`{}`", self.slug),
        }
    }

    /// The slug the template uses for a row of `table`, when it references one.
    pub fn reference(&self, table: &str) -> Option<&str> {
        self.references
            .iter()
            .find(|(t, _)| *t == table)
            .map(|(_, s)| s.as_str())
    }
}

/// One file of the output, its path relative to the output folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedFile {
    pub path: PathBuf,
    pub contents: String,
}

/// Every file for `functions` (all of the org documents' functions when empty), in a fixed
/// order: the same inputs give the same bytes.
pub fn generate(org: &Org, functions: &[String], formats: &[Format]) -> Result<Vec<GeneratedFile>> {
    let functions = if functions.is_empty() {
        org.function_slugs()?
    } else {
        functions.to_vec()
    };
    if functions.is_empty() {
        bail!("the org documents define no business function");
    }
    let mut formats = formats.to_vec();
    formats.sort();
    formats.dedup();
    let mut files = vec![
        GeneratedFile {
            path: PERSONA_SCHEMA_FILE.into(),
            contents: pretty_json(&persona_document_schema()),
        },
        GeneratedFile {
            path: ORG_SCHEMA_FILE.into(),
            contents: pretty_json(&org_document_schema()),
        },
    ];
    let persona = persona_table()?;
    let mut templates = vec![];
    for function in &functions {
        let ft = org.function_template(function)?;
        let row = row_template(persona, Some(&ft));
        for format in &formats {
            match format {
                Format::Json => files.push(GeneratedFile {
                    path: json_template_name(function).into(),
                    contents: yaml::json_template(&row),
                }),
                Format::Yaml => files.push(GeneratedFile {
                    path: yaml_template_name(function).into(),
                    contents: yaml::yaml_template(&ft, &row),
                }),
                Format::Csv => {
                    for (name, contents) in csv_set::csv_files(&row)? {
                        files.push(GeneratedFile {
                            path: Path::new(&csv_dir_name(function)).join(name),
                            contents,
                        });
                    }
                }
            }
        }
        files.push(GeneratedFile {
            path: readme_name(function).into(),
            contents: readme::function_readme(&ft, &row, &formats),
        });
        templates.push(ft);
    }
    files.push(GeneratedFile {
        path: "README.md".into(),
        contents: readme::index(&templates, &formats),
    });
    Ok(files)
}

/// Writes the files below `out` (folders created; other files there are left alone).
pub fn write_files(out: &Path, files: &[GeneratedFile]) -> Result<()> {
    for file in files {
        let path = out.join(&file.path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        std::fs::write(&path, &file.contents)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

fn pretty_json(value: &serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("JSON values always serialize");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org() -> Org {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/org");
        Org::read(&[dir]).unwrap()
    }

    #[test]
    fn functions_and_their_rows_come_from_the_org_documents() {
        let org = org();
        let slugs = org.function_slugs().unwrap();
        assert_eq!(slugs.len(), 12, "{slugs:?}");
        let ft = org.function_template("medical-affairs").unwrap();
        assert_eq!(ft.reference("org_functions"), Some("medical-affairs"));
        assert_eq!(ft.reference("org_departments"), Some("leadership"));
        assert_eq!(ft.reference("org_roles"), Some("vp-medical-affairs"));
        assert!(org.function_template("no-such-function").is_err());
    }

    #[test]
    fn formats_parse() {
        assert_eq!("YAML".parse::<Format>(), Ok(Format::Yaml));
        assert!("xml".parse::<Format>().is_err());
    }

    #[test]
    fn generation_is_deterministic() {
        let org = org();
        let f = vec!["sales".to_string()];
        let a = generate(&org, &f, &ALL_FORMATS).unwrap();
        let b = generate(&org, &f, &ALL_FORMATS).unwrap();
        assert_eq!(a, b);
        let names: Vec<String> = a.iter().map(|f| f.path.display().to_string()).collect();
        for expected in [
            PERSONA_SCHEMA_FILE,
            ORG_SCHEMA_FILE,
            "sales_persona_template.json",
            "sales_persona_template.yaml",
            "sales_csv/personas.csv",
            "sales_csv/case_study_investments.csv",
            "sales_README.md",
            "README.md",
        ] {
            assert!(
                names.iter().any(|n| n == expected),
                "{expected} in {names:?}"
            );
        }
    }
}
