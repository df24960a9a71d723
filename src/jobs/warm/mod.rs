//! The warm job, shared by `warm` and `invalidate --rewarm`: fill the cache exactly as the
//! API would, fast, within Redis's memory, safe to run from cron.
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use crate::app::report::Tally;
use crate::config::Config;
use crate::jobs::{Done, Outcome};
use crate::source::LineageSource;
use crate::store::{Store, StoreError};

mod budget;
mod cache;
mod exec;
mod options;
mod phases;
mod plan;
mod report;
mod writer;

pub(crate) use cache::hot_by_fanout;
pub use options::{rewarm, HotBy, WarmOptions};
pub use plan::{KeyForm, Shape};
pub use report::WarmReport;

/// The state of a run, filled as it goes.
#[derive(Default)]
pub(crate) struct Run {
    pub tally: Tally,
    pub failures: Vec<(String, String)>,
    pub failure_count: u64,
    pub oom: bool,
    pub store_error: Option<StoreError>,
    /// Bytes allowed (`--max-bytes` or the memory budget), and bytes accepted so far.
    pub budget: Option<u64>,
    pub accepted: u64,
    pub budget_hit: bool,
    pub notes: Vec<String>,
}

impl Run {
    pub fn note_failure(&mut self, key: &str, error: &str) {
        self.failure_count += 1;
        if self.failures.len() < 10 {
            self.failures.push((key.to_string(), error.to_string()));
        }
    }

    /// Account `n` more bytes; true when the budget does not allow them.
    pub fn budget_exhausted(&mut self, n: u64) -> bool {
        match self.budget {
            Some(b) if self.accepted + n > b => {
                self.budget_hit = true;
                true
            }
            _ => {
                self.accepted += n;
                false
            }
        }
    }
}

/// Run a warm on its own runtime. Once it returns, nothing left in the runtime matters: an
/// engine load still reading after a failed or interrupted plan is not waited for.
fn block_on<T>(warm: impl std::future::Future<Output = anyhow::Result<T>>) -> anyhow::Result<T> {
    let rt = crate::app::runtime::build()?;
    let result = rt.block_on(warm);
    rt.shutdown_background();
    result
}

/// Run a warm with checked options: its report, and how it ended.
pub fn run(config: &Config, opts: WarmOptions) -> anyhow::Result<Done<WarmReport>> {
    block_on(warm(config, opts))
}

async fn warm(config: &Config, opts: WarmOptions) -> anyhow::Result<Done<WarmReport>> {
    let started = Instant::now();
    // Listen for Ctrl-C from the start: before this, SIGINT would kill the process with
    // the lock held (and no report).
    let stop = Arc::new(exec::Stop::default());
    let ctrl_c = crate::app::runtime::CtrlC::watch(stop.clone());
    let store = Store::connect(config).await?;
    let source = crate::source::open(config)?;
    let lock = if opts.dry_run {
        None
    } else {
        Some(crate::jobs::guard::lock::acquire(&store, config, opts.wait_lock).await?)
    };
    let dry_run = opts.dry_run;
    let job = phases::Job {
        config,
        opts: Arc::new(opts),
        store: store.clone(),
        source: source.clone(),
        stop,
    };
    let result = job.run(started).await;
    drop(ctrl_c);
    if !dry_run
        && matches!(
            &result,
            Ok(Done {
                end: Ok(Outcome::Complete),
                ..
            })
        )
    {
        save_first_snapshot(&store, config, source).await;
    }
    if let Some(l) = lock {
        l.release(&store).await;
    }
    result
}

async fn load_engine(
    source: Arc<dyn crate::source::LineageSource>,
) -> anyhow::Result<(
    Option<Arc<crate::source::engine::Engine>>,
    HashMap<String, String>,
)> {
    tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
        let engine = crate::source::engine::Engine::load(source.as_ref())?;
        let mut names = HashMap::new();
        for d in source.all_datasets()? {
            names.insert(d.id.clone(), d.name.clone());
            names.insert(d.name.clone(), d.name);
        }
        Ok((Some(Arc::new(engine)), names))
    })
    .await?
}

/// Save the lineage snapshot `sync` diffs against when there is none; a failure is a
/// warning (the warm itself went well, and `sync` can do without one).
async fn save_first_snapshot(store: &Store, config: &Config, source: Arc<dyn LineageSource>) {
    match crate::jobs::saved::create_if_missing(store, config, source).await {
        Ok(Some(bytes)) => tracing::info!("lineage snapshot saved for sync ({bytes} bytes)"),
        Ok(None) => {}
        Err(e) => tracing::warn!("no lineage snapshot saved for sync: {e:#}"),
    }
}

/// A seed for TTL jitter and lock tokens: the time and the process id.
pub(crate) fn seed() -> u64 {
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    (t as u64) ^ ((std::process::id() as u64) << 32)
}
