//! A snapshot of the lineage source as the cache saw it, and what changed since.
//!
//! `sync` (issue 27) runs `populate_lineage.py`, which deletes and re-inserts every row of
//! the lineage tables (contract §5). To leave the cache true at the cost of the change, it
//! keeps a [`Snapshot`] of everything a cached value depends on, takes a new one after the
//! command, and compares them: [`diff`] says which rows and assets changed,
//! [`stale_graph_seeds`] which cached lineage graphs a changed row can alter. Everything
//! here is pure (no Redis, no SQL); the job layer stores [`Snapshot::encode`]'s bytes.
//!
//! What a snapshot holds:
//! - every active lineage row as a multiset (the engine's input may repeat a row, and
//!   `lineage_id` is not unique): `lineage_id` and both endpoints (namespace, dataset
//!   name, field) as interned strings, so that the old lineage graph can still be walked;
//!   the attributes an edge shows (transformation type, subtype, confidence) as a 64-bit
//!   [`attrs_hash`];
//! - datasets (id, name, namespace id, [`dataset_hash`] of the rest), fields (dataset id,
//!   name, [`field_hash`]), namespaces (id, [`namespace_hash`]).
//!
//! The hashes are the stable FNV-1a 64 written down in `hash.rs`; the binary format is
//! in `codec.rs`.
//! Every list is kept in one canonical order (the string table sorted by bytes, so symbol
//! order is string order), which makes two snapshots of the same tables equal and lets the
//! diff merge two snapshots in one pass.
//!
//! # Size and speed
//! Measured by the ignored test in `scale.rs` (release build, `demo` synthetic warehouse
//! of 110,000 columns: 303,254 lineage rows, 4,990 datasets, 110,000 fields; least of
//! three runs, CPU time of the thread, on a shared machine with a load of about 20 on 2
//! cores, where wall time was 2 to 4 times as long):
//! - encoded: 8,433,152 bytes, 27.8 bytes a row, of which strings 12.3 (313,278 strings;
//!   the 24-hex-digit `lineage_id`s are most of it, about 12 bytes each once packed),
//!   rows 7.6, fields 4.4, endpoints 3.2 (109,427 distinct), datasets 0.3;
//! - build 333 ms, encode 126 ms, decode 49 ms;
//! - after 303 changed rows (0.1 %; and every dataset's `updated_at`): diff 20 ms, stale
//!   seeds 39 ms at depth 5 (25,100 stale pairs) and 37 ms at depth 20;
//! - after 3,032 changed rows (1 %): diff 19 ms, stale seeds 82 ms at depth 5 (122,317
//!   stale pairs) and 89 ms at depth 20.
mod build;
mod codec;
mod decode;
mod diff;
mod hash;
mod rowdiff;
mod seeds;
mod wire;

#[cfg(test)]
mod prop_codec;
#[cfg(test)]
mod prop_seeds;
#[cfg(test)]
mod scale;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_diff;

pub use codec::{SnapshotError, FORMAT_VERSION, MAGIC};
pub use diff::{diff, DatasetKey, Diff, EntityDiff, FieldKey};
pub use hash::{attrs_hash, dataset_hash, field_hash, namespace_hash};
pub use rowdiff::{ChangedRow, LineageDiff, RowChange, RowCounts};
pub use seeds::stale_graph_seeds;

/// An index into a snapshot's string table. Tables are sorted, so comparing two symbols
/// of one snapshot compares their strings.
pub type Sym = u32;

/// One end of a lineage row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Endpoint {
    pub namespace: Sym,
    /// A dataset **name** (`db.table`).
    pub dataset: Sym,
    pub field: Sym,
}

/// One active lineage row. Ordered by id, source, target, attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SnapRow {
    pub lineage_id: Sym,
    pub source: Endpoint,
    pub target: Endpoint,
    /// [`attrs_hash`] of the row.
    pub attrs: u64,
}

/// One dataset: its identity and a hash of the rest of its JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SnapDataset {
    pub id: Sym,
    pub name: Sym,
    pub namespace_id: Sym,
    /// [`dataset_hash`].
    pub content: u64,
}

/// One field: its identity and a hash of the rest of its JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SnapField {
    pub dataset_id: Sym,
    pub name: Sym,
    /// [`field_hash`].
    pub content: u64,
}

/// One namespace: its id and a hash of the rest of its JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SnapNamespace {
    pub id: Sym,
    /// [`namespace_hash`].
    pub content: u64,
}

/// Distinct strings, sorted by bytes, in one allocation: string `i` is
/// `all[ends[i - 1]..ends[i]]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Strings {
    all: String,
    ends: Vec<usize>,
}

impl Strings {
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// String `sym` (`""` when out of range, which a checked snapshot never asks).
    pub(crate) fn get(&self, sym: Sym) -> &str {
        let i = sym as usize;
        let start = match i {
            0 => 0,
            _ => self.ends.get(i - 1).copied().unwrap_or(0),
        };
        let end = self.ends.get(i).copied().unwrap_or(start);
        self.all.get(start..end).unwrap_or_default()
    }

    /// Append a string (the caller keeps the table sorted and distinct).
    pub(crate) fn push(&mut self, s: &str) {
        self.all.push_str(s);
        self.ends.push(self.all.len());
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.len() as Sym).map(|i| self.get(i))
    }
}

/// The lineage and assets as the cache saw them at one instant (see the module doc).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snapshot {
    taken_at_ms: u64,
    strings: Strings,
    /// Sorted; equal rows repeat (a multiset).
    rows: Vec<SnapRow>,
    /// Sorted, each list (repeats kept: the tables have no enforced keys).
    datasets: Vec<SnapDataset>,
    fields: Vec<SnapField>,
    namespaces: Vec<SnapNamespace>,
}

/// A row with its strings resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowView<'a> {
    pub lineage_id: &'a str,
    /// (namespace, dataset name, field).
    pub source: (&'a str, &'a str, &'a str),
    pub target: (&'a str, &'a str, &'a str),
    pub attrs: u64,
}

impl Snapshot {
    /// When the snapshot was taken (milliseconds since the Unix epoch, as given).
    pub fn taken_at_ms(&self) -> u64 {
        self.taken_at_ms
    }

    /// The lineage rows, sorted, repeats kept.
    pub fn rows(&self) -> &[SnapRow] {
        &self.rows
    }

    pub fn datasets(&self) -> &[SnapDataset] {
        &self.datasets
    }

    pub fn fields(&self) -> &[SnapField] {
        &self.fields
    }

    pub fn namespaces(&self) -> &[SnapNamespace] {
        &self.namespaces
    }

    /// The string of a symbol of this snapshot.
    pub fn str(&self, sym: Sym) -> &str {
        self.strings.get(sym)
    }

    /// Row `i` of [`Snapshot::rows`], resolved (`None` out of range).
    pub fn row(&self, i: usize) -> Option<RowView<'_>> {
        let r = self.rows.get(i)?;
        let end = |e: &Endpoint| {
            (
                self.str(e.namespace),
                self.str(e.dataset),
                self.str(e.field),
            )
        };
        Some(RowView {
            lineage_id: self.str(r.lineage_id),
            source: end(&r.source),
            target: end(&r.target),
            attrs: r.attrs,
        })
    }
}
