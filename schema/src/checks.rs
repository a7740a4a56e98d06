//! CHECK constraint text -> [`CheckKind`].
//!
//! The input is what `pg_get_constraintdef` prints, e.g.
//! `CHECK ((status = ANY (ARRAY['a'::text, 'b'::text])))`. The expression is parsed with
//! `sqlparser` (PostgreSQL dialect) and the AST is matched against the few shapes that carry a
//! meaning we can type: value lists, numeric ranges and element lists of array columns. Anything
//! else becomes [`CheckKind::Unparsed`] with a reason naming the part that was not understood, so
//! the database stays the only enforcer of that rule and the caller can list it as a warning.

use sqlparser::ast::{
    BinaryOperator, DataType, Expr, InTarget, UnaryOperator, Value, ValueWithSpan,
};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::keywords::Keyword;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::Token;

use crate::model::{Bound, CheckKind};

/// Longer definitions are not parsed: sqlparser builds, prints and drops long operator chains
/// recursively, so a pathological input could overflow a 2 MiB thread stack. Real CHECKs are far
/// shorter (the reference's longest is about 300 bytes; 16 KiB holds hundreds of labels).
const MAX_DEFINITION_LEN: usize = 16 * 1024;

/// Expressions quoted in a reason are cut to this many characters, to keep warnings readable.
const MAX_QUOTED_LEN: usize = 80;

/// The meaning of one CHECK as `pg_get_constraintdef` prints it.
///
/// Never panics: input that is not a CHECK, does not parse, or has a shape outside the typed
/// forms comes back as [`CheckKind::Unparsed`].
pub fn parse_check(definition: &str) -> CheckKind {
    match parse_expression(definition).and_then(|expr| classify(&expr)) {
        Ok(kind) => kind,
        Err(reason) => CheckKind::Unparsed { reason },
    }
}

/// Strips `CHECK`, parses the expression, and accepts the trailing modifiers PostgreSQL may print
/// (`NOT VALID`, `NO INHERIT`): they change when the rule is enforced, not what it says.
fn parse_expression(definition: &str) -> Result<Expr, String> {
    if definition.len() > MAX_DEFINITION_LEN {
        return Err(format!(
            "the definition is too long to parse ({} bytes)",
            definition.len()
        ));
    }
    let body = definition
        .trim_start()
        .strip_prefix("CHECK")
        .filter(|rest| rest.starts_with(|c: char| c.is_whitespace() || c == '('))
        .ok_or_else(|| "the definition does not start with CHECK".to_string())?;

    let dialect = PostgreSqlDialect {};
    let mut parser = Parser::new(&dialect)
        .try_with_sql(body)
        .map_err(|e| format!("the expression could not be tokenized: {e}"))?;
    let expr = parser
        .parse_expr()
        .map_err(|e| format!("the expression could not be parsed: {e}"))?;
    while parser.parse_keywords(&[Keyword::NOT, Keyword::VALID])
        || parser.parse_keywords(&[Keyword::NO, Keyword::INHERIT])
    {}
    let next = parser.peek_token();
    if next.token != Token::EOF {
        return Err(format!(
            "unexpected text after the expression, starting at `{}`",
            next.token
        ));
    }
    Ok(expr)
}

/// Top level: an OR (value lists, `IS NULL`), an AND (two bounds) or a single comparison.
fn classify(expr: &Expr) -> Result<CheckKind, String> {
    let expr = strip_nested(expr);
    match expr {
        Expr::BinaryOp {
            op: BinaryOperator::Or,
            ..
        } => classify_or(expr),
        Expr::BinaryOp {
            op: BinaryOperator::And,
            ..
        } => classify_and(expr),
        _ => classify_single(expr),
    }
}

