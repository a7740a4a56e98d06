//! The number readers against PostgreSQL's own parsing of the same text: for numeric(20,6),
//! smallint, integer, bigint and jsonb, every number that JSON, YAML or a CSV cell may hold
//! (integers of every width, decimals, exponents, signs) is either refused by the seeder or
//! stored by the server exactly as written. Never a value the server would round, or one it
//! would refuse, accepted; never a valid value turned into another.

mod common;

use std::path::Path;

use common::*;
use generated::FromJsonValue;
use seeder::source::parse_yaml_or_json;
use serde_json::Value;

/// A small deterministic generator (xorshift): the same cases every run.
struct Cases(u64);

impl Cases {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn digits(&mut self, max: u64) -> String {
        let n = 1 + self.next() % max;
        let mut s: String = (0..n)
            .map(|_| char::from(b'0' + (self.next() % 10) as u8))
            .collect();
        if s.len() > 1 && !self.next().is_multiple_of(4) {
            s = s.trim_start_matches('0').to_string();
            if s.is_empty() {
                s.push('0');
            }
        }
        s
    }
    /// A number in JSON syntax.
    fn number(&mut self) -> String {
        let mut s = String::new();
        if self.next().is_multiple_of(3) {
            s.push('-');
        }
        let int = self.digits(22);
        s.push_str(if int.len() > 1 {
            int.trim_start_matches('0')
        } else {
            &int
        });
        if s.ends_with('-') || s.is_empty() {
            s.push('0');
        }
        if self.next().is_multiple_of(2) {
            s.push('.');
            s.push_str(&self.digits(9));
        }
        if self.next().is_multiple_of(5) {
            s.push(['e', 'E'][(self.next() % 2) as usize]);
            s.push_str(["", "+", "-"][(self.next() % 3) as usize]);
            s.push_str(&(self.next() % 30).to_string());
        }
        s
    }
}

/// The value each reader hands the generated types for `text`.
fn read(text: &str) -> Vec<(&'static str, Value)> {
    let json = parse_yaml_or_json(Path::new("n.json"), &format!("{{\"v\": {text}}}"))
        .unwrap()
        .to_json();
    let yaml = parse_yaml_or_json(Path::new("n.yaml"), &format!("v: {text}\n"))
        .unwrap()
        .to_json();
    vec![
        ("JSON", json["v"].clone()),
        ("YAML", yaml["v"].clone()),
        // A CSV cell of a numeric column reaches the types as its text.
        ("CSV", Value::String(text.to_string())),
    ]
}

#[tokio::test]
async fn what_the_readers_accept_the_database_stores_exactly() {
    let db = database().await;
    let mut conn = db.pool.acquire().await.unwrap();
    sqlx::raw_sql(
        "CREATE FUNCTION pg_temp.as_type(t text, ty text) RETURNS text LANGUAGE plpgsql AS $$ \
         DECLARE r text; BEGIN EXECUTE format('SELECT (%L::%s)::text', t, ty) INTO r; RETURN r; \
         EXCEPTION WHEN others THEN RETURN NULL; END $$",
    )
    .execute(&mut *conn)
    .await
    .unwrap();
    let mut cases = Cases(0x5eed_1234_abcd_0001);
    let mut texts: Vec<String> = (0..600).map(|_| cases.number()).collect();
    texts.extend(
        [
            "12345678901234.123456",
            "99999999999999.999999",
            "100000000000000",
            "-99999999999999.9999995",
            "1e400",
            "-1e400",
            "1e-400",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775808",
            "32767",
            "32768",
            "2147483648",
            "0.1",
            "1.0",
            "1e2",
            "-0",
        ]
        .map(String::from),
    );
    // What PostgreSQL makes of each text: numeric(20,6), and whether that is the exact value.
    type Row = (String, Option<String>, Option<bool>, Option<String>);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT t, pg_temp.as_type(t, 'numeric(20,6)'), \
                pg_temp.as_type(t, 'numeric(20,6)')::numeric = pg_temp.as_type(t, 'numeric')::numeric, \
                (SELECT trunc(n)::text FROM (SELECT pg_temp.as_type(t, 'numeric')::numeric AS n) x \
                 WHERE n = trunc(n)) \
         FROM unnest($1::text[]) AS t",
    )
    .bind(&texts)
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    let mut checked = 0;
    let mut failures = vec![];
    for (text, numeric, exact, integral) in &rows {
        for (reader, value) in read(text) {
            // numeric(20,6): accepted only if the server keeps it exactly, and then the same number.
            let ours = generated::AfterValue::from_json_value(&value);
            match (&ours, numeric, exact) {
                (Ok(v), Some(stored), Some(true)) => {
                    let same: bool = sqlx::query_scalar("SELECT $1::numeric = $2::numeric")
                        .bind(v.get().to_string())
                        .bind(stored)
                        .fetch_one(&mut *conn)
                        .await
                        .unwrap();
                    if !same {
                        failures.push(format!("{reader} {text}: numeric read as {v}, server {stored}"));
                    }
                }
                (Ok(v), _, _) => failures.push(format!(
                    "{reader} {text}: numeric(20,6) accepted as {v}, server stores {numeric:?} (exact: {exact:?})"
                )),
                // Refused: only where the server would refuse or round. Decimal keeps 28 digits:
                // a value the server would keep but that has more is refused, never changed.
                (Err(_), Some(_), Some(true)) if text.replace(['-', '.'], "").trim_start_matches('0').len() <= 28 && !text.contains(['e', 'E']) => {
                    failures.push(format!("{reader} {text}: numeric(20,6) refused, the server keeps it"))
                }
                (Err(_), _, _) => {}
            }
            // Integers: accepted only as the exact integer the text is (in the type's range,
            // which the Rust type holds), refused when it is none.
            for (kind, ours) in [
                ("smallint", i16::from_json_value(&value).map(i64::from)),
                ("integer", i32::from_json_value(&value).map(i64::from)),
                ("bigint", i64::from_json_value(&value)),
            ] {
                if let Ok(v) = ours
                    && integral.as_deref() != Some(v.to_string().as_str())
                {
                    failures.push(format!(
                        "{reader} {text}: {kind} read as {v}, exactly {integral:?}"
                    ));
                }
            }
            checked += 1;
        }
        // jsonb: the number as the reader hands it on is the one the server would store.
        for (reader, value) in read(text).into_iter().take(2) {
            let equal: Option<bool> = sqlx::query_scalar("SELECT $1::jsonb = $2::jsonb")
                .bind(value.to_string())
                .bind(text)
                .fetch_one(&mut *conn)
                .await
                .unwrap_or(None);
            if equal != Some(true) {
                failures.push(format!(
                    "{reader} {text}: jsonb {value} differs from the server's reading"
                ));
            }
        }
    }
    println!("{checked} reader x text cases checked against PostgreSQL");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
