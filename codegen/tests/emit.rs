//! The emitter on a small hand-built snapshot: the generated code (insta snapshot), determinism,
//! and the naming rules that the snapshot exercises.

use std::path::Path;

use codegen::emit::generate;
use schema::model::*;

fn text() -> ColumnType {
    ty(BaseType::Text)
}

fn ty(base: BaseType) -> ColumnType {
    ColumnType { base, array: false }
}

fn col(position: i32, name: &str, ty: ColumnType, nullable: bool) -> Column {
    Column {
        name: name.into(),
        position,
        ty,
        nullable,
        default: None,
        identity: None,
        generated: None,
        comment: None,
    }
}

fn with_default(mut c: Column, default: &str) -> Column {
    c.default = Some(default.into());
    c
}

fn id_col() -> Column {
    with_default(col(1, "id", ty(BaseType::Uuid), false), "gen_random_uuid()")
}

fn fk(table: &str, column: &str, target: &str, on_delete: FkAction) -> ForeignKey {
    ForeignKey {
        name: format!("{table}_{column}_fkey"),
        columns: vec![column.into()],
        foreign_table: target.into(),
        foreign_columns: vec!["id".into()],
        on_update: FkAction::NoAction,
        on_delete,
    }
}

fn list_check(table: &str, column: &str, values: &[&str]) -> Check {
    Check {
        name: format!("{table}_{}_check", column.to_lowercase()),
        definition: format!("CHECK (({column} = ANY (ARRAY[...])))"),
        parsed: CheckKind::ValueList {
            column: column.into(),
            values: values.iter().map(|v| v.to_string()).collect(),
            negated: false,
            allows_null: false,
        },
    }
}

fn range_check(table: &str, column: &str, min: &str, max: &str) -> Check {
    Check {
        name: format!("{table}_{column}_check"),
        definition: format!("CHECK ((({column} >= {min}) AND ({column} <= {max})))"),
        parsed: CheckKind::Range {
            column: column.into(),
            min: Some(Bound {
                value: min.into(),
                inclusive: true,
            }),
            max: Some(Bound {
                value: max.into(),
                inclusive: true,
            }),
        },
    }
}

const SEVERITIES: &[&str] = &["critical", "high", "medium", "low"];

fn snapshot() -> Snapshot {
    let personas = Table {
        name: "personas".into(),
        comment: Some("One persona.\n- a list item\nthat continues".into()),
        columns: vec![
            id_col(),
            col(2, "tenant_id", ty(BaseType::Uuid), true),
            col(3, "name", text(), false),
            col(4, "slug", text(), false),
            with_default(
                col(
                    5,
                    "validation_status",
                    ty(BaseType::Enum {
                        name: "validation_status".into(),
                    }),
                    true,
                ),
                "'draft'::validation_status",
            ),
            with_default(
                col(
                    6,
                    "tags",
                    ColumnType {
                        base: BaseType::Text,
                        array: true,
                    },
                    true,
                ),
                "ARRAY[]::text[]",
            ),
            col(7, "years_of_experience", ty(BaseType::Int4), true),
        ],
        primary_key: vec!["id".into()],
        unique_keys: vec![UniqueKey {
            name: "personas_tenant_id_slug_key".into(),
            columns: vec!["tenant_id".into(), "slug".into()],
        }],
        foreign_keys: vec![fk("personas", "tenant_id", "tenants", FkAction::Cascade)],
        checks: vec![Check {
            name: "personas_tags_check".into(),
            definition: "CHECK ((tags <@ ARRAY['24x7'::text, 'High'::text, 'high'::text]))".into(),
            parsed: CheckKind::ArrayElements {
                column: "tags".into(),
                values: vec!["24x7".into(), "High".into(), "high".into()],
            },
        }],
    };

    let pain_points = Table {
        name: "persona_pain_points".into(),
        comment: None,
        columns: vec![
            id_col(),
            col(2, "persona_id", ty(BaseType::Uuid), false),
            col(3, "tenant_id", ty(BaseType::Uuid), false),
            col(4, "severity", text(), true),
            col(5, "priority", text(), true),
            col(6, "relevance_score", ty(BaseType::Int4), true),
            col(
                7,
                "confidence",
                ty(BaseType::Numeric {
                    precision: Some(4),
                    scale: Some(3),
                }),
                true,
            ),
            Column {
                identity: Some(Identity::Always),
                ..col(8, "line_no", ty(BaseType::Int4), false)
            },
            Column {
                generated: Some("(line_no * 10)".into()),
                ..col(9, "line_rank", ty(BaseType::Int4), true)
            },
            with_default(col(10, "Status", text(), false), "'open'::text"),
            Column {
                comment: Some("What kind of pain.".into()),
                ..col(11, "type", text(), true)
            },
            col(12, "pain_point_text", text(), false),
        ],
        primary_key: vec!["id".into()],
        unique_keys: vec![],
        foreign_keys: vec![
            fk(
                "persona_pain_points",
                "persona_id",
                "personas",
                FkAction::Cascade,
            ),
            fk(
                "persona_pain_points",
                "tenant_id",
                "tenants",
                FkAction::Cascade,
            ),
        ],
        checks: vec![
            list_check(
                "persona_pain_points",
                "Status",
                &["open", "N/A", "in-progress"],
            ),
            range_check("persona_pain_points", "confidence", "0", "1"),
            list_check("persona_pain_points", "priority", &["p1", "p2"]),
            range_check("persona_pain_points", "relevance_score", "1", "10"),
            list_check("persona_pain_points", "severity", SEVERITIES),
        ],
    };

    let goals = Table {
        name: "persona_goals".into(),
        comment: None,
        columns: vec![
            id_col(),
            col(2, "persona_id", ty(BaseType::Uuid), false),
            col(3, "goal_text", text(), false),
            col(4, "severity", text(), true),
            col(5, "priority", text(), true),
        ],
        primary_key: vec!["id".into()],
        unique_keys: vec![],
        foreign_keys: vec![fk(
            "persona_goals",
            "persona_id",
            "personas",
            FkAction::Cascade,
        )],
        checks: vec![
            list_check("persona_goals", "priority", &["must", "should", "could"]),
            list_check("persona_goals", "severity", SEVERITIES),
        ],
    };

    let tenants = Table {
        name: "tenants".into(),
        comment: None,
        columns: vec![
            id_col(),
            col(2, "name", text(), false),
            col(3, "slug", text(), false),
        ],
        primary_key: vec!["id".into()],
        unique_keys: vec![UniqueKey {
            name: "tenants_slug_key".into(),
            columns: vec!["slug".into()],
        }],
        foreign_keys: vec![],
        checks: vec![],
    };

    Snapshot {
        format_version: FORMAT_VERSION,
        content_hash: "0123abcd".into(),
        schema: "public".into(),
        enums: vec![EnumType {
            name: "validation_status".into(),
            labels: vec!["draft".into(), "in_review".into(), "approved".into()],
        }],
        domains: vec![],
        tables: vec![goals, pain_points, personas, tenants],
    }
}

