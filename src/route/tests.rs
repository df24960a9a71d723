//! The router rules as examples. Every expected key is written by hand from the rules in
//! `contract.md` §1 and docs/keys.md (Go's `setPath`, chi's `routeHTTP`), not from this code:
//! the path parameters hold the segments as sent when the path as sent is not Go's default
//! escaping of the decoded path, and the decoded segments otherwise.
use super::*;

/// The keys a request reads, rendered; statistics and DDL end with their last read written
/// as `then KIND of the id of PARAM` (it waits for the source to resolve PARAM).
fn keys(url: &str) -> Result<Vec<String>, String> {
    let routed = route(url, &Validation::default()).map_err(|e| e.to_string())?;
    let mut out: Vec<String> = routed.keys.iter().map(Key::render).collect();
    if let Some(k) = &routed.by_id {
        let param = k.dataset().unwrap_or_default();
        out.push(format!("then {} of the id of {param}", k.kind().name()));
    }
    Ok(out)
}

fn check(cases: &[(String, Vec<&str>)]) {
    for (url, want) in cases {
        assert_eq!(
            keys(url),
            Ok(want.iter().map(|s| s.to_string()).collect()),
            "{url}"
        );
    }
}

#[test]
fn every_route_maps_to_its_keys() {
    let b = API_BASE;
    check(&[
        (format!("{b}/namespaces"), vec!["ol:namespace:list"]),
        (format!("{b}/namespaces/abc"), vec!["ol:namespace:get:abc"]),
        (format!("{b}/namespaces/abc/datasets"), vec!["ol:dataset:list:abc|100|0"]),
        (format!("{b}/namespaces/abc/datasets?limit=%2B25&offset=007"), vec!["ol:dataset:list:abc|25|7"]),
        (format!("{b}/datasets/search?q=%20stra%C3%9Fe%20"), vec!["ol:dataset:search:STRAßE|100"]),
        (format!("{b}/datasets/search?q=ord+ers&limit=900"), vec!["ol:dataset:search:ORD ERS|100"]),
        (format!("{b}/datasets/search?q=x&limit=abc"), vec!["ol:dataset:search:X|100"]),
        (format!("{b}/datasets/search?q=%20%20"), vec!["ol:dataset:search:|100"]),
        (format!("{b}/datasets/search?q=b%2Fc"), vec!["ol:dataset:search:B/C|100"]),
        (
            format!("{b}/datasets/demo_user.T"),
            vec!["ol:dataset:get:demo_user.T", "ol:field:list:demo_user.T"],
        ),
        (
            format!("{b}/datasets/demo_user.T/statistics"),
            vec!["ol:dataset:get:demo_user.T", "then dataset-statistics of the id of demo_user.T"],
        ),
        (
            format!("{b}/datasets/demo_user.T/ddl/"),
            vec!["ol:dataset:get:demo_user.T", "then dataset-ddl of the id of demo_user.T"],
        ),
        // Go's default escaping (non-ASCII, space) is decoded: the name as stored.
        (
            format!("{b}/datasets/lab.Stra%C3%9Fe_Kunden/statistics"),
            vec!["ol:dataset:get:lab.Straße_Kunden", "then dataset-statistics of the id of lab.Straße_Kunden"],
        ),
        (
            format!("{b}/datasets/lab.%E5%90%8D%E5%89%8D/ddl"),
            vec!["ol:dataset:get:lab.名前", "then dataset-ddl of the id of lab.名前"],
        ),
        (
            format!("http://api.local:8080{b}/lineage/demo_user.T/na%C3%AFve%20col?direction=upstream&maxDepth=20"),
            vec!["ol:lineage:graph:demo_user.T|naïve col|upstream"],
        ),
        (format!("{b}/lineage/demo_user.T/c"), vec!["ol:lineage:graph:demo_user.T|c|both"]),
    ]);
}

