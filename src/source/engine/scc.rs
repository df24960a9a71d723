//! Strongly connected components of the column graph (Tarjan, iterative), and what the
//! traversal derives from them: which rows lie on a cycle, and a topological position of
//! every column in each direction.
use std::collections::HashMap;

use super::walk::Dir;
use super::{Csr, Row};
use crate::source::fx::FxBuild;

const UNSEEN: u32 = u32::MAX;
const SHARED: u32 = u32::MAX;
const NEVER: u32 = u32::MAX - 1;

/// Components of the column graph and the facts the traversal needs from them.
pub(super) struct Components {
    /// Column → component, numbered in Tarjan's completion order, which is a reverse
    /// topological order of the downstream (source → target) graph.
    comp: Vec<u32>,
    count: u32,
    /// Per row that starts its group (a `lineage_id`): [`SHARED`] when several rows share
    /// the id, else the component of a row on some cycle (both columns in it), else
    /// [`NEVER`]. One small array, so the walk's hot test touches no row.
    meet: Vec<u32>,
    /// Per `lineage_id` shared by several rows (keyed by group): the greatest topological
    /// position, per direction, of a column where one of its rows can be taken.
    shared: HashMap<u32, [u32; 2], FxBuild>,
}

impl Components {
    pub(super) fn new(rows: &[Row], by_source: &Csr, ncols: usize) -> Components {
        let (comp, count) = tarjan(rows, by_source, ncols);
        let meet = rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let c = comp[r.src as usize];
                if rows.get(i + 1).is_some_and(|n| n.group == r.group) {
                    SHARED
                } else if c == comp[r.tgt as usize] {
                    c
                } else {
                    NEVER
                }
            })
            .collect();
        let mut this = Components {
            comp,
            count,
            meet,
            shared: HashMap::default(),
        };
        for (i, r) in rows.iter().enumerate() {
            let is_shared =
                r.group as usize != i || rows.get(i + 1).is_some_and(|n| n.group == i as u32);
            if is_shared {
                let up = this.pos(Dir::Up, r.tgt);
                let down = this.pos(Dir::Down, r.src);
                let e = this.shared.entry(r.group).or_insert([0, 0]);
                e[0] = e[0].max(up);
                e[1] = e[1].max(down);
            }
        }
        this
    }

    /// Topological position of `col` in direction `dir`: a walk's positions never decrease.
    pub(super) fn pos(&self, dir: Dir, col: u32) -> u32 {
        let c = self.comp[col as usize];
        match dir {
            Dir::Up => c,
            Dir::Down => self.count - 1 - c,
        }
    }

    /// The [`Components::meet`] entry of `group` (for prefetching).
    pub(super) fn meet_of(&self, group: u32) -> u32 {
        self.meet[group as usize]
    }

    /// Whether a walk standing at `at` may still meet a row of `group` (conservative: a
    /// `true` may be wrong, a `false` never is).
    pub(super) fn may_meet(&self, dir: Dir, group: u32, at: u32) -> bool {
        match self.meet[group as usize] {
            NEVER => false,
            SHARED => {
                let maxpos = self
                    .shared
                    .get(&group)
                    .map_or(u32::MAX, |m| m[dir as usize]);
                maxpos >= self.pos(dir, at)
            }
            c => c == self.comp[at as usize],
        }
    }
}

/// Tarjan's algorithm over source → target edges, without recursion.
/// Returns the component of every column and the number of components.
fn tarjan(rows: &[Row], by_source: &Csr, ncols: usize) -> (Vec<u32>, u32) {
    let mut t = Tarjan::new(ncols);
    // The depth-first path: each column and the position of its next edge.
    let mut call: Vec<(u32, usize)> = Vec::new();
    for root in 0..ncols as u32 {
        if t.index[root as usize] != UNSEEN {
            continue;
        }
        call.push((root, 0));
        while let Some(&mut (v, ref mut pos)) = call.last_mut() {
            if *pos == 0 && t.index[v as usize] == UNSEEN {
                t.enter(v);
            }
            if let Some(&r) = by_source.of(v).get(*pos) {
                *pos += 1;
                let w = rows[r as usize].tgt;
                if t.index[w as usize] == UNSEEN {
                    call.push((w, 0));
                } else {
                    t.reach(v, w);
                }
                continue;
            }
            call.pop();
            if let Some(&(u, _)) = call.last() {
                t.low[u as usize] = t.low[u as usize].min(t.low[v as usize]);
            }
            t.close(v);
        }
    }
    (t.comp, t.count)
}

/// The state of Tarjan's algorithm: visit order, low links, the stack of open columns,
/// and the components found.
struct Tarjan {
    index: Vec<u32>,
    low: Vec<u32>,
    on_stack: Vec<bool>,
    comp: Vec<u32>,
    stack: Vec<u32>,
    next: u32,
    count: u32,
}

impl Tarjan {
    fn new(ncols: usize) -> Tarjan {
        Tarjan {
            index: vec![UNSEEN; ncols],
            low: vec![0u32; ncols],
            on_stack: vec![false; ncols],
            comp: vec![UNSEEN; ncols],
            stack: Vec::new(),
            next: 0,
            count: 0,
        }
    }

    /// First visit of `v`: number it and open it.
    fn enter(&mut self, v: u32) {
        let vi = v as usize;
        self.index[vi] = self.next;
        self.low[vi] = self.next;
        self.next += 1;
        self.stack.push(v);
        self.on_stack[vi] = true;
    }

    /// An edge from `v` to the visited `w`: an open `w` lowers `v`'s link.
    fn reach(&mut self, v: u32, w: u32) {
        if self.on_stack[w as usize] {
            let vi = v as usize;
            self.low[vi] = self.low[vi].min(self.index[w as usize]);
        }
    }

    /// `v` is done: when it roots a component, close the component.
    fn close(&mut self, v: u32) {
        let vi = v as usize;
        if self.low[vi] != self.index[vi] {
            return;
        }
        while let Some(w) = self.stack.pop() {
            self.on_stack[w as usize] = false;
            self.comp[w as usize] = self.count;
            if w == v {
                break;
            }
        }
        self.count += 1;
    }
}
