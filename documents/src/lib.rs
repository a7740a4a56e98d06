//! documents: reading and validating persona documents, with no database.
//!
//! Stages, one module each: `source` (JSON/YAML files -> spanned tree, `tree`), `csv_input` (CSV
//! sets -> the same), `profile` (foreign capture shapes -> documents), `document` (tree -> rows
//! keyed by real columns), `vocabulary` (the names documents may use, from the generated
//! metadata), `input` (files -> units -> rows), `plan` (validation + ids -> every row of every
//! table), `rules` (business rules over the generated types), `validate` (all of it for a
//! job). `job` holds what every stage shares (the job, the bad-input error), `outcome` a deploy's report.
//! Nothing here connects to PostgreSQL, so the seeder's build script can run it over `data/`.

pub mod columns;
pub mod csv_input;
pub mod document;
pub mod input;
pub mod job;
pub mod outcome;
pub mod plan;
pub mod problem;
pub mod profile;
pub mod rules;
pub mod source;
mod source_json;
pub mod tenancy;
pub mod tree;
pub mod validate;
pub mod vocabulary;
