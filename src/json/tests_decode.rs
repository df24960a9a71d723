//! Tests of decoding, checking and summarising cached values.
use super::tests_encode::{dataset, ddl, graph};
use super::*;
use crate::keys::Kind;
use crate::model::*;
use std::collections::BTreeMap;

fn problem(kind: Kind, value: &str) -> String {
    match check_value(kind, value.as_bytes()) {
        Ok(summary) => panic!("{value} decoded as {summary}"),
        Err(p) => p.to_string(),
    }
}

fn round_trip(kind: Kind, bytes: &[u8]) -> Decoded {
    let d = decode_value(kind, bytes).unwrap_or_else(|p| panic!("{p}"));
    assert!(d.is_canonical(bytes), "{}", String::from_utf8_lossy(bytes));
    d
}

#[test]
fn every_kind_decodes_what_the_encoder_writes() {
    let ns = Namespace {
        id: "9f2c".into(),
        uri: "teradata://td".into(),
        created_at: Timestamp::parse("2026-01-15 10:00:00"),
        ..Namespace::default()
    };
    let nss = vec![ns.clone(), ns.clone()];
    assert_eq!(
        round_trip(Kind::NamespaceList, &nss.to_json()),
        Decoded::Namespaces(nss)
    );
    assert_eq!(
        round_trip(Kind::NamespaceGet, &ns.to_json()),
        Decoded::Namespace(ns)
    );
    let page = DatasetPage {
        datasets: vec![dataset()],
        total: 7,
    };
    assert_eq!(
        round_trip(Kind::DatasetList, &page.to_json()),
        Decoded::Page(page)
    );
    let ds = vec![dataset()];
    assert_eq!(
        round_trip(Kind::DatasetSearch, &ds.to_json()),
        Decoded::Datasets(ds)
    );
    assert_eq!(
        round_trip(Kind::DatasetGet, &dataset().to_json()),
        Decoded::Dataset(dataset())
    );
    let fields = vec![Field {
        id: "f".into(),
        ordinal_position: 2,
        ..Field::default()
    }];
    assert_eq!(
        round_trip(Kind::FieldList, &fields.to_json()),
        Decoded::Fields(fields)
    );
    let stats = Statistics {
        dataset_id: "ns/A.B".into(),
        row_count: Some(0),
        create_timestamp: Timestamp::parse("0001-01-01 00:00:00"),
        ..Statistics::default()
    };
    let d = round_trip(Kind::DatasetStatistics, &stats.to_json());
    assert_eq!(
        d,
        Decoded::Statistics(stats),
        "a pointer to the zero time stays Some"
    );
    assert_eq!(
        round_trip(Kind::DatasetDdl, &ddl().to_json()),
        Decoded::Ddl(ddl())
    );
    assert_eq!(
        round_trip(Kind::LineageGraph, &graph().to_json()),
        Decoded::Graph(graph())
    );
    assert_eq!(decode_graph(&graph().to_json()), Ok(graph()));
}

