//! The README of a function's templates (a field reference per section, and how to validate
//! and deploy a filled-in file) and the index README of the output folder.

use super::fields::{FieldDoc, RowTemplate, SectionTemplate};
use super::{
    Format, FunctionTemplate, ORG_SCHEMA_FILE, PERSONA_SCHEMA_FILE, csv_dir_name,
    json_template_name, readme_name, yaml_template_name,
};
use crate::csv_input::{PARENT_REF, REF, root_column_name};
use crate::vocabulary::vocabulary;

/// What only the seeder checks, for the READMEs, with examples from the vocabulary.
fn seeder_only() -> Vec<String> {
    let v = vocabulary();
    let code = |k: &str| format!("`{k}`");
    // One key per referenced org table, as the templates write them.
    let mut reference_keys: Vec<String> = vec![];
    for root in &v.roots {
        for column in root.table.columns {
            let refs: Vec<_> = v
                .references(root.table.name)
                .iter()
                .filter(|r| r.column.name == column.name)
                .collect();
            let Some(first) = refs.first() else { continue };
            let key = refs
                .iter()
                .find(|r| r.also_sets == Some(r.key.as_str()))
                .unwrap_or(first)
                .key
                .as_str();
            if v.root_of_table(first.target_table).is_some()
                && first.target_table != root.table.name
                && !reference_keys.contains(&code(key))
            {
                reference_keys.push(code(key));
            }
        }
    }
    let within_parent: Vec<String> = v
        .children
        .values()
        .flatten()
        .filter_map(|s| {
            s.unique_within_parent
                .first()
                .map(|k| format!("one `{}` row per `{}`", s.keys[0], k.join(", ")))
        })
        .take(2)
        .collect();
    let across_rows: Vec<String> = v
        .roots
        .iter()
        .flat_map(|r| {
            r.table.unique_keys.iter().filter_map(move |k| {
                let cols: Vec<&str> = k
                    .iter()
                    .copied()
                    .filter(|c| *c != r.tenant_column && *c != r.slug_column)
                    .collect();
                (!cols.is_empty()).then(|| format!("`{}` of {}", cols.join(", "), r.key))
            })
        })
        .collect();
    let mut unique =
        "slugs unique per tenant, across all rows and files of a run and the database".to_string();
    if !across_rows.is_empty() {
        unique.push_str(&format!(
            ", and the other unique keys of those rows ({})",
            across_rows.join("; ")
        ));
    }
    vec![
        format!(
            "references by slug to org rows ({}): the rows may be in other files or already in the database",
            reference_keys.join(", ")
        ),
        unique,
        format!(
            "unique keys within one parent row ({})",
            within_parent.join(", ")
        ),
        "business rules (`seeder/src/rules.rs`): an executive persona needs `budget_authority`; a critical pain point needs `pain_point_text`".into(),
        "a key given twice in one row (at the top and inside a group)".into(),
        "CSV sets (file names, `persona` / `ref` / `parent_ref` links), and JSON / YAML syntax (the editor's parser reports that first)".into(),
    ]
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

fn field_row(key: &str, doc: &FieldDoc) -> String {
    format!(
        "| `{key}` | {} | {} | {} | {} |\n",
        cell(&doc.type_text),
        if doc.required { "**yes**" } else { "no" },
        doc.allowed.as_deref().map_or_else(String::new, cell),
        cell(&doc.meaning)
    )
}

fn table(row: &RowTemplate) -> String {
    let mut out = String::from(
        "| field | type | required | allowed values | meaning |\n|---|---|---|---|---|\n",
    );
    for f in &row.fields {
        out.push_str(&field_row(&f.key, &f.doc));
    }
    for s in &row.sections {
        let shape = if s.section.one_per_parent {
            "one row: a map"
        } else {
            "a list of rows"
        };
        out.push_str(&format!(
            "| `{}` | section | no | {shape} | rows of `{}`, see below |\n",
            s.key, s.section.table.name
        ));
    }
    out
}

struct Place<'a> {
    /// `personas[].case_studies[]`
    path: String,
    /// The CSV file of the parent row, for `parent_ref`.
    parent_csv: Option<&'a str>,
}

fn sections(out: &mut String, row: &RowTemplate, place: &Place, root_column: &str) {
    for s in &row.sections {
        section(out, s, place, root_column);
    }
}

