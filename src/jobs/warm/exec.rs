//! Running a warm: keys → (filter) → values on worker threads → pipelined `SET … EX` in
//! bounded batches. Memory stays flat: at most a few chunks are in flight at any time.
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex};

use indicatif::ProgressBar;

use super::plan::{Plan, Shape};
use super::writer::Writer;
use super::{Run, WarmOptions};
use crate::answer::{compute, Computed, GraphMode};
use crate::keys::Key;
use crate::source::LineageSource;
use crate::store::{Store, StoreError};

/// Keys per chunk handed to a worker.
const CHUNK: usize = 32;

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

pub(crate) use crate::app::runtime::Stop;

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
    let generator = generate(plan, shape, ctx.stop.clone(), key_tx);
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
    if let Some(e) = ctx.store_failure.lock().ok().and_then(|mut s| s.take()) {
        run.store_error.get_or_insert(e);
    }
}

/// The thread that walks the plan and hands the keys out in chunks, until stopped.
fn generate(
    plan: Arc<Plan>,
    shape: Shape,
    stop: Arc<Stop>,
    keys: mpsc::SyncSender<Vec<Key>>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let mut chunk = Vec::with_capacity(CHUNK);
        plan.for_each_key(&shape, |k| {
            chunk.push(k);
            if chunk.len() == CHUNK {
                let full = std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK));
                if stop.stopped() || keys.send(full).is_err() {
                    return false;
                }
            }
            true
        });
        if !chunk.is_empty() && !stop.stopped() {
            let _ = keys.send(chunk);
        }
    })
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
        if out.blocking_send(chunk_outcomes(ctx, rt, chunk)).is_err() {
            return;
        }
    }
}

/// The outcomes of one chunk: the filters' skips, then each kept key computed. A Redis
/// failure in the filters fails the chunk and stops the run; an interrupted chunk is not
/// written at all: nothing half-done.
fn chunk_outcomes(ctx: &Ctx, rt: &tokio::runtime::Handle, chunk: Vec<Key>) -> Vec<Outcome> {
    let mut outcomes = Vec::with_capacity(chunk.len());
    let kept = match ctx.filter(rt, chunk.clone(), &mut outcomes) {
        Ok(k) => k,
        Err(e) => {
            let error = e.to_string();
            if let Ok(mut slot) = ctx.store_failure.lock() {
                slot.get_or_insert(e);
            }
            ctx.stop.stop();
            outcomes.extend(chunk.iter().map(|k| Outcome::Failed {
                key: k.render(),
                kind: k.kind().name(),
                error: error.clone(),
            }));
            return outcomes;
        }
    };
    for k in &kept {
        if ctx.stop.stopped() {
            break;
        }
        let o = ctx.outcome(k);
        if matches!(o, Outcome::Failed { .. }) && ctx.opts.fail_fast {
            ctx.stop.stop();
        }
        outcomes.push(o);
    }
    outcomes
}
