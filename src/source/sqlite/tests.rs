//! Every method of the SQLite source on the demo warehouse, against hand-written answers.
use super::*;
use crate::model::{DatasetPage, Direction, Statistics, Timestamp};
use crate::source::LineageSource;
use md5::{Digest, Md5};

const PROD: &str = "teradata://prod-td:1025";

fn md5_prefix(text: &str, n: usize) -> String {
    let hex: String = Md5::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    hex[..n].to_string()
}

fn prod_id() -> String {
    md5_prefix(PROD, 16)
}

/// lineage_id of `src -> tgt`, each `db.table.column`.
fn lid(src: &str, tgt: &str) -> String {
    md5_prefix(&format!("{src}->{tgt}"), 24)
}

fn ts(s: &str) -> Option<Timestamp> {
    Some(Timestamp::parse(s).expect("test timestamp"))
}

fn demo() -> (tempfile::TempDir, SqliteSource) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("demo.db");
    crate::source::demo::create_demo(&path, false).expect("demo");
    let source = SqliteSource::open(&path).expect("open");
    (dir, source)
}

#[test]
fn open_names_what_is_missing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("nope.db");
    let err = SqliteSource::open(&missing).err().expect("missing file");
    assert!(matches!(err, SourceError::Spec(_)));
    assert!(err.to_string().contains("nope.db"), "{err}");
    let empty = dir.path().join("empty.db");
    Connection::open(&empty)
        .and_then(|c| c.execute_batch("CREATE TABLE OL_NAMESPACE (namespace_id TEXT);"))
        .expect("create");
    let err = SqliteSource::open(&empty).err().expect("missing tables");
    let text = err.to_string();
    assert!(
        text.contains("missing table OL_DATASET, OL_DATASET_FIELD, OL_COLUMN_LINEAGE"),
        "{text}"
    );
}

#[test]
fn namespaces_newest_first() {
    let (_dir, s) = demo();
    let dev = Namespace {
        id: md5_prefix("teradata://dev-td:1025", 16),
        uri: "teradata://dev-td:1025".into(),
        description: String::new(),
        spec_version: "2-0-2".into(),
        created_at: ts("2026-01-12 14:30:00.125"),
    };
    let prod = Namespace {
        id: prod_id(),
        uri: PROD.into(),
        description: "Production Teradata warehouse (EU)".into(),
        spec_version: "2-0-2".into(),
        created_at: ts("2025-11-03 08:00:00"),
    };
    assert_eq!(s.namespaces().unwrap(), vec![dev.clone(), prod]);
    assert_eq!(s.namespace(&dev.id).unwrap(), Some(dev));
    assert_eq!(s.namespace("0000000000000000").unwrap(), None);
    assert!(s.describe().starts_with("sqlite:"));
}

#[test]
fn dataset_by_id_or_name() {
    let (_dir, s) = demo();
    let id = format!("{}/lab.odd.name.with.dots", prod_id());
    let want = Dataset {
        id: id.clone(),
        namespace_id: prod_id(),
        name: "lab.odd.name.with.dots".into(),
        description: "Names with \"quotes\", 'apostrophes' & <markup>".into(),
        source_type: "TABLE".into(),
        created_at: ts("2025-11-03 08:00:00"),
        updated_at: ts("2026-01-15 02:00:00"),
        is_active: true,
    };
    assert_eq!(s.dataset(&id).unwrap(), Some(want.clone()));
    assert_eq!(s.dataset("lab.odd.name.with.dots").unwrap(), Some(want));
    assert_eq!(s.dataset("lab.odd").unwrap(), None);
    let legacy = s
        .dataset("demo_user.SRC_LEGACY_ORDERS")
        .unwrap()
        .expect("inactive row");
    assert!(!legacy.is_active);
    let sandbox = s
        .dataset("sandbox.SALES_EXPLORE")
        .unwrap()
        .expect("sandbox");
    assert_eq!(
        (sandbox.description.as_str(), sandbox.source_type.as_str()),
        ("", "")
    );
}

fn names(page: &[Dataset]) -> Vec<&str> {
    page.iter().map(|d| d.name.as_str()).collect()
}