/// `list OR col IS NULL` records `allows_null`; several equality lists on one column are merged
/// (`(c = 'a') OR (c = 'b')`). A range or element check `OR col IS NULL` means the same as
/// without it (NULL passes a CHECK anyway), so it keeps its type.
fn classify_or(expr: &Expr) -> Result<CheckKind, String> {
    let mut null_columns = Vec::new();
    let mut kinds = Vec::new();
    for term in flatten(expr, &BinaryOperator::Or) {
        if let Expr::IsNull(inner) = term {
            null_columns.push(column(inner)?);
        } else {
            kinds.push(classify(term)?);
        }
    }

    let mut kinds = kinds.into_iter();
    let Some(mut merged) = kinds.next() else {
        return Err("the CHECK only tests IS NULL".to_string());
    };
    for kind in kinds {
        merged = match (merged, kind) {
            (
                CheckKind::ValueList {
                    column,
                    mut values,
                    negated: false,
                    ..
                },
                CheckKind::ValueList {
                    column: other,
                    values: more,
                    negated: false,
                    ..
                },
            ) if column == other => {
                values.extend(more);
                CheckKind::ValueList {
                    column,
                    values,
                    negated: false,
                    allows_null: false,
                }
            }
            _ => {
                return Err(format!(
                    "`{}` combines different conditions with OR",
                    quote(expr)
                ));
            }
        };
    }

    let main_column = match &merged {
        CheckKind::ValueList { column, .. }
        | CheckKind::Range { column, .. }
        | CheckKind::ArrayElements { column, .. } => column.clone(),
        CheckKind::Unparsed { reason } => return Err(reason.clone()),
    };
    if let Some(other) = null_columns.iter().find(|c| **c != main_column) {
        return Err(format!(
            "the IS NULL test is on `{other}`, the condition on `{main_column}`"
        ));
    }
    if !null_columns.is_empty()
        && let CheckKind::ValueList { allows_null, .. } = &mut merged
    {
        *allows_null = true;
    }
    Ok(merged)
}

/// An AND is typed only as a two-sided range: every conjunct a bound on the same column, at most
/// one lower and one upper bound.
fn classify_and(expr: &Expr) -> Result<CheckKind, String> {
    let mut column: Option<String> = None;
    let mut min: Option<Bound> = None;
    let mut max: Option<Bound> = None;
    for term in flatten(expr, &BinaryOperator::And) {
        let CheckKind::Range {
            column: term_column,
            min: term_min,
            max: term_max,
        } = classify(term)?
        else {
            return Err(format!(
                "`{}` inside an AND is not a numeric bound",
                quote(term)
            ));
        };
        match &column {
            Some(c) if *c != term_column => {
                return Err(format!(
                    "the AND bounds two different columns, `{c}` and `{term_column}`"
                ));
            }
            Some(_) => {}
            None => column = Some(term_column.clone()),
        }
        if let Some(b) = term_min {
            if min.is_some() {
                return Err(format!("`{term_column}` has two lower bounds"));
            }
            min = Some(b);
        }
        if let Some(b) = term_max {
            if max.is_some() {
                return Err(format!("`{term_column}` has two upper bounds"));
            }
            max = Some(b);
        }
    }
    let column = column.ok_or_else(|| "the AND is empty".to_string())?;
    Ok(CheckKind::Range { column, min, max })
}

/// One predicate: `= ANY`, `<> ALL`, `IN`, `=`/`<>`, a comparison with a number, BETWEEN, `<@`,
/// `@>`, or `NOT` of a value list.
fn classify_single(expr: &Expr) -> Result<CheckKind, String> {
    match expr {
        Expr::AnyOp {
            left,
            compare_op,
            right,
            ..
        } => {
            if *compare_op != BinaryOperator::Eq {
                return Err(format!(
                    "`{compare_op} ANY` is not a value list (only `= ANY` is)"
                ));
            }
            Ok(CheckKind::ValueList {
                column: column(left)?,
                values: string_array(right)?,
                negated: false,
                allows_null: false,
            })
        }
        Expr::AllOp {
            left,
            compare_op,
            right,
        } => {
            if *compare_op != BinaryOperator::NotEq {
                return Err(format!(
                    "`{compare_op} ALL` is not a value list (only `<> ALL` is)"
                ));
            }
            Ok(CheckKind::ValueList {
                column: column(left)?,
                values: string_array(right)?,
                negated: true,
                allows_null: false,
            })
        }
        Expr::In {
            expr: left,
            target,
            negated,
            ..
        } => {
            let InTarget::List(list) = target else {
                return Err(format!("`IN {}` is not a list of literals", quote(target)));
            };
            Ok(CheckKind::ValueList {
                column: column(left)?,
                values: string_list(list)?,
                negated: *negated,
                allows_null: false,
            })
        }
        Expr::Between {
            expr: left,
            negated,
            low,
            high,
        } => {
            if *negated {
                return Err("NOT BETWEEN excludes a range, it does not bound one".to_string());
            }
            Ok(CheckKind::Range {
                column: column(left)?,
                min: Some(Bound {
                    value: bound_value(low)?,
                    inclusive: true,
                }),
                max: Some(Bound {
                    value: bound_value(high)?,
                    inclusive: true,
                }),
            })
        }
        Expr::BinaryOp { left, op, right } => classify_binary(expr, left, op, right),
        Expr::UnaryOp {
            op: UnaryOperator::Not,
            expr: inner,
        } => match classify(inner)? {
            CheckKind::ValueList {
                column,
                values,
                negated,
                allows_null: false,
            } => Ok(CheckKind::ValueList {
                column,
                values,
                negated: !negated,
                allows_null: false,
            }),
            _ => Err(format!(
                "`{}` negates something other than a value list",
                quote(expr)
            )),
        },
        _ => Err(format!(
            "`{}` is not a value list, range or element check",
            quote(expr)
        )),
    }
}

