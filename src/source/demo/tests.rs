//! The demo warehouse and the generator: identifiers, shapes, SQL output, determinism.
use super::*;
use md5::{Digest, Md5};
use rusqlite::types::Value;
use rusqlite::Connection;

fn md5_prefix(text: &str, n: usize) -> String {
    let hex: String = Md5::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    hex[..n].to_string()
}

fn query_strings(conn: &Connection, sql: &str) -> Vec<Vec<Option<String>>> {
    let mut stmt = conn.prepare(sql).expect("prepare");
    let n = stmt.column_count();
    let rows = stmt
        .query_map([], |r| {
            (0..n).map(|i| r.get::<_, Option<String>>(i)).collect()
        })
        .expect("query");
    rows.map(|r| r.expect("row")).collect()
}

/// Every row of every table, with SQLite's storage types.
fn dump(conn: &Connection) -> Vec<(String, Vec<Vec<Value>>)> {
    schema::ALL
        .iter()
        .map(|t| {
            let mut stmt = conn
                .prepare(&format!("SELECT * FROM {} ORDER BY rowid", t.name))
                .expect("prepare");
            let n = stmt.column_count();
            let rows: Vec<Vec<Value>> = stmt
                .query_map([], |r| (0..n).map(|i| r.get::<_, Value>(i)).collect())
                .expect("query")
                .map(|r| r.expect("row"))
                .collect();
            (t.name.to_string(), rows)
        })
        .collect()
}

fn demo_db() -> (tempfile::TempDir, Connection, Summary) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("demo.db");
    let summary = create_demo(&path, false).expect("create");
    let conn = Connection::open(&path).expect("open");
    (dir, conn, summary)
}

#[test]
fn identifiers_are_the_population_scripts() {
    let (_dir, conn, summary) = demo_db();
    assert_eq!(namespace_id("teradata://prod-td:1025"), "e2ee0f524246c957");
    let self_loop = lineage_id("lab.SELF_LOOP", "counter", "lab.SELF_LOOP", "counter");
    assert_eq!(self_loop, "eaf354c661fab7037b831ea325e660e7"[..24]);
    let odd = lineage_id(
        "lab.Straße_Kunden",
        "straße",
        "lab.odd.name.with.dots",
        "a.b",
    );
    assert_eq!(odd, "0ca0bb536e622287938836d37ac80958"[..24]);
    for r in query_strings(
        &conn,
        "SELECT namespace_id, namespace_uri FROM OL_NAMESPACE",
    ) {
        assert_eq!(r[0], Some(md5_prefix(r[1].as_deref().unwrap_or(""), 16)));
    }
    let datasets = query_strings(
        &conn,
        "SELECT dataset_id, namespace_id, name FROM OL_DATASET",
    );
    assert_eq!(datasets.len(), summary.datasets);
    for r in &datasets {
        let (id, ns, name) = (
            r[0].clone().unwrap(),
            r[1].clone().unwrap(),
            r[2].clone().unwrap(),
        );
        assert_eq!(id, format!("{ns}/{name}"));
        assert!(name.split_once('.').is_some(), "{name}");
    }
    for r in query_strings(
        &conn,
        "SELECT field_id, dataset_id, field_name FROM OL_DATASET_FIELD",
    ) {
        let (f, d, n) = (
            r[0].clone().unwrap(),
            r[1].clone().unwrap(),
            r[2].clone().unwrap(),
        );
        assert_eq!(f, field_id(&d, &n));
        assert_eq!(f, format!("{d}/{n}"));
    }
    let rows = query_strings(
        &conn,
        "SELECT lineage_id, source_dataset, source_field, target_dataset, target_field FROM OL_COLUMN_LINEAGE",
    );
    assert_eq!(rows.len(), summary.lineage_rows);
    for r in rows {
        let s: Vec<String> = r.into_iter().map(|v| v.unwrap_or_default()).collect();
        assert_eq!(
            s[0],
            md5_prefix(&format!("{}.{}->{}.{}", s[1], s[2], s[3], s[4]), 24)
        );
    }
}

