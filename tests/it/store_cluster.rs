//! The store against a real three-primary Redis Cluster (started per test): scans of every
//! primary, batches split by slot, UNLINK across slots, detection of cluster mode, a slot
//! migration during a scan, and MOVED/ASK during a reshard.
use crate::common;

use std::collections::HashSet;
use std::ops::ControlFlow;
use std::time::Duration;

use common::RedisCluster;
use lineage_cache::config::{Config, RedisTarget};
use lineage_cache::exit::ExitCodeOf;
use lineage_cache::store::{ObjectSub, Store, StoreError};

fn config_for(port: u16, cluster: bool) -> Config {
    Config {
        redis: RedisTarget {
            tls: false,
            host: "127.0.0.1".into(),
            port,
            username: None,
            password: None,
            db: 0,
        },
        cluster,
        timeout: Duration::from_secs(5),
        ..Config::default()
    }
}

async fn connect(cluster: &RedisCluster) -> Store {
    Store::connect(&config_for(cluster.node(0).port(), true))
        .await
        .expect("connect to the test cluster")
}

fn b(s: &str) -> Vec<u8> {
    s.as_bytes().to_vec()
}

fn keys(n: usize, head: &str) -> Vec<Vec<u8>> {
    (0..n).map(|i| b(&format!("{head}{i}"))).collect()
}

async fn put(store: &Store, keys: &[Vec<u8>]) {
    for chunk in keys.chunks(500) {
        let items: Vec<_> = chunk.iter().map(|k| (k.clone(), k.clone(), 3600)).collect();
        for r in store.set_ex_many(&items).await.expect("batch") {
            r.expect("item");
        }
    }
}

async fn scan_set(store: &Store, pattern: &str, count: usize) -> HashSet<Vec<u8>> {
    let mut seen = HashSet::new();
    store
        .scan(pattern, count, |batch| {
            seen.extend(batch);
            ControlFlow::Continue(())
        })
        .await
        .expect("scan");
    seen
}

/// How many keys each node holds (`DBSIZE` on each).
fn per_node(cluster: &RedisCluster) -> Vec<usize> {
    let size = |i: usize| cluster.node(i).cli(&["DBSIZE"]).trim().parse().unwrap();
    (0..3).map(size).collect()
}

#[tokio::test]
async fn scans_every_primary_and_batches_work_across_slots() {
    let cluster = RedisCluster::start();
    let store = connect(&cluster).await;
    assert!(store.is_cluster());
    let ours = keys(3000, "ol:dataset:get:d");
    let foreign = keys(300, "session:");
    put(&store, &ours).await;
    put(&store, &foreign).await;
    let spread = per_node(&cluster);
    assert!(
        spread.iter().all(|&n| n > 500),
        "keys not spread: {spread:?}"
    );
    assert_eq!(spread.iter().sum::<usize>(), 3300);

    let seen = scan_set(&store, "ol:*", 200).await;
    assert_eq!(seen, ours.iter().cloned().collect::<HashSet<_>>());
    assert_eq!(scan_set(&store, "*", 0).await.len(), 3300);

    let mut probe = ours[..400].to_vec();
    probe.push(b("ol:missing"));
    let values = store.get_many(&probe).await.unwrap();
    assert!(values[..400]
        .iter()
        .zip(&probe)
        .all(|(v, k)| v.as_ref() == Some(k)));
    assert_eq!(values[400], None);
    let ttls = store.pttl_many(&probe).await.unwrap();
    assert!(ttls[..400]
        .iter()
        .all(|t| (3_590_000..=3_600_000).contains(t)));
    assert_eq!(ttls[400], -2);
    let exists = store.exists_many(&probe).await.unwrap();
    assert_eq!(exists.iter().filter(|e| **e).count(), 400);
    let sizes = store.memory_usage_many(&probe).await.unwrap();
    assert!(sizes[..400].iter().all(|s| s.unwrap_or(0) > 0) && sizes[400].is_none());
    let enc = store
        .object_many(ObjectSub::Encoding, &probe)
        .await
        .unwrap();
    assert!(enc[..400]
        .iter()
        .all(|e| e.as_ref().and_then(|v| v.as_text()) == Some("embstr")));

    // UNLINK across slots and nodes: only existing keys count.
    let mut doomed = ours[..1000].to_vec();
    doomed.push(b("ol:never:existed"));
    assert_eq!(store.unlink_many(&doomed).await.unwrap(), 1000);
    assert_eq!(store.unlink_many(&doomed).await.unwrap(), 0);
    assert_eq!(scan_set(&store, "ol:*", 500).await.len(), 2000);
    assert_eq!(per_node(&cluster).iter().sum::<usize>(), 2300);
}

