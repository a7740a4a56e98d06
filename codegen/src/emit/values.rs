//! `values.rs`: validated newtypes over numbers, one per range CHECK and per `numeric(p,s)`, that
//! cannot hold a value the database would refuse.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::decimal::Dec;
use super::plan::{BoundSpec, Inner, Plan, ValueDef, ValueSpec};
use super::syntax::{ident, inner_docs, outer_docs, str_lit};

pub fn emit(plan: &Plan<'_>) -> TokenStream {
    let docs = inner_docs(&[
        "",
        "Validated numbers: one type per range CHECK and per `numeric(precision, scale)` column.",
        "`new` refuses what the database would refuse; deserializing goes through `new`.",
    ]);
    if plan.values.is_empty() {
        return docs;
    }
    let items = plan.values.iter().map(value_item);
    quote! {
        #docs
        use crate::runtime::{FromJsonValue, InvalidValue, SqlValue, ToSqlValue};
        #(#items)*
    }
}

/// The Rust type a value type wraps.
pub fn inner_type(inner: Inner) -> TokenStream {
    match inner {
        Inner::I16 => quote! { i16 },
        Inner::I32 => quote! { i32 },
        Inner::I64 => quote! { i64 },
        Inner::F32 => quote! { f32 },
        Inner::F64 => quote! { f64 },
        Inner::Decimal => quote! { rust_decimal::Decimal },
    }
}