#[test]
fn pages_of_active_datasets_by_name() {
    let (_dir, s) = demo();
    let ns = prod_id();
    let first = s.dataset_page(&ns, 3, 0).unwrap();
    assert_eq!(first.total, 37);
    assert_eq!(
        names(&first.datasets),
        [
            "demo_user.DIM_CURRENCY",
            "demo_user.DIM_CUSTOMER",
            "demo_user.DIM_DATE"
        ]
    );
    let last = s.dataset_page(&ns, 5, 33).unwrap();
    assert_eq!(
        names(&last.datasets),
        [
            "lab.Straße_Kunden",
            "lab.WIDE_PARTITIONED",
            "lab.naïve_scores",
            "lab.odd.name.with.dots"
        ]
    );
    assert!(s.dataset_page(&ns, 5, 37).unwrap().datasets.is_empty());
    let all = s.dataset_page(&ns, 500, 0).unwrap();
    assert_eq!(all.datasets.len(), 37);
    assert!(!names(&all.datasets).contains(&"demo_user.SRC_LEGACY_ORDERS"));
    let dev = md5_prefix("teradata://dev-td:1025", 16);
    let page = s.dataset_page(&dev, 100, 0).unwrap();
    assert_eq!(
        (names(&page.datasets), page.total),
        (vec!["sandbox.SALES_EXPLORE"], 1)
    );
    assert_eq!(
        s.dataset_page("nope", 100, 0).unwrap(),
        DatasetPage::default()
    );
}

#[test]
fn search_upper_cases_like_go() {
    let (_dir, s) = demo();
    let q = |text: &str, limit| {
        s.search(&crate::keys::search::search_query(text), limit)
            .unwrap()
    };
    assert_eq!(names(&q("straße", 100)), ["lab.Straße_Kunden"]);
    // SQLite's UPPER leaves ï alone; Go's ToUpper does not.
    assert_eq!(names(&q("naïve", 100)), ["lab.naïve_scores"]);
    assert_eq!(
        names(&q("  dim_cu ", 100)),
        ["demo_user.DIM_CURRENCY", "demo_user.DIM_CUSTOMER"]
    );
    assert_eq!(names(&q("dim_cu", 1)), ["demo_user.DIM_CURRENCY"]);
    assert!(
        q("legacy", 100).is_empty(),
        "inactive datasets are not found"
    );
    assert!(
        s.search("straße", 100).unwrap().is_empty(),
        "the query is upper-cased already"
    );
    assert_eq!(q(".", 500).len(), 38);
}

#[test]
fn fields_by_position_with_flags() {
    let (_dir, s) = demo();
    let ds = format!("{}/lab.SELF_LOOP", prod_id());
    let want = vec![
        Field {
            id: format!("{ds}/counter"),
            dataset_id: ds.clone(),
            name: "counter".into(),
            field_type: "VARCHAR(200)".into(),
            description: "counter (SELF_LOOP)".into(),
            ordinal_position: 1,
            nullable: false,
            created_at: ts("2025-11-03 08:00:00"),
        },
        Field {
            id: format!("{ds}/delta"),
            dataset_id: ds.clone(),
            name: "delta".into(),
            field_type: "VARCHAR(200)".into(),
            description: String::new(),
            ordinal_position: 2,
            nullable: true,
            created_at: ts("2025-11-03 08:00:00"),
        },
    ];
    assert_eq!(s.fields(&ds).unwrap(), want);
    assert!(
        s.fields("lab.SELF_LOOP").unwrap().is_empty(),
        "the name form finds nothing"
    );
    let stg = s
        .fields(&format!("{}/demo_user.STG_CUSTOMER", prod_id()))
        .unwrap();
    let got: Vec<(&str, i64, bool)> = stg
        .iter()
        .map(|f| (f.name.as_str(), f.ordinal_position, f.nullable))
        .collect();
    assert_eq!(
        got[..5],
        [
            ("customer_id", 1, false),
            ("full_name", 2, true),
            ("email", 3, true),
            ("phone", 4, false),
            ("street", 5, true)
        ]
    );
    assert_eq!(stg[4].description, "Straße, as typed by the customer");
}

