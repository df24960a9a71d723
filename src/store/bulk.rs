//! Bulk `SET … EX` for `warm` on a standalone server: commands packed once into the bytes
//! that go on the wire, written by one thread over a connection of their own.
//!
//! The multiplexed connection copies a value three times on its way to the socket (into
//! the command, the packed pipeline, the codec's buffer); at a warehouse's 100,000 values
//! of 13 KB those copies and their allocations were a tenth of `warm`'s CPU, on the same
//! two cores Redis needs. Here a value is copied once, into [`PackedSets`], and the
//! writing thread hands the buffer to the socket as it is; while Redis works through one
//! batch the next is already on its way (replies are read a batch behind, when more
//! batches are queued).
//!
//! Failures keep the store's guarantees. The write on the bulk connection is a batch's
//! first attempt: if the connection breaks, times out, or the server answers `LOADING`,
//! the batch's retries go through [`Store::set_ex_many`]'s path (backoff, reconnection)
//! within the same budget of 3 × timeout from that first attempt, and so does every later
//! batch (a SET of a complete value is idempotent: a batch written twice is harmless). If
//! the bulk connection cannot be opened at all, every batch takes that path from the
//! start. Error replies (`OOM`, `NOPERM`) are per item, as there.
//!
//! Not used for a cluster (batches are split per primary there) nor with
//! `--tls-server-name` (the blocking connection cannot pin the name's address).
use std::collections::VecDeque;
use std::ops::Range;
use std::time::Instant;

use redis::Value;
use tokio::sync::{mpsc, oneshot};

use super::retry::Failed;
use super::{Store, StoreError};

/// Per-item results of one batch, or the batch's own failure.
pub type SetResults = Result<Vec<Result<(), StoreError>>, StoreError>;

/// `SET key value EX ttl` commands in RESP, as written to the socket, and where each
/// item's key and value lie in them.
#[derive(Default)]
pub struct PackedSets {
    bytes: Vec<u8>,
    items: Vec<Item>,
}

struct Item {
    key: Range<usize>,
    value: Range<usize>,
    ttl: u64,
}

impl PackedSets {
    /// Room for `bytes` of commands: sized once, a batch is not regrown (and copied) as
    /// it fills.
    pub fn with_capacity(bytes: usize) -> PackedSets {
        PackedSets {
            bytes: Vec::with_capacity(bytes),
            items: Vec::new(),
        }
    }

    /// Append `SET key value EX ttl`.
    pub fn push(&mut self, key: &[u8], value: &[u8], ttl: u64) {
        let b = &mut self.bytes;
        b.reserve(key.len() + value.len() + 64);
        b.extend_from_slice(b"*5\r\n$3\r\nSET\r\n");
        let key = bulk(b, key);
        let value = bulk(b, value);
        b.extend_from_slice(b"$2\r\nEX\r\n");
        bulk(b, ttl.to_string().as_bytes());
        self.items.push(Item { key, value, ttl });
    }

    /// Number of commands.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there is no command.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Bytes on the wire.
    pub fn wire_len(&self) -> usize {
        self.bytes.len()
    }

    /// Item `i`'s key and value.
    pub fn item(&self, i: usize) -> (&[u8], &[u8]) {
        let it = &self.items[i];
        (&self.bytes[it.key.clone()], &self.bytes[it.value.clone()])
    }

    /// Every item as (key, value, TTL), borrowed.
    fn triples(&self) -> Vec<(&[u8], &[u8], u64)> {
        (0..self.len())
            .map(|i| {
                let (k, v) = self.item(i);
                (k, v, self.items[i].ttl)
            })
            .collect()
    }
}

/// Append a RESP bulk string; where its bytes lie.
fn bulk(b: &mut Vec<u8>, s: &[u8]) -> Range<usize> {
    b.push(b'$');
    b.extend_from_slice(s.len().to_string().as_bytes());
    b.extend_from_slice(b"\r\n");
    let at = b.len();
    b.extend_from_slice(s);
    b.extend_from_slice(b"\r\n");
    at..b.len() - 2
}

type Job = (PackedSets, oneshot::Sender<(PackedSets, SetResults)>);

/// The writing thread's handle (clones share the thread). Dropping every clone lets the thread finish what it was given and end.
#[derive(Clone)]
pub struct BulkWriter {
    jobs: mpsc::Sender<Job>,
}

