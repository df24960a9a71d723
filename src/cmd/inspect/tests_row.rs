use super::*;
use crate::config::Ttls;

fn facts(key: &str, pttl: i64, value: ValueFact) -> Facts {
    Facts {
        key: key.as_bytes().to_vec(),
        pttl: Some(pttl),
        memory: Some(100),
        object: Some(3),
        value,
        tag: 0,
        refused: false,
    }
}

fn bytes(s: &str) -> ValueFact {
    ValueFact::Bytes(s.as_bytes().to_vec())
}

fn codes(row: &Row) -> Vec<&'static str> {
    row.anomalies.iter().map(|a| a.code).collect()
}

const GRAPH: &str = r#"{"nodes":[{"id":"db.T/c","type":"field","namespace":"","dataset":"db.T","field":"c"}],"edges":[]}"#;

#[test]
fn a_good_graph_under_either_dataset_form_has_no_anomaly() {
    let ttls = Ttls::default();
    for key in [
        "ol:lineage:graph:db.T|c|both",
        "ol:lineage:graph:ns1/db.T|c|both",
    ] {
        let row = build(
            &facts(key, 60_000, bytes(GRAPH)),
            &ttls,
            ObjectSub::IdleTime,
        )
        .unwrap();
        // The decoded id form is a good value under a key the API's router never reads.
        let want: &[&str] = if key.contains('/') {
            &["unreachable"]
        } else {
            &[]
        };
        assert_eq!(codes(&row), want, "{key}");
        assert_eq!(row.summary.as_deref(), Some("1 nodes, 0 edges"));
        assert_eq!(row.kind, Some(Kind::LineageGraph));
        assert_eq!(row.class_secs, Some(1800));
    }
}

#[test]
fn a_graph_for_another_column_misses_its_seed() {
    let row = build(
        &facts("ol:lineage:graph:ns1%2Fdb.T|d|both", 60_000, bytes(GRAPH)),
        &Ttls::default(),
        ObjectSub::IdleTime,
    )
    .unwrap();
    assert_eq!(codes(&row), ["seed-missing"]);
    assert!(
        row.anomalies[0].detail.contains("db.T/d"),
        "{:?}",
        row.anomalies
    );
}

#[test]
fn an_unresolved_id_may_seed_the_graph_unchanged() {
    let g = GRAPH.replace("db.T/c", "ns9/db.T/c");
    let row = build(
        &facts("ol:lineage:graph:ns9/db.T|c|both", 60_000, bytes(&g)),
        &Ttls::default(),
        ObjectSub::IdleTime,
    )
    .unwrap();
    assert!(
        !codes(&row).contains(&"seed-missing"),
        "{:?}",
        row.anomalies
    );
}

#[test]
fn ttl_anomalies_compare_with_the_class() {
    let ttls = Ttls::default();
    let k = "ol:lineage:graph:db.T|c|both";
    let none = build(&facts(k, -1, bytes(GRAPH)), &ttls, ObjectSub::IdleTime).unwrap();
    assert_eq!(codes(&none), ["no-ttl"]);
    let above = build(
        &facts(k, 1_800_001, bytes(GRAPH)),
        &ttls,
        ObjectSub::IdleTime,
    )
    .unwrap();
    assert_eq!(codes(&above), ["ttl-above-class"]);
    let at = build(
        &facts(k, 1_800_000, bytes(GRAPH)),
        &ttls,
        ObjectSub::IdleTime,
    )
    .unwrap();
    assert!(codes(&at).is_empty());
}

