//! The selection every cache-wide command shares.
use std::path::PathBuf;

use clap::Args;

use super::*;

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
