//! lineage-cache: administers the Redis cache of the Teradata column-lineage REST API.
//!
//! The subcommands (`warm`, `invalidate`, `verify`, `inspect`, `stats`, `key`, `demo`) share
//! one core: the key builder ([`keys`]), the Redis store ([`store`]) and the lineage source
//! ([`source`]); the jobs that write or judge the cache live in [`jobs`]. The cache contract
//! this crate implements is summed up in docs/keys.md and docs/source.md.

pub mod answer;
pub mod app;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod exit;
pub mod failure;
pub mod jobs;
pub mod json;
pub mod keys;
pub mod model;
pub mod route;
pub mod select;
pub mod source;
pub mod store;

/// Parse the command line and run the chosen subcommand: how it ended, or why it failed.
pub fn run() -> anyhow::Result<jobs::Outcome> {
    use clap::Parser;
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return Err(exit::ClapError(e).into()),
    };
    cmd::dispatch(cli)
}
