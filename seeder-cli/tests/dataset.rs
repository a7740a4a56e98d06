//! The shipped demo dataset against the seeding guide's targets, measured per persona: twelve
//! functions of at least 20 personas, medical-affairs exactly 31 with every persona table filled,
//! at least 20 tables for every other persona, and no copy-paste text across personas.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use common::*;
use seeder::document::RowInput;
use seeder::source::Value;

/// Free text: a string value of five words or more (names and labels may repeat).
fn free_texts(row: &RowInput, out: &mut Vec<String>) {
    fn walk(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Str(s) if s.split_whitespace().count() >= 5 => out.push(s.clone()),
            Value::Seq(items) => items.iter().for_each(|i| walk(&i.value, out)),
            Value::Map(entries) => entries.iter().for_each(|e| walk(&e.node.value, out)),
            _ => {}
        }
    }
    for f in &row.fields {
        walk(&f.node.value, out);
    }
    for c in &row.children {
        free_texts(c, out);
    }
}

#[test]
fn the_dataset_meets_the_guides_targets() {
    let inputs = seeder::input::read_inputs_with(&[data_dir()], None);
    assert!(inputs.problems.is_empty(), "{:?}", inputs.problems);
    let persona_table = generated::TABLES
        .iter()
        .find(|t| t.parent.is_none() && t.columns.iter().any(|c| c.name == "role_slug"))
        .expect("the persona table");
    let persona_tables: BTreeSet<&str> = generated::TABLES
        .iter()
        .filter(|t| {
            let mut p = t.parent.as_ref();
            while let Some(link) = p {
                if link.table == persona_table.name {
                    return true;
                }
                p = generated::table(link.table).and_then(|t| t.parent.as_ref());
            }
            false
        })
        .map(|t| t.name)
        .collect();
    let personas: Vec<&RowInput> = inputs
        .roots
        .iter()
        .filter(|r| r.table.name == persona_table.name)
        .collect();
    let function_of = |p: &RowInput| {
        p.refs
            .iter()
            .find(|r| r.reference.key == "business_function")
            .map(|r| r.slug.clone())
            .unwrap_or_default()
    };
    // Tables filled per persona, and each persona's free text.
    let mut by_function: BTreeMap<String, Vec<(String, usize)>> = BTreeMap::new();
    let mut texts: Vec<(String, Vec<String>)> = vec![];
    for p in &personas {
        let filled: BTreeSet<&str> = p.walk().iter().skip(1).map(|r| r.table.name).collect();
        let slug = p.slug().unwrap().to_string();
        by_function
            .entry(function_of(p))
            .or_default()
            .push((slug.clone(), filled.len()));
        let mut t = vec![];
        free_texts(p, &mut t);
        texts.push((slug, t));
    }
    let mut owners: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    for (slug, t) in &texts {
        for text in t {
            owners.entry(text).or_default().insert(slug);
        }
    }
    let mut worst = (1.0_f64, String::new());
    for (slug, t) in &texts {
        if t.is_empty() {
            continue;
        }
        let own = t.iter().filter(|x| owners[x.as_str()].len() == 1).count();
        let share = own as f64 / t.len() as f64;
        if share < worst.0 {
            worst = (share, slug.clone());
        }
    }
    for (function, rows) in &by_function {
        let mut counts: Vec<usize> = rows.iter().map(|r| r.1).collect();
        counts.sort();
        println!(
            "{function}: {} personas, persona tables filled min {} / median {} (of {})",
            rows.len(),
            counts[0],
            counts[counts.len() / 2],
            persona_tables.len()
        );
    }
    println!(
        "distinct free text: lowest share of a persona's own text {:.1}% ({})",
        worst.0 * 100.0,
        worst.1
    );
    assert_eq!(by_function.len(), 12, "{:?}", by_function.keys());
    for (function, rows) in &by_function {
        assert!(rows.len() >= 20, "{function}: {} personas", rows.len());
        for (slug, filled) in rows {
            if function == "medical-affairs" {
                assert_eq!(*filled, persona_tables.len(), "{slug}: every persona table");
            } else {
                assert!(*filled >= 20, "{slug}: {filled} tables");
            }
        }
    }
    // The guide's target: 31 medical-affairs personas.
    assert_eq!(by_function["medical-affairs"].len(), 31);
    assert!(
        worst.0 >= 0.9,
        "{} shares text: {:.1}% its own",
        worst.1,
        worst.0 * 100.0
    );
}
