//! seeder: validated, transactional, idempotent persona deployment.
//!
//! Reading and validating documents is the `documents` crate's (re-exported here under the
//! same module names). This crate adds what crosses the database: `deploy` (one transaction,
//! COPY per table), `stream` and `pipeline` (the deploy's passes), `tenant_checks` (what only
//! the tenant's rows can tell), `emit_sql` (the same plan as a psql script), `verify`,
//! `schema_guard`, `privileges`, `migrate`, and `run` (the jobs). `builtin` is the data set
//! validated and embedded when the seeder was built; `templates`, `synth` and `report_html`
//! write capture templates, benchmark inputs and the HTML report. The `seeder` command is the
//! `seeder-cli` package.

pub use documents::{
    columns, csv_input, document, input, job, plan, problem, profile, rules, source, tenancy, tree,
    validate, vocabulary,
};

pub mod builtin;
pub mod deploy;
pub mod differences;
pub mod emit_sql;
pub mod migrate;
pub mod pipeline;
pub mod privileges;
pub mod report_html;
pub mod run;
pub mod schema_guard;
mod session;
pub mod sqltext;
pub mod stream;
pub mod synth;
pub mod templates;
pub mod tenant_checks;
pub mod verify;
