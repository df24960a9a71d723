//! The steps of one sync under the warm lock: hear the run, run the command, clean after
//! it (first pass), settle, clean again, save the new snapshot.
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::clean::{Cleaner, Reason};
use super::command::Ran;
use super::report::{SnapshotFacts, SyncReport};
use super::{written, Populate, SyncOptions, Watching};
use crate::app::runtime::{CtrlC, Stop};
use crate::config::Config;
use crate::jobs::saved::{self, Saved};
use crate::jobs::{Done, Outcome};
use crate::source::snapshot::Snapshot;
use crate::source::LineageSource;
use crate::store::{Store, Watch};

/// What a sync works with.
pub(super) struct Sync<'a> {
    pub config: &'a Config,
    pub opts: SyncOptions,
    pub store: Store,
    pub source: Arc<dyn LineageSource>,
    pub stop: Arc<Stop>,
    /// Keyspace events, when the server allows them.
    pub watch: Option<Watch>,
    /// The server time the events were heard from (none heard before it).
    pub listening_since_ms: i64,
    pub report: SyncReport,
}

pub(super) async fn run(config: &Config, opts: SyncOptions) -> anyhow::Result<Done<SyncReport>> {
    let started = Instant::now();
    let stop = Arc::new(Stop::default());
    let ctrl_c = CtrlC::watch(stop.clone());
    let store = Store::connect(config).await?;
    let source = crate::source::open(config)?;
    let lock = if opts.dry_run {
        None
    } else {
        Some(crate::jobs::guard::lock::acquire(&store, config, opts.wait_lock).await?)
    };
    let report = SyncReport::new(&opts);
    let mut sync = Sync {
        config,
        opts,
        store: store.clone(),
        source,
        stop,
        watch: None,
        listening_since_ms: i64::MAX,
        report,
    };
    let result = sync.steps(started).await;
    if let Some(w) = sync.watch.take() {
        w.stop(&store).await;
    }
    drop(ctrl_c);
    if let Some(l) = lock {
        l.release(&store).await;
    }
    result
}

