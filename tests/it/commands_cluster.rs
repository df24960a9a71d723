//! The `warm`, `invalidate`, `inspect` and `stats` scenarios (tests/it/common/scenarios.rs)
//! against a three-primary Redis Cluster, `stats`' per-primary breakdown, and slot
//! migrations started while `invalidate` and `stats` run: no key that should have been
//! deleted or counted is lost.
use crate::common;

use std::time::{Duration, Instant};

use common::scenarios::{self, finish, Demo, Target};
use common::RedisCluster;

#[test]
fn warm_on_a_cluster() {
    let (cluster, demo) = (RedisCluster::start(), Demo::create());
    let (_ref, reference) = scenarios::reference(&demo);
    scenarios::warm(&Target::cluster(&cluster), &demo, &reference);
}

#[test]
fn invalidate_on_a_cluster() {
    let (cluster, demo) = (RedisCluster::start(), Demo::create());
    scenarios::invalidate(&Target::cluster(&cluster), &demo);
}

#[test]
fn inspect_and_stats_on_a_cluster_with_every_primary_shown() {
    let (cluster, demo) = (RedisCluster::start(), Demo::create());
    let t = Target::cluster(&cluster);
    let (_ref, reference) = scenarios::reference(&demo);
    scenarios::inspect(&t, &demo, &reference);
    let doc = scenarios::stats(&t, &demo, &reference, true);
    let server = &doc["server"];
    assert_eq!(
        (&server["cluster"], &server["primaries"]),
        (&true.into(), &3.into())
    );
    let nodes = doc["nodes"].as_array().expect("a nodes array");
    let mut addrs: Vec<String> = cluster.nodes().iter().map(|n| n.addr()).collect();
    addrs.sort();
    let listed: Vec<&str> = nodes
        .iter()
        .map(|n| n["address"].as_str().unwrap())
        .collect();
    assert_eq!(listed, addrs);
    for (n, addr) in nodes.iter().zip(&addrs) {
        let node = cluster.nodes().iter().find(|s| s.addr() == *addr).unwrap();
        let keys: u64 = node.cli(&["DBSIZE"]).trim().parse().unwrap();
        assert_eq!(n["keys"], keys, "{addr}");
        assert!(keys > 100, "keys spread over the primaries");
    }
    let sum = |field: &str| {
        nodes
            .iter()
            .map(|n| n[field].as_u64().unwrap())
            .sum::<u64>()
    };
    assert_eq!(server["usedMemory"], sum("usedMemory"));
    assert_eq!(server["connectedClients"], sum("connectedClients"));
    assert_eq!(server["keyspaceHits"], sum("keyspaceHits"));
    assert_eq!(server["dbsize"], sum("keys"));

    // A primary with another policy: the table shows each node and says they differ.
    cluster
        .node(1)
        .cli(&["CONFIG", "SET", "maxmemory-policy", "allkeys-lru"]);
    let table = t.run(&demo, &["stats"]).ok();
    assert!(table.contains("Redis Cluster of 3 primaries"), "{table}");
    assert!(table.contains("differ per primary"), "{table}");
    for addr in &addrs {
        assert!(table.contains(addr.as_str()), "{addr}: {table}");
    }
    let prom = t.run(&demo, &["stats", "--format", "prometheus"]).ok();
    let used = prom
        .lines()
        .filter(|l| l.starts_with("lineage_cache_redis_node_used_memory_bytes{"))
        .count();
    assert_eq!(used, 3, "{prom}");
}

/// The index of the node SCANned last (highest port: the store scans by address) and of
/// the first, and a hash tag whose slot the last one owns.
fn last_node_tag(cluster: &RedisCluster) -> (usize, usize, String, u16) {
    let by_port = |i: &usize| cluster.node(*i).port();
    let last = (0..3).max_by_key(by_port).unwrap();
    let first = (0..3).min_by_key(by_port).unwrap();
    for i in 0.. {
        let tag = format!("t{i}");
        let slot = cluster.keyslot(&tag);
        if cluster.owner_of(slot) == last {
            return (last, first, tag, slot);
        }
    }
    unreachable!()
}

