//! The end of a warm: the summary (table or JSON), the metrics file, and the exit code.
use std::time::Duration;

use serde_json::json;

use super::exec::Stop;
use super::plan::Plan;
use super::{Run, WarmOptions};
use crate::app::output::{paint, Tone};
use crate::app::report::export::{self, Export};
use crate::app::report::{human_bytes, metrics, table};
use crate::failure::{failed, Failure};
use crate::jobs::guard::memory::Memory;

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

/// Print the report, write the metrics file, and turn the run into the exit code.
pub(crate) fn finish(
    opts: &WarmOptions,
    plan: &Plan,
    run: &Run,
    before: &Memory,
    after: Option<&Memory>,
    stop: &Stop,
    elapsed: Duration,
) -> anyhow::Result<()> {
    let interrupted = stop.interrupted();
    let status = status(run, interrupted);
    let secs = elapsed.as_secs_f64().max(1e-9);
    let written = run.tally.total("written") + run.tally.total("would-write");
    let bytes = run.tally.total_bytes();
    let evicted = after
        .map(|a| a.evicted_keys.saturating_sub(before.evicted_keys))
        .unwrap_or(0);
    let report = Report {
        opts,
        plan,
        run,
        before,
        after,
        evicted,
        secs,
        status,
        written,
        bytes,
    };
    let text = export::render(opts.format, &report)?;
    crate::app::output::print(&text)?;
    if let Some(path) = &opts.metrics_file {
        metrics::write_atomic(
            path,
            &metrics::render("warm", &run.tally, &extra(status, secs, evicted)),
        )?;
    }
    exit_for(run, status, interrupted)
}

/// What a warm says at its end.
struct Report<'a> {
    opts: &'a WarmOptions,
    plan: &'a Plan,
    run: &'a Run,
    before: &'a Memory,
    after: Option<&'a Memory>,
    evicted: u64,
    secs: f64,
    status: &'static str,
    written: u64,
    bytes: u64,
}

impl Export for Report<'_> {
    fn table(&self) -> String {
        let r = self;
        people(
            r.opts, r.plan, r.run, r.before, r.after, r.evicted, r.secs, r.status,
        )
    }

    fn json(&self) -> serde_json::Value {
        let (opts, plan, run, before) = (self.opts, self.plan, self.run, self.before);
        let (secs, bytes) = (self.secs, self.bytes);
        json!({
            "status": self.status,
            "dryRun": opts.dry_run,
            "planned": plan.total(),
            "unreachable": plan.unreachable,
            "uiReadsElsewhere": plan.ui_elsewhere,
            "kinds": run.tally.to_json(),
            "written": run.tally.total("written"),
            "failed": run.tally.total("failed"),
            "bytes": bytes,
            "seconds": secs,
            "keysPerSecond": self.written as f64 / secs,
            "bytesPerSecond": bytes as f64 / secs,
            "redis": {
                "usedMemoryBefore": before.used,
                "usedMemoryAfter": self.after.map(|a| a.used),
                "maxmemory": before.maxmemory,
                "policy": before.policy,
                "evictedDuringRun": self.evicted,
            },
            "failures": run.failures.iter().map(|(k, e)| json!({"key": k, "error": e})).collect::<Vec<_>>(),
            "notes": run.notes,
        })
    }

    fn prometheus(&self) -> anyhow::Result<String> {
        let extra = extra(self.status, self.secs, self.evicted);
        Ok(metrics::render("warm", &self.run.tally, &extra))
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

fn extra(status: &str, secs: f64, evicted: u64) -> Vec<(&'static str, &'static str, f64)> {
    vec![
        (
            "success",
            "1 when the last run completed every item.",
            if status == "ok" { 1.0 } else { 0.0 },
        ),
        ("duration_seconds", "Duration of the last run.", secs),
        (
            "evicted_keys",
            "Keys Redis evicted during the last run.",
            evicted as f64,
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

#[allow(clippy::too_many_arguments)]
fn people(
    opts: &WarmOptions,
    plan: &Plan,
    run: &Run,
    before: &Memory,
    after: Option<&Memory>,
    evicted: u64,
    secs: f64,
    status: &str,
) -> String {
    let names = run.tally.outcome_names(&[]);
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
    for (kind, c) in &run.tally.by_kind {
        let mut r = vec![kind.to_string()];
        r.extend(
            cols.iter()
                .map(|o| c.outcomes.get(o).copied().unwrap_or(0).to_string()),
        );
        r.push(human_bytes(c.bytes));
        rows.push(r);
    }
    let mut out = table::render(&header, &rows);
    let done = run.tally.total("written") + run.tally.total("would-write");
    let bytes = run.tally.total_bytes();
    let verb = if opts.dry_run { "would write" } else { "wrote" };
    let tone = match status {
        "ok" => Tone::Good,
        "partial" | "stopped-at-max-bytes" | "interrupted" => Tone::Warn,
        _ => Tone::Bad,
    };
    out.push_str(&format!(
        "{}: {verb} {done} of {} planned keys ({}) in {secs:.2}s, {:.0} keys/s, {}/s\n",
        paint(tone, status),
        plan.total(),
        human_bytes(bytes),
        done as f64 / secs,
        human_bytes((bytes as f64 / secs) as u64)
    ));
    let after_used = after
        .map(|a| human_bytes(a.used))
        .unwrap_or_else(|| "unknown".into());
    let limit = if before.maxmemory == 0 {
        "no limit".to_string()
    } else {
        human_bytes(before.maxmemory)
    };
    out.push_str(&format!(
        "redis memory: {} before, {after_used} after (maxmemory {limit}, policy {}); evicted during run: {evicted}\n",
        human_bytes(before.used),
        before.policy
    ));
    for (k, e) in &run.failures {
        out.push_str(&format!("failed: {k}: {e}\n"));
    }
    if run.failure_count > run.failures.len() as u64 {
        out.push_str(&format!(
            "... and {} more failures\n",
            run.failure_count - run.failures.len() as u64
        ));
    }
    for n in &run.notes {
        out.push_str(&format!("note: {n}\n"));
    }
    out
}

fn exit_for(run: &Run, status: &str, interrupted: bool) -> anyhow::Result<()> {
    if interrupted {
        return Err(failed(
            Failure::Interrupted,
            "interrupted: stopped taking work, wrote the batches in flight",
        ));
    }
    if let Some(e) = &run.store_error {
        return Err(anyhow::Error::new(e.clone()).context("warm stopped"));
    }
    if run.oom {
        return Err(failed(
            Failure::Refused,
            "Redis answered OOM (maxmemory reached); warm stopped cleanly",
        ));
    }
    match status {
        "ok" => Ok(()),
        "stopped-at-max-bytes" => Err(failed(
            Failure::Partial,
            "stopped at the memory budget (--max-bytes or maxmemory)",
        )),
        _ => Err(failed(
            Failure::Partial,
            format!("{} keys failed; see the report", run.failure_count),
        )),
    }
}
