//! The verify report for people and machines: a table of key kinds × classes, the drifted
//! keys and what `--fix` did; JSON (the report as it serializes); NDJSON (each drifted key on
//! its line as it is found, then the summary line); Prometheus text (per-class gauges for the
//! textfile collector).
use serde::Serialize;

use super::found::Row;
use super::report::VerifyReport;
use super::verdict::Class;
use crate::app::output::{paint, Tone};
use crate::app::report::export::Export;
use crate::app::report::prom::{MetricType, PromText};
use crate::app::report::{human_bytes, metrics};

impl Row {
    /// The row's NDJSON line, as streamed while the audit runs.
    pub(crate) fn ndjson_line(&self) -> String {
        serde_json::to_string(self).expect("a row serializes") + "\n"
    }
}

/// The NDJSON report's last line.
#[derive(Serialize)]
struct Summary {
    summary: serde_json::Value,
}

impl Export for VerifyReport {
    fn table(&self) -> String {
        let mut out = self.class_table();
        out.push_str(&self.drifted_keys());
        out.push_str(&self.notes());
        out.push_str(&format!("\n{} in {:.2?}\n", self.status(), self.elapsed));
        out
    }

    fn json(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("the verify report serializes")
    }

    /// NDJSON streamed one line per drifted key during the run; this is the last line: the
    /// report without the keys. Its members keep the order they have always had (each one
    /// taken out was replaced by the last).
    fn ndjson(&self) -> String {
        let mut summary = self.json();
        if let Some(m) = summary.as_object_mut() {
            m.remove("keys");
            m.remove("keysShown");
            m.remove("limit");
        }
        serde_json::to_string(&Summary { summary }).expect("the verify summary serializes") + "\n"
    }

    fn prometheus(&self) -> anyhow::Result<String> {
        let mut classes = PromText::new();
        let name = "lineage_cache_verify_class_keys";
        classes.family(
            name,
            "Keys of each class found by the last run, every class present (0 when none).",
            MetricType::Gauge,
        );
        for c in Class::ALL {
            classes.sample(name, &[("class", c.name())], Some(self.count(c) as f64));
        }
        let gauges = self.gauges();
        Ok(classes.finish() + &metrics::render("verify", &self.kinds, &gauges))
    }
}

impl VerifyReport {
    /// Kinds × classes, and the total of each class.
    fn class_table(&self) -> String {
        let mut header = vec!["kind"];
        header.extend(Class::ALL.iter().map(|c| c.name()));
        let mut rows: Vec<Vec<String>> = self
            .kinds
            .by_kind
            .iter()
            .map(|(kind, c)| {
                let mut r = vec![kind.to_string()];
                for class in Class::ALL {
                    let n = c.outcomes.get(class.name()).copied().unwrap_or(0);
                    r.push(n.to_string());
                }
                r
            })
            .collect();
        let mut total = vec!["total".to_string()];
        total.extend(Class::ALL.iter().map(|c| self.count(*c).to_string()));
        rows.push(total);
        crate::app::report::table::render(&header, &rows)
    }

    /// The drifted keys kept, each with why (and its diff with `--diff`).
    fn drifted_keys(&self) -> String {
        if self.keys.is_empty() {
            return String::new();
        }
        let mut out = format!(
            "\ndrifted keys ({} of {} shown, by key; --limit N for more):\n",
            self.keys.len(),
            self.drift
        );
        for r in &self.keys {
            out.push_str(&format!(
                "  {:<13} {}  {}\n",
                r.class.name(),
                r.key,
                r.detail
            ));
            for l in r.diff.iter().flat_map(|d| d.lines()) {
                out.push_str(&format!("      {l}\n"));
            }
        }
        out
    }