#[test]
fn an_escaped_slash_leaves_every_segment_as_sent() {
    let b = API_BASE;
    check(&[
        (
            format!("{b}/datasets/ns1%2Fdemo_user.T"),
            vec!["ol:dataset:get:ns1%2Fdemo_user.T", "ol:field:list:ns1%2Fdemo_user.T"],
        ),
        (
            format!("{b}/datasets/ns1%2fdemo_user.T/statistics"),
            vec!["ol:dataset:get:ns1%2fdemo_user.T", "then dataset-statistics of the id of ns1%2fdemo_user.T"],
        ),
        (
            format!("{b}/datasets/ns1%2Fdemo_user.T/ddl"),
            vec!["ol:dataset:get:ns1%2Fdemo_user.T", "then dataset-ddl of the id of ns1%2Fdemo_user.T"],
        ),
        // An escaped non-ASCII name next to %2F stays escaped too.
        (
            format!("{b}/datasets/ns1%2Flab.Stra%C3%9Fe/ddl"),
            vec!["ol:dataset:get:ns1%2Flab.Stra%C3%9Fe", "then dataset-ddl of the id of ns1%2Flab.Stra%C3%9Fe"],
        ),
        (
            format!("{b}/lineage/e2ee0f524246c957%2Fdemo_user.DIM_CURRENCY/currency_cd?direction=upstream"),
            vec!["ol:lineage:graph:e2ee0f524246c957%2Fdemo_user.DIM_CURRENCY|currency_cd|upstream"],
        ),
        // The field segment stays escaped too, whatever it holds.
        (
            format!("{b}/lineage/ns1%2Fdemo_user.T/na%C3%AFve%20col?direction=downstream"),
            vec!["ol:lineage:graph:ns1%2Fdemo_user.T|na%C3%AFve%20col|downstream"],
        ),
        (format!("{b}/lineage/ns1%2Fdemo_user.T/100%25"), vec!["ol:lineage:graph:ns1%2Fdemo_user.T|100%25|both"]),
        // '|' sent as %7C stays %7C: the key is not ambiguous.
        (format!("{b}/lineage/ns1%2Fdemo_user.T/a%7Cb"), vec!["ol:lineage:graph:ns1%2Fdemo_user.T|a%7Cb|both"]),
        (format!("{b}/lineage/ns1%2Fdemo_user.T/a+b"), vec!["ol:lineage:graph:ns1%2Fdemo_user.T|a+b|both"]),
        // The escape in the second segment decides for the first as well.
        (format!("{b}/lineage/demo_user.T%20x/c%2Fd"), vec!["ol:lineage:graph:demo_user.T%20x|c%2Fd|both"]),
        (format!("{b}/namespaces/ab%2Fc/datasets?limit=5"), vec!["ol:dataset:list:ab%2Fc|5|0"]),
    ]);
}

#[test]
fn other_escapes_that_are_not_gos_default_leave_the_segments_as_sent() {
    let b = API_BASE;
    check(&[
        // lower-case hex
        (
            format!("{b}/lineage/demo_user.T/na%c3%afve"),
            vec!["ol:lineage:graph:demo_user.T|na%c3%afve|both"],
        ),
        // '+', '$' and letters need no escape in a path, so escaping them is not the default
        (
            format!("{b}/lineage/demo_user.T/a%2Bb"),
            vec!["ol:lineage:graph:demo_user.T|a%2Bb|both"],
        ),
        (
            format!("{b}/datasets/demo_user.T%24X"),
            vec![
                "ol:dataset:get:demo_user.T%24X",
                "ol:field:list:demo_user.T%24X",
            ],
        ),
        (
            format!("{b}/namespaces/ab%63"),
            vec!["ol:namespace:get:ab%63"],
        ),
        // '(' is escaped by default, so sending it bare is not the default either
        (
            format!("{b}/lineage/demo_user.T/f(x)"),
            vec!["ol:lineage:graph:demo_user.T|f(x)|both"],
        ),
        (
            format!("{b}/lineage/demo_user.T/f(x)%20y"),
            vec!["ol:lineage:graph:demo_user.T|f(x)%20y|both"],
        ),
    ]);
}

