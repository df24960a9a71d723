//! A stats report for people (the server's health, warnings, then the breakdown by kind in a
//! table) and its seam to `--format`: JSON is the report serialized, Prometheus text is in
//! [`super::prom`].
use super::agg::TTL_BUCKETS;
use super::report::{Figures, StatsReport};
use super::server::{node_table, uniform, Health};
use crate::app::report::export::Export;
use crate::app::report::{human_bytes, table};

impl Export for StatsReport {
    fn table(&self) -> String {
        format!(
            "{}\n{}{}\n",
            server_lines(self),
            breakdown(self),
            method_line(self)
        )
    }

    fn json(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("a stats report serializes to JSON")
    }

    fn prometheus(&self) -> anyhow::Result<String> {
        Ok(super::prom::prometheus(self))
    }
}

/// How the figures were obtained, in a line.
fn method_line(r: &StatsReport) -> String {
    let secs = r.elapsed.as_secs_f64();
    let ks = &r.keyspace;
    let mut line = if ks.estimate {
        format!(
            "estimate: sizes and TTLs from {} sampled keys (1 in {}) of {} scanned; key counts \
             are exact, bytes and TTL counts scaled ({secs:.2}s)",
            ks.sampled, ks.sample_every, ks.scanned
        )
    } else {
        format!("full scan of {} keys ({secs:.2}s)", ks.scanned)
    };
    if ks.rescans > 0 {
        line.push('\n');
        line.push_str(crate::app::report::rescan_line(ks.rescans).trim_end());
    }
    line
}

/// The memory limit and policy, said once for every primary when they agree.
fn limit_text(r: &StatsReport) -> String {
    let h = &r.server.health;
    if r.server.cluster && !uniform(&r.nodes) {
        return "maxmemory and policy differ per primary (below)".to_string();
    }
    let total = if r.nodes.len() > 1 { " in total" } else { "" };
    let limit = match h.maxmemory {
        0 => "no maxmemory limit".to_string(),
        m => format!("maxmemory {}{total}", human_bytes(m)),
    };
    format!("{limit}, policy {}", h.policy)
}

/// The server's health in a few lines, its warnings, and in a cluster the per-node table.
fn server_lines(r: &StatsReport) -> String {
    let h = &r.server.health;
    let (what, scope) = if r.server.cluster {
        let n = r.nodes.len();
        (
            format!("Redis Cluster of {n} primaries, "),
            " (all primaries)",
        )
    } else {
        (String::new(), "")
    };
    let mut s = format!(
        "server    {} ({what}Redis {})\nmemory    {} used, {} peak{scope}; {}\n\
         keys      {} in the database; {} evicted, {} expired since start\n\
         hit rate  {}\nload      {} ops/s, {} clients{scope}\n",
        r.server.address,
        h.version,
        human_bytes(h.used_memory),
        human_bytes(h.peak_memory),
        limit_text(r),
        r.server.dbsize,
        h.evicted,
        h.expired,
        hit_text(h),
        h.ops_per_sec,
        h.clients
    );
    for w in &r.warnings {
        s.push_str(&format!("warning: {w}\n"));
    }
    if r.server.cluster {
        s.push_str(&node_table(&r.nodes));
    }
    s
}

/// The hit rate and the lookups it comes from.
fn hit_text(h: &Health) -> String {
    match h.hit_rate {
        Some(rate) => format!(
            "{:.1}% ({} hits, {} misses)",
            rate * 100.0,
            h.hits,
            h.misses
        ),
        None => "n/a (no lookups yet)".into(),
    }
}

/// Each row of the breakdown: label and figures.
fn rows(r: &StatsReport) -> Vec<(&str, &Figures)> {
    let ks = &r.keyspace;
    let mut v: Vec<(&str, &Figures)> = ks.kinds.iter().map(|k| (k.kind, &k.figures)).collect();
    v.push(("other ol: keys", &ks.other_prefix));
    v.push(("all ol: keys", &ks.prefix_total));
    v.push(("foreign (not ol:)", &ks.foreign));
    v
}

/// The breakdown by kind: keys, bytes, sizes, and keys by TTL bucket.
fn breakdown(r: &StatsReport) -> String {
    let mut header = vec!["KIND", "#KEYS", "#BYTES", "#AVG", "#P50", "#P95", "#MAX"];
    let ttl_heads: Vec<String> = TTL_BUCKETS
        .iter()
        .map(|b| format!("#{}", if *b == "none" { "NO TTL" } else { b }))
        .collect();
    header.extend(ttl_heads.iter().map(String::as_str));
    let cells: Vec<Vec<String>> = rows(r)
        .into_iter()
        .map(|(label, f)| row_cells(label, f))
        .collect();
    table::render(&header, &cells)
}

/// One line of the breakdown; a group without TTL figures (foreign keys) shows `-`.
fn row_cells(label: &str, f: &Figures) -> Vec<String> {
    let bytes = match f.margin {
        Some(m) => format!("{} ±{:.1}%", human_bytes(f.bytes), m * 100.0),
        None => human_bytes(f.bytes),
    };
    let mut c = vec![label.to_string(), f.keys.to_string(), bytes];
    for n in [f.avg, f.p50, f.p95, f.max] {
        c.push(if f.keys == 0 {
            "-".into()
        } else {
            human_bytes(n)
        });
    }
    match &f.ttl {
        Some(t) => c.extend(t.ttl.iter().map(u64::to_string)),
        None => c.extend(TTL_BUCKETS.iter().map(|_| "-".to_string())),
    }
    c
}
