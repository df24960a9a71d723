//! [`diff`]: what changed between two snapshots, for rows (see [`rowdiff`](super::rowdiff))
//! and for namespaces, datasets and fields.
//!
//! Two snapshots have their own string tables. Both are sorted, so one merge numbers the
//! strings of both in one order-preserving way ([`Unified`]); each list, translated, stays
//! sorted, and every comparison below is then a linear merge of integers.
use super::rowdiff::{self, LineageDiff};
use super::unified::Unified;
use super::{SnapDataset, SnapField, Snapshot, Sym};

/// A dataset's identity. Its ids contain its name (`{namespace_id}/{db}.{table}`), and
/// the cache keys a dataset by id and by name, so all three are identity: a dataset whose
/// name or namespace changed is one removed and one added.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DatasetKey {
    pub id: String,
    pub name: String,
    pub namespace_id: String,
}

/// A field's identity.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FieldKey {
    pub dataset_id: String,
    pub name: String,
}

/// Entities (namespaces, datasets, fields) added, removed, or changed (same identity,
/// other content), each list sorted by key.
///
/// There is no `renamed`: a rename in the source is a remove and an add (new id, new name,
/// new cache keys), and the cache needs exactly that: the old name's keys dropped, the new
/// name's filled. Pairing a removed with an added dataset (say, by equal field sets) would
/// be a guess that tables of one shape (staging copies, backups) defeat, and would change
/// nothing a caller does.
///
/// An identity listed more than once on a side (the tables enforce no keys) counts as one
/// entity whose content is the multiset of its entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityDiff<K> {
    pub added: Vec<K>,
    pub removed: Vec<K>,
    pub changed: Vec<K>,
}

impl<K> Default for EntityDiff<K> {
    fn default() -> Self {
        EntityDiff {
            added: Vec::new(),
            removed: Vec::new(),
            changed: Vec::new(),
        }
    }
}

impl<K> EntityDiff<K> {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// Everything that differs between two snapshots.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Diff {
    pub lineage: LineageDiff,
    pub namespaces: EntityDiff<String>,
    pub datasets: EntityDiff<DatasetKey>,
    pub fields: EntityDiff<FieldKey>,
}

impl Diff {
    /// Whether nothing a cached value shows changed.
    pub fn is_empty(&self) -> bool {
        self.lineage.is_empty()
            && self.namespaces.is_empty()
            && self.datasets.is_empty()
            && self.fields.is_empty()
    }
}

/// What changed from `old` to `new`.
pub fn diff(old: &Snapshot, new: &Snapshot) -> Diff {
    let u = Unified::of(&old.strings, &new.strings);
    Diff {
        lineage: rowdiff::lineage(old, new, &u),
        namespaces: namespaces(old, new, &u),
        datasets: datasets(old, new, &u),
        fields: fields(old, new, &u),
    }
}

/// One side's entries as (identity in the unified numbering, content).
type Entries<const K: usize> = Vec<([u32; K], u64)>;

fn namespaces(old: &Snapshot, new: &Snapshot, u: &Unified) -> EntityDiff<String> {
    let entries = |s: &Snapshot, m: &[u32]| -> Entries<1> {
        let t = |x: Sym| m[x as usize];
        s.namespaces
            .iter()
            .map(|n| ([t(n.id)], n.content))
            .collect()
    };
    let changes = changes(&entries(old, &u.old), &entries(new, &u.new));
    changes.keys(old, new, |s, i| s.str(s.namespaces[i].id).to_owned())
}

fn datasets(old: &Snapshot, new: &Snapshot, u: &Unified) -> EntityDiff<DatasetKey> {
    let entries = |s: &Snapshot, m: &[u32]| -> Entries<3> {
        let t = |x: Sym| m[x as usize];
        let key = |d: &SnapDataset| [t(d.id), t(d.name), t(d.namespace_id)];
        s.datasets.iter().map(|d| (key(d), d.content)).collect()
    };
    let changes = changes(&entries(old, &u.old), &entries(new, &u.new));
    changes.keys(old, new, |s, i| {
        let d = &s.datasets[i];
        DatasetKey {
            id: s.str(d.id).to_owned(),
            name: s.str(d.name).to_owned(),
            namespace_id: s.str(d.namespace_id).to_owned(),
        }
    })
}

fn fields(old: &Snapshot, new: &Snapshot, u: &Unified) -> EntityDiff<FieldKey> {
    let entries = |s: &Snapshot, m: &[u32]| -> Entries<2> {
        let t = |x: Sym| m[x as usize];
        let key = |f: &SnapField| [t(f.dataset_id), t(f.name)];
        s.fields.iter().map(|f| (key(f), f.content)).collect()
    };
    let changes = changes(&entries(old, &u.old), &entries(new, &u.new));
    changes.keys(old, new, |s, i| {
        let f = &s.fields[i];
        FieldKey {
            dataset_id: s.str(f.dataset_id).to_owned(),
            name: s.str(f.name).to_owned(),
        }
    })
}

/// Entity changes as indices: added (into new), removed (into old), changed (into new).
#[derive(Default)]
struct Changes {
    added: Vec<usize>,
    removed: Vec<usize>,
    changed: Vec<usize>,
}

impl Changes {
    fn keys<K>(
        self,
        old: &Snapshot,
        new: &Snapshot,
        key: impl Fn(&Snapshot, usize) -> K,
    ) -> EntityDiff<K> {
        EntityDiff {
            added: self.added.into_iter().map(|i| key(new, i)).collect(),
            removed: self.removed.into_iter().map(|i| key(old, i)).collect(),
            changed: self.changed.into_iter().map(|i| key(new, i)).collect(),
        }
    }
}

/// The length of the run of entries with `items[at]`'s identity.
fn run<const K: usize>(items: &[([u32; K], u64)], at: usize, id: &[u32; K]) -> usize {
    items[at..].iter().take_while(|(k, _)| k == id).count()
}

/// Merge two sorted lists of (identity, content) entries by identity.
fn changes<const K: usize>(old: &[([u32; K], u64)], new: &[([u32; K], u64)]) -> Changes {
    let mut out = Changes::default();
    let (mut i, mut j) = (0, 0);
    while i < old.len() || j < new.len() {
        let id = match (old.get(i), new.get(j)) {
            (Some(a), Some(b)) => a.0.min(b.0),
            (Some(a), None) => a.0,
            (None, Some(b)) => b.0,
            (None, None) => break,
        };
        let (a, b) = (run(old, i, &id), run(new, j, &id));
        if b == 0 {
            out.removed.push(i);
        } else if a == 0 {
            out.added.push(j);
        } else if old[i..i + a]
            .iter()
            .map(|e| e.1)
            .ne(new[j..j + b].iter().map(|e| e.1))
        {
            out.changed.push(j);
        }
        i += a;
        j += b;
    }
    out
}
