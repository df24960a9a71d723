//! The end of an invalidate: counts per kind, bytes freed (estimated), metrics file.
use std::time::Duration;

use serde_json::json;

use crate::app::report::export::{self, Export};
use crate::app::report::{human_bytes, metrics, table};
use crate::jobs::stale::delete::Outcome;
use crate::jobs::stale::{Options, Path};

pub(crate) fn finish(opts: &Options, run: &Outcome, elapsed: Duration) -> anyhow::Result<()> {
    let secs = elapsed.as_secs_f64();
    let gone = run.matched.saturating_sub(run.deleted);
    let status = if run.interrupted { "interrupted" } else { "ok" };
    let summary = json!({
        "status": status,
        "dryRun": opts.dry_run,
        "matched": run.matched,
        "deleted": run.deleted,
        "alreadyGone": if run.deleting { gone } else { 0 },
        "bytesFreedEstimate": run.bytes,
        "seconds": secs,
        "kinds": run.tally.to_json(),
        "path": match opts.path { Path::Computed(_) => "computed", Path::Scan(_) => "scan" },
        "pathDetail": match &opts.path { Path::Computed(w) => Some(w), Path::Scan(why) => why.as_ref() },
    });
    let report = Report {
        opts,
        run,
        secs,
        gone,
        summary,
    };
    let text = export::render(opts.format, &report)?;
    crate::app::output::print(&text)?;
    if let Some(path) = &opts.metrics_file {
        let extra = [
            ("matched", "Keys the last run selected.", run.matched as f64),
            ("deleted", "Keys the last run deleted.", run.deleted as f64),
            (
                "bytes_freed_estimate",
                "Estimated bytes the last run freed.",
                run.bytes as f64,
            ),
            ("duration_seconds", "Duration of the last run.", secs),
            (
                "success",
                "1 when the last run completed.",
                if run.interrupted { 0.0 } else { 1.0 },
            ),
        ];
        metrics::write_atomic(path, &metrics::render("invalidate", &run.tally, &extra))?;
    }
    Ok(())
}

/// What an invalidate says at its end.
struct Report<'a> {
    opts: &'a Options,
    run: &'a Outcome,
    secs: f64,
    gone: u64,
    summary: serde_json::Value,
}

impl Export for Report<'_> {
    fn table(&self) -> String {
        people(self.opts, self.run, self.secs, self.gone)
    }

    /// The summary; a dry run adds the first keys it would delete.
    fn json(&self) -> serde_json::Value {
        let mut v = self.summary.clone();
        if self.opts.dry_run {
            v["keys"] = json!(self.run.sample_keys);
            v["keysShown"] = json!(self.run.sample_keys.len());
        }
        v
    }

    /// The summary line after the streamed keys.
    fn ndjson(&self) -> String {
        json!({ "summary": self.summary }).to_string() + "\n"
    }
}

fn people(opts: &Options, run: &Outcome, secs: f64, gone: u64) -> String {
    let rows: Vec<Vec<String>> = run
        .tally
        .by_kind
        .iter()
        .map(|(kind, c)| {
            let n = |o: &str| c.outcomes.get(o).copied().unwrap_or(0).to_string();
            if opts.dry_run {
                vec![kind.to_string(), n("matched")]
            } else {
                vec![kind.to_string(), n("matched"), n("deleted")]
            }
        })
        .collect();
    let header: &[&str] = if opts.dry_run {
        &["kind", "#would delete"]
    } else {
        &["kind", "#matched", "#deleted"]
    };
    let mut out = if rows.is_empty() {
        String::new()
    } else {
        table::render(header, &rows)
    };
    match &opts.path {
        Path::Computed(way) => out.push_str(&format!("keys {way}\n")),
        Path::Scan(Some(why)) => out.push_str(&format!("keys found by a scan: {why}\n")),
        Path::Scan(None) => {}
    }
    if opts.dry_run {
        out.push_str(&format!(
            "dry run: would delete {} keys (about {}); nothing was deleted\n",
            run.matched,
            human_bytes(run.bytes)
        ));
        for k in &run.sample_keys {
            out.push_str(&format!("  {k}\n"));
        }
        if run.matched > run.sample_keys.len() as u64 {
            out.push_str(&format!(
                "  ... {} more (all of them with --format ndjson)\n",
                run.matched - run.sample_keys.len() as u64
            ));
        }
    } else {
        out.push_str(&format!(
            "deleted {} of {} matched keys ({gone} already gone), about {} freed, in {secs:.2}s\n",
            run.deleted,
            run.matched,
            human_bytes(run.bytes)
        ));
    }
    out
}
