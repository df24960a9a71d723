//! `invalidate`: drop exactly what a lineage change made stale, safely and fast, or re-warm it
//! in place (`--rewarm`).
use crate::app::runtime::{CtrlC, Stop};
use std::sync::Arc;
use std::time::Instant;

use crate::cli::{Format, InvalidateArgs, PageLookup};
use crate::config::Config;
use crate::exit::{self, usage};
use crate::jobs::stale::{self, Options, Path};
use crate::select::Selection;
use crate::store::Store;

mod report;

pub fn run(config: &Config, args: InvalidateArgs) -> anyhow::Result<()> {
    let selection = crate::cmd::convert::selection(&args.selection, &config.validation)?
        .with_page_sizes(&args.page_sizes)?;
    if selection.is_empty() {
        return Err(usage(
            "nothing selected: give --all, --kind, --key, --pattern, --namespace, --dataset, --field, --touching, --changed-since or --keys-file",
        ));
    }
    if args.rate == Some(0) {
        return Err(usage("--rate must be above 0"));
    }
    if args.format == Format::Prometheus {
        return Err(usage(
            "--format prometheus does not apply to invalidate; use --metrics-file",
        ));
    }
    if args.rewarm {
        if args.dry_run {
            return Err(usage("--rewarm writes values; for a preview use `warm --from-cache --dry-run` with the same selection"));
        }
        let mut selection = selection;
        resolve_with_source(config, &mut selection)?;
        selection.changed_since = None;
        if !args.scan && stale::applies(&selection) {
            let rt = crate::app::runtime::build()?;
            let found = rt.block_on(async {
                let store = Store::connect(config).await?;
                stale::find(config, &store, &selection, pages(&args)).await
            })?;
            drop(rt);
            match found {
                stale::Computed::Keys(part) => {
                    tracing::info!("keys {}", part.way);
                    if part.keys.is_empty() {
                        let opts = options(selection, &args, Path::Computed(part.way));
                        return report::finish(
                            &opts,
                            &stale::delete::Swept::default(),
                            Default::default(),
                        );
                    }
                    selection = Selection::exact(part.keys);
                }
                stale::Computed::Scan(why) => tracing::info!("scanning: {why}"),
            }
        }
        return crate::jobs::warm::rewarm(
            config,
            selection,
            args.rate,
            args.metrics_file,
            args.format,
        );
    }
    let opts = options(selection, &args, Path::Scan(None));
    let rt = crate::app::runtime::build()?;
    rt.block_on(invalidate(config, opts))
}

fn options(selection: Selection, args: &InvalidateArgs, path: Path) -> Options {
    Options {
        selection,
        dry_run: args.dry_run,
        yes: args.yes,
        rate: args.rate,
        metrics_file: args.metrics_file.clone(),
        format: args.format,
        stop: Arc::new(Stop::default()),
        scan: args.scan,
        pages: pages(args),
        path,
    }
}

fn pages(args: &InvalidateArgs) -> stale::Pages {
    match args.pages {
        PageLookup::Auto => stale::Pages::Auto,
        PageLookup::Lookup => stale::Pages::Lookup,
        PageLookup::Scan => stale::Pages::Scan,
    }
}

async fn invalidate(config: &Config, mut opts: Options) -> anyhow::Result<()> {
    let started = Instant::now();
    let _ctrl_c = CtrlC::watch(opts.stop.clone());
    invalidate_inner(config, &mut opts, started).await
}

async fn invalidate_inner(
    config: &Config,
    opts: &mut Options,
    started: Instant,
) -> anyhow::Result<()> {
    resolve_with_source(config, &mut opts.selection)?;
    let store = Store::connect(config).await?;
    if !opts.scan && stale::applies(&opts.selection) {
        match stale::find(config, &store, &opts.selection, opts.pages).await? {
            stale::Computed::Keys(part) => {
                opts.path = Path::Computed(part.way);
                if part.keys.is_empty() {
                    report::finish(opts, &stale::delete::Swept::default(), started.elapsed())?;
                    return Ok(());
                }
                opts.selection = Selection::exact(part.keys);
            }
            stale::Computed::Scan(why) => opts.path = Path::Scan(Some(why)),
        }
    }
    // The scan runs ahead on a connection of its own, so its round trips do not queue
    // behind the UNLINK pipelines (exact keys need no scan).
    let scanning = !opts.selection.exact_only();
    let scan_conn = crate::app::connect::scan_connection(config, &store, scanning).await?;
    let store = &(store, scan_conn);
    if opts.dry_run {
        let run = stale::delete::run(store, opts, stale::delete::Mode::Count).await?;
        report::finish(opts, &run, started.elapsed())?;
        return interrupted(&run);
    }
    if !opts.yes {
        let counted = stale::delete::run(store, opts, stale::delete::Mode::Count).await?;
        interrupted(&counted)?;
        let broad = opts.selection.all || counted.matched > stale::HANDFUL;
        if broad && !confirm(&counted)? {
            return Err(exit::usage(format!(
                "{} keys selected and not confirmed: nothing was deleted (pass --yes to delete without asking)",
                counted.matched
            )));
        }
    }
    let run = stale::delete::run(store, opts, stale::delete::Mode::Delete).await?;
    report::finish(opts, &run, started.elapsed())?;
    interrupted(&run)
}

/// Exit 130 after a pass that Ctrl-C stopped.
fn interrupted(run: &stale::delete::Swept) -> anyhow::Result<()> {
    if !run.interrupted {
        return Ok(());
    }
    Err(exit::coded(
        exit::INTERRUPTED,
        format!(
            "interrupted: deleted {} keys, then stopped (the batches in flight finished); run again to finish",
            run.deleted
        ),
    ))
}

/// With a source configured, `--changed-since` asks it which datasets changed, and datasets
/// given by name learn their id and namespace (`app::resolve`). Without one, names stay
/// as given (both forms are matched) and `--changed-since` is refused.
fn resolve_with_source(config: &Config, sel: &mut Selection) -> anyhow::Result<()> {
    let explicit = config.source.is_some() || config.teradata.host.is_some();
    let needs =
        sel.changed_since.is_some() || (explicit && crate::jobs::resolve::needs_source(sel));
    if !needs {
        return Ok(());
    }
    if !explicit {
        return Err(usage("--changed-since asks the lineage source what changed: configure it with --source or TERADATA_*"));
    }
    let source = crate::source::open(config)?;
    crate::jobs::resolve::with_source(sel, source.as_ref())
}

/// Show the counts and ask on a terminal; without one, broad deletes need `--yes`.
fn confirm(counted: &stale::delete::Swept) -> anyhow::Result<bool> {
    let mut lines = vec![format!("invalidate would delete {} keys:", counted.matched)];
    for (kind, c) in &counted.tally.by_kind {
        lines.push(format!("  {kind:<20} {}", c.outcomes.values().sum::<u64>()));
    }
    crate::jobs::guard::confirm::ask(&lines, "Delete them?")
}
