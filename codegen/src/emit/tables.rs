//! `tables/<table>.rs` and `tables/mod.rs`: per table a row struct (every column) and an insert
//! struct (what an INSERT may set), with the insert struct's conversions to SQL values and from
//! a JSON document.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::plan::{AllowedPlan, ColumnPlan, Plan, RustType, TablePlan};
use super::syntax::{ident, inner_docs, one_line, outer_docs, str_lit, type_tokens};
use schema::model::Identity;

/// `tables/mod.rs`: the table modules and their structs re-exported.
pub fn emit_mod(plan: &Plan<'_>) -> TokenStream {
    let docs = inner_docs(&[
        "",
        "One module per table: its row struct (`<Table>Row`, every column) and its insert struct",
        "(`New<Table>`, what an INSERT may set), and the names code uses to reach the table:",
        "`META` (its metadata), `columns::<COLUMN>` (each column's metadata), `Row`, `New`, and",
        "each column's value type under the column's name.",
    ]);
    let modules = plan.tables.iter().map(|t| ident(&t.module));
    // Public: `generated::<table>::{META, columns, Row, New, <Column>}` is the API code names.
    let exports = plan.tables.iter().map(|t| {
        let module = ident(&t.module);
        let mut names = [t.insert_name.as_str(), t.row_name.as_str()];
        names.sort_unstable();
        let names = names.iter().map(|n| ident(n));
        quote! { pub use #module::{#(#names),*}; }
    });
    quote! {
        #docs
        #(pub mod #modules;)*
        #(#exports)*
    }
}

/// A column's field type, `Option` around it when `optional`.
fn field_type(ty: &RustType, optional: bool) -> anyhow::Result<TokenStream> {
    let ty = type_tokens(&ty.source())?;
    Ok(if optional {
        quote! { Option<#ty> }
    } else {
        ty
    })
}

/// `` `name` text NOT NULL, default `now()` ``: the column as the database has it.
fn column_summary(c: &ColumnPlan<'_>) -> String {
    let col = c.column;
    let mut s = format!("`{}` {}", col.name, c.sql_type);
    if !c.nullable {
        s.push_str(" NOT NULL");
    }
    if let Some(default) = &col.default {
        s.push_str(&format!(", default `{default}`"));
    }
    match col.identity {
        Some(Identity::Always) => s.push_str(", identity always"),
        Some(Identity::ByDefault) => s.push_str(", identity by default"),
        None => {}
    }
    if let Some(generated) = &col.generated {
        s.push_str(&format!(", generated as `{generated}`"));
    }
    s
}

fn field_docs(c: &ColumnPlan<'_>) -> TokenStream {
    let mut lines = vec![column_summary(c)];
    if let Some(comment) = &c.column.comment {
        lines.push(String::new());
        lines.push(one_line(comment));
    }
    outer_docs(&lines)
}

fn serde_rename(c: &ColumnPlan<'_>) -> TokenStream {
    match &c.field.rename {
        Some(original) => {
            let lit = str_lit(original);
            quote! { #[serde(rename = #lit)] }
        }
        None => TokenStream::new(),
    }
}

/// A local name for the generated functions that no field uses (fields become locals too).
fn free_local(plan: &TablePlan<'_>, base: &str) -> proc_macro2::Ident {
    let mut name = base.to_owned();
    while plan.columns.iter().any(|c| c.field.bare() == name) {
        name.push('_');
    }
    ident(&name)
}

pub fn emit_table(plan: &Plan<'_>, table: &TablePlan<'_>) -> anyhow::Result<TokenStream> {
    let t = table.table;
    let mut module_docs = vec![String::new(), format!("Table `{}`.", t.name)];
    if let Some(comment) = &t.comment {
        module_docs.push(String::new());
        module_docs.push(one_line(comment));
    }
    let module_docs = inner_docs(&module_docs);

    let aliases = scoped_aliases(plan, table);
    let named: BTreeSet<&str> = table.columns.iter().filter_map(|c| c.ty.named()).collect();
    // A type re-exported under its own name is imported by that re-export.
    let named: Vec<_> = named
        .into_iter()
        .filter(|n| !aliases.iter().any(|(alias, ty)| alias == n && ty == n))
        .map(ident)
        .collect();
    let named = (!named.is_empty()).then(|| quote! { use crate::{#(#named),*}; });

    let runtime = runtime_imports(table).into_iter().map(ident);

    let api = table_api(table, &aliases);
    let row = row_struct(table)?;
    let insert = insert_struct(table)?;
    let insert_impl = insert_impl(table)?;
    Ok(quote! {
        #module_docs
        use crate::runtime::{#(#runtime),*};
        #named

        #api
        #row
        #insert
        #insert_impl
    })
}

/// The value types (enums, validated numbers) of the table's columns under the column's own
/// name (`severity` -> `Severity`), so that code names `persona_pain_points::Severity` and a
/// CHECK added to another table, which may rename the crate-level type, changes nothing here.
/// Typed ids keep their own names; a name taken by the module's other items is skipped.
fn scoped_aliases(plan: &Plan<'_>, table: &TablePlan<'_>) -> Vec<(String, String)> {
    let reserved = ["Row", "New", "META"];
    let imported: BTreeSet<&str> = table.columns.iter().filter_map(|c| c.ty.named()).collect();
    let mut aliases: Vec<(String, String)> = vec![];
    for c in &table.columns {
        let Some(ty) = c.ty.named() else { continue };
        if plan.ids.iter().any(|id| id.name == ty) {
            continue;
        }
        let alias = super::names::pascal_case(c.field.bare());
        let clashes = reserved.contains(&alias.as_str())
            || alias == table.row_name
            || alias == table.insert_name
            || (imported.contains(alias.as_str()) && alias != ty)
            || aliases.iter().any(|(a, _)| *a == alias);
        let usable = alias.starts_with(|c: char| c.is_ascii_uppercase()) && alias != "Self";
        if !clashes && usable {
            aliases.push((alias, ty.to_owned()));
        }
    }
    aliases
}

/// `META`, `columns`, `Row`, `New` and the scoped value types: what hand-written code names, so
/// that a dropped or renamed table or column is a compile error where it is used.
fn table_api(table: &TablePlan<'_>, aliases: &[(String, String)]) -> TokenStream {
    let t = table.table;
    let meta = super::metadata::const_name(table);
    let row = ident(&table.row_name);
    let insert = ident(&table.insert_name);
    let meta_docs = outer_docs(&[format!("The metadata of `{}`.", t.name)]);
    let column_consts = table.columns.iter().enumerate().map(|(i, c)| {
        let name = ident(&c.field.bare().to_ascii_uppercase());
        let docs = outer_docs(&[column_summary(c)]);
        let index = proc_macro2::Literal::usize_unsuffixed(i);
        quote! { #docs pub const #name: &ColumnMeta = &super::META.columns[#index]; }
    });
    let aliases = aliases.iter().map(|(alias, ty)| {
        let same = alias == ty;
        let ty = ident(ty);
        if same {
            quote! { pub use crate::#ty; }
        } else {
            let alias = ident(alias);
            quote! { pub use crate::#ty as #alias; }
        }
    });
    let column_import =
        (!table.columns.is_empty()).then(|| quote! { use crate::runtime::ColumnMeta; });
    quote! {
        #meta_docs
        pub const META: &crate::runtime::TableMeta = &crate::metadata::#meta;
        /// Every column of a row.
        pub type Row = #row;
        /// What an insert may set.
        pub type New = #insert;
        #(#aliases)*

        /// Each column's metadata, in column order.
        pub mod columns {
            #column_import
            #(#column_consts)*
        }
    }
}

/// The runtime items the table's code uses: exactly those, or rustc warns.
fn runtime_imports(table: &TablePlan<'_>) -> BTreeSet<&'static str> {
    let mut used = BTreeSet::from([
        "FieldError",
        "Fields",
        "InsertValues",
        "SqlValue",
        "check_columns",
    ]);
    for c in insertable(table) {
        used.insert(if c.required {
            "field_required"
        } else {
            "field_optional"
        });
        if c.ty.array {
            used.insert("json_array");
        } else if matches!(c.allowed, AllowedPlan::Except(_)) {
            used.insert("json_text_except");
            used.insert("ToSqlValue");
        } else {
            used.insert("json_scalar");
            used.insert("ToSqlValue");
        }
    }
    used
}

fn row_struct(table: &TablePlan<'_>) -> anyhow::Result<TokenStream> {
    let name = ident(&table.row_name);
    let docs = outer_docs(&[format!("A row of `{}`: every column.", table.table.name)]);
    let fields = table
        .columns
        .iter()
        .map(|c| {
            let docs = field_docs(c);
            let rename = serde_rename(c);
            let field = ident(&c.field.ident);
            let ty = field_type(&c.ty, c.nullable)?;
            Ok(quote! { #docs #rename pub #field: #ty, })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct #name {
            #(#fields)*
        }
    })
}

fn insertable<'p, 'a>(table: &'p TablePlan<'a>) -> impl Iterator<Item = &'p ColumnPlan<'a>> {
    table.columns.iter().filter(|c| c.insertable)
}

fn insert_struct(table: &TablePlan<'_>) -> anyhow::Result<TokenStream> {
    let name = ident(&table.insert_name);
    let docs = outer_docs(&[
        format!("A new row of `{}`.", table.table.name),
        String::new(),
        "Required columns (NOT NULL, no default) are plain fields; the others are `Option`s,"
            .to_owned(),
        "`None` meaning NULL or the column default. Identity ALWAYS and generated columns are"
            .to_owned(),
        "absent: the database fills them.".to_owned(),
    ]);
    let fields = insertable(table)
        .map(|c| {
            let docs = field_docs(c);
            let rename = serde_rename(c);
            let field = ident(&c.field.ident);
            let ty = field_type(&c.ty, !c.required)?;
            Ok(quote! { #docs #rename pub #field: #ty, })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    // Nothing required: `new()` takes no argument, and clippy wants `Default` beside it.
    let default = if insertable(table).any(|c| c.required) {
        quote! {}
    } else {
        quote! { Default, }
    };
    Ok(quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default serde::Serialize, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct #name {
            #(#fields)*
        }
    })
}

fn insert_impl(table: &TablePlan<'_>) -> anyhow::Result<TokenStream> {
    let name = ident(&table.insert_name);
    let columns: Vec<_> = insertable(table).collect();
    let required: Vec<_> = columns.iter().filter(|c| c.required).collect();

    let column_names = columns.iter().map(|c| str_lit(&c.column.name));
    let read_only = table
        .columns
        .iter()
        .filter(|c| !c.insertable)
        .map(|c| str_lit(&c.column.name));

    // new(required...)
    let params = required
        .iter()
        .map(|c| {
            let field = ident(&c.field.ident);
            let ty = field_type(&c.ty, false)?;
            Ok(quote! { #field: #ty })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let inits = columns.iter().map(|c| {
        let field = ident(&c.field.ident);
        if c.required {
            quote! { #field }
        } else {
            quote! { #field: None }
        }
    });
    let new_fn = if required.is_empty() {
        quote! {
            /// Every column left to NULL or its default.
            pub fn new() -> Self {
                Self::default()
            }
        }
    } else {
        let allow = if params.len() > 7 {
            quote! { #[allow(clippy::too_many_arguments)] }
        } else {
            quote! {}
        };
        quote! {
            /// The required columns, in column order; the others `None`.
            #allow
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits),* }
            }
        }
    };

    // to_sql_values
    let n = proc_macro2::Literal::usize_unsuffixed(columns.len());
    let values = columns.iter().map(|c| {
        let field = ident(&c.field.ident);
        let column = str_lit(&c.column.name);
        let value = match (c.required, c.ty.array) {
            (true, false) => quote! { Some(self.#field.to_sql_value()) },
            (true, true) => quote! { Some(SqlValue::array(&self.#field)) },
            (false, false) => quote! { self.#field.as_ref().map(ToSqlValue::to_sql_value) },
            (false, true) => quote! { self.#field.as_deref().map(SqlValue::array) },
        };
        quote! { (#column, #value) }
    });

    // from_json
    let map = free_local(table, "map");
    let errors = free_local(table, "errors");
    let reads = columns
        .iter()
        .map(|c| {
            let field = ident(&c.field.ident);
            let column = str_lit(&c.column.name);
            let element = type_tokens(
                &RustType {
                    array: false,
                    ..c.ty.clone()
                }
                .source(),
            )?;
            let parse = if c.ty.array {
                quote! { json_array::<#element> }
            } else if let AllowedPlan::Except(values) = &c.allowed {
                let values = values.iter().map(|v| str_lit(v));
                quote! { |value| json_text_except(value, &[#(#values),*]) }
            } else {
                quote! { json_scalar::<#element> }
            };
            let read = if c.required {
                quote! { field_required }
            } else {
                quote! { field_optional }
            };
            Ok(quote! { let #field = #read(#map, #column, #parse, &mut #errors); })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let all_fields: Vec<_> = columns.iter().map(|c| ident(&c.field.ident)).collect();
    let required_fields: Vec<_> = required.iter().map(|c| ident(&c.field.ident)).collect();
    let build = quote! { Ok(Self { #(#all_fields),* }) };
    let finish = match required_fields.as_slice() {
        [] => quote! {
            if #errors.is_empty() { #build } else { Err(#errors) }
        },
        [one] => quote! {
            match #one {
                Some(#one) if #errors.is_empty() => #build,
                _ => Err(#errors),
            }
        },
        many => quote! {
            match (#(#many),*) {
                (#(Some(#many)),*) if #errors.is_empty() => #build,
                _ => Err(#errors),
            }
        },
    };

    Ok(quote! {
        impl #name {
            /// The columns an insert may set, in column order.
            pub const COLUMNS: &'static [&'static str] = &[#(#column_names),*];
            /// The columns the database fills (identity ALWAYS, generated).
            pub const READ_ONLY_COLUMNS: &'static [&'static str] = &[#(#read_only),*];

            #new_fn

            /// Column values for an INSERT: the required columns and the optional ones that are
            /// `Some`, in column order.
            pub fn to_sql_values(&self) -> InsertValues {
                let values: [(&'static str, Option<SqlValue>); #n] = [#(#values),*];
                values
                    .into_iter()
                    .filter_map(|(column, value)| value.map(|value| (column, value)))
                    .collect()
            }

            /// Reads a document's fields, checking each one: every problem (unknown or generated
            /// column, missing required value, wrong JSON type, value not allowed) is reported,
            /// not only the first.
            pub fn from_json(#map: &(impl Fields + ?Sized)) -> Result<Self, Vec<FieldError>> {
                let mut #errors = Vec::new();
                check_columns(#map, Self::COLUMNS, Self::READ_ONLY_COLUMNS, &mut #errors);
                #(#reads)*
                #finish
            }

            /// [`Self::from_json`], then [`Self::to_sql_values`]: the table's `TableMeta::from_json`.
            pub fn sql_values_from_json(#map: &dyn Fields) -> Result<InsertValues, Vec<FieldError>> {
                Self::from_json(#map).map(|new| new.to_sql_values())
            }
        }
    })
}
