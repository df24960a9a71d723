//! Both snapshots' string tables merged into one order, so that the diff compares symbols
//! of two snapshots as it compares their strings ([`super::diff`], [`super::rowdiff`]).
use super::{Strings, Sym};

/// Both snapshots' symbols numbered in one order: `old[s]` and `new[s]` are equal exactly
/// when the strings are, and compare as the strings do.
pub(super) struct Unified {
    pub(super) old: Vec<u32>,
    pub(super) new: Vec<u32>,
}

impl Unified {
    pub(super) fn of(a: &Strings, b: &Strings) -> Unified {
        let (mut old, mut new) = (Vec::with_capacity(a.len()), Vec::with_capacity(b.len()));
        let (mut i, mut j, mut next) = (0, 0, 0u32);
        while i < a.len() || j < b.len() {
            let (x, y) = (a.get(i as Sym), b.get(j as Sym));
            let take_a = j == b.len() || (i < a.len() && x <= y);
            let take_b = i == a.len() || (j < b.len() && y <= x);
            if take_a {
                old.push(next);
                i += 1;
            }
            if take_b {
                new.push(next);
                j += 1;
            }
            next += 1;
        }
        Unified { old, new }
    }
}
