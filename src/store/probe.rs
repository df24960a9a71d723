//! Pipelined per-key probes shared by `inspect` and `stats`: SCAN with a large COUNT, then
//! `OBJECT`, `PTTL`, `MEMORY USAGE` and `GET` for each selected key in one pipeline per
//! batch, with several batches in flight over the multiplexed connection.
//!
//! Memory stays flat: at most `in_flight` batches of `batch` keys (and their values) are
//! held at once, whatever the size of the keyspace. Error replies in a slot stay in their
//! slot: a `WRONGTYPE` from `GET` is a fact about that key, never a failed run.
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures_util::stream::{self, Stream, StreamExt};
use redis::{Cmd, Pipeline, Value};

use super::{slot_of, ObjectSub, Store, StoreError, MAX_STABLE_PASSES};

/// The `COUNT` hint of the SCANs here. Small, so the probes of a batch find its keys still
/// in the server's CPU caches: on the benchmark machine COUNT 5000 cost the server ~40 %
/// more CPU than COUNT 100 (docs/benchmarks.md), and COUNT 200 was the best measured
/// (1.2M keys: 4.1 s against 4.8 s for 100 and for 300). The scan runs ahead on its own
/// connection, so the round trips overlap with the probes.
pub(crate) const SCAN_COUNT: usize = 200;

/// What to ask about one key.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Probe {
    /// `OBJECT FREQ` or `OBJECT IDLETIME` (sent before `GET`, which counts as an access).
    pub object: Option<ObjectSub>,
    pub pttl: bool,
    pub memory: bool,
    pub get: bool,
    /// The caller's label for the key (stats: its kind group), handed back in [`Facts`].
    pub tag: u8,
}

impl Probe {
    /// Everything about a key: access data (`access`), PTTL, size and value (`inspect`).
    pub(crate) fn everything(access: ObjectSub) -> Probe {
        Probe {
            object: Some(access),
            pttl: true,
            memory: true,
            get: true,
            tag: 0,
        }
    }
}

/// The value of a key, when asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ValueFact {
    NotAsked,
    Missing,
    Bytes(Vec<u8>),
    /// `GET` answered `WRONGTYPE`: the key holds a list, hash, set, ...
    WrongType,
}

/// What Redis said about one key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Facts {
    pub key: Vec<u8>,
    /// Milliseconds left, `-1` without expiry, `-2` missing.
    pub pttl: Option<i64>,
    /// `MEMORY USAGE` in bytes.
    pub memory: Option<u64>,
    /// `OBJECT FREQ` or `OBJECT IDLETIME` (None when refused or not asked).
    pub object: Option<i64>,
    pub value: ValueFact,
    /// The [`Probe::tag`] the key was probed with.
    pub tag: u8,
    /// `MEMORY USAGE` was refused by an ACL (`NOPERM`): the key exists but cannot be sized.
    pub refused: bool,
}

impl Facts {
    /// Whether the key vanished (expired or deleted) between the scan and the probe.
    pub(crate) fn missing(&self) -> bool {
        self.pttl == Some(-2)
            || (self.pttl.is_none() && self.memory.is_none() && !self.refused)
            || self.value == ValueFact::Missing
    }
}

/// How a run drives Redis.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Drive {
    /// Keys per pipeline.
    pub batch: usize,
    /// Pipelines in flight at once.
    pub in_flight: usize,
}

/// Keys with what to ask about each: one pipeline.
type Batch = Vec<(Vec<u8>, Probe)>;

/// Batches of keys, as SCAN (or an exact list) delivers them.
pub(crate) type KeyBatch = Result<Vec<Vec<u8>>, StoreError>;

/// SCAN `pattern` as a stream of batches; the stream ends after the first error.
///
/// The scan runs ahead in its own task, up to `depth` batches, so the server always has
/// probes queued; give it a connection of its own (see [`Store::connect`]) so its replies
/// do not wait behind the probes' pipelines.
pub(crate) fn scan_ahead(
    store: Store,
    pattern: &str,
    count: usize,
    depth: usize,
) -> impl Stream<Item = KeyBatch> + 'static {
    scan_task(store, pattern, count, depth, None)
}

/// Like [`scan_ahead`], but a cluster scan that ends with
/// [`StoreError::TopologyChanged`] is run again after a short wait (0.1 s, 0.2 s, ...), up
/// to [`MAX_STABLE_PASSES`] passes, until one pass ran under a settled topology. Every
/// pass's keys are delivered, so a key can come more than once: callers dedupe. `rescans`
/// counts the extra passes.
pub(crate) fn scan_ahead_stable(
    store: Store,
    pattern: &str,
    count: usize,
    depth: usize,
    rescans: Arc<AtomicU32>,
) -> impl Stream<Item = KeyBatch> + 'static {
    scan_task(store, pattern, count, depth, Some(rescans))
}

