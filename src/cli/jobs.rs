//! The commands that write: `warm`, `invalidate`, `verify`.
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::*;

#[derive(Debug, Args)]
pub struct WarmArgs {
    #[command(flatten)]
    pub selection: SelectionArgs,
    /// Re-warm exactly the keys cached now.
    #[arg(long)]
    pub from_cache: bool,
    /// With --from-cache: only keys expiring within this duration (e.g. 10m).
    #[arg(long, value_name = "DURATION")]
    pub expiring_within: Option<String>,
    /// Warm the N hottest columns.
    #[arg(long, value_name = "N")]
    pub hot: Option<usize>,
    /// How to rank hot columns.
    #[arg(long, value_enum, default_value_t = HotBy::Fanout)]
    pub by: HotBy,
    /// Lineage directions to warm.
    #[arg(long, value_enum, value_delimiter = ',')]
    pub directions: Vec<DirectionArg>,
    /// Depth the lineage graphs are computed at (default: the API's VALIDATION_DEFAULT_MAX_DEPTH).
    #[arg(long)]
    pub depth: Option<u32>,
    /// Page sizes of dataset list pages to warm.
    #[arg(long, value_delimiter = ',')]
    pub page_sizes: Vec<u32>,
    /// Which requests the dataset and lineage keys serve: `name`, the requests by name the
    /// API's router answers; `id`, a router that decodes `%2F` (field lists too); `both`.
    /// Statistics and DDL are written under the dataset's id whatever the form: the API
    /// reads them there after resolving the request's dataset.
    #[arg(long, value_enum, default_value_t = KeyForm::Name)]
    pub key_form: KeyForm,
    /// Run the API's own queries per key instead of the bulk engine.
    #[arg(long)]
    pub per_key: bool,
    /// Parallel queries against the source (--per-key); in bulk mode, computing threads, at
    /// most one per core.
    #[arg(long, default_value_t = 4)]
    pub concurrency: usize,
    /// At most this many keys per second.
    #[arg(long)]
    pub rate: Option<u32>,
    /// TTL jitter, percent (each key gets its class TTL minus up to this much).
    #[arg(long, default_value_t = 10.0)]
    pub ttl_jitter: f64,
    /// Skip keys that already exist.
    #[arg(long)]
    pub only_missing: bool,
    /// Skip keys whose remaining TTL is above this (e.g. 5m).
    #[arg(long, value_name = "DURATION")]
    pub min_ttl: Option<String>,
    /// Stop after writing this many bytes (e.g. 512MB).
    #[arg(long, value_name = "SIZE")]
    pub max_bytes: Option<String>,
    /// Do everything but write; say what would be written.
    #[arg(long)]
    pub dry_run: bool,
    /// Stop at the first failing item.
    #[arg(long)]
    pub fail_fast: bool,
    /// Wait this long for another warm's lock instead of exiting (e.g. 5m).
    #[arg(long, value_name = "DURATION")]
    pub wait_lock: Option<String>,
    /// Write a Prometheus text file (atomically) for node_exporter's textfile collector.
    #[arg(long, value_name = "PATH")]
    pub metrics_file: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Ranking of hot columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HotBy {
    /// Most edges in the lineage graph.
    Fanout,
    /// Redis's own access data (OBJECT FREQ or OBJECT IDLETIME).
    Cache,
    /// Teradata's query log (Teradata sources only).
    Dbql,
}

/// Which requests the dataset-addressed keys serve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KeyForm {
    /// `{namespace_id}/{database}.{table}`: read only behind a router that decodes `%2F`.
    Id,
    /// `{database}.{table}`: the form the API serves (statistics and DDL by id).
    Name,
    /// Both forms.
    Both,
}

/// How `invalidate --dataset` finds list and search pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PageLookup {
    Auto,
    Lookup,
    Scan,
}

#[derive(Debug, Args)]
pub struct InvalidateArgs {
    #[command(flatten)]
    pub selection: SelectionArgs,
    /// Recompute and overwrite each selected key in place instead of deleting it.
    #[arg(long)]
    pub rewarm: bool,
    /// Delete the `both` lineage graphs a dataset, column, namespace or time selection finds,
    /// instead of rewriting them with today's value (the API cannot write a `both` graph:
    /// a deleted one stays missing until the next warm).
    #[arg(long)]
    pub delete_both: bool,
    /// Find the keys by scanning the whole cache (for --touching, reading every cached graph)
    /// instead of computing them from the lineage: for a cache written by something whose
    /// keys cannot be predicted, or a source that deleted lineage rows when no lineage
    /// snapshot was saved.
    #[arg(long)]
    pub scan: bool,
    /// How `--dataset` finds its list and search pages, which no source records: `lookup`
    /// every page the API can have cached, one narrow `scan` of the cache, or `auto`: the
    /// one that costs the server less.
    #[arg(long, value_enum, default_value_t = PageLookup::Auto, value_name = "WAY")]
    pub pages: PageLookup,
    /// Only the dataset list and search pages of these limits (the page sizes your clients
    /// ask for, e.g. `20,100`); pages of other limits are left alone. Default: every limit
    /// the API accepts (1..500).
    #[arg(long, value_delimiter = ',', value_name = "LIMITS")]
    pub page_sizes: Vec<u32>,
    /// Report what would be deleted; delete nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Do not ask for confirmation (required without a terminal for broad deletes).
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// At most this many keys deleted per second.
    #[arg(long)]
    pub rate: Option<u32>,
    /// Write a Prometheus text file (atomically).
    #[arg(long, value_name = "PATH")]
    pub metrics_file: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub selection: SelectionArgs,
    /// Also list the hot keys (`--hot N` columns, by fan-out) that are not cached at all.
    #[arg(long)]
    pub missing: bool,
    /// How many hot columns `--missing` looks at (as `warm --hot N`).
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub hot: usize,
    /// Compare lineage graphs at this depth only (default: any depth the API accepts, the
    /// default depth first).
    #[arg(long)]
    pub depth: Option<u32>,
    /// Show the full difference of each stale value, not just a summary.
    #[arg(long)]
    pub diff: bool,
    /// At most this many drifted keys listed in the table and JSON reports (counts are
    /// always complete; ndjson lists every one).
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// Re-warm stale, unreadable and non-canonical values in place and delete orphaned keys.
    #[arg(long)]
    pub fix: bool,
    /// With --fix: report what would be written and deleted; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// With --fix: do not ask for confirmation (required without a terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// With --fix: wait this long for another warm's lock (e.g. 30s) instead of failing.
    #[arg(long, value_name = "DURATION")]
    pub wait_lock: Option<String>,
    /// Write a Prometheus text file (atomically), for the node exporter's textfile collector.
    #[arg(long, value_name = "PATH")]
    pub metrics_file: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}
