//! Server health from `INFO`: memory, limits and policy, evictions, expirations, hit rate,
//! load and clients; in a cluster, each primary's and their sum.
use serde::Serialize;

use crate::app::report::{human_bytes, table};
use crate::store::probe::info_field;
use crate::store::{Store, StoreError};

/// What `INFO` says about the server.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Health {
    pub version: String,
    pub used_memory: u64,
    pub peak_memory: u64,
    /// 0: no limit.
    pub maxmemory: u64,
    #[serde(rename = "maxmemoryPolicy")]
    pub policy: String,
    #[serde(rename = "evictedKeys")]
    pub evicted: u64,
    #[serde(rename = "expiredKeys")]
    pub expired: u64,
    #[serde(rename = "keyspaceHits")]
    pub hits: u64,
    #[serde(rename = "keyspaceMisses")]
    pub misses: u64,
    /// hits / (hits + misses); `None` before any lookup.
    pub hit_rate: Option<f64>,
    pub ops_per_sec: u64,
    #[serde(rename = "connectedClients")]
    pub clients: u64,
}

impl Health {
    pub(crate) fn from_info(info: &str) -> Health {
        let n = |name: &str| {
            info_field(info, name)
                .and_then(|v| v.parse().ok())
                .unwrap_or(0)
        };
        Health {
            version: info_field(info, "redis_version").unwrap_or_default(),
            used_memory: n("used_memory"),
            peak_memory: n("used_memory_peak"),
            maxmemory: n("maxmemory"),
            policy: info_field(info, "maxmemory_policy").unwrap_or_default(),
            evicted: n("evicted_keys"),
            expired: n("expired_keys"),
            hits: n("keyspace_hits"),
            misses: n("keyspace_misses"),
            hit_rate: None,
            ops_per_sec: n("instantaneous_ops_per_sec"),
            clients: n("connected_clients"),
        }
        .rated()
    }

    /// With its hit rate: hits / (hits + misses), `None` before any lookup.
    fn rated(self) -> Health {
        let all = self.hits + self.misses;
        Health {
            hit_rate: (all > 0).then(|| self.hits as f64 / all as f64),
            ..self
        }
    }

    /// What an operator should fix about the memory settings.
    pub(crate) fn warnings(&self) -> Vec<String> {
        let mut w = Vec::new();
        if self.maxmemory == 0 {
            w.push(
                "no maxmemory limit: the cache grows until the machine runs out of memory"
                    .to_string(),
            );
        }
        if self.policy == "noeviction" {
            w.push(
                "maxmemory-policy is noeviction: once memory is full every cache write fails (OOM); \
                 allkeys-lru or allkeys-lfu suit a cache"
                    .to_string(),
            );
        }
        w
    }
}

/// One cluster primary: its health and how many keys it holds (`INFO keyspace`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct NodeHealth {
    #[serde(rename = "address")]
    pub addr: String,
    #[serde(flatten)]
    pub health: Health,
    pub keys: u64,
}

/// The server side of a report: the totals and, in a cluster, each primary.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Servers {
    /// The server's health; in a cluster, the primaries' figures added up.
    pub total: Health,
    /// Each primary, sorted by address (empty for a standalone server).
    pub nodes: Vec<NodeHealth>,
}

impl Servers {
    /// `INFO` of the server, or of every primary (added up) in a cluster.
    pub(crate) async fn read(store: &Store) -> Result<Servers, StoreError> {
        if !store.is_cluster() {
            let total = Health::from_info(&store.info("").await?);
            return Ok(Servers {
                total,
                nodes: Vec::new(),
            });
        }
        let nodes: Vec<NodeHealth> = store
            .info_per_node("")
            .await?
            .into_iter()
            .map(|(addr, text)| NodeHealth {
                health: Health::from_info(&text),
                keys: db0_keys(&text),
                addr,
            })
            .collect();
        Ok(Servers {
            total: Health::sum(nodes.iter().map(|n| &n.health)),
            nodes,
        })
    }

    pub(crate) fn is_cluster(&self) -> bool {
        !self.nodes.is_empty()
    }

    /// Keys in the cluster (the primaries' `INFO keyspace` added up); `None` standalone.
    pub(crate) fn cluster_keys(&self) -> Option<u64> {
        self.is_cluster()
            .then(|| self.nodes.iter().map(|n| n.keys).sum())
    }

