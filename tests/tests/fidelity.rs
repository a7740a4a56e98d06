//! The migrations rebuild the deployed VITAL database: compared, item by item, with the dump of
//! the live database (`../shared/reference/vital_live_schema_v5.json`), first at the dump's
//! point, then after the later migrations against the documented changes only.

use vital_testkit::catalog::{Catalog, Column, Comparison, ForeignKey, compare};
use vital_testkit::{Stage, TestDb, shared_reference};

fn dump() -> Catalog {
    Catalog::load_dump(&shared_reference().join("vital_live_schema_v5.json"))
        .expect("the reference dump beside the clone")
}

fn assert_no_differences(what: &str, cmp: &Comparison) {
    println!("fidelity ({what}): {}", cmp.summary());
    assert!(
        cmp.differences.is_empty(),
        "fidelity ({what}): {}",
        cmp.report()
    );
}

#[tokio::test]
async fn migrations_up_to_the_dump_rebuild_the_live_database() {
    let expected = dump();
    assert_eq!((expected.tables.len(), expected.column_count()), (69, 1113));
    let db = TestDb::new(Stage::DumpPoint).await.unwrap();
    let actual = Catalog::read_live(&db.pool).await.unwrap();
    let cmp = compare(&expected, &actual);
    assert_no_differences("dump point", &cmp);
    assert_eq!(
        (
            cmp.tables,
            cmp.columns,
            cmp.checks,
            cmp.uniques,
            cmp.foreign_keys,
            cmp.enums
        ),
        (69, 1113, 271, 11, 142, 26)
    );
}

/// The dump with the changes `shared/reference/README.md` documents, and nothing else.
fn dump_with_documented_changes() -> Catalog {
    let mut cat = dump();
    // Alignment: the four JSONB lists of personas moved to child tables.
    let moved = [
        "pain_points",
        "goals",
        "challenges",
        "communication_preferences",
    ];
    cat.tables
        .get_mut("personas")
        .unwrap()
        .retain(|c| !moved.contains(&c.column_name.as_str()));
    // Alignment: persona_communication_preferences.
    let col = |pos: i32, name: &str, ty: (&str, &str), nullable: bool, default: Option<&str>| {
        let (prec, scale) = if ty.1 == "int4" {
            (Some(32), Some(0))
        } else {
            (None, None)
        };
        Column {
            column_name: name.into(),
            ordinal_position: pos,
            data_type: ty.0.into(),
            udt_name: ty.1.into(),
            character_maximum_length: None,
            numeric_precision: prec,
            numeric_scale: scale,
            is_nullable: if nullable { "YES" } else { "NO" }.into(),
            column_default: default.map(Into::into),
        }
    };
    let (uuid, text, int, ts) = (
        ("uuid", "uuid"),
        ("text", "text"),
        ("integer", "int4"),
        ("timestamp with time zone", "timestamptz"),
    );
    cat.tables.insert(
        "persona_communication_preferences".into(),
        vec![
            col(1, "id", uuid, false, Some("gen_random_uuid()")),
            col(2, "persona_id", uuid, false, None),
            col(3, "tenant_id", uuid, false, None),
            col(4, "preference_type", text, true, None),
            col(5, "preference_value", text, true, None),
            col(6, "preference_description", text, true, None),
            col(7, "sequence_order", int, true, None),
            col(8, "created_at", ts, true, Some("now()")),
            col(9, "updated_at", ts, true, Some("now()")),
        ],
    );
    cat.foreign_keys.push(ForeignKey {
        constraint_name: "persona_communication_preferences_persona_id_fkey".into(),
        table_name: "persona_communication_preferences".into(),
        column_name: "persona_id".into(),
        foreign_table_name: "personas".into(),
        foreign_column_name: "id".into(),
        update_rule: "NO ACTION".into(),
        delete_rule: "CASCADE".into(),
    });
    // Alignment: defaults on persona_evidence_summary.
    for c in cat.tables.get_mut("persona_evidence_summary").unwrap() {
        match c.column_name.as_str() {
            "overall_confidence_level" => c.column_default = Some("'medium'::text".into()),
            "evidence_quality_score" | "evidence_recency_score" => {
                c.column_default = Some("7".into())
            }
            _ => {}
        }
    }
    // Twelve business functions: six labels appended to functional_area_type.
    cat.enum_types
        .get_mut("functional_area_type")
        .unwrap()
        .extend(
            [
                "Sales",
                "Marketing",
                "Product",
                "Engineering",
                "Customer Success",
                "Executive",
            ]
            .map(String::from),
        );
    cat
}

#[tokio::test]
async fn later_migrations_make_only_the_documented_changes() {
    let expected = dump_with_documented_changes();
    let db = TestDb::new(Stage::Latest).await.unwrap();
    let actual = Catalog::read_live(&db.pool).await.unwrap();
    let cmp = compare(&expected, &actual);
    assert_no_differences("latest", &cmp);
    assert_eq!(
        (
            cmp.tables,
            cmp.columns,
            cmp.checks,
            cmp.uniques,
            cmp.foreign_keys
        ),
        (70, 1113 - 4 + 9, 271, 11, 143)
    );
}

#[test]
fn a_difference_is_named() {
    // The comparison itself must see a changed default, a lost CHECK and a changed FK rule.
    let expected = dump();
    let mut actual = expected.clone();
    actual.tables.get_mut("persona_goals").unwrap()[4].column_default = Some("1".into());
    actual
        .check_constraints
        .retain(|c| c.constraint_name != "persona_annual_conferences_role_check");
    actual.foreign_keys[0].delete_rule = "SET NULL".into();
    let cmp = compare(&expected, &actual);
    let report = cmp.report();
    assert_eq!(cmp.differences.len(), 3, "{report}");
    assert!(
        report.contains("persona_goals.priority: default expected 0, found 1"),
        "{report}"
    );
    assert!(
        report.contains("CHECK persona_annual_conferences_role_check missing"),
        "{report}"
    );
    assert!(
        report.contains("persona_annual_conferences_persona_id_fkey"),
        "{report}"
    );
}
