//! Unit tests of the snapshot: building and the format's checks (the diff and the seeds:
//! `tests_diff.rs`).
use super::codec::{checksum, CHECKSUM_AT, HEADER_LEN};
use super::*;
use crate::model::{Dataset, Field, LineageRow, Namespace, Timestamp};

/// A row `id: sd.sf -> td.tf` in namespace `ns`, DIRECT/IDENTITY, confidence 0.5.
pub(super) fn row(id: &str, (sd, sf): (&str, &str), (td, tf): (&str, &str)) -> LineageRow {
    LineageRow {
        lineage_id: id.into(),
        source_namespace: "ns".into(),
        source_dataset: sd.into(),
        source_field: sf.into(),
        target_namespace: "ns".into(),
        target_dataset: td.into(),
        target_field: tf.into(),
        transformation_type: "DIRECT".into(),
        transformation_subtype: "IDENTITY".into(),
        confidence_score: Some(0.5),
    }
}

pub(super) fn dataset(ns: &str, name: &str, description: &str) -> Dataset {
    Dataset {
        id: format!("{ns}/{name}"),
        namespace_id: ns.into(),
        name: name.into(),
        description: description.into(),
        source_type: "TABLE".into(),
        created_at: Timestamp::parse("2026-01-15 10:00:00"),
        updated_at: Timestamp::parse("2026-01-15 10:00:00"),
        is_active: true,
    }
}

pub(super) fn field(dataset_id: &str, name: &str, position: i64) -> Field {
    Field {
        id: format!("{dataset_id}/{name}"),
        dataset_id: dataset_id.into(),
        name: name.into(),
        field_type: "INTEGER".into(),
        ordinal_position: position,
        nullable: true,
        ..Field::default()
    }
}

pub(super) fn namespace(id: &str) -> Namespace {
    Namespace {
        id: id.into(),
        uri: format!("teradata://{id}"),
        spec_version: "2-0-2".into(),
        ..Namespace::default()
    }
}

pub(super) fn snap(rows: &[LineageRow]) -> Snapshot {
    Snapshot::build(rows, &[], &[], &[], 7)
}

/// Rewrite the header's payload length and checksum after editing an encoding.
pub(super) fn reseal(bytes: &mut [u8]) {
    let len = (bytes.len() - HEADER_LEN) as u64;
    bytes[70..78].copy_from_slice(&len.to_le_bytes());
    let sum = checksum(&bytes[..CHECKSUM_AT], &bytes[HEADER_LEN..]);
    bytes[CHECKSUM_AT..HEADER_LEN].copy_from_slice(&sum);
}

pub(super) fn sample() -> Snapshot {
    let rows = [
        row("aa01", ("db.t", "x"), ("db.u", "y")),
        row("aa01", ("db.t", "x"), ("db.u", "y")),
        row("0f", ("db.u", "y"), ("db.v", "naïve \"z\"")),
    ];
    let datasets = [dataset("n1", "db.t", ""), dataset("n1", "db.u", "d")];
    let fields = [field("n1/db.t", "x", 1), field("n1/db.u", "y", 1)];
    Snapshot::build(
        &rows,
        &datasets,
        &fields,
        &[namespace("n1")],
        1_767_000_000_000,
    )
}

#[test]
fn build_is_canonical_and_keeps_repeats() {
    let mut rows = vec![
        row("b", ("d", "1"), ("d", "2")),
        row("a", ("d", "2"), ("d", "3")),
        row("b", ("d", "1"), ("d", "2")),
    ];
    let one = snap(&rows);
    rows.reverse();
    assert_eq!(one, snap(&rows));
    assert_eq!(one.rows().len(), 3, "the repeated row is kept");
    let first = one.row(0).unwrap();
    assert_eq!((first.lineage_id, first.source.2), ("a", "2"));
    assert_eq!(one.sym("d"), Some(one.rows()[0].source.dataset));
    assert_eq!(one.sym("nope"), None);
    assert!(one.row(3).is_none());
}

#[test]
fn encoding_round_trips() {
    for s in [Snapshot::default(), sample()] {
        let bytes = s.encode();
        assert_eq!(&bytes[..4], b"LCSN");
        assert_eq!(Snapshot::decode(&bytes), Ok(s));
    }
    assert_eq!(
        Snapshot::decode(&sample().encode()).unwrap().taken_at_ms(),
        1_767_000_000_000
    );
}

/// `sample()`'s encoding after `edit`, decoded.
fn decode_edited(edit: &dyn Fn(&mut Vec<u8>)) -> Result<Snapshot, SnapshotError> {
    let mut b = sample().encode();
    edit(&mut b);
    Snapshot::decode(&b)
}

#[test]
fn decode_names_each_header_defect() {
    let with = decode_edited;
    assert_eq!(with(&|b| b[0] = b'X'), Err(SnapshotError::BadMagic));
    let version = Err(SnapshotError::Version { found: 2 });
    assert_eq!(with(&|b| b[4] = 2), version);
    assert_eq!(with(&|b| b.truncate(40)), Err(SnapshotError::Truncated));
    let longer = with(&|b| b.push(0));
    assert!(matches!(longer, Err(SnapshotError::Length { .. })));
    let flipped = with(&|b| *b.last_mut().unwrap() ^= 1);
    assert_eq!(flipped, Err(SnapshotError::Checksum));
    let stamp = with(&|b| b[8] ^= 1);
    assert_eq!(stamp, Err(SnapshotError::Checksum), "the header is covered");
}

#[test]
fn resealed_defects_reach_the_parser() {
    let shorter = decode_edited(&|b| {
        b.pop();
        reseal(b);
    });
    assert!(shorter.is_err());
    let longer = decode_edited(&|b| {
        b.push(0);
        reseal(b);
    });
    assert!(longer.is_err());
    // The string count raised: the payload cannot hold that many.
    let counted = decode_edited(&|b| {
        b[14..22].copy_from_slice(&u64::MAX.to_le_bytes());
        reseal(b);
    });
    assert!(matches!(counted, Err(SnapshotError::Malformed(_))));
}

#[test]
fn decode_rejects_unsorted_and_out_of_range() {
    let s = sample();
    let mut b = s.encode();
    // The first string is "0f" (hex): turn its shared-prefix varint (0) into 5, more
    // than the empty predecessor holds.
    assert_eq!(b[HEADER_LEN], 0);
    b[HEADER_LEN] = 5;
    reseal(&mut b);
    assert!(matches!(
        Snapshot::decode(&b),
        Err(SnapshotError::Malformed(_))
    ));
    // The last field's content hash follows its name index: point that index past the
    // string table.
    let mut b = s.encode();
    let at = b.len() - 9;
    b[at] = 0x7f;
    reseal(&mut b);
    assert_eq!(Snapshot::decode(&b), Err(SnapshotError::OutOfRange));
}
