//! `SCAN` with `MATCH` and a large `COUNT`, delivered batch by batch so memory stays flat;
//! in a Redis Cluster, on every primary one after another.
//!
//! Keys are raw bytes (they need not be UTF-8). Like every `SCAN`, a key present for the
//! whole scan is delivered at least once; a key can be delivered twice while the server
//! rehashes, so callers that count must tolerate (or remove) duplicates within reason.
//!
//! In a cluster that guarantee only holds while the slots stay put. A slot migrated during
//! the scan can carry keys from a primary not scanned yet to one already scanned (missed), or
//! the other way (seen twice). So the scanner compares the topology (`CLUSTER SLOTS`, and
//! `CLUSTER NODES` on each primary for migrations under way) before the first and after the
//! last `SCAN`: if the primaries, any slot's owner, or a migration differ or are under way,
//! the scan ends with [`StoreError::TopologyChanged`] instead of `None`, after delivering
//! what it found. Callers that need every key rescan ([`Store::scan_all_stable`] does it).
use std::ops::ControlFlow;
use std::sync::Arc;
use std::time::Duration;

use redis::Value;

use super::cluster::{Node, Topology};
use super::error::{int, text};
use super::{Store, StoreError};

/// The `COUNT` hint used when a caller has no reason to choose another.
pub const DEFAULT_SCAN_COUNT: usize = 2000;

/// How many full scans [`Store::scan_all_stable`] makes before giving up on a cluster whose
/// topology keeps changing (waiting 0.1, 0.2, 0.4, 0.8 s between them).
pub const MAX_STABLE_PASSES: u32 = 5;

/// The outcome of [`Store::scan_all_stable`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StableScan {
    /// Keys delivered over all passes (a key can come once per pass).
    pub delivered: u64,
    /// The pass whose batches are complete: only its keys count. 1 unless the topology
    /// changed.
    pub passes: u32,
}

/// A running scan: call [`Scanner::next_batch`] until it returns `None` (or, in a cluster
/// whose topology changed, [`StoreError::TopologyChanged`]).
#[derive(Debug)]
pub struct Scanner<'a> {
    store: &'a Store,
    pattern: String,
    count: usize,
    cursor: u64,
    /// The nodes to scan in order (`None`: the standalone server); unset until started.
    nodes: Option<Vec<Option<Node>>>,
    node: usize,
    /// The cluster topology when the scan started.
    before: Option<Arc<Topology>>,
    done: bool,
    changed: Option<String>,
    /// [`Store::restarts`] when the cursor was last valid (standalone).
    epoch: u64,
}

impl<'a> Scanner<'a> {
    /// The next non-empty batch of keys, or `None` once the scan is complete. In a cluster
    /// whose topology changed during the scan, the end is reported as
    /// [`StoreError::TopologyChanged`] (once; `None` after it) and
    /// [`Scanner::topology_changed`] turns true.
    pub async fn next_batch(&mut self) -> Result<Option<Vec<Vec<u8>>>, StoreError> {
        if self.nodes.is_none() {
            self.start().await?;
        }
        let nodes = self.nodes.clone().unwrap_or_default();
        while !self.done {
            let Some(node) = nodes.get(self.node) else {
                self.done = true;
                return self.finish().await.map(|()| None);
            };
            let reply = self.scan_node(node.as_ref()).await?;
            let (cursor, keys) = self.parse(reply)?;
            self.cursor = cursor;
            if cursor == 0 {
                self.node += 1;
            }
            if !keys.is_empty() {
                return Ok(Some(keys));
            }
        }
        Ok(None)
    }

