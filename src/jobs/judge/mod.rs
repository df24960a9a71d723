//! verify's job: is the cache telling the truth? Every selected cached value is read
//! (pipelined, in bounded batches), the value the API would write now is computed from the
//! source (the engine for graphs, `warm`'s queries for the rest), and each key is classified:
//! current, stale, orphaned, unreadable, non-canonical; with `--missing`, the hot keys not
//! cached. `--fix` re-warms what drifted and deletes what is orphaned, through the write
//! guard (confirmation, memory headroom, lock). docs/verify.md.
//!
//! The parts: what the API would write now and the verdict on a key (`verdict`, with the
//! `catalog` of datasets and fields), how a stale value differs (`diff`), the audit of a
//! selection (`audit`, what it finds in `found`), the hot keys not cached (`missing`), the
//! repair (`fix`), the report (`report`, rendered by `render`), and what is wrong with a key
//! or value by stable anomaly codes (`check`, which `inspect` reports too).
pub(crate) mod audit;
pub(crate) mod catalog;
pub(crate) mod check;
pub(crate) mod diff;
pub(crate) mod fix;
pub(crate) mod found;
pub(crate) mod missing;
pub(crate) mod render;
pub(crate) mod report;
pub(crate) mod verdict;

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::app::report::progress;
use crate::app::runtime::{CtrlC, Stop};
use crate::config::Config;
use crate::failure::noted;
use crate::jobs::{Done, Outcome};
use crate::select::Selection;
use crate::source::LineageSource;
use crate::store::Store;
use audit::Audit;
use found::{Found, Keep};
use verdict::Judge;

pub(crate) use found::{OnRow, Row};
pub(crate) use report::VerifyReport;

/// Checked options of one run.
pub(crate) struct Options {
    /// The keys to judge (completed by the source where it names datasets or columns).
    pub selection: Selection,
    /// `--missing`: also look up the keys of this many hot columns (by fan-out).
    pub missing: Option<usize>,
    /// `--depth`: compare lineage graphs at this depth only (else any depth the API accepts).
    pub depth: Option<u32>,
    /// `--diff`: keep the full difference of each stale value.
    pub diff: bool,
    /// At most this many drifted keys kept for the report (the counts are always complete).
    pub limit: usize,
    /// `--fix`: repair what drifted.
    pub fix: Option<FixOptions>,
    /// Draw progress bars (on a terminal, for a format read by people).
    pub progress: bool,
}

/// How `--fix` goes about it.
pub(crate) struct FixOptions {
    /// Count what would be written and deleted; change nothing.
    pub dry_run: bool,
    /// Do not ask for confirmation.
    pub yes: bool,
    /// Wait this long for another writer's lock instead of failing.
    pub wait_lock: Option<Duration>,
}

/// What the steps of one run share.
pub(crate) struct Run<'a> {
    pub config: &'a Config,
    pub store: Store,
    pub judge: Arc<Judge>,
    pub stop: Arc<Stop>,
    /// Draw progress bars.
    pub progress: bool,
}

/// Said after the report when `--fix` stopped before the end (refused, or failed).
const FIX_STOPPED: &str = "the report above counts what --fix changed before it stopped";

/// Run verify on its own runtime: the report, and how it ended. `on_row` is called with each
/// drifted key as it is found (from worker threads), before the report is made.
pub(crate) fn run(
    config: &Config,
    opts: Options,
    on_row: Option<OnRow>,
) -> anyhow::Result<Done<VerifyReport>> {
    let rt = crate::app::runtime::build()?;
    let done = rt.block_on(verify(config, opts, on_row));
    // Once the run returns, nothing left on the runtime matters (a source read after an
    // interruption is not waited for).
    rt.shutdown_background();
    done
}