#[test]
fn statistics_from_the_dictionary() {
    let (_dir, s) = demo();
    let want = Statistics {
        dataset_id: format!("{}/lab.SELF_LOOP", prod_id()),
        database_name: "lab".into(),
        table_name: "SELF_LOOP".into(),
        source_type: "TABLE".into(),
        creator_name: "etl_svc".into(),
        create_timestamp: ts("2025-11-03 08:00:00"),
        last_alter_timestamp: ts("2026-02-01 03:15:42.5"),
        row_count: Some(9000),
        size_bytes: Some(9000 * 96 + 8192),
        table_comment: "A running counter feeding itself".into(),
    };
    assert_eq!(s.statistics("lab.SELF_LOOP").unwrap(), Some(want.clone()));
    assert_eq!(s.statistics(&want.dataset_id).unwrap(), Some(want));
    let view = s
        .statistics("demo_user.RPT_SALES_DAILY")
        .unwrap()
        .expect("view");
    assert_eq!(view.source_type, "VIEW");
    assert_eq!((view.row_count, view.size_bytes), (None, None));
    let odd = s
        .statistics("lab.odd.name.with.dots")
        .unwrap()
        .expect("odd");
    assert_eq!(
        (odd.database_name.as_str(), odd.table_name.as_str()),
        ("lab", "odd.name.with.dots")
    );
    assert_eq!(s.statistics("lab.NOPE").unwrap(), None);
}

#[test]
fn ddl_of_tables_and_views() {
    let (_dir, s) = demo();
    let ddl = s.ddl("lab.SELF_LOOP").unwrap().expect("table");
    assert_eq!(ddl.source_type, "TABLE");
    assert_eq!(
        ddl.table_ddl,
        "CREATE MULTISET TABLE \"lab\".\"SELF_LOOP\" ,FALLBACK ,\n     NO BEFORE JOURNAL,\n     \
         NO AFTER JOURNAL,\n     CHECKSUM = DEFAULT,\n     DEFAULT MERGEBLOCKRATIO\n     (\n      \
         \"counter\" VARCHAR(200) NOT NULL,\n      \"delta\" VARCHAR(200))\nPRIMARY INDEX ( \"counter\" );"
    );
    assert_eq!((ddl.view_sql.as_str(), ddl.truncated), ("", false));
    let comments: Vec<(&str, &str)> = ddl
        .column_comments
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(comments, [("counter", "counter (SELF_LOOP)")]);
    let view = s.ddl("demo_user.RPT_SALES_DAILY").unwrap().expect("view");
    assert_eq!(view.source_type, "VIEW");
    assert!(view.table_ddl.is_empty());
    assert!(view.view_sql.starts_with(
        "REPLACE VIEW \"demo_user\".\"RPT_SALES_DAILY\" AS\nLOCKING ROW FOR ACCESS\nSELECT\n  \"date_key\","
    ));
    assert!(view
        .view_sql
        .ends_with("FROM \"demo_user\".\"FACT_SALES\";"));
    let keys: Vec<&str> = view.column_comments.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["calendar_dt", "date_key", "total_net_eur_amt", "total_qty"]
    );
    assert!(!view.truncated, "a short view text is whole");
    assert_eq!(s.ddl("nodot").unwrap(), None);
}

/// The rows `SHOW TABLE` (the demo's `DBC_ShowTable`) holds for a table, in order.
fn show_rows(path: &std::path::Path, table: &str) -> Vec<String> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut st = conn
        .prepare("SELECT RequestText FROM DBC_ShowTable WHERE TableName = ?1 ORDER BY LineNo")
        .unwrap();
    let rows = st.query_map([table], |r| r.get::<_, String>(0)).unwrap();
    rows.map(Result::unwrap).collect()
}

