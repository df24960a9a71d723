//! `invalidate`: not built yet.
use crate::cli::InvalidateArgs;
use crate::config::Config;

pub fn run(_config: &Config, _args: InvalidateArgs) -> anyhow::Result<()> {
    Err(super::not_yet("invalidate"))
}
