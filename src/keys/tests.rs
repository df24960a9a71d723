//! Key builder and parser tests: every kind against the contract, ambiguity, globs, and
//! property tests that parsing a built key gives its parameters back.
use proptest::prelude::*;

use super::*;

fn lineage(d: &str, f: &str, dir: Direction) -> Key {
    Key::LineageGraph {
        dataset: d.into(),
        field: f.into(),
        direction: dir,
    }
}

#[test]
fn every_kind_matches_the_contract() {
    let ds = "a1b2c3d4e5f60718/demo_user.STG_ORDERS".to_string();
    let cases = [
        (Key::NamespaceList, "ol:namespace:list"),
        (
            Key::NamespaceGet {
                namespace: "a1b2".into(),
            },
            "ol:namespace:get:a1b2",
        ),
        (
            Key::DatasetList {
                namespace: "a1b2".into(),
                limit: 100,
                offset: 0,
            },
            "ol:dataset:list:a1b2|100|0",
        ),
        (
            Key::DatasetSearch {
                query: "ORDERS".into(),
                limit: 50,
            },
            "ol:dataset:search:ORDERS|50",
        ),
        (
            Key::DatasetGet {
                dataset: ds.clone(),
            },
            "ol:dataset:get:a1b2c3d4e5f60718/demo_user.STG_ORDERS",
        ),
        (
            Key::FieldList {
                dataset: ds.clone(),
            },
            "ol:field:list:a1b2c3d4e5f60718/demo_user.STG_ORDERS",
        ),
        (
            Key::DatasetStatistics {
                dataset: ds.clone(),
            },
            "ol:dataset:statistics:a1b2c3d4e5f60718/demo_user.STG_ORDERS",
        ),
        (
            Key::DatasetDdl {
                dataset: ds.clone(),
            },
            "ol:dataset:ddl:a1b2c3d4e5f60718/demo_user.STG_ORDERS",
        ),
        (
            lineage("demo_user.STG_ORDERS", "order_id", Direction::Upstream),
            "ol:lineage:graph:demo_user.STG_ORDERS|order_id|upstream",
        ),
    ];
    for (key, text) in cases {
        assert_eq!(key.build().unwrap(), text);
        assert_eq!(parse(text), Parsed::Key(key.clone()), "{text}");
    }
}

#[test]
fn ttl_classes() {
    let t = Ttls::default();
    assert_eq!(Kind::LineageGraph.ttl_class().seconds(&t), 1800);
    assert_eq!(Kind::DatasetSearch.ttl_class().seconds(&t), 300);
    assert_eq!(Kind::DatasetDdl.ttl_class().seconds(&t), 1800);
    assert_eq!(Kind::DatasetStatistics.ttl_class().seconds(&t), 900);
    assert_eq!(Kind::FieldList.ttl_class(), TtlClass::Assets);
}

#[test]
fn pipes_in_composite_parameters_are_refused() {
    assert_eq!(
        lineage("a|b", "c", Direction::Both).build(),
        Err(KeyError::Pipe { param: "dataset" })
    );
    assert_eq!(
        lineage("a", "b|c", Direction::Both).build(),
        Err(KeyError::Pipe { param: "field" })
    );
    let search = Key::DatasetSearch {
        query: "A|B".into(),
        limit: 100,
    };
    assert!(search.build().is_err());
    // A non-composite key may hold a pipe: the value is inserted verbatim.
    assert_eq!(
        Key::DatasetGet {
            dataset: "x|y".into()
        }
        .build()
        .unwrap(),
        "ol:dataset:get:x|y"
    );
}

