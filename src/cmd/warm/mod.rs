//! `warm`: fill the cache exactly as the API would. The job (plan, engine, writer, lock,
//! memory budget, report) is shared with `invalidate --rewarm` and lives in `app::fill`;
//! its `options` turns these arguments into the job's checked options.
use crate::cli::WarmArgs;
use crate::config::Config;

pub fn run(config: &Config, args: WarmArgs) -> anyhow::Result<()> {
    crate::app::fill::run(config, args)
}
