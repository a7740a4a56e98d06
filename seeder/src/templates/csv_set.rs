//! The CSV set of a template: one file per section with a header row and the example row, in
//! the format `csv_input` reads (`persona` names the root row by slug, `ref` / `parent_ref` link
//! a grandchild to its parent row, lists and JSON are JSON in the cell, empty = not given).

use anyhow::{Context, Result};
use serde_json::Value as Json;

use super::fields::RowTemplate;
use crate::csv_input::{PARENT_REF, REF, root_column_name};
use crate::vocabulary::vocabulary;

/// (file name, contents) per table of the template, parents first.
pub(crate) fn csv_files(row: &RowTemplate) -> Result<Vec<(String, String)>> {
    let root = vocabulary()
        .root_of_table(row.table.name)
        .context("a CSV set starts at a root section")?;
    let slug = row
        .fields
        .iter()
        .find(|f| f.key == root.slug_column)
        .and_then(|f| f.example.as_str())
        .context("the template row has a slug")?
        .to_string();
    let mut files = vec![];
    let (header, cells) = cells(row);
    files.push((format!("{}.csv", root.key), write(&header, &cells)?));
    add_children(row, &slug, None, &mut files)?;
    Ok(files)
}

fn cells(row: &RowTemplate) -> (Vec<String>, Vec<String>) {
    row.fields
        .iter()
        .map(|f| (f.key.clone(), cell(&f.example)))
        .unzip()
}

/// A value as a CSV cell.
pub(crate) fn cell(value: &Json) -> String {
    match value {
        Json::Null => String::new(),
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn add_children(
    row: &RowTemplate,
    root_slug: &str,
    parent_ref: Option<&str>,
    files: &mut Vec<(String, String)>,
) -> Result<()> {
    for s in &row.sections {
        let name = &s.section.keys[0];
        let mut header = vec![root_column_name(s.row.table).context("a nested table has a root")?];
        let mut values = vec![root_slug.to_string()];
        if let Some(parent) = parent_ref {
            header.push(PARENT_REF.to_string());
            values.push(parent.to_string());
        }
        let own_ref = format!("{name}-1");
        if !s.row.sections.is_empty() {
            header.push(REF.to_string());
            values.push(own_ref.clone());
        }
        let (h, c) = cells(&s.row);
        header.extend(h);
        values.extend(c);
        files.push((format!("{name}.csv"), write(&header, &values)?));
        add_children(&s.row, root_slug, Some(&own_ref), files)?;
    }
    Ok(())
}

fn write(header: &[String], row: &[String]) -> Result<String> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(vec![]);
    writer.write_record(header)?;
    writer.write_record(row)?;
    let bytes = writer.into_inner().context("writing CSV")?;
    Ok(String::from_utf8(bytes)?)
}
