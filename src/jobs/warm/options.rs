//! The warm job's checked options, and those of `invalidate --rewarm` ([`rewarm`]).
use std::time::Duration;

use super::plan;
use super::report::WarmReport;
use crate::config::Config;
use crate::jobs::Done;
use crate::keys::Kind;
use crate::select::Selection;
use crate::source::Direction;

/// Checked options of one run.
#[derive(Debug)]
pub struct WarmOptions {
    pub selection: Selection,
    pub from_cache: bool,
    pub expiring_within: Option<Duration>,
    pub hot: Option<usize>,
    pub by: HotBy,
    pub shape: plan::Shape,
    pub depth: u32,
    pub per_key: bool,
    pub concurrency: usize,
    pub rate: Option<u32>,
    /// Fraction 0..=1.
    pub jitter: f64,
    pub only_missing: bool,
    pub min_ttl: Option<Duration>,
    pub max_bytes: Option<u64>,
    pub dry_run: bool,
    pub fail_fast: bool,
    pub wait_lock: Option<Duration>,
    /// Draw a progress bar (stderr is a terminal and the report is for people).
    pub progress: bool,
    /// `invalidate --rewarm`: delete keys the API would no longer cache.
    pub delete_stale: bool,
}

/// How hot columns are ranked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HotBy {
    /// Most lineage rows touching the column.
    Fanout,
    /// Redis's own access data (`OBJECT FREQ` or `OBJECT IDLETIME`).
    Cache,
    /// Teradata's query log (Teradata sources only).
    Dbql,
}

/// `invalidate --rewarm`: recompute every selected cached key in place, and delete the keys
/// the API would no longer cache (their dataset or column is gone).
pub fn rewarm(
    config: &Config,
    selection: Selection,
    rate: Option<u32>,
    progress: bool,
) -> anyhow::Result<Done<WarmReport>> {
    let opts = WarmOptions {
        selection,
        from_cache: true,
        expiring_within: None,
        hot: None,
        by: HotBy::Fanout,
        shape: plan::Shape {
            kinds: Kind::ALL.to_vec(),
            directions: Direction::ALL.to_vec(),
            page_sizes: vec![],
            key_form: plan::KeyForm::Id,
        },
        depth: config.validation.default_max_depth,
        per_key: false,
        concurrency: 4,
        rate,
        jitter: 0.1,
        only_missing: false,
        min_ttl: None,
        max_bytes: None,
        dry_run: false,
        fail_fast: false,
        wait_lock: Some(Duration::from_secs(60)),
        progress,
        delete_stale: true,
    };
    super::block_on(super::warm(config, opts))
}
