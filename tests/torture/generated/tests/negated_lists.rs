//! A negated value list (`CHECK (not_in <> ALL (ARRAY['forbidden', 'also forbidden']))`) is
//! enforced by the generated reader: a forbidden value is refused before the database sees it,
//! and the message names every forbidden value.

use serde_json::json;
use torture_generated::{Allowed, order};

fn not_in_errors(value: serde_json::Value) -> Vec<String> {
    let map = json!({ "not_in": value });
    let errors = match order::New::from_json(map.as_object().unwrap()) {
        Ok(_) => vec![],
        Err(errors) => errors,
    };
    errors
        .into_iter()
        .filter(|e| e.column == order::columns::NOT_IN.name)
        .map(|e| e.message)
        .collect()
}

#[test]
fn a_forbidden_value_is_refused_naming_the_forbidden_values() {
    let errors = not_in_errors(json!("forbidden"));
    assert_eq!(
        errors,
        ["'forbidden' is not allowed: any text except 'forbidden', 'also forbidden'"]
    );
    assert_eq!(not_in_errors(json!("also forbidden")).len(), 1);
}

#[test]
fn other_text_passes() {
    assert!(not_in_errors(json!("fine")).is_empty());
    assert!(
        not_in_errors(json!("Forbidden")).is_empty(),
        "the comparison is exact, as in SQL"
    );
}

#[test]
fn the_metadata_says_what_is_forbidden() {
    assert_eq!(
        order::columns::NOT_IN.allowed,
        Allowed::Except(&["forbidden", "also forbidden"])
    );
}
