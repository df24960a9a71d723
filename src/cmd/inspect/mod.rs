//! `inspect`: what is cached. One row per selected key (kind and parameters, TTL against its
//! class, size, idle time or access frequency, a summary of the value, anomalies), or one
//! key in full.
//!
//! Keys come from SCAN (or the exact keys named), are probed in pipelines of
//! [`BATCH`] keys with [`IN_FLIGHT`] pipelines at once, and flow into a [`render::Collector`]
//! that keeps only what the output needs: a bounded heap with `--limit`, nothing for ndjson.
use std::collections::HashSet;
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use crate::app::report::progress;
use crate::cli::{Format, InspectArgs};
use crate::config::Config;
use crate::exit::usage;
use crate::select::{graph_touches, Selection};
use crate::store::{ObjectSub, Store};

pub(crate) mod render;
pub(crate) mod row;
mod single;

use crate::store::probe::{self as fetch, Drive, Probe, ValueFact};

/// Keys per pipeline: inspect reads values, so batches stay modest.
const BATCH: usize = 250;
/// Pipelines in flight at once.
const IN_FLIGHT: usize = 3;

pub fn run(config: &Config, args: InspectArgs) -> anyhow::Result<()> {
    if args.format == Format::Prometheus {
        return Err(usage(
            "--format prometheus does not apply to `inspect` (use table, json or ndjson)",
        ));
    }
    if args.selection.changed_since.is_some() {
        return Err(usage(
            "--changed-since does not apply to `inspect`: it reads only Redis, not the lineage source",
        ));
    }
    let mut sel = crate::cmd::convert::selection(&args.selection, &config.validation)?;
    if args.key.is_some() && !sel.is_empty() {
        return Err(usage(
            "give either one KEY to show in full or selection flags, not both",
        ));
    }
    if args.raw && args.key.is_none() {
        return Err(usage("--raw applies to one KEY shown in full"));
    }
    if sel.is_empty() {
        sel.all = true;
    }
    let rt = crate::app::runtime::build()?;
    rt.block_on(async {
        let store = Store::connect(config).await?;
        let access = fetch::access_sub(&store).await?;
        fetch::no_touch(&store).await;
        match &args.key {
            Some(key) => single::show(config, &store, key, access, &args).await,
            None => list(config, &store, &sel, access, &args).await,
        }
    })
}

/// The name of the access measure in reports.
pub(crate) fn access_name(sub: ObjectSub) -> &'static str {
    match sub {
        ObjectSub::Freq => "freq",
        _ => "idleSeconds",
    }
}

async fn list(
    config: &Config,
    store: &Store,
    sel: &Selection,
    access: ObjectSub,
    args: &InspectArgs,
) -> anyhow::Result<()> {
    let probe = Probe::everything(access);
    let mut out = render::Collector::new(args.format, args.sort, args.limit, access);
    let exact = sel.exact_only();
    let bar = progress::bar(0, "inspect", progress::visible(args.format));
    // A cluster scan that saw the slots move is run again: keys seen in an earlier pass
    // are skipped (one row per key). A standalone scan takes one pass: nothing is kept.
    let mut seen: Option<HashSet<Vec<u8>>> = store.is_cluster().then(HashSet::new);
    let select = |k: &[u8]| {
        bar.inc(1);
        if let Some(seen) = seen.as_mut() {
            if !seen.insert(k.to_vec()) {
                return None;
            }
        }
        let text = String::from_utf8_lossy(k);
        (sel.matches_key(&text) || sel.needs_value(&text)).then_some(probe)
    };
    let drive = Drive {
        batch: BATCH,
        in_flight: IN_FLIGHT,
    };
    let on_facts = |facts: Vec<fetch::Facts>| -> anyhow::Result<ControlFlow<()>> {
        for f in facts {
            if f.missing() {
                out.summary.not_found += u64::from(exact);
                continue;
            }
            let text = String::from_utf8_lossy(&f.key);
            let by_value = || match &f.value {
                ValueFact::Bytes(v) => sel.needs_value(&text) && graph_touches(v, &sel.touching),
                _ => false,
            };
            if !sel.matches_key(&text) && !by_value() {
                continue;
            }
            if let Some(row) = row::build(&f, &config.ttls) {
                out.push(row)?;
            }
        }
        Ok(ControlFlow::Continue(()))
    };
    let rescans = Arc::new(AtomicU32::new(0));
    let source = crate::app::connect::selected_keys(config, store, sel, rescans.clone()).await?;
    let result = fetch::probe_all(store, source, drive, select, on_facts).await;
    bar.finish_and_clear();
    result?;
    out.summary.rescans = rescans.load(Ordering::Relaxed);
    out.finish()
}
