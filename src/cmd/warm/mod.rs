//! `warm`: fill the cache exactly as the API would. The job (plan, engine, writer, lock,
//! memory budget, report) is shared with `invalidate --rewarm` and lives in `jobs::warm`;
//! `options` turns these arguments into the job's checked options.
use crate::cli::WarmArgs;
use crate::config::Config;

mod options;

pub fn run(config: &Config, args: WarmArgs) -> anyhow::Result<()> {
    let opts = options::options(config, args)?;
    crate::jobs::warm::run(config, opts)
}