#[test]
fn ddl_text_as_the_api_builds_it() {
    let (dir, s) = demo();
    // A table's DDL: the rows SHOW TABLE returns joined with "\n", never cut.
    let rows = show_rows(&dir.path().join("demo.db"), "WIDE_PARTITIONED");
    assert!(rows.len() > 1, "the wide table's DDL comes in several rows");
    let wide = s.ddl("lab.WIDE_PARTITIONED").unwrap().expect("wide");
    assert_eq!(wide.table_ddl, rows.join("\n"));
    assert!(wide.table_ddl.len() > 64 * 1024, "{}", wide.table_ddl.len());
    assert!(!wide.truncated, "the API never cuts a table's DDL");
    // A view whose text fills RequestText (12,500 characters or more, no
    // RequestTxtOverFlow column in the demo's dictionary) is marked cut, its text kept.
    let kpi = s.ddl("demo_user.RPT_EXEC_KPI").unwrap().expect("view");
    assert!(kpi.view_sql.len() >= 12_500, "{}", kpi.view_sql.len());
    assert!(kpi.view_sql.ends_with("DATE '2025-01-01' + 699);"));
    assert!(kpi.truncated);
}

#[test]
fn the_overflow_column_decides_where_the_dictionary_has_it() {
    let (dir, s) = demo();
    assert!(s.ddl("demo_user.RPT_EXEC_KPI").unwrap().unwrap().truncated);
    let conn = rusqlite::Connection::open(dir.path().join("demo.db")).unwrap();
    conn.execute_batch(
        "ALTER TABLE DBC_TablesV ADD COLUMN RequestTxtOverFlow CHAR(1);
         UPDATE DBC_TablesV SET RequestTxtOverFlow = 'Y' WHERE TableName = 'RPT_SALES_DAILY';
         UPDATE DBC_TablesV SET RequestTxtOverFlow = 'N' WHERE TableName = 'RPT_EXEC_KPI';",
    )
    .unwrap();
    let s2 = SqliteSource::open(&dir.path().join("demo.db")).unwrap();
    assert!(
        s2.ddl("demo_user.RPT_SALES_DAILY")
            .unwrap()
            .unwrap()
            .truncated
    );
    assert!(!s2.ddl("demo_user.RPT_EXEC_KPI").unwrap().unwrap().truncated);
    // The source opened before the column existed learnt it was missing and keeps to that.
    assert!(s.ddl("demo_user.RPT_EXEC_KPI").unwrap().unwrap().truncated);
}

/// (source, target, depth) triples of a lineage result, sources and targets as
/// `db.table.column`.
fn triples(hits: &[LineageHit]) -> Vec<(String, String, u32)> {
    hits.iter()
        .map(|h| {
            let r = &h.row;
            assert_eq!(
                r.lineage_id,
                lid(
                    &format!("{}.{}", r.source_dataset, r.source_field),
                    &format!("{}.{}", r.target_dataset, r.target_field)
                )
            );
            (
                format!("{}.{}", r.source_dataset, r.source_field),
                format!("{}.{}", r.target_dataset, r.target_field),
                h.depth,
            )
        })
        .collect()
}

/// The expected list, in the contract's order: by depth, then lineage_id.
fn expect(rows: &[(&str, &str, u32)]) -> Vec<(String, String, u32)> {
    let mut v: Vec<(String, String, u32)> = rows
        .iter()
        .map(|(s, t, d)| (s.to_string(), t.to_string(), *d))
        .collect();
    v.sort_by_key(|(s, t, d)| (*d, lid(s, t)));
    v
}

#[test]
fn lineage_through_a_cycle() {
    let (_dir, s) = demo();
    let up = s
        .lineage("lab.CYCLE_A", "x", Direction::Upstream, 5)
        .unwrap();
    let want = expect(&[
        ("lab.CYCLE_C.x", "lab.CYCLE_A.x", 1),
        ("lab.CYCLE_IN.x", "lab.CYCLE_A.x", 1),
        ("lab.CYCLE_B.x", "lab.CYCLE_C.x", 2),
        ("lab.CYCLE_A.x", "lab.CYCLE_B.x", 3),
        ("lab.CYCLE_IN.x", "lab.CYCLE_A.x", 4),
    ]);
    assert_eq!(triples(&up), want);
    let first = &up
        .iter()
        .find(|h| h.row.source_dataset == "lab.CYCLE_C")
        .expect("C->A")
        .row;
    assert_eq!(
        (
            first.source_namespace.as_str(),
            first.transformation_type.as_str(),
            first.transformation_subtype.as_str(),
            first.confidence_score
        ),
        (PROD, "DIRECT", "TRANSFORMATION", Some(0.9))
    );
    let short = s
        .lineage("lab.CYCLE_A", "x", Direction::Upstream, 2)
        .unwrap();
    assert_eq!(triples(&short), want[..3].to_vec());
    let id = format!("{}/lab.CYCLE_A", prod_id());
    let both = s.lineage(&id, "x", Direction::Both, 5).unwrap();
    let want = expect(&[
        ("lab.CYCLE_C.x", "lab.CYCLE_A.x", 1),
        ("lab.CYCLE_IN.x", "lab.CYCLE_A.x", 1),
        ("lab.CYCLE_A.x", "lab.CYCLE_B.x", 1),
        ("lab.CYCLE_B.x", "lab.CYCLE_C.x", 2),
        ("lab.CYCLE_A.x", "lab.CYCLE_B.x", 3),
        ("lab.CYCLE_C.x", "lab.CYCLE_A.x", 3),
        ("lab.CYCLE_IN.x", "lab.CYCLE_A.x", 4),
    ]);
    assert_eq!(triples(&both), want);
}

