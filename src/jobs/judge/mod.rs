//! Judging cached values against the source (`verify`): what the API would write now
//! (`verdict`), what changed (`diff`), the audit of a selection (`audit`), the repair
//! (`fix`), and what is wrong with a key or value by stable anomaly codes (`check`, which
//! `inspect` reports too).
pub(crate) mod audit;
pub(crate) mod catalog;
pub(crate) mod check;
pub(crate) mod diff;
pub(crate) mod fix;
pub(crate) mod found;
pub(crate) mod report;
pub(crate) mod verdict;

use std::time::Duration;

use crate::cli::Format;
use crate::select::Selection;

/// Checked options of one run.
pub struct Options {
    pub selection: Selection,
    pub missing: bool,
    pub hot: usize,
    pub depth: Option<u32>,
    pub diff: bool,
    pub limit: usize,
    pub fix: bool,
    pub dry_run: bool,
    pub yes: bool,
    pub wait_lock: Option<Duration>,
    pub metrics_file: Option<std::path::PathBuf>,
    pub format: Format,
}
