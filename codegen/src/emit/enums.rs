//! `enums.rs`: one enum per native enum type and per shared CHECK value list.

use proc_macro2::TokenStream;
use quote::quote;

use super::plan::{EnumDef, Plan};
use super::syntax::{ident, inner_docs, outer_docs, str_lit};

pub fn emit(plan: &Plan<'_>) -> TokenStream {
    let docs = inner_docs(&[
        "",
        "One enum per native enum type and per CHECK value list. Each converts to and from its",
        "exact database strings (`as_str`, `FromStr`, serde) and lists them (`ALL`, `VALUES`).",
    ]);
    if plan.enums.is_empty() {
        return docs;
    }
    let items = plan.enums.iter().map(enum_item);
    quote! {
        #docs
        use crate::runtime::{FromJsonValue, InvalidValue, SqlValue, ToSqlValue};
        #(#items)*
    }
}

fn enum_item(e: &EnumDef) -> TokenStream {
    let name = ident(&e.name);
    let name_str = str_lit(&e.name);
    let mut doc_lines = vec![format!("Values of {}.", e.origin[0])];
    if e.origin.len() > 1 {
        doc_lines.push(String::new());
        doc_lines.push("Also used by:".to_owned());
        doc_lines.extend(e.origin[1..].iter().map(|o| format!("- {o}")));
    }
    let docs = outer_docs(&doc_lines);
    let variants: Vec<_> = e.variants.iter().map(|v| ident(v)).collect();
    let values: Vec<_> = e.values.iter().map(|v| str_lit(v)).collect();
    let variant_docs: Vec<String> = e.values.iter().map(|v| format!(" `{v}`")).collect();
    let expected = str_lit(&format!(
        "one of {}",
        e.values
            .iter()
            .map(|v| format!("'{v}'"))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    quote! {
        #docs
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize,
        )]
        #[allow(clippy::enum_variant_names, clippy::upper_case_acronyms)]
        pub enum #name {
            #(
                #[doc = #variant_docs]
                #[serde(rename = #values)]
                #variants,
            )*
        }

        impl #name {
            /// Every variant, in declared order.
            pub const ALL: &'static [Self] = &[#(Self::#variants),*];
            /// The database strings, in declared order.
            pub const VALUES: &'static [&'static str] = &[#(#values),*];

            /// The database string.
            pub const fn as_str(self) -> &'static str {
                match self {
                    #(Self::#variants => #values,)*
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for #name {
            type Err = InvalidValue;

            /// Exact match only.
            fn from_str(s: &str) -> Result<Self, InvalidValue> {
                match s {
                    #(#values => Ok(Self::#variants),)*
                    _ => Err(InvalidValue::one_of(#name_str, s, Self::VALUES)),
                }
            }
        }

        impl ToSqlValue for #name {
            fn to_sql_value(&self) -> SqlValue {
                SqlValue::Text(self.as_str().to_owned())
            }
        }

        impl FromJsonValue for #name {
            const EXPECTED: &'static str = #expected;

            fn from_json_value(value: &serde_json::Value) -> Result<Self, String> {
                match value {
                    serde_json::Value::String(s) => s.parse().map_err(|e: InvalidValue| e.to_string()),
                    other => Err(crate::runtime::expected(Self::EXPECTED, other)),
                }
            }
        }
    }
}