#[test]
fn summaries_of_every_kind() {
    let cases: Vec<(Kind, Vec<u8>, &str)> = vec![
        (
            Kind::NamespaceList,
            vec![Namespace::default()].to_json(),
            "1 namespaces",
        ),
        (
            Kind::NamespaceGet,
            Namespace {
                id: "n1".into(),
                ..Default::default()
            }
            .to_json(),
            "namespace n1",
        ),
        (
            Kind::DatasetList,
            DatasetPage {
                datasets: vec![dataset(); 2],
                total: 5,
            }
            .to_json(),
            "2 datasets of 5",
        ),
        (
            Kind::DatasetSearch,
            vec![dataset(); 3].to_json(),
            "3 datasets",
        ),
        (
            Kind::DatasetGet,
            dataset().to_json(),
            "dataset SALES.ORDERS",
        ),
        (
            Kind::FieldList,
            vec![Field::default(); 4].to_json(),
            "4 fields",
        ),
        (
            Kind::DatasetStatistics,
            Statistics {
                dataset_id: "x/A.B".into(),
                ..Default::default()
            }
            .to_json(),
            "statistics of x/A.B",
        ),
        (
            Kind::DatasetDdl,
            ddl().to_json(),
            "DDL of ns/SALES.V_ORDERS",
        ),
        (Kind::LineageGraph, graph().to_json(), "2 nodes, 2 edges"),
    ];
    for (kind, bytes, want) in cases {
        let summary = check_value(kind, &bytes).unwrap_or_else(|p| panic!("{kind:?}: {p}"));
        assert_eq!(summary.to_string(), want, "{kind:?}");
    }
    let s = check_value(Kind::LineageGraph, &graph().to_json()).ok();
    let want = ValueSummary::Graph {
        nodes: 2,
        edges: 2,
        first_node: Some("DIM.CUSTOMER/id".into()),
    };
    assert_eq!(s, Some(want));
    assert_eq!(s.and_then(|s| s.count()), Some(2));
    let page = check_value(Kind::DatasetList, br#"{"datasets":[],"total":0}"#).ok();
    assert_eq!(page, Some(ValueSummary::Page { len: 0, total: 0 }));
}

#[test]
fn shape_and_type_problems_are_reported_with_their_path() {
    assert!(problem(Kind::NamespaceList, "{").starts_with("$: not valid JSON"));
    assert_eq!(
        problem(Kind::NamespaceList, "{}"),
        "$: expected an array, found an object"
    );
    assert_eq!(
        problem(Kind::DatasetGet, "[]"),
        "$: expected an object, found an array"
    );
    assert_eq!(
        problem(Kind::FieldList, "null"),
        "$: null where a list belongs (the API writes an empty list as [])"
    );
    assert_eq!(
        problem(Kind::LineageGraph, r#"{"nodes":null,"edges":[]}"#),
        "$.nodes: null where a list belongs (the API writes an empty list as [])"
    );
    assert_eq!(
        problem(Kind::LineageGraph, r#"{"nodes":[]}"#),
        "$: missing member \"edges\""
    );
    assert_eq!(
        problem(Kind::DatasetList, r#"{"datasets":[],"total":"3"}"#),
        "$.total: expected an integer, found a string"
    );
    assert_eq!(
        problem(Kind::DatasetList, r#"{"datasets":[],"total":1.5}"#),
        "$.total: expected a 64-bit integer, found 1.5"
    );
    let mut bad = dataset().to_json();
    bad.splice(0..0, b"[".iter().copied());
    bad.extend_from_slice(br#",{"id":null}]"#);
    let bad = String::from_utf8(bad).unwrap_or_default();
    assert_eq!(
        problem(Kind::DatasetSearch, &bad),
        "$[1].id: expected a string, found null"
    );
    let no_active =
        String::from_utf8_lossy(&dataset().to_json()).replace(r#","isActive":true"#, "");
    assert_eq!(
        problem(Kind::DatasetGet, &no_active),
        "$: missing member \"isActive\""
    );
    let bad_bool = String::from_utf8_lossy(&dataset().to_json()).replace("true", "\"Y\"");
    assert_eq!(
        problem(Kind::DatasetGet, &bad_bool),
        "$.isActive: expected a boolean, found a string"
    );
}

#[test]
fn graph_member_problems() {
    let g = String::from_utf8_lossy(&graph().to_json()).into_owned();
    let table = g.replacen(r#""type":"field""#, r#""type":"table""#, 1);
    assert_eq!(
        problem(Kind::LineageGraph, &table),
        "$.nodes[0].type: expected \"field\", found \"table\""
    );
    let score = g.replace("0.95", "\"0.95\"");
    assert_eq!(
        problem(Kind::LineageGraph, &score),
        "$.edges[0].confidenceScore: expected a number, found a string"
    );
    let meta = g.replacen(r#""field":"id"}"#, r#""field":"id","metadata":{"k":1}}"#, 1);
    assert_eq!(
        problem(Kind::LineageGraph, &meta),
        "$.nodes[0].metadata[\"k\"]: expected a string, found a number"
    );
    let meta = g.replacen(
        r#""field":"id"}"#,
        r#""field":"id","metadata":{"b":"2","a":"1"}}"#,
        1,
    );
    let d = decode_value(Kind::LineageGraph, meta.as_bytes()).unwrap_or_else(|p| panic!("{p}"));
    assert!(
        !d.is_canonical(meta.as_bytes()),
        "map keys out of byte order"
    );
    let Decoded::Graph(decoded) = d else {
        panic!("not a graph")
    };
    let want: BTreeMap<String, String> = [("a", "1"), ("b", "2")]
        .map(|(k, v)| (k.into(), v.into()))
        .into();
    assert_eq!(decoded.nodes[0].metadata, want);
}

#[test]
fn times_must_be_rfc3339() {
    let ds = String::from_utf8_lossy(&dataset().to_json()).into_owned();
    for bad in [
        "2026-01-15 10:00:00",
        "2026-01-15T10:00:00",
        "2026-01-15",
        "2026-01-15T10:00:00z",
        " 2026-01-15T10:00:00Z",
        "2026-13-15T10:00:00Z",
    ] {
        let v = ds.replace("2026-01-15T10:00:00Z", bad);
        assert_eq!(
            problem(Kind::DatasetGet, &v),
            format!("$.createdAt: not an RFC 3339 time: {bad:?}")
        );
    }
    let offset = ds.replace("2026-01-15T10:00:00Z", "2026-01-15T12:00:00+02:00");
    let d = decode_value(Kind::DatasetGet, offset.as_bytes()).unwrap_or_else(|p| panic!("{p}"));
    assert_eq!(
        d,
        Decoded::Dataset(dataset()),
        "offsets are read, as Go reads them"
    );
    assert!(!d.is_canonical(offset.as_bytes()), "but the API writes UTC");
    let zero = ds.replace("2026-01-15T10:00:00Z", "0001-01-01T00:00:00Z");
    let d = round_trip(Kind::DatasetGet, zero.as_bytes());
    assert!(matches!(
        d,
        Decoded::Dataset(Dataset {
            created_at: None,
            ..
        })
    ));
}

#[test]
fn non_canonical_values_decode_but_are_flagged() {
    let reordered = r#"{"uri":"u","id":"i","specVersion":"1","createdAt":"0001-01-01T00:00:00Z"}"#;
    let d =
        decode_value(Kind::NamespaceGet, reordered.as_bytes()).unwrap_or_else(|p| panic!("{p}"));
    assert!(!d.is_canonical(reordered.as_bytes()));
    let escaped =
        r#"{"id":"\u00e9","uri":"u","specVersion":"1","createdAt":"0001-01-01T00:00:00Z"}"#;
    let d = decode_value(Kind::NamespaceGet, escaped.as_bytes()).unwrap_or_else(|p| panic!("{p}"));
    assert!(!d.is_canonical(escaped.as_bytes()));
    assert!(d.is_canonical(escaped.replace("\\u00e9", "é").as_bytes()));
    let g = String::from_utf8_lossy(&graph().to_json()).into_owned();
    let zero = g.replace("0.95", "0");
    let d = decode_value(Kind::LineageGraph, zero.as_bytes()).unwrap_or_else(|p| panic!("{p}"));
    assert!(
        !d.is_canonical(zero.as_bytes()),
        "Go omits a zero confidence"
    );
    let spaced = g.replace(",", ", ");
    assert!(check_value(Kind::LineageGraph, spaced.as_bytes()).is_ok());
    let d = decode_value(Kind::LineageGraph, spaced.as_bytes()).unwrap_or_else(|p| panic!("{p}"));
    assert!(!d.is_canonical(spaced.as_bytes()));
    let unknown =
        r#"{"id":"i","uri":"u","specVersion":"1","createdAt":"0001-01-01T00:00:00Z","extra":1}"#;
    assert!(
        check_value(Kind::NamespaceGet, unknown.as_bytes()).is_ok(),
        "Go ignores unknown members"
    );
}

#[test]
fn anomalies_of_decoded_values() {
    let empty = |kind, v: &[u8]| {
        decode_value(kind, v)
            .map(|d| d.anomalies())
            .unwrap_or_default()
    };
    let msg = "empty list: the API never caches an empty result".to_string();
    assert_eq!(empty(Kind::NamespaceList, b"[]"), vec![msg.clone()]);
    assert_eq!(empty(Kind::DatasetSearch, b"[]"), vec![msg.clone()]);
    assert_eq!(empty(Kind::FieldList, b"[]"), vec![msg.clone()]);
    assert_eq!(
        empty(Kind::DatasetList, br#"{"datasets":[],"total":3}"#),
        vec![msg]
    );
    let long = DatasetPage {
        datasets: vec![dataset(); 2],
        total: 1,
    };
    assert_eq!(
        empty(Kind::DatasetList, &long.to_json()),
        vec!["page holds 2 datasets but total is 1".to_string()]
    );
    assert!(empty(Kind::LineageGraph, &graph().to_json()).is_empty());
    assert!(empty(Kind::DatasetGet, &dataset().to_json()).is_empty());
    assert_eq!(
        empty(Kind::LineageGraph, br#"{"nodes":[],"edges":[]}"#),
        vec!["graph without nodes: a graph always holds its seed node".to_string()]
    );
    let mut g = graph();
    g.nodes.truncate(1);
    g.nodes.push(g.nodes[0].clone());
    let found = empty(Kind::LineageGraph, &g.to_json());
    assert_eq!(found[0], "a node id appears more than once");
    assert_eq!(
        found[1],
        "edge aaa refers to a missing node STG.CUSTOMER/cust_id"
    );
    assert_eq!(found.len(), 3, "{found:?}");
    g.edges = vec![g.edges[0].clone(); 7];
    let found = empty(Kind::LineageGraph, &g.to_json());
    assert_eq!(found.len(), 1 + 5 + 1, "{found:?}");
    assert_eq!(found[6], "and 2 more edges refer to missing nodes");
}

#[test]
fn seed_helpers() {
    let g = graph();
    assert_eq!(first_node_id(&g), Some("DIM.CUSTOMER/id"));
    assert!(has_node(&g, "STG.CUSTOMER/cust_id"));
    assert!(!has_node(&g, "STG.CUSTOMER/id"));
    assert_eq!(first_node_id(&Graph::default()), None);
    let bytes = g.to_json();
    assert_eq!(seed_present(&bytes, "DIM.CUSTOMER", "id"), Ok(true));
    assert_eq!(
        seed_present(&bytes, "STG.CUSTOMER", "cust_id"),
        Ok(false),
        "present but not first"
    );
    assert_eq!(
        seed_present(br#"{"nodes":[],"edges":[]}"#, "A.B", "c"),
        Ok(false)
    );
    assert!(seed_present(b"[]", "A.B", "c").is_err());
}
