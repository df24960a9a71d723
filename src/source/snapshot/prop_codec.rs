//! Property tests of the format: every snapshot round-trips, and no input makes `decode`
//! panic (random bytes, truncations, bit flips, and edits resealed with a valid checksum
//! so that they reach the section parsers).
use std::rc::Rc;

use proptest::collection::vec;
use proptest::prelude::*;

use super::tests::reseal;
use super::*;
use crate::model::{Dataset, Field, LineageRow, Namespace, Timestamp};

/// Strings of the shapes that matter: hex (packed), names, any Unicode, empty.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9a-f]{0,26}",
        "[a-z_.]{0,10}",
        "\\PC{0,6}",
        Just(String::new()),
    ]
}

fn time() -> impl Strategy<Value = Option<Timestamp>> {
    proptest::option::of(
        (any::<i64>(), 0u32..1_000_000_000).prop_map(|(secs, nanos)| Timestamp { secs, nanos }),
    )
}

/// Everything a snapshot is built from, drawn from a small pool of strings so that
/// strings, endpoints and rows repeat.
#[derive(Debug, Clone)]
struct Inputs {
    rows: Vec<LineageRow>,
    datasets: Vec<Dataset>,
    fields: Vec<Field>,
    namespaces: Vec<Namespace>,
    taken_at_ms: u64,
}

/// `N` strings picked from the pool.
fn picks<const N: usize>(pool: &Rc<[String]>) -> impl Strategy<Value = [String; N]> {
    let pool = Rc::clone(pool);
    vec(0..pool.len(), N).prop_map(move |ix| std::array::from_fn(|k| pool[ix[k]].clone()))
}

fn row(pool: &Rc<[String]>) -> impl Strategy<Value = LineageRow> {
    let conf = proptest::option::of(any::<f64>());
    (picks::<9>(pool), conf).prop_map(|([id, sn, sd, sf, tn, td, tf, tt, ts], c)| LineageRow {
        lineage_id: id,
        source_namespace: sn,
        source_dataset: sd,
        source_field: sf,
        target_namespace: tn,
        target_dataset: td,
        target_field: tf,
        transformation_type: tt,
        transformation_subtype: ts,
        confidence_score: c,
    })
}

fn dataset(pool: &Rc<[String]>) -> impl Strategy<Value = Dataset> {
    let parts = (picks::<5>(pool), time(), time(), any::<bool>());
    parts.prop_map(|([id, ns, name, description, ty], c, u, a)| Dataset {
        id,
        namespace_id: ns,
        name,
        description,
        source_type: ty,
        created_at: c,
        updated_at: u,
        is_active: a,
    })
}

fn field(pool: &Rc<[String]>) -> impl Strategy<Value = Field> {
    let parts = (picks::<5>(pool), any::<i64>(), any::<bool>(), time());
    parts.prop_map(|([id, ds, name, ty, description], o, nl, c)| Field {
        id,
        dataset_id: ds,
        name,
        field_type: ty,
        description,
        ordinal_position: o,
        nullable: nl,
        created_at: c,
    })
}

fn namespace(pool: &Rc<[String]>) -> impl Strategy<Value = Namespace> {
    (picks::<4>(pool), time()).prop_map(|([id, uri, description, spec], c)| Namespace {
        id,
        uri,
        description,
        spec_version: spec,
        created_at: c,
    })
}

fn inputs() -> impl Strategy<Value = Inputs> {
    vec(text(), 1..12).prop_flat_map(|pool| {
        let pool: Rc<[String]> = pool.into();
        let parts = (
            vec(row(&pool), 0..24),
            vec(dataset(&pool), 0..6),
            vec(field(&pool), 0..8),
            vec(namespace(&pool), 0..3),
            any::<u64>(),
        );
        parts.prop_map(|(rows, datasets, fields, namespaces, taken_at_ms)| Inputs {
            rows,
            datasets,
            fields,
            namespaces,
            taken_at_ms,
        })
    })
}

fn build(i: &Inputs) -> Snapshot {
    Snapshot::build(
        &i.rows,
        &i.datasets,
        &i.fields,
        &i.namespaces,
        i.taken_at_ms,
    )
}

/// A decoded snapshot is canonical: it survives its own round trip, and the diff and
/// seeds run on it.
fn check_canonical(s: &Snapshot) -> Result<(), TestCaseError> {
    prop_assert_eq!(&Snapshot::decode(&s.encode()), &Ok(s.clone()));
    let d = diff(s, s);
    prop_assert!(d.is_empty());
    prop_assert!(stale_graph_seeds(s, s, &d, 3).is_empty());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn round_trips(i in inputs()) {
        let s = build(&i);
        prop_assert_eq!(s.rows().len(), i.rows.len());
        let bytes = s.encode();
        prop_assert_eq!(Snapshot::decode(&bytes), Ok(s.clone()));
        let mut shuffled = i.clone();
        shuffled.rows.reverse();
        shuffled.fields.reverse();
        prop_assert_eq!(build(&shuffled).encode(), bytes, "the bytes are canonical");
    }

    #[test]
    fn damage_is_an_error(i in inputs(), at in any::<prop::sample::Index>(), bit in 0u8..8, cut in any::<prop::sample::Index>(), tail in vec(any::<u8>(), 1..4)) {
        let bytes = build(&i).encode();
        let mut flipped = bytes.clone();
        flipped[at.index(bytes.len())] ^= 1 << bit;
        prop_assert!(Snapshot::decode(&flipped).is_err());
        prop_assert!(Snapshot::decode(&bytes[..cut.index(bytes.len())]).is_err());
        let mut longer = bytes.clone();
        longer.extend_from_slice(&tail);
        prop_assert!(Snapshot::decode(&longer).is_err());
    }

    #[test]
    fn resealed_edits_never_panic(i in inputs(), edits in vec((any::<prop::sample::Index>(), any::<u8>()), 1..4), cut in any::<prop::sample::Index>()) {
        let bytes = build(&i).encode();
        let mut edited = bytes.clone();
        for (at, value) in &edits {
            let payload = edited.len() - codec::HEADER_LEN;
            if payload > 0 {
                edited[codec::HEADER_LEN + at.index(payload)] = *value;
            }
        }
        reseal(&mut edited);
        if let Ok(s) = Snapshot::decode(&edited) {
            check_canonical(&s)?;
        }
        let mut cut_short = bytes[..codec::HEADER_LEN + cut.index(bytes.len() - codec::HEADER_LEN + 1)].to_vec();
        reseal(&mut cut_short);
        if let Ok(s) = Snapshot::decode(&cut_short) {
            check_canonical(&s)?;
        }
    }

    #[test]
    fn random_bytes_are_an_error(mut bytes in vec(any::<u8>(), 0..300), magic in any::<bool>()) {
        if magic && bytes.len() >= 6 {
            bytes[..4].copy_from_slice(&MAGIC);
            bytes[4..6].copy_from_slice(&FORMAT_VERSION.to_le_bytes());
        }
        prop_assert!(Snapshot::decode(&bytes).is_err());
    }
}
