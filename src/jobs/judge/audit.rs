//! The audit pass: SCAN (or the exact keys named) → pipelined `GET`s → verdicts computed on
//! worker threads. Memory is bounded by the batches in flight and the bounded queue to the
//! workers; what is kept per key is only the key of a value `--fix` will change, and the
//! first `--limit` drifted rows by key order.
use std::collections::{BTreeMap, HashSet};
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Mutex};

use super::verdict::{Class, Fix, Judge, Verdict};
use super::Options;
use crate::app::report::Tally;
use crate::app::runtime::Stop;
use crate::select::graph_touches;
use crate::source::SourceError;
use crate::store::probe::{self, Drive, Facts, Probe, ValueFact};
use crate::store::Store;

/// Keys per pipeline: values are read, so batches stay modest.
const BATCH: usize = 500;
/// Pipelines in flight at once.
const IN_FLIGHT: usize = 4;
/// Batches queued for the workers before the reads wait.
const QUEUE: usize = 4;

/// One drifted key as reported.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub key: String,
    pub kind: &'static str,
    pub class: Class,
    pub detail: String,
    pub diff: Option<String>,
}

impl Row {
    pub(crate) fn of(key: &str, v: &Verdict) -> Row {
        Row {
            key: key.to_string(),
            kind: v.kind,
            class: v.class,
            detail: v.detail.clone(),
            diff: v.diff.clone(),
        }
    }

    pub(crate) fn json(&self) -> serde_json::Value {
        let mut m = serde_json::json!({
            "key": self.key,
            "kind": self.kind,
            "class": self.class.name(),
            "detail": self.detail,
        });
        if let Some(d) = &self.diff {
            m["diff"] = d.clone().into();
        }
        m
    }
}

/// What `--fix` will look at again: a cached key with drift, or a hot key not cached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Pending {
    Cached(String),
    Missing(String),
}

/// What one pass found, merged from the workers.
#[derive(Default)]
pub(crate) struct Found {
    /// kind × class.
    pub tally: Tally,
    /// The first `--limit` drifted rows, by key.
    pub rows: BTreeMap<String, Row>,
    pub drifted: u64,
    pub pending: Vec<Pending>,
    /// Bytes `--fix` would add: new values longer than the cached ones, and missing keys.
    pub growth: u64,
    /// Lineage graphs found current at a depth other than the default.
    pub other_depth: u64,
    pub rescans: u32,
}

impl Found {
    pub(crate) fn add(&mut self, key: &str, v: &Verdict, opts: &Options) {
        self.tally.add(v.kind, v.class.name(), 1, v.old_len);
        if v.class == Class::Current {
            self.other_depth += u64::from(!v.detail.is_empty());
            return;
        }
        self.drifted += 1;
        if opts.format == crate::cli::Format::Ndjson {
            let line = Row::of(key, v).json().to_string() + "\n";
            let _ = crate::app::output::print(&line);
        } else {
            self.keep_row(Row::of(key, v), opts.limit);
        }
        if opts.fix {
            match &v.fix {
                Fix::Leave => {}
                Fix::Delete => self.pending.push(Pending::Cached(key.to_string())),
                Fix::Write(new) => {
                    self.growth += (new.len() as u64).saturating_sub(v.old_len);
                    self.pending.push(Pending::Cached(key.to_string()));
                }
            }
        }
    }

    fn keep_row(&mut self, row: Row, limit: usize) {
        if limit == 0 {
            return;
        }
        if self.rows.len() >= limit {
            match self.rows.keys().next_back() {
                Some(last) if *last > row.key => {
                    let last = last.clone();
                    self.rows.remove(&last);
                }
                _ => return,
            }
        }
        self.rows.insert(row.key.clone(), row);
    }

    fn merge(&mut self, other: Found, limit: usize) {
        for (kind, c) in other.tally.by_kind {
            let mine = self.tally.by_kind.entry(kind).or_default();
            for (class, n) in c.outcomes {
                *mine.outcomes.entry(class).or_default() += n;
            }
            mine.bytes += c.bytes;
        }
        for (_, row) in other.rows {
            self.keep_row(row, limit);
        }
        self.drifted += other.drifted;
        self.pending.extend(other.pending);
        self.growth += other.growth;
        self.other_depth += other.other_depth;
    }
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
        opts: Arc<Options>,
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
                let (judge, opts, stop, bar, recv) = (
                    judge.clone(),
                    opts.clone(),
                    stop.clone(),
                    bar.clone(),
                    recv.clone(),
                );
                std::thread::spawn(move || work(&judge, &opts, &stop, &bar, &recv))
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

fn work(
    judge: &Judge,
    opts: &Options,
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
        for f in batch {
            let key = String::from_utf8_lossy(&f.key);
            if !selected_by_value(opts, &key, &f.value) {
                continue;
            }
            match judge.judge(&key, &f.value) {
                Ok(Some(v)) => found.add(&key, &v, opts),
                Ok(None) => {}
                Err(e) => {
                    stop.stop();
                    return Err(e);
                }
            }
        }
        bar.inc(n);
    }
}

/// `--touching` selects lineage graphs by what their value holds.
fn selected_by_value(opts: &Options, key: &str, value: &ValueFact) -> bool {
    let sel = &opts.selection;
    if sel.matches_key(key) {
        return true;
    }
    match value {
        ValueFact::Bytes(v) => sel.needs_value(key) && graph_touches(v, &sel.touching),
        _ => false,
    }
}

/// Read and judge every selected key.
pub(crate) async fn run(
    config: &crate::config::Config,
    store: &Store,
    judge: Arc<Judge>,
    opts: Arc<Options>,
    stop: Arc<Stop>,
    bar: &indicatif::ProgressBar,
) -> anyhow::Result<Found> {
    let sel = &opts.selection;
    let workers = Workers::start(judge, opts.clone(), stop.clone(), bar.clone());
    let get = Probe {
        get: true,
        ..Probe::default()
    };
    // A cluster scan that saw the slots move runs again: keys already seen are skipped.
    let mut seen: Option<HashSet<Vec<u8>>> = store.is_cluster().then(HashSet::new);
    let select = |k: &[u8]| {
        if let Some(seen) = seen.as_mut() {
            if !seen.insert(k.to_vec()) {
                return None;
            }
        }
        let text = String::from_utf8_lossy(k);
        (sel.matches_key(&text) || sel.needs_value(&text)).then_some(get)
    };
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
        Ok(source) => probe::probe_all(store, source, drive, select, on_facts).await,
        Err(e) => Err(e.into()),
    };
    let found = tokio::task::block_in_place(|| workers.finish(opts.limit));
    read?;
    let mut found = found?;
    found.rescans = rescans.load(Ordering::Relaxed);
    Ok(found)
}