fn section(out: &mut String, s: &SectionTemplate, place: &Place, root_column: &str) {
    let csv = &s.section.keys[0];
    let path = format!("{}.{}", place.path, s.key);
    out.push_str(&format!(
        "\n### `{}` (table `{}`)\n\n",
        s.key, s.section.table.name
    ));
    if let Some(comment) = s.section.table.comment {
        out.push_str(&format!("{}\n\n", super::fields::one_line(comment)));
    }
    let shape = if s.section.one_per_parent {
        "one row per parent row: a map (a list of one also works)"
    } else {
        "a list, one map per row"
    };
    let others: Vec<String> = s
        .section
        .keys
        .iter()
        .filter(|k| **k != s.key)
        .map(|k| format!("`{k}`"))
        .collect();
    out.push_str(&format!("Where: `{path}`, {shape}"));
    if !others.is_empty() {
        out.push_str(&format!(
            "; the key may also be written {}",
            others.join(", ")
        ));
    }
    out.push_str(".  \n");
    out.push_str(&format!(
        "CSV: `{csv}.csv`; column `{root_column}` holds the persona's slug"
    ));
    if let Some(parent) = place.parent_csv {
        out.push_str(&format!(
            ", column `{PARENT_REF}` the `{REF}` of its row in `{parent}.csv`"
        ));
    }
    if !s.row.sections.is_empty() {
        out.push_str(&format!(
            ", column `{REF}` names the row for its nested rows"
        ));
    }
    out.push_str(".\n\n");
    out.push_str(&table(&s.row));
    let child_place = Place {
        path: if s.section.one_per_parent {
            path.clone()
        } else {
            format!("{path}[]")
        },
        parent_csv: Some(csv),
    };
    sections(out, &s.row, &child_place, root_column);
}

pub(crate) fn function_readme(
    f: &FunctionTemplate,
    row: &RowTemplate,
    formats: &[Format],
) -> String {
    let v = vocabulary();
    let root_key = v
        .root_of_table(row.table.name)
        .map_or(row.table.name, |r| r.key.as_str());
    let yaml = yaml_template_name(&f.slug);
    let json = json_template_name(&f.slug);
    let csv = csv_dir_name(&f.slug);
    let mut out = format!("# Data capture template: {}\n\n", f.title());
    out.push_str(
        "Generated from the database schema by `seeder templates` (`make templates`); do not edit \
         by hand. Every section of a persona is here with one example row, and every field with an \
         example value the schema accepts: the templates validate and deploy as they are.\n\n",
    );
    out.push_str("## Files\n\n");
    if formats.contains(&Format::Yaml) {
        out.push_str(&format!(
            "- [`{yaml}`]({yaml}): YAML, a comment above every field (type, required, allowed values, meaning); editors validate it against [`{PERSONA_SCHEMA_FILE}`]({PERSONA_SCHEMA_FILE}).\n"
        ));
    }
    if formats.contains(&Format::Json) {
        out.push_str(&format!(
            "- [`{json}`]({json}): the same persona as JSON.\n"
        ));
    }
    if formats.contains(&Format::Csv) {
        out.push_str(&format!(
            "- [`{csv}/`]({csv}/): the same persona as a CSV set, one file per section with a header row and the example row.\n"
        ));
    }
    out.push_str(&format!(
        "- [`{PERSONA_SCHEMA_FILE}`]({PERSONA_SCHEMA_FILE}) and [`{ORG_SCHEMA_FILE}`]({ORG_SCHEMA_FILE}): JSON Schemas (draft 2020-12) of persona and org documents.\n\n"
    ));
    out.push_str(
        "The example persona belongs to these org rows (from the org documents, `data/org`):\n\n",
    );
    for field in row
        .fields
        .iter()
        .filter(|fl| v.reference(row.table.name, &fl.key).is_some())
    {
        out.push_str(&format!(
            "- `{}: {}`\n",
            field.key,
            field.example.as_str().unwrap_or_default()
        ));
    }
    out.push_str(&format!(
        "\n## Filling it in\n\n\
         1. Copy the template (`cp {yaml} my-personas.yaml`) and give the persona its own `slug` (unique per tenant) and `name`.\n\
         2. Replace every example value. Fields marked **yes** under *required* must be given; delete the optional ones you do not know (or set them to `null`).\n\
         3. Sections are lists: repeat the `- ` item for more rows, delete the section for none. A section marked *one row* is a single map.\n\
         4. Several personas go in one file: repeat the item under `{root_key}:`.\n\
         5. Fields may be grouped under any name for readability (`core_profile:`, `professional_context:`): the keys of a group are the persona's own keys.\n\n\
         In the CSV set, an empty cell means \"not given\", lists and JSON are written as JSON (`[\"a\", \"b\"]`), numbers as numbers and booleans as `true` / `false`.\n\n"
    ));
    out.push_str(&format!(
        "## Validate and deploy\n\n\
         ```sh\n\
         # every problem at once, with file, line, column, path, value and what is allowed\n\
         seeder validate --input data/org --input my-personas.yaml\n\
         # CSV: give the folder\n\
         seeder validate --input data/org --input {csv}\n\
         # against the tenant's rows (references to org rows already in the database)\n\
         seeder validate --database-url \"$DATABASE_URL\" --tenant-id \"$TENANT_ID\" --input my-personas.yaml\n\
         # deploy in one transaction; --dry-run first shows what would change and rolls back\n\
         seeder deploy --database-url \"$DATABASE_URL\" --tenant-id \"$TENANT_ID\" --business-function {slug} --input data/org --input my-personas.yaml --dry-run\n\
         seeder deploy --database-url \"$DATABASE_URL\" --tenant-id \"$TENANT_ID\" --business-function {slug} --input data/org --input my-personas.yaml\n\
         ```\n\n\
         A deploy upserts the persona by slug and replaces its section rows; running it again changes nothing.\n\n",
        slug = f.slug
    ));
    out.push_str(&format!(
        "## Checking as you type\n\n\
         The YAML template starts with `# yaml-language-server: $schema=./{PERSONA_SCHEMA_FILE}`: VS Code \
         (with the YAML extension), IntelliJ, Neovim and other editors using yaml-language-server then \
         complete keys, show each field's description and mark unknown fields, wrong types, values \
         outside the allowed list or range, too many decimals and missing required fields. Keep the \
         line (and the schema file beside your copy, or point it at this folder). For JSON files, map \
         the schema in the editor (VS Code: `json.schemas` with `fileMatch` and `url`).\n\n\
         Only the seeder checks:\n\n"
    ));
    for item in seeder_only() {
        out.push_str(&format!("- {item}\n"));
    }
    out.push_str("\n## Field reference\n");
    let root_column = row
        .sections
        .first()
        .and_then(|s| root_column_name(s.row.table))
        .unwrap_or_default();
    out.push_str(&format!(
        "\n### `{root_key}` (table `{}`)\n\nWhere: `{root_key}: [...]`, one map per row (a file may also be a bare list of personas, or one persona).  \nCSV: `{root_key}.csv`.\n\n",
        row.table.name
    ));
    out.push_str(&table(row));
    let place = Place {
        path: format!("{root_key}[]"),
        parent_csv: None,
    };
    sections(&mut out, row, &place, &root_column);
    out
}