/// Binary operators: equality with one string, a bound (either side), or array containment.
fn classify_binary(
    whole: &Expr,
    left: &Expr,
    op: &BinaryOperator,
    right: &Expr,
) -> Result<CheckKind, String> {
    match op {
        BinaryOperator::Eq | BinaryOperator::NotEq => {
            let (col, value) = match (column(left), column(right)) {
                (Ok(_), Ok(_)) => {
                    return Err(format!("`{}` compares two columns", quote(whole)));
                }
                (Ok(c), Err(_)) => (c, right),
                (Err(_), Ok(c)) => (c, left),
                (Err(e), Err(_)) => return Err(e),
            };
            Ok(CheckKind::ValueList {
                column: col,
                values: vec![string_literal(value)?],
                negated: *op == BinaryOperator::NotEq,
                allows_null: false,
            })
        }
        BinaryOperator::Gt | BinaryOperator::GtEq | BinaryOperator::Lt | BinaryOperator::LtEq => {
            // `0 <= col` reads as `col >= 0`: flip the operator when the column is on the right.
            let (col, bound_expr, lower) = match (column(left), column(right)) {
                (Ok(_), Ok(_)) => {
                    return Err(format!("`{}` compares two columns", quote(whole)));
                }
                (Ok(c), Err(_)) => (
                    c,
                    right,
                    matches!(op, BinaryOperator::Gt | BinaryOperator::GtEq),
                ),
                (Err(_), Ok(c)) => (
                    c,
                    left,
                    matches!(op, BinaryOperator::Lt | BinaryOperator::LtEq),
                ),
                (Err(e), Err(_)) => return Err(e),
            };
            let bound = Bound {
                value: bound_value(bound_expr)?,
                inclusive: matches!(op, BinaryOperator::GtEq | BinaryOperator::LtEq),
            };
            let (min, max) = if lower {
                (Some(bound), None)
            } else {
                (None, Some(bound))
            };
            Ok(CheckKind::Range {
                column: col,
                min,
                max,
            })
        }
        // `col <@ ARRAY[...]`: every element of col is in the list.
        BinaryOperator::ArrowAt => Ok(CheckKind::ArrayElements {
            column: column(left)?,
            values: string_array(right)?,
        }),
        // `ARRAY[...] @> col`: the same, written the other way round.
        BinaryOperator::AtArrow => Ok(CheckKind::ArrayElements {
            column: column(right)?,
            values: string_array(left)?,
        }),
        _ => Err(format!(
            "the operator `{op}` in `{}` is not a comparison we type",
            quote(whole)
        )),
    }
}

/// The terms of a chain of one operator (`a OR b OR c`), looking through parentheses.
/// Iterative on purpose: a long chain is a deep left spine.
fn flatten<'a>(expr: &'a Expr, op: &BinaryOperator) -> Vec<&'a Expr> {
    let mut out = Vec::new();
    let mut pending = vec![expr];
    while let Some(e) = pending.pop() {
        match strip_nested(e) {
            Expr::BinaryOp {
                left,
                op: this,
                right,
            } if this == op => {
                // Right first so that the left term is popped (and listed) first.
                pending.push(right);
                pending.push(left);
            }
            other => out.push(other),
        }
    }
    out
}

fn strip_nested(mut expr: &Expr) -> &Expr {
    while let Expr::Nested(inner) = expr {
        expr = inner;
    }
    expr
}