#[test]
fn values_that_are_not_what_the_api_writes() {
    let ttls = Ttls::default();
    let k = "ol:lineage:graph:db.T|c|both";
    let bad = build(
        &facts(k, 1000, bytes("{\"nodes\":")),
        &ttls,
        ObjectSub::IdleTime,
    )
    .unwrap();
    assert_eq!(codes(&bad), ["bad-value"]);
    let null = build(
        &facts(k, 1000, bytes(r#"{"nodes":null,"edges":[]}"#)),
        &ttls,
        ObjectSub::IdleTime,
    )
    .unwrap();
    assert_eq!(codes(&null), ["null-list"]);
    let spaced = GRAPH.replace(",\"edges\"", ", \"edges\"");
    let non = build(&facts(k, 1000, bytes(&spaced)), &ttls, ObjectSub::IdleTime).unwrap();
    assert_eq!(codes(&non), ["non-canonical"]);
    let wrong = build(
        &facts(k, 1000, ValueFact::WrongType),
        &ttls,
        ObjectSub::IdleTime,
    )
    .unwrap();
    assert_eq!(codes(&wrong), ["wrong-type"]);
    let empty = build(
        &facts("ol:field:list:ns%2Fdb.T", 1000, bytes("[]")),
        &ttls,
        ObjectSub::IdleTime,
    )
    .unwrap();
    assert_eq!(codes(&empty), ["suspect-value"]);
}

#[test]
fn a_decoded_id_key_is_unreachable_and_says_why() {
    let row = build(
        &facts("ol:dataset:get:ns1/db.T", 60_000, bytes("{}")),
        &Ttls::default(),
        ObjectSub::IdleTime,
    )
    .unwrap();
    assert_eq!(codes(&row)[0], "unreachable");
    assert!(row.anomalies[0]
        .detail
        .contains("'%2F' reaches the handler escaped"));
}

#[test]
fn statistics_and_ddl_by_name_are_unreachable_by_id_reachable() {
    let ttls = Ttls::default();
    for key in [
        "ol:dataset:statistics:db.T",
        "ol:dataset:ddl:db.T",
        "ol:dataset:ddl:ns1%2Fdb.T",
    ] {
        let row = build(&facts(key, 60_000, bytes("{}")), &ttls, ObjectSub::IdleTime).unwrap();
        assert!(codes(&row).contains(&"unreachable"), "{key}");
        let why = &row
            .anomalies
            .iter()
            .find(|a| a.code == "unreachable")
            .unwrap()
            .detail;
        assert!(why.contains("under the dataset's id"), "{key}: {why}");
    }
    for key in ["ol:dataset:statistics:ns1/db.T", "ol:dataset:ddl:ns1/db.T"] {
        let row = build(&facts(key, 60_000, bytes("{}")), &ttls, ObjectSub::IdleTime).unwrap();
        assert!(!codes(&row).contains(&"unreachable"), "{key}");
    }
}

#[test]
fn keys_of_no_kind_or_ambiguous() {
    let ttls = Ttls::default();
    let unknown = build(
        &facts("ol:foo:bar", 1000, bytes("x")),
        &ttls,
        ObjectSub::IdleTime,
    )
    .unwrap();
    assert_eq!(codes(&unknown), ["unknown-key"]);
    assert_eq!(unknown.status, "unknown");
    assert_eq!(unknown.summary.as_deref(), Some("1 B"));
    let amb = build(
        &facts("ol:lineage:graph:db.T|a|b|both", 1000, bytes(GRAPH)),
        &ttls,
        ObjectSub::IdleTime,
    )
    .unwrap();
    assert!(codes(&amb).contains(&"ambiguous-key"));
    assert_eq!(amb.status, "ambiguous");
    assert_eq!(amb.readings.len(), 2);
    let mut not_utf8 = facts("ol:x", 1000, bytes("x"));
    not_utf8.key = b"ol:\xff".to_vec();
    assert_eq!(
        codes(&build(&not_utf8, &ttls, ObjectSub::IdleTime).unwrap()),
        ["unknown-key"]
    );
}

#[test]
fn vanished_keys_give_no_row() {
    let f = facts("ol:namespace:list", -2, ValueFact::Missing);
    assert!(build(&f, &Ttls::default(), ObjectSub::IdleTime).is_none());
}
