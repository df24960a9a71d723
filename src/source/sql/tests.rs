//! The SQL text, pinned: the Teradata statements cannot run here, so their text is the test.
use super::*;
use crate::model::{LineageHit, LineageRow};
use crate::source::Direction;

fn td() -> Statements {
    Statements::new(Dialect::Teradata, Some("demo_user"))
}

fn texts(params: &[&str]) -> Vec<Param> {
    params.iter().map(|s| Param::Text(s.to_string())).collect()
}

const DS: &str =
    "dataset_id, namespace_id, name, description, source_type, created_at, updated_at, is_active";

#[test]
fn teradata_namespaces_and_datasets() {
    let q = td().namespaces();
    assert_eq!(
        q.sql,
        "LOCKING ROW FOR ACCESS\n\
         SELECT namespace_id, namespace_uri, description, spec_version, created_at\n\
         FROM \"demo_user\".OL_NAMESPACE\n\
         ORDER BY created_at DESC, namespace_id"
    );
    assert!(q.params.is_empty());
    let q = td().datasets_by_id_or_name("a.b");
    assert_eq!(
        q.sql,
        format!(
            "LOCKING ROW FOR ACCESS\nSELECT {DS}\nFROM \"demo_user\".OL_DATASET\n\
             WHERE dataset_id = ? OR name = ?\nORDER BY dataset_id"
        )
    );
    assert_eq!(q.params, texts(&["a.b", "a.b"]));
}

#[test]
fn teradata_pages_with_qualify_not_limit() {
    let q = td().dataset_page("ns1", 100, 200);
    assert_eq!(
        q.sql,
        format!(
            "LOCKING ROW FOR ACCESS\nSELECT {DS}\nFROM \"demo_user\".OL_DATASET\n\
             WHERE namespace_id = ? AND is_active = 'Y'\n\
             QUALIFY ROW_NUMBER() OVER (ORDER BY name, dataset_id) > ? \
             AND ROW_NUMBER() OVER (ORDER BY name, dataset_id) <= ?\n\
             ORDER BY name, dataset_id"
        )
    );
    assert_eq!(
        q.params,
        vec![Param::Text("ns1".into()), Param::Int(200), Param::Int(300)]
    );
    assert!(!q.sql.contains("LIMIT"));
    let q = td().search("A%B_C", 10);
    assert_eq!(
        q.sql,
        format!(
            "LOCKING ROW FOR ACCESS\nSELECT {DS}\nFROM \"demo_user\".OL_DATASET\n\
             WHERE is_active = 'Y' AND UPPER(name) LIKE ? ESCAPE '\\'\n\
             QUALIFY ROW_NUMBER() OVER (ORDER BY name, dataset_id) > ? \
             AND ROW_NUMBER() OVER (ORDER BY name, dataset_id) <= ?\n\
             ORDER BY name, dataset_id"
        )
    );
    assert_eq!(
        q.params,
        vec![
            Param::Text("%A\\%B\\_C%".into()),
            Param::Int(0),
            Param::Int(10)
        ]
    );
}

const TD_UPSTREAM: &str = "LOCKING ROW FOR ACCESS
WITH RECURSIVE lin (lineage_id, source_namespace, source_dataset, source_field, target_namespace, target_dataset, target_field, transformation_type, transformation_subtype, confidence_score, depth, path) AS (
SELECT l.lineage_id, l.source_namespace, l.source_dataset, l.source_field, l.target_namespace, l.target_dataset, l.target_field, l.transformation_type, l.transformation_subtype, l.confidence_score, CAST(1 AS INTEGER), CAST(',' || l.lineage_id || ',' AS VARCHAR(8000))
FROM \"demo_user\".OL_COLUMN_LINEAGE l
WHERE l.is_active = 'Y' AND l.target_dataset = ? AND l.target_field = ?
UNION ALL
SELECT l.lineage_id, l.source_namespace, l.source_dataset, l.source_field, l.target_namespace, l.target_dataset, l.target_field, l.transformation_type, l.transformation_subtype, l.confidence_score, r.depth + 1, CAST(r.path || l.lineage_id || ',' AS VARCHAR(8000))
FROM lin r
INNER JOIN \"demo_user\".OL_COLUMN_LINEAGE l
ON l.target_dataset = r.source_dataset AND l.target_field = r.source_field
WHERE l.is_active = 'Y' AND r.depth < ? AND POSITION(',' || l.lineage_id || ',' IN r.path) = 0
)
SELECT h.lineage_id, h.source_namespace, h.source_dataset, h.source_field, h.target_namespace, h.target_dataset, h.target_field, h.transformation_type, h.transformation_subtype, h.confidence_score, h.depth
FROM (SELECT DISTINCT lineage_id, source_namespace, source_dataset, source_field, target_namespace, target_dataset, target_field, transformation_type, transformation_subtype, confidence_score, depth FROM lin) h
ORDER BY h.depth, h.lineage_id";