/// Parentheses and casts around a column or literal do not change which one it is
/// (`(status)::text`, `'a'::character varying`).
fn strip_nested_and_casts(mut expr: &Expr) -> &Expr {
    loop {
        match expr {
            Expr::Nested(inner) | Expr::Cast { expr: inner, .. } => expr = inner,
            _ => return expr,
        }
    }
}

/// The column a predicate tests, unquoted as stored (`"Status"` -> `Status`); `VALUE` in domains.
fn column(expr: &Expr) -> Result<String, String> {
    match strip_nested_and_casts(expr) {
        Expr::Identifier(ident) => Ok(ident.value.clone()),
        other => Err(format!("`{}` is not a plain column", quote(other))),
    }
}

/// `ARRAY['a'::text, ...]`, possibly cast as a whole (`(ARRAY[...])::text[]`).
fn string_array(expr: &Expr) -> Result<Vec<String>, String> {
    match strip_nested_and_casts(expr) {
        Expr::Array(array) => string_list(&array.elem),
        _ => Err(format!(
            "`{}` is not an ARRAY[...] of literals",
            quote(expr)
        )),
    }
}

fn string_list(items: &[Expr]) -> Result<Vec<String>, String> {
    if items.is_empty() {
        return Err("the value list is empty".to_string());
    }
    items.iter().map(string_literal).collect()
}

/// A string literal's value as the database stores it (`'it''s'` -> `it's`).
fn string_literal(expr: &Expr) -> Result<String, String> {
    match strip_nested_and_casts(expr) {
        Expr::Value(ValueWithSpan {
            value: Value::SingleQuotedString(s) | Value::EscapedStringLiteral(s),
            ..
        }) => Ok(s.clone()),
        other => Err(format!("`{}` is not a string literal", quote(other))),
    }
}

/// A bound as a plain decimal literal: `0`, `-1`, `0.5`, `(0)::numeric`,
/// `('-1'::integer)::numeric`. A quoted bound counts only under a numeric cast: compared as
/// text, `'10'` sorts below `'5'`, so it would not be a numeric range.
fn bound_value(expr: &Expr) -> Result<String, String> {
    let mut negative = false;
    let mut numeric_cast = false;
    let mut e = expr;
    loop {
        match e {
            Expr::Nested(inner) => e = inner,
            Expr::Cast {
                expr: inner,
                data_type,
                ..
            } => {
                if !is_numeric_type(data_type) {
                    return Err(format!(
                        "the bound `{}` is cast to `{data_type}`, not a number type",
                        quote(expr)
                    ));
                }
                numeric_cast = true;
                e = inner;
            }
            Expr::UnaryOp {
                op: UnaryOperator::Minus,
                expr: inner,
            } => {
                negative = !negative;
                e = inner;
            }
            Expr::UnaryOp {
                op: UnaryOperator::Plus,
                expr: inner,
            } => e = inner,
            Expr::Value(ValueWithSpan {
                value: Value::Number(n, _),
                ..
            }) => return signed_decimal(&n.to_string(), negative, expr),
            Expr::Value(ValueWithSpan {
                value: Value::SingleQuotedString(s),
                ..
            }) if numeric_cast => return signed_decimal(s, negative, expr),
            _ => return Err(format!("the bound `{}` is not a number", quote(expr))),
        }
    }
}

