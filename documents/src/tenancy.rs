//! How the schema keeps tenants apart, read from the generated foreign keys: the one column name
//! the platform uses for a row's tenant, the table it references (the tenants), and the tables
//! outside the documents that hold tenant-owned rows a document may reference (users).

use std::sync::OnceLock;

use generated::{TABLES, TableMeta};

/// The column that names a row's tenant, on every tenant-owned table of the schema.
pub const TENANT_COLUMN: &str = crate::columns::TENANT_ID;

/// The table the tenant column references.
pub fn tenants_table() -> &'static TableMeta {
    static TENANTS: OnceLock<&'static TableMeta> = OnceLock::new();
    TENANTS.get_or_init(|| {
        TABLES
            .iter()
            .flat_map(|t| t.foreign_keys.iter())
            .find(|fk| fk.columns == [TENANT_COLUMN])
            .and_then(|fk| generated::table(fk.foreign_table))
            .expect("the schema has a tenant column referencing the tenants")
    })
}

/// Whether `table` names its tenant in a column of its own.
pub fn has_tenant_column(table: &TableMeta) -> bool {
    table.columns.iter().any(|c| c.name == TENANT_COLUMN)
}

/// A table of tenant-owned rows that documents reference but never write (users): it has a
/// tenant column and hangs under no document root.
pub fn is_referenced_tenant_table(table: &TableMeta) -> bool {
    has_tenant_column(table)
        && table.parent.is_none()
        && crate::vocabulary::vocabulary()
            .root_of_table(table.name)
            .is_none()
}
