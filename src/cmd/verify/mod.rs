//! `verify`: is the cache telling the truth? The arguments are checked into the job's options
//! before any connection, the job (`jobs::judge`) audits (and with `--fix` repairs), and its
//! report is rendered in `--format` (and written to `--metrics-file`). docs/verify.md.
use std::path::Path;
use std::sync::Arc;

use crate::app::report::export::{render, Export};
use crate::app::report::{metrics, progress};
use crate::cli::{Format, VerifyArgs};
use crate::config::{Config, Validation};
use crate::failure::bad_input;
use crate::jobs::judge::{self, FixOptions, OnRow, Options, Row, VerifyReport};
use crate::jobs::Outcome;

pub fn run(config: &Config, args: VerifyArgs) -> anyhow::Result<Outcome> {
    let (format, metrics_file) = (args.format, args.metrics_file.clone());
    let opts = options(config, args)?;
    let on_row = (format == Format::Ndjson).then(ndjson_rows);
    let done = judge::run(config, opts, on_row)?;
    if let Some(report) = &done.report {
        finish(format, metrics_file.as_deref(), report)?;
    }
    done.end
}

/// The job's options, every argument checked.
fn options(config: &Config, a: VerifyArgs) -> anyhow::Result<Options> {
    let mut selection = crate::cmd::convert::selection(&a.selection, &config.validation)?;
    if selection.is_empty() {
        selection.all = true;
    }
    check_depth(a.depth, &config.validation)?;
    check_fix_flags(&a)?;
    if a.missing && a.hot == 0 {
        return Err(bad_input("--hot must be at least 1"));
    }
    let fix = a.fix.then(|| fix_options(&a));
    Ok(Options {
        selection,
        missing: a.missing.then_some(a.hot),
        depth: a.depth,
        diff: a.diff,
        limit: a.limit,
        fix,
        progress: progress::visible(a.format),
    })
}

fn check_depth(depth: Option<u32>, v: &Validation) -> anyhow::Result<()> {
    match depth {
        Some(d) if d < v.min_max_depth || d > v.max_depth_limit => Err(bad_input(format!(
            "--depth must be from {} to {} (VALIDATION_MIN_MAX_DEPTH..VALIDATION_MAX_DEPTH_LIMIT), got {d}",
            v.min_max_depth, v.max_depth_limit
        ))),
        _ => Ok(()),
    }
}

/// `--dry-run`, `--yes` and `--wait-lock` only go with `--fix`.
fn check_fix_flags(a: &VerifyArgs) -> anyhow::Result<()> {
    for (given, flag) in [
        (a.dry_run, "--dry-run"),
        (a.yes, "--yes"),
        (a.wait_lock.is_some(), "--wait-lock"),
    ] {
        if given && !a.fix {
            return Err(bad_input(format!(
                "{flag} goes with --fix (verify alone changes nothing)"
            )));
        }
    }
    Ok(())
}

fn fix_options(a: &VerifyArgs) -> FixOptions {
    FixOptions {
        dry_run: a.dry_run,
        yes: a.yes,
        wait_lock: a.wait_lock,
    }
}

/// `--format ndjson`: each drifted key on its line as soon as it is found.
fn ndjson_rows() -> OnRow {
    Arc::new(|row: &Row| {
        let _ = crate::app::output::print(&row.ndjson_line());
    })
}

/// Print the report and write the metrics file (the same text as `--format prometheus`).
fn finish(
    format: Format,
    metrics_file: Option<&Path>,
    report: &VerifyReport,
) -> anyhow::Result<()> {
    let prom = match (metrics_file, format) {
        (None, f) if f != Format::Prometheus => None,
        _ => Some(report.prometheus()?),
    };
    if let (Some(path), Some(text)) = (metrics_file, &prom) {
        metrics::write_atomic(path, text)?;
    }
    let text = match (format, prom) {
        (Format::Prometheus, Some(text)) => text,
        (format, _) => render(format, report)?,
    };
    crate::app::output::print(&text)?;
    Ok(())
}