/// Checks `text` is a plain decimal (`-?digits[.digits]`) and applies an outer minus sign.
fn signed_decimal(text: &str, negative: bool, whole: &Expr) -> Result<String, String> {
    let (sign_negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (int_part, frac_part) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if int_part.is_empty()
        || !all_digits(int_part)
        || !all_digits(frac_part)
        || (digits.contains('.') && frac_part.is_empty())
    {
        return Err(format!(
            "the bound `{}` is not a plain decimal number",
            quote(whole)
        ));
    }
    if sign_negative != negative {
        Ok(format!("-{digits}"))
    } else {
        Ok(digits.to_string())
    }
}

/// Casts that keep a comparison numeric.
fn is_numeric_type(data_type: &DataType) -> bool {
    matches!(
        data_type,
        DataType::Numeric(_)
            | DataType::Decimal(_)
            | DataType::Dec(_)
            | DataType::Int2(_)
            | DataType::Int4(_)
            | DataType::Int8(_)
            | DataType::SmallInt(_)
            | DataType::Int(_)
            | DataType::Integer(_)
            | DataType::BigInt(_)
            | DataType::Real
            | DataType::Float4
            | DataType::Float8
            | DataType::Float(_)
            | DataType::Double(_)
            | DataType::DoublePrecision
    )
}

/// SQL text of a node for a reason, shortened.
fn quote(node: &impl std::fmt::Display) -> String {
    let text = node.to_string();
    match text.char_indices().nth(MAX_QUOTED_LEN) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(column: &str, values: &[&str], negated: bool, allows_null: bool) -> CheckKind {
        CheckKind::ValueList {
            column: column.to_string(),
            values: values.iter().map(|v| v.to_string()).collect(),
            negated,
            allows_null,
        }
    }

    fn bound(value: &str, inclusive: bool) -> Option<Bound> {
        Some(Bound {
            value: value.to_string(),
            inclusive,
        })
    }

    fn range(column: &str, min: Option<Bound>, max: Option<Bound>) -> CheckKind {
        CheckKind::Range {
            column: column.to_string(),
            min,
            max,
        }
    }

    fn elements(column: &str, values: &[&str]) -> CheckKind {
        CheckKind::ArrayElements {
            column: column.to_string(),
            values: values.iter().map(|v| v.to_string()).collect(),
        }
    }

    /// The reason of an `Unparsed`, failing the test on a typed result.
    fn unparsed_reason(definition: &str) -> String {
        match parse_check(definition) {
            CheckKind::Unparsed { reason } => reason,
            other => panic!("{definition} should be Unparsed, got {other:?}"),
        }
    }

    #[test]
    fn value_list_any_array_of_text() {
        assert_eq!(
            parse_check(
                "CHECK ((conference_type = ANY (ARRAY['industry'::text, 'technical'::text, 'leadership'::text])))"
            ),
            values(
                "conference_type",
                &["industry", "technical", "leadership"],
                false,
                false
            )
        );
    }

    #[test]
    fn value_list_varchar_casts() {
        assert_eq!(
            parse_check(
                "CHECK (((status)::text = ANY ((ARRAY['draft'::character varying, 'active'::character varying])::text[])))"
            ),
            values("status", &["draft", "active"], false, false)
        );
    }

    #[test]
    fn value_list_single_equality() {
        assert_eq!(
            parse_check("CHECK ((kind = 'primary'::text))"),
            values("kind", &["primary"], false, false)
        );
    }

    #[test]
    fn value_list_in() {
        assert_eq!(
            parse_check("CHECK (tier IN ('gold', 'silver'))"),
            values("tier", &["gold", "silver"], false, false)
        );
    }

    #[test]
    fn value_list_not_in_is_negated() {
        assert_eq!(
            parse_check("CHECK (tier NOT IN ('banned', 'deleted'))"),
            values("tier", &["banned", "deleted"], true, false)
        );
    }

    #[test]
    fn value_list_not_equal_all_is_negated() {
        assert_eq!(
            parse_check("CHECK ((tier <> ALL (ARRAY['banned'::text, 'deleted'::text])))"),
            values("tier", &["banned", "deleted"], true, false)
        );
    }

    #[test]
    fn value_list_or_is_null_allows_null() {
        assert_eq!(
            parse_check(
                "CHECK (((level = ANY (ARRAY['low'::text, 'high'::text])) OR (level IS NULL)))"
            ),
            values("level", &["low", "high"], false, true)
        );
    }

    #[test]
    fn value_list_or_of_equalities_is_merged() {
        assert_eq!(
            parse_check("CHECK (((mode = 'a'::text) OR (mode = 'b'::text)))"),
            values("mode", &["a", "b"], false, false)
        );
    }

    #[test]
    fn value_list_keeps_labels_exactly() {
        assert_eq!(
            parse_check(
                "CHECK ((label = ANY (ARRAY['in-progress'::text, 'N/A'::text, '24x7'::text, 'High'::text, 'high'::text, 'it''s'::text, 'two words'::text])))"
            ),
            values(
                "label",
                &[
                    "in-progress",
                    "N/A",
                    "24x7",
                    "High",
                    "high",
                    "it's",
                    "two words"
                ],
                false,
                false
            )
        );
    }

    #[test]
    fn quoted_identifiers_are_unquoted() {
        assert_eq!(
            parse_check("CHECK ((\"Status\" = ANY (ARRAY['a'::text, 'b'::text])))"),
            values("Status", &["a", "b"], false, false)
        );
        assert_eq!(
            parse_check("CHECK ((\"order\" >= 0))"),
            range("order", bound("0", true), None)
        );
    }

    #[test]
    fn range_at_least() {
        assert_eq!(
            parse_check("CHECK ((team_size >= 0))"),
            range("team_size", bound("0", true), None)
        );
    }

    #[test]
    fn range_strictly_greater() {
        assert_eq!(
            parse_check("CHECK ((year_in_role > 0))"),
            range("year_in_role", bound("0", false), None)
        );
    }

    #[test]
    fn range_upper_bounds() {
        assert_eq!(
            parse_check("CHECK ((rating <= 10))"),
            range("rating", None, bound("10", true))
        );
        assert_eq!(
            parse_check("CHECK ((rank < 5))"),
            range("rank", None, bound("5", false))
        );
    }

    #[test]
    fn range_two_sided() {
        assert_eq!(
            parse_check("CHECK (((importance >= 1) AND (importance <= 10)))"),
            range("importance", bound("1", true), bound("10", true))
        );
    }

    #[test]
    fn range_numeric_cast_bounds() {
        assert_eq!(
            parse_check("CHECK (((confidence >= (0)::numeric) AND (confidence <= (1)::numeric)))"),
            range("confidence", bound("0", true), bound("1", true))
        );
        assert_eq!(
            parse_check("CHECK ((budget >= (0)::numeric))"),
            range("budget", bound("0", true), None)
        );
    }

    #[test]
    fn range_negative_quoted_cast_bound() {
        assert_eq!(
            parse_check(
                "CHECK (((growth_rate >= ('-1'::integer)::numeric) AND (growth_rate <= (10)::numeric)))"
            ),
            range("growth_rate", bound("-1", true), bound("10", true))
        );
    }

    #[test]
    fn range_strict_lower_with_casts() {
        assert_eq!(
            parse_check(
                "CHECK (((duration_hours > (0)::numeric) AND (duration_hours <= (24)::numeric)))"
            ),
            range("duration_hours", bound("0", false), bound("24", true))
        );
    }

    #[test]
    fn range_decimal_and_negative_numbers() {
        assert_eq!(
            parse_check("CHECK ((weight >= (0.5)::numeric))"),
            range("weight", bound("0.5", true), None)
        );
        assert_eq!(
            parse_check("CHECK ((delta >= '-2.5'::numeric))"),
            range("delta", bound("-2.5", true), None)
        );
        assert_eq!(
            parse_check("CHECK (((delta >= -5) AND (delta <= 5)))"),
            range("delta", bound("-5", true), bound("5", true))
        );
        assert_eq!(
            parse_check("CHECK (((score)::numeric <= 0.75))"),
            range("score", None, bound("0.75", true))
        );
    }

    #[test]
    fn range_between() {
        assert_eq!(
            parse_check("CHECK (((month >= 1) AND (month <= 12)))"),
            parse_check("CHECK (month BETWEEN 1 AND 12)")
        );
        assert_eq!(
            parse_check("CHECK (delta BETWEEN -1 AND 0.5)"),
            range("delta", bound("-1", true), bound("0.5", true))
        );
    }

    #[test]
    fn range_bound_on_the_left_is_flipped() {
        assert_eq!(
            parse_check("CHECK (((0 <= pct) AND (100 > pct)))"),
            range("pct", bound("0", true), bound("100", false))
        );
    }

    #[test]
    fn range_or_is_null_stays_a_range() {
        assert_eq!(
            parse_check("CHECK (((score >= 0) OR (score IS NULL)))"),
            range("score", bound("0", true), None)
        );
    }

    #[test]
    fn array_elements_contained_by() {
        assert_eq!(
            parse_check(
                "CHECK ((value_provided_type <@ ARRAY['revenue'::text, 'referrals'::text]))"
            ),
            elements("value_provided_type", &["revenue", "referrals"])
        );
    }

    #[test]
    fn array_elements_contains_written_the_other_way() {
        assert_eq!(
            parse_check("CHECK ((ARRAY['revenue'::text, 'expertise'::text] @> value_type))"),
            elements("value_type", &["revenue", "expertise"])
        );
    }

    #[test]
    fn domain_checks_use_value() {
        assert_eq!(
            parse_check("CHECK ((VALUE >= 0))"),
            range("VALUE", bound("0", true), None)
        );
        assert_eq!(
            parse_check("CHECK ((VALUE = ANY (ARRAY['USD'::text, 'EUR'::text])))"),
            values("VALUE", &["USD", "EUR"], false, false)
        );
    }

    #[test]
    fn trailing_not_valid_is_accepted() {
        assert_eq!(
            parse_check("CHECK ((qty > 0)) NOT VALID"),
            range("qty", bound("0", false), None)
        );
    }

    #[test]
    fn regex_is_unparsed() {
        let reason = unparsed_reason("CHECK (VALUE ~ '^[a-z]')");
        assert!(reason.contains('~'), "{reason}");
    }

    #[test]
    fn function_call_is_unparsed() {
        let reason = unparsed_reason("CHECK ((length(name) > 0))");
        assert!(reason.contains("length(name)"), "{reason}");
    }

    #[test]
    fn column_comparison_is_unparsed() {
        let reason = unparsed_reason("CHECK ((start_date <= end_date))");
        assert!(reason.contains("two columns"), "{reason}");
    }

    #[test]
    fn or_of_different_things_is_unparsed() {
        let reason = unparsed_reason("CHECK (((kind = 'a'::text) OR (score > 0)))");
        assert!(reason.contains("OR"), "{reason}");
        let reason = unparsed_reason("CHECK (((kind = 'a'::text) OR (other IS NULL)))");
        assert!(reason.contains("other"), "{reason}");
    }

    #[test]
    fn two_columns_in_a_range_is_unparsed() {
        let reason = unparsed_reason("CHECK (((low >= 0) AND (high <= 10)))");
        assert!(reason.contains("different columns"), "{reason}");
        unparsed_reason("CHECK (((x >= 0) AND (x >= 1)))");
        unparsed_reason("CHECK (((x >= 0) AND (x = 'a'::text)))");
    }

    #[test]
    fn non_numeric_bounds_are_unparsed() {
        unparsed_reason("CHECK ((code >= '5'::text))");
        unparsed_reason("CHECK ((starts_on >= '2020-01-01'::date))");
        unparsed_reason("CHECK ((x >= 1e3))");
        unparsed_reason("CHECK ((x >= 'abc'::numeric))");
    }

    #[test]
    fn other_shapes_are_unparsed() {
        unparsed_reason("CHECK (x NOT BETWEEN 1 AND 2)");
        unparsed_reason("CHECK ((x > ANY (ARRAY[1, 2])))");
        unparsed_reason("CHECK ((tags @> ARRAY['a'::text]))");
        unparsed_reason("CHECK ((x = ANY (ARRAY[1, 2])))");
        unparsed_reason("CHECK ((x IS NULL))");
        unparsed_reason("CHECK ((x = ANY ('{a,b}'::text[])))");
        unparsed_reason("CHECK ((x IS NOT NULL))");
        unparsed_reason("CHECK (x IN (SELECT 1))");
        unparsed_reason("UNIQUE (x)");
        unparsed_reason("CHECKS (x > 0)");
        unparsed_reason("CHECK ((x > 0)) trailing");
    }

    #[test]
    fn garbage_never_panics() {
        // Chains that sqlparser builds as deep left spines, at the size limit: the cheapest
        // spellings per level, so the deepest trees an accepted input can produce.
        let fill = |unit: &str, prefix: &str, suffix: &str| {
            let room = MAX_DEFINITION_LEN - prefix.len() - suffix.len();
            format!("{prefix}{}{suffix}", unit.repeat(room / unit.len()))
        };
        let plus_chain = fill("+1", "CHECK ((x >= 1", "))");
        let or_chain = fill(" OR x", "CHECK ((x", "))");
        let subscripts = fill("[1]", "CHECK ((x", " >= 0))");
        let casts = fill("::int", "CHECK ((x >= 0", "))");
        let minuses = fill("-", "CHECK ((x >= ", "1))");
        let nots = fill("NOT ", "CHECK ((", "x))");
        let deep_parens = format!("CHECK {}x > 0{}", "(".repeat(500), ")".repeat(500));
        let long_list = fill(", 'a'::text", "CHECK ((x = ANY (ARRAY['a'::text", "])))");
        let too_long = format!("CHECK ({})", vec!["x = 'a'"; 20_000].join(" OR "));
        let inputs = [
            "",
            " ",
            "CHECK",
            "CHECK ",
            "CHECK (",
            "CHECK ((",
            "CHECK )))",
            "CHECK (()",
            "CHECK ()",
            "CHECK ('unterminated",
            "CHECK (\"unterminated",
            "CHECK (x = ANY (ARRAY[]))",
            "CHECK (ARRAY[] @> x)",
            "CHECK (x BETWEEN AND)",
            "CHECK (x >= - - 1)",
            "CHECK ($$a$$)",
            "CHECK (x >= 99999999999999999999999999999999999999999)",
            "CHECK (é ≥ 0) ✓",
            "CHECK (\0\u{1}\u{7f})",
            "CHECK ((x = ANY (ARRAY['a'::text, ...])))",
            "CHECK ((x = ANY (ARRAY[ARRAY['a'::text]])))",
            "CHECK (((x >= 0) AND))",
            "CHECK (NOT)",
            "CHECK (NOT NOT NOT (x = 'a'))",
            "CHECK (;DROP TABLE x;)",
            "CHECK (x >= 0); SELECT 1",
            &plus_chain,
            &or_chain,
            &subscripts,
            &casts,
            &minuses,
            &nots,
            &deep_parens,
            &long_list,
            &too_long,
        ];
        for input in inputs {
            let _ = parse_check(input);
        }
        assert!(matches!(
            parse_check(&long_list),
            CheckKind::ValueList { .. }
        ));
        assert!(unparsed_reason(&too_long).contains("too long"));
    }

    #[derive(serde::Deserialize)]
    struct Reference {
        check_constraints: Vec<ReferenceCheck>,
    }

    #[derive(serde::Deserialize)]
    struct ReferenceCheck {
        constraint_name: String,
        constraint_def: String,
    }

    #[test]
    fn every_reference_check_is_typed() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/reference/vital_live_schema_v5.json"
        );
        let text = std::fs::read_to_string(path).expect("reference schema");
        let reference: Reference = serde_json::from_str(&text).expect("reference JSON");
        assert_eq!(reference.check_constraints.len(), 271);

        let parsed: Vec<(String, CheckKind)> = reference
            .check_constraints
            .iter()
            .map(|c| (c.constraint_name.clone(), parse_check(&c.constraint_def)))
            .collect();
        let unparsed: Vec<_> = parsed
            .iter()
            .filter(|(_, k)| matches!(k, CheckKind::Unparsed { .. }))
            .collect();
        assert!(unparsed.is_empty(), "unparsed: {unparsed:#?}");

        let count = |f: fn(&CheckKind) -> bool| parsed.iter().filter(|(_, k)| f(k)).count();
        assert_eq!(count(|k| matches!(k, CheckKind::ValueList { .. })), 165);
        assert_eq!(count(|k| matches!(k, CheckKind::Range { .. })), 100);
        assert_eq!(count(|k| matches!(k, CheckKind::ArrayElements { .. })), 6);

        let by_name = |name: &str| {
            parsed
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, k)| k.clone())
                .unwrap_or_else(|| panic!("no check {name}"))
        };
        assert_eq!(
            by_name("persona_annual_conferences_conference_type_check"),
            values(
                "conference_type",
                &[
                    "industry",
                    "technical",
                    "leadership",
                    "networking",
                    "regulatory"
                ],
                false,
                false
            )
        );
        assert_eq!(
            by_name("persona_industry_reports_growth_rate_check"),
            range("growth_rate", bound("-1", true), bound("10", true))
        );
        assert_eq!(
            by_name("persona_weekly_meetings_duration_hours_check"),
            range("duration_hours", bound("0", false), bound("24", true))
        );
        assert_eq!(
            by_name("persona_career_trajectory_year_in_role_check"),
            range("year_in_role", bound("0", false), None)
        );
        assert_eq!(
            by_name("persona_external_stakeholders_value_type_check"),
            elements(
                "value_type",
                &[
                    "revenue",
                    "expertise",
                    "access",
                    "credibility",
                    "innovation",
                    "market_intel",
                    "referrals",
                    "brand"
                ]
            )
        );
    }
}
