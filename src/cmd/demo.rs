//! `demo`: not built yet.
use crate::cli::DemoArgs;
use crate::config::Config;

pub fn run(_config: &Config, _args: DemoArgs) -> anyhow::Result<()> {
    Err(super::not_yet("demo"))
}
