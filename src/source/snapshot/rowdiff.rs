//! The lineage part of a [`Diff`](super::Diff): the multiset difference of two
//! snapshots' rows, each changed row labelled with what happened to it.
use super::unified::Unified;
use super::{SnapRow, Snapshot};

/// What happened to a row that one side holds more often than the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RowChange {
    /// New-only, and no old-only row has its `lineage_id`.
    Added,
    /// Old-only, and no new-only row has its `lineage_id`.
    Removed,
    /// One of a pair of an old-only and a new-only row with the same `lineage_id` and other
    /// endpoints.
    Repointed,
    /// One of a pair of an old-only and a new-only row with the same `lineage_id` and
    /// endpoints, and other attributes.
    Reattributed,
    /// An identical row still exists on the other side; only the number of copies changed.
    /// The engine merges identical rows, so no lineage graph can show this.
    Recounted,
}

/// A row of one side that the other side does not match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ChangedRow {
    /// Index into that side's [`Snapshot::rows`].
    pub index: u32,
    pub change: RowChange,
}

/// The rows that differ, as a multiset difference: `old_only` indexes the old snapshot's
/// rows, `new_only` the new one's; each list is in snapshot order.
///
/// Pairing: for each `lineage_id`, old-only and new-only rows with the same endpoints are
/// paired first ([`RowChange::Reattributed`]), then the rest in order
/// ([`RowChange::Repointed`]); what is left is [`RowChange::Removed`] or
/// [`RowChange::Added`]. Copies of a row that the other side also holds are
/// [`RowChange::Recounted`] and never paired.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LineageDiff {
    pub old_only: Vec<ChangedRow>,
    pub new_only: Vec<ChangedRow>,
}

/// How many rows changed, by kind. Pairs count once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RowCounts {
    pub added: usize,
    pub removed: usize,
    pub repointed: usize,
    pub reattributed: usize,
    /// Copies gained plus copies lost.
    pub recounted: usize,
}

impl LineageDiff {
    pub fn is_empty(&self) -> bool {
        self.old_only.is_empty() && self.new_only.is_empty()
    }

    pub fn counts(&self) -> RowCounts {
        let mut c = RowCounts::default();
        for (row, old) in self
            .old_only
            .iter()
            .map(|r| (r, true))
            .chain(self.new_only.iter().map(|r| (r, false)))
        {
            match (row.change, old) {
                (RowChange::Added, _) => c.added += 1,
                (RowChange::Removed, _) => c.removed += 1,
                (RowChange::Repointed, true) => c.repointed += 1,
                (RowChange::Reattributed, true) => c.reattributed += 1,
                (RowChange::Recounted, _) => c.recounted += 1,
                (_, false) => {}
            }
        }
        c
    }
}

/// A row in the unified numbering: id, source and target (namespace, dataset, field),
/// then the attributes. Ordered as the rows are.
type Key = ([u32; 7], u64);

fn key(r: &SnapRow, m: &[u32]) -> Key {
    let t = |s: u32| m[s as usize];
    let (s, g) = (&r.source, &r.target);
    let syms = [
        r.lineage_id,
        s.namespace,
        s.dataset,
        s.field,
        g.namespace,
        g.dataset,
        g.field,
    ];
    (syms.map(t), r.attrs)
}

/// The run length of `k` at `keys[at..]`.
fn run(keys: &[Key], at: usize, k: &Key) -> usize {
    keys[at..].iter().take_while(|x| *x == k).count()
}

/// The rows of `old` and `new` that the other does not match, labelled.
pub(super) fn lineage(old: &Snapshot, new: &Snapshot, u: &Unified) -> LineageDiff {
    let ok: Vec<Key> = old.rows.iter().map(|r| key(r, &u.old)).collect();
    let nk: Vec<Key> = new.rows.iter().map(|r| key(r, &u.new)).collect();
    let mut d = LineageDiff::default();
    let (mut i, mut j) = (0, 0);
    while i < ok.len() || j < nk.len() {
        let k = match (ok.get(i), nk.get(j)) {
            (Some(a), Some(b)) => *a.min(b),
            (Some(a), None) => *a,
            (None, Some(b)) => *b,
            (None, None) => break,
        };
        let (a, b) = (run(&ok, i, &k), run(&nk, j, &k));
        let surplus = |from: usize, n: usize, other: usize, pending: RowChange| {
            let change = if other > 0 {
                RowChange::Recounted
            } else {
                pending
            };
            (from + other..from + n).map(move |x| ChangedRow {
                index: x as u32,
                change,
            })
        };
        d.old_only
            .extend(surplus(i, a, b.min(a), RowChange::Removed));
        d.new_only.extend(surplus(j, b, a.min(b), RowChange::Added));
        i += a;
        j += b;
    }
    pair(&mut d, &ok, &nk);
    d
}

/// Label the pairs among unmatched rows (all `Removed` or `Added` so far) that share a
/// `lineage_id`.
fn pair(d: &mut LineageDiff, ok: &[Key], nk: &[Key]) {
    let pending = |rows: &[ChangedRow]| -> Vec<usize> {
        (0..rows.len())
            .filter(|&p| rows[p].change != RowChange::Recounted)
            .collect()
    };
    let (po, pn) = (pending(&d.old_only), pending(&d.new_only));
    let id_of = |keys: &[Key], rows: &[ChangedRow], p: usize| keys[rows[p].index as usize].0[0];
    let (mut i, mut j) = (0, 0);
    while i < po.len() && j < pn.len() {
        let (a, b) = (id_of(ok, &d.old_only, po[i]), id_of(nk, &d.new_only, pn[j]));
        if a != b {
            if a < b {
                i += 1
            } else {
                j += 1
            }
            continue;
        }
        let ei = i + po[i..]
            .iter()
            .take_while(|&&p| id_of(ok, &d.old_only, p) == a)
            .count();
        let ej = j + pn[j..]
            .iter()
            .take_while(|&&p| id_of(nk, &d.new_only, p) == a)
            .count();
        pair_group(d, ok, nk, &po[i..ei], &pn[j..ej]);
        (i, j) = (ei, ej);
    }
}

/// Pair one `lineage_id`'s unmatched rows: same endpoints first, then in order.
fn pair_group(d: &mut LineageDiff, ok: &[Key], nk: &[Key], po: &[usize], pn: &[usize]) {
    let ends = |keys: &[Key], rows: &[ChangedRow], p: usize| {
        let k = &keys[rows[p].index as usize].0;
        [k[1], k[2], k[3], k[4], k[5], k[6]]
    };
    let (mut rest_o, mut rest_n) = (Vec::new(), Vec::new());
    let (mut i, mut j) = (0, 0);
    while i < po.len() && j < pn.len() {
        let (a, b) = (ends(ok, &d.old_only, po[i]), ends(nk, &d.new_only, pn[j]));
        match a.cmp(&b) {
            std::cmp::Ordering::Less => {
                rest_o.push(po[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                rest_n.push(pn[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                d.old_only[po[i]].change = RowChange::Reattributed;
                d.new_only[pn[j]].change = RowChange::Reattributed;
                (i, j) = (i + 1, j + 1);
            }
        }
    }
    rest_o.extend_from_slice(&po[i..]);
    rest_n.extend_from_slice(&pn[j..]);
    for (&o, &n) in rest_o.iter().zip(&rest_n) {
        d.old_only[o].change = RowChange::Repointed;
        d.new_only[n].change = RowChange::Repointed;
    }
}
