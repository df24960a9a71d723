//! The end of a warm: its typed report ([`WarmReport`], JSON by serde), the table and
//! Prometheus text it renders to, and how the run ended ([`outcome`]).
use serde::Serialize;

use super::plan::Plan;
use super::Run;
use crate::app::output::{paint, Tone};
use crate::app::report::export::Export;
use crate::app::report::{human_bytes, metrics, table, Tally};
use crate::jobs::guard::memory::Memory;
use crate::jobs::Outcome;

const OUTCOMES: [&str; 9] = [
    "written",
    "would-write",
    "skipped-existing",
    "skipped-ttl",
    "not-cached",
    "skipped-max-bytes",
    "deleted-stale",
    "cancelled",
    "failed",
];

/// What a warm says at its end.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WarmReport {
    pub status: &'static str,
    pub dry_run: bool,
    pub planned: u64,
    pub unreachable: u64,
    pub ui_reads_elsewhere: u64,
    #[serde(serialize_with = "tally_json")]
    pub kinds: Tally,
    pub written: u64,
    pub failed: u64,
    pub bytes: u64,
    pub seconds: f64,
    pub keys_per_second: f64,
    pub bytes_per_second: f64,
    pub redis: RedisMemory,
    pub failures: Vec<ItemFailure>,
    pub notes: Vec<String>,
    /// Keys written (or, in a dry run, that would be).
    #[serde(skip)]
    pub done: u64,
    /// Failures in all (`failures` lists the first ten).
    #[serde(skip)]
    pub failure_count: u64,
}

/// Redis's memory around the run.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RedisMemory {
    pub used_memory_before: u64,
    pub used_memory_after: Option<u64>,
    pub maxmemory: u64,
    pub policy: String,
    pub evicted_during_run: u64,
}

/// One key that failed, and why.
#[derive(Debug, Serialize)]
pub struct ItemFailure {
    pub key: String,
    pub error: String,
}

fn tally_json<S: serde::Serializer>(t: &Tally, s: S) -> Result<S::Ok, S::Error> {
    t.to_json().serialize(s)
}

impl WarmReport {
    /// The report of a finished run.
    pub(crate) fn new(
        (plan, run, dry_run): (&Plan, &Run, bool),
        before: &Memory,
        after: Option<&Memory>,
        interrupted: bool,
        secs: f64,
    ) -> WarmReport {
        let secs = secs.max(1e-9);
        let tally = &run.tally;
        let done = tally.total("written") + tally.total("would-write");
        let bytes = tally.total_bytes();
        let evicted = after.map_or(0, |a| a.evicted_keys.saturating_sub(before.evicted_keys));
        WarmReport {
            status: status(run, interrupted),
            dry_run,
            planned: plan.total(),
            unreachable: plan.unreachable,
            ui_reads_elsewhere: plan.ui_elsewhere,
            kinds: tally.clone(),
            written: tally.total("written"),
            failed: tally.total("failed"),
            bytes,
            seconds: secs,
            keys_per_second: done as f64 / secs,
            bytes_per_second: bytes as f64 / secs,
            redis: RedisMemory {
                used_memory_before: before.used,
                used_memory_after: after.map(|a| a.used),
                maxmemory: before.maxmemory,
                policy: before.policy.clone(),
                evicted_during_run: evicted,
            },
            failures: run
                .failures
                .iter()
                .map(|(key, error)| ItemFailure {
                    key: key.clone(),
                    error: error.clone(),
                })
                .collect(),
            notes: run.notes.clone(),
            done,
            failure_count: run.failure_count,
        }
    }
}

impl Export for WarmReport {
    fn table(&self) -> String {
        people(self)
    }

    fn json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }

    fn prometheus(&self) -> anyhow::Result<String> {
        Ok(metrics::render("warm", &self.kinds, &extra(self)))
    }
}

fn status(run: &Run, interrupted: bool) -> &'static str {
    if interrupted {
        "interrupted"
    } else if run.oom {
        "stopped-out-of-memory"
    } else if run.store_error.is_some() {
        "stopped-redis-error"
    } else if run.budget_hit {
        "stopped-at-max-bytes"
    } else if run.failure_count > 0 {
        "partial"
    } else {
        "ok"
    }
}

