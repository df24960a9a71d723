//! `warm`: fill the cache exactly as the API would. The job (plan, engine, writer, lock,
//! memory budget, report) lives in `jobs::warm`, shared with `invalidate --rewarm`;
//! `options` turns these arguments into its checked options; the report is rendered here.
use crate::app::report::export::{render, Export};
use crate::app::report::metrics;
use crate::cli::WarmArgs;
use crate::config::Config;
use crate::jobs::Outcome;

mod options;

pub fn run(config: &Config, args: WarmArgs) -> anyhow::Result<Outcome> {
    let opts = options::options(config, &args)?;
    let done = crate::jobs::warm::run(config, opts)?;
    if let Some(report) = &done.report {
        crate::app::output::print(&render(args.format, report)?)?;
        if let Some(path) = &args.metrics_file {
            metrics::write_atomic(path, &report.prometheus()?)?;
        }
    }
    done.end
}
