//! [`stale_graph_seeds`]: the cached lineage graphs a change can alter.
//!
//! # Why plain breadth-first distance is exact
//! The `upstream` graph of seed `s` at depth `N` holds row `r` (source → target) iff some
//! walk from `s` of at most `N - 1` upstream steps ends at `r.target` and can be extended
//! by `r` without using a `lineage_id` twice (contract §4). A shortest walk from `s` to
//! `r.target` visits distinct columns, so it never takes `r` (it would stand on
//! `r.target` before its end) and never takes two rows with the same endpoints. When
//! `lineage_id`s are a function of the endpoints, as the population script makes them
//! (an MD5 of `source->target`), such a walk repeats no id and `r` extends it: `r` is in
//! the graph iff `dist_up(s, r.target) <= N - 1`. So the upstream seeds of `r` are found
//! by a breadth-first search from `r.target` along downstream steps (rows whose source
//! is the current column, continuing at their target), `N - 1` steps deep; downstream
//! seeds symmetrically from `r.source` along upstream steps; `both` is their union.
//!
//! When one `lineage_id` names rows with other endpoints, the id rule can block every
//! walk to `r` that the search counts: the seeds are then a superset (never a subset) of
//! the exact answer. Which changed rows count, and what a graph cannot show, is in the
//! doc of [`stale_graph_seeds`].
use std::collections::BTreeSet;

use super::rowdiff::RowChange;
use super::{ChangedRow, Diff, Endpoint, Snapshot, Sym};
use crate::model::Direction;
use crate::source::fx::FxMap;

/// Compressed adjacency: the neighbours of column `c` are `to[start[c]..start[c + 1]]`.
struct Csr {
    start: Vec<u32>,
    to: Vec<u32>,
}

impl Csr {
    fn build(ncols: usize, edges: &[(u32, u32)]) -> Csr {
        let mut start = vec![0u32; ncols + 1];
        for &(from, _) in edges {
            start[from as usize + 1] += 1;
        }
        for i in 0..ncols {
            start[i + 1] += start[i];
        }
        let mut fill = start.clone();
        let mut to = vec![0u32; edges.len()];
        for &(from, t) in edges {
            to[fill[from as usize] as usize] = t;
            fill[from as usize] += 1;
        }
        Csr { start, to }
    }

    fn of(&self, col: u32) -> &[u32] {
        let (a, b) = (self.start[col as usize], self.start[col as usize + 1]);
        &self.to[a as usize..b as usize]
    }
}

/// The column graph of one snapshot's rows: columns are (dataset name, field).
struct Columns {
    cols: Vec<(Sym, Sym)>,
    index: FxMap<(Sym, Sym), u32>,
    /// Source column → target columns.
    down: Csr,
    /// Target column → source columns.
    up: Csr,
}

impl Columns {
    fn of(snap: &Snapshot) -> Columns {
        let mut cols = Vec::new();
        let mut index = FxMap::default();
        let mut col = |e: &Endpoint| {
            *index.entry((e.dataset, e.field)).or_insert_with(|| {
                cols.push((e.dataset, e.field));
                cols.len() as u32 - 1
            })
        };
        let edges: Vec<(u32, u32)> = snap
            .rows
            .iter()
            .map(|r| (col(&r.source), col(&r.target)))
            .collect();
        let flipped: Vec<(u32, u32)> = edges.iter().map(|&(s, t)| (t, s)).collect();
        Columns {
            down: Csr::build(cols.len(), &edges),
            up: Csr::build(cols.len(), &flipped),
            cols,
            index,
        }
    }

    fn column(&self, e: &Endpoint) -> Option<u32> {
        self.index.get(&(e.dataset, e.field)).copied()
    }

    /// Every column within `steps` steps of `starts` along `adj`, as flags.
    fn reach(&self, starts: impl Iterator<Item = u32>, adj: &Csr, steps: u32) -> Vec<bool> {
        let mut seen = vec![false; self.cols.len()];
        let mut frontier: Vec<u32> = starts
            .filter(|&c| !std::mem::replace(&mut seen[c as usize], true))
            .collect();
        for _ in 0..steps {
            let mut next = Vec::new();
            for &c in &frontier {
                next.extend(
                    adj.of(c)
                        .iter()
                        .filter(|&&d| !std::mem::replace(&mut seen[d as usize], true)),
                );
            }
            if next.is_empty() {
                break;
            }
            frontier = next;
        }
        seen
    }
}

/// Every (dataset name, field, direction) whose lineage graph at depth `max_depth` holds
/// a changed row: an old-only row in the old lineage, or a new-only row in the new one
/// (each side walked on its own rows, never a mix). `diff` must be `diff(old, new)`.
///
/// Rows that only changed their number of copies ([`RowChange::Recounted`]) count for
/// nothing: the engine merges identical rows. The `both` seeds are the union of the
/// `upstream` and `downstream` ones.
///
/// Every graph that differs between the two sides is listed (the module doc says why).
/// A listed graph is the same on both sides only when:
/// - one `lineage_id` names rows with different endpoints, and that id's rule blocks every
///   walk to the changed row (never with the population script's ids), or
/// - every changed row it holds has a twin on the other side that writes the same edge:
///   the same id, dataset and field names, types and written confidence, but another
///   namespace (a node takes its namespace from the first row that shows it, the seed
///   has `""`) or a confidence of NULL against 0 (`omitempty` writes neither), or
/// - names contain `/`, so that node ids `{dataset}/{field}` of different columns meet.
pub fn stale_graph_seeds(
    old: &Snapshot,
    new: &Snapshot,
    diff: &Diff,
    max_depth: u32,
) -> BTreeSet<(String, String, Direction)> {
    if max_depth == 0 {
        return BTreeSet::new();
    }
    // Borrowed first: both sides mostly find the same seeds, each allocated once.
    let mut found = Vec::new();
    for (snap, changed) in [(old, &diff.lineage.old_only), (new, &diff.lineage.new_only)] {
        side_seeds(snap, changed, max_depth - 1, &mut found);
    }
    found.sort_unstable();
    found.dedup();
    found
        .into_iter()
        .map(|(ds, f, dir)| (ds.to_owned(), f.to_owned(), dir))
        .collect()
}

/// The seeds of one side's changed rows, over that side's rows, `steps` steps deep.
fn side_seeds<'a>(
    snap: &'a Snapshot,
    changed: &[ChangedRow],
    steps: u32,
    out: &mut Vec<(&'a str, &'a str, Direction)>,
) {
    let rows: Vec<_> = changed
        .iter()
        .filter(|c| c.change != RowChange::Recounted)
        .filter_map(|c| snap.rows.get(c.index as usize))
        .collect();
    if rows.is_empty() {
        return;
    }
    let g = Columns::of(snap);
    let targets = rows.iter().filter_map(|r| g.column(&r.target));
    let sources = rows.iter().filter_map(|r| g.column(&r.source));
    let up = g.reach(targets, &g.down, steps);
    let down = g.reach(sources, &g.up, steps);
    for (c, &(ds, f)) in g.cols.iter().enumerate() {
        let (ds, f) = (snap.str(ds), snap.str(f));
        let dirs = [
            (up[c], Direction::Upstream),
            (down[c], Direction::Downstream),
            (up[c] || down[c], Direction::Both),
        ];
        out.extend(
            dirs.into_iter()
                .filter(|d| d.0)
                .map(|(_, dir)| (ds, f, dir)),
        );
    }
}
