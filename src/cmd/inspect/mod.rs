//! `inspect`: what is cached. One row per selected key (kind and parameters, TTL against its
//! class, size, idle time or access frequency, a summary of the value, anomalies), or one
//! key in full.
//!
//! Keys come from SCAN (or the exact keys named), are probed in pipelines of
//! [`BATCH`] keys with [`IN_FLIGHT`] pipelines at once, and flow into a
//! [`collect::Collector`] that keeps only what the output needs: a bounded heap with
//! `--limit`, nothing for ndjson.
use std::collections::HashSet;
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use crate::app::report::export::render;
use crate::app::report::progress;
use crate::cli::{Format, InspectArgs, SortBy};
use crate::config::Config;
use crate::failure::bad_input;
use crate::jobs::Outcome;
use crate::select::{graph_touches, Selection};
use crate::store::probe::{self as fetch, Drive, Probe, ValueFact};
use crate::store::{ObjectSub, Store};

mod cells;
pub(crate) mod collect;
pub(crate) mod listing;
pub(crate) mod row;
mod single;

/// Keys per pipeline: inspect reads values, so batches stay modest.
const BATCH: usize = 250;
/// Pipelines in flight at once.
const IN_FLIGHT: usize = 3;

/// What to inspect: one key in full, or the rows of a selection.
enum Target {
    One { key: String, raw: bool },
    Rows(Box<Selection>),
}

/// The checked arguments.
struct Options {
    target: Target,
    sort: SortBy,
    limit: Option<usize>,
    format: Format,
}

impl Options {
    /// Check the arguments before any connection; no selection flag means every key.
    fn check(args: InspectArgs, config: &Config) -> anyhow::Result<Options> {
        if args.format == Format::Prometheus {
            return Err(bad_input(
                "--format prometheus does not apply to `inspect` (use table, json or ndjson)",
            ));
        }
        if args.selection.changed_since.is_some() {
            return Err(bad_input(
                "--changed-since does not apply to `inspect`: it reads only Redis, not the lineage source",
            ));
        }
        let mut sel = crate::cmd::convert::selection(&args.selection, &config.validation)?;
        if args.key.is_some() && !sel.is_empty() {
            return Err(bad_input(
                "give either one KEY to show in full or selection flags, not both",
            ));
        }
        let target = match args.key {
            Some(key) => Target::One { key, raw: args.raw },
            None if args.raw => return Err(bad_input("--raw applies to one KEY shown in full")),
            None => {
                if sel.is_empty() {
                    sel.all = true;
                }
                Target::Rows(Box::new(sel))
            }
        };
        Ok(Options {
            target,
            sort: args.sort,
            limit: args.limit,
            format: args.format,
        })
    }
}

pub fn run(config: &Config, args: InspectArgs) -> anyhow::Result<Outcome> {
    let opts = Options::check(args, config)?;
    let rt = crate::app::runtime::build()?;
    rt.block_on(async {
        let store = Store::connect(config).await?;
        let access = fetch::access_sub(&store).await?;
        fetch::no_touch(&store).await;
        match &opts.target {
            Target::One { key, raw } => {
                single::show(config, &store, key, access, opts.format, *raw).await?
            }
            Target::Rows(sel) => list(config, &store, sel, access, &opts).await?,
        }
        Ok(Outcome::Complete)
    })
}

/// Probe every selected key, keep the rows the output needs, and print them.
async fn list(
    config: &Config,
    store: &Store,
    sel: &Selection,
    access: ObjectSub,
    opts: &Options,
) -> anyhow::Result<()> {
    let mut out = collect::Collector::new(opts.format, opts.sort, opts.limit, access);
    let bar = progress::bar(0, "inspect", progress::visible(opts.format));
    let probed = probe_selected(config, store, sel, access, &bar, &mut out).await;
    bar.finish_and_clear();
    out.summary.rescans = probed?;
    if let Some(listing) = out.finish()? {
        crate::app::output::print(&render(opts.format, &listing)?)?;
    }
    Ok(())
}

/// Probe every selected key into `out`: the extra scan passes a cluster needed.
async fn probe_selected(
    config: &Config,
    store: &Store,
    sel: &Selection,
    access: ObjectSub,
    bar: &indicatif::ProgressBar,
    out: &mut collect::Collector,
) -> anyhow::Result<u32> {
    let probe = Probe::everything(access);
    // A cluster scan that saw the slots move is run again: keys seen in an earlier pass
    // are skipped (one row per key). A standalone scan takes one pass: nothing is kept.
    let mut seen: Option<HashSet<Vec<u8>>> = store.is_cluster().then(HashSet::new);
    let select = |k: &[u8]| {
        bar.inc(1);
        let again = seen.as_mut().is_some_and(|seen| !seen.insert(k.to_vec()));
        let text = String::from_utf8_lossy(k);
        (!again && (sel.matches_key(&text) || sel.needs_value(&text))).then_some(probe)
    };
    let exact = sel.exact_only();
    let on_facts = |facts: Vec<fetch::Facts>| -> anyhow::Result<ControlFlow<()>> {
        for f in facts {
            if f.missing() {
                out.summary.not_found += u64::from(exact);
            } else if selected(sel, &f) {
                out.push_probed(&f, &config.ttls)?;
            }
        }
        Ok(ControlFlow::Continue(()))
    };
    let rescans = Arc::new(AtomicU32::new(0));
    let source = crate::app::connect::selected_keys(config, store, sel, rescans.clone()).await?;
    let drive = Drive {
        batch: BATCH,
        in_flight: IN_FLIGHT,
    };
    fetch::probe_all(store, source, drive, select, on_facts).await?;
    Ok(rescans.load(Ordering::Relaxed))
}

/// Whether a probed key is selected: by its name, or by its value (`--touching`).
fn selected(sel: &Selection, f: &fetch::Facts) -> bool {
    let text = String::from_utf8_lossy(&f.key);
    let by_value = || match &f.value {
        ValueFact::Bytes(v) => sel.needs_value(&text) && graph_touches(v, &sel.touching),
        _ => false,
    };
    sel.matches_key(&text) || by_value()
}
