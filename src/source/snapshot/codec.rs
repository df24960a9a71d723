//! The snapshot's binary format and its encoder ([`decode`](super::decode) reads it back).
//!
//! # Layout (version 1; integers little-endian, "varint" is unsigned LEB128)
//! Header, 86 bytes:
//!
//! | offset | size | field |
//! |---|---|---|
//! | 0 | 4 | magic `LCSN` |
//! | 4 | 2 | format version (`u16`, 1) |
//! | 6 | 8 | `taken_at_ms` (`u64`) |
//! | 14 | 7 × 8 | counts (`u64`): strings, attributes, endpoints, rows, namespaces, datasets, fields |
//! | 70 | 8 | payload length in bytes (`u64`) |
//! | 78 | 8 | checksum: the first 8 bytes of MD5(header bytes 0..78 ‖ payload) |
//!
//! The payload, sections in this order, each the number of entries its count says:
//! 1. **strings**, sorted by bytes, distinct, front-coded: varint `shared` (bytes in common
//!    with the previous string), varint `n << 1 | hex`, then the `n` suffix bytes, or, when
//!    `hex` is 1, the suffix as `n` lower-case hex digits packed two to a byte (high nibble
//!    first, an odd last nibble padded with 0): `lineage_id`s are hex.
//! 2. **attributes**: the distinct row attribute hashes, `u64` each, increasing.
//! 3. **endpoints**: the distinct row endpoints (namespace, dataset, field), increasing,
//!    each three varint string indices.
//! 4. **rows**, in snapshot order: varint `lineage_id` string index minus the previous
//!    row's (rows are sorted by id, so this is small), varint source endpoint index, varint
//!    target endpoint index, varint attribute index.
//! 5. **namespaces**: varint id string index, `u64` content hash.
//! 6. **datasets**: varint id, name and namespace-id string indices, `u64` content hash.
//! 7. **fields**: varint dataset-id string index minus the previous field's, varint name
//!    string index, `u64` content hash.
//!
//! Tables are sorted, so index order is value order and every list is in snapshot order;
//! the decoder checks that (as well as magic, version, length, checksum, each index, and
//! that the payload is used exactly), so a decoded snapshot is always a canonical one.
use md5::{Digest, Md5};

use super::wire::{is_hex, put_hex, put_u64, put_varint};
use super::{Endpoint, Snapshot, Sym};
use crate::source::fx::FxMap;

/// The first bytes of every encoded snapshot.
pub const MAGIC: [u8; 4] = *b"LCSN";
/// The format version this build writes and reads.
pub const FORMAT_VERSION: u16 = 1;
/// Bytes before the payload.
pub(super) const HEADER_LEN: usize = 86;
/// Where the checksum sits in the header (it covers every byte before it).
pub(super) const CHECKSUM_AT: usize = 78;
/// Number of counts in the header.
pub(super) const COUNTS: usize = 7;

/// Why bytes are not a snapshot. Decoding never panics: every defect is one of these.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SnapshotError {
    #[error("not a lineage-cache snapshot (bad magic bytes)")]
    BadMagic,
    #[error("snapshot format version {found}; this build reads version {FORMAT_VERSION}")]
    Version { found: u16 },
    #[error("snapshot truncated")]
    Truncated,
    #[error("snapshot length mismatch: the header says {expected} payload bytes, {found} follow")]
    Length { expected: u64, found: u64 },
    #[error("snapshot checksum mismatch (corrupted)")]
    Checksum,
    #[error("snapshot holds an index out of range")]
    OutOfRange,
    #[error("malformed snapshot: {0}")]
    Malformed(&'static str),
}

/// The checksum of a header prefix and a payload.
pub(super) fn checksum(head: &[u8], payload: &[u8]) -> [u8; 8] {
    let mut md5 = Md5::new();
    md5.update(head);
    md5.update(payload);
    let digest = md5.finalize();
    let mut out = [0u8; 8];
    out.copy_from_slice(&digest[..8]);
    out
}

/// The distinct items, sorted.
fn distinct<T: Ord>(items: impl Iterator<Item = T>) -> Vec<T> {
    let mut out: Vec<T> = items.collect();
    out.sort_unstable();
    out.dedup();
    out
}

impl Snapshot {
    /// The snapshot in the binary format above.
    pub fn encode(&self) -> Vec<u8> {
        self.encode_sections().0
    }