#[test]
fn lineage_through_a_diamond_skips_inactive_rows() {
    let (_dir, s) = demo();
    let down = s
        .lineage("lab.DIAMOND_TOP", "v", Direction::Downstream, 5)
        .unwrap();
    let want = expect(&[
        ("lab.DIAMOND_TOP.v", "lab.DIAMOND_LEFT.v", 1),
        ("lab.DIAMOND_TOP.v", "lab.DIAMOND_RIGHT.v", 1),
        ("lab.DIAMOND_LEFT.v", "lab.DIAMOND_BOTTOM.v", 2),
        ("lab.DIAMOND_RIGHT.v", "lab.DIAMOND_BOTTOM.v", 2),
    ]);
    assert_eq!(triples(&down), want);
    let up = s
        .lineage("lab.DIAMOND_BOTTOM", "v", Direction::Upstream, 1)
        .unwrap();
    let want_up = expect(&[
        ("lab.DIAMOND_LEFT.v", "lab.DIAMOND_BOTTOM.v", 1),
        ("lab.DIAMOND_RIGHT.v", "lab.DIAMOND_BOTTOM.v", 1),
    ]);
    assert_eq!(triples(&up), want_up);
    let right = up
        .iter()
        .find(|h| h.row.source_dataset == "lab.DIAMOND_RIGHT")
        .expect("R");
    assert_eq!(right.row.confidence_score, None);
}

#[test]
fn lineage_of_a_self_loop_and_odd_names() {
    let (_dir, s) = demo();
    let loop_rows = expect(&[
        ("lab.SELF_LOOP.counter", "lab.SELF_LOOP.counter", 1),
        ("lab.SELF_LOOP.delta", "lab.SELF_LOOP.counter", 1),
        ("lab.SELF_LOOP.delta", "lab.SELF_LOOP.counter", 2),
    ]);
    let up = s
        .lineage("lab.SELF_LOOP", "counter", Direction::Upstream, 3)
        .unwrap();
    assert_eq!(triples(&up), loop_rows);
    let both = s
        .lineage("lab.SELF_LOOP", "counter", Direction::Both, 3)
        .unwrap();
    assert_eq!(triples(&both), loop_rows);
    let down = s
        .lineage(
            "lab.odd.name.with.dots",
            "say \"hi\"",
            Direction::Downstream,
            5,
        )
        .unwrap();
    assert_eq!(
        triples(&down),
        expect(&[(
            "lab.odd.name.with.dots.say \"hi\"",
            "lab.naïve_scores.score",
            1
        )])
    );
    assert!(s
        .lineage("lab.NOT_THERE", "x", Direction::Both, 5)
        .unwrap()
        .is_empty());
    assert!(s
        .lineage("lab.CYCLE_A", "x", Direction::Both, 0)
        .unwrap()
        .is_empty());
}

