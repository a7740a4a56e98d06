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

use generated::{TABLES, TableMeta};
use pg::connect::{Db, database_error, restate};

use uuid::Uuid;

use crate::sqltext::{qualified, quote_ident, tenant_scope};
use crate::tenancy::{TENANT_COLUMN, has_tenant_column, tenants_table};

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

/// Which tenant a role's row-level security policies admit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TenantPin {
    /// The tenant the session names in `vital.tenant_id`: one role for every tenant. This
    /// keeps the seeder (and a wrong `--tenant-id`) to one tenant per transaction, but any
    /// session of the role may set the value: it does not stand against a holder of the
    /// credential.
    Session,
    /// A tenant written into the policies: a role per tenant, which reaches no other tenant's
    /// rows whatever it sets.
    Fixed(Uuid),
}

impl TenantPin {
    /// The tenant id a policy compares with.
    fn tenant_expr(self) -> String {
        match self {
            TenantPin::Session => {
                format!("nullif(current_setting('{TENANT_SETTING}', true), '')::uuid")
            }
            TenantPin::Fixed(id) => format!("'{id}'::uuid"),
        }
    }
}

/// The policy condition admitting the rows of the pinned tenant: its own tenant column (every
/// table that has one, nested tables too, so that a child row cannot name another tenant than
/// its parent's) and, for a nested table, the existence of the (itself policed) parent row.
/// `users` and `tenants` are admitted for the tenant's own rows only.
pub fn policy_condition(table: &TableMeta, pin: TenantPin) -> Option<String> {
    let tenant = pin.tenant_expr();
    let own_tenant =
        has_tenant_column(table).then(|| format!("{} = {tenant}", quote_ident(TENANT_COLUMN)));
    if tenant_scope(table).is_none() {
        // Tables outside the documents: the tenant row itself, and its users.
        if table.name == tenants_table().name {
            return Some(format!("\"id\" = {tenant}"));
        }
        return own_tenant;
    }
    let parent = table.parent.as_ref().map(|link| {
        format!(
            "EXISTS (SELECT 1 FROM {parent} p WHERE p.\"id\" = {table}.{column})",
            parent = qualified(link.table),
            table = qualified(table.name),
            column = quote_ident(link.column),
        )
    });
    match (own_tenant, parent) {
        (Some(own), Some(parent)) => Some(format!("{own} AND {parent}")),
        (own, parent) => own.or(parent),
    }
}

/// The policy name for `role`: one per role, so that a role per tenant has its own.
fn policy_name(role: &str, pin: TenantPin) -> String {
    match pin {
        TenantPin::Session => POLICY.to_string(),
        TenantPin::Fixed(_) => quote_ident(&format!("{POLICY}_{role}")),
    }
}

/// A psql script giving `role` what the seeder needs and no more; with `rls`, row-level security
/// on every table the role reads, with a policy admitting the pinned tenant's rows only.
pub fn grant_sql(role: &str, rls: Option<TenantPin>) -> String {
    let role_name = role;
    let role = quote_ident(role);
    let schema = quote_ident(generated::SCHEMA);
    let mut sql = String::new();
    let _ = writeln!(
        sql,
        "-- The seeder's privileges ({} tables, from the compiled schema snapshot).\n\
         -- Run as the tables' owner. The role needs LOGIN (or is SET ROLE to) and owns nothing.\n\
         -- Also used, granted to PUBLIC by default: TEMPORARY on the database (verify compares\n\
         -- in temporary tables), EXECUTE on pg_advisory_xact_lock(int, int) and hashtext(text).",
        TABLES.len()
    );
    let _ = writeln!(sql, "GRANT USAGE ON SCHEMA {schema} TO {role};");
    for table in TABLES {
        let _ = writeln!(
            sql,
            "GRANT {} ON TABLE {} TO {role};",
            needed(table).join(", "),
            qualified(table.name)
        );
    }
    if let Some(pin) = rls {
        let _ = writeln!(sql, "{}", what_rls_protects(pin));
        let policy = policy_name(role_name, pin);
        for table in TABLES {
            let Some(condition) = policy_condition(table, pin) else {
                continue;
            };
            let name = qualified(table.name);
            let _ = writeln!(sql, "ALTER TABLE {name} ENABLE ROW LEVEL SECURITY;");
            let _ = writeln!(sql, "DROP POLICY IF EXISTS {policy} ON {name};");
            let _ = writeln!(
                sql,
                "CREATE POLICY {policy} ON {name} FOR ALL TO {role} USING ({condition}) WITH CHECK ({condition});"
            );
        }
    }
    sql
}

