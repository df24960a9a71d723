//! The commands that look: `inspect`, `stats`; and `demo`.
use std::path::PathBuf;
use std::time::Duration;

use clap::{value_parser, Args, Subcommand, ValueEnum};

use super::*;

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
    #[arg(long, value_name = "N", value_parser = value_parser!(u64).range(1..))]
    pub sample: Option<u64>,
    /// Refresh every INTERVAL (e.g. 5s) until interrupted.
    #[arg(long, value_name = "INTERVAL", value_parser = parse::positive_duration)]
    pub watch: Option<Duration>,
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