#[test]
fn ambiguous_and_unknown_keys_are_reported() {
    match parse("ol:lineage:graph:a|b|c|both") {
        Parsed::Ambiguous { kind, readings } => {
            assert_eq!(kind, Kind::LineageGraph);
            assert_eq!(
                readings,
                vec![
                    lineage("a", "b|c", Direction::Both),
                    lineage("a|b", "c", Direction::Both)
                ]
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        parse("ol:dataset:search:A|B|100"),
        Parsed::Ambiguous { .. }
    ));
    for k in [
        "ol:lineage:graph:a|b|sideways",
        "ol:lineage:graph:a|both",
        "ol:dataset:list:ns|0|0",
        "ol:dataset:list:ns|100|-1",
        "ol:dataset:list:ns|0100|0",
        "ol:dataset:search:lower|100",
        "ol:dataset:get:",
        "ol:other:thing",
        "ol:namespace:list:extra",
    ] {
        assert!(
            matches!(parse(k), Parsed::Unknown { .. }),
            "{k}: {:?}",
            parse(k)
        );
    }
    for k in [
        "olx:lineage:graph:a|b|both",
        "ol-other:x",
        "session:abc",
        "",
    ] {
        assert_eq!(parse(k), Parsed::Foreign, "{k}");
    }
}

#[test]
fn glob_escaping_and_prefix_check() {
    assert_eq!(glob_escape(r"a*b?c[d]e\f"), r"a\*b\?c\[d\]e\\f");
    assert!(glob_within_prefix("ol:*"));
    assert!(glob_within_prefix("ol:lineage:graph:*"));
    assert!(glob_within_prefix(r"o\l:*"));
    assert!(!glob_within_prefix("*"));
    assert!(!glob_within_prefix("o*"));
    assert!(!glob_within_prefix("ol*"));
    assert!(!glob_within_prefix("o[l]:*"));
    assert!(!glob_within_prefix("?l:*"));
    assert!(!glob_within_prefix("session:*"));
}

#[test]
fn column_split_uses_the_last_slash() {
    assert_eq!(split_column("ns/db.t/col"), Some(("ns/db.t", "col")));
    assert_eq!(split_column("db.t/col"), Some(("db.t", "col")));
    assert_eq!(split_column("db.t"), None);
    assert_eq!(split_column("db.t/"), None);
}

#[test]
fn go_atoi_accepts_what_go_accepts() {
    assert_eq!(go_atoi("+5"), Some(5));
    assert_eq!(go_atoi("007"), Some(7));
    assert_eq!(go_atoi("-3"), Some(-3));
    assert_eq!(go_atoi(" 5"), None);
    assert_eq!(go_atoi("5x"), None);
    assert_eq!(go_atoi(""), None);
    assert_eq!(go_atoi("+"), None);
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), "[a-z|:/.*?\\[\\]\\\\ ]{0,12}", "\\PC{1,8}"]
}

fn any_direction() -> impl Strategy<Value = Direction> {
    prop_oneof![
        Just(Direction::Upstream),
        Just(Direction::Downstream),
        Just(Direction::Both)
    ]
}

fn any_key() -> impl Strategy<Value = Key> {
    prop_oneof![
        Just(Key::NamespaceList),
        any_text().prop_map(|namespace| Key::NamespaceGet { namespace }),
        (any_text(), 1u32..=500, any::<u64>()).prop_map(|(namespace, limit, offset)| {
            Key::DatasetList {
                namespace,
                limit,
                offset,
            }
        }),
        (any_text(), 1u32..=500).prop_map(|(q, limit)| Key::DatasetSearch {
            query: crate::keys::search::search_query(&q),
            limit
        }),
        any_text().prop_map(|dataset| Key::DatasetGet { dataset }),
        any_text().prop_map(|dataset| Key::FieldList { dataset }),
        any_text().prop_map(|dataset| Key::DatasetStatistics { dataset }),
        any_text().prop_map(|dataset| Key::DatasetDdl { dataset }),
        (any_text(), any_text(), any_direction()).prop_map(|(dataset, field, direction)| {
            Key::LineageGraph {
                dataset,
                field,
                direction,
            }
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn parsing_a_built_key_gives_its_parameters_back(key in any_key()) {
        if let Ok(text) = key.build() {
            prop_assert_eq!(parse(&text), Parsed::Key(key));
        } else {
            // Refused only for a reason the contract gives.
            prop_assert!(key.validate().is_err());
        }
    }

    #[test]
    fn different_parameters_never_build_the_same_key(a in any_key(), b in any_key()) {
        if let (Ok(ta), Ok(tb)) = (a.build(), b.build()) {
            prop_assert_eq!(ta == tb, a == b);
        }
    }

    #[test]
    fn parse_never_panics_and_round_trips_what_it_accepts(text in any_text()) {
        let key = format!("ol:{text}");
        if let Parsed::Key(k) = parse(&key) {
            prop_assert_eq!(k.render(), key);
        }
    }

    #[test]
    fn escaped_values_match_only_themselves(v in any_text()) {
        let pattern = glob_escape(&v);
        prop_assert!(glob_matches(pattern.as_bytes(), v.as_bytes()));
    }
}

/// A minimal Redis glob matcher (`*`, `?`, `[...]`, `\`) to check escaping.
fn glob_matches(p: &[u8], s: &[u8]) -> bool {
    match p.first() {
        None => s.is_empty(),
        Some(b'*') => (0..=s.len()).any(|i| glob_matches(&p[1..], &s[i..])),
        Some(b'?') => !s.is_empty() && glob_matches(&p[1..], &s[1..]),
        Some(b'\\') if p.len() > 1 => s.first() == Some(&p[1]) && glob_matches(&p[2..], &s[1..]),
        Some(b'[') => false, // never produced by glob_escape for literal text
        Some(c) => s.first() == Some(c) && glob_matches(&p[1..], &s[1..]),
    }
}
