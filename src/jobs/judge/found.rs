//! What an audit finds: the counts by kind and class, the first `--limit` drifted rows by
//! key, and what `--fix` will look at again; merged from the workers.
use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use super::verdict::{Class, Fix, Verdict};
use crate::app::report::Tally;

/// Called with each drifted row as it is found, from the audit's worker threads (`--format
/// ndjson` prints them as they come).
pub(crate) type OnRow = Arc<dyn Fn(&Row) + Send + Sync>;

/// What an audit keeps of what it finds, besides the counts.
#[derive(Clone, Default)]
pub(crate) struct Keep {
    /// The first this many drifted rows, by key.
    pub limit: usize,
    /// The keys `--fix` would change, and the bytes it would add.
    pub pending: bool,
    /// Each drifted row as it is found.
    pub on_row: Option<OnRow>,
}

/// One drifted key as reported.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Row {
    pub key: String,
    pub kind: &'static str,
    pub class: Class,
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
}

impl Row {
    pub(crate) fn of(key: &str, v: &Verdict) -> Row {
        Row {
            key: key.to_string(),
            kind: v.kind,
            class: v.class,
            detail: v.detail.clone(),
            diff: v.diff.clone(),
        }
    }
}

/// What `--fix` will look at again: a cached key with drift, or a hot key not cached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Pending {
    Cached(String),
    Missing(String),
}

/// What one pass found, merged from the workers.
#[derive(Default)]
pub(crate) struct Found {
    /// kind × class.
    pub tally: Tally,
    /// The first `--limit` drifted rows, by key.
    pub rows: BTreeMap<String, Row>,
    pub drifted: u64,
    pub pending: Vec<Pending>,
    /// Bytes `--fix` would add: new values longer than the cached ones, and missing keys.
    pub growth: u64,
    /// Lineage graphs found current at a depth other than the default.
    pub other_depth: u64,
    pub rescans: u32,
}

impl Found {
    pub(crate) fn add(&mut self, key: &str, v: &Verdict, keep: &Keep) {
        self.tally.add(v.kind, v.class.name(), 1, v.old_len);
        if matches!(v.class, Class::Current | Class::OtherDepth) {
            self.other_depth += u64::from(v.class == Class::OtherDepth);
            return;
        }
        self.drifted += 1;
        let row = Row::of(key, v);
        if let Some(on_row) = &keep.on_row {
            on_row(&row);
        }
        self.keep_row(row, keep.limit);
        if keep.pending {
            self.note_fix(key, v);
        }
    }

    /// Note the key and the bytes the fix adds, if `--fix` changes it.
    fn note_fix(&mut self, key: &str, v: &Verdict) {
        match &v.fix {
            Fix::Leave => {}
            Fix::Delete => self.pending.push(Pending::Cached(key.to_string())),
            Fix::Write(new) => {
                self.growth += (new.len() as u64).saturating_sub(v.old_len);
                self.pending.push(Pending::Cached(key.to_string()));
            }
        }
    }

    fn keep_row(&mut self, row: Row, limit: usize) {
        if limit == 0 {
            return;
        }
        if self.rows.len() >= limit {
            match self.rows.keys().next_back() {
                Some(last) if *last > row.key => {
                    let last = last.clone();
                    self.rows.remove(&last);
                }
                _ => return,
            }
        }
        self.rows.insert(row.key.clone(), row);
    }

    pub(crate) fn merge(&mut self, other: Found, limit: usize) {
        for (kind, c) in other.tally.by_kind {
            let mine = self.tally.by_kind.entry(kind).or_default();
            for (class, n) in c.outcomes {
                *mine.outcomes.entry(class).or_default() += n;
            }
            mine.bytes += c.bytes;
        }
        for (_, row) in other.rows {
            self.keep_row(row, limit);
        }
        self.drifted += other.drifted;
        self.pending.extend(other.pending);
        self.growth += other.growth;
        self.other_depth += other.other_depth;
    }
}