async fn verify(
    config: &Config,
    opts: Options,
    on_row: Option<OnRow>,
) -> anyhow::Result<Done<VerifyReport>> {
    let started = Instant::now();
    let stop = Arc::new(Stop::default());
    let _ctrl_c = CtrlC::watch(stop.clone());
    let store = Store::connect(config).await?;
    let source = crate::source::open(config)?;
    let (judge, selection) = load(config, source, &opts).await?;
    if stop.interrupted() {
        return Ok(Done::early(Outcome::Interrupted(
            "interrupted while loading the source: nothing was read".into(),
        )));
    }
    let run = Run {
        config,
        store,
        judge: Arc::new(judge),
        stop,
        progress: opts.progress,
    };
    let keep = Keep {
        limit: opts.limit,
        pending: opts.fix.is_some(),
        on_row,
    };
    let audit = Arc::new(Audit { selection, keep });
    let (mut found, hot) = find(&run, &audit, opts.missing).await?;
    let (fix, fixed) = repair(&run, opts.fix.as_ref(), &mut found).await;
    let interrupted = run.stop.interrupted();
    let report = VerifyReport::new(found, hot, fix, interrupted, started.elapsed(), opts.limit);
    let end = ending(&report, fixed);
    Ok(Done::ran(report, end))
}

/// The source side, read off the runtime (it blocks): the selection completed by the
/// source, and the judge (engine and catalog).
async fn load(
    config: &Config,
    source: Arc<dyn LineageSource>,
    opts: &Options,
) -> anyhow::Result<(Judge, Selection)> {
    let mut selection = opts.selection.clone();
    let (depth, diff, validation) = (opts.depth, opts.diff, config.validation);
    tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
        if crate::jobs::resolve::needs_source(&selection) {
            crate::jobs::resolve::with_source(&mut selection, source.as_ref())?;
        }
        let judge = Judge::load(source, depth, validation, diff)?;
        Ok((judge, selection))
    })
    .await?
}

/// The audit, then `--missing` unless the run was stopped.
async fn find(
    run: &Run<'_>,
    audit: &Arc<Audit>,
    missing: Option<usize>,
) -> anyhow::Result<(Found, Option<missing::Hot>)> {
    let bar = progress::bar(0, "verify", run.progress);
    let found = audit::run(
        run.config,
        &run.store,
        run.judge.clone(),
        audit.clone(),
        run.stop.clone(),
        &bar,
    )
    .await;
    bar.finish_and_clear();
    let mut found = found?;
    let hot = match missing {
        Some(hot) if !run.stop.stopped() => {
            Some(missing::find(&run.store, &run.judge, hot, audit, &mut found).await?)
        }
        _ => None,
    };
    Ok((found, hot))
}

/// `--fix` on what the audit found, unless the run was interrupted (nothing changes in a dry
/// run): what it did, and how it ended (`Complete` when it went to the end).
async fn repair(
    run: &Run<'_>,
    opts: Option<&FixOptions>,
    found: &mut Found,
) -> (Option<report::FixReport>, anyhow::Result<Outcome>) {
    let Some(opts) = opts.filter(|_| !run.stop.interrupted()) else {
        return (None, Ok(Outcome::Complete));
    };
    let pending = std::mem::take(&mut found.pending);
    let mut report = report::FixReport {
        dry_run: opts.dry_run,
        pending: pending.len() as u64,
        done: Default::default(),
        growth: found.growth,
    };
    if opts.dry_run || pending.is_empty() {
        return (Some(report), Ok(Outcome::Complete));
    }
    let end = fix::guarded(run, opts, pending, found.growth, &mut report.done).await;
    (Some(report), end)
}

/// How the run ended: `--fix` stopped (refused, or an error), else interrupted, else drift
/// left, else complete.
fn ending(report: &VerifyReport, fixed: anyhow::Result<Outcome>) -> anyhow::Result<Outcome> {
    match fixed {
        Err(e) => return Err(noted(e, FIX_STOPPED)),
        Ok(Outcome::Refused(why)) => return Ok(Outcome::Refused(format!("{why}; {FIX_STOPPED}"))),
        Ok(Outcome::Complete) => {}
        Ok(other) => return Ok(other),
    }
    if report.interrupted {
        return Ok(Outcome::Interrupted(
            "interrupted: the report covers the keys read before Ctrl-C".into(),
        ));
    }
    Ok(match report.drift_left {
        0 => Outcome::Complete,
        n => Outcome::Drift(format!(
            "drift: {n} keys are not what the API would write now (see the report; --fix repairs them)"
        )),
    })
}
