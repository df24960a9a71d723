//! Which keys a server writes while we listen: keyspace notifications (the `set` events of
//! the selected database, `__keyevent@DB__:set`, whose message is the key) read on a
//! connection of their own to every primary, so `sync` learns what the API wrote during a
//! populate run without reading every key.
//!
//! What it costs and needs (docs/sync.md): the server publishes one message per write while
//! the flags are on (`notify-keyspace-events` must hold `E` and `$` or `A`; when it does
//! not, the flags are added with `CONFIG SET` and put back at the end, which needs the
//! `CONFIG` command); the listener needs `PSUBSCRIBE` on that channel. Pub/sub delivery is
//! fire-and-forget: a listener whose connection ends, or that a marker does not reach in
//! time, says the events may be incomplete ([`Watch::lost`]) and the caller falls back to
//! the keys' ages.
use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt;

use super::topology::Node;
use super::{Store, StoreError};
use crate::config::Config;

/// The setting that makes the server publish events.
const SETTING: &str = "notify-keyspace-events";
/// Keys remembered at most before the watch gives up (then the ages decide).
const MAX_KEYS: usize = 5_000_000;

/// Listeners on every primary, and what they heard.
pub struct Watch {
    heard: Arc<Heard>,
    listeners: Vec<tokio::task::JoinHandle<()>>,
    /// (node, flags to put back) where we changed the setting.
    restore: Vec<(Node, String)>,
    nodes: Vec<Node>,
    channel: String,
}

/// What the listeners share.
#[derive(Default)]
struct Heard {
    keys: Mutex<HashSet<Vec<u8>>>,
    markers: Mutex<HashSet<Vec<u8>>>,
    lost: AtomicBool,
    stopping: AtomicBool,
}

impl Heard {
    fn take(&self, key: &[u8], prefix: &[u8]) {
        if key.starts_with(b"lineage-cache:mark:") {
            if let Ok(mut m) = self.markers.lock() {
                m.insert(key.to_vec());
            }
            return;
        }
        if !key.starts_with(prefix) {
            return;
        }
        if let Ok(mut keys) = self.keys.lock() {
            if keys.len() >= MAX_KEYS {
                self.lost.store(true, Ordering::Relaxed);
            } else {
                keys.insert(key.to_vec());
            }
        }
    }
}

impl Store {
    /// Start listening for the writes of keys under `prefix` on every primary. `Ok(Err(why))`
    /// when the server does not allow it (the setting cannot be read or changed, or the
    /// channel cannot be subscribed to); connection failures are errors.
    pub async fn watch_writes(
        &self,
        config: &Config,
        prefix: &str,
    ) -> Result<Result<Watch, String>, StoreError> {
        let nodes = match self.primaries().await? {
            Some(nodes) => nodes,
            None => vec![Node {
                host: config.redis.host.clone(),
                port: config.redis.port,
            }],
        };
        let channel = format!("__keyevent@{}__:set", config.redis.db);
        let mut watch = Watch {
            heard: Arc::default(),
            listeners: Vec::new(),
            restore: Vec::new(),
            nodes: nodes.clone(),
            channel,
        };
        for node in &nodes {
            if let Err(why) = watch.start_on(self, config, node, prefix).await? {
                watch.stop(self).await;
                return Ok(Err(why));
            }
        }
        Ok(Ok(watch))
    }

    /// The node's flags, and whether they publish `set` events.
    async fn event_flags(&self, node: &Node) -> Result<Result<String, String>, StoreError> {
        let mut get = redis::cmd("CONFIG");
        get.arg("GET").arg(SETTING);
        match self
            .query_node::<redis::Value>(node, &get, "CONFIG GET")
            .await
        {
            Ok(v) => Ok(Ok(
                super::error::config_value(v, SETTING).unwrap_or_default()
            )),
            Err(StoreError::Command { message, .. }) => Ok(Err(message)),
            Err(e @ StoreError::Permission { .. }) => Ok(Err(e.to_string())),
            Err(e) => Err(e),
        }
    }
}

/// Whether `flags` make the server publish the `set` events of keyspace-event channels.
pub(crate) fn publishes_set_events(flags: &str) -> bool {
    flags.contains('E') && (flags.contains('$') || flags.contains('A'))
}

impl Watch {
    /// Turn the events on where needed and subscribe on `node`.
    async fn start_on(
        &mut self,
        store: &Store,
        config: &Config,
        node: &Node,
        prefix: &str,
    ) -> Result<Result<(), String>, StoreError> {
        let flags = match store.event_flags(node).await? {
            Ok(f) => f,
            Err(why) => return Ok(Err(format!("cannot read {SETTING} on {node}: {why}"))),
        };
        if !publishes_set_events(&flags) {
            let wanted = format!("{flags}E$");
            let mut set = redis::cmd("CONFIG");
            set.arg("SET").arg(SETTING).arg(&wanted);
            match store.query_node::<()>(node, &set, "CONFIG SET").await {
                Ok(()) => self.restore.push((node.clone(), flags)),
                Err(StoreError::Command { message, .. }) => {
                    return Ok(Err(format!(
                        "cannot turn keyspace events on at {node}: {message}"
                    )))
                }
                Err(e @ StoreError::Permission { .. }) => {
                    return Ok(Err(format!("cannot turn keyspace events on: {e}")))
                }
                Err(e) => return Err(e),
            }
        }
        self.listen(store, config, node, prefix).await
    }

