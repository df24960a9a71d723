//! What an invalidate says at its end: counts per kind, bytes freed (estimated), how the
//! keys were found, and for a dry run the first keys it would delete. Its JSON is derived
//! (`Serialize`); its table and NDJSON forms and its metrics file are written beside it.
use std::time::Duration;

use serde::Serialize;

use super::delete::Swept;
use super::Path;
use crate::app::report::export::Export;
use crate::app::report::{human_bytes, metrics, table, Tally};

/// The report of one invalidate (or dry run).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct InvalidateReport {
    #[serde(flatten)]
    pub summary: Summary,
    /// A dry run: the first keys it would delete.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keys: Option<Vec<String>>,
    /// A dry run: how many of them are listed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keys_shown: Option<usize>,
}

/// The counts of a run: the whole JSON report but for the dry run's keys, and the NDJSON
/// report's last line.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Summary {
    pub status: Status,
    pub dry_run: bool,
    pub matched: u64,
    pub deleted: u64,
    /// Matched, then gone before the UNLINK (another client, or a TTL).
    pub already_gone: u64,
    /// Matched `both` graphs rewritten with today's value instead of deleted (a dry run:
    /// would be): the API cannot write them (docs/invalidate.md).
    #[serde(skip_serializing_if = "is_zero")]
    pub both_rewritten: u64,
    pub bytes_freed_estimate: u64,
    pub seconds: f64,
    /// Per kind: `matched` and `deleted` keys.
    #[serde(serialize_with = "tally_json")]
    pub kinds: Tally,
    pub path: Way,
    /// How the keys were computed, or why a scan found them.
    pub path_detail: Option<String>,
}

/// Whether the run went through the whole selection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Status {
    Ok,
    Interrupted,
}

/// How the keys were found, as the report names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Way {
    Computed,
    Scan,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// The tally as its own JSON (shared with the other commands' reports).
fn tally_json<S: serde::Serializer>(tally: &Tally, s: S) -> Result<S::Ok, S::Error> {
    tally.to_json().serialize(s)
}

impl InvalidateReport {
    /// The report of a pass (`swept`) over keys found by `path`, `elapsed` after the start.
    pub(crate) fn new(dry_run: bool, swept: &Swept, path: Path, elapsed: Duration) -> Self {
        let gone = swept
            .matched
            .saturating_sub(swept.deleted + swept.both_rewritten);
        let (way, path_detail) = match path {
            Path::Computed(how) => (Way::Computed, Some(how)),
            Path::Scan(why) => (Way::Scan, why),
        };
        let summary = Summary {
            status: match swept.interrupted {
                true => Status::Interrupted,
                false => Status::Ok,
            },
            dry_run,
            matched: swept.matched,
            deleted: swept.deleted,
            already_gone: if swept.deleting { gone } else { 0 },
            both_rewritten: swept.both_rewritten,
            bytes_freed_estimate: swept.bytes,
            seconds: elapsed.as_secs_f64(),
            kinds: swept.tally.clone(),
            path: way,
            path_detail,
        };
        let keys = dry_run.then(|| swept.sample_keys.clone());
        InvalidateReport {
            summary,
            keys_shown: keys.as_ref().map(Vec::len),
            keys,
        }
    }

    /// The report of a run that found no key to delete.
    pub(crate) fn nothing(dry_run: bool, path: Path, elapsed: Duration) -> Self {
        Self::new(dry_run, &Swept::default(), path, elapsed)
    }

    /// The metrics file's text (`--metrics-file`).
    pub(crate) fn metrics(&self) -> String {
        let s = &self.summary;
        let extra = [
            ("matched", "Keys the last run selected.", s.matched as f64),
            ("deleted", "Keys the last run deleted.", s.deleted as f64),
            (
                "bytes_freed_estimate",
                "Estimated bytes the last run freed.",
                s.bytes_freed_estimate as f64,
            ),
            ("duration_seconds", "Duration of the last run.", s.seconds),
            (
                "success",
                "1 when the last run completed.",
                if s.status == Status::Ok { 1.0 } else { 0.0 },
            ),
        ];
        metrics::render("invalidate", &s.kinds, &extra)
    }
}

impl Export for InvalidateReport {
    fn table(&self) -> String {
        let mut out = kinds_table(&self.summary);
        out.push_str(&path_line(&self.summary));
        match &self.keys {
            Some(keys) => out.push_str(&dry_run_lines(&self.summary, keys)),
            None => out.push_str(&done_line(&self.summary)),
        }
        out
    }

    /// The summary; a dry run adds the first keys it would delete.
    fn json(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("a report serializes")
    }

    /// The summary line after the streamed keys.
    fn ndjson(&self) -> String {
        #[derive(Serialize)]
        struct Line<'a> {
            summary: &'a Summary,
        }
        let line = Line {
            summary: &self.summary,
        };
        serde_json::to_string(&line).expect("a report serializes") + "\n"
    }
}

/// Per kind: the keys a dry run would delete, or those matched and deleted.
fn kinds_table(s: &Summary) -> String {
    let rows: Vec<Vec<String>> = s
        .kinds
        .by_kind
        .iter()
        .map(|(kind, c)| {
            let n = |o: &str| c.outcomes.get(o).copied().unwrap_or(0).to_string();
            match s.dry_run {
                true => vec![kind.to_string(), n("matched")],
                false => vec![kind.to_string(), n("matched"), n("deleted")],
            }
        })
        .collect();
    let header: &[&str] = match s.dry_run {
        true => &["kind", "#would delete"],
        false => &["kind", "#matched", "#deleted"],
    };
    match rows.is_empty() {
        true => String::new(),
        false => table::render(header, &rows),
    }
}

/// How the keys were found, when there is something to say.
fn path_line(s: &Summary) -> String {
    match (s.path, &s.path_detail) {
        (Way::Computed, Some(how)) => format!("keys {how}\n"),
        (Way::Scan, Some(why)) => format!("keys found by a scan: {why}\n"),
        _ => String::new(),
    }
}

/// A dry run's count and its first keys.
fn dry_run_lines(s: &Summary, keys: &[String]) -> String {
    let mut out = format!(
        "dry run: would delete {} keys (about {}); nothing was deleted\n",
        s.matched - s.both_rewritten,
        human_bytes(s.bytes_freed_estimate)
    );
    out.push_str(&both_line(s, "would rewrite"));
    for k in keys {
        out.push_str(&format!("  {k}\n"));
    }
    if s.matched > keys.len() as u64 {
        out.push_str(&format!(
            "  ... {} more (all of them with --format ndjson)\n",
            s.matched - keys.len() as u64
        ));
    }
    out
}

/// The `both` graphs rewritten rather than deleted, when there are any.
fn both_line(s: &Summary, verb: &str) -> String {
    match s.both_rewritten {
        0 => String::new(),
        n => format!(
            "{verb} {n} `both` lineage graphs with today's value instead of deleting them: the API cannot write them (--delete-both deletes them)\n"
        ),
    }
}

/// What a run deleted.
fn done_line(s: &Summary) -> String {
    both_line(s, "rewrote")
        + &format!(
            "deleted {} of {} matched keys ({} already gone), about {} freed, in {:.2}s\n",
            s.deleted,
            s.matched,
            s.already_gone,
            human_bytes(s.bytes_freed_estimate),
            s.seconds
        )
}
