//! `warm`: not built yet.
use crate::cli::WarmArgs;
use crate::config::Config;

pub fn run(_config: &Config, _args: WarmArgs) -> anyhow::Result<()> {
    Err(super::not_yet("warm"))
}
