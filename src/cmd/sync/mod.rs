//! `sync`: the post-hook around `populate_lineage.py`. The arguments become the sync job's
//! checked options (before any connection), the job runs (`jobs::sync`), and its report is
//! rendered here, with the metrics file.
use crate::app::report::export::{render, Export};
use crate::app::report::{metrics, parse_duration};
use crate::cli::{PageLookup, SyncArgs, WatchArg};
use crate::config::Config;
use crate::failure::bad_input;
use crate::jobs::stale::Pages;
use crate::jobs::sync::{Populate, SyncOptions, Watching, DEFAULT_SETTLE};
use crate::jobs::Outcome;
use crate::model::Timestamp;

pub fn run(config: &Config, args: SyncArgs) -> anyhow::Result<Outcome> {
    let opts = options(&args)?;
    let done = crate::jobs::sync::run(config, opts)?;
    if let Some(report) = &done.report {
        crate::app::output::print(&render(args.format, report)?)?;
        if let Some(path) = &args.metrics_file {
            metrics::write_atomic(path, &report.prometheus()?)?;
        }
    }
    done.end
}

fn options(a: &SyncArgs) -> anyhow::Result<SyncOptions> {
    let populate = match (&a.started_at, a.command.is_empty()) {
        (Some(t), true) => Populate::StartedAt(Timestamp::parse(t).ok_or_else(|| {
            bad_input(format!(
                "--started-at {t:?} is not a time (use RFC 3339, `YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DD`, UTC)"
            ))
        })?),
        (None, false) => Populate::Command(a.command.clone()),
        (None, true) => {
            return Err(bad_input(
                "sync needs the populate command after `--` (or --started-at TIME for a run that happened elsewhere)",
            ))
        }
        (Some(_), false) => return Err(bad_input("--started-at goes without a command")),
    };
    for &p in &a.page_sizes {
        crate::keys::check_limit(p)
            .map_err(|_| bad_input(format!("--page-sizes: {p} is not from 1 to 500")))?;
    }
    let dur =
        |flag: &str, v: &Option<String>| v.as_deref().map(|s| parse_duration(flag, s)).transpose();
    Ok(SyncOptions {
        populate,
        rewarm: a.rewarm,
        delete_both: a.delete_both,
        settle: dur("--settle", &a.settle)?.unwrap_or(DEFAULT_SETTLE),
        dry_run: a.dry_run,
        yes: a.yes,
        watching: match a.watch {
            WatchArg::Auto => Watching::Auto,
            WatchArg::On => Watching::Events,
            WatchArg::Off => Watching::Ages,
        },
        pages: match a.pages {
            PageLookup::Auto => Pages::Auto,
            PageLookup::Lookup => Pages::Lookup,
            PageLookup::Scan => Pages::Scan,
        },
        page_sizes: a.page_sizes.clone(),
        wait_lock: dur("--wait-lock", &a.wait_lock)?,
        progress: crate::app::report::progress::visible(a.format),
    })
}