    /// One `SCAN` round trip on `node` (`None`: the standalone server), retried on
    /// connection errors and timeouts. A cursor only means something to the server process
    /// that issued it: when the standalone server restarted (its `run_id` changed), the scan
    /// starts again from cursor 0, and a cluster node's scan starts again from 0 after any
    /// retry (the crate reconnects by itself, so a restart cannot be told apart). Keys may
    /// then come twice; none is missed.
    async fn scan_node(&mut self, node: Option<&Node>) -> Result<Value, StoreError> {
        let store = self.store;
        let mut attempts = store.attempts("SCAN");
        loop {
            if store.restarts() != self.epoch {
                self.restart_cursor("the Redis server restarted");
                self.epoch = store.restarts();
            }
            let mut cmd = redis::cmd("SCAN");
            cmd.arg(self.cursor.to_string())
                .arg("MATCH")
                .arg(self.pattern.as_bytes())
                .arg("COUNT")
                .arg(self.count);
            let generation = store.generation();
            let result = match node {
                None => {
                    store
                        .attempt(&attempts, store.query_once(&cmd, "SCAN"))
                        .await
                }
                Some(n) => {
                    let once = store.query_node_once(n, &cmd, "SCAN");
                    store.attempt(&attempts, once).await
                }
            };
            let Err(e) = result else {
                return result;
            };
            match (store.recover(&mut attempts, generation, e).await, node) {
                (Err(e), None) => return Err(e),
                (Err(e), Some(_)) => return Err(self.explain(e).await),
                (Ok(()), Some(n)) => self.restart_cursor(&format!("SCAN on {n} was retried")),
                (Ok(()), None) => {}
            }
        }
    }

    fn restart_cursor(&mut self, why: &str) {
        if self.cursor != 0 {
            tracing::warn!(
                "{why}: scanning {} again from the start (keys may be seen twice)",
                self.store.addr
            );
            self.cursor = 0;
        }
    }

    /// Whether the cluster's topology was found changed (or changing) by this scan: its
    /// keys may then be incomplete or duplicated. Always false for a standalone server.
    pub fn topology_changed(&self) -> bool {
        self.changed.is_some()
    }

    /// Take the topology snapshot and the list of primaries.
    async fn start(&mut self) -> Result<(), StoreError> {
        if self.store.is_cluster() {
            let topo = self.store.fetch_topology().await?;
            self.nodes = Some(topo.primaries.iter().cloned().map(Some).collect());
            self.before = Some(topo);
        } else {
            self.nodes = Some(vec![None]);
        }
        Ok(())
    }

    /// After the last node: compare the topology with the one at the start.
    async fn finish(&mut self) -> Result<(), StoreError> {
        let Some(before) = self.before.clone() else {
            return Ok(());
        };
        let after = self.store.fetch_topology().await?;
        match before.unstable_against(&after) {
            None => Ok(()),
            Some(detail) => Err(self.changed_error(detail)),
        }
    }

    /// A SCAN that failed on a node: a topology change if the slots moved meanwhile.
    async fn explain(&mut self, e: StoreError) -> StoreError {
        let (Some(before), Ok(after)) = (self.before.clone(), self.store.fetch_topology().await)
        else {
            return e;
        };
        match before.unstable_against(&after) {
            Some(detail) => {
                self.done = true;
                self.changed_error(format!("{detail}; SCAN failed: {e}"))
            }
            None => e,
        }
    }

    fn changed_error(&mut self, detail: String) -> StoreError {
        self.changed = Some(detail.clone());
        StoreError::TopologyChanged {
            addr: self.store.addr.clone(),
            detail,
        }
    }

