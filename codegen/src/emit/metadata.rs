//! `metadata.rs`: the snapshot's hash and a `TableMeta` per table, parents before children, for
//! a loader that walks documents and inserts rows without knowing the tables at compile time.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::plan::{AllowedPlan, BoundSpec, ColumnPlan, Plan, TablePlan};
use super::syntax::{ident, inner_docs, opt_str, str_lit};
use schema::model::{Snapshot, Table};

/// The table documents are rooted at: other tables nest under it.
const ROOT_TABLE: &str = "personas";

pub fn emit(plan: &Plan<'_>) -> TokenStream {
    let docs = inner_docs(&[
        "",
        "What the loader needs to know of each table, in FK order (parents first).",
    ]);
    let hash = str_lit(&plan.snapshot.content_hash);
    let schema = str_lit(&plan.snapshot.schema);
    let order = topological_order(plan.snapshot);
    let parents = parent_links(plan.snapshot);
    let by_name: BTreeMap<&str, &TablePlan<'_>> = plan
        .tables
        .iter()
        .map(|t| (t.table.name.as_str(), t))
        .collect();

    let consts: Vec<_> = order
        .iter()
        .map(|name| table_const(plan, by_name[name], parents.get(name)))
        .collect();
    let const_names = order.iter().map(|name| const_name(by_name[name]));

    let mut used: BTreeSet<&str> = plan.tables.iter().map(|t| t.insert_name.as_str()).collect();
    for t in &plan.tables {
        for c in &t.columns {
            if let AllowedPlan::Values(e) | AllowedPlan::ElementValues(e) = &c.allowed {
                used.insert(e);
            }
        }
    }
    let used = used.into_iter().map(ident);
    let runtime = runtime_imports(plan).into_iter().map(ident);

    quote! {
        #docs
        use crate::runtime::{#(#runtime),*};
        use crate::{#(#used),*};

        /// The `content_hash` of the snapshot this crate was generated from.
        pub const SNAPSHOT_HASH: &str = #hash;

        /// The schema the snapshot was read from: every statement names it, so that a
        /// same-named table earlier on a session's `search_path` is never written instead.
        pub const SCHEMA: &str = #schema;

        /// Every table, parents before children (FK order), ties broken by name.
        pub static TABLES: &[TableMeta] = &[#(#const_names),*];

        /// The table of that name.
        pub fn table(name: &str) -> Option<&'static TableMeta> {
            TABLES.iter().find(|t| t.name == name)
        }

        #(#consts)*
    }
}

pub(super) fn const_name(table: &TablePlan<'_>) -> proc_macro2::Ident {
    ident(&format!("{}_TABLE", table.module.to_ascii_uppercase()))
}

/// The runtime types metadata.rs names: exactly those, or rustc warns.
fn runtime_imports(plan: &Plan<'_>) -> BTreeSet<&'static str> {
    let mut used = BTreeSet::from(["Allowed", "ColumnMeta", "TableMeta"]);
    let snapshot = plan.snapshot;
    for t in &plan.tables {
        if !t.table.foreign_keys.is_empty() {
            used.insert("ForeignKeyMeta");
        }
        for c in &t.columns {
            if slug_ref(snapshot, t.table, &c.column.name).is_some() {
                used.insert("SlugRef");
            }
            if let AllowedPlan::Value(v) = &c.allowed
                && let Some(def) = plan.values.iter().find(|d| &d.name == v)
                && (def.spec.min.is_some() || def.spec.max.is_some())
            {
                used.insert("RangeBound");
            }
        }
    }
    if !parent_links(snapshot).is_empty() {
        used.insert("ParentLink");
    }
    used
}

/// Table names, parents before children: Kahn's algorithm over the FKs between included
/// tables, always taking the smallest ready name. A cycle (no table ready) is broken at its
/// smallest name.
pub fn topological_order(snapshot: &Snapshot) -> Vec<&str> {
    let names: BTreeSet<&str> = snapshot.tables.iter().map(|t| t.name.as_str()).collect();
    let mut parents: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for t in &snapshot.tables {
        let ps = parents.entry(&t.name).or_default();
        for fk in &t.foreign_keys {
            let target = fk.foreign_table.as_str();
            if target != t.name && names.contains(target) {
                ps.insert(target);
            }
        }
    }
    let mut done: BTreeSet<&str> = BTreeSet::new();
    let mut order = Vec::new();
    while order.len() < names.len() {
        let remaining = names.iter().filter(|n| !done.contains(*n));
        let next = remaining
            .clone()
            .find(|n| parents[*n].iter().all(|p| done.contains(p)))
            .or_else(|| remaining.clone().next())
            .copied()
            .expect("a table remains while the order is short");
        done.insert(next);
        order.push(next);
    }
    order
}

/// Where each table nests in a document: a table with a NOT NULL single-column FK to
/// `personas`, or to a table nested under it, nests under that table; a parent other than
/// `personas` wins (a case study's investments go under the case study), then the FK name.
pub fn parent_links(snapshot: &Snapshot) -> BTreeMap<&str, (&str, &str)> {
    let mut links = BTreeMap::new();
    if snapshot.table(ROOT_TABLE).is_none() {
        return links;
    }
    let mut resolving = BTreeSet::new();
    for t in &snapshot.tables {
        resolve_parent(snapshot, t, &mut links, &mut resolving);
    }
    links
}

/// Memoised in `links`; `resolving` breaks FK cycles (a table being resolved is not a parent).
/// Returns whether `table` is `personas` or nests under it.
fn resolve_parent<'a>(
    snapshot: &'a Snapshot,
    table: &'a Table,
    links: &mut BTreeMap<&'a str, (&'a str, &'a str)>,
    resolving: &mut BTreeSet<&'a str>,
) -> bool {
    if table.name == ROOT_TABLE || links.contains_key(table.name.as_str()) {
        return true;
    }
    if !resolving.insert(&table.name) {
        return false;
    }
    // NOT NULL single-column FKs to other included tables: non-personas first, then by FK name
    // (the snapshot keeps FKs sorted by name).
    let mut candidates: Vec<(&str, &str)> = table
        .foreign_keys
        .iter()
        .filter_map(|fk| {
            let [column] = fk.columns.as_slice() else {
                return None;
            };
            let not_null = table.column(column).is_some_and(|c| !c.nullable);
            let other = fk.foreign_table != table.name;
            (not_null && other && snapshot.table(&fk.foreign_table).is_some())
                .then_some((fk.foreign_table.as_str(), column.as_str()))
        })
        .collect();
    candidates.sort_by_key(|(target, _)| *target == ROOT_TABLE);
    let mut found = None;
    for (target, column) in candidates {
        let target_table = snapshot.table(target).expect("filtered above");
        if resolve_parent(snapshot, target_table, links, resolving) {
            found = Some((target, column));
            break;
        }
    }
    resolving.remove(table.name.as_str());
    match found {
        Some(link) => {
            links.insert(&table.name, link);
            true
        }
        None => false,
    }
}

/// The referenced table, when `column` is a single-column FK to a table with a unique `slug`
/// (alone or with `tenant_id`).
pub fn slug_ref<'a>(snapshot: &'a Snapshot, table: &Table, column: &str) -> Option<&'a str> {
    table.foreign_keys.iter().find_map(|fk| {
        if fk.columns != [column] {
            return None;
        }
        let target = snapshot.table(&fk.foreign_table)?;
        let has_slug_key = target.unique_keys.iter().any(|k| {
            let cols: BTreeSet<&str> = k.columns.iter().map(String::as_str).collect();
            cols == BTreeSet::from(["slug"]) || cols == BTreeSet::from(["slug", "tenant_id"])
        });
        has_slug_key.then_some(target.name.as_str())
    })
}

