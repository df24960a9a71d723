//! The invalidate job: find the keys a lineage change made stale and drop them, safely and
//! fast. The keys are computed from the lineage source where the selection allows it, so a
//! post-hook after a small change costs what changed, not what is cached (docs/invalidate.md,
//! "Without a scan"): `--field` (the key builder), `--touching` (the columns around the
//! target, their cached values checked), `--dataset` (its own keys, its columns' graphs, and
//! its list and search pages, looked up or found by one narrow scan, whichever costs the
//! server less), and `--changed-since`, which the source turns into those; elsewhere a scan
//! of the cache finds them ([`find`], reusable on its own). Then a broad delete is
//! confirmed (the shared guard), and the keys go by pipelined `UNLINK`s ([`delete`]).
use std::sync::Arc;
use std::time::Instant;

use crate::app::runtime::{CtrlC, Stop};
use crate::config::Config;
use crate::jobs::{Done, Outcome};
use crate::select::Selection;
use crate::store::Store;

mod computed;
mod dataset;
mod delete;
mod find;
pub(crate) mod pages;
mod report;
mod touching;

pub(crate) use dataset::Plan as DatasetPlan;
pub(crate) use find::{complete, find, rewarm_selection, Found, Rewarm};
pub(crate) use report::InvalidateReport;

/// A selection this small may be deleted without confirmation.
pub(crate) const HANDFUL: u64 = 10;

/// The checked options of one run.
pub(crate) struct Options {
    /// The selection, checked; the source completes it ([`complete`]).
    pub selection: Selection,
    /// Count what would be deleted; delete nothing.
    pub dry_run: bool,
    /// Delete a broad selection without asking.
    pub yes: bool,
    /// At most this many keys deleted per second (above 0).
    pub rate: Option<u32>,
    /// How the keys are found.
    pub finding: Finding,
    /// A dry run writes every key it would delete to stdout as an NDJSON line, as it finds
    /// it (before the report's summary line).
    pub list_keys: bool,
    /// Delete stale `both` graphs too, instead of rewriting them.
    pub delete_both: bool,
}

/// How the keys are found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Finding {
    /// By a scan even where they can be computed (a cache written by something whose keys
    /// cannot be predicted, or a source that deletes lineage rows).
    pub scan: bool,
    /// How `--dataset` finds its list and search pages.
    pub pages: Pages,
}

/// How `--dataset` finds its list and search pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pages {
    /// Whichever of the two costs the server less.
    Auto,
    /// Look up every page the API can have cached.
    Lookup,
    /// One narrow scan of the cache.
    Scan,
}

/// How the keys were found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Path {
    /// Computed from the lineage source: how.
    Computed(String),
    /// By a scan of the cache; why, when the computed path could not decide.
    Scan(Option<String>),
}

/// Keys one part of the selection found, and how.
pub(crate) struct Part {
    pub keys: Vec<String>,
    pub way: String,
}

/// Find the selected keys, ask before a broad delete, and delete them (or count them in a
/// dry run). Ctrl-C stops it once the batches in flight are done: `Interrupted`, with the
/// report of what was deleted. Not confirmed is bad input; nothing is deleted.
pub(crate) fn run(config: &Config, opts: Options) -> anyhow::Result<Done<InvalidateReport>> {
    let rt = crate::app::runtime::build()?;
    rt.block_on(async {
        let stop = Arc::new(Stop::default());
        let _ctrl_c = CtrlC::watch(stop.clone());
        invalidate(config, opts, &stop).await
    })
}