#[test]
fn teradata_recursive_lineage() {
    let qs = td().lineage("lab.CYCLE_A", "x", Direction::Upstream, 5);
    assert_eq!(qs.len(), 1);
    assert_eq!(qs[0].sql, TD_UPSTREAM);
    assert_eq!(
        qs[0].params,
        vec![
            Param::Text("lab.CYCLE_A".into()),
            Param::Text("x".into()),
            Param::Int(5)
        ]
    );
    let down = td().lineage("d.t", "f", Direction::Downstream, 3);
    let swapped = TD_UPSTREAM
        .replace(
            "l.target_dataset = ? AND l.target_field = ?",
            "l.source_dataset = ? AND l.source_field = ?",
        )
        .replace(
            "ON l.target_dataset = r.source_dataset AND l.target_field = r.source_field",
            "ON l.source_dataset = r.target_dataset AND l.source_field = r.target_field",
        );
    assert_eq!(down[0].sql, swapped);
    let both = td().lineage("d.t", "f", Direction::Both, 3);
    assert_eq!(
        both,
        vec![
            td().lineage("d.t", "f", Direction::Upstream, 3)[0].clone(),
            down[0].clone()
        ]
    );
    assert!(td().lineage("d.t", "f", Direction::Both, 0).is_empty());
}

#[test]
fn teradata_dictionary_and_changes() {
    let s = td();
    let q = s.table_info("lab", "T1");
    assert_eq!(
        q.sql,
        "LOCKING ROW FOR ACCESS\nSELECT TableKind, CreatorName, CreateTimeStamp, \
         LastAlterTimeStamp, CommentString, RequestText\nFROM DBC.TablesV\n\
         WHERE DatabaseName = ? AND TableName = ?"
    );
    assert_eq!(q.params, texts(&["lab", "T1"]));
    let q = s.ddl_info("lab", "T1");
    assert_eq!(
        q.sql,
        "LOCKING ROW FOR ACCESS\nSELECT TableKind, CreatorName, CreateTimeStamp, \
         LastAlterTimeStamp, CommentString, RequestText, RequestTxtOverFlow\nFROM DBC.TablesV\n\
         WHERE DatabaseName = ? AND TableName = ?"
    );
    assert_eq!(q.params, texts(&["lab", "T1"]));
    let q = s.count_rows("la\"b", "odd.name");
    assert_eq!(q.sql, "SELECT COUNT(*) FROM \"la\"\"b\".\"odd.name\"");
    assert!(q.params.is_empty());
    assert_eq!(
        s.row_count("lab", "T1").sql,
        "LOCKING ROW FOR ACCESS\nSELECT MAX(RowCount)\nFROM DBC.TableStatsV\n\
         WHERE DatabaseName = ? AND TableName = ?"
    );
    assert_eq!(
        s.size_bytes("lab", "T1").sql,
        "LOCKING ROW FOR ACCESS\nSELECT SUM(CurrentPerm)\nFROM DBC.TableSizeV\n\
         WHERE DatabaseName = ? AND TableName = ?"
    );
    assert_eq!(
        s.column_comments("lab", "T1").sql,
        "LOCKING ROW FOR ACCESS\nSELECT ColumnName, CommentString\nFROM DBC.ColumnsJQV\n\
         WHERE DatabaseName = ? AND TableName = ? AND CommentString IS NOT NULL\n\
         ORDER BY ColumnName"
    );
    let show = s.show_table("la\"b", "odd.name");
    assert_eq!(show.sql, "SHOW TABLE \"la\"\"b\".\"odd.name\"");
    assert!(show.params.is_empty());
    let since = Timestamp::parse("2026-02-01 00:00:00.5").unwrap();
    let q = s.changed_since(since);
    assert_eq!(
        q.sql,
        "LOCKING ROW FOR ACCESS\n\
         SELECT source_dataset FROM \"demo_user\".OL_COLUMN_LINEAGE WHERE discovered_at >= CAST(? AS TIMESTAMP(6))\n\
         UNION SELECT target_dataset FROM \"demo_user\".OL_COLUMN_LINEAGE WHERE discovered_at >= CAST(? AS TIMESTAMP(6))\n\
         UNION SELECT name FROM \"demo_user\".OL_DATASET WHERE updated_at >= CAST(? AS TIMESTAMP(6))"
    );
    assert_eq!(q.params, texts(&["2026-02-01 00:00:00.5"; 3]));
}

