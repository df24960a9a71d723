//! lineage-cache: administers the Redis cache of the Teradata column-lineage REST API.
//!
//! Eight subcommands (`warm`, `invalidate`, `sync`, `verify`, `inspect`, `stats`, `key`,
//! `demo`), in layers that import one way (docs/architecture.md): the command line
//! ([`cli`], every clap type), one room per command ([`cmd`]: arguments into a job's
//! checked options, then the report rendered), the jobs ([`jobs`]: clap-free, each
//! returning a typed report and an [`jobs::Outcome`]), the plumbing they share ([`app`]:
//! runtime and stop signal, output, reports), and the core: the key builder ([`keys`]),
//! API URLs to keys ([`route`]), selections ([`select`]), configuration ([`config`]),
//! Go-exact JSON ([`json`]), the Redis store ([`store`]) and the lineage source
//! ([`source`]), over the value types ([`model`]). [`exit`] alone turns an outcome or an
//! error into the exit code. The cache contract this crate implements is summed up in
//! this repository's docs/keys.md and docs/source.md.

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
