//! Running a warm: keys → (filter) → values on worker threads → pipelined `SET … EX` in
//! bounded batches. Memory stays flat: at most a few chunks are in flight at any time.
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use indicatif::ProgressBar;

use super::plan::{Plan, Shape};
use super::{Run, WarmOptions};
use crate::keys::Key;
use crate::source::LineageSource;
use crate::store::{BulkWriter, PackedSets, SetResults, Store, StoreError};
use crate::values::{compute, Computed, GraphMode};

/// Keys per chunk handed to a worker.
const CHUNK: usize = 32;
/// Items per pipelined SET batch, and bytes per batch. Small batches keep a value in the
/// CPU's caches through its copies (into the command, the pipeline, the socket): measured on
/// 2 cores, 100k graphs of 13 KB, 256 KB batches wrote ~10 % faster than 4 MB ones, and
/// the process peaked at 135 MB instead of 300 MB.
const BATCH_ITEMS: usize = 1000;
const BATCH_BYTES: usize = 256 << 10;
/// Batches written concurrently over the multiplexed connection.
const IN_FLIGHT: usize = 8;

/// What happened to one key.
pub(crate) enum Outcome {
    Value {
        key: String,
        kind: &'static str,
        value: Vec<u8>,
        ttl: u64,
    },
    Skipped {
        key: String,
        kind: &'static str,
        why: &'static str,
    },
    Failed {
        key: String,
        kind: &'static str,
        error: String,
    },
}

/// Shared stop signals.
#[derive(Default)]
pub(crate) struct Stop {
    pub requested: AtomicBool,
    pub interrupted: AtomicBool,
}

impl Stop {
    pub fn stopped(&self) -> bool {
        self.requested.load(Ordering::Relaxed)
    }
    pub fn stop(&self) {
        self.requested.store(true, Ordering::Relaxed);
    }
}

/// Everything a worker needs.
pub(crate) struct Ctx {
    pub source: Arc<dyn LineageSource>,
    pub engine: Option<Arc<crate::source::engine::Engine>>,
    pub names: Arc<std::collections::HashMap<String, String>>,
    pub store: Store,
    pub opts: Arc<WarmOptions>,
    pub ttls: crate::config::Ttls,
    pub stop: Arc<Stop>,
    pub seed: AtomicU64,
    /// A Redis failure met by a worker (the `--only-missing`/`--min-ttl` check): the run
    /// stops and reports it like the writer's own.
    pub store_failure: Mutex<Option<StoreError>>,
}

impl Ctx {
    fn mode(&self) -> GraphMode<'_> {
        match &self.engine {
            Some(e) => GraphMode::Bulk(e, &self.names),
            None => GraphMode::PerKey,
        }
    }

    /// The class TTL minus up to `jitter` of it, never above the class TTL, at least 1 s.
    fn ttl_for(&self, key: &Key) -> u64 {
        let class = key.ttl_class().seconds(&self.ttls);
        let span = (class as f64 * self.opts.jitter).floor() as u64;
        if span == 0 {
            return class;
        }
        let r = splitmix(&self.seed);
        class.saturating_sub(r % (span + 1)).max(1)
    }

    /// Compute one key into its outcome.
    pub fn outcome(&self, key: &Key) -> Outcome {
        let kind = key.kind().name();
        match compute(key, self.source.as_ref(), self.mode(), self.opts.depth) {
            Ok(Computed::Value(value)) => Outcome::Value {
                key: key.render(),
                kind,
                value,
                ttl: self.ttl_for(key),
            },
            Ok(Computed::NotCached(why)) => Outcome::Skipped {
                key: key.render(),
                kind,
                why,
            },
            Err(e) => Outcome::Failed {
                key: key.render(),
                kind,
                error: e.to_string(),
            },
        }
    }

    /// Drop keys the filters skip (`--only-missing`, `--min-ttl`), recording them.
    fn filter(
        &self,
        rt: &tokio::runtime::Handle,
        keys: Vec<Key>,
        out: &mut Vec<Outcome>,
    ) -> Result<Vec<Key>, StoreError> {
        let opts = &self.opts;
        if !opts.only_missing && opts.min_ttl.is_none() {
            return Ok(keys);
        }
        let raw: Vec<Vec<u8>> = keys.iter().map(|k| k.render().into_bytes()).collect();
        let pttl = rt.block_on(self.store.pttl_many(&raw))?;
        let mut kept = Vec::with_capacity(keys.len());
        for (k, ms) in keys.into_iter().zip(pttl) {
            let kind = k.kind().name();
            let exists = ms != -2;
            if opts.only_missing && exists {
                out.push(Outcome::Skipped {
                    key: k.render(),
                    kind,
                    why: "exists",
                });
            } else if let (Some(min), true) = (opts.min_ttl, ms > 0) {
                if ms as u128 > min.as_millis() {
                    out.push(Outcome::Skipped {
                        key: k.render(),
                        kind,
                        why: "ttl-above-min",
                    });
                } else {
                    kept.push(k);
                }
            } else {
                kept.push(k);
            }
        }
        Ok(kept)
    }
}

fn splitmix(state: &AtomicU64) -> u64 {
    let mut z = state
        .fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed)
        .wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Run the plan: a generator thread, `concurrency` worker threads, and the async writer.
