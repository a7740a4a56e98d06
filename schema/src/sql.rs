//! Every catalog query codegen sends, in one place. All take the schema name as `$1`.

/// Ordinary and partitioned tables of the schema, with their COMMENT.
pub const TABLES: &str = "
SELECT c.oid::int8 AS oid, c.relname::text AS name, obj_description(c.oid, 'pg_class') AS comment
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')
 ORDER BY c.relname";

/// Live columns of those tables. For an array column, the `base_*` fields describe the element
/// type. `typmod` carries varchar length and numeric precision/scale.
pub const COLUMNS: &str = "
SELECT a.attrelid::int8 AS table_oid,
       a.attnum::int4 AS position,
       a.attname::text AS name,
       (t.typcategory = 'A') AS is_array,
       b.typname::text AS base_name,
       b.typtype::text AS base_kind,
       a.atttypmod::int4 AS typmod,
       format_type(a.atttypid, a.atttypmod) AS formatted,
       a.attnotnull AS not_null,
       CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END AS default_expr,
       CASE WHEN a.attgenerated <> '' THEN pg_get_expr(d.adbin, d.adrelid) END AS generated_expr,
       a.attidentity::text AS identity,
       col_description(a.attrelid, a.attnum) AS comment
  FROM pg_attribute a
  JOIN pg_class c ON c.oid = a.attrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_type t ON t.oid = a.atttypid
  JOIN pg_type b ON b.oid = CASE WHEN t.typcategory = 'A' THEN t.typelem ELSE t.oid END
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
 WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
 ORDER BY a.attrelid, a.attnum";

/// Table constraints (p, u, f, c) with their columns as attribute numbers.
pub const TABLE_CONSTRAINTS: &str = "
SELECT con.conrelid::int8 AS table_oid,
       con.conname::text AS name,
       con.contype::text AS kind,
       pg_get_constraintdef(con.oid) AS definition,
       con.conkey::int4[] AS columns,
       fc.relname::text AS foreign_table,
       con.confkey::int4[] AS foreign_columns,
       con.confrelid::int8 AS foreign_oid,
       con.confupdtype::text AS on_update,
       con.confdeltype::text AS on_delete
  FROM pg_constraint con
  JOIN pg_class c ON c.oid = con.conrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_class fc ON fc.oid = con.confrelid
 WHERE n.nspname = $1 AND con.contype IN ('p', 'u', 'f', 'c')
 ORDER BY con.conrelid, con.conname";

/// Attribute names by number, to resolve `conkey` / `confkey` (foreign tables included).
pub const ATTRIBUTE_NAMES: &str = "
SELECT a.attrelid::int8 AS table_oid, a.attnum::int4 AS position, a.attname::text AS name
  FROM pg_attribute a
  JOIN pg_class c ON c.oid = a.attrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = $1 AND a.attnum > 0";

/// Enum types and their labels in declared order.
pub const ENUMS: &str = "
SELECT t.typname::text AS name, e.enumlabel::text AS label
  FROM pg_type t
  JOIN pg_enum e ON e.enumtypid = t.oid
  JOIN pg_namespace n ON n.oid = t.typnamespace
 WHERE n.nspname = $1
 ORDER BY t.typname, e.enumsortorder";

/// Domains with their base type.
pub const DOMAINS: &str = "
SELECT t.typname::text AS name,
       (bt.typcategory = 'A') AS is_array,
       b.typname::text AS base_name,
       b.typtype::text AS base_kind,
       t.typtypmod::int4 AS typmod,
       t.typnotnull AS not_null,
       t.typdefault AS default_expr
  FROM pg_type t
  JOIN pg_namespace n ON n.oid = t.typnamespace
  JOIN pg_type bt ON bt.oid = t.typbasetype
  JOIN pg_type b ON b.oid = CASE WHEN bt.typcategory = 'A' THEN bt.typelem ELSE bt.oid END
 WHERE n.nspname = $1 AND t.typtype = 'd'
 ORDER BY t.typname";

/// CHECKs of domains.
pub const DOMAIN_CHECKS: &str = "
SELECT t.typname::text AS domain, con.conname::text AS name, pg_get_constraintdef(con.oid) AS definition
  FROM pg_constraint con
  JOIN pg_type t ON t.oid = con.contypid
  JOIN pg_namespace n ON n.oid = t.typnamespace
 WHERE n.nspname = $1 AND con.contype = 'c'
 ORDER BY t.typname, con.conname";
