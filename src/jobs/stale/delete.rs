//! Finding and deleting the selected keys: SCAN with a large COUNT (or exact keys without a
//! scan), client-side matching, `UNLINK` grouped by kind in small pipelined batches.
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use futures_util::StreamExt;

use crate::app::report::Tally;
use crate::app::runtime::Stop;
use crate::keys::{parse, PREFIX};
use crate::select::Selection;
use crate::store::probe::scan_ahead;
use crate::store::{Store, StoreError};

/// Keys per UNLINK batch: small enough that other clients do not notice.
const BATCH: usize = 250;
/// SCAN COUNT: each SCAN call blocks the server for about a microsecond per slot visited,
/// so a small COUNT keeps other clients' latency low (and the keys in the server's caches).
/// SCAN calls go one after another (each needs the last cursor): at 500, with a fifth of
/// the keys outside the pattern, their round trips left the server idle a tenth of the
/// time; at 1000 it stays busy (docs/benchmarks.md), and a call still takes ~1 ms.
const SCAN_COUNT: usize = 1000;
/// Batches in flight at once.
const IN_FLIGHT: usize = 2;
/// SCAN replies the scan may run ahead of the deletes (4,000 keys' worth at most).
const SCAN_AHEAD: usize = 4;
/// One key in this many is measured with `MEMORY USAGE` to estimate the bytes freed.
const SAMPLE_EVERY: usize = 16;

/// What a pass goes over, on which connections, and how fast.
pub(crate) struct Scope<'a> {
    /// The connection that deletes (and measures).
    pub store: &'a Store,
    /// The connection that scans (`store` itself when only exact keys are selected).
    pub scan_conn: &'a Store,
    pub selection: &'a Selection,
    /// Set by Ctrl-C: take no more keys, let the batches in flight finish.
    pub stop: &'a Stop,
    /// At most this many keys deleted per second.
    pub rate: Option<u32>,
    /// Write every selected key to stdout as an NDJSON line as it is found.
    pub list_keys: bool,
    /// Set `both` graphs aside instead of deleting them, to be rewritten
    /// ([`Swept::held_both`]).
    pub hold_both: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Count,
    Delete,
}

/// What a pass found and did.
#[derive(Default)]
pub(crate) struct Swept {
    /// Keys matched as scanned (SCAN may return a key twice; see docs/invalidate.md).
    pub matched: u64,
    /// Keys UNLINK actually removed.
    pub deleted: u64,
    /// Per kind: `matched` and `deleted`.
    pub tally: Tally,
    /// Estimated bytes of the matched keys.
    pub bytes: u64,
    /// The first keys, for the table report.
    pub sample_keys: Vec<String>,
    pub deleting: bool,
    /// Extra passes after the cluster's topology changed mid-scan.
    pub rescans: u32,
    /// Ctrl-C stopped the pass before it went through the selection.
    pub interrupted: bool,
    /// Matched `both` graphs set aside, not deleted ([`Scope::hold_both`]).
    pub held_both: Vec<String>,
    /// Of them, rewritten (a dry run: all of them, would be).
    pub both_rewritten: u64,
}

fn kind_name(key: &[u8]) -> &'static str {
    let text = String::from_utf8_lossy(key);
    parse(&text).kind().map(|k| k.name()).unwrap_or("unknown")
}

type Flight = (BTreeMap<&'static str, u64>, u64, Result<u64, StoreError>);

/// The moving parts of one pass: batches in flight and what they found.
struct Pass<'a> {
    scope: &'a Scope<'a>,
    mode: Mode,
    flights: tokio::task::JoinSet<Flight>,
    out: Swept,
    sent: u64,
    started: Instant,
}

/// Run one pass over the selection: count it, or delete it.
pub(crate) async fn run(scope: &Scope<'_>, mode: Mode) -> anyhow::Result<Swept> {
    let mut pass = Pass {
        scope,
        mode,
        flights: tokio::task::JoinSet::new(),
        out: Swept {
            deleting: mode == Mode::Delete,
            ..Default::default()
        },
        sent: 0,
        started: Instant::now(),
    };
    if scope.selection.exact_only() {
        pass.exact().await?;
    } else {
        pass.scan().await?;
    }
    while let Some(done) = pass.flights.join_next().await {
        land(done, &mut pass.out)?;
    }
    Ok(pass.out)
}

