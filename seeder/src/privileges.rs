//! Least privilege: the grants (and row-level security policies) the seeder needs, generated from
//! the compiled metadata, and errors from a missing privilege explained (table and privilege).
//!
//! The seeder needs SELECT, INSERT, UPDATE, DELETE on every table below a tenant (personas,
//! persona_*, org_*) and SELECT on the others it reads (tenants, users: the tenant check, the
//! orphan check of verify). Nothing else: it owns nothing, creates nothing but temporary tables
//! (verify; PUBLIC has TEMPORARY on a database by default) and takes its per-tenant lock with
//! `pg_advisory_xact_lock(int, int)` and `hashtext(text)`, which PUBLIC may execute by default.
//! Every transaction sets `vital.tenant_id` (`SET LOCAL`) to the run's tenant, which row-level
//! security policies can compare with.

use std::fmt::Write as _;

use codegen::connect::{Db, database_error, restate};
use generated::{TABLES, TableMeta};

use crate::sqltext::{quote_ident, tenant_scope};

/// The setting every transaction of a run carries: the run's tenant id.
pub const TENANT_SETTING: &str = "vital.tenant_id";

/// The name the generated policies carry.
pub const POLICY: &str = "vital_seeder_tenant";

/// The privileges the seeder needs on `table`.
pub fn needed(table: &TableMeta) -> &'static [&'static str] {
    if tenant_scope(table).is_some() {
        &["SELECT", "INSERT", "UPDATE", "DELETE"]
    } else {
        &["SELECT"]
    }
}

/// The policy condition admitting the rows of the run's tenant: its own tenant column for a
/// root table, the existence of the (itself policed) parent row for a nested one.
pub fn policy_condition(table: &TableMeta) -> Option<String> {
    tenant_scope(table)?;
    if let Some(link) = &table.parent {
        return Some(format!(
            "EXISTS (SELECT 1 FROM {parent} p WHERE p.\"id\" = {table}.{column})",
            parent = quote_ident(link.table),
            table = quote_ident(table.name),
            column = quote_ident(link.column),
        ));
    }
    let root = crate::vocabulary::vocabulary().root_of_table(table.name)?;
    Some(format!(
        "{} = nullif(current_setting('{TENANT_SETTING}', true), '')::uuid",
        quote_ident(root.tenant_column)
    ))
}

/// A psql script giving `role` what the seeder needs and no more; with `rls`, row-level security
/// on every table below a tenant with a policy admitting the run's tenant only.
pub fn grant_sql(role: &str, rls: bool) -> String {
    let role = quote_ident(role);
    let mut sql = String::new();
    let _ = writeln!(
        sql,
        "-- The seeder's privileges ({} tables, from the compiled schema snapshot).\n\
         -- Run as the tables' owner. The role needs LOGIN (or is SET ROLE to) and owns nothing.\n\
         -- Also used, granted to PUBLIC by default: TEMPORARY on the database (verify compares\n\
         -- in temporary tables), EXECUTE on pg_advisory_xact_lock(int, int) and hashtext(text).",
        TABLES.len()
    );
    let _ = writeln!(sql, "GRANT USAGE ON SCHEMA public TO {role};");
    for table in TABLES {
        let _ = writeln!(
            sql,
            "GRANT {} ON TABLE {} TO {role};",
            needed(table).join(", "),
            quote_ident(table.name)
        );
    }
    if rls {
        let _ = writeln!(
            sql,
            "-- Row-level security: the role sees and writes the rows of the tenant in\n\
             -- {TENANT_SETTING} only (the seeder sets it in every transaction). Other roles need\n\
             -- policies of their own (owners and BYPASSRLS roles are not affected)."
        );
        for table in TABLES {
            let Some(condition) = policy_condition(table) else {
                continue;
            };
            let name = quote_ident(table.name);
            let _ = writeln!(sql, "ALTER TABLE {name} ENABLE ROW LEVEL SECURITY;");
            let _ = writeln!(sql, "DROP POLICY IF EXISTS {POLICY} ON {name};");
            let _ = writeln!(
                sql,
                "CREATE POLICY {POLICY} ON {name} FOR ALL TO {role} USING ({condition}) WITH CHECK ({condition});"
            );
        }
    }
    sql
}

