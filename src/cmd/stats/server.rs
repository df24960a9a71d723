//! Server health from `INFO`: memory, limits and policy, evictions, expirations, hit rate,
//! load and clients.
use serde_json::{json, Value};

use crate::cmd::inspect::fetch::info_field;

/// What `INFO` says about the server.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Health {
    pub version: String,
    pub used_memory: u64,
    pub peak_memory: u64,
    /// 0: no limit.
    pub maxmemory: u64,
    pub policy: String,
    pub evicted: u64,
    pub expired: u64,
    pub hits: u64,
    pub misses: u64,
    pub ops_per_sec: u64,
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
            ops_per_sec: n("instantaneous_ops_per_sec"),
            clients: n("connected_clients"),
        }
    }

    /// hits / (hits + misses); `None` before any lookup.
    pub(crate) fn hit_rate(&self) -> Option<f64> {
        let all = self.hits + self.misses;
        (all > 0).then(|| self.hits as f64 / all as f64)
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

    pub(crate) fn to_json(&self, addr: &str, dbsize: u64) -> Value {
        json!({
            "address": addr,
            "version": self.version,
            "usedMemory": self.used_memory,
            "peakMemory": self.peak_memory,
            "maxmemory": self.maxmemory,
            "maxmemoryPolicy": self.policy,
            "evictedKeys": self.evicted,
            "expiredKeys": self.expired,
            "keyspaceHits": self.hits,
            "keyspaceMisses": self.misses,
            "hitRate": self.hit_rate(),
            "opsPerSec": self.ops_per_sec,
            "connectedClients": self.clients,
            "dbsize": dbsize,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(h.hit_rate(), Some(0.75));
        assert_eq!(h.warnings().len(), 2);
        let ok = Health {
            maxmemory: 1 << 30,
            policy: "allkeys-lru".into(),
            ..h
        };
        assert!(ok.warnings().is_empty());
        assert_eq!(Health::default().hit_rate(), None);
    }
}
