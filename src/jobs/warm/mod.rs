//! The warm job, shared by `warm` and `invalidate --rewarm`: fill the cache exactly as the
//! API would, fast, within Redis's memory, safe to run from cron.
use std::collections::HashMap;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use std::time::Instant;

use crate::app::report::Tally;
use crate::config::Config;
use crate::failure::{failed, Failure};
use crate::store::{Store, StoreError};

mod budget;
mod cache;
mod exec;
mod options;
mod plan;
mod report;
mod writer;

pub(crate) use cache::hot_by_fanout;
pub(crate) use options::rewarm;
pub use options::WarmOptions;
pub use plan::Shape;

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
fn block_on(warm: impl std::future::Future<Output = anyhow::Result<()>>) -> anyhow::Result<()> {
    let rt = crate::app::runtime::build()?;
    let result = rt.block_on(warm);
    rt.shutdown_background();
    result
}

/// Run a warm with checked options.
pub fn run(config: &Config, opts: WarmOptions) -> anyhow::Result<()> {
    block_on(warm(config, opts))
}

async fn warm(config: &Config, opts: WarmOptions) -> anyhow::Result<()> {
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
    let result = warm_locked(config, opts, store.clone(), source, stop, started).await;
    drop(ctrl_c);
    if let Some(l) = lock {
        l.release(&store).await;
    }
    result
}

/// The error of a run interrupted before it wrote anything.
fn interrupted_early(stop: &exec::Stop) -> anyhow::Result<()> {
    if stop.interrupted() {
        return Err(failed(
            Failure::Interrupted,
            "interrupted while planning: nothing was written",
        ));
    }
    Ok(())
}

async fn warm_locked(
    config: &Config,
    opts: WarmOptions,
    store: Store,
    source: Arc<dyn crate::source::LineageSource>,
    stop: Arc<exec::Stop>,
    started: Instant,
) -> anyhow::Result<()> {
    let opts = Arc::new(opts);
    let mut run = Run::default();
    let (src, o) = (source.clone(), opts.clone());
    let changed = match o.selection.changed_since {
        Some(ts) => tokio::task::spawn_blocking(move || src.changed_since(ts)).await??,
        None => Vec::new(),
    };
    interrupted_early(&stop)?;
    let phase = Instant::now();
    // The engine's bulk read and the plan's reads run side by side.
    let engine_load = (!opts.per_key).then(|| tokio::spawn(load_engine(source.clone())));
    let mut plan = if opts.from_cache {
        plan::Plan::default()
    } else {
        let (src, o, changed) = (source.clone(), opts.clone(), changed.clone());
        tokio::task::spawn_blocking(move || {
            plan::from_source(&o.selection, src.as_ref(), &o.shape, &changed)
        })
        .await??
    };
    tracing::info!(
        "planned from the source in {:.2?}{}",
        phase.elapsed(),
        crate::app::report::memory_note()
    );
    interrupted_early(&stop)?;
    let phase = Instant::now();
    let (engine, names) = match engine_load {
        None => (None, HashMap::new()),
        Some(task) => task.await??,
    };
    tracing::info!(
        "engine loaded in {:.2?}{}",
        phase.elapsed(),
        crate::app::report::memory_note()
    );
    interrupted_early(&stop)?;
    let phase = Instant::now();
    cache::add_cached_keys(
        &store,
        &opts,
        &mut plan,
        engine.as_deref(),
        &names,
        source.as_ref(),
    )
    .await?;
    plan.count(&opts.shape);
    if plan.unreachable > 0 {
        run.notes.push(format!(
            "{} of the {} planned keys hold a decoded dataset id, which the API's router never reads (it passes %2F through): they serve only an API whose router decodes; the default --key-form name writes the keys the API reads",
            plan.unreachable,
            plan.total()
        ));
    }
    if plan.ui_elsewhere > 0 {
        run.notes.push(format!(
            "{} of the planned keys are of datasets or columns whose names the UI escapes unlike Go (one of $&+,:;=@!*'()): the UI's request for them reaches the API still escaped and reads another key, which the API fills with a not-found answer; warm writes the key the API serves by name",
            plan.ui_elsewhere
        ));
    }
    tracing::info!(
        "{} keys planned in {:.2?}{}",
        plan.total(),
        phase.elapsed(),
        crate::app::report::memory_note()
    );
    let ctx = Arc::new(exec::Ctx {
        source,
        engine,
        names: Arc::new(names),
        store: store.clone(),
        opts: opts.clone(),
        ttls: config.ttls,
        stop,
        seed: AtomicU64::new(seed()),
        store_failure: Default::default(),
    });
    let before = crate::jobs::guard::memory::Memory::read(&store).await?;
    let phase = Instant::now();
    run.budget = budget::budget(&ctx, &plan, &before, &mut run.notes)?;
    tracing::info!(
        "memory budget checked in {:.2?}{}",
        phase.elapsed(),
        crate::app::report::memory_note()
    );
    interrupted_early(&ctx.stop)?;
    let bar = crate::app::report::progress::bar(
        plan.total(),
        "warm",
        crate::app::report::progress::visible(opts.format),
    );
    let plan = Arc::new(plan);
    let phase = Instant::now();
    exec::execute(
        ctx.clone(),
        plan.clone(),
        opts.shape.clone(),
        &mut run,
        &bar,
    )
    .await;
    tracing::info!(
        "values computed and written in {:.2?}{}",
        phase.elapsed(),
        crate::app::report::memory_note()
    );
    bar.finish_and_clear();
    // After a Redis failure the server is not asked again (it would only add a timeout).
    let after = match run.store_error {
        None => crate::jobs::guard::memory::Memory::read(&store).await.ok(),
        Some(_) => None,
    };
    report::finish(
        &opts,
        &plan,
        &run,
        &before,
        after.as_ref(),
        &ctx.stop,
        started.elapsed(),
    )
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

/// A seed for TTL jitter and lock tokens: the time and the process id.
pub(crate) fn seed() -> u64 {
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    (t as u64) ^ ((std::process::id() as u64) << 32)
}
