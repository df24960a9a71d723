//! A private three-primary Redis Cluster for the cluster tests, and slot migrations.
use std::process::Command;
use std::time::{Duration, Instant};

use super::{free_port, RedisServer, START_WITHIN};

/// Three private cluster primaries on loopback ports, joined with `redis-cli --cluster
/// create` and ready (`cluster_state:ok` everywhere); all stopped on drop.
pub struct RedisCluster {
    nodes: Vec<RedisServer>,
}

impl RedisCluster {
    pub fn start() -> RedisCluster {
        let nodes: Vec<RedisServer> = (0..3)
            .map(|_| {
                let bus = free_port().to_string();
                RedisServer::start_with(&[
                    "--cluster-enabled",
                    "yes",
                    "--cluster-config-file",
                    "nodes.conf",
                    "--cluster-port",
                    &bus,
                    "--cluster-node-timeout",
                    "5000",
                ])
            })
            .collect();
        let addrs: Vec<String> = nodes.iter().map(RedisServer::addr).collect();
        let out = Command::new("redis-cli")
            .args(["--cluster", "create"])
            .args(&addrs)
            .args(["--cluster-replicas", "0", "--cluster-yes"])
            .output()
            .expect("run redis-cli --cluster create");
        assert!(
            out.status.success(),
            "cluster create failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let cluster = RedisCluster { nodes };
        cluster.wait_ok();
        cluster
    }

    /// Wait until every node sees all three nodes, every slot served, and state ok.
    pub fn wait_ok(&self) {
        let deadline = Instant::now() + START_WITHIN;
        loop {
            let ready = self.nodes.iter().all(|n| {
                let info = n.cli(&["CLUSTER", "INFO"]);
                info.contains("cluster_state:ok")
                    && info.contains("cluster_slots_ok:16384")
                    && info.contains("cluster_known_nodes:3")
            });
            if ready {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the cluster did not become ready"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn nodes(&self) -> &[RedisServer] {
        &self.nodes
    }

    /// The node at `i` (in start order).
    pub fn node(&self, i: usize) -> &RedisServer {
        &self.nodes[i]
    }

    /// `redis://127.0.0.1:PORT` of the first node: a seed for clients.
    pub fn url(&self) -> String {
        self.nodes[0].url()
    }

    pub fn node_id(&self, i: usize) -> String {
        self.nodes[i].cli(&["CLUSTER", "MYID"]).trim().to_string()
    }

    /// The slot of `key`, as the server computes it.
    pub fn keyslot(&self, key: &str) -> u16 {
        let out = self.nodes[0].cli(&["CLUSTER", "KEYSLOT", key]);
        out.trim()
            .parse()
            .expect("CLUSTER KEYSLOT answers a number")
    }

    /// The index of the node that says it owns `slot` (its own `CLUSTER NODES` line).
    pub fn owner_of(&self, slot: u16) -> usize {
        for (i, node) in self.nodes.iter().enumerate() {
            let line = node
                .cli(&["CLUSTER", "NODES"])
                .lines()
                .find(|l| l.contains("myself"))
                .unwrap_or_default()
                .to_string();
            for range in line.split_whitespace().skip(8) {
                if range.starts_with('[') {
                    continue;
                }
                let (a, b) = range.split_once('-').unwrap_or((range, range));
                let (a, b): (u16, u16) = (a.parse().unwrap(), b.parse().unwrap());
                if (a..=b).contains(&slot) {
                    return i;
                }
            }
        }
        panic!("no node owns slot {slot}");
    }

    /// Open a migration of `slot` from node `from` to node `to` (IMPORTING, MIGRATING).
    pub fn begin_migration(&self, slot: u16, from: usize, to: usize) {
        let s = slot.to_string();
        let (from_id, to_id) = (self.node_id(from), self.node_id(to));
        let ok = |out: String| assert_eq!(out.trim(), "OK", "SETSLOT failed: {out}");
        ok(self.nodes[to].cli(&["CLUSTER", "SETSLOT", &s, "IMPORTING", &from_id]));
        ok(self.nodes[from].cli(&["CLUSTER", "SETSLOT", &s, "MIGRATING", &to_id]));
    }

    /// Move up to `max` keys of `slot` from node `from` to node `to` (`MIGRATE`); returns
    /// how many were moved.
    pub fn move_keys(&self, slot: u16, from: usize, to: usize, max: usize) -> usize {
        let out = self.nodes[from].cli(&[
            "CLUSTER",
            "GETKEYSINSLOT",
            &slot.to_string(),
            &max.to_string(),
        ]);
        let keys: Vec<&str> = out.lines().filter(|l| !l.is_empty()).collect();
        if keys.is_empty() {
            return 0;
        }
        let port = self.nodes[to].port().to_string();
        let mut args = vec!["MIGRATE", "127.0.0.1", &port, "", "0", "5000", "KEYS"];
        args.extend(keys.iter().copied());
        let reply = self.nodes[from].cli(&args);
        assert_eq!(reply.trim(), "OK", "MIGRATE failed: {reply}");
        keys.len()
    }

    /// Give `slot` to node `to` on every node (the end of a migration).
    pub fn finish_migration(&self, slot: u16, to: usize) {
        let id = self.node_id(to);
        for n in &self.nodes {
            let out = n.cli(&["CLUSTER", "SETSLOT", &slot.to_string(), "NODE", &id]);
            assert_eq!(out.trim(), "OK", "SETSLOT NODE failed: {out}");
        }
    }

    /// Migrate `slot` with all its keys from node `from` to node `to`.
    pub fn migrate_slot(&self, slot: u16, from: usize, to: usize) {
        self.begin_migration(slot, from, to);
        while self.move_keys(slot, from, to, 100) > 0 {}
        self.finish_migration(slot, to);
    }
}