pub(crate) async fn execute(
    ctx: Arc<Ctx>,
    plan: Arc<Plan>,
    shape: Shape,
    run: &mut Run,
    bar: &ProgressBar,
) {
    // Per key, workers wait on the source: `--concurrency` of them. In bulk mode they
    // compute on the CPU, and more of them than cores only take CPU from Redis.
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let workers = match ctx.engine {
        Some(_) => ctx.opts.concurrency.clamp(1, cores),
        None => ctx.opts.concurrency.max(1),
    };
    let (key_tx, key_rx) = mpsc::sync_channel::<Vec<Key>>(workers * 2);
    let (out_tx, mut out_rx) = tokio::sync::mpsc::channel::<Vec<Outcome>>(workers * 2);
    let gen_stop = ctx.stop.clone();
    let generator = std::thread::spawn(move || {
        let mut chunk = Vec::with_capacity(CHUNK);
        plan.for_each_key(&shape, |k| {
            chunk.push(k);
            if chunk.len() == CHUNK {
                let full = std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK));
                if gen_stop.stopped() || key_tx.send(full).is_err() {
                    return false;
                }
            }
            true
        });
        if !chunk.is_empty() && !gen_stop.stopped() {
            let _ = key_tx.send(chunk);
        }
    });
    let key_rx = Arc::new(Mutex::new(key_rx));
    let rt = tokio::runtime::Handle::current();
    let mut handles = Vec::new();
    for _ in 0..workers {
        let (ctx, key_rx, out_tx, rt) = (ctx.clone(), key_rx.clone(), out_tx.clone(), rt.clone());
        handles.push(std::thread::spawn(move || {
            worker(&ctx, &key_rx, &out_tx, &rt)
        }));
    }
    drop(out_tx);
    let mut writer = Writer::new(ctx.clone());
    while let Some(outcomes) = out_rx.recv().await {
        writer.take(outcomes, run, bar).await;
    }
    writer.flush_all(run, bar).await;
    let _ = generator.join();
    for h in handles {
        let _ = h.join();
    }
    if let Some(e) = ctx
        .store_failure
        .lock()
        .ok()
        .and_then(|mut slot| slot.take())
    {
        run.store_error.get_or_insert(e);
    }
}

fn worker(
    ctx: &Ctx,
    keys: &Mutex<mpsc::Receiver<Vec<Key>>>,
    out: &tokio::sync::mpsc::Sender<Vec<Outcome>>,
    rt: &tokio::runtime::Handle,
) {
    loop {
        let next = match keys.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => return,
        };
        let Ok(chunk) = next else { return };
        if ctx.stop.stopped() {
            continue; // drain so the generator can finish
        }
        let mut outcomes = Vec::with_capacity(chunk.len());
        let kept = match ctx.filter(rt, chunk.clone(), &mut outcomes) {
            Ok(k) => k,
            Err(e) => {
                let error = e.to_string();
                if let Ok(mut slot) = ctx.store_failure.lock() {
                    slot.get_or_insert(e);
                }
                ctx.stop.stop();
                for k in &chunk {
                    outcomes.push(Outcome::Failed {
                        key: k.render(),
                        kind: k.kind().name(),
                        error: error.clone(),
                    });
                }
                Vec::new()
            }
        };
        for k in &kept {
            if ctx.stop.stopped() {
                break; // an interrupted chunk is not written at all: nothing half-done
            }
            let o = ctx.outcome(k);
            if matches!(o, Outcome::Failed { .. }) && ctx.opts.fail_fast {
                ctx.stop.stop();
            }
            outcomes.push(o);
        }
        if out.blocking_send(outcomes).is_err() {
            return;
        }
    }
}

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
struct Writer {
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
    fn new(ctx: Arc<Ctx>) -> Self {
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

    async fn take(&mut self, outcomes: Vec<Outcome>, run: &mut Run, bar: &ProgressBar) {
        for o in outcomes {
            match o {
                Outcome::Value {
                    key,
                    kind,
                    value,
                    ttl,
                } => {
                    if self.ctx.stop.stopped() {
                        // Stopped (Ctrl-C, --fail-fast, OOM, budget): take no more work.
                        run.tally.add(kind, "cancelled", 1, 0);
                        bar.inc(1);
                        continue;
                    }
                    if self.ctx.opts.dry_run {
                        run.tally.add(kind, "would-write", 1, value.len() as u64);
                        bar.inc(1);
                        continue;
                    }
                    if run.budget_exhausted(value.len() as u64) {
                        run.tally.add(kind, "skipped-max-bytes", 1, 0);
                        self.ctx.stop.stop();
                        bar.inc(1);
                        continue;
                    }
                    self.bytes += value.len() + key.len();
                    self.batch.push(key, value, ttl);
                    self.kinds.push(kind);
                    if self.batch.len() >= self.batch_limit() || self.bytes >= BATCH_BYTES {
                        self.send(run, bar).await;
                    }
                }
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

    async fn send(&mut self, run: &mut Run, bar: &ProgressBar) {
        if self.batch.is_empty() {
            return;
        }
        while self.in_flight.len() >= IN_FLIGHT {
            self.reap_one(run, bar).await;
        }
        if run.store_error.is_some() {
            // Redis failed (after its retries): sending more would only wait again.
            for kind in std::mem::take(&mut self.kinds) {
                run.tally.add(kind, "cancelled", 1, 0);
            }
            bar.inc(self.batch.len() as u64);
            self.batch.clear();
            self.bytes = 0;
            return;
        }
        self.pace().await;
        let items = std::mem::replace(&mut self.batch, Items::new(self.bulk.is_some()));
        let kinds = std::mem::take(&mut self.kinds);
        self.bytes = 0;
        self.written += items.len() as u64;
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

    async fn flush_all(&mut self, run: &mut Run, bar: &ProgressBar) {
        // Ctrl-C: what is not yet sent is dropped; other stops send what was accepted.
        if self.ctx.stop.interrupted.load(Ordering::Relaxed) {
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