#[test]
fn lineage_rows_store_the_mapping_and_the_hard_shapes() {
    let (_dir, conn, summary) = demo_db();
    assert_eq!(
        summary,
        Summary {
            namespaces: 2,
            datasets: 39,
            fields: 191,
            lineage_rows: 192
        }
    );
    let pairs = query_strings(
        &conn,
        "SELECT DISTINCT transformation_type, transformation_subtype FROM OL_COLUMN_LINEAGE ORDER BY 1, 2",
    );
    let pairs: Vec<(String, String)> = pairs
        .into_iter()
        .map(|r| (r[0].clone().unwrap(), r[1].clone().unwrap()))
        .collect();
    let want = [
        ("DIRECT", "AGGREGATION"),
        ("DIRECT", "IDENTITY"),
        ("DIRECT", "TRANSFORMATION"),
        ("INDIRECT", "FILTER"),
        ("INDIRECT", "JOIN"),
    ];
    assert_eq!(pairs, want.map(|(a, b)| (a.to_string(), b.to_string())));
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).expect("count") };
    assert_eq!(count("SELECT COUNT(*) FROM OL_COLUMN_LINEAGE WHERE source_dataset = target_dataset AND source_field = target_field"), 1);
    assert_eq!(
        count("SELECT COUNT(*) FROM OL_COLUMN_LINEAGE WHERE is_active <> 'Y'"),
        3
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM OL_DATASET WHERE is_active <> 'Y'"),
        1
    );
    assert!(count("SELECT COUNT(*) FROM OL_COLUMN_LINEAGE WHERE confidence_score IS NULL") >= 3);
    assert_eq!(count("SELECT COUNT(*) FROM OL_COLUMN_LINEAGE WHERE confidence_score NOT IN (1, 0.95, 0.9, 0.85, 0.8, 0.75, 0.5)"), 0);
    assert!(count("SELECT COUNT(*) FROM OL_DATASET WHERE description IS NULL") >= 4);
    assert!(count("SELECT COUNT(*) FROM OL_DATASET WHERE updated_at LIKE '%.%'") >= 5);
    // Wide fan-in and fan-out.
    assert!(count("SELECT MAX(n) FROM (SELECT COUNT(*) n FROM OL_COLUMN_LINEAGE GROUP BY target_dataset, target_field)") >= 20);
    assert!(count("SELECT MAX(n) FROM (SELECT COUNT(*) n FROM OL_COLUMN_LINEAGE GROUP BY source_dataset, source_field)") >= 20);
    for name in [
        "say \"hi\"",
        "it's",
        "<&>",
        "a.b",
        "straße",
        "naïve_flag",
        "名前",
    ] {
        let n: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM OL_DATASET_FIELD WHERE field_name = ?",
                [name],
                |r| r.get(0),
            )
            .expect("count");
        assert_eq!(n, 1, "{name}");
    }
    // Every dataset has its dictionary rows.
    assert_eq!(count("SELECT COUNT(*) FROM DBC_TablesV"), 39);
    assert_eq!(count("SELECT COUNT(*) FROM DBC_ColumnsJQV"), 191);
    assert_eq!(count("SELECT COUNT(*) FROM DBC_TablesV WHERE TableKind = 'V' AND RequestText LIKE 'REPLACE VIEW%'"), 5);
    assert_eq!(
        count("SELECT COUNT(DISTINCT DatabaseName || '.' || TableName) FROM DBC_ShowTable"),
        34
    );
}

#[test]
fn sql_text_loads_into_the_same_warehouse() {
    let (_dir, conn, summary) = demo_db();
    let sql = demo_sql(Dialect::Sqlite, None, 42).expect("sql");
    let fresh = Connection::open_in_memory().expect("memory");
    fresh.execute_batch(&sql).expect("load");
    assert_eq!(dump(&fresh), dump(&conn));
    // Loading twice replaces, never duplicates.
    fresh.execute_batch(&sql).expect("reload");
    assert_eq!(dump(&fresh), dump(&conn));
    let pg = demo_sql(Dialect::Postgres, None, 42).expect("pg");
    assert!(pg.starts_with(
        "SET client_encoding = 'UTF8';\nSET standard_conforming_strings = on;\nBEGIN;\n"
    ));
    assert!(pg.ends_with("COMMIT;\n"));
    assert!(pg.contains("'Names with \"quotes\", ''apostrophes'' & <markup>'"));
    assert_eq!(
        pg.matches("INSERT INTO OL_COLUMN_LINEAGE").count(),
        summary.lineage_rows.div_ceil(schema::BATCH)
    );
    assert!(matches!(
        demo_sql(Dialect::Teradata, None, 1),
        Err(DemoError::Unsupported(_))
    ));
}

