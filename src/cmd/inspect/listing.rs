//! The report of `inspect` over a selection: the rows shown, in output order, and a summary
//! with counts by anomaly over every inspected key; as a table, JSON or NDJSON.
use std::collections::BTreeMap;

use serde::{Serialize, Serializer};

use super::cells::{access_cell, ttl_cell};
use super::row::Row;
use crate::app::output::{paint, Tone};
use crate::app::report::export::Export;
use crate::app::report::{human_bytes, table};
use crate::jobs::judge::check::CODES;
use crate::store::ObjectSub;

/// Totals over every inspected key (not only the rows shown).
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Summary {
    pub keys: u64,
    /// Rows shown: every key, or the first `--limit` in sort order.
    pub shown: u64,
    pub bytes: u64,
    /// Exact keys asked for that do not exist.
    pub not_found: u64,
    pub keys_with_anomalies: u64,
    /// Keys by anomaly code: every code, in [`CODES`] order.
    #[serde(serialize_with = "by_code")]
    pub anomalies: BTreeMap<&'static str, u64>,
    /// Extra scan passes after a cluster's slots moved mid-scan (rows stay one per key).
    pub rescans: u32,
}

/// The access figure the server keeps, and so every row shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Measure {
    /// Idle time (LRU policies).
    Idle,
    /// Access frequency (LFU policies).
    Freq,
}

impl Measure {
    pub(crate) fn of(sub: ObjectSub) -> Measure {
        match sub {
            ObjectSub::Freq => Measure::Freq,
            _ => Measure::Idle,
        }
    }
}

/// The rows shown and the summary.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Listing {
    pub access: Measure,
    pub keys: Vec<Row>,
    pub summary: Summary,
}

/// The summary on a line of its own (NDJSON).
#[derive(Serialize)]
pub(crate) struct SummaryLine<'a> {
    pub summary: &'a Summary,
}

impl Summary {
    pub(crate) fn add(&mut self, row: &Row) {
        self.keys += 1;
        self.bytes += row.size.unwrap_or(0);
        if !row.anomalies.is_empty() {
            self.keys_with_anomalies += 1;
        }
        for a in &row.anomalies {
            *self.anomalies.entry(a.code).or_default() += 1;
        }
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

    /// The lines under the table: keys and bytes, keys not found, anomalies, rescans.
    fn lines(&self) -> String {
        let shown = if self.shown == self.keys {
            String::new()
        } else {
            format!(", {} shown", self.shown)
        };
        let keys = if self.keys == 1 { "key" } else { "keys" };
        let mut out = format!(
            "{} {keys}{shown}, {} in total\n",
            self.keys,
            human_bytes(self.bytes)
        );
        if self.not_found > 0 {
            out.push_str(&format!("{} named keys not found\n", self.not_found));
        }
        out.push_str(&self.anomaly_line());
        out.push('\n');
        if self.rescans > 0 {
            out.push_str(&crate::app::report::rescan_line(self.rescans));
        }
        out
    }
}

/// Counts by anomaly code, every code in order (0 for those not found).
fn by_code<S: Serializer>(counts: &BTreeMap<&'static str, u64>, s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(CODES.iter().map(|c| (c, counts.get(c).unwrap_or(&0))))
}

impl Export for Listing {
    fn table(&self) -> String {
        let mut out = if self.keys.is_empty() {
            String::new()
        } else {
            rows_table(&self.keys, self.access)
        };
        out.push_str(&self.summary.lines());
        out
    }

    fn json(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("an inspect report serializes to JSON")
    }

    /// A row per line, then the summary.
    fn ndjson(&self) -> String {
        let mut s = String::new();
        for r in &self.keys {
            s.push_str(&serde_json::to_string(r).expect("a row serializes to JSON"));
            s.push('\n');
        }
        let summary = SummaryLine {
            summary: &self.summary,
        };
        s + &serde_json::to_string(&summary).expect("a summary serializes to JSON") + "\n"
    }
}

/// One line per row: key, kind, TTL, size, access, value, anomalies.
fn rows_table(rows: &[Row], access: Measure) -> String {
    let header = [
        "KEY",
        "KIND",
        "#TTL",
        "#SIZE",
        if access == Measure::Freq {
            "#FREQ"
        } else {
            "#IDLE"
        },
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
                access_cell(r.access),
                r.summary.clone().unwrap_or_default(),
                r.anomalies
                    .iter()
                    .map(|a| a.code)
                    .collect::<Vec<_>>()
                    .join(", "),
            ]
        })
        .collect();
    table::render(&header, &cells)
}