fn str_list<S: AsRef<str>>(items: &[S]) -> TokenStream {
    let items = items.iter().map(|s| str_lit(s.as_ref()));
    quote! { &[#(#items),*] }
}

fn table_const(
    plan: &Plan<'_>,
    table: &TablePlan<'_>,
    parent: Option<&(&str, &str)>,
) -> TokenStream {
    let t = table.table;
    let name = const_name(table);
    let table_name = str_lit(&t.name);
    let columns = table.columns.iter().map(|c| column_meta(plan, t, c));
    let primary_key = str_list(&t.primary_key);
    let unique_keys = t.unique_keys.iter().map(|k| str_list(&k.columns));
    let foreign_keys = t.foreign_keys.iter().map(|fk| {
        let fk_name = str_lit(&fk.name);
        let cols = str_list(&fk.columns);
        let foreign_table = str_lit(&fk.foreign_table);
        let foreign_cols = str_list(&fk.foreign_columns);
        quote! {
            ForeignKeyMeta {
                name: #fk_name,
                columns: #cols,
                foreign_table: #foreign_table,
                foreign_columns: #foreign_cols,
            }
        }
    });
    let parent = match parent {
        Some((parent_table, column)) => {
            let parent_table = str_lit(parent_table);
            let column = str_lit(column);
            quote! { Some(ParentLink { table: #parent_table, column: #column }) }
        }
        None => quote! { None },
    };
    let comment = opt_str(t.comment.as_deref());
    let insert = ident(&table.insert_name);
    quote! {
        pub(crate) const #name: TableMeta = TableMeta {
            name: #table_name,
            columns: &[#(#columns),*],
            primary_key: #primary_key,
            unique_keys: &[#(#unique_keys),*],
            foreign_keys: &[#(#foreign_keys),*],
            parent: #parent,
            comment: #comment,
            from_json: #insert::sql_values_from_json,
        };
    }
}

fn range_bound(bound: &Option<BoundSpec>) -> TokenStream {
    match bound {
        Some(b) => {
            let value = str_lit(&b.value.to_string());
            let inclusive = b.inclusive;
            quote! { Some(RangeBound { value: #value, inclusive: #inclusive }) }
        }
        None => quote! { None },
    }
}

fn allowed(plan: &Plan<'_>, allowed: &AllowedPlan) -> TokenStream {
    match allowed {
        AllowedPlan::Any => quote! { Allowed::Any },
        AllowedPlan::Values(e) => {
            let e = ident(e);
            quote! { Allowed::Values(#e::VALUES) }
        }
        AllowedPlan::ElementValues(e) => {
            let e = ident(e);
            quote! { Allowed::ElementValues(#e::VALUES) }
        }
        AllowedPlan::Except(values) => {
            let values = values.iter().map(|v| str_lit(v));
            quote! { Allowed::Except(&[#(#values),*]) }
        }
        AllowedPlan::Value(v) => {
            let Some(def) = plan.values.iter().find(|d| &d.name == v) else {
                return quote! { Allowed::Any };
            };
            let min = range_bound(&def.spec.min);
            let max = range_bound(&def.spec.max);
            match def.spec.precision {
                Some((p, s)) => {
                    let p = Literal::u32_unsuffixed(p);
                    let s = Literal::u32_unsuffixed(s);
                    quote! { Allowed::Precision { precision: #p, scale: #s, min: #min, max: #max } }
                }
                None => quote! { Allowed::Range { min: #min, max: #max } },
            }
        }
    }
}

fn column_meta(plan: &Plan<'_>, table: &Table, c: &ColumnPlan<'_>) -> TokenStream {
    let name = str_lit(&c.column.name);
    let sql_type = str_lit(&c.sql_type);
    let nullable = c.nullable;
    let has_default = c.has_default;
    let default_varies = c.default_varies;
    let required = c.required;
    let insertable = c.insertable;
    let allowed = allowed(plan, &c.allowed);
    let comment = opt_str(c.column.comment.as_deref());
    let slug = match slug_ref(plan.snapshot, table, &c.column.name) {
        Some(target) => {
            let target = str_lit(target);
            quote! { Some(SlugRef { table: #target, slug_column: "slug" }) }
        }
        None => quote! { None },
    };
    quote! {
        ColumnMeta {
            name: #name,
            sql_type: #sql_type,
            nullable: #nullable,
            has_default: #has_default,
            default_varies: #default_varies,
            required: #required,
            insertable: #insertable,
            allowed: #allowed,
            comment: #comment,
            slug_ref: #slug,
        }
    }
}
