//! `stats`: not built yet.
use crate::cli::StatsArgs;
use crate::config::Config;

pub fn run(_config: &Config, _args: StatsArgs) -> anyhow::Result<()> {
    Err(super::not_yet("stats"))
}
