//! One file per subcommand, each with a `run` entry point, dispatched by one `match`.
use crate::cli::{Cli, Command};
use crate::config::Config;
use crate::jobs::Outcome;

mod convert;
pub mod demo;
pub mod inspect;
pub mod invalidate;
pub mod key;
pub mod stats;
pub mod sync;
pub mod verify;
pub mod warm;

/// Check the configuration once, then run the subcommand.
pub fn dispatch(cli: Cli) -> anyhow::Result<Outcome> {
    crate::app::output::init_logging(&cli.global);
    let config = Config::from_args(&crate::cmd::convert::overrides(&cli.global))?;
    tracing::debug!(redis = %config.redis.display(), "configuration loaded");
    let color = crate::app::output::use_color(cli.global.color);
    crate::app::output::set_color(color);
    match cli.command {
        Command::Warm(args) => warm::run(&config, args),
        Command::Invalidate(args) => invalidate::run(&config, args),
        Command::Verify(args) => verify::run(&config, args),
        Command::Inspect(args) => inspect::run(&config, args),
        Command::Stats(args) => stats::run(&config, args),
        Command::Key(args) => key::run(&config, args),
        Command::Demo(args) => demo::run(&config, args),
        Command::Sync(args) => sync::run(&config, args),
    }
}
