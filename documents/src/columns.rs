//! Column names the seeder relies on wherever a table has them (a row's id, a root's slug and
//! display name, `updated_at`, soft deletion). Each is taken from a table of the schema that has
//! it, through the generated constants: a migration that renames or drops it there is a compile
//! error here, not a query that fails at deploy time.

use generated::{org_functions, personas};

/// The single uuid primary key of every table the documents write.
pub const ID: &str = personas::columns::ID.name;
/// How documents name a root row (function, department, role, persona, tenant).
pub const SLUG: &str = personas::columns::SLUG.name;
/// A root row's display name.
pub const NAME: &str = personas::columns::NAME.name;
/// Touched by an upsert that changes a row.
pub const UPDATED_AT: &str = personas::columns::UPDATED_AT.name;
/// Soft deletion: a row with a value here is gone for the platform.
pub const DELETED_AT: &str = personas::columns::DELETED_AT.name;
/// The column that names a row's tenant, on every tenant-owned table.
pub const TENANT_ID: &str = org_functions::columns::TENANT_ID.name;
/// A persona's free-form JSON, where profiles put what maps to no column.
pub const PERSONA_METADATA: &str = personas::columns::METADATA.name;
/// The key under which documents list personas: the table's own name.
pub const PERSONAS: &str = personas::META.name;
/// The root table that the other org tables and the personas hang under.
pub const ORG_FUNCTIONS: &str = org_functions::META.name;