#[test]
fn sqlite_and_postgres_differ_where_they_must() {
    let lite = Statements::new(Dialect::Sqlite, None);
    let pg = Statements::new(Dialect::Postgres, Some("lineage"));
    let q = lite.dataset_page("ns", 10, 20);
    assert_eq!(
        q.sql,
        format!(
            "SELECT {DS}\nFROM OL_DATASET\nWHERE namespace_id = ? AND is_active = 'Y'\n\
             ORDER BY name, dataset_id\nLIMIT ? OFFSET ?"
        )
    );
    assert_eq!(
        q.params,
        vec![Param::Text("ns".into()), Param::Int(10), Param::Int(20)]
    );
    let q = pg.dataset_page("ns", 10, 20);
    assert!(q.sql.contains("FROM \"lineage\".OL_DATASET"));
    assert!(q
        .sql
        .contains("ORDER BY name COLLATE \"C\", dataset_id COLLATE \"C\"\nLIMIT ? OFFSET ?"));
    assert!(pg
        .namespaces()
        .sql
        .contains("ORDER BY created_at DESC NULLS LAST"));
    assert!(pg
        .table_info("a", "b")
        .sql
        .contains("FROM \"lineage\".DBC_TablesV"));
    let up = &lite.lineage("a.b", "c", Direction::Upstream, 2)[0].sql;
    assert!(up.starts_with("WITH RECURSIVE lin ("));
    assert!(up.contains("instr(r.path, ',' || l.lineage_id || ',') = 0"));
    let up = &pg.lineage("a.b", "c", Direction::Upstream, 2)[0].sql;
    assert!(up.contains("CAST(r.path || l.lineage_id || ',' AS TEXT)"));
    assert!(up.ends_with("ORDER BY h.depth, h.lineage_id COLLATE \"C\""));
    let show = lite.show_table("a", "b");
    assert_eq!(
        show.sql,
        "SELECT RequestText\nFROM DBC_ShowTable\nWHERE DatabaseName = ? AND TableName = ?\nORDER BY LineNo"
    );
    assert_eq!(
        lite.changed_since(Timestamp::default())
            .sql
            .matches(">= ?")
            .count(),
        3
    );
}

#[test]
fn offsets_beyond_i64_saturate() {
    let q = td().dataset_page("ns", 500, u64::MAX);
    assert_eq!(q.params[1..], [Param::Int(i64::MAX), Param::Int(i64::MAX)]);
}

fn hit(id: &str, depth: u32) -> LineageHit {
    LineageHit {
        row: LineageRow {
            lineage_id: id.into(),
            ..Default::default()
        },
        depth,
    }
}

#[test]
fn merge_unites_and_orders_by_depth_then_id() {
    let up = vec![hit("b", 1), hit("a", 2), hit("c", 2)];
    let down = vec![hit("b", 1), hit("a", 1), hit("a", 2)];
    let got: Vec<(String, u32)> = merge_hits(vec![up, down])
        .into_iter()
        .map(|h| (h.row.lineage_id, h.depth))
        .collect();
    let want = [("a", 1), ("b", 1), ("a", 2), ("c", 2)];
    assert_eq!(got, want.map(|(i, d)| (i.to_string(), d)));
}

/// Two self-loops sharing `lineage_id` `x`, found at depth 1 by both directions of `both`
/// in whatever order each query returns them: one pair each, the tie ordered by the
/// remaining members (here the subtype), whatever order the parts came in.
#[test]
fn merge_orders_shared_ids_by_row_and_keeps_each_pair_once() {
    let with = |sub: &str| LineageHit {
        row: LineageRow {
            transformation_subtype: sub.into(),
            ..hit("x", 1).row
        },
        depth: 1,
    };
    let (a, b) = (with("A"), with("B"));
    let ab = vec![a.clone(), b.clone()];
    let ba = vec![b.clone(), a.clone()];
    for parts in [
        vec![ab.clone(), ba.clone()],
        vec![ba.clone(), ab.clone()],
        vec![ba],
    ] {
        assert_eq!(merge_hits(parts), vec![a.clone(), b.clone()]);
    }
}

