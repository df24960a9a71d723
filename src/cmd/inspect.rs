//! `inspect`: not built yet.
use crate::cli::InspectArgs;
use crate::config::Config;

pub fn run(_config: &Config, _args: InspectArgs) -> anyhow::Result<()> {
    Err(super::not_yet("inspect"))
}
