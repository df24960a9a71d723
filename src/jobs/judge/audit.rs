//! The audit of a selection: SCAN (or the exact keys named) → pipelined `GET`s → verdicts
//! computed on worker threads, at the judge's depth. Memory is bounded by the batches in
//! flight and the bounded queue to the workers; what is kept per key is only the key of a
//! value `--fix` will change, and the first `--limit` drifted rows by key order. Callable on
//! its own: [`run`] judges every cached value of a selection and returns what it found.
use std::collections::HashSet;
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Mutex};

use super::found::{Found, Keep};
use super::verdict::Judge;
use crate::app::runtime::Stop;
use crate::config::Config;
use crate::select::{graph_touches, Selection};
use crate::source::SourceError;
use crate::store::probe::{self, Drive, Facts, Probe, ValueFact};
use crate::store::Store;

/// Keys per pipeline: values are read, so batches stay modest.
const BATCH: usize = 500;
/// Pipelines in flight at once.
const IN_FLIGHT: usize = 4;
/// Batches queued for the workers before the reads wait.
const QUEUE: usize = 4;

/// What to audit: the keys of a selection, and what to keep of what is found.
pub(crate) struct Audit {
    pub selection: Selection,
    pub keep: Keep,
}

/// A batch for the workers: the keys and their values.
type Work = Vec<Facts>;

struct Workers {
    send: Option<SyncSender<Work>>,
    handles: Vec<std::thread::JoinHandle<Result<Found, SourceError>>>,
}

impl Workers {
    fn start(
        judge: Arc<Judge>,
        audit: Arc<Audit>,
        stop: Arc<Stop>,
        bar: indicatif::ProgressBar,
    ) -> Workers {
        let (send, recv) = sync_channel::<Work>(QUEUE);
        let recv = Arc::new(Mutex::new(recv));
        let n = std::thread::available_parallelism()
            .map_or(2, |n| n.get())
            .clamp(1, 4);
        let handles = (0..n)
            .map(|_| {
                let (judge, audit, stop, bar, recv) = (
                    judge.clone(),
                    audit.clone(),
                    stop.clone(),
                    bar.clone(),
                    recv.clone(),
                );
                std::thread::spawn(move || work(&judge, &audit, &stop, &bar, &recv))
            })
            .collect();
        Workers {
            send: Some(send),
            handles,
        }
    }

    /// Queue a batch (waits while the queue is full); false once every worker has gone.
    fn queue(&self, batch: Work) -> bool {
        let send = self.send.as_ref().expect("workers still running");
        tokio::task::block_in_place(|| send.send(batch).is_ok())
    }

    fn finish(mut self, limit: usize) -> anyhow::Result<Found> {
        drop(self.send.take());
        let mut found = Found::default();
        let mut failure = None;
        for h in self.handles.drain(..) {
            match h.join() {
                Ok(Ok(part)) => found.merge(part, limit),
                Ok(Err(e)) => failure = failure.or(Some(e)),
                Err(_) => anyhow::bail!("a verify worker panicked"),
            }
        }
        match failure {
            Some(e) => Err(e.into()),
            None => Ok(found),
        }
    }
}

/// A worker: judge batches until the queue closes; a source error stops the run.
fn work(
    judge: &Judge,
    audit: &Audit,
    stop: &Stop,
    bar: &indicatif::ProgressBar,
    recv: &Mutex<Receiver<Work>>,
) -> Result<Found, SourceError> {
    let mut found = Found::default();
    loop {
        let batch = match recv.lock() {
            Ok(r) => r.recv(),
            Err(_) => return Ok(found),
        };
        let Ok(batch) = batch else { return Ok(found) };
        let n = batch.len() as u64;
        if let Err(e) = judge_batch(judge, audit, batch, &mut found) {
            stop.stop();
            return Err(e);
        }
        bar.inc(n);
    }
}

fn judge_batch(
    judge: &Judge,
    audit: &Audit,
    batch: Work,
    found: &mut Found,
) -> Result<(), SourceError> {
    for f in batch {
        let key = String::from_utf8_lossy(&f.key);
        if !selected_by_value(&audit.selection, &key, &f.value) {
            continue;
        }
        if let Some(v) = judge.judge(&key, &f.value)? {
            found.add(&key, &v, &audit.keep);
        }
    }
    Ok(())
}

/// `--touching` selects lineage graphs by what their value holds.
fn selected_by_value(sel: &Selection, key: &str, value: &ValueFact) -> bool {
    if sel.matches_key(key) {
        return true;
    }
    match value {
        ValueFact::Bytes(v) => sel.needs_value(key) && graph_touches(v, &sel.touching),
        _ => false,
    }
}

/// Which scanned keys are read: those the selection names or must look into; on a cluster
/// whose scan ran again (the slots moved), only once each.
fn reader<'a>(store: &Store, sel: &'a Selection) -> impl FnMut(&[u8]) -> Option<Probe> + 'a {
    let get = Probe {
        get: true,
        ..Probe::default()
    };
    let mut seen: Option<HashSet<Vec<u8>>> = store.is_cluster().then(HashSet::new);
    move |k: &[u8]| {
        if let Some(seen) = seen.as_mut() {
            if !seen.insert(k.to_vec()) {
                return None;
            }
        }
        let text = String::from_utf8_lossy(k);
        (sel.matches_key(&text) || sel.needs_value(&text)).then_some(get)
    }
}

/// Read and judge every selected key: what was found, once every worker has finished.
pub(crate) async fn run(
    config: &Config,
    store: &Store,
    judge: Arc<Judge>,
    audit: Arc<Audit>,
    stop: Arc<Stop>,
    bar: &indicatif::ProgressBar,
) -> anyhow::Result<Found> {
    let sel = &audit.selection;
    let workers = Workers::start(judge, audit.clone(), stop.clone(), bar.clone());
    let on_facts = |facts: Vec<Facts>| -> anyhow::Result<ControlFlow<()>> {
        if stop.stopped() || !workers.queue(facts) {
            return Ok(ControlFlow::Break(()));
        }
        Ok(ControlFlow::Continue(()))
    };
    let drive = Drive {
        batch: BATCH,
        in_flight: IN_FLIGHT,
    };
    let rescans = Arc::new(AtomicU32::new(0));
    let read = match crate::app::connect::selected_keys(config, store, sel, rescans.clone()).await {
        Ok(keys) => probe::probe_all(store, keys, drive, reader(store, sel), on_facts).await,
        Err(e) => Err(e.into()),
    };
    let found = tokio::task::block_in_place(|| workers.finish(audit.keep.limit));
    read?;
    let mut found = found?;
    found.rescans = rescans.load(Ordering::Relaxed);
    Ok(found)
}
