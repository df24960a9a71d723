//! The traversal: a breadth-first search over walk states, one depth layer at a time.
//!
//! A state is (column, the used `lineage_id`s that still matter). The future of a walk
//! depends on nothing else, so two walks reaching the same state at the same depth reach
//! the same (row, depth) pairs afterwards and one of them suffices. Used ids are kept only
//! while [`Components::may_meet`](super::scc::Components::may_meet) says a row with that id
//! may still be met, which empties the set everywhere outside cycles.
use std::collections::HashSet;

use super::hash::FxBuild;
use super::{Engine, Row};

/// One traversal direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dir {
    /// Follow rows whose target is the current column, continue at their source.
    Up = 0,
    /// Follow rows whose source is the current column, continue at their target.
    Down = 1,
}

/// A walk's position and the used ids (row groups, sorted) that may still be met.
#[derive(PartialEq, Eq, Hash)]
struct State {
    col: u32,
    used: Box<[u32]>,
}

/// One traversal of one direction up to a depth.
pub(super) struct Walk<'a> {
    engine: &'a Engine,
    dir: Dir,
    max_depth: u32,
}

impl<'a> Walk<'a> {
    pub(super) fn new(engine: &'a Engine, dir: Dir, max_depth: u32) -> Self {
        Walk {
            engine,
            dir,
            max_depth,
        }
    }

    /// The rows a walk standing at `col` may take next.
    fn next_rows(&self, col: u32) -> &'a [u32] {
        match self.dir {
            Dir::Up => self.engine.by_target.of(col),
            Dir::Down => self.engine.by_source.of(col),
        }
    }

    /// Where a walk continues after taking `row`.
    fn far_end(&self, row: &Row) -> u32 {
        match self.dir {
            Dir::Up => row.src,
            Dir::Down => row.tgt,
        }
    }

    /// Append every reachable (depth, row index) pair from `seed` to `out` (with repeats).
    pub(super) fn run(&self, seed: u32, out: &mut Vec<(u32, u32)>) {
        let mut layer: HashSet<State, FxBuild> = HashSet::default();
        layer.insert(State {
            col: seed,
            used: Box::default(),
        });
        for depth in 1..=self.max_depth {
            let last = depth == self.max_depth;
            let mut next: HashSet<State, FxBuild> = HashSet::default();
            for state in &layer {
                for &r in self.next_rows(state.col) {
                    let row = &self.engine.rows[r as usize];
                    if state.used.binary_search(&row.group).is_ok() {
                        continue;
                    }
                    out.push((depth, r));
                    if !last {
                        next.insert(self.advance(&state.used, row.group, self.far_end(row)));
                    }
                }
            }
            if next.is_empty() {
                break;
            }
            layer = next;
        }
    }

    /// The state after taking a row of `group` and arriving at `at`.
    fn advance(&self, used: &[u32], group: u32, at: u32) -> State {
        let cycles = &self.engine.cycles;
        let rows = &self.engine.rows;
        let keep = |g: u32| cycles.may_meet(rows, self.dir, g, at);
        let mut kept: Vec<u32> = used.iter().copied().filter(|&g| keep(g)).collect();
        if keep(group) {
            let i = kept.partition_point(|&g| g < group);
            kept.insert(i, group);
        }
        State {
            col: at,
            used: kept.into_boxed_slice(),
        }
    }
}
