//! Finding and deleting the selected keys: SCAN with a large COUNT (or exact keys without a
//! scan), client-side matching, `UNLINK` grouped by kind in small pipelined batches.
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use super::Options;
use crate::cli::Format;
use crate::keys::{parse, PREFIX};
use crate::report::Tally;
use crate::store::{Store, StoreError};

/// Keys per UNLINK batch: small enough that other clients do not notice.
const BATCH: usize = 500;
/// Batches in flight at once.
const IN_FLIGHT: usize = 2;
/// One key in this many is measured with `MEMORY USAGE` to estimate the bytes freed.
const SAMPLE_EVERY: usize = 16;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Count,
    Delete,
}

/// What a pass found and did.
#[derive(Default)]
pub(crate) struct Outcome {
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
}

fn kind_name(key: &[u8]) -> &'static str {
    let text = String::from_utf8_lossy(key);
    parse(&text).kind().map(|k| k.name()).unwrap_or("unknown")
}

type Flight = (BTreeMap<&'static str, u64>, u64, Result<u64, StoreError>);

/// Run one pass over the selection.
pub(crate) async fn run(store: &Store, opts: &Options, mode: Mode) -> anyhow::Result<Outcome> {
    let mut out = Outcome {
        deleting: mode == Mode::Delete,
        ..Default::default()
    };
    let list_all = opts.dry_run && opts.format == Format::Ndjson;
    let mut flights: tokio::task::JoinSet<Flight> = tokio::task::JoinSet::new();
    let started = Instant::now();
    let mut sent = 0u64;
    let handle = |batch: Vec<Vec<u8>>, out: &mut Outcome| -> anyhow::Result<Vec<Vec<u8>>> {
        for k in &batch {
            // Defence in depth: nothing outside the prefix is ever deleted.
            anyhow::ensure!(
                k.starts_with(PREFIX.as_bytes()),
                "refusing to touch a key outside the prefix"
            );
            out.matched += 1;
            out.tally.add(kind_name(k), "matched", 1, 0);
            if out.sample_keys.len() < 20 {
                out.sample_keys
                    .push(String::from_utf8_lossy(k).into_owned());
            }
            if list_all {
                let line =
                    serde_json::json!({"key": String::from_utf8_lossy(k), "kind": kind_name(k)});
                crate::output::print(&format!("{line}\n"))?;
            }
        }
        Ok(batch)
    };
    let sel = &opts.selection;
    if sel.exact_only() {
        let keys: Vec<Vec<u8>> = sel
            .exact_keys()
            .into_iter()
            .map(String::into_bytes)
            .collect();
        for chunk in keys.chunks(BATCH) {
            let exists = store.exists_many(chunk).await?;
            let present: Vec<Vec<u8>> = chunk
                .iter()
                .zip(exists)
                .filter(|(_, e)| *e)
                .map(|(k, _)| k.clone())
                .collect();
            let batch = handle(present, &mut out)?;
            dispatch(
                store,
                batch,
                mode,
                opts,
                &mut flights,
                &mut out,
                &mut sent,
                started,
            )
            .await?;
        }
    } else {
        let mut scanner = store.scanner(&sel.scan_pattern(), 5000);
        let mut pending: Vec<Vec<u8>> = Vec::new();
        while let Some(batch) = scanner.next_batch().await? {
            pending.extend(crate::select::pick(store, sel, batch).await?);
            while pending.len() >= BATCH {
                let rest = pending.split_off(BATCH);
                let batch = handle(std::mem::replace(&mut pending, rest), &mut out)?;
                dispatch(
                    store,
                    batch,
                    mode,
                    opts,
                    &mut flights,
                    &mut out,
                    &mut sent,
                    started,
                )
                .await?;
            }
        }
        let batch = handle(pending, &mut out)?;
        dispatch(
            store,
            batch,
            mode,
            opts,
            &mut flights,
            &mut out,
            &mut sent,
            started,
        )
        .await?;
    }
    while let Some(done) = flights.join_next().await {
        land(done, &mut out)?;
    }
    Ok(out)
}

/// Measure a sample of the batch and (when deleting) UNLINK it, grouped by kind.
#[allow(clippy::too_many_arguments)]
async fn dispatch(
    store: &Store,
    batch: Vec<Vec<u8>>,
    mode: Mode,
    opts: &Options,
    flights: &mut tokio::task::JoinSet<Flight>,
    out: &mut Outcome,
    sent: &mut u64,
    started: Instant,
) -> anyhow::Result<()> {
    if batch.is_empty() {
        return Ok(());
    }
    while flights.len() >= IN_FLIGHT {
        if let Some(done) = flights.join_next().await {
            land(done, out)?;
        }
    }
    if let (Some(rate), Mode::Delete) = (opts.rate, mode) {
        let due = Duration::from_secs_f64(*sent as f64 / rate as f64);
        if let Some(wait) = due.checked_sub(started.elapsed()) {
            tokio::time::sleep(wait).await;
        }
    }
    *sent += batch.len() as u64;
    let store = store.clone();
    flights.spawn(async move {
        let sample: Vec<Vec<u8>> = batch.iter().step_by(SAMPLE_EVERY).cloned().collect();
        let sizes = store.memory_usage_many(&sample).await.unwrap_or_default();
        let measured: Vec<u64> = sizes.into_iter().flatten().collect();
        let est = if measured.is_empty() {
            0
        } else {
            measured.iter().sum::<u64>() * batch.len() as u64 / measured.len() as u64
        };
        let mut by_kind: BTreeMap<&'static str, Vec<Vec<u8>>> = BTreeMap::new();
        for k in batch {
            by_kind.entry(kind_name(&k)).or_default().push(k);
        }
        if mode == Mode::Count {
            return (BTreeMap::new(), est, Ok(0));
        }
        let mut deleted = BTreeMap::new();
        let mut total = 0;
        for (kind, keys) in by_kind {
            match store.unlink_many(&keys).await {
                Ok(n) => {
                    deleted.insert(kind, n);
                    total += n;
                }
                Err(e) => return (deleted, est, Err(e)),
            }
        }
        (deleted, est, Ok(total))
    });
    Ok(())
}

fn land(done: Result<Flight, tokio::task::JoinError>, out: &mut Outcome) -> anyhow::Result<()> {
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