#[tokio::test]
async fn cluster_mode_is_detected_and_server_facts_are_per_node() {
    let cluster = RedisCluster::start();
    let store = Store::connect(&config_for(cluster.node(1).port(), false))
        .await
        .unwrap();
    assert!(
        store.is_cluster(),
        "cluster_enabled:1 switches to cluster mode"
    );
    store.ping().await.unwrap();
    let nodes = store.info_per_node("memory").await.unwrap();
    assert_eq!(nodes.len(), 3);
    let mut ports: Vec<String> = cluster.nodes().iter().map(|n| n.addr()).collect();
    ports.sort();
    let names: Vec<String> = nodes.iter().map(|(a, _)| a.clone()).collect();
    assert_eq!(names, ports);
    assert!(nodes.iter().all(|(_, t)| t.contains("used_memory:")));
    assert!(store
        .info("cluster")
        .await
        .unwrap()
        .contains("cluster_enabled:1"));
    assert_eq!(
        store.config_get("maxmemory").await.unwrap().as_deref(),
        Some("0")
    );

    // A lease lock is one key: SET NX and EVAL go to its slot.
    let key = "lineage-cache:lock:warm:0";
    assert!(store.try_lock(key, "tok-A", 10_000).await.unwrap());
    assert!(!store.try_lock(key, "tok-B", 10_000).await.unwrap());
    assert!(store.renew_lock(key, "tok-A", 60_000).await.unwrap());
    assert!(!store.release_lock(key, "tok-B").await.unwrap());
    assert!(store.release_lock(key, "tok-A").await.unwrap());

    // A cluster has only database 0.
    let mut config = config_for(cluster.node(0).port(), false);
    config.redis.db = 2;
    let err = Store::connect(&config).await.unwrap_err();
    assert!(matches!(err, StoreError::Config(_)), "{err:?}");
    assert!(err.to_string().contains("only database 0"), "{err}");
}

/// A slot of the node scanned last (highest port), with `extra` more keys put into it.
async fn populated_slot_of_last(
    cluster: &RedisCluster,
    store: &Store,
    extra: usize,
) -> (u16, usize, Vec<Vec<u8>>) {
    let last = (0..3).max_by_key(|&i| cluster.node(i).port()).unwrap();
    let some_key = cluster.node(last).cli(&["RANDOMKEY"]).trim().to_string();
    let slot = cluster.keyslot(&some_key);
    let tagged = keys(extra, &format!("ol:tagged:{{{some_key}}}:"));
    put(store, &tagged).await;
    assert_eq!(cluster.owner_of(slot), last);
    (slot, last, tagged)
}

