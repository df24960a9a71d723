//! The warm job, shared by `warm` and `invalidate --rewarm`: fill the cache exactly as the
//! API would, fast, within Redis's memory, safe to run from cron.
use std::collections::HashMap;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::app::report::{parse_bytes, parse_duration, Tally};
use crate::cli::{Format, HotBy, WarmArgs};
use crate::config::Config;
use crate::exit::{self, usage};
use crate::keys::Kind;
use crate::select::Selection;
use crate::source::Direction;
use crate::store::{Store, StoreError};

mod cache;
mod exec;
mod lock;
mod memory;
mod plan;
mod report;
mod writer;

/// Checked options of one run.
#[derive(Debug)]
pub(crate) struct WarmOptions {
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
    pub metrics_file: Option<std::path::PathBuf>,
    pub format: Format,
    /// `invalidate --rewarm`: delete keys the API would no longer cache.
    pub delete_stale: bool,
}

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

fn to_dir(d: crate::cli::DirectionArg) -> Direction {
    crate::app::convert::direction_of(d)
}

/// Turn raw arguments into checked options before any work.
fn options(config: &Config, a: WarmArgs) -> anyhow::Result<WarmOptions> {
    let selection = crate::app::convert::selection(&a.selection, &config.validation)?;
    if selection.is_empty() && !a.from_cache && a.hot.is_none() {
        return Err(usage(
            "nothing to warm: give --all, --namespace, --dataset, --field, --key, --keys-file, --from-cache or --hot N",
        ));
    }
    let v = &config.validation;
    let depth = a.depth.unwrap_or(v.default_max_depth);
    if depth < v.min_max_depth || depth > v.max_depth_limit {
        return Err(usage(format!(
            "--depth must be from {} to {} (VALIDATION_MIN_MAX_DEPTH..VALIDATION_MAX_DEPTH_LIMIT), got {depth}",
            v.min_max_depth, v.max_depth_limit
        )));
    }
    if !(0.0..=100.0).contains(&a.ttl_jitter) || a.ttl_jitter.is_nan() {
        return Err(usage(format!(
            "--ttl-jitter must be a percentage from 0 to 100, got {}",
            a.ttl_jitter
        )));
    }
    if a.concurrency == 0 || a.concurrency > 256 {
        return Err(usage("--concurrency must be from 1 to 256"));
    }
    if a.rate == Some(0) {
        return Err(usage("--rate must be above 0"));
    }
    for &p in &a.page_sizes {
        crate::keys::check_limit(p)
            .map_err(|_| usage(format!("--page-sizes: {p} is not from 1 to 500")))?;
    }
    if a.expiring_within.is_some() && !a.from_cache {
        return Err(usage("--expiring-within goes with --from-cache"));
    }
    let dur =
        |flag: &str, v: &Option<String>| v.as_deref().map(|s| parse_duration(flag, s)).transpose();
    let max_bytes = match &a.max_bytes {
        None => None,
        Some(s) => Some(
            parse_bytes(s)
                .ok_or_else(|| usage(format!("--max-bytes {s:?} is not a size like 512MB")))?,
        ),
    };
    let kinds = effective_kinds(&a, &selection);
    let directions = if a.directions.is_empty() {
        Direction::ALL.to_vec()
    } else {
        a.directions.iter().map(|d| to_dir(*d)).collect()
    };
    let page_sizes = if a.page_sizes.is_empty() {
        vec![crate::keys::DEFAULT_LIMIT, 50]
    } else {
        a.page_sizes.clone()
    };
    Ok(WarmOptions {
        from_cache: a.from_cache,
        expiring_within: dur("--expiring-within", &a.expiring_within)?,
        hot: a.hot,
        by: a.by,
        shape: plan::Shape {
            kinds,
            directions,
            page_sizes,
            key_form: a.key_form,
        },
        depth,
        per_key: a.per_key,
        concurrency: a.concurrency,
        rate: a.rate,
        jitter: a.ttl_jitter / 100.0,
        only_missing: a.only_missing,
        min_ttl: dur("--min-ttl", &a.min_ttl)?,
        max_bytes,
        dry_run: a.dry_run,
        fail_fast: a.fail_fast,
        wait_lock: dur("--wait-lock", &a.wait_lock)?,
        metrics_file: a.metrics_file,
        format: a.format,
        selection,
        delete_stale: false,
    })
}

/// `--kind` when given; otherwise every kind but search (search keys only come from the
/// cache), and only lineage graphs for column selections and hot columns.
fn effective_kinds(a: &WarmArgs, sel: &Selection) -> Vec<Kind> {
    if !sel.kinds.is_empty() {
        return sel.kinds.clone();
    }
    let column_only = sel.datasets.is_empty()
        && sel.namespaces.is_empty()
        && !sel.all
        && sel.changed_since.is_none();
    if column_only && (a.hot.is_some() || !sel.fields.is_empty()) {
        return vec![Kind::LineageGraph];
    }
    Kind::ALL
        .iter()
        .copied()
        .filter(|k| *k != Kind::DatasetSearch)
        .collect()
}

/// `invalidate --rewarm`: recompute every selected cached key in place, and delete the keys
/// the API would no longer cache (their dataset or column is gone).
pub(crate) fn rewarm(
    config: &Config,
    selection: Selection,
    rate: Option<u32>,
    metrics_file: Option<std::path::PathBuf>,
    format: Format,
) -> anyhow::Result<()> {
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
            key_form: crate::cli::KeyForm::Id,
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
        metrics_file,
        format,
        delete_stale: true,
    };
    block_on(warm(config, opts))
}

/// Run a warm on its own runtime. Once it returns, nothing left in the runtime matters: an
/// engine load still reading after a failed or interrupted plan is not waited for.
fn block_on(warm: impl std::future::Future<Output = anyhow::Result<()>>) -> anyhow::Result<()> {
    let rt = crate::app::runtime::build()?;
    let result = rt.block_on(warm);
    rt.shutdown_background();
    result
}

pub fn run(config: &Config, args: WarmArgs) -> anyhow::Result<()> {
    let opts = options(config, args)?;
    block_on(warm(config, opts))
}

async fn warm(config: &Config, opts: WarmOptions) -> anyhow::Result<()> {
    let started = Instant::now();
    // Listen for Ctrl-C from the start: before this, SIGINT would kill the process with
    // the lock held (and no report).
    let stop = Arc::new(exec::Stop::default());
    let watcher = stop.clone();
    let ctrl_c = tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            watcher
                .interrupted
                .store(true, std::sync::atomic::Ordering::Relaxed);
            watcher.stop();
        }
    });
    let store = Store::connect(config).await?;
    let source = crate::source::open(config)?;
    let lock = if opts.dry_run {
        None
    } else {
        Some(lock::acquire(&store, config, opts.wait_lock).await?)
    };
    let result = warm_locked(config, opts, store.clone(), source, stop, started).await;
    ctrl_c.abort();
    if let Some(l) = lock {
        l.release(&store).await;
    }
    result
}

/// The error of a run interrupted before it wrote anything.
fn interrupted_early(stop: &exec::Stop) -> anyhow::Result<()> {
    if stop.interrupted.load(std::sync::atomic::Ordering::Relaxed) {
        return Err(exit::coded(
            exit::INTERRUPTED,
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
    let before = memory::Memory::read(&store).await?;
    let phase = Instant::now();
    run.budget = memory::budget(&ctx, &plan, &before, &mut run.notes)?;
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
        None => memory::Memory::read(&store).await.ok(),
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

fn seed() -> u64 {
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    (t as u64) ^ ((std::process::id() as u64) << 32)
}
