//! Running a warm: keys → (filter) → values on worker threads → pipelined `SET … EX` in
//! bounded batches. Memory stays flat: at most a few chunks are in flight at any time.
use std::sync::{mpsc, Arc, Mutex};

use indicatif::ProgressBar;

use super::plan::{Plan, Shape};
use super::work::{Ctx, Outcome, Stop};
use super::writer::Writer;
use super::Run;
use crate::keys::Key;

/// Keys per chunk handed to a worker.
const CHUNK: usize = 32;

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
