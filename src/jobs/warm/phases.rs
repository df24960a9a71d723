//! The phases of one warm under its lock: plan the keys (from the source, the cache and the
//! hot-column ranking, the engine loading alongside), check the memory budget, compute and
//! write, then report. A Ctrl-C before anything is written ends the run with no report.
use std::collections::HashMap;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use std::time::Instant;

use super::budget::{self, Budget};
use super::exec;
use super::plan::{self, Plan};
use super::report::{self, WarmReport};
use super::work::{self, Stop};
use super::{cache, load_engine, Run, WarmOptions};
use crate::app::report::memory_note;
use crate::config::Config;
use crate::jobs::guard::memory::Memory;
use crate::jobs::seed;
use crate::jobs::{Done, Outcome};
use crate::source::engine::Engine;
use crate::source::LineageSource;
use crate::store::Store;

/// What a run works with.
pub(super) struct Job<'a> {
    pub config: &'a Config,
    pub opts: Arc<WarmOptions>,
    pub store: Store,
    pub source: Arc<dyn LineageSource>,
    pub stop: Arc<Stop>,
}

/// The plan with the engine and the dataset names it was made beside.
struct Planned {
    plan: Plan,
    engine: Option<Arc<Engine>>,
    names: HashMap<String, String>,
}

const NOTHING_WRITTEN: &str = "interrupted while planning: nothing was written";

impl Job<'_> {
    fn interrupted(&self) -> bool {
        self.stop.interrupted()
    }

    pub(super) async fn run(self, started: Instant) -> anyhow::Result<Done<WarmReport>> {
        let mut run = Run::default();
        let Some(planned) = self.plan(&mut run).await? else {
            return Ok(Done::early(Outcome::Interrupted(NOTHING_WRITTEN.into())));
        };
        let Planned {
            plan,
            engine,
            names,
        } = planned;
        let ctx = Arc::new(self.context(engine, names));
        let before = Memory::read(&self.store).await?;
        let phase = Instant::now();
        match budget::budget(&ctx, &plan, &before, &mut run.notes) {
            Budget::Allowed(b) => run.budget = b,
            Budget::Refused(why) => return Ok(Done::early(Outcome::Refused(why))),
        }
        tracing::info!(
            "memory budget checked in {:.2?}{}",
            phase.elapsed(),
            memory_note()
        );
        if self.interrupted() {
            return Ok(Done::early(Outcome::Interrupted(NOTHING_WRITTEN.into())));
        }
        let plan = Arc::new(plan);
        self.write(ctx, plan.clone(), &mut run).await;
        // After a Redis failure the server is not asked again (it would only add a timeout).
        let after = match run.store_error {
            None => Memory::read(&self.store).await.ok(),
            Some(_) => None,
        };
        let interrupted = self.interrupted();
        let shape = (plan.as_ref(), &run, self.opts.dry_run);
        let secs = started.elapsed().as_secs_f64();
        let report = WarmReport::new(shape, &before, after.as_ref(), interrupted, secs);
        let end = report::outcome(&run, &report);
        Ok(Done::ran(report, end))
    }

    /// The counted plan, or `None` when Ctrl-C came first.
    async fn plan(&self, run: &mut Run) -> anyhow::Result<Option<Planned>> {
        let changed = self.changed().await?;
        if self.interrupted() {
            return Ok(None);
        }
        let phase = Instant::now();
        // The engine's bulk read and the plan's reads run side by side.
        let engine_load =
            (!self.opts.per_key).then(|| tokio::spawn(load_engine(self.source.clone())));
        let mut plan = self.plan_from_source(changed).await?;
        tracing::info!(
            "planned from the source in {:.2?}{}",
            phase.elapsed(),
            memory_note()
        );
        if self.interrupted() {
            return Ok(None);
        }
        let phase = Instant::now();
        let (engine, names) = match engine_load {
            None => (None, HashMap::new()),
            Some(task) => task.await??,
        };
        tracing::info!("engine loaded in {:.2?}{}", phase.elapsed(), memory_note());
        if self.interrupted() {
            return Ok(None);
        }
        self.complete(&mut plan, engine.as_deref(), &names, run)
            .await?;
        Ok(Some(Planned {
            plan,
            engine,
            names,
        }))
    }

    /// The plan completed by the keys the cache and the hot-column ranking contribute,
    /// then counted; what it says of unreachable keys goes to the run's notes.
    async fn complete(
        &self,
        plan: &mut Plan,
        engine: Option<&Engine>,
        names: &HashMap<String, String>,
        run: &mut Run,
    ) -> anyhow::Result<()> {
        let phase = Instant::now();
        let (store, opts, src) = (&self.store, &self.opts, self.source.as_ref());
        cache::add_cached_keys(store, opts, plan, engine, names, src).await?;
        plan.count(&self.opts.shape);
        run.notes.extend(plan_notes(plan));
        tracing::info!(
            "{} keys planned in {:.2?}{}",
            plan.total(),
            phase.elapsed(),
            memory_note()
        );
        Ok(())
    }

    /// The datasets `--changed-since` names.
    async fn changed(&self) -> anyhow::Result<Vec<String>> {
        let Some(ts) = self.opts.selection.changed_since else {
            return Ok(Vec::new());
        };
        let src = self.source.clone();
        Ok(tokio::task::spawn_blocking(move || src.changed_since(ts)).await??)
    }

    async fn plan_from_source(&self, changed: Vec<String>) -> anyhow::Result<Plan> {
        if self.opts.from_cache {
            return Ok(Plan::default());
        }
        let (src, o) = (self.source.clone(), self.opts.clone());
        tokio::task::spawn_blocking(move || {
            plan::from_source(&o.selection, src.as_ref(), &o.shape, &changed)
        })
        .await?
    }

    fn context(&self, engine: Option<Arc<Engine>>, names: HashMap<String, String>) -> work::Ctx {
        work::Ctx {
            source: self.source.clone(),
            engine,
            names: Arc::new(names),
            store: self.store.clone(),
            opts: self.opts.clone(),
            ttls: self.config.ttls,
            stop: self.stop.clone(),
            seed: AtomicU64::new(seed()),
            store_failure: Default::default(),
        }
    }

    /// Compute and write every planned key, with a progress bar where one may be drawn.
    async fn write(&self, ctx: Arc<work::Ctx>, plan: Arc<Plan>, run: &mut Run) {
        let bar = crate::app::report::progress::bar(plan.total(), "warm", self.opts.progress);
        let phase = Instant::now();
        exec::execute(ctx, plan, self.opts.shape.clone(), run, &bar).await;
        tracing::info!(
            "values computed and written in {:.2?}{}",
            phase.elapsed(),
            memory_note()
        );
        bar.finish_and_clear();
    }
}

/// What the plan holds that the API cannot read as the UI asks.
fn plan_notes(plan: &Plan) -> Vec<String> {
    let mut notes = Vec::new();
    if plan.unreachable > 0 {
        notes.push(format!(
            "{} of the {} planned keys hold a decoded dataset id, which the API's router never reads (it passes %2F through): they serve only an API whose router decodes; the default --key-form name writes the keys the API reads",
            plan.unreachable,
            plan.total()
        ));
    }
    if plan.ui_elsewhere > 0 {
        notes.push(format!(
            "{} of the planned keys are of datasets or columns whose names the UI escapes unlike Go (one of $&+,:;=@!*'()): the UI's request for them reaches the API still escaped and reads another key, which the API fills with a not-found answer; warm writes the key the API serves by name",
            plan.ui_elsewhere
        ));
    }
    notes
}
