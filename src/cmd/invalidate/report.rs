//! The end of an invalidate: the job's report in the asked format, and the metrics file.
use std::time::Duration;

use crate::app::report::{export, metrics};
use crate::jobs::stale::delete::Swept;
use crate::jobs::stale::report::InvalidateReport;
use crate::jobs::stale::{Options, Path};

pub(crate) fn finish(opts: &Options, run: &Swept, elapsed: Duration) -> anyhow::Result<()> {
    let path = match &opts.path {
        Path::Computed(how) => Path::Computed(how.clone()),
        Path::Scan(why) => Path::Scan(why.clone()),
    };
    let report = InvalidateReport::new(opts.dry_run, run, path, elapsed);
    let text = export::render(opts.format, &report)?;
    crate::app::output::print(&text)?;
    if let Some(path) = &opts.metrics_file {
        metrics::write_atomic(path, &report.metrics())?;
    }
    Ok(())
}
