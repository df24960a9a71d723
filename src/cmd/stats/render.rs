//! A stats report as a table for people, JSON (pretty or one line), or Prometheus text.
use serde_json::{json, Map, Value};

use super::agg::{Estimate, FOREIGN, OTHER, TTL_BUCKETS};
use super::Report;
use crate::app::report::export::Export;
use crate::app::report::{human_bytes, table};
use crate::cli::Format;
use crate::keys::Kind;

/// The report in `format` (ndjson: the JSON on one line).
pub(crate) fn render(r: &Report, format: Format) -> anyhow::Result<String> {
    crate::app::report::export::render(format, r)
}

impl Export for Report {
    fn table(&self) -> String {
        table_text(self)
    }

    fn json(&self) -> Value {
        to_json(self)
    }

    fn prometheus(&self) -> anyhow::Result<String> {
        Ok(super::prom::prometheus(self))
    }
}

/// Each row of the breakdown: label and estimate; the foreign row has no TTL figures.
fn rows(r: &Report) -> Vec<(String, Estimate)> {
    let g = &r.keyspace.groups;
    let mut v: Vec<(String, Estimate)> = Kind::ALL
        .iter()
        .zip(g)
        .map(|(k, g)| (k.name().to_string(), g.estimate()))
        .collect();
    v.push(("other ol: keys".into(), g[OTHER].estimate()));
    v.push(("all ol: keys".into(), r.keyspace.prefix_total().estimate()));
    v.push(("foreign (not ol:)".into(), g[FOREIGN].estimate()));
    v
}

pub(super) fn is_estimate(r: &Report) -> bool {
    r.keyspace.every > 1
}

/// How the figures were obtained, in a line.
fn method_line(r: &Report) -> String {
    let secs = r.elapsed.as_secs_f64();
    let ks = &r.keyspace;
    let mut line = if is_estimate(r) {
        format!(
            "estimate: sizes and TTLs from {} sampled keys (1 in {}) of {} scanned; key counts \
             are exact, bytes and TTL counts scaled ({secs:.2}s)",
            ks.probed(),
            ks.every,
            ks.scanned()
        )
    } else {
        format!("full scan of {} keys ({secs:.2}s)", ks.scanned())
    };
    if r.rescans > 0 {
        line.push('\n');
        line.push_str(crate::app::report::rescan_line(r.rescans).trim_end());
    }
    line
}

/// Every warning of the report: memory settings, and keys the user could not size.
fn warnings(r: &Report) -> Vec<String> {
    let mut w = r.servers.warnings();
    let unsized_keys = r.keyspace.unsized_keys();
    if unsized_keys > 0 {
        w.push(format!(
            "{unsized_keys} keys could not be sized: the ACL user may not read them (MEMORY USAGE \
             refused); they are counted, their bytes are not (grant %R~* to size them; see \
             docs/redis.md)"
        ));
    }
    w
}

fn server_lines(r: &Report) -> String {
    let h = &r.servers.total;
    let n = r.servers.nodes.len();
    let limit = if r.servers.is_cluster() && !r.servers.uniform() {
        "maxmemory and policy differ per primary (below)".to_string()
    } else {
        let total = if n > 1 { " in total" } else { "" };
        let limit = match h.maxmemory {
            0 => "no maxmemory limit".to_string(),
            m => format!("maxmemory {}{total}", human_bytes(m)),
        };
        format!("{limit}, policy {}", h.policy)
    };
    let hit = match h.hit_rate() {
        Some(rate) => format!(
            "{:.1}% ({} hits, {} misses)",
            rate * 100.0,
            h.hits,
            h.misses
        ),
        None => "n/a (no lookups yet)".into(),
    };
    let (what, scope) = if r.servers.is_cluster() {
        (
            format!("Redis Cluster of {n} primaries, "),
            " (all primaries)",
        )
    } else {
        (String::new(), "")
    };
    let mut s = format!(
        "server    {} ({what}Redis {})\nmemory    {} used, {} peak{scope}; {limit}\n\
         keys      {} in the database; {} evicted, {} expired since start\n\
         hit rate  {hit}\nload      {} ops/s, {} clients{scope}\n",
        r.addr,
        h.version,
        human_bytes(h.used_memory),
        human_bytes(h.peak_memory),
        r.dbsize,
        h.evicted,
        h.expired,
        h.ops_per_sec,
        h.clients
    );
    for w in warnings(r) {
        s.push_str(&format!("warning: {w}\n"));
    }
    if r.servers.is_cluster() {
        s.push_str(&r.servers.node_table());
    }
    s
}