#[test]
fn gos_default_escaping_is_decoded() {
    let b = API_BASE;
    check(&[
        (
            format!("{b}/lineage/demo_user.T/100%25"),
            vec!["ol:lineage:graph:demo_user.T|100%|both"],
        ),
        (
            format!("{b}/lineage/demo_user.T/a+b"),
            vec!["ol:lineage:graph:demo_user.T|a+b|both"],
        ),
        (
            format!("{b}/lineage/demo_user.T/a%20b"),
            vec!["ol:lineage:graph:demo_user.T|a b|both"],
        ),
        (
            format!("{b}/lineage/demo_user.T/stra%C3%9Fe"),
            vec!["ol:lineage:graph:demo_user.T|straße|both"],
        ),
        (
            format!("{b}/datasets/demo_user.T$X"),
            vec![
                "ol:dataset:get:demo_user.T$X",
                "ol:field:list:demo_user.T$X",
            ],
        ),
        (
            format!("{b}/lineage/demo_user.T/a%3Fb"),
            vec!["ol:lineage:graph:demo_user.T|a?b|both"],
        ),
        // typed with a space or non-ASCII: taken as a browser sends it (%20, UTF-8 escapes)
        (
            format!("{b}/lineage/demo_user.T/a b"),
            vec!["ol:lineage:graph:demo_user.T|a b|both"],
        ),
        (
            format!("{b}/lineage/demo_user.T/naïve"),
            vec!["ol:lineage:graph:demo_user.T|naïve|both"],
        ),
        (
            format!("{b}/lineage/ns1%2Fdemo_user.T/naïve"),
            vec!["ol:lineage:graph:ns1%2Fdemo_user.T|na%C3%AFve|both"],
        ),
    ]);
}

#[test]
fn the_router_flag_and_the_escaped_slash_are_reported() {
    let v = Validation::default();
    let r = route(&format!("{API_BASE}/lineage/ns%2Fdb.T/c"), &v).unwrap();
    assert!(r.raw && r.escaped_slash());
    let r = route(&format!("{API_BASE}/lineage/db.T/c%2Bd"), &v).unwrap();
    assert!(r.raw && !r.escaped_slash());
    let r = route(&format!("{API_BASE}/lineage/db.T/c"), &v).unwrap();
    assert!(!r.raw && !r.escaped_slash());
}

#[test]
fn requests_the_api_rejects_are_errors() {
    let b = API_BASE;
    for url in [
        String::new(),
        "/api/v1/assets".to_string(),
        format!("{b}/unknown"),
        format!("{b}/namespaces/abc/datasets?limit=0"),
        format!("{b}/namespaces/abc/datasets?limit=501"),
        format!("{b}/namespaces/abc/datasets?offset=-1"),
        format!("{b}/datasets/search"),
        format!("{b}/datasets/search?q="),
        format!("{b}/lineage/d/f?direction=sideways"),
        format!("{b}/lineage/d/f?maxDepth=21"),
        format!("{b}/lineage/d/f?maxDepth=0"),
        // decoded '|' would make the key ambiguous
        format!("{b}/lineage/d%7Cx/f"),
        format!("{b}/lineage/d/a|b"),
        // a bare '/' splits the segment: no route
        format!("{b}/lineage/ns/demo.T/f"),
        format!("{b}/datasets/ns/demo.T"),
        // an escaped letter in a fixed segment makes chi match the raw path: no route
        format!("{b}/dataset%73/demo_user.T"),
        format!("{b}/%64atasets/demo_user.T"),
        format!("{b}/datasets/%FF"),
        format!("{b}/datasets/x%zz"),
        format!("{b}/datasets/search?q=%"),
    ] {
        assert!(
            keys(&url).is_err(),
            "{url} should be refused: {:?}",
            keys(&url)
        );
    }
}

#[test]
fn statistics_and_ddl_read_the_resolved_id_or_nothing_more() {
    let b = API_BASE;
    let routed = route(
        &format!("{b}/datasets/demo_user.T/statistics"),
        &Validation::default(),
    )
    .unwrap();
    assert_eq!(routed.resolves(), Some("demo_user.T"));
    let read: Vec<String> = routed
        .clone()
        .with_id(Some("ns1/demo_user.T"))
        .iter()
        .map(Key::render)
        .collect();
    assert_eq!(
        read,
        [
            "ol:dataset:get:demo_user.T",
            "ol:dataset:statistics:ns1/demo_user.T"
        ]
    );
    let none: Vec<String> = routed.with_id(None).iter().map(Key::render).collect();
    assert_eq!(none, ["ol:dataset:get:demo_user.T"]);
    let lineage = route(
        &format!("{b}/lineage/demo_user.T/c"),
        &Validation::default(),
    )
    .unwrap();
    assert_eq!(lineage.resolves(), None);
}