#[test]
fn helpers() {
    assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
    assert_eq!(contains_pattern("50%_\\x"), "%50\\%\\_\\\\x%");
    assert_eq!(split_name("lab.odd.name"), Some(("lab", "odd.name")));
    assert_eq!(split_name("nodot"), None);
    assert_eq!(split_name(".x"), None);
    assert_eq!(source_type("V "), "VIEW");
    assert_eq!(source_type("T"), "TABLE");
    assert_eq!(source_type("O"), "TABLE");
    assert!(flag(Some("Y")));
    assert!(flag(Some("Y ")));
    assert!(!flag(Some("y")));
    assert!(!flag(Some("N")));
    assert!(!flag(None));
    assert_eq!(char_text(Some("ab  ")), "ab");
    assert_eq!(char_text(None), "");
    assert_eq!(timestamp(None, "x").unwrap(), None);
    assert!(timestamp(Some("not a time"), "x").is_err());
}

fn view_info(text: &str, overflow: Option<&str>) -> TableInfo {
    TableInfo {
        dataset_id: "ns/d.v".into(),
        database: "d".into(),
        table: "v".into(),
        kind: "V".into(),
        creator: String::new(),
        created: None,
        altered: None,
        comment: String::new(),
        request_text: text.into(),
        overflow: overflow.map(str::to_string),
    }
}

#[test]
fn ddl_values_follow_the_apis_rules() {
    // Views: the text trimmed as Go's TrimSpace does; cut when RequestTxtOverFlow says `Y`,
    // or without that column when the text has 12,500 bytes or more (Go's len).
    let full = "é".repeat(6_250); // 12,500 bytes, 6,250 characters
    let ddl = view_info(&full, None).into_ddl(vec![], vec![]);
    assert!(ddl.truncated);
    assert_eq!(ddl.view_sql, full);
    let short = view_info(&full[2..], None).into_ddl(vec![], vec![]);
    assert!(!short.truncated);
    assert!(
        !view_info(&full, Some("N"))
            .into_ddl(vec![], vec![])
            .truncated
    );
    assert!(
        view_info("x", Some(" Y "))
            .into_ddl(vec![], vec![])
            .truncated
    );
    assert!(!view_info("x", Some("")).into_ddl(vec![], vec![]).truncated);
    let padded = view_info("\u{a0} \nSELECT 1;\r\n", None).into_ddl(vec![], vec![]);
    assert_eq!(padded.view_sql, "SELECT 1;");
    // A view never takes SHOW TABLE rows; a table joins them with "\n" and is never cut.
    let mut table = view_info("", None);
    table.kind = "T".into();
    let rows = vec!["a".repeat(70_000), "b".into(), String::new()];
    let ddl = table.into_ddl(rows.clone(), vec![]);
    assert_eq!(ddl.table_ddl, rows.join("\n"));
    assert_eq!((ddl.view_sql.as_str(), ddl.truncated), ("", false));
}

#[test]
fn teradata_neighbourhood_reads_name_their_datasets_in_in_lists() {
    let names = vec!["db.A".to_string(), "db.B".to_string()];
    let q = td().lineage_rows_at(crate::source::End::Target, &names);
    assert_eq!(
        q.sql,
        "LOCKING ROW FOR ACCESS\n\
         SELECT lineage_id, source_namespace, source_dataset, source_field, target_namespace, \
         target_dataset, target_field, transformation_type, transformation_subtype, \
         confidence_score\n\
         FROM \"demo_user\".OL_COLUMN_LINEAGE\n\
         WHERE target_dataset IN (?, ?)"
    );
    assert_eq!(q.params, texts(&["db.A", "db.B"]));
    let q = td().lineage_rows_at(crate::source::End::Source, &names[..1]);
    assert!(q.sql.ends_with("WHERE source_dataset IN (?)"), "{}", q.sql);
    // Any state: the rows a change deactivated count too.
    assert!(!q.sql.contains("is_active"), "{}", q.sql);
    let q = td().datasets_named(&names);
    assert_eq!(
        q.sql,
        format!(
            "LOCKING ROW FOR ACCESS\nSELECT {DS}\nFROM \"demo_user\".OL_DATASET\n\
             WHERE name IN (?, ?)\nORDER BY dataset_id"
        )
    );
    assert_eq!(q.params, texts(&["db.A", "db.B"]));
}
