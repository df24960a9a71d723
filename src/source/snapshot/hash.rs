//! The snapshot's stable content hash: FNV-1a 64 over an unambiguous serialisation.
//!
//! The hash must stay the same across Rust versions and machines (a snapshot written by
//! one build is diffed by another), so it is written down here and never delegated to
//! `std::hash` (whose `DefaultHasher` may change between releases):
//! - FNV-1a 64: offset basis `0xcbf29ce484222325`, prime `0x100000001b3`, one byte at a
//!   time (`h ^= byte; h *= prime`, wrapping);
//! - a string: its byte length as a `u64` little-endian, then its UTF-8 bytes;
//! - a flag: one byte, 0 or 1; an integer: 8 bytes little-endian (`i64`/`u64`);
//! - an `Option<Timestamp>`: byte 0 for NULL, else byte 1, `secs` (`i64` LE), `nanos`
//!   (`u32` LE);
//! - a confidence score: byte 0 for NULL, else byte 1 and `f64::to_bits` (`u64` LE): the
//!   exact bits, so `0.0` and `-0.0` differ, as they do for the engine.
//!
//! Every input starts with a one-byte tag naming what is hashed, so that equal members of
//! different kinds never meet. The hash detects changes in our own tables: it is not
//! meant to resist anyone crafting collisions.
use crate::model::{Dataset, Field, LineageRow, Namespace, Timestamp};

const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0000_0100_0000_01b3;

/// An FNV-1a 64 hasher over the serialisation above.
pub(crate) struct Fnv(u64);

impl Fnv {
    /// A hasher for a value of kind `tag`.
    pub(crate) fn new(tag: u8) -> Self {
        let mut h = Fnv(OFFSET);
        h.bytes(&[tag]);
        h
    }

    fn bytes(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(PRIME);
        }
    }

    pub(crate) fn str(&mut self, s: &str) -> &mut Self {
        self.bytes(&(s.len() as u64).to_le_bytes());
        self.bytes(s.as_bytes());
        self
    }

    pub(crate) fn flag(&mut self, b: bool) -> &mut Self {
        self.bytes(&[u8::from(b)]);
        self
    }

    pub(crate) fn int(&mut self, i: i64) -> &mut Self {
        self.bytes(&i.to_le_bytes());
        self
    }

    fn time(&mut self, t: Option<Timestamp>) -> &mut Self {
        match t {
            None => self.bytes(&[0]),
            Some(t) => {
                self.bytes(&[1]);
                self.bytes(&t.secs.to_le_bytes());
                self.bytes(&t.nanos.to_le_bytes());
            }
        }
        self
    }

    fn score(&mut self, c: Option<f64>) -> &mut Self {
        match c {
            None => self.bytes(&[0]),
            Some(c) => {
                self.bytes(&[1]);
                self.bytes(&c.to_bits().to_le_bytes());
            }
        }
        self
    }

    pub(crate) fn finish(&self) -> u64 {
        self.0
    }
}

/// Tags of the hashed kinds.
const ATTRS: u8 = b'L';
const DATASET: u8 = b'D';
const FIELD: u8 = b'F';
const NAMESPACE: u8 = b'N';

/// What a graph edge shows of a row besides its id and endpoints: transformation type,
/// subtype, confidence score (exact bits or NULL).
pub fn attrs_hash(row: &LineageRow) -> u64 {
    Fnv::new(ATTRS)
        .str(&row.transformation_type)
        .str(&row.transformation_subtype)
        .score(row.confidence_score)
        .finish()
}

/// What a dataset's JSON shows besides its identity (`id`, `name`, `namespaceId`, kept
/// apart): description, source type, created, updated, active flag.
pub fn dataset_hash(d: &Dataset) -> u64 {
    Fnv::new(DATASET)
        .str(&d.description)
        .str(&d.source_type)
        .time(d.created_at)
        .time(d.updated_at)
        .flag(d.is_active)
        .finish()
}

/// What a field's JSON shows besides its identity (dataset id, name, kept apart): its
/// `id`, type, description, ordinal position, nullable flag, created.
pub fn field_hash(f: &Field) -> u64 {
    Fnv::new(FIELD)
        .str(&f.id)
        .str(&f.field_type)
        .str(&f.description)
        .int(f.ordinal_position)
        .flag(f.nullable)
        .time(f.created_at)
        .finish()
}

/// What a namespace's JSON shows besides its id: URI, description, spec version, created.
pub fn namespace_hash(n: &Namespace) -> u64 {
    Fnv::new(NAMESPACE)
        .str(&n.uri)
        .str(&n.description)
        .str(&n.spec_version)
        .time(n.created_at)
        .finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_known_values() {
        // The published FNV-1a 64 test vectors, through the raw byte path.
        let raw = |s: &[u8]| {
            let mut h = Fnv(OFFSET);
            h.bytes(s);
            h.finish()
        };
        assert_eq!(raw(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(raw(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(raw(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn strings_are_length_prefixed() {
        let two = |a: &str, b: &str| Fnv::new(0).str(a).str(b).finish();
        assert_ne!(two("ab", "c"), two("a", "bc"));
        assert_ne!(two("", "x"), two("x", ""));
    }

    #[test]
    fn stable_values_pinned() {
        // A change here changes every stored snapshot's meaning: bump the format version.
        let row = LineageRow {
            transformation_type: "DIRECT".into(),
            transformation_subtype: "IDENTITY".into(),
            confidence_score: Some(0.95),
            ..LineageRow::default()
        };
        assert_eq!(attrs_hash(&row), PINNED_ATTRS);
        let mut zero = row.clone();
        zero.confidence_score = Some(0.0);
        let mut negative = row.clone();
        negative.confidence_score = Some(-0.0);
        let mut null = row;
        null.confidence_score = None;
        let all = [&zero, &negative, &null].map(attrs_hash);
        assert!(all[0] != all[1] && all[1] != all[2] && all[0] != all[2]);
    }

    /// Computed independently (Python) from the serialisation in the module doc.
    const PINNED_ATTRS: u64 = 1_337_210_042_546_827_698;
}
