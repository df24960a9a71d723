//! Property tests: every encoded value parses as JSON and decodes back to the same data.
use super::tests_write::{finite, text};
use super::*;
use crate::keys::Kind;
use crate::model::*;
use proptest::prelude::*;

fn time() -> impl Strategy<Value = Option<Timestamp>> {
    let some = (
        -62_135_596_799i64..253_402_300_800,
        prop_oneof![Just(0u32), 0u32..1_000_000_000],
    )
        .prop_map(|(secs, nanos)| Some(Timestamp { secs, nanos }));
    prop_oneof![Just(None), some]
}

fn node() -> impl Strategy<Value = Node> {
    let meta = prop::collection::btree_map(text(), text(), 0..3);
    (text(), text(), text(), text(), meta).prop_map(|(id, namespace, dataset, field, metadata)| {
        Node {
            id,
            namespace,
            dataset,
            field,
            metadata,
        }
    })
}

fn edge() -> impl Strategy<Value = Edge> {
    let score = prop_oneof![
        Just(None),
        finite()
            .prop_filter("Go omits 0", |v| *v != 0.0)
            .prop_map(Some)
    ];
    (text(), text(), text(), text(), text(), score).prop_map(
        |(id, source, target, t, st, score)| Edge {
            id,
            source,
            target,
            transformation_type: t,
            transformation_subtype: st,
            confidence_score: score,
        },
    )
}

fn dataset_s() -> impl Strategy<Value = Dataset> {
    (
        text(),
        text(),
        text(),
        text(),
        text(),
        time(),
        time(),
        any::<bool>(),
    )
        .prop_map(
            |(
                id,
                namespace_id,
                name,
                description,
                source_type,
                created_at,
                updated_at,
                is_active,
            )| Dataset {
                id,
                namespace_id,
                name,
                description,
                source_type,
                created_at,
                updated_at,
                is_active,
            },
        )
}

fn statistics_s() -> impl Strategy<Value = Statistics> {
    let texts = (text(), text(), text(), text(), text(), text());
    let ints = (any::<Option<i64>>(), any::<Option<i64>>());
    (texts, time(), time(), ints).prop_map(|((d, db, t, st, c, tc), ct, lt, (rc, sb))| Statistics {
        dataset_id: d,
        database_name: db,
        table_name: t,
        source_type: st,
        creator_name: c,
        create_timestamp: ct,
        last_alter_timestamp: lt,
        row_count: rc,
        size_bytes: sb,
        table_comment: tc,
    })
}

fn ddl_s() -> impl Strategy<Value = Ddl> {
    let texts = (text(), text(), text(), text(), text(), text(), text());
    (
        texts,
        any::<bool>(),
        prop::collection::btree_map(text(), text(), 0..4),
    )
        .prop_map(
            |((d, db, t, st, vs, td, tc), truncated, column_comments)| Ddl {
                dataset_id: d,
                database_name: db,
                table_name: t,
                source_type: st,
                view_sql: vs,
                table_ddl: td,
                truncated,
                table_comment: tc,
                column_comments,
            },
        )
}

/// Plain time members read the zero time back as NULL: compare modulo that.
fn plain(t: Option<Timestamp>) -> Option<Timestamp> {
    t.filter(|t| Timestamp::parse("0001-01-01 00:00:00") != Some(*t))
}

proptest! {
    #[test]
    fn graphs_round_trip(nodes in prop::collection::vec(node(), 0..4), edges in prop::collection::vec(edge(), 0..4)) {
        let g = Graph { nodes, edges };
        let bytes = g.to_json();
        prop_assert!(serde_json::from_slice::<serde_json::Value>(&bytes).is_ok());
        prop_assert_eq!(decode_graph(&bytes), Ok(g));
    }

    #[test]
    fn datasets_and_pages_round_trip(ds in prop::collection::vec(dataset_s(), 0..4), total in any::<i64>()) {
        let want: Vec<Dataset> = ds.iter().cloned().map(|d| Dataset {
            created_at: plain(d.created_at), updated_at: plain(d.updated_at), ..d
        }).collect();
        let page = DatasetPage { datasets: ds, total };
        let bytes = page.to_json();
        prop_assert_eq!(decode_value(Kind::DatasetList, &bytes), Ok(Decoded::Page(DatasetPage { datasets: want, total })));
    }

    #[test]
    fn statistics_and_ddl_round_trip(s in statistics_s(), d in ddl_s()) {
        let bytes = s.to_json();
        let got = decode_value(Kind::DatasetStatistics, &bytes);
        prop_assert!(got.as_ref().is_ok_and(|g| g.is_canonical(&bytes)));
        prop_assert_eq!(got, Ok(Decoded::Statistics(s)));
        let bytes = d.to_json();
        prop_assert_eq!(decode_value(Kind::DatasetDdl, &bytes), Ok(Decoded::Ddl(d)));
    }

    #[test]
    fn namespaces_and_fields_round_trip(id in text(), desc in text(), t in time(), pos in any::<i64>(), b in any::<bool>()) {
        let ns = vec![Namespace { id: id.clone(), uri: desc.clone(), description: desc.clone(), spec_version: id.clone(), created_at: t }];
        let want = vec![Namespace { created_at: plain(t), ..ns[0].clone() }];
        prop_assert_eq!(decode_value(Kind::NamespaceList, &ns.to_json()), Ok(Decoded::Namespaces(want)));
        let fields = vec![Field { id: id.clone(), dataset_id: desc.clone(), name: id, field_type: desc.clone(),
            description: desc, ordinal_position: pos, nullable: b, created_at: t }];
        let want = vec![Field { created_at: plain(t), ..fields[0].clone() }];
        prop_assert_eq!(decode_value(Kind::FieldList, &fields.to_json()), Ok(Decoded::Fields(want)));
    }
}