    fn parse(&self, reply: Value) -> Result<(u64, Vec<Vec<u8>>), StoreError> {
        let bad = |why: &str| self.store.command_error("SCAN", why.to_string());
        let Value::Array(mut parts) = reply else {
            return Err(bad("the reply is not an array"));
        };
        if parts.len() != 2 {
            return Err(bad("the reply does not have two parts"));
        }
        let keys = parts.pop().unwrap_or(Value::Nil);
        let cursor = parts
            .pop()
            .as_ref()
            .and_then(cursor_of)
            .ok_or_else(|| bad("the cursor is not a number"))?;
        let Value::Array(keys) = keys else {
            return Err(bad("the key list is not an array"));
        };
        let keys = keys
            .into_iter()
            .map(|k| match k {
                Value::BulkString(b) => Ok(b),
                _ => Err(bad("a key is not a string")),
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok((cursor, keys))
    }
}

/// A cursor: an unsigned 64-bit number, normally sent as a bulk string.
fn cursor_of(v: &Value) -> Option<u64> {
    match text(v) {
        Some(t) => t.parse().ok(),
        None => int(v).and_then(|i| u64::try_from(i).ok()),
    }
}

impl Store {
    /// Start a scan for keys matching the glob `pattern`, `count` keys per round trip
    /// (a hint; 0 means [`DEFAULT_SCAN_COUNT`]).
    pub fn scanner(&self, pattern: &str, count: usize) -> Scanner<'_> {
        Scanner {
            store: self,
            pattern: pattern.to_string(),
            count: if count == 0 {
                DEFAULT_SCAN_COUNT
            } else {
                count
            },
            cursor: 0,
            nodes: None,
            node: 0,
            before: None,
            done: false,
            changed: None,
            epoch: self.restarts(),
        }
    }

    /// Scan for `pattern`, handing each batch to `on_batch` until the scan completes or
    /// `on_batch` breaks. Returns how many keys were delivered. In a cluster whose topology
    /// changed meanwhile, every batch is still delivered and the result is
    /// [`StoreError::TopologyChanged`]: the keys seen may be incomplete.
    pub async fn scan(
        &self,
        pattern: &str,
        count: usize,
        mut on_batch: impl FnMut(Vec<Vec<u8>>) -> ControlFlow<()>,
    ) -> Result<u64, StoreError> {
        let mut scanner = self.scanner(pattern, count);
        let mut delivered = 0u64;
        while let Some(batch) = scanner.next_batch().await? {
            delivered += batch.len() as u64;
            if on_batch(batch).is_break() {
                break;
            }
        }
        Ok(delivered)
    }
}

impl Store {
    /// Scan for `pattern` until one whole pass ran under a settled cluster topology: each
    /// batch goes to `on_batch(pass, keys)`. When a pass ends with a topology change (see
    /// the module notes), the scan starts over after a short wait with `pass + 1`, up to
    /// [`MAX_STABLE_PASSES`]; then [`StoreError::TopologyChanged`] is returned.
    ///
    /// Only the keys of the last pass ([`StableScan::passes`]) are known complete; earlier
    /// passes may have missed keys or repeated them. A caller that counts keeps per-pass
    /// tallies (or a set) and keeps the last; a caller that deletes may act on every batch
    /// (deleting twice is harmless). When `on_batch` breaks, the scan stops with no
    /// completeness claim. A standalone server always takes one pass.
    pub async fn scan_all_stable(
        &self,
        pattern: &str,
        count: usize,
        mut on_batch: impl FnMut(u32, Vec<Vec<u8>>) -> ControlFlow<()>,
    ) -> Result<StableScan, StoreError> {
        let mut delivered = 0u64;
        let mut pass = 1;
        loop {
            let mut scanner = self.scanner(pattern, count);
            let outcome = loop {
                match scanner.next_batch().await {
                    Ok(Some(batch)) => {
                        delivered += batch.len() as u64;
                        if on_batch(pass, batch).is_break() {
                            break Ok(());
                        }
                    }
                    Ok(None) => break Ok(()),
                    Err(e @ StoreError::TopologyChanged { .. }) => break Err(e),
                    Err(e) => return Err(e),
                }
            };
            match outcome {
                Ok(()) => {
                    let passes = pass;
                    return Ok(StableScan { delivered, passes });
                }
                Err(e) if pass >= MAX_STABLE_PASSES => return Err(e),
                Err(e) => {
                    tracing::info!("rescanning: {e}");
                    tokio::time::sleep(Duration::from_millis(100 << (pass - 1))).await;
                    pass += 1;
                }
            }
        }
    }
}
