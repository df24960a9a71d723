//! Collecting, sorting and printing inspect rows: a bounded heap with `--limit`, streaming
//! for ndjson, and a summary with counts by anomaly over every inspected key.
use std::cmp::Ordering;
use std::collections::{BTreeMap, BinaryHeap};
use std::io::Write;

use serde_json::{json, Value};

use super::row::Row;
use crate::app::output::{paint, Tone};
use crate::app::report::{human_bytes, table};
use crate::cli::{Format, SortBy};
use crate::jobs::judge::check::CODES;
use crate::store::ObjectSub;

/// Totals over every inspected key (not only the rows shown).
#[derive(Debug, Clone, Default)]
pub(crate) struct Summary {
    pub keys: u64,
    pub bytes: u64,
    pub keys_with_anomalies: u64,
    pub anomalies: BTreeMap<&'static str, u64>,
    /// Exact keys asked for that do not exist.
    pub not_found: u64,
    /// Extra scan passes after a cluster's slots moved mid-scan (rows stay one per key).
    pub rescans: u32,
}

impl Summary {
    fn add(&mut self, row: &Row) {
        self.keys += 1;
        self.bytes += row.size.unwrap_or(0);
        if !row.anomalies.is_empty() {
            self.keys_with_anomalies += 1;
        }
        for a in &row.anomalies {
            *self.anomalies.entry(a.code).or_default() += 1;
        }
    }

    pub(crate) fn to_json(&self, shown: usize) -> Value {
        let counts: serde_json::Map<String, Value> = CODES
            .iter()
            .map(|c| ((*c).to_string(), json!(self.anomalies.get(c).unwrap_or(&0))))
            .collect();
        json!({
            "keys": self.keys,
            "shown": shown,
            "bytes": self.bytes,
            "notFound": self.not_found,
            "keysWithAnomalies": self.keys_with_anomalies,
            "anomalies": counts,
            "rescans": self.rescans,
        })
    }

    /// `anomalies: 2 no-ttl, 1 seed-missing (in 2 keys)` or `anomalies: none`.
    pub(crate) fn anomaly_line(&self) -> String {
        if self.keys_with_anomalies == 0 {
            return paint(Tone::Good, "anomalies: none");
        }
        let parts: Vec<String> = CODES
            .iter()
            .filter_map(|c| self.anomalies.get(c).map(|n| format!("{n} {c}")))
            .collect();
        let k = self.keys_with_anomalies;
        let keys = if k == 1 { "key" } else { "keys" };
        paint(
            Tone::Bad,
            &format!("anomalies: {} (in {k} {keys})", parts.join(", ")),
        )
    }
}

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
            let f = |r: &Row| r.access.unwrap_or(i64::MAX);
            f(a).cmp(&f(b))
        }
        SortBy::Idle => b.access.cmp(&a.access),
    };
    primary.then_with(|| a.key.cmp(&b.key))
}

enum Mode {
    /// ndjson in scan order, nothing kept.
    Stream(std::io::BufWriter<std::io::Stdout>),
    All(Vec<Row>),
    Top(BinaryHeap<Ranked>, usize),
}

/// Receives rows as they are probed and prints them at the end (or as they come).
pub(crate) struct Collector {
    mode: Mode,
    format: Format,
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
            format,
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
                let line = row.to_json(super::access_name(self.access)).to_string();
                writeln!(w, "{line}")?;
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