fn graph_keys(range: std::ops::Range<usize>, tag: &str) -> Vec<(Vec<u8>, Vec<u8>, u64)> {
    range
        .map(|i| {
            let key = format!("ol:lineage:graph:ns/db.{tag}T{i}|c|both");
            (
                key.into_bytes(),
                b"{\"nodes\":[],\"edges\":[]}".to_vec(),
                3600,
            )
        })
        .collect()
}

fn dbsize(cluster: &RedisCluster, i: usize) -> u64 {
    cluster.node(i).cli(&["DBSIZE"]).trim().parse().unwrap()
}

fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "timed out: {what}"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
}

#[test]
fn a_slot_migrated_during_invalidate_loses_no_key() {
    let (cluster, demo) = (RedisCluster::start(), Demo::create());
    let t = Target::cluster(&cluster);
    let (last, first, tag, slot) = last_node_tag(&cluster);
    t.put(&graph_keys(0..6000, ""));
    // 300 keys in one slot of the node scanned last.
    t.put(&graph_keys(0..300, &format!("{{{tag}}}")));
    t.plant_foreign();
    let start_first = dbsize(&cluster, first);

    // Slowed down (2000 keys/s), the run is still scanning when the first node's keys go;
    // the slot then moves from the node not scanned yet to the one already scanned.
    let args = [
        "-v",
        "invalidate",
        "--kind",
        "lineage-graph",
        "--yes",
        "--rate",
        "2000",
    ];
    let child = t.spawn(&demo, &args);
    wait_for("the first deletions", || {
        dbsize(&cluster, first) < start_first
    });
    cluster.migrate_slot(slot, last, first);
    let out = finish(child);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stderr.contains("scanning again"),
        "a rescan: {}",
        out.stderr
    );
    let left = t.keys();
    let foreign: std::collections::BTreeSet<String> =
        scenarios::FOREIGN.iter().map(|s| s.to_string()).collect();
    assert_eq!(
        left, foreign,
        "every lineage key deleted, foreign keys kept"
    );
    assert_eq!(cluster.owner_of(slot), first);
}

/// SCAN calls a node has served since its stats were reset.
fn scans(cluster: &RedisCluster, i: usize) -> u64 {
    let info = cluster.node(i).cli(&["INFO", "commandstats"]);
    info.lines()
        .find_map(|l| l.strip_prefix("cmdstat_scan:calls="))
        .and_then(|v| v.split(',').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

#[test]
fn a_slot_migrated_during_stats_loses_no_key() {
    let (cluster, demo) = (RedisCluster::start(), Demo::create());
    let t = Target::cluster(&cluster);
    let (last, first, tag, slot) = last_node_tag(&cluster);
    t.put(&graph_keys(0..60_000, ""));
    t.put(&graph_keys(0..300, &format!("{{{tag}}}")));
    let total = t.keys().len() as u64;
    for node in cluster.nodes() {
        node.cli(&["CONFIG", "RESETSTAT"]);
    }

    // Once stats scans the first node, the slot moves from the last node to the first.
    let child = t.spawn(&demo, &["stats", "--format", "json"]);
    wait_for("the scan to start", || scans(&cluster, first) > 0);
    assert_eq!(scans(&cluster, last), 0, "the last node is not scanned yet");
    cluster.migrate_slot(slot, last, first);
    let doc: serde_json::Value = serde_json::from_str(&finish(child).ok()).unwrap();
    let ks = &doc["keyspace"];
    assert!(ks["rescans"].as_u64().unwrap() >= 1, "{}", ks["rescans"]);
    assert_eq!(ks["scanned"], total);
    assert_eq!(ks["prefixTotal"]["keys"], total);
    let graphs = &ks["kinds"][8];
    assert_eq!(
        (&graphs["kind"], &graphs["keys"]),
        (&"lineage-graph".into(), &total.into())
    );
    assert_eq!(doc["server"]["dbsize"], total);
    let table = t.run(&demo, &["stats"]).ok();
    assert!(!table.contains("rescanned"), "settled now: {table}");
}