impl BulkWriter {
    /// Start the thread (it connects by itself). `None` for a cluster or a pinned TLS name:
    /// use [`Store::set_ex_many`] then.
    pub fn start(store: &Store, queue: usize) -> Option<BulkWriter> {
        let client = store.bulk_client()?;
        let (jobs, rx) = mpsc::channel::<Job>(queue.max(1));
        let store = store.clone();
        let rt = tokio::runtime::Handle::current();
        std::thread::Builder::new()
            .name("bulk-writer".into())
            .spawn(move || Thread::new(store, rt, &client).run(rx))
            .ok()?;
        Some(BulkWriter { jobs })
    }

    /// Write the batch; its results come back with it.
    pub async fn write(&self, batch: PackedSets) -> (PackedSets, SetResults) {
        let (tx, rx) = oneshot::channel();
        let lost = || StoreError::Command {
            what: "SET".into(),
            message: "the bulk writer stopped".into(),
        };
        if let Err(mpsc::error::SendError((batch, _))) = self.jobs.send((batch, tx)).await {
            return (batch, Err(lost()));
        }
        match rx.await {
            Ok(done) => done,
            Err(_) => (PackedSets::default(), Err(lost())),
        }
    }
}

struct Thread {
    store: Store,
    rt: tokio::runtime::Handle,
    /// `None` once broken (or never opened): the store's own path from then on.
    conn: Option<redis::Connection>,
    /// Why the connection broke.
    broke: Option<StoreError>,
}

/// Batches written ahead of the one whose replies are read: Redis always has the next one
/// queued. (1, 2 and 4 measured the same within noise on 100,000 values of 13 KB.)
const DEPTH: usize = 2;

/// A batch written to the bulk connection (its first attempt), replies not read yet.
struct Sent {
    job: Job,
    at: Instant,
}

impl Thread {
    fn new(store: Store, rt: tokio::runtime::Handle, client: &redis::Client) -> Thread {
        let timeout = store.timeout();
        let conn = client
            .get_connection_with_timeout(timeout)
            .and_then(|mut c| {
                c.set_read_timeout(Some(timeout))?;
                c.set_write_timeout(Some(timeout))?;
                // A server at its `maxclients` accepts the connection, then refuses it.
                redis::cmd("PING").query::<()>(&mut c)?;
                Ok(c)
            });
        let conn = match conn {
            Ok(c) => {
                tracing::debug!("writing through a bulk connection to {}", store.addr());
                Some(c)
            }
            Err(e) => {
                tracing::debug!(
                    "bulk connection to {} not opened ({}): writing through the shared one",
                    store.addr(),
                    crate::config::redact_known_secrets(&e.to_string())
                );
                None
            }
        };
        Thread {
            store,
            rt,
            conn,
            broke: None,
        }
    }

    fn run(mut self, mut rx: mpsc::Receiver<Job>) {
        let mut pending: VecDeque<Sent> = VecDeque::new();
        while let Some(job) = self.next_job(&mut rx, &mut pending) {
            self.send(job, &mut pending);
        }
        while let Some(p) = pending.pop_front() {
            self.finish(p);
        }
    }

    /// The next batch to send; while none is waiting, answer the oldest batch sent. `None`
    /// once every sender is gone.
    fn next_job(
        &mut self,
        rx: &mut mpsc::Receiver<Job>,
        pending: &mut VecDeque<Sent>,
    ) -> Option<Job> {
        loop {
            if pending.is_empty() {
                return rx.blocking_recv();
            }
            match rx.try_recv() {
                Ok(job) => return Some(job),
                Err(mpsc::error::TryRecvError::Empty) => {
                    // Nothing more to send for now: answer the oldest batch.
                    if let Some(p) = pending.pop_front() {
                        self.finish(p);
                    }
                }
                Err(mpsc::error::TryRecvError::Disconnected) => return None,
            }
        }
    }

    /// Write a batch without waiting for its replies (at most [`DEPTH`] batches unanswered);
    /// without a connection, or once it broke, the batch goes the store's way.
    fn send(&mut self, job: Job, pending: &mut VecDeque<Sent>) {
        let Some(conn) = &mut self.conn else {
            self.fallback(job, None);
            return;
        };
        let sent = Sent {
            at: Instant::now(),
            job,
        };
        if let Err(e) = conn.send_packed_command(&sent.job.0.bytes) {
            self.break_with(e);
        }
        match self.conn.is_some() {
            true => pending.push_back(sent),
            false => self.retry(sent),
        }
        while pending.len() > DEPTH {
            if let Some(p) = pending.pop_front() {
                self.finish(p); // once broken, this writes it again
            }
        }
    }