fn table_text(r: &Report) -> String {
    let mut header = vec!["KIND", "#KEYS", "#BYTES", "#AVG", "#P50", "#P95", "#MAX"];
    let ttl_heads: Vec<String> = TTL_BUCKETS
        .iter()
        .map(|b| format!("#{}", if *b == "none" { "NO TTL" } else { b }))
        .collect();
    header.extend(ttl_heads.iter().map(String::as_str));
    let all = rows(r);
    let last = all.len() - 1;
    let cells: Vec<Vec<String>> = all
        .iter()
        .enumerate()
        .map(|(i, (label, e))| {
            let bytes = match e.margin {
                Some(m) => format!("{} ±{:.1}%", human_bytes(e.bytes), m * 100.0),
                None => human_bytes(e.bytes),
            };
            let mut c = vec![label.clone(), e.keys.to_string(), bytes];
            for n in [e.avg, e.p50, e.p95, e.max] {
                c.push(if e.keys == 0 {
                    "-".into()
                } else {
                    human_bytes(n)
                });
            }
            for n in e.ttl {
                c.push(if i == last { "-".into() } else { n.to_string() });
            }
            c
        })
        .collect();
    format!(
        "{}\n{}{}\n",
        server_lines(r),
        table::render(&header, &cells),
        method_line(r)
    )
}

fn estimate_json(e: &Estimate, with_ttl: bool) -> Value {
    let mut m = Map::new();
    m.insert("keys".into(), json!(e.keys));
    m.insert("bytes".into(), json!(e.bytes));
    if let Some(margin) = e.margin {
        m.insert("bytesMargin95".into(), json!(margin));
    }
    m.insert("avgBytes".into(), json!(e.avg));
    m.insert("p50Bytes".into(), json!(e.p50));
    m.insert("p95Bytes".into(), json!(e.p95));
    m.insert("maxBytes".into(), json!(e.max));
    if with_ttl {
        let ttl: Map<String, Value> = TTL_BUCKETS
            .iter()
            .zip(e.ttl)
            .map(|(b, n)| ((*b).to_string(), json!(n)))
            .collect();
        m.insert("ttl".into(), Value::Object(ttl));
        m.insert("noTtl".into(), json!(e.ttl[TTL_BUCKETS.len() - 1]));
    }
    Value::Object(m)
}

fn to_json(r: &Report) -> Value {
    let g = &r.keyspace.groups;
    let kinds: Vec<Value> = Kind::ALL
        .iter()
        .zip(g)
        .map(|(k, g)| {
            let mut m = Map::new();
            m.insert("kind".into(), json!(k.name()));
            if let Value::Object(fig) = estimate_json(&g.estimate(), true) {
                m.extend(fig);
            }
            Value::Object(m)
        })
        .collect();
    let mut server = r.servers.total.to_json(&r.addr, r.dbsize);
    server["cluster"] = json!(r.servers.is_cluster());
    server["primaries"] = json!(r.servers.nodes.len().max(1));
    let mut doc = json!({
        "server": server,
        "warnings": warnings(r),
        "keyspace": {
            "estimate": is_estimate(r),
            "rescans": r.rescans,
            "unsizedKeys": r.keyspace.unsized_keys(),
            "scanned": r.keyspace.scanned(),
            "sampled": r.keyspace.probed(),
            "sampleEvery": r.keyspace.every,
            "kinds": kinds,
            "otherPrefix": estimate_json(&g[OTHER].estimate(), true),
            "prefixTotal": estimate_json(&r.keyspace.prefix_total().estimate(), true),
            "foreign": estimate_json(&g[FOREIGN].estimate(), false),
        },
        "elapsedMs": r.elapsed.as_millis() as u64,
    });
    if r.servers.is_cluster() {
        doc["nodes"] = r.servers.nodes_json();
    }
    doc
}
