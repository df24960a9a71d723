//! What a sync says at its end: the command's status, the snapshots before and after (age,
//! size), what changed, and the keys read, deleted and rewritten by reason; as a table,
//! JSON (serde) and Prometheus text.
use std::collections::BTreeMap;

use serde::Serialize;

use super::clean::ReasonCounts;
use super::command::Ran;
use super::{Populate, SyncOptions};
use crate::app::output::{paint, Tone};
use crate::app::report::export::Export;
use crate::app::report::{human_bytes, table};
use crate::jobs::Outcome;
use crate::model::Timestamp;
use crate::source::snapshot::{Diff, EntityDiff, Snapshot};

/// The report of one sync.
#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncReport {
    pub status: &'static str,
    pub dry_run: bool,
    /// The populate command and how it ended (none with `--started-at`).
    pub command: Option<Ran>,
    /// With `--started-at`: when the run began.
    pub started_at: Option<String>,
    /// How the API's writes during the run were found: `keyspace-events` or `key-ages`.
    pub heard_by: &'static str,
    pub snapshot_before: Option<SnapshotFacts>,
    pub snapshot_after: Option<SnapshotFacts>,
    pub changes: Changes,
    /// Keys by why they were cleaned.
    pub reasons: BTreeMap<&'static str, ReasonCounts>,
    pub keys_read: u64,
    pub keys_deleted: u64,
    pub keys_rewritten: u64,
    /// Bytes read from Redis: the snapshot and the values compared.
    pub bytes_read: u64,
    pub settle_seconds: f64,
    pub seconds: f64,
    pub notes: Vec<String>,
}

/// A snapshot's age and size.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SnapshotFacts {
    pub taken_at: String,
    pub age_seconds: f64,
    pub bytes: u64,
    pub rows: u64,
    pub datasets: u64,
    pub fields: u64,
}

impl SnapshotFacts {
    pub(super) fn of(s: &Snapshot, bytes: u64) -> SnapshotFacts {
        let taken = s.taken_at_ms();
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as u64)
            .unwrap_or(taken);
        let at = Timestamp {
            secs: (taken / 1000) as i64,
            nanos: (taken % 1000) as u32 * 1_000_000,
        };
        SnapshotFacts {
            taken_at: at.to_rfc3339(),
            age_seconds: now.saturating_sub(taken) as f64 / 1000.0,
            bytes,
            rows: s.rows().len() as u64,
            datasets: s.datasets().len() as u64,
            fields: s.fields().len() as u64,
        }
    }
}

/// What changed between the snapshots.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Changes {
    pub rows_added: u64,
    pub rows_removed: u64,
    pub rows_repointed: u64,
    pub rows_reattributed: u64,
    pub datasets: Counted,
    pub fields: Counted,
    pub namespaces: Counted,
}

/// Added, removed and changed entities.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Counted {
    pub added: u64,
    pub removed: u64,
    pub changed: u64,
}

impl Counted {
    fn of<K>(d: &EntityDiff<K>) -> Counted {
        Counted {
            added: d.added.len() as u64,
            removed: d.removed.len() as u64,
            changed: d.changed.len() as u64,
        }
    }
}

impl Changes {
    pub(super) fn of(d: &Diff) -> Changes {
        let rows = d.lineage.counts();
        Changes {
            rows_added: rows.added as u64,
            rows_removed: rows.removed as u64,
            rows_repointed: rows.repointed as u64,
            rows_reattributed: rows.reattributed as u64,
            datasets: Counted::of(&d.datasets),
            fields: Counted::of(&d.fields),
            namespaces: Counted::of(&d.namespaces),
        }
    }
}

impl SyncReport {
    pub(super) fn new(opts: &SyncOptions) -> SyncReport {
        SyncReport {
            dry_run: opts.dry_run,
            started_at: match &opts.populate {
                Populate::StartedAt(ts) => Some(ts.to_rfc3339()),
                Populate::Command(_) => None,
            },
            settle_seconds: opts.settle.as_secs_f64(),
            ..SyncReport::default()
        }
    }

    pub(super) fn note(&mut self, text: impl Into<String>) {
        self.notes.push(text.into());
    }
}

/// The report's status word for how the sync ended.
pub(super) fn status(end: &anyhow::Result<Outcome>) -> &'static str {
    match end {
        Ok(Outcome::Complete) => "ok",
        Ok(Outcome::Interrupted(_)) => "interrupted",
        Ok(Outcome::Partial(_)) => "command-failed",
        Ok(_) => "stopped",
        Err(_) => "stopped-redis-error",
    }
}