    /// Read a sent batch's replies and answer it (retried on the store's path if they fail).
    fn finish(&mut self, sent: Sent) {
        let Some(conn) = &mut self.conn else {
            return self.retry(sent);
        };
        let n = sent.job.0.len();
        let mut replies = Vec::with_capacity(n);
        while replies.len() < n {
            match conn.recv_response() {
                Ok(Value::ServerError(e)) if e.code() == "LOADING" => {
                    let e = super::error::item_error(e, "SET", self.store.addr());
                    self.broke = Some(e);
                    self.conn = None;
                    return self.retry(sent);
                }
                Ok(v) => replies.push(self.store.set_reply(v)),
                Err(e) => {
                    self.break_with(e);
                    return self.retry(sent);
                }
            }
        }
        let (batch, tx) = sent.job;
        let _ = tx.send((batch, Ok(replies)));
    }

    /// Give up the connection after `e` (a timeout, a reset, a protocol error).
    fn break_with(&mut self, e: redis::RedisError) {
        let store = &self.store;
        let mut error = super::error::map(e, "SET", store.addr(), store.timeout());
        if !super::retry::transient(&error) {
            // Whatever went wrong here, the shared connection may still work.
            error = StoreError::Connect {
                addr: store.addr().to_string(),
                message: error.to_string(),
            };
        }
        tracing::debug!("bulk connection failed ({error}): writing through the shared one");
        self.broke = Some(error);
        self.conn = None;
    }

    /// The batch's first attempt failed here: its retries go through the store's path.
    fn retry(&self, sent: Sent) {
        let error = self.broke.clone().unwrap_or_else(|| StoreError::Connect {
            addr: self.store.addr().to_string(),
            message: "the bulk connection broke".into(),
        });
        let first = Failed {
            started: sent.at,
            error,
        };
        self.fallback(sent.job, Some(first));
    }

    /// Write the batch through the store's retrying path, on the runtime: batches that
    /// take it run at once, as they would on the shared connection, not one by one here.
    fn fallback(&self, (batch, tx): Job, first: Option<Failed>) {
        let store = self.store.clone();
        self.rt.spawn(async move {
            let results = {
                let items = batch.triples();
                match first {
                    Some(f) => store.set_ex_many_after(&items, f).await,
                    None => store.set_ex_many(&items).await,
                }
            };
            let _ = tx.send((batch, results));
        });
    }
}

impl Store {
    /// The client for a bulk connection: standalone only, and not with a pinned TLS name.
    fn bulk_client(&self) -> Option<redis::Client> {
        match &self.conn {
            super::Conn::Standalone(s) => s.bulk_client(),
            super::Conn::Cluster(_) => None,
        }
    }

    /// One `SET` reply as an item's result.
    pub(crate) fn set_reply(&self, v: Value) -> Result<(), StoreError> {
        match v {
            Value::Okay => Ok(()),
            Value::ServerError(e) => Err(self.own(super::error::item_error(e, "SET", &self.addr))),
            other => Err(self.command_error("SET", format!("unexpected reply {other:?}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_the_bytes_the_crate_would_send() {
        let items: [(&[u8], &[u8], u64); 4] = [
            (b"ol:dataset:1", b"{\"id\":\"1\"}", 3600),
            (b"ol:k", b"", 1),
            (b"ol:\r\n key", &[0u8, 255, b'\r', b'\n'], 86_400),
            (b"ol:big", &[b'x'; 70_000], 1_000_000_007),
        ];
        let mut packed = PackedSets::with_capacity(16);
        let mut expected = Vec::new();
        for (k, v, ttl) in items {
            packed.push(k, v, ttl);
            let mut cmd = redis::cmd("SET");
            cmd.arg(k).arg(v).arg("EX").arg(ttl);
            expected.extend_from_slice(&cmd.get_packed_command());
        }
        assert_eq!(packed.bytes, expected);
        assert_eq!(packed.len(), 4);
        assert_eq!(packed.wire_len(), expected.len());
        for (i, (k, v, ttl)) in items.iter().enumerate() {
            assert_eq!(packed.item(i), (*k, *v));
            assert_eq!(packed.triples()[i], (*k, *v, *ttl));
        }
        assert!(PackedSets::default().is_empty());
    }
}