/// A permission error (SQLSTATE 42501) explained: which privilege on which table the role lacks
/// (asked of the database), or which row-level security policy refused a row. Other errors are
/// returned as they are.
pub async fn explain(db: &Db, error: anyhow::Error) -> anyhow::Error {
    let Some(db_error) = database_error(&error) else {
        return error;
    };
    if db_error.code().as_deref() != Some("42501") {
        return error;
    }
    let message = db_error.message().to_string();
    if let Some(table) = message
        .strip_prefix("new row violates row-level security policy")
        .and_then(|rest| rest.split('"').nth(1))
    {
        return restate(
            &error,
            &format!(
                "row-level security: a policy of table {table} refused a row the seeder writes; \
             the seeder sets {TENANT_SETTING} to the run's tenant in every transaction, so a \
             policy may admit `tenant_id = nullif(current_setting('{TENANT_SETTING}', true), '')::uuid` \
             (`seeder grants --rls` prints such policies)"
            ),
        );
    }
    if let Some(object) = message.strip_prefix("permission denied for schema ") {
        return restate(
            &error,
            &format!(
                "permission denied: the role lacks USAGE on schema {object} (GRANT USAGE ON SCHEMA {object} TO <role>)"
            ),
        );
    }
    if let Some(function) = message.strip_prefix("permission denied for function ") {
        return restate(
            &error,
            &format!(
                "permission denied: the role lacks EXECUTE on function {function} (the per-tenant \
             lock uses pg_advisory_xact_lock and hashtext)"
            ),
        );
    }
    let Some(table) = message.strip_prefix("permission denied for table ") else {
        return restate(&error, &format!("permission denied: {message}"));
    };
    let wanted: Vec<&str> = generated::table(table)
        .map_or(vec!["SELECT", "INSERT", "UPDATE", "DELETE"], |t| {
            needed(t).to_vec()
        });
    let (role, missing) = match missing_privileges(db, table, &wanted).await {
        Ok(found) => found,
        Err(_) => ("the role".to_string(), vec![]),
    };
    let lacks = if missing.is_empty() {
        format!(
            "a privilege on table {table} (needed: {})",
            wanted.join(", ")
        )
    } else {
        format!("{} on table {table}", missing.join(" and "))
    };
    restate(
        &error,
        &format!(
            "permission denied: role {role} lacks {lacks}; grant it: GRANT {} ON TABLE {} TO {role} \
         (`seeder grants --role {role}` prints every grant the seeder needs)",
            if missing.is_empty() {
                wanted.join(", ")
            } else {
                missing.join(", ")
            },
            quote_ident(table),
        ),
    )
}

/// (current role, the privileges of `wanted` it lacks on `table`).
async fn missing_privileges(
    db: &Db,
    table: &str,
    wanted: &[&str],
) -> anyhow::Result<(String, Vec<String>)> {
    let mut tx = db.begin().await?;
    let found: (String, Vec<String>) = sqlx::query_as(
        "SELECT current_user::text, array(SELECT p FROM unnest($2::text[]) p \
         WHERE NOT has_table_privilege(current_user, $1, p))",
    )
    .persistent(false)
    .bind(quote_ident(table))
    .bind(wanted)
    .fetch_one(&mut *tx)
    .await?;
    tx.rollback().await?;
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grants_cover_every_table_and_policies_follow_the_parents() {
        let sql = grant_sql("vital_app", true);
        for table in TABLES {
            assert!(
                sql.contains(&format!("ON TABLE {} TO", quote_ident(table.name))),
                "{}",
                table.name
            );
        }
        assert!(sql.contains(
            "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE \"personas\" TO \"vital_app\";"
        ));
        assert!(sql.contains("GRANT SELECT ON TABLE \"tenants\" TO \"vital_app\";"));
        let grandchild = generated::table("persona_case_study_investments").unwrap();
        assert_eq!(
            policy_condition(grandchild).unwrap(),
            "EXISTS (SELECT 1 FROM \"persona_case_studies\" p WHERE p.\"id\" = \"persona_case_study_investments\".\"case_study_id\")"
        );
        assert!(policy_condition(generated::table("tenants").unwrap()).is_none());
    }
}