/// Whether a scan went through: to its end, or stopped by Ctrl-C; or was cut by a change of
/// the cluster's topology, and must run again.
enum Scanned {
    Through,
    Cut,
}

impl Pass<'_> {
    /// Take the exact keys that exist, batch by batch (no scan).
    async fn exact(&mut self) -> anyhow::Result<()> {
        let keys: Vec<Vec<u8>> = self
            .scope
            .selection
            .exact_keys()
            .into_iter()
            .map(String::into_bytes)
            .collect();
        for chunk in keys.chunks(BATCH) {
            if self.stopped() {
                break;
            }
            let exists = self.scope.store.exists_many(chunk).await?;
            let present = chunk
                .iter()
                .zip(exists)
                .filter(|(_, e)| *e)
                .map(|(k, _)| k.clone())
                .collect();
            self.take(present).await?;
        }
        Ok(())
    }

    /// Scan and take the selected keys. A cluster whose slots moved during the scan may have
    /// hidden keys from it: scan again (deleted keys are gone, so a new pass finds only what
    /// was missed).
    async fn scan(&mut self) -> anyhow::Result<()> {
        let pattern = self.scope.selection.scan_pattern();
        for pass in 1..=crate::store::MAX_STABLE_PASSES {
            if let Scanned::Through = self.scan_once(&pattern).await? {
                return Ok(());
            }
            self.out.rescans += 1;
            tracing::info!("the cluster's slots moved during pass {pass}; scanning again");
        }
        Err(anyhow::anyhow!(
            "the cluster kept changing during {} passes; run invalidate again",
            crate::store::MAX_STABLE_PASSES
        ))
    }

    /// One scan of the cache, its selected keys taken in batches of [`BATCH`] as they come.
    async fn scan_once(&mut self, pattern: &str) -> anyhow::Result<Scanned> {
        let scan_conn = self.scope.scan_conn.clone();
        let scanner = scan_ahead(scan_conn, pattern, SCAN_COUNT, SCAN_AHEAD);
        let mut scanner = std::pin::pin!(scanner);
        let mut pending: Vec<Vec<u8>> = Vec::new();
        let scanned = loop {
            if self.stopped() {
                return Ok(Scanned::Through); // what is pending is dropped: nothing half-done
            }
            let batch = match scanner.next().await {
                Some(Ok(b)) => b,
                None => break Scanned::Through,
                Some(Err(StoreError::TopologyChanged { .. })) if self.mode == Mode::Delete => {
                    break Scanned::Cut
                }
                Some(Err(e)) => return Err(e.into()),
            };
            let sel = self.scope.selection;
            pending.extend(crate::select::pick(self.scope.store, sel, batch).await?);
            while pending.len() >= BATCH {
                let rest = pending.split_off(BATCH);
                self.take(std::mem::replace(&mut pending, rest)).await?;
            }
        };
        self.take(pending).await?;
        Ok(scanned)
    }

    /// Whether Ctrl-C asked to stop (noted in the outcome).
    fn stopped(&mut self) -> bool {
        if self.scope.stop.interrupted() {
            self.out.interrupted = true;
        }
        self.out.interrupted
    }

    /// Count (and list) a batch of selected keys, then measure and delete it.
    async fn take(&mut self, batch: Vec<Vec<u8>>) -> anyhow::Result<()> {
        for k in &batch {
            // Defence in depth: nothing outside the prefix is ever deleted.
            anyhow::ensure!(
                k.starts_with(PREFIX.as_bytes()),
                "refusing to touch a key outside the prefix"
            );
            self.out.matched += 1;
            self.out.tally.add(kind_name(k), "matched", 1, 0);
            if self.out.sample_keys.len() < 20 {
                self.out
                    .sample_keys
                    .push(String::from_utf8_lossy(k).into_owned());
            }
            if self.scope.list_keys {
                let line =
                    serde_json::json!({"key": String::from_utf8_lossy(k), "kind": kind_name(k)});
                crate::app::output::print(&format!("{line}\n"))?;
            }
        }
        let batch = self.hold_both(batch);
        self.dispatch(batch).await
    }

    /// The batch without the `both` graphs, set aside when the scope asks for it.
    fn hold_both(&mut self, batch: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
        if !self.scope.hold_both {
            return batch;
        }
        let (both, rest): (Vec<Vec<u8>>, Vec<Vec<u8>>) = batch
            .into_iter()
            .partition(|k| crate::jobs::rewrite::is_both_graph(&String::from_utf8_lossy(k)));
        self.out.held_both.extend(
            both.into_iter()
                .map(|k| String::from_utf8_lossy(&k).into_owned()),
        );
        rest
    }

    /// Measure a sample of the batch and (when deleting) UNLINK it, grouped by kind.
    async fn dispatch(&mut self, batch: Vec<Vec<u8>>) -> anyhow::Result<()> {
        if batch.is_empty() {
            return Ok(());
        }
        while self.flights.len() >= IN_FLIGHT {
            if let Some(done) = self.flights.join_next().await {
                land(done, &mut self.out)?;
            }
        }
        if let (Some(rate), Mode::Delete) = (self.scope.rate, self.mode) {
            let due = Duration::from_secs_f64(self.sent as f64 / rate as f64);
            if let Some(wait) = due.checked_sub(self.started.elapsed()) {
                tokio::time::sleep(wait).await;
            }
        }
        self.sent += batch.len() as u64;
        let (store, mode) = (self.scope.store.clone(), self.mode);
        self.flights
            .spawn(async move { measure_and_unlink(store, batch, mode).await });
        Ok(())
    }
}

