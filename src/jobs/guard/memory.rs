//! Staying within Redis's memory: `INFO` as read before a run writes, the share of
//! `maxmemory` a run may fill, and the per-key overhead an estimate adds.
use crate::store::Store;

/// Redis's memory as `INFO` reports it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Memory {
    pub used: u64,
    pub maxmemory: u64,
    pub policy: String,
    pub evicted_keys: u64,
}

fn info_field(info: &str, name: &str) -> Option<String> {
    info.lines().find_map(|l| {
        l.strip_prefix(name)
            .and_then(|r| r.strip_prefix(':'))
            .map(|v| v.trim().to_string())
    })
}

impl Memory {
    pub async fn read(store: &Store) -> anyhow::Result<Memory> {
        let mem = store.info("memory").await?;
        let stats = store.info("stats").await?;
        let num = |s: &str, n: &str| {
            info_field(s, n)
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or(0)
        };
        Ok(Memory {
            used: num(&mem, "used_memory"),
            maxmemory: num(&mem, "maxmemory"),
            policy: info_field(&mem, "maxmemory_policy").unwrap_or_default(),
            evicted_keys: num(&stats, "evicted_keys"),
        })
    }
}

/// Per-key overhead Redis adds to key and value bytes (dict entry, robj, SDS headers, TTL).
pub(crate) const OVERHEAD: u64 = 80;
/// The share of `maxmemory` a warm may fill up to.
pub(crate) const HEADROOM: f64 = 0.9;
/// Per-key overhead, for callers that estimate their own writes.
pub(crate) const KEY_OVERHEAD: u64 = OVERHEAD;