    /// [`Snapshot::encode`], and where each of the 7 payload sections ends (offsets in
    /// the encoding).
    pub(crate) fn encode_sections(&self) -> (Vec<u8>, [usize; COUNTS]) {
        let attrs = distinct(self.rows.iter().map(|r| r.attrs));
        let ends = distinct(self.rows.iter().flat_map(|r| [r.source, r.target]));
        let mut out = vec![0u8; HEADER_LEN];
        out.reserve(self.rows.len() * 24 + self.strings.all.len() / 2);
        let mut marks = [0; COUNTS];
        self.put_strings(&mut out);
        marks[0] = out.len();
        attrs.iter().for_each(|&a| put_u64(&mut out, a));
        marks[1] = out.len();
        for e in &ends {
            for s in [e.namespace, e.dataset, e.field] {
                put_varint(&mut out, s.into());
            }
        }
        marks[2] = out.len();
        self.put_rows(&mut out, &ends, &attrs);
        marks[3] = out.len();
        self.put_assets(&mut out, &mut marks[4..]);
        let counts = [
            self.strings.len(),
            attrs.len(),
            ends.len(),
            self.rows.len(),
            self.namespaces.len(),
            self.datasets.len(),
            self.fields.len(),
        ];
        self.seal(&mut out, counts);
        (out, marks)
    }

    /// Rows (section 4), given the endpoint and attribute tables.
    fn put_rows(&self, out: &mut Vec<u8>, ends: &[Endpoint], attrs: &[u64]) {
        let end_index: FxMap<Endpoint, u64> = (0..).zip(ends).map(|(i, e)| (*e, i)).collect();
        let attr_index: FxMap<u64, u64> = (0..).zip(attrs).map(|(i, a)| (*a, i)).collect();
        let mut prev: Sym = 0;
        for r in &self.rows {
            put_varint(out, u64::from(r.lineage_id - prev));
            prev = r.lineage_id;
            put_varint(out, end_index.get(&r.source).copied().unwrap_or(0));
            put_varint(out, end_index.get(&r.target).copied().unwrap_or(0));
            put_varint(out, attr_index.get(&r.attrs).copied().unwrap_or(0));
        }
    }

    /// Front-coded strings (section 1).
    fn put_strings(&self, out: &mut Vec<u8>) {
        let mut prev: &[u8] = b"";
        for s in self.strings.iter() {
            let s = s.as_bytes();
            let shared = prev.iter().zip(s).take_while(|(a, b)| a == b).count();
            let suffix = &s[shared..];
            let hex = is_hex(suffix);
            put_varint(out, shared as u64);
            put_varint(out, (suffix.len() as u64) << 1 | u64::from(hex));
            match hex {
                true => put_hex(out, suffix),
                false => out.extend_from_slice(suffix),
            }
            prev = s;
        }
    }

    /// Namespaces, datasets, fields (sections 5 to 7), each section's end into `marks`.
    fn put_assets(&self, out: &mut Vec<u8>, marks: &mut [usize]) {
        for n in &self.namespaces {
            put_varint(out, n.id.into());
            put_u64(out, n.content);
        }
        marks[0] = out.len();
        for d in &self.datasets {
            for s in [d.id, d.name, d.namespace_id] {
                put_varint(out, s.into());
            }
            put_u64(out, d.content);
        }
        marks[1] = out.len();
        let mut prev: Sym = 0;
        for f in &self.fields {
            put_varint(out, u64::from(f.dataset_id - prev));
            prev = f.dataset_id;
            put_varint(out, f.name.into());
            put_u64(out, f.content);
        }
        marks[2] = out.len();
    }

    /// Fill the header of `out` (payload already after it).
    fn seal(&self, out: &mut [u8], counts: [usize; COUNTS]) {
        let payload_len = (out.len() - HEADER_LEN) as u64;
        let mut head = Vec::with_capacity(HEADER_LEN);
        head.extend_from_slice(&MAGIC);
        head.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        put_u64(&mut head, self.taken_at_ms);
        counts.iter().for_each(|&c| put_u64(&mut head, c as u64));
        put_u64(&mut head, payload_len);
        let sum = checksum(&head, &out[HEADER_LEN..]);
        head.extend_from_slice(&sum);
        out[..HEADER_LEN].copy_from_slice(&head);
    }
}
