//! Cleaning a set of keys, each once, counted by why it was cleaned: deleted (`UNLINK`),
//! or, with `--rewarm` (and for `both` graphs, which the API cannot write), rewritten with
//! the value the API would write now (`SET … EX` of the class TTL, as the API does; deleted
//! when the API would no longer cache anything). Only keys that exist are rewritten: a
//! sync never fills what was not cached. Never a key outside the `ol:` prefix.
use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use super::flow::Sync;
use super::report::SyncReport;
use crate::jobs::rewrite::{is_both_graph, Rewriter};
use crate::keys::PREFIX;

/// Keys per round trip.
const BATCH: usize = 1_000;

/// Why a key is cleaned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Reason {
    /// A lineage graph holding a changed row.
    Lineage,
    /// A dataset, field list, statistics, DDL, namespace or page of a changed asset.
    Dataset,
    /// Judged against the source (no snapshot): not what the API would write now.
    Judged,
    /// Written by the API while the populate command ran.
    DuringRun,
    /// Written by the API during the first pass or the settle window.
    Settling,
}

impl Reason {
    pub(super) fn name(self) -> &'static str {
        match self {
            Reason::Lineage => "lineage-changed",
            Reason::Dataset => "dataset-changed",
            Reason::Judged => "judged-stale",
            Reason::DuringRun => "written-during-run",
            Reason::Settling => "written-while-settling",
        }
    }
}

/// What was done for one reason.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReasonCounts {
    /// Keys named for this reason (a key counts for the first reason it was cleaned for,
    /// and again when the API wrote it anew after that).
    pub keys: u64,
    /// Of those, cached when looked at.
    pub cached: u64,
    pub deleted: u64,
    pub rewritten: u64,
}

/// The keys cleaned so far and what was written.
pub(super) struct Cleaner {
    dry_run: bool,
    rewarm: bool,
    delete_both: bool,
    seen: HashSet<String>,
    counts: BTreeMap<Reason, ReasonCounts>,
    /// Values this sync wrote, to tell its writes from the API's later.
    ours: HashMap<String, Vec<u8>>,
    /// `both` graphs this sync wrote. The API cannot write one (contract §1), so one
    /// written since is still ours (or another run's value of today's lineage): neither
    /// its value kept nor read back.
    ours_both: HashSet<String>,
    rewriter: Option<Rewriter>,
    keys_read: u64,
    bytes_read: u64,
    /// Time spent computing and writing rewritten values (`-vv`).
    pub(super) rewriting: std::time::Duration,
}

impl Cleaner {
    pub(super) fn new(sync: &Sync) -> Cleaner {
        Cleaner {
            dry_run: sync.opts.dry_run,
            rewarm: sync.opts.rewarm,
            delete_both: sync.opts.delete_both,
            seen: HashSet::new(),
            counts: BTreeMap::new(),
            ours: HashMap::new(),
            ours_both: HashSet::new(),
            rewriter: None,
            keys_read: 0,
            bytes_read: 0,
            rewriting: std::time::Duration::ZERO,
        }
    }

    /// Keys cleaned (deleted or rewritten) so far.
    pub(super) fn cleaned(&self) -> u64 {
        self.deleted() + self.rewritten()
    }

    /// Keys deleted so far.
    pub(super) fn deleted(&self) -> u64 {
        self.counts.values().map(|c| c.deleted).sum()
    }

    /// Keys rewritten so far.
    pub(super) fn rewritten(&self) -> u64 {
        self.counts.values().map(|c| c.rewritten).sum()
    }

    /// Clean `keys` for `reason`: those not cleaned before, under the prefix.
    pub(super) async fn clean(
        &mut self,
        sync: &Sync<'_>,
        reason: Reason,
        keys: Vec<String>,
    ) -> anyhow::Result<()> {
        let fresh: Vec<String> = keys
            .into_iter()
            .filter(|k| k.starts_with(PREFIX) && self.seen.insert(k.clone()))
            .collect();
        self.counts.entry(reason).or_default().keys += fresh.len() as u64;
        for chunk in fresh.chunks(BATCH) {
            if sync.stop.stopped() {
                break;
            }
            self.clean_batch(sync, reason, chunk).await?;
        }
        Ok(())
    }