    /// Whether every primary has the same `maxmemory` and policy.
    pub(crate) fn uniform(&self) -> bool {
        uniform(&self.nodes)
    }

    /// What an operator should fix; in a cluster, naming the primaries concerned.
    pub(crate) fn warnings(&self) -> Vec<String> {
        if !self.is_cluster() {
            return self.total.warnings();
        }
        let mut w = Vec::new();
        let unbounded = self.names(|h| h.maxmemory == 0);
        let noeviction = self.names(|h| h.policy == "noeviction");
        let every = self.nodes.len();
        if unbounded.len() == every {
            w.push(format!("no maxmemory limit on any of the {every} primaries: the cache grows until the machines run out of memory"));
        } else if !unbounded.is_empty() {
            w.push(format!("no maxmemory limit on {}: those primaries grow until their machines run out of memory", unbounded.join(", ")));
        }
        if !noeviction.is_empty() {
            let on = if noeviction.len() == every {
                "every primary".to_string()
            } else {
                noeviction.join(", ")
            };
            w.push(format!("maxmemory-policy is noeviction on {on}: once memory is full every cache write there fails (OOM); allkeys-lru or allkeys-lfu suit a cache"));
        }
        if !self.uniform() {
            w.push(
                "the primaries differ in maxmemory or maxmemory-policy: see the per-node table"
                    .into(),
            );
        }
        w
    }

    fn names(&self, pick: impl Fn(&Health) -> bool) -> Vec<String> {
        self.nodes
            .iter()
            .filter(|n| pick(&n.health))
            .map(|n| n.addr.clone())
            .collect()
    }
}

/// Whether every primary has the same `maxmemory` and policy.
pub(crate) fn uniform(nodes: &[NodeHealth]) -> bool {
    let first = nodes.first().map(|n| &n.health);
    nodes.iter().all(|n| {
        first.is_some_and(|f| n.health.maxmemory == f.maxmemory && n.health.policy == f.policy)
    })
}

/// The per-primary table.
pub(crate) fn node_table(nodes: &[NodeHealth]) -> String {
    let header = [
        "NODE",
        "#KEYS",
        "#USED",
        "#PEAK",
        "#MAXMEMORY",
        "POLICY",
        "#EVICTED",
        "#EXPIRED",
        "#HIT RATE",
        "#OPS/S",
        "#CLIENTS",
    ];
    let cells: Vec<Vec<String>> = nodes.iter().map(node_row).collect();
    table::render(&header, &cells)
}

/// One primary's line of the per-primary table.
fn node_row(n: &NodeHealth) -> Vec<String> {
    let h = &n.health;
    let limit = match h.maxmemory {
        0 => "none".to_string(),
        m => human_bytes(m),
    };
    let rate = h
        .hit_rate
        .map_or("n/a".into(), |r| format!("{:.1}%", r * 100.0));
    vec![
        n.addr.clone(),
        n.keys.to_string(),
        human_bytes(h.used_memory),
        human_bytes(h.peak_memory),
        limit,
        h.policy.clone(),
        h.evicted.to_string(),
        h.expired.to_string(),
        rate,
        h.ops_per_sec.to_string(),
        h.clients.to_string(),
    ]
}

/// The keys of database 0 in an `INFO keyspace` text (`db0:keys=12,expires=3,...`).
fn db0_keys(info: &str) -> u64 {
    info_field(info, "db0")
        .and_then(|v| {
            v.split(',')
                .find_map(|p| p.strip_prefix("keys=").and_then(|n| n.parse().ok()))
        })
        .unwrap_or(0)
}

