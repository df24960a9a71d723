//! A stats report as Prometheus text: the server (in a cluster, the primaries added up and
//! each primary by `node`), then the keyspace by kind.
use super::agg::{Estimate, FOREIGN, OTHER, TTL_BUCKETS};
use super::render::is_estimate;
use super::server::NodeHealth;
use super::Report;
use crate::app::report::prom::{MetricType, PromText};
use crate::keys::Kind;

pub(super) fn prometheus(r: &Report) -> String {
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