/// What the policies of `pin` stand against, and what they do not, as the script says it.
fn what_rls_protects(pin: TenantPin) -> String {
    match pin {
        TenantPin::Session => format!(
            "-- Row-level security, one role for every tenant: the role sees and writes the rows\n\
             -- of the tenant in {TENANT_SETTING} only, which the seeder sets in every transaction.\n\
             -- This guards against mistakes: a wrong --tenant-id, a bug of the tool, a child row\n\
             -- naming another tenant than its parent. It does NOT keep a holder of the role's\n\
             -- credential to one tenant: any session may SET {TENANT_SETTING}. For that, give\n\
             -- each tenant a role of its own: seeder grants --role ROLE --rls --tenant-id UUID.\n\
             -- Other roles need policies of their own (owners and BYPASSRLS roles are not affected)."
        ),
        TenantPin::Fixed(id) => format!(
            "-- Row-level security, a role for tenant {id}: the policies name the tenant itself,\n\
             -- so the role reads and writes that tenant's rows (its tenant row and its users\n\
             -- included) and no other, whatever a session sets; child rows must carry their\n\
             -- parent's tenant. Keep the role for this tenant only (owners and BYPASSRLS roles\n\
             -- are not affected)."
        ),
    }
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
            qualified(table),
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
    .bind(qualified(table))
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
        let sql = grant_sql("vital_app", Some(TenantPin::Session));
        for table in TABLES {
            assert!(
                sql.contains(&format!("ON TABLE {} TO", qualified(table.name))),
                "{}",
                table.name
            );
        }
        assert!(sql.contains(
            "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE \"public\".\"personas\" TO \"vital_app\";"
        ));
        assert!(sql.contains("GRANT SELECT ON TABLE \"public\".\"tenants\" TO \"vital_app\";"));
        assert!(
            sql.contains("does NOT keep a holder"),
            "the script says what RLS is not"
        );
        let setting = "nullif(current_setting('vital.tenant_id', true), '')::uuid";
        let grandchild = generated::table("persona_case_study_investments").unwrap();
        assert_eq!(
            policy_condition(grandchild, TenantPin::Session).unwrap(),
            format!(
                "\"tenant_id\" = {setting} AND EXISTS (SELECT 1 FROM \"public\".\"persona_case_studies\" p WHERE p.\"id\" = \"public\".\"persona_case_study_investments\".\"case_study_id\")"
            )
        );
        let child = generated::table("persona_goals").unwrap();
        assert!(
            policy_condition(child, TenantPin::Session)
                .unwrap()
                .starts_with(&format!("\"tenant_id\" = {setting} AND EXISTS")),
            "a child's own tenant must be the run's"
        );
        let users = generated::table("users").unwrap();
        assert_eq!(
            policy_condition(users, TenantPin::Session).unwrap(),
            format!("\"tenant_id\" = {setting}")
        );
    }

    #[test]
    fn a_fixed_tenant_is_written_into_the_policies() {
        let tenant = Uuid::from_u128(7);
        let sql = grant_sql("tenant_7", Some(TenantPin::Fixed(tenant)));
        assert!(!sql.contains("current_setting"), "{sql}");
        assert!(sql.contains(&format!("\"tenant_id\" = '{tenant}'::uuid")));
        assert!(
            sql.contains(
                "CREATE POLICY \"vital_seeder_tenant_tenant_7\" ON \"public\".\"tenants\""
            )
        );
    }
}