impl Health {
    /// The primaries' figures added up. `maxmemory` is the sum only when every primary has
    /// a limit (0 otherwise: part of the cluster is unbounded); a policy or version that
    /// differs between primaries reads `mixed`.
    pub(crate) fn sum<'a>(nodes: impl Iterator<Item = &'a Health> + Clone) -> Health {
        let same = |f: fn(&Health) -> &String| {
            let mut it = nodes.clone().map(f);
            let first = it.next().cloned().unwrap_or_default();
            if it.all(|v| *v == first) {
                first
            } else {
                "mixed".to_string()
            }
        };
        let total = |f: fn(&Health) -> u64| nodes.clone().map(f).sum::<u64>();
        let bounded = nodes.clone().all(|h| h.maxmemory > 0);
        Health {
            version: same(|h| &h.version),
            used_memory: total(|h| h.used_memory),
            peak_memory: total(|h| h.peak_memory),
            maxmemory: if bounded { total(|h| h.maxmemory) } else { 0 },
            policy: same(|h| &h.policy),
            evicted: total(|h| h.evicted),
            expired: total(|h| h.expired),
            hits: total(|h| h.hits),
            misses: total(|h| h.misses),
            hit_rate: None,
            ops_per_sec: total(|h| h.ops_per_sec),
            clients: total(|h| h.clients),
        }
        .rated()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(addr: &str, used: u64, max: u64, policy: &str) -> NodeHealth {
        NodeHealth {
            addr: addr.into(),
            health: Health {
                version: "7.0.15".into(),
                used_memory: used,
                maxmemory: max,
                policy: policy.into(),
                hits: used / 10,
                clients: 2,
                ..Health::default()
            },
            keys: used / 100,
        }
    }

    #[test]
    fn primaries_add_up_and_differences_are_named() {
        let same = Servers {
            total: Health::default(),
            nodes: vec![
                node("a:1", 1000, 4000, "allkeys-lru"),
                node("b:2", 3000, 4000, "allkeys-lru"),
            ],
        };
        let t = Health::sum(same.nodes.iter().map(|n| &n.health));
        assert_eq!(
            (t.used_memory, t.maxmemory, t.hits, t.clients),
            (4000, 8000, 400, 4)
        );
        assert_eq!(
            (t.policy.as_str(), t.version.as_str()),
            ("allkeys-lru", "7.0.15")
        );
        assert!(same.uniform() && same.warnings().is_empty());
        assert_eq!(same.cluster_keys(), Some(40));
        let mixed = Servers {
            total: Health::default(),
            nodes: vec![
                node("a:1", 1000, 0, "noeviction"),
                node("b:2", 3000, 4000, "allkeys-lru"),
            ],
        };
        let t = Health::sum(mixed.nodes.iter().map(|n| &n.health));
        assert_eq!((t.maxmemory, t.policy.as_str()), (0, "mixed"));
        let w = mixed.warnings();
        assert_eq!(w.len(), 3, "{w:?}");
        assert!(w[0].contains("a:1") && !w[0].contains("b:2"), "{w:?}");
        assert!(w[2].contains("per-node"), "{w:?}");
        let json = serde_json::to_value(&mixed.nodes).unwrap();
        assert_eq!(json[1]["keys"], 30);
        assert_eq!(json[0]["maxmemoryPolicy"], "noeviction");
        assert!(node_table(&mixed.nodes).contains("b:2"));
        assert_eq!(
            db0_keys("# Keyspace\r\ndb0:keys=12,expires=3,avg_ttl=0\r\n"),
            12
        );
        assert_eq!(db0_keys("# Keyspace\r\n"), 0);
    }

    #[test]
    fn reads_info_and_warns_about_unbounded_memory() {
        let info = "# Server\r\nredis_version:7.0.15\r\n# Clients\r\nconnected_clients:3\r\n\
                    # Memory\r\nused_memory:1000\r\nused_memory_peak:2000\r\nmaxmemory:0\r\n\
                    maxmemory_policy:noeviction\r\n# Stats\r\nevicted_keys:4\r\nexpired_keys:5\r\n\
                    keyspace_hits:30\r\nkeyspace_misses:10\r\ninstantaneous_ops_per_sec:7\r\n";
        let h = Health::from_info(info);
        assert_eq!(h.version, "7.0.15");
        assert_eq!((h.used_memory, h.peak_memory, h.maxmemory), (1000, 2000, 0));
        assert_eq!(
            (h.evicted, h.expired, h.ops_per_sec, h.clients),
            (4, 5, 7, 3)
        );
        assert_eq!(h.hit_rate, Some(0.75));
        assert_eq!(h.warnings().len(), 2);
        let ok = Health {
            maxmemory: 1 << 30,
            policy: "allkeys-lru".into(),
            ..h
        };
        assert!(ok.warnings().is_empty());
        assert_eq!(Health::default().hit_rate, None);
    }
}