/// A constant of the inner type.
fn constant(inner: Inner, value: &Dec) -> TokenStream {
    match inner {
        Inner::I16 | Inner::I32 | Inner::I64 => {
            let v = value
                .to_i128()
                .expect("plan keeps only integer bounds for integer types");
            let lit = Literal::i128_unsuffixed(v);
            quote! { #lit }
        }
        Inner::F32 => {
            let lit = Literal::f32_unsuffixed(value.to_string().parse().unwrap_or(0.0));
            quote! { #lit }
        }
        Inner::F64 => {
            let lit = Literal::f64_unsuffixed(value.to_string().parse().unwrap_or(0.0));
            quote! { #lit }
        }
        Inner::Decimal => {
            let (negative, mantissa, scale) = value
                .decimal_parts()
                .expect("plan keeps only bounds that fit a Decimal");
            decimal_const(negative, mantissa, scale)
        }
    }
}

/// `rust_decimal::Decimal::from_parts(..)`: a `const` constructor, exact.
fn decimal_const(negative: bool, mantissa: u128, scale: u32) -> TokenStream {
    let lo = Literal::u32_unsuffixed(mantissa as u32);
    let mid = Literal::u32_unsuffixed((mantissa >> 32) as u32);
    let hi = Literal::u32_unsuffixed((mantissa >> 64) as u32);
    let scale = Literal::u32_unsuffixed(scale);
    quote! { rust_decimal::Decimal::from_parts(#lo, #mid, #hi, #negative, #scale) }
}

/// `>= 1 and <= 10`, `numeric(4,3), >= 0 and <= 1`: what error messages say is allowed.
pub fn allowed_text(spec: &ValueSpec) -> String {
    let mut parts = Vec::new();
    if let Some((p, s)) = spec.precision {
        parts.push(format!(
            "numeric({p},{s}) (less than 10^{} in magnitude, at most {s} decimal places)",
            p.saturating_sub(s)
        ));
    }
    let mut bounds = Vec::new();
    if let Some(b) = &spec.min {
        bounds.push(format!(
            "{} {}",
            if b.inclusive { ">=" } else { ">" },
            b.value
        ));
    }
    if let Some(b) = &spec.max {
        bounds.push(format!(
            "{} {}",
            if b.inclusive { "<=" } else { "<" },
            b.value
        ));
    }
    if !bounds.is_empty() {
        parts.push(bounds.join(" and "));
    }
    parts.join(", ")
}

fn bound_const(
    inner: Inner,
    bound: &Option<BoundSpec>,
    const_name: &str,
    what: &str,
) -> TokenStream {
    let Some(b) = bound else {
        return TokenStream::new();
    };
    let ty = inner_type(inner);
    let name = ident(const_name);
    let value = constant(inner, &b.value);
    let strictness = if b.inclusive {
        "inclusive"
    } else {
        "exclusive"
    };
    let doc = format!(" The {what} value allowed ({strictness}): {}.", b.value);
    quote! {
        #[doc = #doc]
        pub const #name: #ty = #value;
    }
}

fn value_item(def: &ValueDef) -> TokenStream {
    let spec = &def.spec;
    let name = ident(&def.name);
    let name_str = str_lit(&def.name);
    let inner = inner_type(spec.inner);
    let mut doc_lines = vec![format!("A value of {}.", def.origin[0])];
    if def.origin.len() > 1 {
        doc_lines.push(String::new());
        doc_lines.push("Also:".to_owned());
        doc_lines.extend(def.origin[1..].iter().map(|o| format!("- {o}")));
    }
    let docs = outer_docs(&doc_lines);
    let allowed = str_lit(&allowed_text(spec));

    let min_const = bound_const(spec.inner, &spec.min, "MIN", "smallest");
    let max_const = bound_const(spec.inner, &spec.max, "MAX", "largest");
    let invalid = quote! { Err(InvalidValue::new(#name_str, value, Self::ALLOWED)) };

    let mut checks = Vec::new();
    if spec.inner.is_float() && (spec.min.is_some() || spec.max.is_some()) {
        // NaN compares false with everything: without this it would pass every bound.
        checks.push(quote! { if value.is_nan() { return #invalid; } });
    }
    if let Some(b) = &spec.min {
        checks.push(if b.inclusive {
            quote! { if value < Self::MIN { return #invalid; } }
        } else {
            quote! { if value <= Self::MIN { return #invalid; } }
        });
    }
    if let Some(b) = &spec.max {
        checks.push(if b.inclusive {
            quote! { if value > Self::MAX { return #invalid; } }
        } else {
            quote! { if value >= Self::MAX { return #invalid; } }
        });
    }
    let mut precision_consts = TokenStream::new();
    if let Some((p, s)) = spec.precision {
        let p_lit = Literal::u32_unsuffixed(p);
        let s_lit = Literal::u32_unsuffixed(s);
        precision_consts.extend(quote! {
            /// Total digits allowed (`numeric(precision, scale)`).
            pub const PRECISION: u32 = #p_lit;
            /// Fractional digits allowed.
            pub const SCALE: u32 = #s_lit;
        });
        // A Decimal has at most 28 fractional digits: a larger scale cannot be exceeded.
        if s < 28 {
            checks.push(quote! {
                if value.normalize().scale() > Self::SCALE { return #invalid; }
            });
        }
        // |value| < 10^(p - s); a Decimal cannot reach 10^29 anyway.
        let integer_digits = p - s;
        if integer_digits <= 28 {
            let limit = decimal_const(false, 10u128.pow(integer_digits), 0);
            precision_consts.extend(quote! {
                /// 10^(precision - scale): no value reaches it.
                const INTEGER_LIMIT: rust_decimal::Decimal = #limit;
            });
            checks.push(quote! {
                if value.abs().trunc() >= Self::INTEGER_LIMIT { return #invalid; }
            });
        }
    }

    let inner_str = match spec.inner {
        Inner::I16 => "i16",
        Inner::I32 => "i32",
        Inner::I64 => "i64",
        Inner::F32 => "f32",
        Inner::F64 => "f64",
        Inner::Decimal => "rust_decimal::Decimal",
    };
    let inner_lit = str_lit(inner_str);
    let (derives, serde_attr, serialize_impl) = match spec.inner {
        Inner::Decimal => (
            quote! { Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Deserialize },
            quote! { #[serde(try_from = #inner_lit)] },
            // As a JSON number whenever that is exact (rust_decimal alone writes strings).
            quote! {
                impl serde::Serialize for #name {
                    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                        crate::runtime::serialize_decimal(&self.0, serializer)
                    }
                }
            },
        ),
        Inner::F32 | Inner::F64 => (
            quote! { Clone, Copy, Debug, PartialEq, PartialOrd, serde::Serialize, serde::Deserialize },
            quote! { #[serde(try_from = #inner_lit, into = #inner_lit)] },
            quote! {},
        ),
        _ => (
            quote! {
                Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord,
                serde::Serialize, serde::Deserialize
            },
            quote! { #[serde(try_from = #inner_lit, into = #inner_lit)] },
            quote! {},
        ),
    };
    let expected = str_lit(&format!(
        "{}: {}",
        inner_expected(spec.inner),
        allowed_text(spec)
    ));

    quote! {
        #docs
        #[derive(#derives)]
        #serde_attr
        pub struct #name(#inner);

        impl #name {
            #min_const
            #max_const
            #precision_consts
            /// What is allowed, as error messages say it.
            pub const ALLOWED: &'static str = #allowed;

            pub fn new(value: #inner) -> Result<Self, InvalidValue> {
                #(#checks)*
                Ok(Self(value))
            }

            pub const fn get(self) -> #inner {
                self.0
            }
        }

        impl TryFrom<#inner> for #name {
            type Error = InvalidValue;

            fn try_from(value: #inner) -> Result<Self, InvalidValue> {
                Self::new(value)
            }
        }

        impl From<#name> for #inner {
            fn from(value: #name) -> Self {
                value.0
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Display::fmt(&self.0, f)
            }
        }

        #serialize_impl

        impl ToSqlValue for #name {
            fn to_sql_value(&self) -> SqlValue {
                self.0.to_sql_value()
            }
        }

        impl FromJsonValue for #name {
            const EXPECTED: &'static str = #expected;

            fn from_json_value(value: &serde_json::Value) -> Result<Self, String> {
                let inner = <#inner as FromJsonValue>::from_json_value(value)
                    .map_err(|e| format!("{e}: allowed {}", Self::ALLOWED))?;
                Self::new(inner).map_err(|e| e.to_string())
            }
        }
    }
}

/// The JSON a value type reads, before its bounds.
fn inner_expected(inner: Inner) -> &'static str {
    match inner {
        Inner::I16 => "an integer (smallint)",
        Inner::I32 => "an integer (integer)",
        Inner::I64 => "an integer (bigint)",
        Inner::F32 => "a number (real)",
        Inner::F64 => "a number (double precision)",
        Inner::Decimal => "a number or a numeric string",
    }
}