    /// Print what was collected, then the summary.
    pub(crate) fn finish(self) -> anyhow::Result<()> {
        let lfu = self.access == ObjectSub::Freq;
        let access = super::access_name(self.access);
        let rows = match self.mode {
            Mode::Stream(mut w) => {
                let s = json!({ "summary": self.summary.to_json(self.summary.keys as usize) });
                writeln!(w, "{s}")?;
                w.flush()?;
                return Ok(());
            }
            Mode::All(mut v) => {
                v.sort_by(|a, b| order(a, b, self.by, lfu));
                v
            }
            Mode::Top(heap, _) => heap.into_sorted_vec().into_iter().map(|r| r.row).collect(),
        };
        let text = match self.format {
            Format::Json => {
                let keys: Vec<Value> = rows.iter().map(|r| r.to_json(access)).collect();
                let doc = json!({
                    "access": if lfu { "freq" } else { "idle" },
                    "keys": keys,
                    "summary": self.summary.to_json(rows.len()),
                });
                serde_json::to_string_pretty(&doc)? + "\n"
            }
            Format::Ndjson => {
                let mut s = String::new();
                for r in &rows {
                    s.push_str(&r.to_json(access).to_string());
                    s.push('\n');
                }
                let sum = json!({ "summary": self.summary.to_json(rows.len()) });
                s + &sum.to_string() + "\n"
            }
            _ => table_text(&rows, &self.summary, lfu),
        };
        crate::app::output::print(&text)?;
        Ok(())
    }
}

fn table_text(rows: &[Row], summary: &Summary, lfu: bool) -> String {
    let header = [
        "KEY",
        "KIND",
        "#TTL",
        "#SIZE",
        if lfu { "#FREQ" } else { "#IDLE" },
        "VALUE",
        "ANOMALIES",
    ];
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.key.clone(),
                r.kind.map_or("-", |k| k.name()).to_string(),
                ttl_cell(r),
                r.size.map_or("-".into(), human_bytes),
                match r.access {
                    None => "-".into(),
                    Some(n) if lfu => n.to_string(),
                    Some(n) => fmt_secs(n.max(0) as u64),
                },
                r.summary.clone().unwrap_or_default(),
                r.anomalies
                    .iter()
                    .map(|a| a.code)
                    .collect::<Vec<_>>()
                    .join(", "),
            ]
        })
        .collect();
    let mut out = if rows.is_empty() {
        String::new()
    } else {
        table::render(&header, &cells)
    };
    let shown = if rows.len() as u64 == summary.keys {
        String::new()
    } else {
        format!(", {} shown", rows.len())
    };
    let keys = if summary.keys == 1 { "key" } else { "keys" };
    out.push_str(&format!(
        "{} {keys}{shown}, {} in total\n",
        summary.keys,
        human_bytes(summary.bytes)
    ));
    if summary.not_found > 0 {
        out.push_str(&format!("{} named keys not found\n", summary.not_found));
    }
    out.push_str(&summary.anomaly_line());
    out.push('\n');
    if summary.rescans > 0 {
        out.push_str(&crate::app::report::rescan_line(summary.rescans));
    }
    out
}

/// `12m3s / 30m`: remaining TTL next to the class TTL.
pub(crate) fn ttl_cell(r: &Row) -> String {
    let left = if r.ttl_ms < 0 {
        "none".to_string()
    } else {
        fmt_secs((r.ttl_ms as u64).div_ceil(1000))
    };
    match r.class_secs {
        Some(c) => format!("{left} / {}", fmt_secs(c)),
        None => left,
    }
}

/// `45s`, `12m3s`, `30m`, `2h5m`, `3d4h`.
pub(crate) fn fmt_secs(s: u64) -> String {
    let (d, h, m, sec) = (s / 86400, s / 3600 % 24, s / 60 % 60, s % 60);
    let pair = |a: u64, ua: &str, b: u64, ub: &str| {
        if b == 0 {
            format!("{a}{ua}")
        } else {
            format!("{a}{ua}{b}{ub}")
        }
    };
    if d > 0 {
        pair(d, "d", h, "h")
    } else if h > 0 {
        pair(h, "h", m, "m")
    } else if m > 0 {
        pair(m, "m", sec, "s")
    } else {
        format!("{sec}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(key: &str, ttl_ms: i64, size: u64, access: i64) -> Row {
        Row {
            key: key.into(),
            status: "ok",
            kind: None,
            readings: vec![],
            ttl_ms,
            class_secs: Some(1800),
            size: Some(size),
            access: Some(access),
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
