//! `sync`, the post-hook around `populate_lineage.py` (docs/sync.md): run the populate
//! command (or take a run that happened elsewhere, `--started-at`), then leave the cache
//! true at the cost of the change.
//!
//! 1. Under the warm lock for the whole run (no cron warm writes from half-written tables),
//!    read the snapshot of the lineage the cache was filled from (`jobs::saved`), and start
//!    hearing what the API writes meanwhile (`written`: keyspace events, or key ages).
//! 2. Run the command (`command`).
//! 3. First pass: a new snapshot from the source, its diff with the old one, the keys that
//!    diff made stale (`keys`, list and search pages through the invalidate job's finder),
//!    and every key written during the run; each deleted, or rewritten (`clean`). Without a
//!    usable old snapshot, every cached value is judged against the source instead
//!    (`fallback`).
//! 4. Settle: wait for requests that read the half-written tables to write their answers,
//!    then clean what was written meanwhile.
//! 5. Save the new snapshot; report (`report`).
//!
//! A run is marked unfinished in Redis from before its command until a sync completes
//! (`saved`): the next sync cleans what was written since the earliest unfinished run
//! began, as the API cached from the half-written tables all that time.
use std::time::Duration;

use crate::config::Config;
use crate::jobs::stale::Pages;
use crate::jobs::Done;
use crate::model::Timestamp;

mod clean;
mod command;
mod fallback;
mod flow;
mod keys;
mod pages;
mod report;
mod written;

pub(crate) use report::SyncReport;

/// How the writes of the run are found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Watching {
    /// Keyspace events where the server allows them, key ages otherwise.
    Auto,
    /// Keyspace events, or fail before the command runs.
    Events,
    /// Key ages only.
    Ages,
}

/// What ran, or when the run that happened elsewhere started.
#[derive(Debug, Clone)]
pub(crate) enum Populate {
    /// Run this command (program and arguments).
    Command(Vec<String>),
    /// A run that started at this instant, elsewhere.
    StartedAt(Timestamp),
}

/// Checked options of one sync.
#[derive(Debug, Clone)]
pub(crate) struct SyncOptions {
    pub populate: Populate,
    /// Rewrite stale keys instead of deleting them.
    pub rewarm: bool,
    /// Delete stale `both` graphs instead of rewriting them.
    pub delete_both: bool,
    pub settle: Duration,
    pub dry_run: bool,
    /// Skip the question on a terminal.
    pub yes: bool,
    pub watching: Watching,
    pub pages: Pages,
    pub page_sizes: Vec<u32>,
    pub wait_lock: Option<Duration>,
    pub progress: bool,
}

/// The settle window when none is given: the API's longest request. Its HTTP server gives
/// up on a request after 60 s (`SERVER_WRITE_TIMEOUT`), so an answer computed from the
/// half-written tables lands within a minute of the run's end (docs/sync.md).
pub const DEFAULT_SETTLE: Duration = Duration::from_secs(60);

/// Run a sync: its report, and how it ended.
pub(crate) fn run(config: &Config, opts: SyncOptions) -> anyhow::Result<Done<SyncReport>> {
    let rt = crate::app::runtime::build()?;
    let result = rt.block_on(flow::run(config, opts));
    rt.shutdown_background();
    result
}
