//! Collecting inspect rows as they are probed: a bounded heap with `--limit`, streaming
//! for ndjson, every row otherwise; the summary counts every inspected key.
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::io::Write;

use super::listing::{Listing, Measure, Summary, SummaryLine};
use super::row::Row;
use crate::cli::{Format, SortBy};
use crate::config::Ttls;
use crate::store::probe::Facts;
use crate::store::ObjectSub;

/// A row in output order (the heap's greatest is the last row shown).
struct Ranked {
    row: Row,
    by: SortBy,
    lfu: bool,
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Ranked {}
impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        order(&self.row, &other.row, self.by, self.lfu)
    }
}

/// Output order: `key` by key; `size` largest first; `ttl` soonest expiry first (no TTL
/// last); `idle` coldest first (most idle, or lowest LFU frequency). Ties by key.
pub(crate) fn order(a: &Row, b: &Row, by: SortBy, lfu: bool) -> Ordering {
    let ttl = |r: &Row| if r.ttl_ms < 0 { i64::MAX } else { r.ttl_ms };
    let primary = match by {
        SortBy::Key => Ordering::Equal,
        SortBy::Size => b.size.cmp(&a.size),
        SortBy::Ttl => ttl(a).cmp(&ttl(b)),
        SortBy::Idle if lfu => {
            let f = |r: &Row| r.access.value().unwrap_or(i64::MAX);
            f(a).cmp(&f(b))
        }
        SortBy::Idle => b.access.value().cmp(&a.access.value()),
    };
    primary.then_with(|| a.key.cmp(&b.key))
}

enum Mode {
    /// ndjson in scan order, nothing kept.
    Stream(std::io::BufWriter<std::io::Stdout>),
    All(Vec<Row>),
    Top(BinaryHeap<Ranked>, usize),
}

/// Receives rows as they are probed, and hands them over at the end (or prints them as they
/// come).
pub(crate) struct Collector {
    mode: Mode,
    by: SortBy,
    access: ObjectSub,
    pub summary: Summary,
}

impl Collector {
    /// ndjson without `--limit` and sorted by key streams rows in scan order; `--limit`
    /// keeps a bounded heap of the first rows in sort order; otherwise all rows are kept.
    pub(crate) fn new(format: Format, by: SortBy, limit: Option<usize>, access: ObjectSub) -> Self {
        let mode = match limit {
            Some(n) => Mode::Top(BinaryHeap::with_capacity(n.min(1 << 16) + 1), n),
            None if format == Format::Ndjson && by == SortBy::Key => {
                Mode::Stream(std::io::BufWriter::new(std::io::stdout()))
            }
            None => Mode::All(Vec::new()),
        };
        Collector {
            mode,
            by,
            access,
            summary: Summary::default(),
        }
    }

    pub(crate) fn push(&mut self, row: Row) -> anyhow::Result<()> {
        self.summary.add(&row);
        let lfu = self.access == ObjectSub::Freq;
        match &mut self.mode {
            Mode::Stream(w) => {
                serde_json::to_writer(&mut *w, &row)?;
                writeln!(w)?;
            }
            Mode::All(v) => v.push(row),
            Mode::Top(heap, limit) => {
                heap.push(Ranked {
                    row,
                    by: self.by,
                    lfu,
                });
                if heap.len() > *limit {
                    heap.pop();
                }
            }
        }
        Ok(())
    }

    /// The row of a probed key, unless it vanished meanwhile.
    pub(crate) fn push_probed(&mut self, facts: &Facts, ttls: &Ttls) -> anyhow::Result<()> {
        match super::row::build(facts, ttls, self.access) {
            Some(row) => self.push(row),
            None => Ok(()),
        }
    }

    /// The rows collected, in output order, and the summary; `None` when the rows were
    /// streamed (the summary follows them).
    pub(crate) fn finish(self) -> anyhow::Result<Option<Listing>> {
        let lfu = self.access == ObjectSub::Freq;
        let mut summary = self.summary;
        let rows = match self.mode {
            Mode::Stream(mut w) => {
                summary.shown = summary.keys;
                serde_json::to_writer(&mut w, &SummaryLine { summary: &summary })?;
                writeln!(w)?;
                w.flush()?;
                return Ok(None);
            }
            Mode::All(mut v) => {
                v.sort_by(|a, b| order(a, b, self.by, lfu));
                v
            }
            Mode::Top(heap, _) => heap.into_sorted_vec().into_iter().map(|r| r.row).collect(),
        };
        summary.shown = rows.len() as u64;
        Ok(Some(Listing {
            access: Measure::of(self.access),
            keys: rows,
            summary,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::super::cells::{fmt_secs, ttl_cell};
    use super::super::row::{Access, Readings};
    use super::*;

    fn row(key: &str, ttl_ms: i64, size: u64, access: i64) -> Row {
        Row {
            key: key.into(),
            status: "ok",
            kind: None,
            readings: Readings::Many(vec![]),
            ttl_ms,
            ttl_class: None,
            class_secs: Some(1800),
            size: Some(size),
            access: Access::Idle(Some(access)),
            summary: None,
            value_len: None,
            anomalies: vec![],
        }
    }

    fn keys(rows: &[Row]) -> Vec<&str> {
        rows.iter().map(|r| r.key.as_str()).collect()
    }

    #[test]
    fn orders_by_each_sort_key_with_ties_by_key() {
        let mut v = vec![
            row("c", -1, 10, 5),
            row("a", 5000, 30, 1),
            row("b", 1000, 30, 9),
        ];
        v.sort_by(|a, b| order(a, b, SortBy::Key, false));
        assert_eq!(keys(&v), ["a", "b", "c"]);
        v.sort_by(|a, b| order(a, b, SortBy::Size, false));
        assert_eq!(keys(&v), ["a", "b", "c"]);
        v.sort_by(|a, b| order(a, b, SortBy::Ttl, false));
        assert_eq!(keys(&v), ["b", "a", "c"]);
        v.sort_by(|a, b| order(a, b, SortBy::Idle, false));
        assert_eq!(keys(&v), ["b", "c", "a"]);
        v.sort_by(|a, b| order(a, b, SortBy::Idle, true));
        assert_eq!(keys(&v), ["a", "c", "b"]);
    }

    #[test]
    fn the_heap_keeps_the_first_rows_in_sort_order() {
        let mut c = Collector::new(Format::Json, SortBy::Size, Some(2), ObjectSub::IdleTime);
        for (i, size) in [5u64, 50, 1, 40, 7].iter().enumerate() {
            c.push(row(&format!("k{i}"), -1, *size, 0)).unwrap();
        }
        let Mode::Top(heap, _) = c.mode else {
            panic!("a limit keeps a heap")
        };
        let rows: Vec<Row> = heap.into_sorted_vec().into_iter().map(|r| r.row).collect();
        assert_eq!(keys(&rows), ["k1", "k3"]);
        assert_eq!(c.summary.keys, 5);
        assert_eq!(c.summary.bytes, 103);
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(fmt_secs(0), "0s");
        assert_eq!(fmt_secs(45), "45s");
        assert_eq!(fmt_secs(1800), "30m");
        assert_eq!(fmt_secs(723), "12m3s");
        assert_eq!(fmt_secs(7500), "2h5m");
        assert_eq!(fmt_secs(3 * 86400 + 4 * 3600 + 5), "3d4h");
        let r = row("k", 1_799_001, 1, 1);
        assert_eq!(ttl_cell(&r), "30m / 30m");
        assert_eq!(ttl_cell(&row("k", -1, 1, 1)), "none / 30m");
    }
}
