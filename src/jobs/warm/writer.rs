//! The writing end of a warm: outcomes tallied, values batched into pipelined `SET … EX`
//! batches, a few batches in flight (over the bulk connection where the store has one),
//! and the keys the API no longer caches deleted at the end.
use std::sync::Arc;
use std::time::{Duration, Instant};

use indicatif::ProgressBar;

use super::work::{Ctx, Outcome};
use super::Run;
use crate::store::{BulkWriter, PackedSets, SetResults, StoreError};

/// Items per pipelined SET batch, and bytes per batch. Small batches keep memory flat
/// (eight in flight) and a value in the CPU's caches: measured on 2 cores, 100k graphs of
/// 13 KB, 256 KB batches wrote ~10 % faster than 4 MB ones, and the process peaked at
/// 135 MB instead of 300 MB.
const BATCH_ITEMS: usize = 1000;
const BATCH_BYTES: usize = 256 << 10;
/// Batches in flight at once.
const IN_FLIGHT: usize = 8;

/// The SETs of one batch: packed for the bulk writer, or as items for the store's path.
enum Items {
    Packed(PackedSets),
    Plain(Vec<(Vec<u8>, Vec<u8>, u64)>),
}

impl Items {
    fn new(packed: bool) -> Items {
        match packed {
            // A batch closes at the first value past BATCH_BYTES: room for one more of
            // a typical size.
            true => Items::Packed(PackedSets::with_capacity(BATCH_BYTES + (64 << 10))),
            false => Items::Plain(Vec::new()),
        }
    }

    fn push(&mut self, key: String, value: Vec<u8>, ttl: u64) {
        match self {
            Items::Packed(p) => p.push(key.as_bytes(), &value, ttl),
            Items::Plain(v) => v.push((key.into_bytes(), value, ttl)),
        }
    }

    fn len(&self) -> usize {
        match self {
            Items::Packed(p) => p.len(),
            Items::Plain(v) => v.len(),
        }
    }

    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Item `i`'s key and value.
    fn item(&self, i: usize) -> (&[u8], &[u8]) {
        match self {
            Items::Packed(p) => p.item(i),
            Items::Plain(v) => (&v[i].0, &v[i].1),
        }
    }

    fn clear(&mut self) {
        *self = Items::new(matches!(self, Items::Packed(_)));
    }
}