    /// What `--missing` looked up, graphs current at another depth, rescans, what `--fix`
    /// did, an interruption: each a paragraph when there is something to say.
    fn notes(&self) -> String {
        let mut notes = vec![];
        if let Some(hot) = self.hot {
            notes.push(format!(
                "--missing: {} lineage keys of the {} hot columns (by fan-out) looked up; {} not cached",
                hot.keys,
                hot.columns,
                self.count(Class::Missing)
            ));
        }
        if self.other_depth > 0 {
            notes.push(format!(
                "{} lineage graphs (other-depth) equal the graph now at a depth other than the default: current if the API filled them at that depth, stale if an older lineage gave the same graph at another (the depth is not part of the key; `sync` without a snapshot rewrites them)",
                self.other_depth
            ));
        }
        if self.rescans > 0 {
            notes.push(crate::app::report::rescan_line(self.rescans));
        }
        notes.extend(self.fix_line());
        if self.interrupted {
            notes.push("interrupted: the counts cover the keys read before Ctrl-C".into());
        }
        notes.iter().map(|n| format!("\n{n}\n")).collect()
    }

    fn fix_line(&self) -> Option<String> {
        let f = self.fix.as_ref()?;
        if f.dry_run {
            return Some(format!(
                "dry run: --fix would look again at {} keys, rewrite the stale, unreadable and non-canonical ones, delete the orphaned ones and write the missing ones (up to {} more in Redis); nothing was changed",
                f.pending,
                human_bytes(f.growth)
            ));
        }
        let d = &f.done;
        let mut line = format!(
            "fixed: {} rewritten, {} deleted, {} missing written ({}), {} current or gone when looked at again",
            d.written,
            d.deleted,
            d.filled,
            human_bytes(d.bytes_written),
            d.unchanged
        );
        if d.refused > 0 {
            line.push_str(&format!(
                "; Redis refused {} writes (OOM) and the fix stopped",
                d.refused
            ));
        }
        Some(line)
    }

    fn status(&self) -> String {
        if self.drift == 0 {
            return paint(Tone::Good, &format!("all {} keys current", self.checked));
        }
        let parts: Vec<String> = Class::ALL
            .iter()
            .filter(|c| !matches!(c, Class::Current | Class::OtherDepth) && self.count(**c) > 0)
            .map(|c| format!("{} {}", self.count(*c), c.name()))
            .collect();
        let found = format!(
            "drift: {} of {} keys ({})",
            self.drift,
            self.checked,
            parts.join(", ")
        );
        if self.drift_left == 0 {
            paint(Tone::Good, &format!("{found}; all fixed"))
        } else {
            paint(Tone::Bad, &found)
        }
    }

    /// The run's gauges besides the per-kind ones: counts, duration, when, whether it
    /// completed, and what `--fix` changed.
    fn gauges(&self) -> Vec<(&'static str, &'static str, f64)> {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs_f64())
            .unwrap_or(0.0);
        let mut gauges = vec![
            (
                "checked_keys",
                "Keys read and judged by the last run.",
                self.checked as f64,
            ),
            (
                "drift_keys",
                "Keys found not current (stale, orphaned, unreadable, non-canonical, missing).",
                self.drift as f64,
            ),
            (
                "drift_left_keys",
                "Drifted keys left after the last run's --fix (all of them without --fix).",
                self.drift_left as f64,
            ),
            (
                "duration_seconds",
                "Duration of the last run.",
                self.elapsed.as_secs_f64(),
            ),
            (
                "last_run_timestamp_seconds",
                "When the last run ended (Unix time).",
                now,
            ),
            (
                "completed",
                "1 when the last run read every selected key, 0 when interrupted.",
                if self.interrupted { 0.0 } else { 1.0 },
            ),
        ];
        gauges.extend(self.fix_gauges());
        gauges
    }

    /// What the last `--fix` changed (none after a dry run or without `--fix`).
    fn fix_gauges(&self) -> Vec<(&'static str, &'static str, f64)> {
        let Some(f) = self.fix.as_ref().filter(|f| !f.dry_run) else {
            return vec![];
        };
        vec![
            (
                "fixed_written_keys",
                "Values rewritten by the last --fix.",
                f.done.written as f64,
            ),
            (
                "fixed_deleted_keys",
                "Keys deleted by the last --fix.",
                f.done.deleted as f64,
            ),
            (
                "fixed_filled_keys",
                "Missing hot keys written by the last --fix.",
                f.done.filled as f64,
            ),
        ]
    }
}
