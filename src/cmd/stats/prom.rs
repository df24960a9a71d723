//! A stats report as Prometheus text: the server (in a cluster, the primaries added up and
//! each primary by `node`), then the keyspace by kind.
use super::agg::TTL_BUCKETS;
use super::report::{Figures, StatsReport};
use super::server::NodeHealth;
use crate::app::report::prom::{MetricType, PromText};

/// The whole report as Prometheus text.
pub(super) fn prometheus(r: &StatsReport) -> String {
    let mut p = PromText::new();
    server_metrics(&mut p, r);
    node_metrics(&mut p, r);
    cache_metrics(&mut p, r);
    scan_metrics(&mut p, r);
    p.finish()
}

/// A family of one unlabelled sample under `lineage_cache_redis_`: name, help, type, value.
type Single<'a> = (&'a str, &'a str, MetricType, Option<f64>);

/// The server's memory, limits, evictions, lookups, load and keys.
fn server_metrics(p: &mut PromText, r: &StatsReport) {
    use MetricType::{Counter, Gauge};
    let h = &r.server.health;
    let n = |v: u64| Some(v as f64);
    #[rustfmt::skip]
    let memory: [Single; 3] = [
        ("used_memory_bytes", "Memory Redis uses (INFO used_memory).", Gauge, n(h.used_memory)),
        ("peak_memory_bytes", "Peak memory (INFO used_memory_peak).", Gauge, n(h.peak_memory)),
        ("maxmemory_bytes", "The maxmemory limit; 0 means none.", Gauge, n(h.maxmemory)),
    ];
    #[rustfmt::skip]
    let activity: [Single; 8] = [
        ("evicted_keys_total", "Keys evicted since start.", Counter, n(h.evicted)),
        ("expired_keys_total", "Keys expired since start.", Counter, n(h.expired)),
        ("keyspace_hits_total", "Successful key lookups.", Counter, n(h.hits)),
        ("keyspace_misses_total", "Failed key lookups.", Counter, n(h.misses)),
        ("hit_ratio", "hits / (hits + misses); NaN before any lookup.", Gauge, h.hit_rate),
        ("ops_per_second", "Commands per second (instantaneous).", Gauge, n(h.ops_per_sec)),
        ("connected_clients", "Connected clients.", Gauge, n(h.clients)),
        ("keys", "Keys in the database (DBSIZE).", Gauge, n(r.server.dbsize)),
    ];
    singles(p, &memory);
    let name = "lineage_cache_redis_maxmemory_policy";
    p.family(name, "The maxmemory-policy, as a label.", Gauge)
        .sample(name, &[("policy", &h.policy)], Some(1.0));
    singles(p, &activity);
}

/// Families of one unlabelled sample each.
fn singles(p: &mut PromText, families: &[Single]) {
    for (name, help, t, v) in families {
        p.single(&format!("lineage_cache_redis_{name}"), help, *t, *v);
    }
}

/// In a cluster, each primary's memory, limit and keys, labelled by `node`.
fn node_metrics(p: &mut PromText, r: &StatsReport) {
    use MetricType::Gauge;
    if !r.server.cluster {
        return;
    }
    let nodes = &r.nodes;
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

/// Keys, bytes and sizes by kind, and keys by kind and TTL bucket.
fn cache_metrics(p: &mut PromText, r: &StatsReport) {
    use MetricType::Gauge;
    let groups = r.groups();
    let each = |p: &mut PromText, name: &str, help: &str, v: &dyn Fn(&Figures) -> u64| {
        p.family(name, help, Gauge);
        for (kind, f) in &groups {
            p.sample(name, &[("kind", kind)], Some(v(f) as f64));
        }
    };
    each(
        p,
        "lineage_cache_keys",
        "Keys by kind (other: ol: keys of no kind; foreign: outside ol:).",
        &|f| f.keys,
    );
    each(
        p,
        "lineage_cache_bytes",
        "MEMORY USAGE bytes by kind.",
        &|f| f.bytes,
    );
    size_metrics(p, &groups);
    ttl_metrics(p, &groups);
}

/// Key size by kind: p50, p95 and max.
fn size_metrics(p: &mut PromText, groups: &[(&str, &Figures)]) {
    let name = "lineage_cache_key_size_bytes";
    p.family(
        name,
        "Key size by kind: p50, p95 and max (quantile 1).",
        MetricType::Gauge,
    );
    for (kind, f) in groups {
        for (q, v) in [("0.5", f.p50), ("0.95", f.p95), ("1", f.max)] {
            p.sample(name, &[("kind", kind), ("quantile", q)], Some(v as f64));
        }
    }
}

/// Keys by kind and TTL bucket, for the groups with TTL figures (not foreign keys).
fn ttl_metrics(p: &mut PromText, groups: &[(&str, &Figures)]) {
    let name = "lineage_cache_keys_by_ttl";
    p.family(
        name,
        "Keys by kind and remaining TTL bucket (none: no TTL).",
        MetricType::Gauge,
    );
    for (kind, f) in groups {
        let Some(t) = &f.ttl else { continue };
        for (b, n) in TTL_BUCKETS.iter().zip(t.ttl) {
            p.sample(name, &[("kind", kind), ("ttl", b)], Some(n as f64));
        }
    }
}

/// How the figures were obtained: sampled or not, keys measured, rescans, duration.
fn scan_metrics(p: &mut PromText, r: &StatsReport) {
    use MetricType::Gauge;
    let ks = &r.keyspace;
    let est = if ks.estimate { 1.0 } else { 0.0 };
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
        Some(ks.sampled as f64),
    );
    p.single(
        "lineage_cache_stats_rescans",
        "Scans run again because the cluster's slots moved during them.",
        Gauge,
        Some(f64::from(ks.rescans)),
    );
    p.single(
        "lineage_cache_stats_duration_seconds",
        "How long the scan took.",
        Gauge,
        Some(r.elapsed.as_secs_f64()),
    );
}