fn scan_task(
    store: Store,
    pattern: &str,
    count: usize,
    depth: usize,
    rescans: Option<Arc<AtomicU32>>,
) -> impl Stream<Item = KeyBatch> + 'static {
    let (tx, rx) = tokio::sync::mpsc::channel::<KeyBatch>(depth.max(1));
    let pattern = pattern.to_string();
    tokio::spawn(async move {
        let mut pass = 1;
        let mut scanner = store.scanner(&pattern, count);
        loop {
            let item = match scanner.next_batch().await {
                Ok(Some(b)) => Ok(b),
                Ok(None) => return,
                Err(StoreError::TopologyChanged { .. })
                    if rescans.is_some() && pass < MAX_STABLE_PASSES =>
                {
                    tracing::info!(
                        "the cluster's slots moved during scan pass {pass}; scanning again"
                    );
                    tokio::time::sleep(Duration::from_millis(100 << (pass - 1))).await;
                    pass += 1;
                    if let Some(r) = &rescans {
                        r.fetch_add(1, Ordering::Relaxed);
                    }
                    scanner = store.scanner(&pattern, count);
                    continue;
                }
                Err(e) => Err(e),
            };
            let failed = item.is_err();
            if tx.send(item).await.is_err() || failed {
                return; // the consumer stopped, or the scan failed
            }
        }
    });
    stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|b| (b, rx)) })
}

/// Probe the keys `source` delivers: `select` decides per key what to ask (None: skip it;
/// it sees every key, so callers count there), `on_facts` receives each answered batch in
/// completion order and may stop the run.
pub(crate) async fn probe_all<'a>(
    store: &'a Store,
    source: impl Stream<Item = KeyBatch> + 'a,
    drive: Drive,
    mut select: impl FnMut(&[u8]) -> Option<Probe> + 'a,
    mut on_facts: impl FnMut(Vec<Facts>) -> anyhow::Result<ControlFlow<()>>,
) -> anyhow::Result<()> {
    let batch = drive.batch.max(1);
    let chunks = source.flat_map(move |res| {
        let items: Vec<Result<Batch, StoreError>> = match res {
            Err(e) => vec![Err(e)],
            Ok(keys) => {
                let picked: Vec<(Vec<u8>, Probe)> = keys
                    .into_iter()
                    .filter_map(|k| select(&k).map(|p| (k, p)))
                    .collect();
                chunked(picked, batch).into_iter().map(Ok).collect()
            }
        };
        stream::iter(items)
    });
    let answers = chunks
        .map(|c| async move {
            match c {
                Ok(items) => probe(store, items).await,
                Err(e) => Err(e),
            }
        })
        .buffer_unordered(drive.in_flight.max(1));
    let mut answers = std::pin::pin!(answers);
    while let Some(facts) = answers.next().await {
        if on_facts(facts?)?.is_break() {
            break;
        }
    }
    Ok(())
}

fn chunked<T>(items: Vec<T>, size: usize) -> Vec<Vec<T>> {
    let mut out = Vec::with_capacity(items.len() / size + 1);
    let mut it = items.into_iter().peekable();
    while it.peek().is_some() {
        out.push(it.by_ref().take(size).collect());
    }
    out
}

fn object_name(sub: ObjectSub) -> &'static str {
    match sub {
        ObjectSub::Freq => "FREQ",
        ObjectSub::IdleTime => "IDLETIME",
        ObjectSub::Encoding => "ENCODING",
    }
}

/// One pipeline for the batch (in a cluster, one per primary through the store's routing,
/// which splits by slot and follows redirects); replies matched back to their keys.
pub(crate) async fn probe(
    store: &Store,
    items: Vec<(Vec<u8>, Probe)>,
) -> Result<Vec<Facts>, StoreError> {
    if items.is_empty() {
        return Ok(Vec::new());
    }
    const WHAT: &str = "a pipeline of key probes";
    let cmds = commands(&items);
    let expected = cmds.len();
    let replies: Vec<Value> = if store.is_cluster() {
        let routed = cmds.into_iter().map(|(k, c)| (slot_of(&items[k].0), c));
        store.run_routed(routed.collect(), WHAT).await?
    } else {
        let mut pipe = Pipeline::with_capacity(expected);
        for (_, c) in cmds {
            pipe.add_command(c);
        }
        store.run_pipe(&mut pipe, expected, WHAT).await?
    };
    if replies.len() != expected {
        let msg = format!("expected {expected} replies, got {}", replies.len());
        return Err(store.command_error(WHAT, msg));
    }
    let mut replies = replies.into_iter();
    items
        .into_iter()
        .map(|(key, p)| read_facts(store, key, p, &mut replies))
        .collect()
}

/// The commands of a batch in reply order, each with the index of its key.
fn commands(items: &[(Vec<u8>, Probe)]) -> Vec<(usize, Cmd)> {
    let mut out = Vec::with_capacity(items.len() * 3);
    for (i, (k, p)) in items.iter().enumerate() {
        let key = k.as_slice();
        if let Some(sub) = p.object {
            let mut c = redis::cmd("OBJECT");
            c.arg(object_name(sub)).arg(key);
            out.push((i, c));
        }
        if p.pttl {
            let mut c = redis::cmd("PTTL");
            c.arg(key);
            out.push((i, c));
        }
        if p.memory {
            // No SAMPLES: exact for strings, Redis's default sampling for big aggregates.
            let mut c = redis::cmd("MEMORY");
            c.arg("USAGE").arg(key);
            out.push((i, c));
        }
        if p.get {
            let mut c = redis::cmd("GET");
            c.arg(key);
            out.push((i, c));
        }
    }
    out
}