async fn invalidate(
    config: &Config,
    mut opts: Options,
    stop: &Stop,
) -> anyhow::Result<Done<InvalidateReport>> {
    let started = Instant::now();
    let mut selection = std::mem::take(&mut opts.selection);
    complete(config, &mut selection)?;
    let hold_both = holds_both(config, &opts, &selection);
    let store = Store::connect(config).await?;
    let found: Found = find(config, &store, selection, opts.finding).await?;
    let Some(selection) = found.selection else {
        let report = InvalidateReport::nothing(opts.dry_run, found.path, started.elapsed());
        return Ok(Done::ran(report, Ok(Outcome::Complete)));
    };
    // The scan runs ahead on a connection of its own, so its round trips do not queue
    // behind the UNLINK pipelines (exact keys need no scan).
    let scanning = !selection.exact_only();
    let scan_conn = crate::app::connect::scan_connection(config, &store, scanning).await?;
    let scope = delete::Scope {
        store: &store,
        scan_conn: &scan_conn,
        selection: &selection,
        stop,
        rate: opts.rate,
        list_keys: opts.dry_run && opts.list_keys,
        hold_both,
    };
    if !opts.dry_run && !opts.yes {
        if let Some(early) = confirmed(&scope).await? {
            return Ok(Done::early(early));
        }
    }
    let mode = match opts.dry_run {
        true => delete::Mode::Count,
        false => delete::Mode::Delete,
    };
    let mut swept = delete::run(&scope, mode).await?;
    rewrite_both(config, &store, &mut swept, opts.dry_run).await?;
    let end = outcome(&swept);
    let report = InvalidateReport::new(opts.dry_run, &swept, found.path, started.elapsed());
    Ok(Done::ran(report, Ok(end)))
}

/// Whether stale `both` graphs are set aside to be rewritten rather than deleted: when the
/// selection names what changed (datasets, columns, namespaces, a time; not keys, patterns,
/// kinds or `--all`, which ask for those keys gone), a lineage source is configured to
/// compute them from, and `--delete-both` is not given.
fn holds_both(config: &Config, opts: &Options, selection: &Selection) -> bool {
    !opts.delete_both && find::source_configured(config) && selection.names_assets()
}

/// Rewrite the `both` graphs a pass set aside (a dry run counts them), unless it was
/// interrupted: then they stay as they were.
async fn rewrite_both(
    config: &Config,
    store: &Store,
    swept: &mut delete::Swept,
    dry_run: bool,
) -> anyhow::Result<()> {
    if swept.held_both.is_empty() || swept.interrupted {
        return Ok(());
    }
    if dry_run {
        swept.both_rewritten = swept.held_both.len() as u64;
        return Ok(());
    }
    let source = crate::source::open(config)?;
    let mut rewriter = crate::jobs::rewrite::Rewriter::new(config, source);
    let done = rewriter.rewrite(config, store, &swept.held_both).await?;
    swept.both_rewritten = done.written.len() as u64;
    swept.deleted += done.deleted;
    swept.tally.add("lineage-graph", "deleted", done.deleted, 0);
    Ok(())
}

/// Count the keys, and ask when they are many (or `--all`): the outcome to stop with
/// when Ctrl-C came while counting, none to go on; not confirmed is bad input.
async fn confirmed(scope: &delete::Scope<'_>) -> anyhow::Result<Option<Outcome>> {
    let counted = delete::run(scope, delete::Mode::Count).await?;
    if counted.interrupted {
        return Ok(Some(outcome(&counted)));
    }
    let broad = scope.selection.all || counted.matched > HANDFUL;
    if broad && !ask(&counted)? {
        return Err(crate::failure::bad_input(format!(
            "{} keys selected and not confirmed: nothing was deleted (pass --yes to delete without asking)",
            counted.matched
        )));
    }
    Ok(None)
}

/// Show the counts and ask on a terminal; without one, broad deletes need `--yes`.
fn ask(counted: &delete::Swept) -> anyhow::Result<bool> {
    let mut lines = vec![format!("invalidate would delete {} keys:", counted.matched)];
    for (kind, c) in &counted.tally.by_kind {
        lines.push(format!("  {kind:<20} {}", c.outcomes.values().sum::<u64>()));
    }
    crate::jobs::guard::confirm::ask(&lines, "Delete them?")
}

/// How a pass ended: interrupted by Ctrl-C, or complete.
fn outcome(swept: &delete::Swept) -> Outcome {
    match swept.interrupted {
        true => Outcome::Interrupted(format!(
            "interrupted: deleted {} keys, then stopped (the batches in flight finished); run again to finish",
            swept.deleted
        )),
        false => Outcome::Complete,
    }
}
