//! Every command-line type. No `crate::` imports: `build.rs` includes this folder (by the
//! path of this file) to generate completions and the man page. The global options, the
//! command list and the shared value types are here; each group of commands' arguments
//! is a child: `key.rs` (key), `select.rs` (the shared selection), `jobs.rs` (warm,
//! invalidate, verify: the commands that write), `sync.rs` (sync), `views.rs` (inspect,
//! stats, demo); `parse.rs` holds the value parsers (durations, sizes, percentages).
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

mod jobs;
mod key;
pub mod parse;
mod select;
mod sync;
mod views;

pub use jobs::*;
pub use key::*;
pub use select::*;
pub use sync::*;
pub use views::*;

/// Administer the Redis cache of the Teradata column-lineage API.
///
/// Reads the API's own configuration (environment, then `.env` in the working directory or
/// its parent): REDIS_ADDR, REDIS_PASSWORD, REDIS_DB, CACHE_TTL_*, VALIDATION_*,
/// TERADATA_* (or the legacy TD_*).
#[derive(Debug, Parser)]
#[command(name = "lineage-cache", version, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every subcommand accepts.
#[derive(Debug, Args, Clone)]
pub struct GlobalArgs {
    /// Redis URL (redis:// or rediss://, optional user and password, /DB); overrides REDIS_ADDR,
    /// REDIS_PASSWORD and REDIS_DB. Prefer the environment for passwords.
    #[arg(
        long,
        global = true,
        env = "LINEAGE_CACHE_REDIS_URL",
        hide_env_values = true
    )]
    pub redis_url: Option<String>,

    /// Lineage source: `sqlite:PATH` (embedded), `odbc:CONNECTION-STRING`, or `teradata`
    /// (ODBC built from the TERADATA_* settings).
    #[arg(
        long,
        global = true,
        env = "LINEAGE_CACHE_SOURCE",
        hide_env_values = true
    )]
    pub source: Option<String>,

    /// Treat Redis as a cluster (detected from the server when not given).
    #[arg(long, global = true)]
    pub cluster: bool,

    /// PEM file of the CA(s) that signed the Redis server's certificate (TLS); without it the
    /// system trust store is used. Also REDIS_TLS_CA_FILE. Turns TLS on for REDIS_ADDR.
    #[arg(long, global = true, value_name = "PATH")]
    pub tls_ca_file: Option<PathBuf>,

    /// PEM client certificate for servers that require one (`tls-auth-clients yes`); needs
    /// --tls-key-file. Also REDIS_TLS_CERT_FILE.
    #[arg(long, global = true, value_name = "PATH")]
    pub tls_cert_file: Option<PathBuf>,

    /// PEM private key of --tls-cert-file. Also REDIS_TLS_KEY_FILE.
    #[arg(long, global = true, value_name = "PATH")]
    pub tls_key_file: Option<PathBuf>,

    /// Name the server's certificate must carry, when connecting by IP address or by a name
    /// the certificate does not list. Also REDIS_TLS_SERVER_NAME.
    #[arg(long, global = true, value_name = "NAME")]
    pub tls_server_name: Option<String>,

    /// Seconds to wait for Redis to connect or answer before giving up.
    #[arg(
        long,
        global = true,
        value_name = "SECONDS",
        default_value = "5",
        value_parser = parse::timeout
    )]
    pub timeout: Duration,

    /// When to use colour.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// Read this file instead of looking for `.env` in the working directory and its parent.
    #[arg(long, global = true, value_name = "PATH")]
    pub env_file: Option<PathBuf>,
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    #[default]
    Table,
    Json,
    Ndjson,
    Prometheus,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fill the cache exactly as the API would.
    Warm(WarmArgs),
    /// Drop (or re-warm) exactly the entries a lineage change made stale.
    Invalidate(InvalidateArgs),
    /// Run the populate command, then leave the cache true: drop or rewrite what the change
    /// made stale and what the API cached from the half-written tables.
    Sync(SyncArgs),
    /// Audit every cached value against the source: current, stale, orphaned, unreadable.
    Verify(VerifyArgs),
    /// Show cached keys: TTL, size, idle time, a summary of the value; or one key in full.
    Inspect(InspectArgs),
    /// Server health and a breakdown of the cache by key kind.
    Stats(StatsArgs),
    /// Build, parse, or map an API URL to cache keys.
    Key(KeyArgs),
    /// Create the embedded demo lineage warehouse (SQLite), or load it into another database.
    Demo(DemoArgs),
}

/// The nine kinds of cache key the API writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ValueEnum)]
pub enum KindArg {
    /// ol:namespace:list
    #[value(name = "namespace-list", alias = "namespaces")]
    NamespaceList,
    /// ol:namespace:get:{namespaceId}
    #[value(name = "namespace-get", alias = "namespace")]
    NamespaceGet,
    /// ol:dataset:list:{namespaceId}|{limit}|{offset}
    #[value(name = "dataset-list", alias = "datasets")]
    DatasetList,
    /// ol:dataset:search:{QUERY}|{limit}
    #[value(name = "dataset-search", alias = "search")]
    DatasetSearch,
    /// ol:dataset:get:{datasetId}
    #[value(name = "dataset-get", alias = "dataset")]
    DatasetGet,
    /// ol:field:list:{datasetId}
    #[value(name = "field-list", alias = "fields")]
    FieldList,
    /// ol:dataset:statistics:{datasetId}
    #[value(name = "dataset-statistics", alias = "statistics")]
    DatasetStatistics,
    /// ol:dataset:ddl:{datasetId}
    #[value(name = "dataset-ddl", alias = "ddl")]
    DatasetDdl,
    /// ol:lineage:graph:{datasetId}|{fieldName}|{direction}
    #[value(name = "lineage-graph", alias = "lineage", alias = "graph")]
    LineageGraph,
}

/// Lineage directions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ValueEnum)]
pub enum DirectionArg {
    Upstream,
    Downstream,
    Both,
}
