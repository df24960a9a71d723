//! Reports: per-kind tallies, tables (the only place comfy-table is used), JSON, Prometheus
//! text written atomically, and progress bars that stay quiet off a terminal.
use std::collections::BTreeMap;

pub mod export;
pub(crate) mod fields;
pub mod metrics;
pub mod progress;
pub mod prom;
pub mod table;

/// Counts of one kind of key in a run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// Counters by outcome name (`written`, `deleted`, `skipped-existing`, ...).
    pub outcomes: BTreeMap<&'static str, u64>,
    /// Bytes written (or freed, or that would be written in a dry run).
    pub bytes: u64,
}

/// Per-kind counts for a run, in kind order.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    pub by_kind: BTreeMap<&'static str, Counts>,
}

impl Tally {
    pub fn add(&mut self, kind: &'static str, outcome: &'static str, n: u64, bytes: u64) {
        let c = self.by_kind.entry(kind).or_default();
        *c.outcomes.entry(outcome).or_default() += n;
        c.bytes += bytes;
    }

    /// The total of one outcome across kinds.
    pub fn total(&self, outcome: &str) -> u64 {
        self.by_kind
            .values()
            .filter_map(|c| c.outcomes.get(outcome))
            .sum()
    }

    pub fn total_bytes(&self) -> u64 {
        self.by_kind.values().map(|c| c.bytes).sum()
    }

    /// Every outcome name that occurs, in a stable order.
    pub fn outcome_names(&self, preferred: &[&'static str]) -> Vec<&'static str> {
        let mut names: Vec<&'static str> = preferred.to_vec();
        for c in self.by_kind.values() {
            for k in c.outcomes.keys() {
                if !names.contains(k) {
                    names.push(k);
                }
            }
        }
        names
    }

    /// `{"lineage-graph": {"written": 3, ..., "bytes": 1234}, ...}`
    pub fn to_json(&self) -> serde_json::Value {
        let mut m = serde_json::Map::new();
        for (kind, c) in &self.by_kind {
            let mut o = serde_json::Map::new();
            for (k, v) in &c.outcomes {
                o.insert((*k).to_string(), (*v).into());
            }
            o.insert("bytes".into(), c.bytes.into());
            m.insert((*kind).to_string(), serde_json::Value::Object(o));
        }
        serde_json::Value::Object(m)
    }
}

/// `1.5 MB`-style sizes for people.
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1000.0 && u + 1 < UNITS.len() {
        v /= 1000.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

/// The process's memory now and at its peak (resident set, `VmRSS`/`VmHWM`), for the
/// phase timings of `-v`: "rss 80 MiB, peak 143 MiB"; empty where /proc is not there.
pub fn memory_note() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return String::new();
    };
    let kib = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
    };
    match (kib("VmRSS:"), kib("VmHWM:")) {
        (Some(now), Some(peak)) => format!(" (rss {} MiB, peak {} MiB)", now / 1024, peak / 1024),
        _ => String::new(),
    }
}

/// Said when a cluster scan had to run again because slots moved while it ran.
pub fn rescan_line(rescans: u32) -> String {
    let times = if rescans == 1 {
        "once"
    } else {
        "more than once"
    };
    format!(
        "rescanned {times} ({} passes): the cluster's slots moved during the scan; the last \
         pass ran under a settled topology, so no key was missed\n",
        rescans + 1
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_sizes() {
        assert_eq!(human_bytes(999), "999 B");
        assert_eq!(human_bytes(1_500_000), "1.5 MB");
    }
}