async fn measure_and_unlink(store: Store, batch: Vec<Vec<u8>>, mode: Mode) -> Flight {
    let sample: Vec<Vec<u8>> = batch.iter().step_by(SAMPLE_EVERY).cloned().collect();
    let n = batch.len() as u64;
    if mode == Mode::Count {
        let sizes = store.memory_usage_many(&sample).await.unwrap_or_default();
        return (BTreeMap::new(), estimate(&sizes, n), Ok(0));
    }
    let mut by_kind: BTreeMap<&'static str, Vec<Vec<u8>>> = BTreeMap::new();
    for k in batch {
        by_kind.entry(kind_name(&k)).or_default().push(k);
    }
    // The sample's sizes and every kind's UNLINK in one round trip: a batch of mixed kinds
    // (`--all`) costs the server no idle wait per kind, nor one for the sizes.
    let (kinds, groups): (Vec<&'static str>, Vec<Vec<Vec<u8>>>) = by_kind.into_iter().unzip();
    match store.measure_and_unlink(&sample, &groups).await {
        Ok((sizes, counts)) => {
            let total = counts.iter().sum();
            let by_kind = kinds.into_iter().zip(counts).collect();
            (by_kind, estimate(&sizes, n), Ok(total))
        }
        Err(e) => (BTreeMap::new(), 0, Err(e)),
    }
}

/// Bytes of `n` keys, estimated from the sizes measured of a sample of them.
fn estimate(sizes: &[Option<u64>], n: u64) -> u64 {
    let measured: Vec<u64> = sizes.iter().flatten().copied().collect();
    match measured.len() {
        0 => 0,
        m => measured.iter().sum::<u64>() * n / m as u64,
    }
}

fn land(done: Result<Flight, tokio::task::JoinError>, out: &mut Swept) -> anyhow::Result<()> {
    let (by_kind, est, result) = done?;
    out.bytes += est;
    for (kind, n) in by_kind {
        out.tally.add(kind, "deleted", n, 0);
        out.deleted += n;
    }
    result.map(|_| ()).map_err(|e| {
        anyhow::Error::new(e).context(format!(
            "invalidate stopped after deleting {} keys",
            out.deleted
        ))
    })
}