impl Sync<'_> {
    async fn steps(&mut self, started: Instant) -> anyhow::Result<Done<SyncReport>> {
        let t = Instant::now();
        let old = self.read_snapshot().await?;
        tracing::debug!(
            "sync: saved snapshot read and checked in {:.2?}",
            t.elapsed()
        );
        self.start_hearing().await?;
        let since_ms = match self.populate().await? {
            Ok(since) => since,
            Err(outcome) => return Ok(self.done(started, Ok(outcome))),
        };
        let first_pass_ms = written::server_ms(&self.store).await?;
        let mut cleaner = Cleaner::new(self);
        let new = self.first_pass(&mut cleaner, old, since_ms).await;
        let new = match new {
            Ok(n) => n,
            Err(e) => return Ok(self.done_with(started, cleaner, Err(e))),
        };
        if let Err(e) = self.settle_pass(&mut cleaner, first_pass_ms).await {
            return Ok(self.done_with(started, cleaner, Err(e)));
        }
        let end = self.finish(&cleaner, new).await;
        Ok(self.done_with(started, cleaner, end))
    }

    /// The saved snapshot, said in the report either way.
    async fn read_snapshot(&mut self) -> anyhow::Result<Option<Snapshot>> {
        Ok(match saved::read(&self.store, self.config).await? {
            Saved::Found { snapshot, bytes } => {
                self.report.snapshot_before = Some(SnapshotFacts::of(&snapshot, bytes));
                Some(snapshot)
            }
            Saved::Missing => {
                self.report.note("no snapshot of the lineage is saved (warm and sync save one): every cached value is judged against the source instead");
                None
            }
            Saved::Unusable(why) => {
                self.report.note(format!(
                    "{why}: every cached value is judged against the source instead"
                ));
                None
            }
        })
    }

    /// Listen for the API's writes where the server allows it.
    async fn start_hearing(&mut self) -> anyhow::Result<()> {
        if self.opts.watching == Watching::Ages {
            self.report.heard_by = "key-ages";
            return Ok(());
        }
        match self
            .store
            .watch_writes(self.config, crate::keys::PREFIX)
            .await?
        {
            Ok(w) => {
                self.watch = Some(w);
                self.listening_since_ms = written::server_ms(&self.store).await?;
                self.report.heard_by = "keyspace-events";
            }
            Err(why) if self.opts.watching == Watching::Events => {
                return Err(crate::failure::bad_input(format!(
                    "--watch on: {why}; nothing was run"
                )))
            }
            Err(why) => {
                self.report.heard_by = "key-ages";
                self.report.note(format!(
                    "keyspace events are not available ({why}): the writes of the run are found by key age, one scan of the cache"
                ));
            }
        }
        Ok(())
    }

    /// Run the command (or take the run from `--started-at`): the server time the run's
    /// window began at, or how the sync ends when the command failed.
    async fn populate(&mut self) -> anyhow::Result<Result<i64, Outcome>> {
        let (argv, began) = match &self.opts.populate {
            Populate::StartedAt(ts) => {
                if self.watch.is_some() {
                    self.report.heard_by = "key-ages";
                    self.report.note("the run started before sync listened: its writes were found by key age (one scan of the cache), those of the settle window by keyspace events");
                }
                (None, ts.secs * 1000 + (ts.nanos / 1_000_000) as i64)
            }
            Populate::Command(argv) => (Some(argv.clone()), written::server_ms(&self.store).await?),
        };
        let since = self.window_start(began).await?;
        let Some(argv) = argv else {
            return Ok(Ok(since));
        };
        let stop = self.stop.clone();
        let ran: Ran =
            tokio::task::spawn_blocking(move || super::command::run(&argv, &stop)).await??;
        let ok = ran.ok();
        self.report.command = Some(ran.clone());
        if ok && !self.stop.interrupted() {
            return Ok(Ok(since));
        }
        // A failed or interrupted run: clean what the API wrote meanwhile (the cleaner takes
        // no work once Ctrl-C came), keep the snapshot. A Ctrl-C reaches the command too, and
        // may be heard here only after the command ended: so it is asked about after cleaning.
        let mut cleaner = Cleaner::new(self);
        let heard = self.heard_since(since).await?;
        cleaner.clean(self, Reason::DuringRun, heard).await?;
        let cleaned = cleaner.cleaned();
        cleaner.into_report(&mut self.report);
        Ok(Err(match self.stop.interrupted() {
            true => Outcome::Interrupted(format!(
                "interrupted: the populate command ended ({}); {cleaned} keys the API wrote meanwhile were cleaned, then sync stopped; the snapshot was kept and the run stays marked unfinished: the next sync cleans what was written since it began",
                ran.status()
            )),
            false => Outcome::Partial(format!(
                "the populate command failed ({}): what the API wrote meanwhile was cleaned, the snapshot kept",
                ran.status()
            )),
        }))
    }

    /// Where the window of the run's writes begins: when it began, or when an earlier run
    /// began that no sync completed after (a failed command, a stopped or failed sync): the
    /// API cached from its half-written tables until now. Marked in Redis until this sync
    /// completes (not with `--dry-run`).
    async fn window_start(&mut self, began: i64) -> anyhow::Result<i64> {
        let since = match saved::unfinished(&self.store, self.config).await? {
            Some(earlier) if earlier < began => {
                let at = crate::model::Timestamp {
                    secs: earlier.div_euclid(1000),
                    nanos: (earlier.rem_euclid(1000) * 1_000_000) as u32,
                };
                self.report.note(format!(
                    "a run that began at {} was never synced to its end: what was written since then is cleaned as written during the run",
                    at.to_rfc3339()
                ));
                earlier
            }
            _ => began,
        };
        if !self.opts.dry_run {
            saved::mark_unfinished(&self.store, self.config, since).await?;
        }
        Ok(since)
    }

    /// Every key written since `since_ms` (server time) that we have not heard yet. The
    /// events cannot tell what was written before sync listened (a `--started-at` run):
    /// then, as when events were lost, the keys' ages do.
    pub(super) async fn heard_since(&mut self, since_ms: i64) -> anyhow::Result<Vec<String>> {
        if let Some(w) = &self.watch {
            w.catch_up(&self.store, Duration::from_secs(5)).await?;
            let heard = w.drain();
            if since_ms < self.listening_since_ms && !w.lost() {
                // A `--started-at` run, or an earlier run never synced to its end: each
                // said so where the window was set (`populate`, `window_start`).
                self.report.heard_by = "key-ages";
                return Ok(written::by_age(&self.store, &self.config.ttls, since_ms).await?);
            }
            if !w.lost() {
                let keys = heard.into_iter().filter_map(|k| String::from_utf8(k).ok());
                let mut keys: Vec<String> = keys.collect();
                keys.sort();
                return Ok(keys);
            }
            self.report.note("keyspace events were lost (a listener's connection ended or a marker did not arrive): the writes were found by key age");
            self.report.heard_by = "key-ages";
        }
        Ok(written::by_age(&self.store, &self.config.ttls, since_ms).await?)
    }

    /// The new snapshot, the keys the change made stale, and what was written during the
    /// run: asked about on a terminal when they are many, then cleaned.
    async fn first_pass(
        &mut self,
        cleaner: &mut Cleaner,
        old: Option<Snapshot>,
        since_ms: i64,
    ) -> anyhow::Result<Snapshot> {
        let t = Instant::now();
        let new = self.take_snapshot().await?;
        tracing::debug!("sync: new snapshot from the source in {:.2?}", t.elapsed());
        let t = Instant::now();
        let heard = self.heard_since(since_ms).await?;
        tracing::debug!(
            "sync: {} keys written during the run, found by {} in {:.2?}",
            heard.len(),
            self.report.heard_by,
            t.elapsed()
        );
        let mut batches = match &old {
            Some(old) => self.stale_keys(old, &new).await?,
            None => vec![(Reason::Judged, super::fallback::judged(self).await?)],
        };
        batches.push((Reason::DuringRun, heard));
        self.confirm(&batches)?;
        let t = Instant::now();
        for (reason, keys) in batches {
            cleaner.clean(self, reason, keys).await?;
        }
        tracing::debug!(
            "sync: first pass cleaned in {:.2?}, of which rewriting (the lineage loaded, values computed and written) {:.2?}",
            t.elapsed(),
            cleaner.rewriting
        );
        Ok(new)
    }

    /// The keys the change from `old` to `new` made stale, by reason.
    async fn stale_keys(
        &mut self,
        old: &Snapshot,
        new: &Snapshot,
    ) -> anyhow::Result<Vec<(Reason, Vec<String>)>> {
        let t = Instant::now();
        let diff = crate::source::snapshot::diff(old, new);
        self.report.changes = super::report::Changes::of(&diff);
        tracing::debug!("sync: snapshots diffed in {:.2?}", t.elapsed());
        let t = Instant::now();
        let depth = self.config.validation.max_depth_limit;
        let stale = super::keys::stale_keys(old, new, &diff, depth);
        tracing::debug!(
            "sync: {} stale graph keys and {} asset keys named in {:.2?}",
            stale.graphs.len(),
            stale.assets.len(),
            t.elapsed()
        );
        let t = Instant::now();
        let pages = super::pages::stale_pages(self, &stale).await?;
        tracing::debug!(
            "sync: {} cached list and search pages found in {:.2?}",
            pages.len(),
            t.elapsed()
        );
        let mut assets: Vec<String> = stale.assets.into_iter().collect();
        assets.extend(pages);
        Ok(vec![
            (Reason::Lineage, stale.graphs.into_iter().collect()),
            (Reason::Dataset, assets),
        ])
    }

    /// On a terminal, many keys are cleaned only once confirmed (`--yes` skips the
    /// question; without a terminal nothing is asked: a post-hook runs unattended).
    fn confirm(&self, batches: &[(Reason, Vec<String>)]) -> anyhow::Result<()> {
        let total: usize = batches.iter().map(|(_, k)| k.len()).sum();
        if self.opts.yes || self.opts.dry_run || total as u64 <= crate::jobs::stale::HANDFUL {
            return Ok(());
        }
        let mut lines = vec![format!("sync would clean up to {total} keys:")];
        for (reason, keys) in batches {
            lines.push(format!("  {:<24} {}", reason.name(), keys.len()));
        }
        let verb = if self.opts.rewarm {
            "Rewrite"
        } else {
            "Delete"
        };
        match crate::jobs::guard::confirm::ask_on_terminal(&lines, &format!("{verb} them?"))? {
            None | Some(true) => Ok(()),
            Some(false) => Err(crate::failure::bad_input(
                "not confirmed: nothing was cleaned and the snapshot was kept; run `sync --started-at` with the command's start to clean up",
            )),
        }
    }

    /// A snapshot of the source as it is now.
    async fn take_snapshot(&self) -> anyhow::Result<Snapshot> {
        saved::take(self.source.clone()).await
    }

    /// Wait `--settle`, then clean what was written since the first pass began (keys this
    /// sync rewrote and that still hold its value excepted).
    async fn settle_pass(&mut self, cleaner: &mut Cleaner, since_ms: i64) -> anyhow::Result<()> {
        let deadline = Instant::now() + self.opts.settle;
        while Instant::now() < deadline && !self.stop.stopped() {
            tokio::time::sleep(Duration::from_millis(100).min(deadline - Instant::now())).await;
        }
        self.report.settle_seconds = self.opts.settle.as_secs_f64();
        if self.stop.stopped() {
            return Ok(());
        }
        let t = Instant::now();
        let heard = self.heard_since(since_ms).await?;
        let theirs = cleaner.not_ours(self, heard).await?;
        let r = cleaner.clean(self, Reason::Settling, theirs).await;
        tracing::debug!("sync: settle pass in {:.2?}", t.elapsed());
        r
    }

    /// Save the new snapshot unless the run stopped short; how the sync ends.
    async fn finish(&mut self, cleaner: &Cleaner, new: Snapshot) -> anyhow::Result<Outcome> {
        if self.stop.interrupted() {
            return Ok(Outcome::Interrupted(format!(
                "interrupted: {} keys cleaned, then stopped (the batches in flight finished); the snapshot was kept: run `sync --started-at` again",
                cleaner.cleaned()
            )));
        }
        if self.opts.dry_run {
            return Ok(Outcome::Complete);
        }
        let t = Instant::now();
        let bytes = saved::write(&self.store, self.config, &new).await?;
        tracing::debug!(
            "sync: new snapshot saved ({bytes} bytes) in {:.2?}",
            t.elapsed()
        );
        self.report.snapshot_after = Some(SnapshotFacts::of(&new, bytes));
        saved::clear_unfinished(&self.store, self.config).await?;
        Ok(Outcome::Complete)
    }

    fn done(&mut self, started: Instant, end: anyhow::Result<Outcome>) -> Done<SyncReport> {
        let mut report = std::mem::take(&mut self.report);
        report.seconds = started.elapsed().as_secs_f64();
        report.status = super::report::status(&end);
        Done::ran(report, end)
    }

    /// How the sync ended, with what `cleaner` did; an error says how far it got.
    fn done_with(
        &mut self,
        started: Instant,
        cleaner: Cleaner,
        end: anyhow::Result<Outcome>,
    ) -> Done<SyncReport> {
        let end = end.map_err(|e| {
            if e.is::<crate::failure::BadInput>() {
                return e; // not confirmed: its message says what was done
            }
            e.context(format!(
                "sync stopped after deleting {} and rewriting {} keys (run `sync --started-at` again to finish)",
                cleaner.deleted(),
                cleaner.rewritten()
            ))
        });
        cleaner.into_report(&mut self.report);
        self.done(started, end)
    }
}