fn read_facts(
    store: &Store,
    key: Vec<u8>,
    p: Probe,
    replies: &mut impl Iterator<Item = Value>,
) -> Result<Facts, StoreError> {
    let mut next = || replies.next().unwrap_or(Value::Nil);
    let object = p.object.map(|_| next()).and_then(|v| match v {
        Value::Int(i) => Some(i),
        _ => None, // refused (FREQ without an LFU policy) or missing
    });
    let pttl = match p.pttl.then(&mut next) {
        None => None,
        Some(Value::Int(i)) => Some(i),
        Some(v) => return Err(unexpected(store, "PTTL", v)),
    };
    let (memory, refused) = memory_of(store, p.memory.then(&mut next))?;
    let value = value_of(store, p.get.then(&mut next))?;
    Ok(Facts {
        key,
        pttl,
        memory,
        object,
        value,
        tag: p.tag,
        refused,
    })
}

/// The reply to `MEMORY USAGE`, if asked: the size, and whether the server refused it.
fn memory_of(store: &Store, reply: Option<Value>) -> Result<(Option<u64>, bool), StoreError> {
    Ok(match reply {
        None | Some(Value::Nil) => (None, false),
        Some(Value::Int(i)) => (u64::try_from(i).ok(), false),
        // An ACL user without read access to the key (e.g. `%R~ol:*` and a foreign key).
        Some(Value::ServerError(e)) if e.code() == "NOPERM" => (None, true),
        Some(v) => return Err(unexpected(store, "MEMORY USAGE", v)),
    })
}

/// The reply to `GET`, if asked.
fn value_of(store: &Store, reply: Option<Value>) -> Result<ValueFact, StoreError> {
    Ok(match reply {
        None => ValueFact::NotAsked,
        Some(Value::Nil) => ValueFact::Missing,
        Some(Value::BulkString(b)) => ValueFact::Bytes(b),
        Some(Value::ServerError(e)) if e.code() == "WRONGTYPE" => ValueFact::WrongType,
        Some(v) => return Err(unexpected(store, "GET", v)),
    })
}

fn unexpected(store: &Store, what: &str, v: Value) -> StoreError {
    let message = match v {
        Value::ServerError(e) => format!("{} {}", e.code(), e.details().unwrap_or("")),
        other => format!("unexpected reply {other:?}"),
    };
    store.command_error(what, message.trim().to_string())
}

/// Whether the server keeps access frequencies (an LFU `maxmemory-policy`): then `OBJECT
/// FREQ` is the access measure, otherwise `OBJECT IDLETIME`. Asked with `CONFIG GET`, then
/// from `INFO memory` when CONFIG is hidden.
pub(crate) async fn access_sub(store: &Store) -> Result<ObjectSub, StoreError> {
    let policy = match store.config_get("maxmemory-policy").await? {
        Some(p) => p,
        None => info_field(&store.info("memory").await?, "maxmemory_policy").unwrap_or_default(),
    };
    Ok(if policy.contains("lfu") {
        ObjectSub::Freq
    } else {
        ObjectSub::IdleTime
    })
}

/// Ask the server not to count this connection's reads as accesses (`CLIENT NO-TOUCH`,
/// Redis 7.2+), so inspecting does not change what gets evicted. Older servers refuse;
/// that is fine, and said in the docs. In a cluster it is sent to each primary's
/// connection.
pub(crate) async fn no_touch(store: &Store) -> bool {
    let mut cmd = redis::cmd("CLIENT");
    cmd.arg("NO-TOUCH").arg("ON");
    let Ok(Some(nodes)) = store.primaries().await else {
        return store.query::<()>(&cmd, "CLIENT NO-TOUCH").await.is_ok();
    };
    let mut all = true;
    for node in &nodes {
        all &= store
            .query_node::<()>(node, &cmd, "CLIENT NO-TOUCH")
            .await
            .is_ok();
    }
    all
}

/// One `name:value` field of an `INFO` reply.
pub(crate) fn info_field(info: &str, name: &str) -> Option<String> {
    info.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        (k == name).then(|| v.trim().to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_keep_every_item_in_order() {
        let c = chunked((0..7).collect::<Vec<_>>(), 3);
        assert_eq!(c, vec![vec![0, 1, 2], vec![3, 4, 5], vec![6]]);
        assert!(chunked(Vec::<u8>::new(), 3).is_empty());
    }

    #[test]
    fn info_fields_are_found_by_exact_name() {
        let info = "# Memory\r\nused_memory:100\r\nused_memory_peak:200\r\nmaxmemory_policy:allkeys-lfu\r\n";
        assert_eq!(info_field(info, "used_memory").as_deref(), Some("100"));
        assert_eq!(
            info_field(info, "maxmemory_policy").as_deref(),
            Some("allkeys-lfu")
        );
        assert_eq!(info_field(info, "used"), None);
    }
}