impl Export for SyncReport {
    fn table(&self) -> String {
        people(self)
    }

    fn json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }

    fn prometheus(&self) -> anyhow::Result<String> {
        Ok(prometheus(self))
    }
}

fn people(r: &SyncReport) -> String {
    let header = ["reason", "#keys", "#cached", "#deleted", "#rewritten"];
    let rows: Vec<Vec<String>> = r
        .reasons
        .iter()
        .map(|(name, c)| {
            let n = |v: u64| v.to_string();
            vec![
                name.to_string(),
                n(c.keys),
                n(c.cached),
                n(c.deleted),
                n(c.rewritten),
            ]
        })
        .collect();
    let mut out = table::render(&header, &rows);
    let tone = if r.status == "ok" {
        Tone::Good
    } else {
        Tone::Warn
    };
    let verb = if r.dry_run { "would delete" } else { "deleted" };
    out.push_str(&format!(
        "{}: {verb} {} and rewrote {} keys of {} looked at, in {:.2}s; changes found by {}\n",
        paint(tone, r.status),
        r.keys_deleted,
        r.keys_rewritten,
        r.keys_read,
        r.seconds,
        r.heard_by
    ));
    if let Some(c) = &r.command {
        out.push_str(&format!(
            "command: {} ({}, {:.1}s)\n",
            c.argv.join(" "),
            c.status(),
            c.seconds
        ));
    }
    out.push_str(&changes_line(&r.changes));
    for (label, s) in [("before", &r.snapshot_before), ("after", &r.snapshot_after)] {
        if let Some(s) = s {
            out.push_str(&format!(
                "snapshot {label}: {} rows, {} ({}, {:.0}s old)\n",
                s.rows,
                human_bytes(s.bytes),
                s.taken_at,
                s.age_seconds
            ));
        }
    }
    for n in &r.notes {
        out.push_str(&format!("note: {n}\n"));
    }
    out
}

fn changes_line(c: &Changes) -> String {
    format!(
        "changes: rows +{} -{} re-pointed {} re-attributed {}; datasets +{} -{} ~{}; fields +{} -{} ~{}\n",
        c.rows_added,
        c.rows_removed,
        c.rows_repointed,
        c.rows_reattributed,
        c.datasets.added,
        c.datasets.removed,
        c.datasets.changed,
        c.fields.added,
        c.fields.removed,
        c.fields.changed
    )
}

/// The gauges a monitoring system scrapes after each run.
fn prometheus(r: &SyncReport) -> String {
    let mut out = String::new();
    let mut gauge = |name: &str, help: &str, samples: Vec<(String, f64)>| {
        out.push_str(&format!("# HELP lineage_cache_sync_{name} {help}\n"));
        out.push_str(&format!("# TYPE lineage_cache_sync_{name} gauge\n"));
        for (labels, v) in samples {
            out.push_str(&format!("lineage_cache_sync_{name}{labels} {v}\n"));
        }
    };
    let by_reason = |f: fn(&ReasonCounts) -> u64| -> Vec<(String, f64)> {
        r.reasons
            .iter()
            .map(|(n, c)| (format!("{{reason=\"{n}\"}}"), f(c) as f64))
            .collect()
    };
    gauge(
        "keys_deleted",
        "Keys deleted by the last sync, by reason.",
        by_reason(|c| c.deleted),
    );
    gauge(
        "keys_rewritten",
        "Keys rewritten by the last sync, by reason.",
        by_reason(|c| c.rewritten),
    );
    let one = |v: f64| vec![(String::new(), v)];
    gauge(
        "success",
        "1 when the last sync completed.",
        one(if r.status == "ok" { 1.0 } else { 0.0 }),
    );
    let code = r.command.as_ref().and_then(|c| c.exit_code).unwrap_or(-1);
    gauge(
        "command_exit_code",
        "Exit code of the last populate command (-1: none or a signal).",
        one(code as f64),
    );
    gauge(
        "keys_read",
        "Keys the last sync looked at.",
        one(r.keys_read as f64),
    );
    gauge(
        "duration_seconds",
        "Duration of the last sync.",
        one(r.seconds),
    );
    let snap = r.snapshot_after.as_ref().or(r.snapshot_before.as_ref());
    gauge(
        "snapshot_bytes",
        "Size of the saved lineage snapshot.",
        one(snap.map_or(0.0, |s| s.bytes as f64)),
    );
    gauge(
        "snapshot_age_seconds",
        "Age of the snapshot the last sync started from.",
        one(r.snapshot_before.as_ref().map_or(-1.0, |s| s.age_seconds)),
    );
    out
}