#[test]
fn active_lineage_all_datasets_and_changes() {
    let (_dir, s) = demo();
    let rows = s.active_lineage().unwrap();
    assert_eq!(rows.len(), 192 - 3);
    assert!(rows.windows(2).all(|w| w[0].lineage_id < w[1].lineage_id));
    let inactive = lid("lab.DIAMOND_TOP.v", "lab.DIAMOND_BOTTOM.v");
    assert!(rows.iter().all(|r| r.lineage_id != inactive));
    assert_eq!(s.all_datasets().unwrap().len(), 39);
    let want = [
        "demo_user.RPT_SALES_DAILY",
        "demo_user.SRC_LEGACY_ORDERS",
        "demo_user.STG_ORDER",
        "lab.SELF_LOOP",
        "sandbox.SALES_EXPLORE",
    ];
    let at = |t: &str| s.changed_since(Timestamp::parse(t).expect("ts")).unwrap();
    assert_eq!(at("2026-02-01 00:00:00"), want);
    assert_eq!(at("2026-02-01 03:15:42.5"), want, "both ends inclusive");
    assert!(at("2026-02-01 03:15:43").is_empty());
}

#[test]
fn shared_across_threads() {
    let (_dir, s) = demo();
    let expected = s
        .lineage(
            "demo_user.RPT_EXEC_KPI",
            "total_revenue_eur_amt",
            Direction::Upstream,
            5,
        )
        .unwrap();
    assert!(expected.len() > 21);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                scope.spawn(|| {
                    s.lineage(
                        "demo_user.RPT_EXEC_KPI",
                        "total_revenue_eur_amt",
                        Direction::Upstream,
                        5,
                    )
                })
            })
            .collect();
        for h in handles {
            assert_eq!(h.join().expect("thread").unwrap(), expected);
        }
    });
}

#[test]
fn all_field_names_in_the_order_of_all_fields() {
    let (dir, _) = demo();
    let path = dir.path().join("demo.db");
    // Ties and NULL positions, which the two orders must break the same way.
    let conn = Connection::open(&path).expect("open");
    conn.execute_batch(
        "UPDATE OL_DATASET_FIELD SET ordinal_position = NULL WHERE rowid % 7 = 0;
         UPDATE OL_DATASET_FIELD SET ordinal_position = 1 WHERE rowid % 5 = 0;",
    )
    .expect("update");
    drop(conn);
    let source = SqliteSource::open(&path).expect("open");
    let names = source.all_field_names().expect("names");
    let fields: Vec<(String, String)> = source
        .all_fields()
        .expect("fields")
        .into_iter()
        .map(|f| (f.dataset_id, f.name))
        .collect();
    assert!(names.len() > 20, "{}", names.len());
    assert_eq!(names, fields);
}

#[test]
fn the_threaded_bulk_load_reads_what_the_row_reader_reads() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("synth.db");
    // More rows than one hand-over chunk, and cells that are not plain text.
    crate::source::demo::create_synthetic(&path, 3000, 7, false).expect("synthetic");
    let conn = Connection::open(&path).expect("open");
    conn.execute_batch(
        "UPDATE OL_COLUMN_LINEAGE SET lineage_id = 12345 WHERE rowid = 1;
         UPDATE OL_COLUMN_LINEAGE SET transformation_subtype = NULL WHERE rowid = 2;
         UPDATE OL_COLUMN_LINEAGE SET source_field = CAST(x'66ff6f' AS BLOB) WHERE rowid = 3;
         UPDATE OL_COLUMN_LINEAGE SET transformation_type = 2.5 WHERE rowid = 4;
         UPDATE OL_COLUMN_LINEAGE SET confidence_score = '0.25' WHERE rowid = 5;",
    )
    .expect("update");
    drop(conn);
    let source = SqliteSource::open(&path).expect("open");
    let rows = source.active_lineage().expect("rows");
    assert!(rows.len() > 2 * rows::RawRows::CHUNK, "{}", rows.len());
    let loaded = crate::source::engine::Engine::load(&source).expect("load");
    let read = crate::source::engine::Engine::new(rows);
    assert_eq!(loaded.len(), read.len());
    for i in 0..loaded.len() as u32 {
        assert_eq!(loaded.row(i), read.row(i), "row {i}");
    }
    let odd = (0..loaded.len() as u32).map(|i| loaded.row(i));
    assert_eq!(
        odd.filter(|r| r.lineage_id == "12345" || r.source_field == "f\u{fffd}o")
            .count(),
        2
    );
}