/// Every generated file but the fixed runtime, each under its path.
fn generated_text() -> String {
    let files = generate(&snapshot()).expect("generates");
    files
        .iter()
        .filter(|(path, _)| path.as_path() != Path::new("runtime.rs"))
        .map(|(path, text)| format!("==== {} ====\n{text}", path.display()))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn generated_code_snapshot() {
    insta::assert_snapshot!("generated_crate", generated_text());
}

#[test]
fn generation_is_deterministic() {
    let snap = snapshot();
    assert_eq!(generate(&snap).unwrap(), generate(&snap).unwrap());
}

#[test]
fn files_and_headers() {
    let files = generate(&snapshot()).unwrap();
    let paths: Vec<String> = files.keys().map(|p| p.display().to_string()).collect();
    assert_eq!(
        paths,
        [
            "enums.rs",
            "ids.rs",
            "lib.rs",
            "metadata.rs",
            "runtime.rs",
            "tables/mod.rs",
            "tables/persona_goals.rs",
            "tables/persona_pain_points.rs",
            "tables/personas.rs",
            "tables/tenants.rs",
            "values.rs",
        ]
    );
    for (path, text) in &files {
        assert!(
            text.starts_with("//! Generated by codegen from snapshot 0123abcd: do not edit.\n"),
            "{}",
            path.display()
        );
    }
}

#[test]
fn names_follow_the_sharing_rules() {
    let text = generated_text();
    for expected in [
        // The same list under one column name in two tables: one enum.
        "pub enum Severity {",
        // One column name, two lists: qualified by table.
        "pub enum GoalsPriority {",
        "pub enum PainPointsPriority {",
        "pub enum ValidationStatus {",
        "pub struct PersonaId(pub uuid::Uuid);",
        "pub struct RelevanceScore(i32);",
        "pub struct Confidence(rust_decimal::Decimal);",
        "pub r#type: Option<String>,",
        "#[serde(rename = \"Status\")]",
        "pub persona_id: PersonaId,",
        "pub tags: Option<Vec<Tags>>,",
        "V24x7,",
        "High2,",
        "InProgress,",
    ] {
        assert!(text.contains(expected), "missing `{expected}`");
    }
}

/// `EMIT_DUMP_DIR=/tmp/x cargo test -p codegen --test emit -- --ignored dump`: writes the test
/// snapshot's crate sources there, to build them in a scratch crate.
#[test]
#[ignore]
fn dump() {
    let dir = std::env::var("EMIT_DUMP_DIR").expect("EMIT_DUMP_DIR");
    let files = generate(&snapshot()).unwrap();
    codegen::emit::write_changed(&files, Path::new(&dir)).unwrap();
}