pub(crate) fn index(templates: &[FunctionTemplate], formats: &[Format]) -> String {
    let mut out = String::from(
        "# Data capture templates\n\n\
         Generated from the database schema by `seeder templates` (`make templates` regenerates this \
         folder; a test fails when it is stale). One set per business function of the org documents:\n\n\
         | business function | README | YAML | JSON | CSV |\n|---|---|---|---|---|\n",
    );
    let link = |on: bool, name: String| {
        if on {
            format!("[`{name}`]({name})")
        } else {
            String::new()
        }
    };
    for f in templates {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            cell(&f.title()),
            link(true, readme_name(&f.slug)),
            link(formats.contains(&Format::Yaml), yaml_template_name(&f.slug)),
            link(formats.contains(&Format::Json), json_template_name(&f.slug)),
            link(
                formats.contains(&Format::Csv),
                format!("{}/", csv_dir_name(&f.slug))
            ),
        ));
    }
    out.push_str(&format!(
        "\nJSON Schemas (draft 2020-12): [`{PERSONA_SCHEMA_FILE}`]({PERSONA_SCHEMA_FILE}) (every form \
         the seeder reads: `personas:` and org sections, a bare list, one persona) and \
         [`{ORG_SCHEMA_FILE}`]({ORG_SCHEMA_FILE}) (`functions:`, `departments:`, `roles:`).\n\n\
         The schema checks keys, types, enums, ranges, decimals, required fields and section shapes. \
         Groups (`core_profile:`) are allowed on root rows (any extra key holding a map); nested rows \
         are flat. Only the seeder checks:\n\n"
    ));
    for item in seeder_only() {
        out.push_str(&format!("- {item}\n"));
    }
    out
}
