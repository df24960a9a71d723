//! The traversal: a breadth-first search over walk states, one depth layer at a time.
//!
//! A state is (column, the used `lineage_id`s that still matter). The future of a walk
//! depends on nothing else, so two walks reaching the same state at the same depth reach
//! the same (row, depth) pairs afterwards and one of them suffices. Used ids are kept only
//! while [`Components::may_meet`](super::scc::Components::may_meet) says a row with that id
//! may still be met, which empties the set everywhere outside cycles.
//!
//! Used ids are identified by their row group. A walk first runs with the sets as 64-bit
//! masks over the groups it meets (numbered as met); if it meets more than 64 it starts
//! over with sorted lists of groups.
use std::collections::{HashMap, HashSet};
use std::hash::Hash;

use super::{Engine, Row};
use crate::source::fx::FxBuild;

/// One traversal direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dir {
    /// Follow rows whose target is the current column, continue at their source.
    Up = 0,
    /// Follow rows whose source is the current column, continue at their target.
    Down = 1,
}

/// A set of used-id keys (small integers naming row groups).
trait UsedSet: Default + Eq + Hash {
    /// Keys at or above this cannot be stored.
    const CAPACITY: u32;
    fn is_empty(&self) -> bool;
    fn has(&self, key: u32) -> bool;
    /// The keys of `self` and `extra` for which `keep` holds.
    fn filtered(&self, extra: u32, keep: impl FnMut(u32) -> bool) -> Self;
    /// Empty tables for a search, with the capacity earlier searches left behind when
    /// there is any (see [`Tables`]).
    fn tables() -> Tables<Self> {
        Tables::default()
    }
    /// Hand the tables back for the next search on this thread.
    fn keep_tables(_tables: Tables<Self>) {}
}

/// The hash tables of one search: the current and next layer, and each row's last depth.
/// Growing them anew for each of a warm's 100,000 walks cost more than the walks' own
/// hashing (rehashes and allocations), so the 64-bit search reuses one set per thread.
pub(super) struct Tables<S> {
    layer: HashSet<(u32, S), FxBuild>,
    next: HashSet<(u32, S), FxBuild>,
    emitted: HashMap<u32, u32, FxBuild>,
}

impl<S> Default for Tables<S> {
    fn default() -> Self {
        Tables {
            layer: HashSet::default(),
            next: HashSet::default(),
            emitted: HashMap::default(),
        }
    }
}

impl<S> Tables<S> {
    fn clear(&mut self) {
        self.layer.clear();
        self.next.clear();
        self.emitted.clear();
    }
}

thread_local! {
    static TABLES: std::cell::Cell<Option<Tables<u64>>> = const { std::cell::Cell::new(None) };
}

impl UsedSet for u64 {
    const CAPACITY: u32 = 64;

    fn is_empty(&self) -> bool {
        *self == 0
    }

    fn has(&self, key: u32) -> bool {
        key < 64 && (self >> key) & 1 == 1
    }

    fn filtered(&self, extra: u32, mut keep: impl FnMut(u32) -> bool) -> Self {
        let mut rest = self | (1 << extra);
        let mut out = 0;
        while rest != 0 {
            let k = rest.trailing_zeros();
            rest &= rest - 1;
            if keep(k) {
                out |= 1 << k;
            }
        }
        out
    }

    fn tables() -> Tables<Self> {
        TABLES.with(|t| t.take()).unwrap_or_default()
    }

    fn keep_tables(mut tables: Tables<Self>) {
        // A huge walk's tables are not kept: memory stays flat.
        if tables.emitted.capacity() > 1 << 16 || tables.layer.capacity() > 1 << 16 {
            return;
        }
        tables.clear();
        TABLES.with(|t| t.set(Some(tables)));
    }
}

impl UsedSet for Box<[u32]> {
    const CAPACITY: u32 = u32::MAX;

    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn has(&self, key: u32) -> bool {
        self.binary_search(&key).is_ok()
    }

    fn filtered(&self, extra: u32, mut keep: impl FnMut(u32) -> bool) -> Self {
        let mut out: Vec<u32> = self.iter().copied().filter(|&k| keep(k)).collect();
        if keep(extra) {
            let i = out.partition_point(|&k| k < extra);
            out.insert(i, extra);
        }
        out.into_boxed_slice()
    }
}

/// Why a search stopped early.
enum Stop {
    /// More used ids met than the set type holds.
    Full,
    /// More states than the walk's budget.
    Budget,
}

/// A traversal needed more walk states than its budget allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("lineage traversal needs more than {max_states} walk states")]
pub struct TooComplex {
    /// The budget that was exceeded.
    pub max_states: u64,
}

/// One traversal of one direction up to a depth.
pub(super) struct Walk<'a> {
    engine: &'a Engine,
    dir: Dir,
    max_depth: u32,
    /// Group → key, for sets of limited capacity (groups numbered as met).
    key_of: HashMap<u32, u32, FxBuild>,
    /// Key → group (the inverse of `key_of`).
    group_of: Vec<u32>,
    /// How many states the search may hold in all its layers.
    max_states: u64,
}

