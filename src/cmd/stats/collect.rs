//! The work of `stats`: read the server's `INFO` and `DBSIZE`, then scan the whole keyspace
//! (`SCAN *`) on a connection of its own, running ahead of the probes; `PTTL` and
//! `MEMORY USAGE` go out in pipelines (one per SCAN batch, at most [`BATCH`] keys),
//! [`IN_FLIGHT`] at once. Values are never read.
use std::cell::RefCell;
use std::ops::ControlFlow;
use std::time::{Duration, Instant};

use super::agg::{Keyspace, FOREIGN};
use super::report::{Scanned, StatsReport};
use super::server::Servers;
use crate::app::report::progress;
use crate::store::probe::{self as fetch, Drive, Facts, Probe};
use crate::store::{Store, StoreError, MAX_STABLE_PASSES};

/// Keys per pipeline.
const BATCH: usize = 1000;
/// Pipelines in flight at once over the multiplexed connection.
const IN_FLIGHT: usize = 8;
/// SCAN batches the scan may run ahead of the probes.
const SCAN_AHEAD: usize = 16;

/// The probing connection and the scanning one.
pub(crate) type Conns<'a> = (&'a Store, &'a Store);

/// Read `INFO` and `DBSIZE` (in a cluster, of every primary), then scan and measure the
/// keyspace. A cluster scan that saw the slots move is thrown away and run again, up to
/// [`MAX_STABLE_PASSES`] passes: only a pass under a settled topology is reported.
pub(crate) async fn collect(
    (store, scan_conn): Conns<'_>,
    sample: Option<u64>,
    show_bar: bool,
) -> anyhow::Result<StatsReport> {
    let start = Instant::now();
    let servers = Servers::read(store).await?;
    let dbsize: u64 = match servers.cluster_keys() {
        Some(n) => n,
        None => store.query(&redis::cmd("DBSIZE"), "DBSIZE").await?,
    };
    let mut rescans = 0;
    let keyspace = loop {
        match scan_pass((store, scan_conn), sample, dbsize, show_bar).await {
            Ok(ks) => break ks,
            Err(e) if topology_changed(&e) && rescans + 1 < MAX_STABLE_PASSES => {
                tracing::info!("rescanning: {e:#}");
                tokio::time::sleep(Duration::from_millis(100 << rescans)).await;
                rescans += 1;
            }
            Err(e) => return Err(e),
        }
    };
    Ok(StatsReport::new(Scanned {
        addr: store.addr().to_string(),
        servers,
        dbsize,
        keyspace,
        rescans,
        elapsed: start.elapsed(),
    }))
}

/// Whether a pass ended because the cluster's slots moved under it.
fn topology_changed(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        matches!(
            c.downcast_ref::<StoreError>(),
            Some(StoreError::TopologyChanged { .. })
        )
    })
}

/// One scan of the whole keyspace, every key counted and (every k-th) measured.
async fn scan_pass(
    (store, scan_conn): Conns<'_>,
    sample: Option<u64>,
    dbsize: u64,
    show_bar: bool,
) -> anyhow::Result<Keyspace> {
    let every = sample.map_or(1, |n| (dbsize / n.max(1)).max(1));
    let keyspace = RefCell::new(Keyspace::new(every));
    let bar = progress::bar(dbsize, "stats", show_bar);
    let select = |k: &[u8]| {
        bar.inc(1);
        let (group, pick) = keyspace.borrow_mut().see(k);
        pick.then(|| probe_of(group))
    };
    let on_facts = |facts: Vec<Facts>| -> anyhow::Result<ControlFlow<()>> {
        record(&mut keyspace.borrow_mut(), facts);
        Ok(ControlFlow::Continue(()))
    };
    let drive = Drive {
        batch: BATCH,
        in_flight: IN_FLIGHT,
    };
    let source = fetch::scan_ahead(scan_conn.clone(), "*", fetch::SCAN_COUNT, SCAN_AHEAD);
    let result = fetch::probe_all(store, source, drive, select, on_facts).await;
    bar.finish_and_clear();
    result?;
    Ok(keyspace.into_inner())
}

/// What to ask of a key of `group`: its size, and its TTL unless it is foreign.
fn probe_of(group: usize) -> Probe {
    Probe {
        object: None,
        pttl: group != FOREIGN,
        memory: true,
        get: false,
        tag: group as u8,
    }
}

/// Measure the probed keys in their groups: a vanished key is not measured, a key the user
/// may not size is counted as refused.
fn record(ks: &mut Keyspace, facts: Vec<Facts>) {
    for f in facts {
        let Some(g) = ks.groups.get_mut(usize::from(f.tag)) else {
            continue;
        };
        match (f.memory, f.missing()) {
            (_, true) => {}
            (Some(size), false) => g.measure(size, f.pttl),
            (None, false) if f.refused => g.refused += 1,
            (None, false) => {}
        }
    }
}
