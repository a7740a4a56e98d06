//! Every SQL text the seeder sends, in one place. Statements about tables are built from the
//! generated metadata (names quoted), never written per table by hand.

use generated::TableMeta;

use crate::tenancy::{TENANT_COLUMN, tenants_table};
use crate::vocabulary::{RootSection, vocabulary};

/// Held until the transaction ends: one deploy per tenant at a time.
pub const LOCK_TENANT: &str =
    "SELECT pg_advisory_xact_lock(hashtext('vital-seeder'), hashtext($1))";

pub fn tenant_exists() -> String {
    format!(
        "SELECT 1 FROM {} WHERE id = $1",
        qualified(tenants_table().name)
    )
}

/// Tenants with id `$1` or slug `$2`, the one with the id first.
pub fn tenants_by_id_or_slug() -> String {
    format!(
        "SELECT id, slug::text FROM {} WHERE id = $1 OR slug = $2 ORDER BY id = $1 DESC",
        qualified(tenants_table().name)
    )
}

pub fn create_tenant() -> String {
    format!(
        "INSERT INTO {} (id, name, slug) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING",
        qualified(tenants_table().name)
    )
}

/// `"name"` with inner quotes doubled.
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `"public"."table"`: every statement names the snapshot's schema, so that whatever a
/// session's `search_path` says, the tables written are the ones the schema check looked at.
pub fn qualified(table: &str) -> String {
    format!("{}.{}", quote_ident(generated::SCHEMA), quote_ident(table))
}

/// A temporary table of this session (never a same-named table of a schema).
pub fn temporary(name: &str) -> String {
    format!("pg_temp.{}", quote_ident(name))
}

