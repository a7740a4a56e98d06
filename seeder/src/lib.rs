//! seeder: validated, transactional, idempotent persona deployment.
//!
//! Stages, one module each: `source` (files -> spanned tree), `csv_input` (CSV sets -> the same),
//! `document` (tree -> rows keyed by real columns), `vocabulary` (the names documents may use,
//! from generated metadata), `plan` (validation + ids -> every row of every table), `rules`
//! (business rules over generated types), `deploy` (one transaction, COPY per table),
//! `emit_sql` (the same plan as a psql script), `verify`, `schema_guard`, `run` (the jobs).

pub mod columns;
pub mod csv_input;
pub mod deploy;
pub mod document;
pub mod emit_sql;
pub mod input;
pub mod migrate;
pub mod pipeline;
pub mod plan;
pub mod privileges;
pub mod problem;
pub mod profile;
pub mod report_html;
pub mod rules;
pub mod run;
pub mod schema_guard;
pub mod source;
mod source_json;
pub mod sqltext;
pub mod stream;
pub mod synth;
pub mod templates;
pub mod tenancy;
pub mod tenant_checks;
pub mod tree;
pub mod verify;
pub mod vocabulary;