#[test]
fn refuses_to_overwrite_without_force() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("x.db");
    std::fs::write(&path, b"keep me").expect("write");
    assert!(matches!(
        create_demo(&path, false),
        Err(DemoError::Exists(_))
    ));
    assert_eq!(std::fs::read(&path).expect("read"), b"keep me");
    create_demo(&path, true).expect("force");
    let conn = Connection::open(&path).expect("open");
    let n: i64 = conn
        .query_row("SELECT COUNT(*) FROM OL_NAMESPACE", [], |r| r.get(0))
        .expect("count");
    assert_eq!(n, 2);
    let leftovers = std::fs::read_dir(dir.path()).expect("dir").count();
    assert_eq!(leftovers, 1, "no temporary file left behind");
}

#[test]
fn synthetic_is_deterministic_from_the_seed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b, c) = (
        dir.path().join("a.db"),
        dir.path().join("b.db"),
        dir.path().join("c.db"),
    );
    let sa = create_synthetic(&a, 3000, 7, false).expect("a");
    let sb = create_synthetic(&b, 3000, 7, false).expect("b");
    let sc = create_synthetic(&c, 3000, 8, false).expect("c");
    assert_eq!(sa, sb);
    assert_eq!(sa.fields, 3000);
    assert_eq!(sc.fields, 3000);
    assert!((6000..=12000).contains(&sa.lineage_rows), "{sa}");
    let open = |p: &std::path::Path| Connection::open(p).expect("open");
    assert_eq!(dump(&open(&a)), dump(&open(&b)));
    assert_ne!(dump(&open(&a)), dump(&open(&c)));
    let text = demo_sql(Dialect::Sqlite, Some(3000), 7).expect("sql");
    let fresh = Connection::open_in_memory().expect("memory");
    fresh.execute_batch(&text).expect("load");
    assert_eq!(dump(&fresh), dump(&open(&a)));
}

#[test]
fn synthetic_has_the_shapes_and_serves_as_a_source() {
    use crate::source::{sqlite::SqliteSource, Direction, LineageSource};
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("s.db");
    create_synthetic(&path, 2500, 42, false).expect("create");
    let conn = Connection::open(&path).expect("open");
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).expect("count") };
    assert!(count("SELECT COUNT(*) FROM OL_COLUMN_LINEAGE WHERE source_dataset = target_dataset AND source_field = target_field") >= 1);
    assert!(count("SELECT COUNT(*) FROM OL_COLUMN_LINEAGE WHERE is_active = 'N'") >= 1);
    assert!(count("SELECT COUNT(*) FROM OL_DATASET WHERE is_active = 'N'") >= 1);
    assert!(count("SELECT COUNT(*) FROM OL_DATASET WHERE name LIKE '%Straße%'") >= 1);
    assert!(count("SELECT COUNT(*) FROM OL_DATASET_FIELD WHERE field_name LIKE '%naïve%'") >= 1);
    assert!(count("SELECT COUNT(*) FROM OL_COLUMN_LINEAGE WHERE confidence_score IS NULL") >= 1);
    assert!(count("SELECT MAX(n) FROM (SELECT COUNT(*) n FROM OL_COLUMN_LINEAGE GROUP BY source_dataset, source_field)") >= 40);
    assert_eq!(
        count("SELECT COUNT(*) FROM DBC_TablesV"),
        count("SELECT COUNT(*) FROM OL_DATASET")
    );
    let source = SqliteSource::open(&path).expect("source");
    let row = source
        .active_lineage()
        .expect("rows")
        .into_iter()
        .next()
        .expect("a row");
    let hits = source
        .lineage(
            &row.target_dataset,
            &row.target_field,
            Direction::Upstream,
            3,
        )
        .expect("lineage");
    assert!(hits.iter().any(|h| h.depth == 1 && h.row == row));
}