#[tokio::test]
async fn a_slot_migrated_during_a_scan_is_reported_and_the_stable_scan_is_complete() {
    let cluster = RedisCluster::start();
    let store = connect(&cluster).await;
    let mut all = keys(3000, "ol:field:list:f");
    put(&store, &all).await;
    let (slot, last, tagged) = populated_slot_of_last(&cluster, &store, 50).await;
    all.extend(tagged);
    let first = (0..3).min_by_key(|&i| cluster.node(i).port()).unwrap();
    let want: HashSet<Vec<u8>> = all.iter().cloned().collect();

    // The plain scan delivers what it sees and then reports the change.
    let mut seen = HashSet::new();
    let mut migrated = false;
    let err = store
        .scan("ol:*", 100, |batch| {
            if !migrated {
                cluster.migrate_slot(slot, last, first);
                migrated = true;
            }
            seen.extend(batch);
            ControlFlow::Continue(())
        })
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::TopologyChanged { .. }), "{err:?}");
    assert!(err.to_string().contains(&format!("slot {slot}")), "{err}");
    assert_eq!(err.exit_code(), lineage_cache::exit::Code::Partial);
    assert!(seen.len() >= all.len() - 60, "{}", seen.len());

    // The stable scan: the migration back happens during pass 1, pass 2 is complete.
    let mut passes: Vec<HashSet<Vec<u8>>> = Vec::new();
    let outcome = store
        .scan_all_stable("ol:*", 100, |pass, batch| {
            if passes.len() < pass as usize {
                if pass == 1 {
                    cluster.migrate_slot(slot, first, last);
                }
                passes.push(HashSet::new());
            }
            passes[pass as usize - 1].extend(batch);
            ControlFlow::Continue(())
        })
        .await
        .unwrap();
    assert_eq!(outcome.passes, 2, "{outcome:?}");
    assert_eq!(passes.last().unwrap(), &want);
    assert_eq!(cluster.owner_of(slot), last);

    // Settled again: one pass, and a scanner says nothing changed.
    let mut scanner = store.scanner("ol:*", 1000);
    let mut n = 0;
    while let Some(batch) = scanner.next_batch().await.unwrap() {
        n += batch.len();
    }
    assert_eq!(n, all.len());
    assert!(!scanner.topology_changed());
}

#[tokio::test]
async fn reads_and_writes_follow_ask_and_moved_during_a_reshard() {
    let cluster = RedisCluster::start();
    let store = connect(&cluster).await;
    put(&store, &keys(300, "ol:dataset:ddl:d")).await;
    let (slot, from, tagged) = populated_slot_of_last(&cluster, &store, 40).await;
    let to = (from + 1) % 3;

    // Half-way: some keys of the slot on each node; reads get ASK for the moved ones.
    cluster.begin_migration(slot, from, to);
    let moved = cluster.move_keys(slot, from, to, 20);
    assert!(moved >= 20, "{moved}");
    let values = store.get_many(&tagged).await.unwrap();
    assert!(values
        .iter()
        .zip(&tagged)
        .all(|(v, k)| v.as_ref() == Some(k)));
    assert!(store
        .pttl_many(&tagged)
        .await
        .unwrap()
        .iter()
        .all(|t| *t > 0));
    // A new key of a migrating slot is created on the importing node (ASK).
    let new_key = tagged[0]
        .iter()
        .chain(b":new")
        .copied()
        .collect::<Vec<u8>>();
    let results = store
        .set_ex_many(&[(new_key.clone(), b("v"), 600)])
        .await
        .unwrap();
    assert!(results[0].is_ok(), "{results:?}");
    let exists = cluster
        .node(to)
        .cli(&["-c", "EXISTS", std::str::from_utf8(&new_key).unwrap()]);
    assert_eq!(exists.trim(), "1");

    // Finished: every key of the slot now answers MOVED from the old owner.
    while cluster.move_keys(slot, from, to, 100) > 0 {}
    cluster.finish_migration(slot, to);
    let values = store.get_many(&tagged).await.unwrap();
    assert!(values
        .iter()
        .zip(&tagged)
        .all(|(v, k)| v.as_ref() == Some(k)));
    let rewrite: Vec<_> = tagged.iter().map(|k| (k.clone(), b("w"), 60)).collect();
    assert!(store
        .set_ex_many(&rewrite)
        .await
        .unwrap()
        .iter()
        .all(Result::is_ok));
    assert_eq!(store.get_many(&tagged[..1]).await.unwrap()[0], Some(b("w")));
    assert_eq!(
        store.unlink_many(&tagged).await.unwrap(),
        tagged.len() as u64
    );
    assert_eq!(cluster.owner_of(slot), to);
}