fn extra(r: &WarmReport) -> Vec<(&'static str, &'static str, f64)> {
    vec![
        (
            "success",
            "1 when the last run completed every item.",
            if r.status == "ok" { 1.0 } else { 0.0 },
        ),
        ("duration_seconds", "Duration of the last run.", r.seconds),
        (
            "evicted_keys",
            "Keys Redis evicted during the last run.",
            r.redis.evicted_during_run as f64,
        ),
        (
            "last_run_timestamp_seconds",
            "When the last run ended (Unix time).",
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs_f64())
                .unwrap_or(0.0),
        ),
    ]
}

/// The table for people: the kinds, then the summary, memory, failures and notes.
fn people(r: &WarmReport) -> String {
    let mut out = kinds_table(&r.kinds);
    let verb = if r.dry_run { "would write" } else { "wrote" };
    let tone = match r.status {
        "ok" => Tone::Good,
        "partial" | "stopped-at-max-bytes" | "interrupted" => Tone::Warn,
        _ => Tone::Bad,
    };
    let secs = r.seconds;
    out.push_str(&format!(
        "{}: {verb} {} of {} planned keys ({}) in {secs:.2}s, {:.0} keys/s, {}/s\n",
        paint(tone, r.status),
        r.done,
        r.planned,
        human_bytes(r.bytes),
        r.done as f64 / secs,
        human_bytes((r.bytes as f64 / secs) as u64)
    ));
    out.push_str(&memory_line(&r.redis));
    for f in &r.failures {
        out.push_str(&format!("failed: {}: {}\n", f.key, f.error));
    }
    let listed = r.failures.len() as u64;
    if r.failure_count > listed {
        out.push_str(&format!(
            "... and {} more failures\n",
            r.failure_count - listed
        ));
    }
    for n in &r.notes {
        out.push_str(&format!("note: {n}\n"));
    }
    out
}

/// One row per kind, one column per outcome that occurred, and the bytes.
fn kinds_table(tally: &Tally) -> String {
    let names = tally.outcome_names(&[]);
    let cols: Vec<&str> = OUTCOMES
        .iter()
        .copied()
        .filter(|o| names.contains(o))
        .collect();
    let mut header = vec!["kind"];
    let hdr: Vec<String> = cols.iter().map(|c| format!("#{c}")).collect();
    header.extend(hdr.iter().map(String::as_str));
    header.push("#bytes");
    let mut rows = Vec::new();
    for (kind, c) in &tally.by_kind {
        let mut r = vec![kind.to_string()];
        r.extend(
            cols.iter()
                .map(|o| c.outcomes.get(o).copied().unwrap_or(0).to_string()),
        );
        r.push(human_bytes(c.bytes));
        rows.push(r);
    }
    table::render(&header, &rows)
}

fn memory_line(m: &RedisMemory) -> String {
    let after = m
        .used_memory_after
        .map(human_bytes)
        .unwrap_or_else(|| "unknown".into());
    let limit = if m.maxmemory == 0 {
        "no limit".to_string()
    } else {
        human_bytes(m.maxmemory)
    };
    format!(
        "redis memory: {} before, {after} after (maxmemory {limit}, policy {}); evicted during run: {}\n",
        human_bytes(m.used_memory_before),
        m.policy,
        m.evicted_during_run
    )
}

/// How the run ended: a Redis failure is the error that stopped it (said after the report).
pub(crate) fn outcome(run: &Run, report: &WarmReport) -> anyhow::Result<Outcome> {
    if report.status == "interrupted" {
        return Ok(Outcome::Interrupted(
            "interrupted: stopped taking work, wrote the batches in flight".into(),
        ));
    }
    if let Some(e) = &run.store_error {
        return Err(anyhow::Error::new(e.clone()).context("warm stopped"));
    }
    if run.oom {
        return Ok(Outcome::Refused(
            "Redis answered OOM (maxmemory reached); warm stopped cleanly".into(),
        ));
    }
    Ok(match report.status {
        "ok" => Outcome::Complete,
        "stopped-at-max-bytes" => {
            Outcome::Partial("stopped at the memory budget (--max-bytes or maxmemory)".into())
        }
        _ => Outcome::Partial(format!("{} keys failed; see the report", run.failure_count)),
    })
}
