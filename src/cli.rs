//! Every command-line type. No `crate::` imports: `build.rs` includes this file to generate
//! completions and the man page.
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

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
    #[arg(long, global = true, value_name = "SECONDS", default_value_t = 5.0)]
    pub timeout: f64,

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

#[derive(Debug, Args)]
pub struct KeyArgs {
    #[command(subcommand)]
    pub action: KeyAction,
}

#[derive(Debug, Subcommand)]
pub enum KeyAction {
    /// Build the key of one kind from its parameters (the API's defaults fill the rest).
    Build(KeyBuildArgs),
    /// Parse keys: kind, parameters, TTL class; says when a key is ambiguous or of no kind.
    Parse(KeyParseArgs),
    /// Map an API request (URL or path, percent-encoded, with its query) to the key(s) it reads.
    FromUrl(KeyFromUrlArgs),
}

#[derive(Debug, Args)]
pub struct KeyBuildArgs {
    /// Which kind of key.
    #[arg(value_enum)]
    pub kind: KindArg,
    /// Namespace id (namespace-get, dataset-list).
    #[arg(long)]
    pub namespace: Option<String>,
    /// Dataset id (`{namespace_id}/{db}.{table}`) or name (`{db}.{table}`).
    #[arg(long)]
    pub dataset: Option<String>,
    /// Field (column) name (lineage-graph).
    #[arg(long)]
    pub field: Option<String>,
    /// Lineage direction (default: both).
    #[arg(long, value_enum)]
    pub direction: Option<DirectionArg>,
    /// Page size (dataset-list, dataset-search; default 100).
    #[arg(long, allow_hyphen_values = true)]
    pub limit: Option<String>,
    /// Page offset (dataset-list; default 0).
    #[arg(long, allow_hyphen_values = true)]
    pub offset: Option<String>,
    /// Search text `q` (dataset-search); trimmed and upper-cased as the API does.
    #[arg(long, short = 'q', allow_hyphen_values = true)]
    pub query: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct KeyParseArgs {
    /// Keys to parse.
    #[arg(required = true)]
    pub keys: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct KeyFromUrlArgs {
    /// An API URL or path, e.g. `/api/v2/openlineage/lineage/ID/FIELD?direction=upstream`.
    pub url: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Which cache entries a command works on (shared by warm, invalidate and inspect).
#[derive(Debug, Args, Clone, Default)]
pub struct SelectionArgs {
    /// Every key of the contract's prefix (nothing else).
    #[arg(long)]
    pub all: bool,
    /// Only keys of these kinds.
    #[arg(long = "kind", value_enum, value_delimiter = ',')]
    pub kinds: Vec<KindArg>,
    /// These exact keys.
    #[arg(long = "key", value_name = "KEY")]
    pub keys: Vec<String>,
    /// A Redis glob pattern; refused unless it stays inside the `ol:` prefix.
    #[arg(long, value_name = "GLOB")]
    pub pattern: Option<String>,
    /// A namespace id: its namespace entries and dataset list pages.
    #[arg(long = "namespace", value_name = "ID")]
    pub namespaces: Vec<String>,
    /// A dataset, by id or name: every key about it in both forms.
    #[arg(long = "dataset", value_name = "ID|NAME")]
    pub datasets: Vec<String>,
    /// A column as DATASET/FIELD (the last `/` splits): lineage graphs seeded there.
    #[arg(long = "field", value_name = "DATASET/FIELD")]
    pub fields: Vec<String>,
    /// Cached lineage graphs whose value contains a node of this dataset or DATASET/FIELD.
    #[arg(long = "touching", value_name = "DATASET[/FIELD]")]
    pub touching: Vec<String>,
    /// Datasets the source says changed since this time (RFC 3339 or `YYYY-MM-DD HH:MM:SS`).
    #[arg(long, value_name = "TIMESTAMP")]
    pub changed_since: Option<String>,
    /// One key, API URL or DATASET/FIELD per line (`-` for stdin).
    #[arg(long, value_name = "PATH")]
    pub keys_file: Option<PathBuf>,
}

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
    /// Which form of dataset-addressed keys to write: the name form is the one the API's
    /// router lets it read; the id form only serves a router that decodes `%2F`.
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

/// Which form of dataset-addressed keys to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KeyForm {
    /// `{namespace_id}/{database}.{table}`: read only behind a router that decodes `%2F`.
    Id,
    /// `{database}.{table}`: the form the API serves.
    Name,
    /// Both forms.
    Both,
}

#[derive(Debug, Args)]
pub struct InvalidateArgs {
    #[command(flatten)]
    pub selection: SelectionArgs,
    /// Recompute and overwrite each selected key in place instead of deleting it.
    #[arg(long)]
    pub rewarm: bool,
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
pub struct InspectArgs {
    /// One key to show in full.
    pub key: Option<String>,
    #[command(flatten)]
    pub selection: SelectionArgs,
    /// Sort rows by.
    #[arg(long, value_enum, default_value_t = SortBy::Key)]
    pub sort: SortBy,
    /// At most this many rows.
    #[arg(long)]
    pub limit: Option<usize>,
    /// Print the stored value as it is, not pretty-printed.
    #[arg(long)]
    pub raw: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Sort orders for inspect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortBy {
    Key,
    Size,
    Ttl,
    Idle,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Estimate from a sample of N keys instead of a full scan.
    #[arg(long, value_name = "N")]
    pub sample: Option<u64>,
    /// Refresh every INTERVAL (e.g. 5s) until interrupted.
    #[arg(long, value_name = "INTERVAL")]
    pub watch: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    #[command(subcommand)]
    pub action: DemoAction,
}

#[derive(Debug, Subcommand)]
pub enum DemoAction {
    /// Write the demo warehouse (or a synthetic one with --scale) to a new SQLite file.
    Create(DemoCreateArgs),
    /// Print the demo warehouse as SQL for another database (e.g. PostgreSQL).
    Sql(DemoSqlArgs),
}

#[derive(Debug, Args)]
pub struct DemoCreateArgs {
    /// Path of the SQLite file to create.
    pub path: PathBuf,
    /// Generate a synthetic warehouse of about N columns instead of the demo.
    #[arg(long, value_name = "N")]
    pub scale: Option<usize>,
    /// Seed for the synthetic generator.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Replace the file if it exists.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct DemoSqlArgs {
    /// SQL dialect to print.
    #[arg(long, value_enum, default_value_t = SqlDialectArg::Postgres)]
    pub dialect: SqlDialectArg,
    /// Generate a synthetic warehouse of about N columns instead of the demo.
    #[arg(long, value_name = "N")]
    pub scale: Option<usize>,
    /// Seed for the synthetic generator.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
}

/// SQL dialects for `demo sql`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SqlDialectArg {
    Postgres,
    Sqlite,
}
