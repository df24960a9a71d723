//! lineage-cache: administers the Redis cache of the Teradata column-lineage REST API.
//!
//! The five subcommands (`warm`, `invalidate`, `inspect`, `stats`, `key`) share one core:
//! the key builder ([`keys`]), the Redis store ([`store`]) and the lineage source
//! ([`source`]). See `../shared/contract.md` for the cache contract this crate implements.

pub mod answer;
pub mod app;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod exit;
pub mod failure;
pub mod json;
pub mod keys;
pub mod model;
pub mod route;
pub mod select;
pub mod source;
pub mod store;

/// Parse the command line and run the chosen subcommand.
pub fn run() -> anyhow::Result<()> {
    use clap::Parser;
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return Err(exit::UsageError::Clap(e).into()),
    };
    cmd::dispatch(cli)
}