fn column_list(columns: &[&str]) -> String {
    columns
        .iter()
        .map(|c| quote_ident(c))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `SELECT slug, id FROM <root> WHERE tenant_id = $1 AND slug = ANY($2)`.
pub fn select_ids_by_slug(root: &RootSection) -> String {
    format!(
        "SELECT {slug}::text, id FROM {table} WHERE {tenant} = $1 AND {slug} = ANY($2)",
        slug = quote_ident(root.slug_column),
        table = qualified(root.table.name),
        tenant = quote_ident(root.tenant_column),
    )
}

/// A condition selecting the rows of `table` that belong to tenant `$1`: its own tenant column
/// for a root table, its parent's rows for a nested one. None for tables outside any tenant's
/// documents (tenants, users).
pub fn tenant_scope(table: &TableMeta) -> Option<String> {
    if let Some(link) = &table.parent {
        let parent = generated::table(link.table)?;
        let inner = tenant_scope(parent)?;
        return Some(format!(
            "{} IN (SELECT id FROM {} WHERE {inner})",
            quote_ident(link.column),
            qualified(parent.name)
        ));
    }
    let root = vocabulary().root_of_table(table.name)?;
    Some(format!("{} = $1", quote_ident(root.tenant_column)))
}

/// A condition selecting the rows of a nested `table` that hang below the roots in `$1` (uuid[]).
pub fn below_roots(table: &TableMeta, root_table: &str) -> String {
    let link = table.parent.as_ref().expect("a nested table");
    if link.table == root_table {
        return format!("{} = ANY($1)", quote_ident(link.column));
    }
    let parent = generated::table(link.table).expect("parent in metadata");
    format!(
        "{} IN (SELECT id FROM {} WHERE {})",
        quote_ident(link.column),
        qualified(parent.name),
        below_roots(parent, root_table)
    )
}

/// The tenant's (`$1`) row count of each table, in one statement: rows of (table, count).
/// None when no table is scoped to a tenant.
pub fn count_each_for_tenant(tables: &[&TableMeta]) -> Option<String> {
    let parts: Vec<String> = tables
        .iter()
        .filter_map(|t| {
            Some(format!(
                "SELECT {}::text, count(*) FROM {} WHERE {}",
                generated::quote_literal(t.name),
                qualified(t.name),
                tenant_scope(t)?
            ))
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join("\nUNION ALL\n"))
}

pub fn delete_nested(table: &TableMeta, root_table: &str) -> String {
    format!(
        "DELETE FROM {} WHERE {}",
        qualified(table.name),
        below_roots(table, root_table)
    )
}

/// Parents (in `$1`) that already have rows in `table` (backfill leaves those alone).
pub fn parents_with_rows(table: &TableMeta, parent_column: &str) -> String {
    format!(
        "SELECT DISTINCT {col} FROM {table} WHERE {col} = ANY($1)",
        col = quote_ident(parent_column),
        table = qualified(table.name)
    )
}

/// The rows of the JSON array `$1` as a relation of `table_type`'s shape, for INSERT .. SELECT.
pub fn rows_from_json(table_type: &str, columns: &[&str]) -> String {
    format!(
        "SELECT {} FROM json_populate_recordset(NULL::{}, $1::json)",
        column_list(columns),
        qualified(table_type)
    )
}

/// Whether row-level security applies to the current role on any of the tables in `$1`
/// (text[]): PostgreSQL refuses `COPY FROM` into such a table.
pub fn row_security_active() -> String {
    format!(
        "SELECT coalesce(bool_or(row_security_active(to_regclass(format('%I.%I', {}, t)))), false) FROM unnest($1::text[]) AS t",
        generated::quote_literal(generated::SCHEMA)
    )
}

/// `COPY <table> (<columns>) FROM STDIN` (text format).
pub fn copy_from_stdin(table: &str, columns: &[&str]) -> String {
    format!(
        "COPY {} ({}) FROM STDIN",
        qualified(table),
        column_list(columns)
    )
}

/// A temporary copy of `table`'s shape (defaults and NOT NULL, no constraints), dropped at commit.
pub fn create_temp_like(temp: &str, table: &TableMeta) -> String {
    format!(
        "CREATE TEMP TABLE {} (LIKE {} INCLUDING DEFAULTS) ON COMMIT DROP",
        quote_ident(temp),
        qualified(table.name)
    )
}

/// `COPY <target> (<columns>) FROM STDIN` into a temporary table (a re-run's stage).
pub fn copy_into_temporary(temp: &str, columns: &[&str]) -> String {
    format!(
        "COPY {} ({}) FROM STDIN",
        temporary(temp),
        column_list(columns)
    )
}

/// `ROW(a.c1, ..) IS DISTINCT FROM ROW(b.c1, ..)`: whether two rows differ in `columns`,
/// compared by PostgreSQL as typed values (NULL equal to NULL).
fn rows_differ(a: &str, b: &str, columns: &[&str]) -> String {
    let side = |alias: &str| {
        columns
            .iter()
            .map(|c| format!("{alias}.{}", quote_ident(c)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!("ROW({}) IS DISTINCT FROM ROW({})", side(a), side(b))
}

/// Rows below the roots in `$1` of a nested `table` that none of the `stages` holds: rows the
/// input no longer gives.
pub fn delete_unstaged(table: &TableMeta, root_table: &str, stages: &[&str]) -> String {
    let absent: Vec<String> = stages
        .iter()
        .map(|s| {
            format!(
                "NOT EXISTS (SELECT 1 FROM {} s WHERE s.id = x.id)",
                temporary(s)
            )
        })
        .collect();
    let mut sql = format!(
        "DELETE FROM {} x WHERE {}",
        qualified(table.name),
        below_roots(table, root_table)
    );
    for condition in absent {
        sql.push_str(" AND ");
        sql.push_str(&condition);
    }
    sql
}

/// UPDATE of the rows of `table` that `stage` holds with other values in `compared`, setting
/// those columns (and `updated_at` to now(), when `touch` names it).
pub fn update_changed(
    table: &TableMeta,
    stage: &str,
    compared: &[&str],
    touch: Option<&str>,
) -> String {
    let mut sets: Vec<String> = compared
        .iter()
        .map(|c| format!("{q} = s.{q}", q = quote_ident(c)))
        .collect();
    if let Some(column) = touch {
        sets.push(format!("{} = now()", quote_ident(column)));
    }
    format!(
        "UPDATE {} x SET {} FROM {} s WHERE x.id = s.id AND {}",
        qualified(table.name),
        sets.join(", "),
        temporary(stage),
        rows_differ("x", "s", compared)
    )
}

/// DELETE of the rows of `table` that `stage` holds with other values in `compared` (written
/// again by [`insert_unmatched`]: for tables with a UNIQUE key besides the primary key, where
/// updating rows in place could collide with each other's old values).
pub fn delete_changed(table: &TableMeta, stage: &str, compared: &[&str]) -> String {
    format!(
        "DELETE FROM {} x USING {} s WHERE x.id = s.id AND {}",
        qualified(table.name),
        temporary(stage),
        rows_differ("x", "s", compared)
    )
}

/// INSERT of the rows of `stage` (given `columns`) whose id `table` does not hold.
pub fn insert_unmatched(table: &TableMeta, stage: &str, columns: &[&str]) -> String {
    let selected: Vec<String> = columns
        .iter()
        .map(|c| format!("s.{}", quote_ident(c)))
        .collect();
    format!(
        "INSERT INTO {table} ({cols}) SELECT {selected} FROM {stage} s WHERE NOT EXISTS (SELECT 1 FROM {table} x WHERE x.id = s.id)",
        table = qualified(table.name),
        cols = column_list(columns),
        selected = selected.join(", "),
        stage = temporary(stage),
    )
}

/// INSERT of `rows` (a `SELECT ..` or `VALUES ..`) updating on the root's (tenant_id, slug).
pub fn upsert(table: &TableMeta, columns: &[&str], rows: &str) -> String {
    let root = vocabulary().root_of_table(table.name);
    let (tenant, slug) = root.map_or((TENANT_COLUMN, crate::columns::SLUG), |r| {
        (r.tenant_column, r.slug_column)
    });
    let updates: Vec<String> = columns
        .iter()
        .filter(|c| **c != crate::columns::ID && **c != tenant && **c != slug)
        .map(|c| format!("{q} = EXCLUDED.{q}", q = quote_ident(c)))
        .collect();
    let action = if updates.is_empty() {
        "DO NOTHING".to_string()
    } else {
        let touch = if table
            .columns
            .iter()
            .any(|c| c.name == crate::columns::UPDATED_AT)
            && !columns.contains(&crate::columns::UPDATED_AT)
        {
            format!(", {} = now()", quote_ident(crate::columns::UPDATED_AT))
        } else {
            String::new()
        };
        // A root the input gives as it is stays untouched (no new row version, no trigger).
        let compared: Vec<&str> = columns
            .iter()
            .copied()
            .filter(|c| *c != crate::columns::ID && *c != tenant && *c != slug)
            .collect();
        format!(
            "DO UPDATE SET {}{touch} WHERE {}",
            updates.join(", "),
            rows_differ(&qualified(table.name), "EXCLUDED", &compared)
        )
    };
    format!(
        "INSERT INTO {table} ({cols}) {rows} ON CONFLICT ({tenant}, {slug}) {action}",
        table = qualified(table.name),
        cols = column_list(columns),
        tenant = quote_ident(tenant),
        slug = quote_ident(slug),
    )
}

/// `INSERT INTO <target> (<columns>) <rows>`; `target` as [`qualified`] or [`temporary`] wrote it.
pub fn insert_values(target: &str, columns: &[&str], rows: &str) -> String {
    format!("INSERT INTO {target} ({}) {rows}", column_list(columns))
}

/// Rows of the comparison table `temp` that `table` lacks or holds with other values
/// (compared by PostgreSQL, as typed values).
pub fn count_mismatches(table: &str, temp: &str, columns: &[&str]) -> String {
    let differs: Vec<String> = columns
        .iter()
        .filter(|c| **c != crate::columns::ID)
        .map(|c| format!("x.{q} IS DISTINCT FROM t.{q}", q = quote_ident(c)))
        .collect();
    let differs = if differs.is_empty() {
        "false".to_string()
    } else {
        differs.join(" OR ")
    };
    format!(
        "SELECT t.id::text FROM {temp} t LEFT JOIN {table} x ON x.id = t.id WHERE x.id IS NULL OR {differs}",
        temp = temporary(temp),
        table = qualified(table),
    )
}

/// Rows below the roots in `$1` whose id is not in `$2` (the input's rows).
pub fn count_extra(table: &TableMeta, root_table: &str) -> String {
    format!(
        "SELECT count(*) FROM {} WHERE {} AND NOT (id = ANY($2))",
        qualified(table.name),
        below_roots(table, root_table),
    )
}

/// Rows of `table` whose FK columns point at no row of the referenced table.
pub fn count_orphans(table: &str, fk: &generated::ForeignKeyMeta) -> String {
    let present: Vec<String> = fk
        .columns
        .iter()
        .map(|c| format!("c.{} IS NOT NULL", quote_ident(c)))
        .collect();
    let join: Vec<String> = fk
        .columns
        .iter()
        .zip(fk.foreign_columns)
        .map(|(c, f)| format!("p.{} = c.{}", quote_ident(f), quote_ident(c)))
        .collect();
    format!(
        "SELECT count(*) FROM {} c WHERE {} AND NOT EXISTS (SELECT 1 FROM {} p WHERE {})",
        qualified(table),
        present.join(" AND "),
        qualified(fk.foreign_table),
        join.join(" AND ")
    )
}

/// Root rows of the tenant with the slug of the row they reference through `column`.
pub fn roots_by_reference(root: &RootSection, column: &str, target: &RootSection) -> String {
    format!(
        "SELECT r.id, r.{slug}::text, t.{tslug}::text FROM {table} r LEFT JOIN {ttable} t ON t.id = r.{col} WHERE r.{tenant} = $1",
        slug = quote_ident(root.slug_column),
        tslug = quote_ident(target.slug_column),
        table = qualified(root.table.name),
        ttable = qualified(target.table.name),
        col = quote_ident(column),
        tenant = quote_ident(root.tenant_column),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_follow_the_parent_chain() {
        let grandchild = generated::table("persona_case_study_investments").unwrap();
        let scope = tenant_scope(grandchild).unwrap();
        assert_eq!(
            scope,
            "\"case_study_id\" IN (SELECT id FROM \"public\".\"persona_case_studies\" WHERE \"persona_id\" IN (SELECT id FROM \"public\".\"personas\" WHERE \"tenant_id\" = $1))"
        );
        assert_eq!(
            below_roots(grandchild, "personas"),
            "\"case_study_id\" IN (SELECT id FROM \"public\".\"persona_case_studies\" WHERE \"persona_id\" = ANY($1))"
        );
        assert!(tenant_scope(generated::table("tenants").unwrap()).is_none());
    }

    #[test]
    fn identifiers_are_quoted() {
        assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
    }
}
