//! Selection tests: which keys each selector covers, and nothing outside the prefix.
use super::*;

fn sel(f: impl FnOnce(&mut SelectionSpec)) -> Selection {
    let mut a = SelectionSpec::default();
    f(&mut a);
    Selection::check(&a, &Validation::default()).unwrap()
}

const ID: &str = "0123456789abcdef/demo_user.STG_ORDERS";

fn universe() -> Vec<String> {
    [
        "ol:namespace:list",
        "ol:namespace:get:0123456789abcdef",
        "ol:namespace:get:fedcba9876543210",
        "ol:dataset:list:0123456789abcdef|100|0",
        "ol:dataset:list:fedcba9876543210|100|0",
        "ol:dataset:search:ORDERS|100",
        "ol:dataset:search:STG_|100",
        "ol:dataset:search:CUSTOMER|100",
        "ol:dataset:get:0123456789abcdef/demo_user.STG_ORDERS",
        "ol:dataset:get:demo_user.STG_ORDERS",
        "ol:dataset:get:demo_user.STG_ORDERS_X",
        "ol:field:list:0123456789abcdef/demo_user.STG_ORDERS",
        "ol:dataset:statistics:demo_user.STG_ORDERS",
        "ol:dataset:ddl:0123456789abcdef/demo_user.STG_ORDERS",
        "ol:lineage:graph:0123456789abcdef/demo_user.STG_ORDERS|order_id|both",
        "ol:lineage:graph:demo_user.STG_ORDERS|amount|upstream",
        "ol:lineage:graph:demo_user.DIM_CUSTOMER|id|upstream",
        "olx:dataset:get:demo_user.STG_ORDERS",
        "ol-other:demo_user.STG_ORDERS",
        "session:abc",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn picked(s: &Selection) -> Vec<String> {
    universe()
        .into_iter()
        .filter(|k| s.matches_key(k))
        .collect()
}

#[test]
fn dataset_covers_both_forms_lists_and_searches() {
    let s = sel(|a| a.datasets = vec![ID.into()]);
    assert_eq!(
        picked(&s),
        vec![
            "ol:dataset:list:0123456789abcdef|100|0",
            "ol:dataset:search:ORDERS|100",
            "ol:dataset:search:STG_|100",
            "ol:dataset:get:0123456789abcdef/demo_user.STG_ORDERS",
            "ol:dataset:get:demo_user.STG_ORDERS",
            "ol:field:list:0123456789abcdef/demo_user.STG_ORDERS",
            "ol:dataset:statistics:demo_user.STG_ORDERS",
            "ol:dataset:ddl:0123456789abcdef/demo_user.STG_ORDERS",
            "ol:lineage:graph:0123456789abcdef/demo_user.STG_ORDERS|order_id|both",
            "ol:lineage:graph:demo_user.STG_ORDERS|amount|upstream",
        ]
    );
    // By name: the id form of any namespace matches, and every namespace's list pages.
    let by_name = sel(|a| a.datasets = vec!["demo_user.STG_ORDERS".into()]);
    let p = picked(&by_name);
    assert!(p.contains(&"ol:dataset:get:0123456789abcdef/demo_user.STG_ORDERS".to_string()));
    assert!(p.contains(&"ol:dataset:list:fedcba9876543210|100|0".to_string()));
    assert!(!p
        .iter()
        .any(|k| k.contains("STG_ORDERS_X") || !k.starts_with("ol:")));
}

#[test]
fn field_namespace_kind_and_key_selectors() {
    let s = sel(|a| a.fields = vec![format!("{ID}/order_id")]);
    assert_eq!(
        picked(&s),
        vec!["ol:lineage:graph:0123456789abcdef/demo_user.STG_ORDERS|order_id|both"]
    );
    let s = sel(|a| a.namespaces = vec!["fedcba9876543210".into()]);
    assert_eq!(
        picked(&s),
        vec![
            "ol:namespace:list",
            "ol:namespace:get:fedcba9876543210",
            "ol:dataset:list:fedcba9876543210|100|0"
        ]
    );
    let s = sel(|a| a.kinds = vec![Kind::DatasetSearch]);
    assert_eq!(picked(&s).len(), 3);
    assert_eq!(s.scan_pattern(), "ol:dataset:search:*");
    let s = sel(|a| a.all = true);
    assert_eq!(picked(&s).len(), 17);
    assert_eq!(s.scan_pattern(), "ol:*");
}

#[test]
fn selections_never_leave_the_prefix() {
    let mut a = SelectionSpec {
        pattern: Some("*".into()),
        ..Default::default()
    };
    assert!(Selection::check(&a, &Validation::default()).is_err());
    a.pattern = None;
    a.keys = vec!["session:abc".into()];
    assert!(Selection::check(&a, &Validation::default()).is_err());
    let s = sel(|a| a.pattern = Some("ol:dataset:*".into()));
    assert!(!picked(&s).iter().any(|k| !k.starts_with("ol:dataset:")));
    assert_eq!(s.scan_pattern(), "ol:dataset:*");
}

#[test]
fn touching_reads_graph_nodes() {
    let (d, f) = parse_touching("demo_user.STG_ORDERS").unwrap();
    assert_eq!((d.name.as_str(), f), ("demo_user.STG_ORDERS", None));
    let (d, f) = parse_touching(&format!("{ID}/order_id")).unwrap();
    assert_eq!(
        (d.name.as_str(), f.as_deref()),
        ("demo_user.STG_ORDERS", Some("order_id"))
    );
    let (d, f) = parse_touching("demo_user.T/col").unwrap();
    assert_eq!(
        (d.name.as_str(), f.as_deref()),
        ("demo_user.T", Some("col"))
    );
    let graph = br#"{"nodes":[{"id":"a.b/c","type":"field","namespace":"","dataset":"a.b","field":"c"}],"edges":[]}"#;
    assert!(graph_touches(graph, &[parse_touching("a.b").unwrap()]));
    assert!(graph_touches(graph, &[parse_touching("a.b/c").unwrap()]));
    assert!(!graph_touches(graph, &[parse_touching("a.b/d").unwrap()]));
    assert!(!graph_touches(
        b"not json",
        &[parse_touching("a.b").unwrap()]
    ));
}

#[test]
fn keys_file_lines_are_checked_with_their_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("keys.txt");
    std::fs::write(
        &p,
        "# hot columns\nol:namespace:list\n\n/api/v2/openlineage/datasets/x.y\ndemo.T/col\n",
    )
    .unwrap();
    let items = read_keys_file(&p, &Validation::default()).unwrap();
    assert_eq!(items.len(), 4);
    assert_eq!(items[3], FileItem::Column("demo.T".into(), "col".into()));
    std::fs::write(
        &p,
        "ol:namespace:list\nnonsense\nol:lineage:graph:a|b|sideways\n",
    )
    .unwrap();
    let e = read_keys_file(&p, &Validation::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("line 2:") && e.contains("line 3:"), "{e}");
}

#[test]
fn redis_glob_semantics() {
    assert!(glob_match(b"ol:*", b"ol:x"));
    assert!(glob_match(b"h?llo", b"hello"));
    assert!(glob_match(b"h[ae]llo", b"hallo"));
    assert!(!glob_match(b"h[^e]llo", b"hello"));
    assert!(glob_match(b"h[a-b]llo", b"hbllo"));
    assert!(glob_match(br"a\*b", b"a*b"));
    assert!(!glob_match(br"a\*b", b"axb"));
}

#[test]
fn the_pages_pattern_matches_pages_only() {
    let m = |k: &str| {
        crate::select::glob_match(crate::route::forms::PAGES_PATTERN.as_bytes(), k.as_bytes())
    };
    assert!(m("ol:dataset:list:ns|100|0"));
    assert!(m("ol:dataset:search:DB|100"));
    for k in [
        "ol:dataset:statistics:x",
        "ol:dataset:get:x",
        "ol:dataset:ddl:x",
        "ol:field:list:x",
    ] {
        assert!(!m(k), "{k}");
    }
}

#[test]
fn page_sizes_and_kinds_narrow_every_selector_exact_keys_too() {
    // Only pages of the limits given go; keys of other kinds are not pages.
    let s = sel(|a| a.all = true).with_page_sizes(&[20, 500]).unwrap();
    let p = picked(&s);
    assert_eq!(p.len(), 17 - 5, "{p:?}");
    assert!(!p
        .iter()
        .any(|k| k.starts_with("ol:dataset:list:") || k.contains(":search:")));
    assert!(p.contains(&"ol:namespace:list".to_string()));
    let s = sel(|a| a.datasets = vec![ID.into()])
        .with_page_sizes(&[100])
        .unwrap();
    assert!(picked(&s).contains(&"ol:dataset:list:0123456789abcdef|100|0".to_string()));
    assert!(sel(|_| {}).with_page_sizes(&[0]).is_err());
    assert!(sel(|_| {}).with_page_sizes(&[501]).is_err());
    // Keys named exactly are narrowed as a scan narrows them.
    let keys = vec![
        "ol:dataset:get:demo_user.STG_ORDERS".to_string(),
        "ol:dataset:list:ns|50|0".to_string(),
        "ol:dataset:search:X|20".to_string(),
    ];
    let s = sel(|a| a.keys = keys.clone());
    assert_eq!(s.exact_keys().len(), 3);
    let s = sel(|a| a.keys = keys.clone())
        .with_page_sizes(&[20])
        .unwrap();
    assert_eq!(
        s.exact_keys(),
        [
            "ol:dataset:get:demo_user.STG_ORDERS",
            "ol:dataset:search:X|20"
        ]
    );
    let s = sel(|a| {
        a.keys = keys.clone();
        a.kinds = vec![Kind::LineageGraph];
    });
    assert!(s.exact_keys().is_empty());
    for k in &keys {
        assert_eq!(s.exact_keys().contains(k), s.matches_key(k));
    }
}
