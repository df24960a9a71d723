//! Golden tests of the model encoders: member order and `omitempty` rules of contract §3.
use super::tests_write::ts;
use super::*;
use crate::model::*;
use std::collections::BTreeMap;

fn json<T: GoJson + ?Sized>(v: &T) -> String {
    String::from_utf8(v.to_json()).expect("UTF-8")
}

fn namespace() -> Namespace {
    Namespace {
        id: "9f2c1b7a4d3e8f60".into(),
        uri: "teradata://tdprod:1025".into(),
        description: "Production & <test>".into(),
        spec_version: "2-0-2".into(),
        created_at: ts(2026, 1, 15, 10, 0, 0, 0),
    }
}

#[test]
fn namespace_members_and_omitempty() {
    assert_eq!(
        json(&namespace()),
        r#"{"id":"9f2c1b7a4d3e8f60","uri":"teradata://tdprod:1025","description":"Production \u0026 \u003ctest\u003e","specVersion":"2-0-2","createdAt":"2026-01-15T10:00:00Z"}"#
    );
    let bare = Namespace {
        description: String::new(),
        created_at: None,
        ..namespace()
    };
    assert_eq!(
        json(&bare),
        r#"{"id":"9f2c1b7a4d3e8f60","uri":"teradata://tdprod:1025","specVersion":"2-0-2","createdAt":"0001-01-01T00:00:00Z"}"#
    );
    assert_eq!(
        json(&Namespace::default()),
        r#"{"id":"","uri":"","specVersion":"","createdAt":"0001-01-01T00:00:00Z"}"#
    );
}

pub(super) fn dataset() -> Dataset {
    Dataset {
        id: "9f2c1b7a4d3e8f60/SALES.ORDERS".into(),
        namespace_id: "9f2c1b7a4d3e8f60".into(),
        name: "SALES.ORDERS".into(),
        description: "Orders\tdaily".into(),
        source_type: "TABLE".into(),
        created_at: ts(2026, 1, 15, 10, 0, 0, 0),
        updated_at: ts(2026, 1, 16, 8, 30, 0, 500_000_000),
        is_active: true,
    }
}