/// A written batch: kinds, the items, and the per-item results.
type BatchResult = (Vec<&'static str>, Items, SetResults);

/// Batches SETs and writes them with a few batches in flight.
pub(super) struct Writer {
    ctx: Arc<Ctx>,
    batch: Items,
    kinds: Vec<&'static str>,
    bytes: usize,
    in_flight: tokio::task::JoinSet<BatchResult>,
    /// The bulk connection's thread, when the store has one (standalone, not a dry run).
    bulk: Option<BulkWriter>,
    started: Instant,
    written: u64,
    /// Keys the API would no longer cache, to delete (`invalidate --rewarm`).
    stale: Vec<(&'static str, Vec<u8>)>,
}

impl Writer {
    pub(super) fn new(ctx: Arc<Ctx>) -> Self {
        let bulk = match ctx.opts.dry_run {
            true => None,
            false => BulkWriter::start(&ctx.store, IN_FLIGHT),
        };
        Writer {
            batch: Items::new(bulk.is_some()),
            bulk,
            ctx,
            kinds: Vec::new(),
            bytes: 0,
            in_flight: tokio::task::JoinSet::new(),
            started: Instant::now(),
            written: 0,
            stale: Vec::new(),
        }
    }

    /// Tally each outcome, and batch each value to write (sending full batches).
    pub(super) async fn take(&mut self, outcomes: Vec<Outcome>, run: &mut Run, bar: &ProgressBar) {
        for o in outcomes {
            match o {
                Outcome::Value {
                    key,
                    kind,
                    value,
                    ttl,
                } => self.take_value(key, kind, value, ttl, run, bar).await,
                Outcome::Skipped { key, kind, why } => {
                    let stale = why_name(why) == "not-cached" && self.ctx.opts.delete_stale;
                    if stale && !self.ctx.opts.dry_run {
                        self.stale.push((kind, key.into_bytes()));
                    } else {
                        run.tally.add(kind, why_name(why), 1, 0);
                    }
                    bar.inc(1);
                }
                Outcome::Failed { key, kind, error } => {
                    run.tally.add(kind, "failed", 1, 0);
                    run.note_failure(&key, &error);
                    bar.inc(1);
                }
            }
        }
    }

    /// One value: into the batch, unless the run stopped, is a dry run, or would pass
    /// `--max-bytes` (which stops it).
    async fn take_value(
        &mut self,
        key: String,
        kind: &'static str,
        value: Vec<u8>,
        ttl: u64,
        run: &mut Run,
        bar: &ProgressBar,
    ) {
        let not_written = if self.ctx.stop.stopped() {
            // Stopped (Ctrl-C, --fail-fast, OOM, budget): take no more work.
            Some(("cancelled", 0))
        } else if self.ctx.opts.dry_run {
            Some(("would-write", value.len() as u64))
        } else if run.budget_exhausted(value.len() as u64) {
            self.ctx.stop.stop();
            Some(("skipped-max-bytes", 0))
        } else {
            None
        };
        if let Some((outcome, bytes)) = not_written {
            run.tally.add(kind, outcome, 1, bytes);
            bar.inc(1);
            return;
        }
        self.bytes += value.len() + key.len();
        self.batch.push(key, value, ttl);
        self.kinds.push(kind);
        if self.batch.len() >= self.batch_limit() || self.bytes >= BATCH_BYTES {
            self.send(run, bar).await;
        }
    }

    /// Send the batch (at most [`IN_FLIGHT`] batches in flight, paced by `--rate`), or,
    /// once Redis has failed, count it cancelled.
    async fn send(&mut self, run: &mut Run, bar: &ProgressBar) {
        if self.batch.is_empty() {
            return;
        }
        while self.in_flight.len() >= IN_FLIGHT {
            self.reap_one(run, bar).await;
        }
        if run.store_error.is_some() {
            // Redis failed (after its retries): sending more would only wait again.
            self.cancel_batch(run, bar);
            return;
        }
        self.pace().await;
        let items = std::mem::replace(&mut self.batch, Items::new(self.bulk.is_some()));
        let kinds = std::mem::take(&mut self.kinds);
        self.bytes = 0;
        self.written += items.len() as u64;
        self.spawn(items, kinds);
    }

    /// The batch's keys counted cancelled, and the batch dropped.
    fn cancel_batch(&mut self, run: &mut Run, bar: &ProgressBar) {
        for kind in std::mem::take(&mut self.kinds) {
            run.tally.add(kind, "cancelled", 1, 0);
        }
        bar.inc(self.batch.len() as u64);
        self.batch.clear();
        self.bytes = 0;
    }

    /// Write a batch in the background: over the bulk connection when packed for it, else
    /// through the store.
    fn spawn(&mut self, items: Items, kinds: Vec<&'static str>) {
        match (items, &self.bulk) {
            (Items::Packed(p), Some(bulk)) => {
                let bulk = bulk.clone();
                self.in_flight.spawn(async move {
                    let (p, r) = bulk.write(p).await;
                    (kinds, Items::Packed(p), r)
                });
            }
            (items, _) => {
                let store = self.ctx.store.clone();
                self.in_flight.spawn(async move {
                    let r = match &items {
                        Items::Plain(v) => store.set_ex_many(v).await,
                        Items::Packed(_) => Ok(Vec::new()), // never: packed only with `bulk`
                    };
                    (kinds, items, r)
                });
            }
        }
    }

    /// Items per batch: smaller under `--rate` so pacing is smooth (a tenth of a second's worth).
    fn batch_limit(&self) -> usize {
        match self.ctx.opts.rate {
            Some(r) => (r as usize / 10).clamp(1, BATCH_ITEMS),
            None => BATCH_ITEMS,
        }
    }

    /// Hold `--rate` keys per second.
    async fn pace(&self) {
        if let Some(rate) = self.ctx.opts.rate {
            let due = Duration::from_secs_f64(self.written as f64 / rate.max(1) as f64);
            let elapsed = self.started.elapsed();
            if due > elapsed {
                tokio::time::sleep(due - elapsed).await;
            }
        }
    }

    async fn reap_one(&mut self, run: &mut Run, bar: &ProgressBar) {
        let Some(joined) = self.in_flight.join_next().await else {
            return;
        };
        let Ok((kinds, items, result)) = joined else {
            return;
        };
        bar.inc(kinds.len() as u64);
        match result {
            Ok(results) => {
                for (i, (kind, r)) in kinds.iter().zip(results).enumerate() {
                    let (key, value) = items.item(i);
                    match r {
                        Ok(()) => run.tally.add(kind, "written", 1, value.len() as u64),
                        Err(e) => {
                            if matches!(e, StoreError::OutOfMemory { .. }) {
                                run.oom = true;
                                self.ctx.stop.stop();
                            }
                            run.tally.add(kind, "failed", 1, 0);
                            run.note_failure(&String::from_utf8_lossy(key), &e.to_string());
                        }
                    }
                }
            }
            Err(e) => {
                for kind in &kinds {
                    run.tally.add(kind, "failed", 1, 0);
                }
                run.store_error.get_or_insert(e);
                self.ctx.stop.stop();
            }
        }
    }

    pub(super) async fn flush_all(&mut self, run: &mut Run, bar: &ProgressBar) {
        // Ctrl-C: what is not yet sent is dropped; other stops send what was accepted.
        if self.ctx.stop.interrupted() {
            for kind in std::mem::take(&mut self.kinds) {
                run.tally.add(kind, "cancelled", 1, 0);
            }
            self.batch.clear();
        }
        self.send(run, bar).await;
        while !self.in_flight.is_empty() {
            self.reap_one(run, bar).await;
        }
        self.delete_stale(run).await;
    }
}

impl Writer {
    /// Delete the keys whose dataset or column is gone, one UNLINK per kind.
    async fn delete_stale(&mut self, run: &mut Run) {
        let mut by_kind: std::collections::BTreeMap<&'static str, Vec<Vec<u8>>> =
            Default::default();
        for (kind, key) in std::mem::take(&mut self.stale) {
            by_kind.entry(kind).or_default().push(key);
        }
        for (kind, keys) in by_kind {
            for chunk in keys.chunks(BATCH_ITEMS) {
                match self.ctx.store.unlink_many(chunk).await {
                    Ok(n) => run.tally.add(kind, "deleted-stale", n, 0),
                    Err(e) => {
                        run.tally.add(kind, "failed", chunk.len() as u64, 0);
                        run.store_error.get_or_insert(e);
                    }
                }
            }
        }
    }
}

fn why_name(why: &'static str) -> &'static str {
    match why {
        "exists" => "skipped-existing",
        "ttl-above-min" => "skipped-ttl",
        _ => "not-cached",
    }
}
