//! A stats report as a table for people, JSON (pretty or one line), or Prometheus text.
use serde_json::{json, Map, Value};

use super::agg::{Estimate, FOREIGN, OTHER, TTL_BUCKETS};
use super::server::NodeHealth;
use super::Report;
use crate::cli::Format;
use crate::keys::Kind;
use crate::report::prom::{MetricType, PromText};
use crate::report::{human_bytes, table};

/// The report in `format` (ndjson: the JSON on one line).
pub(crate) fn render(r: &Report, format: Format) -> String {
    match format {
        Format::Table => table_text(r),
        Format::Json => serde_json::to_string_pretty(&to_json(r)).unwrap_or_default() + "\n",
        Format::Ndjson => to_json(r).to_string() + "\n",
        Format::Prometheus => prometheus(r),
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

fn is_estimate(r: &Report) -> bool {
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
        line.push_str(crate::cmd::inspect::render::rescan_line(r.rescans).trim_end());
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

fn prometheus(r: &Report) -> String {
    use MetricType::{Counter, Gauge};
    let h = &r.servers.total;
    let f = |n: u64| Some(n as f64);
    let mut p = PromText::new();
    let p_ = "lineage_cache_redis";
    p.single(
        &format!("{p_}_used_memory_bytes"),
        "Memory Redis uses (INFO used_memory).",
        Gauge,
        f(h.used_memory),
    );
    p.single(
        &format!("{p_}_peak_memory_bytes"),
        "Peak memory (INFO used_memory_peak).",
        Gauge,
        f(h.peak_memory),
    );
    p.single(
        &format!("{p_}_maxmemory_bytes"),
        "The maxmemory limit; 0 means none.",
        Gauge,
        f(h.maxmemory),
    );
    let name = format!("{p_}_maxmemory_policy");
    p.family(&name, "The maxmemory-policy, as a label.", Gauge)
        .sample(&name, &[("policy", &h.policy)], Some(1.0));
    p.single(
        &format!("{p_}_evicted_keys_total"),
        "Keys evicted since start.",
        Counter,
        f(h.evicted),
    );
    p.single(
        &format!("{p_}_expired_keys_total"),
        "Keys expired since start.",
        Counter,
        f(h.expired),
    );
    p.single(
        &format!("{p_}_keyspace_hits_total"),
        "Successful key lookups.",
        Counter,
        f(h.hits),
    );
    p.single(
        &format!("{p_}_keyspace_misses_total"),
        "Failed key lookups.",
        Counter,
        f(h.misses),
    );
    p.single(
        &format!("{p_}_hit_ratio"),
        "hits / (hits + misses); NaN before any lookup.",
        Gauge,
        h.hit_rate(),
    );
    p.single(
        &format!("{p_}_ops_per_second"),
        "Commands per second (instantaneous).",
        Gauge,
        f(h.ops_per_sec),
    );
    p.single(
        &format!("{p_}_connected_clients"),
        "Connected clients.",
        Gauge,
        f(h.clients),
    );
    p.single(
        &format!("{p_}_keys"),
        "Keys in the database (DBSIZE).",
        Gauge,
        f(r.dbsize),
    );
    node_metrics(&mut p, r);
    cache_metrics(&mut p, r);
    p.finish()
}

/// In a cluster, each primary's memory, limit and keys, labelled by `node`.
fn node_metrics(p: &mut PromText, r: &Report) {
    use MetricType::Gauge;
    if !r.servers.is_cluster() {
        return;
    }
    let nodes = &r.servers.nodes;
    let each = |p: &mut PromText, name: &str, help: &str, v: &dyn Fn(&NodeHealth) -> u64| {
        p.family(name, help, Gauge);
        for n in nodes {
            p.sample(name, &[("node", &n.addr)], Some(v(n) as f64));
        }
    };
    each(
        p,
        "lineage_cache_redis_node_used_memory_bytes",
        "Memory each cluster primary uses (INFO used_memory).",
        &|n| n.health.used_memory,
    );
    each(
        p,
        "lineage_cache_redis_node_maxmemory_bytes",
        "Each cluster primary's maxmemory; 0 means none.",
        &|n| n.health.maxmemory,
    );
    each(
        p,
        "lineage_cache_redis_node_keys",
        "Keys on each cluster primary (INFO keyspace).",
        &|n| n.keys,
    );
}

fn cache_metrics(p: &mut PromText, r: &Report) {
    use MetricType::Gauge;
    let g = &r.keyspace.groups;
    let mut groups: Vec<(&str, Estimate)> = Kind::ALL
        .iter()
        .zip(g)
        .map(|(k, g)| (k.name(), g.estimate()))
        .collect();
    groups.push(("other", g[OTHER].estimate()));
    groups.push(("foreign", g[FOREIGN].estimate()));
    let each = |p: &mut PromText, name: &str, help: &str, v: &dyn Fn(&Estimate) -> u64| {
        p.family(name, help, Gauge);
        for (kind, e) in &groups {
            p.sample(name, &[("kind", kind)], Some(v(e) as f64));
        }
    };
    each(
        p,
        "lineage_cache_keys",
        "Keys by kind (other: ol: keys of no kind; foreign: outside ol:).",
        &|e| e.keys,
    );
    each(
        p,
        "lineage_cache_bytes",
        "MEMORY USAGE bytes by kind.",
        &|e| e.bytes,
    );
    let name = "lineage_cache_key_size_bytes";
    p.family(
        name,
        "Key size by kind: p50, p95 and max (quantile 1).",
        Gauge,
    );
    for (kind, e) in &groups {
        for (q, v) in [("0.5", e.p50), ("0.95", e.p95), ("1", e.max)] {
            p.sample(name, &[("kind", kind), ("quantile", q)], Some(v as f64));
        }
    }
    let name = "lineage_cache_keys_by_ttl";
    p.family(
        name,
        "Keys by kind and remaining TTL bucket (none: no TTL).",
        Gauge,
    );
    for (kind, e) in groups.iter().filter(|(k, _)| *k != "foreign") {
        for (b, n) in TTL_BUCKETS.iter().zip(e.ttl) {
            p.sample(name, &[("kind", kind), ("ttl", b)], Some(n as f64));
        }
    }
    let est = if is_estimate(r) { 1.0 } else { 0.0 };
    p.single(
        "lineage_cache_stats_estimate",
        "1 when the figures are a sampled estimate.",
        Gauge,
        Some(est),
    );
    p.single(
        "lineage_cache_stats_sampled_keys",
        "Keys measured.",
        Gauge,
        Some(r.keyspace.probed() as f64),
    );
    p.single(
        "lineage_cache_stats_rescans",
        "Scans run again because the cluster's slots moved during them.",
        Gauge,
        Some(f64::from(r.rescans)),
    );
    p.single(
        "lineage_cache_stats_duration_seconds",
        "How long the scan took.",
        Gauge,
        Some(r.elapsed.as_secs_f64()),
    );
}