#[test]
fn dataset_members_and_omitempty() {
    assert_eq!(
        json(&dataset()),
        r#"{"id":"9f2c1b7a4d3e8f60/SALES.ORDERS","namespaceId":"9f2c1b7a4d3e8f60","name":"SALES.ORDERS","description":"Orders\tdaily","sourceType":"TABLE","createdAt":"2026-01-15T10:00:00Z","updatedAt":"2026-01-16T08:30:00.5Z","isActive":true}"#
    );
    let bare = Dataset {
        description: String::new(),
        source_type: String::new(),
        updated_at: None,
        is_active: false,
        ..dataset()
    };
    assert_eq!(
        json(&bare),
        r#"{"id":"9f2c1b7a4d3e8f60/SALES.ORDERS","namespaceId":"9f2c1b7a4d3e8f60","name":"SALES.ORDERS","createdAt":"2026-01-15T10:00:00Z","updatedAt":"0001-01-01T00:00:00Z","isActive":false}"#
    );
    let only_source = Dataset {
        description: String::new(),
        ..dataset()
    };
    assert!(
        json(&only_source).contains(r#""name":"SALES.ORDERS","sourceType":"TABLE","createdAt""#)
    );
}

#[test]
fn dataset_page_and_lists() {
    let page = DatasetPage {
        datasets: vec![dataset()],
        total: 42,
    };
    assert_eq!(
        json(&page),
        format!(r#"{{"datasets":[{}],"total":42}}"#, json(&dataset()))
    );
    assert_eq!(
        json(&DatasetPage::default()),
        r#"{"datasets":[],"total":0}"#
    );
    let two = vec![dataset(), dataset()];
    assert_eq!(json(&two), format!("[{0},{0}]", json(&dataset())));
    assert_eq!(json(two.as_slice()), json(&two));
    assert_eq!(json(&Vec::<Namespace>::new()), "[]");
    assert_eq!(json(&Vec::<Field>::new()), "[]");
}

#[test]
fn field_members_and_omitempty() {
    let field = Field {
        id: "9f2c1b7a4d3e8f60/SALES.ORDERS/amount".into(),
        dataset_id: "9f2c1b7a4d3e8f60/SALES.ORDERS".into(),
        name: "amount".into(),
        field_type: "DECIMAL(18,2)".into(),
        description: "Net \"amount\"".into(),
        ordinal_position: 3,
        nullable: true,
        created_at: ts(2026, 1, 15, 10, 0, 0, 0),
    };
    assert_eq!(
        json(&field),
        r#"{"id":"9f2c1b7a4d3e8f60/SALES.ORDERS/amount","datasetId":"9f2c1b7a4d3e8f60/SALES.ORDERS","name":"amount","type":"DECIMAL(18,2)","description":"Net \"amount\"","ordinalPosition":3,"nullable":true,"createdAt":"2026-01-15T10:00:00Z"}"#
    );
    let bare = Field {
        field_type: String::new(),
        description: String::new(),
        ordinal_position: 0,
        nullable: false,
        ..field.clone()
    };
    assert_eq!(
        json(&bare),
        r#"{"id":"9f2c1b7a4d3e8f60/SALES.ORDERS/amount","datasetId":"9f2c1b7a4d3e8f60/SALES.ORDERS","name":"amount","ordinalPosition":0,"nullable":false,"createdAt":"2026-01-15T10:00:00Z"}"#
    );
    let no_type = Field {
        field_type: String::new(),
        ..field
    };
    assert!(json(&no_type).contains(r#""name":"amount","description":"Net"#));
}

pub(super) fn graph() -> Graph {
    let node = |ds: &str, fld: &str, ns: &str| Node {
        id: format!("{ds}/{fld}"),
        namespace: ns.into(),
        dataset: ds.into(),
        field: fld.into(),
        metadata: BTreeMap::new(),
    };
    let edge = |id: &str, src: &str, tgt: &str, score| Edge {
        id: id.into(),
        source: src.into(),
        target: tgt.into(),
        transformation_type: "DIRECT".into(),
        transformation_subtype: "IDENTITY".into(),
        confidence_score: score,
    };
    Graph {
        nodes: vec![
            node("DIM.CUSTOMER", "id", ""),
            node("STG.CUSTOMER", "cust_id", "teradata://td:1025"),
        ],
        edges: vec![
            edge("aaa", "STG.CUSTOMER/cust_id", "DIM.CUSTOMER/id", Some(0.95)),
            edge("bbb", "STG.CUSTOMER/cust_id", "DIM.CUSTOMER/id", None),
        ],
    }
}

#[test]
fn graph_nodes_and_edges() {
    assert_eq!(
        json(&graph()),
        concat!(
            r#"{"nodes":[{"id":"DIM.CUSTOMER/id","type":"field","namespace":"","dataset":"DIM.CUSTOMER","field":"id"},"#,
            r#"{"id":"STG.CUSTOMER/cust_id","type":"field","namespace":"teradata://td:1025","dataset":"STG.CUSTOMER","field":"cust_id"}],"#,
            r#""edges":[{"id":"aaa","source":"STG.CUSTOMER/cust_id","target":"DIM.CUSTOMER/id","transformationType":"DIRECT","transformationSubtype":"IDENTITY","confidenceScore":0.95},"#,
            r#"{"id":"bbb","source":"STG.CUSTOMER/cust_id","target":"DIM.CUSTOMER/id","transformationType":"DIRECT","transformationSubtype":"IDENTITY"}]}"#
        )
    );
    assert_eq!(json(&Graph::default()), r#"{"nodes":[],"edges":[]}"#);
}

#[test]
fn node_field_and_metadata_omitempty_with_keys_in_byte_order() {
    let mut node = Node {
        id: "A.B/".into(),
        namespace: "ns".into(),
        dataset: "A.B".into(),
        ..Node::default()
    };
    assert_eq!(
        json(&node),
        r#"{"id":"A.B/","type":"field","namespace":"ns","dataset":"A.B"}"#
    );
    for k in ["b", "B", "a", "A", "é", "z", "_", "1", "<k>"] {
        node.metadata.insert(k.into(), format!("v{k}"));
    }
    assert_eq!(
        json(&node),
        r#"{"id":"A.B/","type":"field","namespace":"ns","dataset":"A.B","metadata":{"1":"v1","\u003ck\u003e":"v\u003ck\u003e","A":"vA","B":"vB","_":"v_","a":"va","b":"vb","z":"vz","é":"vé"}}"#
    );
}

#[test]
fn edge_confidence_is_omitted_when_null_or_zero() {
    let mut e = graph().edges[0].clone();
    let base = r#"{"id":"aaa","source":"STG.CUSTOMER/cust_id","target":"DIM.CUSTOMER/id","transformationType":"DIRECT","transformationSubtype":"IDENTITY""#;
    for (score, tail) in [
        (None, "}"),
        (Some(0.0), "}"),
        (Some(-0.0), "}"),
        (Some(1.0), r#","confidenceScore":1}"#),
        (Some(0.5), r#","confidenceScore":0.5}"#),
    ] {
        e.confidence_score = score;
        assert_eq!(json(&e), format!("{base}{tail}"), "{score:?}");
    }
}

#[test]
fn statistics_pointers_kept_when_zero_and_omitted_when_null() {
    let full = Statistics {
        dataset_id: "ns/SALES.ORDERS".into(),
        database_name: "SALES".into(),
        table_name: "ORDERS".into(),
        source_type: "TABLE".into(),
        creator_name: "DBADMIN".into(),
        create_timestamp: ts(2025, 3, 1, 12, 0, 0, 0),
        last_alter_timestamp: ts(2026, 1, 2, 3, 4, 5, 600_000_000),
        row_count: Some(0),
        size_bytes: Some(0),
        table_comment: "orders".into(),
    };
    assert_eq!(
        json(&full),
        r#"{"datasetId":"ns/SALES.ORDERS","databaseName":"SALES","tableName":"ORDERS","sourceType":"TABLE","creatorName":"DBADMIN","createTimestamp":"2025-03-01T12:00:00Z","lastAlterTimestamp":"2026-01-02T03:04:05.6Z","rowCount":0,"sizeBytes":0,"tableComment":"orders"}"#
    );
    let bare = Statistics {
        creator_name: String::new(),
        create_timestamp: None,
        last_alter_timestamp: None,
        row_count: None,
        size_bytes: None,
        table_comment: String::new(),
        ..full.clone()
    };
    assert_eq!(
        json(&bare),
        r#"{"datasetId":"ns/SALES.ORDERS","databaseName":"SALES","tableName":"ORDERS","sourceType":"TABLE"}"#
    );
    let some = Statistics {
        create_timestamp: None,
        row_count: Some(1234),
        size_bytes: None,
        ..full
    };
    assert_eq!(
        json(&some),
        r#"{"datasetId":"ns/SALES.ORDERS","databaseName":"SALES","tableName":"ORDERS","sourceType":"TABLE","creatorName":"DBADMIN","lastAlterTimestamp":"2026-01-02T03:04:05.6Z","rowCount":1234,"tableComment":"orders"}"#
    );
}

pub(super) fn ddl() -> Ddl {
    let mut comments = BTreeMap::new();
    comments.insert("order_id".to_string(), "key".to_string());
    comments.insert("Amount".to_string(), "net\nvalue".to_string());
    Ddl {
        dataset_id: "ns/SALES.V_ORDERS".into(),
        database_name: "SALES".into(),
        table_name: "V_ORDERS".into(),
        source_type: "VIEW".into(),
        view_sql: "SELECT * FROM SALES.ORDERS WHERE amount > 0".into(),
        table_ddl: String::new(),
        truncated: true,
        table_comment: "view".into(),
        column_comments: comments,
    }
}

#[test]
fn ddl_members_and_omitempty() {
    assert_eq!(
        json(&ddl()),
        r#"{"datasetId":"ns/SALES.V_ORDERS","databaseName":"SALES","tableName":"V_ORDERS","sourceType":"VIEW","viewSql":"SELECT * FROM SALES.ORDERS WHERE amount \u003e 0","truncated":true,"tableComment":"view","columnComments":{"Amount":"net\nvalue","order_id":"key"}}"#
    );
    let table = Ddl {
        view_sql: String::new(),
        table_ddl: "CREATE TABLE x (a INT);".into(),
        truncated: false,
        table_comment: String::new(),
        column_comments: BTreeMap::new(),
        ..ddl()
    };
    assert_eq!(
        json(&table),
        r#"{"datasetId":"ns/SALES.V_ORDERS","databaseName":"SALES","tableName":"V_ORDERS","sourceType":"VIEW","tableDdl":"CREATE TABLE x (a INT);","truncated":false}"#
    );
}

#[test]
fn unencodable_values_are_refused_by_try_and_null_in_lenient_output() {
    let mut g = graph();
    g.edges[0].confidence_score = Some(f64::NAN);
    assert!(matches!(
        g.try_to_json(),
        Err(EncodeError::NonFiniteFloat(_))
    ));
    let lenient = json(&g);
    assert!(lenient.contains(r#""confidenceScore":null"#));
    assert!(serde_json::from_str::<serde_json::Value>(&lenient).is_ok());
    let old = Namespace {
        created_at: ts(10000, 1, 1, 0, 0, 0, 0),
        ..namespace()
    };
    assert!(matches!(
        old.try_to_json(),
        Err(EncodeError::TimeOutOfRange(_))
    ));
    assert!(json(&old).ends_with(r#""createdAt":null}"#));
    assert_eq!(graph().try_to_json().ok(), Some(graph().to_json()));
}
