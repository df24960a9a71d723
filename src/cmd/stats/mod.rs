//! `stats`: server health from `INFO` and the keyspace broken down by key kind (keys, bytes,
//! average and p50/p95/max size, TTL histogram), foreign keys counted apart.
//!
//! The whole keyspace is scanned (`SCAN *`) on a connection of its own, running ahead of the
//! probes; `PTTL` and `MEMORY USAGE` go out in pipelines (one per SCAN batch, at most
//! [`BATCH`] keys), [`IN_FLIGHT`] at once. Values are never read. `--sample N`
//! still counts every key by name but measures only every k-th key of each group
//! (k = DBSIZE / N) and scales up. Memory stays flat: fixed-size histograms per group.
//!
//! In a Redis Cluster the server figures are every primary's `INFO` added up, with a
//! per-primary breakdown; the scan goes over every primary, and a scan during which slots
//! moved is run again (the report says so). An ACL user that may not size a key (a
//! read-only user limited to `ol:*` and a foreign key) still counts it; it is reported as
//! unsized.
use std::cell::RefCell;
use std::ops::ControlFlow;
use std::time::{Duration, Instant};

use crate::app::report::{parse_duration, progress};
use crate::cli::{Format, StatsArgs};
use crate::config::Config;
use crate::exit::usage;
use crate::store::probe::{self as fetch, Drive, Facts, Probe};
use crate::store::{Store, StoreError, MAX_STABLE_PASSES};

mod agg;
mod prom;
mod render;
mod server;

use agg::{Keyspace, FOREIGN};
use server::Servers;

/// Keys per pipeline.
const BATCH: usize = 1000;
/// Pipelines in flight at once over the multiplexed connection.
const IN_FLIGHT: usize = 8;
/// SCAN batches the scan may run ahead of the probes.
const SCAN_AHEAD: usize = 16;

/// The probing connection and the scanning one.
type Conns<'a> = (&'a Store, &'a Store);

/// One report: the server's health and the keyspace as scanned.
pub(crate) struct Report {
    pub addr: String,
    /// The server's health; in a cluster, the primaries added up and each of them.
    pub servers: Servers,
    /// Keys in the database (in a cluster, on every primary).
    pub dbsize: u64,
    pub keyspace: Keyspace,
    /// Scans thrown away because the cluster's slots moved while they ran.
    pub rescans: u32,
    pub elapsed: Duration,
}

pub fn run(config: &Config, args: StatsArgs) -> anyhow::Result<()> {
    if args.sample == Some(0) {
        return Err(usage("--sample must be at least 1 key"));
    }
    let watch = match &args.watch {
        None => None,
        Some(w) => {
            let d = parse_duration("--watch", w)?;
            if d.is_zero() {
                return Err(usage("--watch must be longer than zero"));
            }
            Some(d)
        }
    };
    let rt = crate::app::runtime::build()?;
    rt.block_on(async {
        let store = Store::connect(config).await?;
        let scan_conn = crate::app::connect::scan_connection(config, &store, true).await?;
        let conns = (&store, &scan_conn);
        match watch {
            None => {
                let report = collect(conns, args.sample, progress::visible(args.format)).await?;
                crate::app::output::print(&render::render(&report, args.format)?)?;
                Ok(())
            }
            Some(every) => watch_loop(conns, &args, every).await,
        }
    })
}

/// Print a report every `interval` until Ctrl-C (which ends the run successfully). On a
/// terminal, the table replaces the previous one; elsewhere reports follow each other.
async fn watch_loop(conns: Conns<'_>, args: &StatsArgs, interval: Duration) -> anyhow::Result<()> {
    use std::io::IsTerminal;
    let clear = args.format == Format::Table && std::io::stdout().is_terminal();
    let bar = progress::visible(args.format);
    loop {
        let report = tokio::select! {
            r = collect(conns, args.sample, bar) => r?,
            _ = tokio::signal::ctrl_c() => return Ok(()),
        };
        let mut text = render::render(&report, args.format)?;
        if clear {
            text = format!("\x1b[2J\x1b[H{text}");
        } else if args.format == Format::Table {
            text.push('\n');
        }
        crate::app::output::print(&text)?;
        tokio::select! {
            _ = tokio::time::sleep(interval) => {}
            _ = tokio::signal::ctrl_c() => return Ok(()),
        }
    }
}

/// Read `INFO` and `DBSIZE` (in a cluster, of every primary), then scan and measure the
/// keyspace. A cluster scan that saw the slots move is thrown away and run again, up to
/// [`MAX_STABLE_PASSES`] passes: only a pass under a settled topology is reported.
pub(crate) async fn collect(
    (store, scan_conn): Conns<'_>,
    sample: Option<u64>,
    show_bar: bool,
) -> anyhow::Result<Report> {
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
    Ok(Report {
        addr: store.addr().to_string(),
        servers,
        dbsize,
        keyspace,
        rescans,
        elapsed: start.elapsed(),
    })
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
        pick.then_some(Probe {
            object: None,
            pttl: group != FOREIGN,
            memory: true,
            get: false,
            tag: group as u8,
        })
    };
    let on_facts = |facts: Vec<Facts>| -> anyhow::Result<ControlFlow<()>> {
        let mut ks = keyspace.borrow_mut();
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
