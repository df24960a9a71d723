//! `verify`: is the cache telling the truth? Every selected cached value is read (pipelined,
//! in bounded batches), the value the API would write now is computed from the source (the
//! engine for graphs, `warm`'s queries for the rest), and each key is classified: current,
//! stale, orphaned, unreadable, non-canonical; with `--missing`, the hot keys not cached.
//! `--fix` re-warms what drifted and deletes what is orphaned, with `warm`'s safety (lock,
//! memory headroom) and `invalidate`'s (dry run, confirmation). docs/verify.md.
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::app::report::export::render;
use crate::app::report::{human_bytes, progress};
use crate::app::runtime::{CtrlC, Stop};
use crate::cli::{Format, VerifyArgs};
use crate::config::Config;
use crate::exit::{self, usage};
use crate::jobs::guard::memory::{Memory, HEADROOM, KEY_OVERHEAD};
use crate::keys::Key;
use crate::select::Selection;
use crate::source::engine::Engine;
use crate::source::Direction;
use crate::store::Store;

use crate::jobs::judge::audit;
use crate::jobs::judge::catalog::Catalog;
use crate::jobs::judge::fix;
use crate::jobs::judge::found::{Found, Pending};
use crate::jobs::judge::report::{FixReport, Report};
use crate::jobs::judge::verdict::{self as judge, Class, Judge};
use crate::jobs::judge::Options;

fn options(config: &Config, a: VerifyArgs) -> anyhow::Result<Options> {
    let mut selection = crate::cmd::convert::selection(&a.selection, &config.validation)?;
    if selection.is_empty() {
        selection.all = true;
    }
    let v = &config.validation;
    if let Some(d) = a.depth {
        if d < v.min_max_depth || d > v.max_depth_limit {
            return Err(usage(format!(
                "--depth must be from {} to {} (VALIDATION_MIN_MAX_DEPTH..VALIDATION_MAX_DEPTH_LIMIT), got {d}",
                v.min_max_depth, v.max_depth_limit
            )));
        }
    }
    for (given, flag) in [
        (a.dry_run, "--dry-run"),
        (a.yes, "--yes"),
        (a.wait_lock.is_some(), "--wait-lock"),
    ] {
        if given && !a.fix {
            return Err(usage(format!(
                "{flag} goes with --fix (verify alone changes nothing)"
            )));
        }
    }
    if a.missing && a.hot == 0 {
        return Err(usage("--hot must be at least 1"));
    }
    let wait_lock = a
        .wait_lock
        .as_deref()
        .map(|s| crate::app::report::parse_duration("--wait-lock", s))
        .transpose()?;
    Ok(Options {
        selection,
        missing: a.missing,
        hot: a.hot,
        depth: a.depth,
        diff: a.diff,
        limit: a.limit,
        fix: a.fix,
        dry_run: a.dry_run,
        yes: a.yes,
        wait_lock,
        metrics_file: a.metrics_file,
        format: a.format,
    })
}

pub fn run(config: &Config, args: VerifyArgs) -> anyhow::Result<()> {
    let opts = options(config, args)?;
    let rt = crate::app::runtime::build()?;
    let result = rt.block_on(verify(config, opts));
    // Once the run returns, nothing left on the runtime matters (a source read after an
    // interruption is not waited for).
    rt.shutdown_background();
    result
}

async fn verify(config: &Config, mut opts: Options) -> anyhow::Result<()> {
    let started = Instant::now();
    let stop = Arc::new(Stop::default());
    let _ctrl_c = CtrlC::watch(stop.clone());
    let store = Store::connect(config).await?;
    let source = crate::source::open(config)?;
    let (judge, selection) = load(config, source, &opts).await?;
    opts.selection = selection;
    if stop.interrupted() {
        return Err(exit::coded(
            exit::INTERRUPTED,
            "interrupted while loading the source: nothing was read",
        ));
    }
    let judge = Arc::new(judge);
    let opts = Arc::new(opts);
    let bar = progress::bar(0, "verify", progress::visible(opts.format));
    let found = audit::run(
        config,
        &store,
        judge.clone(),
        opts.clone(),
        stop.clone(),
        &bar,
    )
    .await;
    bar.finish_and_clear();
    let mut found = found?;
    let mut hot = None;
    if opts.missing && !stop.stopped() {
        hot = Some(missing(&store, &judge, &opts, &mut found).await?);
    }
    let interrupted = stop.interrupted();
    let mut report = Report {
        found,
        hot,
        fix: None,
        elapsed: Duration::ZERO,
        interrupted,
        limit: opts.limit,
    };
    let mut fix_error = None;
    if opts.fix && !interrupted {
        let pending = std::mem::take(&mut report.found.pending);
        let mut fr = FixReport {
            dry_run: opts.dry_run,
            pending: pending.len() as u64,
            done: Default::default(),
            growth: report.found.growth,
        };
        if !opts.dry_run && !pending.is_empty() {
            fix_error = fix_all(config, &store, judge, &opts, &stop, pending, &mut fr)
                .await
                .err();
        }
        report.fix = Some(fr);
    }
    report.interrupted = stop.interrupted();
    report.elapsed = started.elapsed();
    finish(&opts, &report)?;
    if let Some(e) = fix_error {
        let code = exit::code_of(&e);
        return Err(exit::coded(
            code,
            format!("{e:#}; the report above counts what --fix changed before it stopped"),
        ));
    }
    if report.interrupted {
        return Err(exit::coded(
            exit::INTERRUPTED,
            "interrupted: the report covers the keys read before Ctrl-C",
        ));
    }
    match report.drift_left() {
        0 => Ok(()),
        n => Err(exit::coded(
            exit::DRIFT,
            format!("drift: {n} keys are not what the API would write now (see the report; --fix repairs them)"),
        )),
    }
}

