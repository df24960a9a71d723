//! `invalidate`: drop exactly what a lineage change made stale, safely and fast
//! (`jobs::stale`), or re-warm it in place (`--rewarm`: the keys the job finds, handed to
//! the warm job).
use crate::app::report::{export, metrics};
use crate::cli::InvalidateArgs;
use crate::config::Config;
use crate::jobs::stale::{self, InvalidateReport, Rewarm};
use crate::jobs::Outcome;

mod options;

pub fn run(config: &Config, args: InvalidateArgs) -> anyhow::Result<Outcome> {
    let opts = options::options(config, &args)?;
    if args.rewarm {
        return rewarm(config, args, opts);
    }
    let done = stale::run(config, opts)?;
    if let Some(report) = &done.report {
        show(report, &args)?;
    }
    done.end
}

/// `--rewarm`: the warm job recomputes the keys invalidate would find (it says its own
/// report); when the computed path finds none, invalidate's report says so.
fn rewarm(config: &Config, args: InvalidateArgs, opts: stale::Options) -> anyhow::Result<Outcome> {
    let selection = match stale::rewarm_selection(config, opts.selection, opts.finding)? {
        Rewarm::Nothing(report) => {
            show(&report, &args)?;
            return Ok(Outcome::Complete);
        }
        Rewarm::Keys(selection) => selection,
    };
    let progress = crate::app::report::progress::visible(args.format);
    let done = crate::jobs::warm::rewarm(config, selection, opts.rate, progress)?;
    if let Some(report) = &done.report {
        crate::app::output::print(&export::render(args.format, report)?)?;
        if let Some(path) = &args.metrics_file {
            metrics::write_atomic(path, &export::Export::prometheus(report)?)?;
        }
    }
    done.end
}

/// The report in the asked format on stdout, and the metrics file when asked.
fn show(report: &InvalidateReport, args: &InvalidateArgs) -> anyhow::Result<()> {
    crate::app::output::print(&export::render(args.format, report)?)?;
    if let Some(path) = &args.metrics_file {
        metrics::write_atomic(path, &report.metrics())?;
    }
    Ok(())
}