impl<'a> Walk<'a> {
    pub(super) fn new(engine: &'a Engine, dir: Dir, max_depth: u32, max_states: u64) -> Self {
        Walk {
            engine,
            dir,
            max_depth,
            key_of: HashMap::default(),
            group_of: Vec::new(),
            max_states,
        }
    }

    /// Append every reachable (depth, row index) pair from `seed` to `out`, each once.
    pub(super) fn run(mut self, seed: u32, out: &mut Vec<(u32, u32)>) -> Result<(), TooComplex> {
        let mark = out.len();
        let result = match self.search::<u64>(seed, out) {
            Err(Stop::Full) => {
                out.truncate(mark);
                self.search::<Box<[u32]>>(seed, out)
            }
            other => other,
        };
        result.map_err(|_| TooComplex {
            max_states: self.max_states,
        })
    }

    /// As [`Walk::run`], always with sorted lists as sets (tests the fallback).
    #[cfg(test)]
    pub(super) fn run_with_lists(mut self, seed: u32, out: &mut Vec<(u32, u32)>) -> bool {
        self.search::<Box<[u32]>>(seed, out).is_ok()
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

    /// The key of `group`, if it has one (`S::CAPACITY` unlimited: the group itself).
    fn key(&self, group: u32, capacity: u32) -> Option<u32> {
        if capacity == u32::MAX {
            return Some(group);
        }
        self.key_of.get(&group).copied()
    }

    /// The key of `group`, numbering it if new; `Full` past the capacity.
    fn key_or_new(&mut self, group: u32, capacity: u32) -> Result<u32, Stop> {
        if let Some(k) = self.key(group, capacity) {
            return Ok(k);
        }
        let k = self.group_of.len() as u32;
        if k >= capacity {
            return Err(Stop::Full);
        }
        self.key_of.insert(group, k);
        self.group_of.push(group);
        Ok(k)
    }

    /// The layered search with sets of type `S`.
    fn search<S: UsedSet>(&mut self, seed: u32, out: &mut Vec<(u32, u32)>) -> Result<(), Stop> {
        let mut t = S::tables();
        let result = self.search_in(seed, out, &mut t);
        S::keep_tables(t);
        result
    }

    fn search_in<S: UsedSet>(
        &mut self,
        seed: u32,
        out: &mut Vec<(u32, u32)>,
        t: &mut Tables<S>,
    ) -> Result<(), Stop> {
        let engine = self.engine;
        let mut budget = self.max_states;
        t.layer.insert((seed, S::default()));
        for depth in 1..=self.max_depth {
            let last = depth == self.max_depth;
            self.touch(t.layer.iter().map(|(col, _)| *col));
            for (col, used) in &t.layer {
                for &r in self.next_rows(*col) {
                    let row = &engine.rows[r as usize];
                    let key = self.key(row.group, S::CAPACITY);
                    if !used.is_empty() && key.is_some_and(|k| used.has(k)) {
                        continue;
                    }
                    if t.emitted.insert(r, depth) != Some(depth) {
                        out.push((depth, r));
                    }
                    if !last && t.next.insert(self.advance(used, row, S::CAPACITY)?) {
                        budget = budget.checked_sub(1).ok_or(Stop::Budget)?;
                    }
                }
            }
            if t.next.is_empty() {
                break;
            }
            std::mem::swap(&mut t.layer, &mut t.next);
            t.next.clear();
        }
        Ok(())
    }

    /// Read what a layer's expansion will read, in a tight loop of independent loads, so
    /// that the CPU waits for the cache misses together (as `json::touch`).
    fn touch(&self, cols: impl Iterator<Item = u32>) {
        let engine = self.engine;
        let mut sum = 0u32;
        for col in cols {
            for &r in self.next_rows(col) {
                let row = &engine.rows[r as usize];
                sum ^= engine.cycles.meet_of(row.group) ^ self.far_end(row);
            }
        }
        std::hint::black_box(sum);
    }

    /// The state after taking `row` from a state with `used`.
    fn advance<S: UsedSet>(&mut self, used: &S, row: &Row, cap: u32) -> Result<(u32, S), Stop> {
        let at = self.far_end(row);
        let cycles = &self.engine.cycles;
        if used.is_empty() && !cycles.may_meet(self.dir, row.group, at) {
            return Ok((at, S::default()));
        }
        let extra = self.key_or_new(row.group, cap)?;
        let group_of = &self.group_of;
        let group = |k: u32| {
            if cap == u32::MAX {
                k
            } else {
                group_of[k as usize]
            }
        };
        let used = used.filtered(extra, |k| cycles.may_meet(self.dir, group(k), at));
        Ok((at, used))
    }
}