/// The source side: the selection completed by the source, the engine and the catalog of
/// datasets and fields, read off the runtime (they block).
async fn load(
    config: &Config,
    source: Arc<dyn crate::source::LineageSource>,
    opts: &Options,
) -> anyhow::Result<(Judge, Selection)> {
    let mut selection = opts.selection.clone();
    let (depth, diff, validation) = (opts.depth, opts.diff, config.validation);
    tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
        if crate::jobs::resolve::needs_source(&selection) {
            crate::jobs::resolve::with_source(&mut selection, source.as_ref())?;
        }
        let started = Instant::now();
        let engine = Engine::load(source.as_ref())?;
        let catalog = Catalog::read(source.as_ref())?;
        tracing::info!(
            "engine and catalog loaded in {:.2?}{}",
            started.elapsed(),
            crate::app::report::memory_note()
        );
        let judge = Judge {
            names: catalog.names(),
            source,
            engine: Arc::new(engine),
            catalog,
            depth,
            validation,
            full_diff: diff,
        };
        Ok((judge, selection))
    })
    .await?
}

/// `--missing`: the lineage keys (name form, every direction) of the hot columns that are
/// not cached.
async fn missing(
    store: &Store,
    judge: &Arc<Judge>,
    opts: &Options,
    found: &mut Found,
) -> anyhow::Result<(usize, u64)> {
    let columns = crate::jobs::warm::hot_by_fanout(Some(&judge.engine), opts.hot)?;
    let keys: Vec<Key> = columns
        .iter()
        .flat_map(|(d, f)| {
            Direction::ALL.iter().map(|dir| Key::LineageGraph {
                dataset: d.clone(),
                field: f.clone(),
                direction: *dir,
            })
        })
        .filter(|k| opts.selection.matches_key(&k.render()))
        .collect();
    for chunk in keys.chunks(1000) {
        let names: Vec<Vec<u8>> = chunk.iter().map(|k| k.render().into_bytes()).collect();
        let exists = store.exists_many(&names).await?;
        for (k, there) in chunk.iter().zip(exists) {
            if there {
                continue;
            }
            let key = k.render();
            let value = tokio::task::block_in_place(|| judge.fill_value(k))?;
            let Some(value) = value else { continue };
            let (d, f) = match k {
                Key::LineageGraph { dataset, field, .. } => (dataset, field),
                _ => unreachable!("hot keys are lineage keys"),
            };
            let v = judge::Verdict {
                kind: k.kind().name(),
                class: Class::Missing,
                detail: format!(
                    "hot column {d}/{f} (fan-out {}) is not cached",
                    judge.engine.fanout(d, f)
                ),
                diff: None,
                fix: judge::Fix::Leave,
                old_len: 0,
            };
            found.add(&key, &v, opts);
            if opts.fix {
                found.growth += (key.len() + value.len()) as u64 + KEY_OVERHEAD;
                found.pending.push(Pending::Missing(key));
            }
        }
    }
    Ok((columns.len(), keys.len() as u64))
}

/// Confirm, check the memory headroom, take the warm lock, fix, release.
async fn fix_all(
    config: &Config,
    store: &Store,
    judge: Arc<Judge>,
    opts: &Options,
    stop: &Stop,
    pending: Vec<Pending>,
    fr: &mut FixReport,
) -> anyhow::Result<()> {
    if !opts.yes {
        let lines = vec![format!(
            "verify --fix would look again at {} drifted keys: rewrite the stale, unreadable and non-canonical ones, delete the orphaned ones, write the missing ones",
            pending.len()
        )];
        if !crate::jobs::guard::confirm::ask(&lines, "Fix them?")? {
            return Err(usage(format!(
                "{} keys to fix and not confirmed: nothing was changed (pass --yes to fix without asking)",
                pending.len()
            )));
        }
    }
    let memory = Memory::read(store).await?;
    if memory.maxmemory > 0 {
        let room = ((memory.maxmemory as f64 * HEADROOM) as u64).saturating_sub(memory.used);
        if fr.growth > room {
            return Err(exit::coded(
                exit::REFUSED,
                format!(
                    "--fix would add up to {} but Redis has {} left below {:.0}% of maxmemory {}: nothing was changed",
                    human_bytes(fr.growth),
                    human_bytes(room),
                    HEADROOM * 100.0,
                    human_bytes(memory.maxmemory)
                ),
            ));
        }
    }
    let lock = crate::jobs::guard::lock::acquire(store, config, opts.wait_lock).await?;
    let bar = progress::bar(pending.len() as u64, "fix", progress::visible(opts.format));
    let result = fix::apply(store, judge, config.ttls, pending, stop, &bar, &mut fr.done).await;
    bar.finish_and_clear();
    lock.release(store).await;
    result
}

/// Print the report and write the metrics file (the same text as `--format prometheus`).
fn finish(opts: &Options, report: &Report) -> anyhow::Result<()> {
    use crate::app::report::export::Export;
    let prom = match (&opts.metrics_file, opts.format) {
        (None, f) if f != Format::Prometheus => None,
        _ => Some(report.prometheus()?),
    };
    if let (Some(path), Some(text)) = (&opts.metrics_file, &prom) {
        crate::app::report::metrics::write_atomic(path, text)?;
    }
    let text = match (opts.format, prom) {
        (Format::Prometheus, Some(text)) => text,
        (format, _) => render(format, report)?,
    };
    crate::app::output::print(&text)?;
    Ok(())
}
