//! `sync`: the post-hook around `populate_lineage.py`.
use std::path::PathBuf;
use std::time::Duration;

use clap::{value_parser, Args, ValueEnum};

use super::{parse, Format, PageLookup};

#[derive(Debug, Args)]
#[command(
    after_help = "Example, one line in the pipeline:\n  lineage-cache sync -- python populate_lineage.py --dbql"
)]
pub struct SyncArgs {
    /// Rewrite each stale key with the value the API would write now instead of deleting it
    /// (keys the API would no longer cache are deleted).
    #[arg(long)]
    pub rewarm: bool,
    /// After the first pass, wait this long for requests that read the half-written tables
    /// to write their answers, then clean those too (e.g. 90s). Default: the API's longest
    /// request (docs/sync.md).
    #[arg(long, value_name = "DURATION", value_parser = parse::duration)]
    pub settle: Option<Duration>,
    /// Report what would be deleted or rewritten; change nothing in the cache and keep the
    /// snapshot (the command still runs).
    #[arg(long)]
    pub dry_run: bool,
    /// Do not ask before cleaning on a terminal (sync never asks without one).
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// The populate run already happened elsewhere, starting at TIME (RFC 3339 or
    /// `YYYY-MM-DD HH:MM:SS`, UTC): clean up after it without running a command.
    #[arg(long, value_name = "TIME", conflicts_with = "command")]
    pub started_at: Option<String>,
    /// Delete stale `both` graphs instead of rewriting them. The API cannot write a `both`
    /// graph (its query fails), so a deleted one stays missing until the next warm.
    #[arg(long)]
    pub delete_both: bool,
    /// How keyspace events are used to see what the API writes during the run: `auto` (when
    /// the server allows them), `on` (fail when it does not), `off` (find them by age).
    #[arg(long, value_enum, default_value_t = WatchArg::Auto, value_name = "WHEN")]
    pub watch: WatchArg,
    /// How stale list and search pages are found, as `invalidate --pages`.
    #[arg(long, value_enum, default_value_t = PageLookup::Auto, value_name = "WAY")]
    pub pages: PageLookup,
    /// Only the list and search pages of these limits, as `invalidate --page-sizes`.
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "LIMITS",
        value_parser = value_parser!(u32).range(1..=500)
    )]
    pub page_sizes: Vec<u32>,
    /// Wait this long for another warm's or sync's lock instead of failing (e.g. 5m).
    #[arg(long, value_name = "DURATION", value_parser = parse::duration)]
    pub wait_lock: Option<Duration>,
    /// Write a Prometheus text file (atomically).
    #[arg(long, value_name = "PATH")]
    pub metrics_file: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// The populate command and its arguments, after `--`.
    #[arg(last = true, value_name = "COMMAND")]
    pub command: Vec<String>,
}

/// When keyspace events are used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum WatchArg {
    Auto,
    On,
    Off,
}
