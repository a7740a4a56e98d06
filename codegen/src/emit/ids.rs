//! `ids.rs`: a typed id per table whose primary key is one uuid column, so that a persona's id
//! cannot be passed where a tenant's is expected. Ids convert from and to `Uuid`, never into
//! each other.

use proc_macro2::TokenStream;
use quote::quote;

use super::plan::{IdDef, Plan};
use super::syntax::{ident, inner_docs, outer_docs, str_lit};

pub fn emit(plan: &Plan<'_>) -> TokenStream {
    let docs = inner_docs(&[
        "",
        "Typed ids: one per table whose primary key is a single uuid column. FK fields use the",
        "id type of the table they point to.",
    ]);
    if plan.ids.is_empty() {
        return docs;
    }
    let items = plan.ids.iter().map(id_item);
    quote! {
        #docs
        use crate::runtime::{FromJsonValue, SqlValue, ToSqlValue};
        #(#items)*
    }
}

fn id_item(id: &IdDef) -> TokenStream {
    let name = ident(&id.name);
    let docs = outer_docs(&[format!("Primary key `{}` of `{}`.", id.column, id.table)]);
    let expected = str_lit(&format!("a uuid string (id of `{}`)", id.table));
    quote! {
        #docs
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize,
        )]
        #[serde(transparent)]
        pub struct #name(pub uuid::Uuid);

        impl #name {
            /// A new random (version 4) id.
            pub fn new_v4() -> Self {
                Self(uuid::Uuid::new_v4())
            }

            pub const fn get(self) -> uuid::Uuid {
                self.0
            }
        }

        impl From<uuid::Uuid> for #name {
            fn from(id: uuid::Uuid) -> Self {
                Self(id)
            }
        }

        impl From<#name> for uuid::Uuid {
            fn from(id: #name) -> Self {
                id.0
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Display::fmt(&self.0, f)
            }
        }

        impl std::str::FromStr for #name {
            type Err = uuid::Error;

            fn from_str(s: &str) -> Result<Self, uuid::Error> {
                uuid::Uuid::parse_str(s).map(Self)
            }
        }

        impl ToSqlValue for #name {
            fn to_sql_value(&self) -> SqlValue {
                SqlValue::Uuid(self.0)
            }
        }

        impl FromJsonValue for #name {
            const EXPECTED: &'static str = #expected;

            fn from_json_value(value: &serde_json::Value) -> Result<Self, String> {
                uuid::Uuid::from_json_value(value).map(Self)
            }
        }
    }
}