    /// One batch: what is cached of it, then deleted or rewritten.
    async fn clean_batch(
        &mut self,
        sync: &Sync<'_>,
        reason: Reason,
        keys: &[String],
    ) -> anyhow::Result<()> {
        let raw: Vec<Vec<u8>> = keys.iter().map(|k| k.clone().into_bytes()).collect();
        let exists = sync.store.exists_many(&raw).await?;
        self.keys_read += raw.len() as u64;
        let cached: Vec<&String> = keys
            .iter()
            .zip(&exists)
            .filter(|(_, e)| **e)
            .map(|(k, _)| k)
            .collect();
        let (rewrite, delete): (Vec<&String>, Vec<&String>) =
            cached.iter().partition(|k| self.rewrites(k));
        let counts = self.counts.entry(reason).or_default();
        counts.cached += cached.len() as u64;
        if self.dry_run {
            counts.deleted += delete.len() as u64;
            counts.rewritten += rewrite.len() as u64;
            return Ok(());
        }
        let gone: Vec<Vec<u8>> = delete.iter().map(|k| k.as_bytes().to_vec()).collect();
        let deleted = if gone.is_empty() {
            0
        } else {
            sync.store.unlink_many(&gone).await?
        };
        self.counts.entry(reason).or_default().deleted += deleted;
        self.rewrite(sync, reason, &rewrite).await
    }

    /// Whether a cached key is rewritten rather than deleted.
    fn rewrites(&self, key: &str) -> bool {
        self.rewarm || (is_both_graph(key) && !self.delete_both)
    }

    /// Rewrite `keys` with the values the API would write now; delete those it would no
    /// longer cache.
    async fn rewrite(
        &mut self,
        sync: &Sync<'_>,
        reason: Reason,
        keys: &[&String],
    ) -> anyhow::Result<()> {
        if keys.is_empty() {
            return Ok(());
        }
        let started = std::time::Instant::now();
        let keys: Vec<String> = keys.iter().map(|k| (*k).clone()).collect();
        let rewriter = self
            .rewriter
            .get_or_insert_with(|| Rewriter::new(sync.config, sync.source.clone()));
        let done = rewriter.rewrite(sync.config, &sync.store, &keys).await?;
        self.rewriting += started.elapsed();
        let counts = self.counts.entry(reason).or_default();
        counts.rewritten += done.written.len() as u64;
        counts.deleted += done.deleted;
        for (key, value) in done.written {
            if is_both_graph(&key) {
                self.ours_both.insert(key);
            } else {
                self.ours.insert(key, value);
            }
        }
        Ok(())
    }

    /// Of `keys` (written since a point in time), those the API wrote: all but the keys
    /// that still hold the value this sync wrote, and the `both` graphs it wrote (which
    /// the API cannot write). They may be cleaned again.
    pub(super) async fn not_ours(
        &mut self,
        sync: &Sync<'_>,
        keys: Vec<String>,
    ) -> anyhow::Result<Vec<String>> {
        let (mine, theirs): (Vec<String>, Vec<String>) = keys
            .into_iter()
            .filter(|k| !self.ours_both.contains(k))
            .partition(|k| self.ours.contains_key(k));
        for k in &theirs {
            self.seen.remove(k);
        }
        let mut out = theirs;
        for chunk in mine.chunks(BATCH) {
            let raw: Vec<Vec<u8>> = chunk.iter().map(|k| k.clone().into_bytes()).collect();
            let values = sync.store.get_many(&raw).await?;
            self.keys_read += raw.len() as u64;
            for (k, v) in chunk.iter().zip(values) {
                self.bytes_read += v.as_ref().map_or(0, |b| b.len() as u64);
                if v.as_deref() != self.ours.get(k).map(Vec::as_slice) {
                    self.seen.remove(k);
                    out.push(k.clone());
                }
            }
        }
        Ok(out)
    }

    /// Put the counts into the report.
    pub(super) fn into_report(self, report: &mut SyncReport) {
        for (reason, c) in self.counts {
            report.keys_deleted += c.deleted;
            report.keys_rewritten += c.rewritten;
            report.reasons.insert(reason.name(), c);
        }
        report.keys_read += self.keys_read;
        report.bytes_read += self.bytes_read;
    }
}
