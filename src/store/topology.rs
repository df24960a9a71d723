//! The shape of a Redis Cluster: key slots, the primaries, which primary owns each slot
//! (`CLUSTER SLOTS`) and which slots are being migrated (`CLUSTER NODES`).
use redis::Value;

use super::error::{int, text};

/// The number of hash slots of a Redis Cluster.
pub(crate) const SLOTS: usize = 16384;
const UNOWNED: u16 = u16::MAX;

/// The slot of a key (of its `{hash tag}` if it has a non-empty one), as the server
/// computes it: CRC16-XMODEM modulo 16384. (The crate computes it too but keeps the number
/// private.)
pub(crate) fn slot_of(key: &[u8]) -> u16 {
    let hashed = key
        .iter()
        .position(|&b| b == b'{')
        .and_then(|open| {
            let rest = &key[open + 1..];
            let close = rest.iter().position(|&b| b == b'}')?;
            (close > 0).then(|| &rest[..close])
        })
        .unwrap_or(key);
    let mut crc: u16 = 0;
    for &byte in hashed {
        crc ^= u16::from(byte) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 {
                (crc << 1) ^ 0x1021
            } else {
                crc << 1
            };
        }
    }
    crc % SLOTS as u16
}

/// A node by the address the cluster announces (`host:port`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Node {
    pub(crate) host: String,
    pub(crate) port: u16,
}

impl std::fmt::Display for Node {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.host.contains(':') {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

/// Which primary owns each slot, and the slot migrations in progress.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Topology {
    /// Every primary that owns a slot, sorted.
    pub(crate) primaries: Vec<Node>,
    /// For each slot, the index of its primary in `primaries` (`UNOWNED` if none).
    owners: Vec<u16>,
    /// `CLUSTER NODES` markers of slots being migrated or imported (`[42->-id]`).
    pub(crate) migrating: Vec<String>,
}

/// One range of a `CLUSTER SLOTS` reply: its first and last slot and its primary.
fn slot_range(range: &Value, seed_host: &str) -> Result<(usize, usize, Node), String> {
    let Value::Array(parts) = range else {
        return Err("a CLUSTER SLOTS range is not an array".into());
    };
    let num = |i: usize| {
        parts
            .get(i)
            .and_then(int)
            .and_then(|n| usize::try_from(n).ok())
    };
    let (Some(start), Some(end)) = (num(0), num(1)) else {
        return Err("a CLUSTER SLOTS range has no bounds".into());
    };
    let Some(Value::Array(primary)) = parts.get(2) else {
        return Err("a CLUSTER SLOTS range has no primary".into());
    };
    let host = primary.first().and_then(text).unwrap_or_default();
    let host = if host.is_empty() {
        seed_host.to_string()
    } else {
        host
    };
    let port = primary
        .get(1)
        .and_then(int)
        .and_then(|p| u16::try_from(p).ok());
    let Some(port) = port else {
        return Err("a CLUSTER SLOTS primary has no port".into());
    };
    if start > end || end >= SLOTS {
        return Err(format!("bad slot range {start}-{end}"));
    }
    Ok((start, end, Node { host, port }))
}

impl Topology {
    /// Parse a `CLUSTER SLOTS` reply; an empty host means the answering node's `seed_host`.
    pub(crate) fn from_slots(reply: &Value, seed_host: &str) -> Result<Topology, String> {
        let Value::Array(ranges) = reply else {
            return Err("the CLUSTER SLOTS reply is not an array".into());
        };
        let spans = ranges
            .iter()
            .map(|range| slot_range(range, seed_host))
            .collect::<Result<Vec<_>, String>>()?;
        let mut primaries: Vec<Node> = spans.iter().map(|s| s.2.clone()).collect();
        primaries.sort();
        primaries.dedup();
        let mut owners = vec![UNOWNED; SLOTS];
        for (start, end, node) in &spans {
            let i = primaries.binary_search(node).unwrap_or(0) as u16;
            owners[*start..=*end].fill(i);
        }
        Ok(Topology {
            primaries,
            owners,
            migrating: Vec::new(),
        })
    }

    /// The primary owning `slot`, if any.
    pub(crate) fn owner(&self, slot: u16) -> Option<&Node> {
        let i = *self.owners.get(usize::from(slot))?;
        self.primaries.get(usize::from(i))
    }

    /// Why a scan that started under `self` and ended under `later` cannot be trusted:
    /// different primaries, a slot that changed owner, or a migration under way at either
    /// end. `None` when both are the same settled topology.
    pub(crate) fn unstable_against(&self, later: &Topology) -> Option<String> {
        if self.primaries != later.primaries {
            let names = |t: &Topology| {
                let v: Vec<String> = t.primaries.iter().map(Node::to_string).collect();
                v.join(" ")
            };
            return Some(format!(
                "primaries were [{}], now [{}]",
                names(self),
                names(later)
            ));
        }
        if let Some(slot) = (0..SLOTS).find(|&s| self.owners.get(s) != later.owners.get(s)) {
            return Some(format!("slot {slot} changed owner"));
        }
        let marks: Vec<&str> = self
            .migrating
            .iter()
            .chain(&later.migrating)
            .map(String::as_str)
            .collect();
        if !marks.is_empty() {
            return Some(format!("slot migration under way: {}", marks.join(" ")));
        }
        None
    }
}

/// The migration markers (`[slot->-node]`, `[slot-<-node]`) of the `myself` line of a
/// `CLUSTER NODES` reply.
pub(crate) fn migrations_in(nodes: &str) -> Vec<String> {
    nodes
        .lines()
        .filter(|l| {
            l.split_whitespace()
                .nth(2)
                .is_some_and(|f| f.contains("myself"))
        })
        .flat_map(|l| l.split_whitespace().filter(|w| w.starts_with('[')))
        .map(str::to_string)
        .collect()
}
