//! `key build`, `key parse`, `key from-url`.
use clap::{Args, Subcommand};

use super::*;

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