    /// A connection of its own to `node`, subscribed, read by a task until it ends.
    async fn listen(
        &mut self,
        store: &Store,
        config: &Config,
        node: &Node,
        prefix: &str,
    ) -> Result<Result<(), String>, StoreError> {
        let client = super::connect::node_client(config, &node.host, node.port)?;
        let what = format!("subscribing to keyspace events on {node}");
        let subscribe = async {
            let mut pubsub = client.get_async_pubsub().await?;
            pubsub.psubscribe(&self.channel).await?;
            Ok::<_, redis::RedisError>(pubsub)
        };
        let pubsub = match tokio::time::timeout(store.timeout(), subscribe).await {
            Err(_) => return Err(super::timeout_error(&what, store.timeout())),
            Ok(Err(e)) if e.kind() == redis::ErrorKind::Server(redis::ServerErrorKind::NoPerm) => {
                return Ok(Err(format!("{what}: {e}")))
            }
            Ok(Err(e)) => return Err(store.command_error(&what, e.to_string())),
            Ok(Ok(p)) => p,
        };
        let (heard, prefix) = (self.heard.clone(), prefix.as_bytes().to_vec());
        self.listeners.push(tokio::spawn(async move {
            let mut messages = pubsub.into_on_message();
            while let Some(msg) = messages.next().await {
                heard.take(msg.get_payload_bytes(), &prefix);
            }
            if !heard.stopping.load(Ordering::Relaxed) {
                heard.lost.store(true, Ordering::Relaxed);
            }
        }));
        Ok(Ok(()))
    }

    /// Make sure every event published before now has been heard: publish a marker on each
    /// primary and wait (at most `wait`) until each listener has heard its own. A marker
    /// that does not arrive makes the watch [`Watch::lost`].
    pub async fn catch_up(&self, store: &Store, wait: Duration) -> Result<(), StoreError> {
        let token = format!("{}-{}", std::process::id(), unique());
        let mut expected = Vec::new();
        for (i, node) in self.nodes.iter().enumerate() {
            let marker = format!("lineage-cache:mark:{token}:{i}");
            let mut publish = redis::cmd("PUBLISH");
            publish.arg(&self.channel).arg(&marker);
            store.query_node::<i64>(node, &publish, "PUBLISH").await?;
            expected.push(marker.into_bytes());
        }
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let seen = self
                .heard
                .markers
                .lock()
                .map(|m| expected.iter().all(|e| m.contains(e)));
            if seen.unwrap_or(false) || self.lost() {
                return Ok(());
            }
            if tokio::time::Instant::now() >= deadline {
                self.heard.lost.store(true, Ordering::Relaxed);
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    /// The keys heard since the last call.
    pub fn drain(&self) -> Vec<Vec<u8>> {
        self.heard
            .keys
            .lock()
            .map(|mut k| k.drain().collect())
            .unwrap_or_default()
    }

    /// Whether events may have been missed (a listener's connection ended, a marker did
    /// not arrive, or too many keys were written to remember).
    pub fn lost(&self) -> bool {
        self.heard.lost.load(Ordering::Relaxed)
    }

    /// Stop listening and put the setting back where it was changed.
    pub async fn stop(mut self, store: &Store) {
        self.heard.stopping.store(true, Ordering::Relaxed);
        for l in self.listeners.drain(..) {
            l.abort();
        }
        for (node, flags) in self.restore.drain(..) {
            let mut set = redis::cmd("CONFIG");
            set.arg("SET").arg(SETTING).arg(&flags);
            if let Err(e) = store.query_node::<()>(&node, &set, "CONFIG SET").await {
                tracing::warn!("could not put {SETTING} back to {flags:?} on {node}: {e}");
            }
        }
    }
}

/// A number unlike the last one (markers of one process never repeat).
fn unique() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    t ^ NEXT.fetch_add(1, Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_events_need_e_and_string_or_all() {
        assert!(publishes_set_events("E$"));
        assert!(publishes_set_events("KEA"));
        assert!(publishes_set_events("$Ex"));
        assert!(!publishes_set_events(""));
        assert!(!publishes_set_events("K$"));
        assert!(!publishes_set_events("Eg"));
    }

    #[test]
    fn only_keys_under_the_prefix_and_markers_are_kept() {
        let heard = Heard::default();
        heard.take(b"ol:dataset:get:x", b"ol:");
        heard.take(b"session:1", b"ol:");
        heard.take(b"lineage-cache:mark:1-2:0", b"ol:");
        assert_eq!(heard.keys.lock().unwrap().len(), 1);
        assert_eq!(heard.markers.lock().unwrap().len(), 1);
    }
}
