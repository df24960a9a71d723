//! The verify report: a table of key kinds × classes, the drifted keys, what `--fix` did;
//! the same as JSON, NDJSON (the drifted keys were streamed; this is the summary line) and
//! Prometheus text (per-class gauges for the textfile collector).
use std::time::Duration;

use crate::app::output::{paint, Tone};
use crate::app::report::export::Export;
use crate::app::report::prom::{MetricType, PromText};
use crate::app::report::{human_bytes, metrics};
use crate::jobs::judge::fix::Fixed;
use crate::jobs::judge::found::Found;
use crate::jobs::judge::missing::Hot;
use crate::jobs::judge::verdict::Class;

/// What `--fix` did or would do.
pub(crate) struct FixReport {
    pub dry_run: bool,
    /// Keys `--fix` looked at (the fixable drift).
    pub pending: u64,
    pub done: Fixed,
    /// Bytes the fix adds at most (longer values, missing keys).
    pub growth: u64,
}

pub(crate) struct VerifyReport {
    pub found: Found,
    /// `--missing`: hot columns looked at, and their keys.
    pub hot: Option<Hot>,
    pub fix: Option<FixReport>,
    pub elapsed: Duration,
    pub interrupted: bool,
    pub limit: usize,
}

impl VerifyReport {
    pub(crate) fn count(&self, class: Class) -> u64 {
        self.found.tally.total(class.name())
    }

    pub(crate) fn checked(&self) -> u64 {
        Class::ALL
            .iter()
            .filter(|c| **c != Class::Missing)
            .map(|c| self.count(*c))
            .sum()
    }

    /// Drift left after the run: what was found, less what `--fix` repaired.
    pub(crate) fn drift_left(&self) -> u64 {
        let repaired = match &self.fix {
            Some(f) if !f.dry_run => f.done.written + f.done.filled + f.done.deleted,
            _ => 0,
        };
        self.found
            .drifted
            .saturating_sub(repaired + self.unchanged())
    }

    fn unchanged(&self) -> u64 {
        match &self.fix {
            Some(f) if !f.dry_run => f.done.unchanged,
            _ => 0,
        }
    }

    fn classes(&self) -> serde_json::Value {
        let mut m = serde_json::Map::new();
        for c in Class::ALL {
            m.insert(c.name().into(), self.count(c).into());
        }
        m.into()
    }

    fn by_kind(&self) -> serde_json::Value {
        let mut m = serde_json::Map::new();
        for (kind, c) in &self.found.tally.by_kind {
            let mut k = serde_json::Map::new();
            for class in Class::ALL {
                if let Some(n) = c.outcomes.get(class.name()) {
                    k.insert(class.name().into(), (*n).into());
                }
            }
            k.insert("bytes".into(), c.bytes.into());
            m.insert((*kind).into(), k.into());
        }
        m.into()
    }

    fn fix_json(&self) -> serde_json::Value {
        match &self.fix {
            None => serde_json::Value::Null,
            Some(f) => serde_json::json!({
                "dryRun": f.dry_run,
                "pending": f.pending,
                "written": f.done.written,
                "filled": f.done.filled,
                "deleted": f.done.deleted,
                "unchanged": f.done.unchanged,
                "refused": f.done.refused,
                "bytesWritten": f.done.bytes_written,
                "maxGrowthBytes": f.growth,
            }),
        }
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
        let checked = self.checked();
        let left = self.drift_left();
        if self.found.drifted == 0 {
            return paint(Tone::Good, &format!("all {checked} keys current"));
        }
        let parts: Vec<String> = Class::ALL[1..]
            .iter()
            .filter(|c| self.count(**c) > 0)
            .map(|c| format!("{} {}", self.count(*c), c.name()))
            .collect();
        let found = format!(
            "drift: {} of {checked} keys ({})",
            self.found.drifted,
            parts.join(", ")
        );
        if left == 0 {
            paint(Tone::Good, &format!("{found}; all fixed"))
        } else {
            paint(Tone::Bad, &found)
        }
    }
}

impl Export for VerifyReport {
    fn table(&self) -> String {
        let mut header = vec!["kind"];
        header.extend(Class::ALL.iter().map(|c| c.name()));
        let mut rows: Vec<Vec<String>> = self
            .found
            .tally
            .by_kind
            .iter()
            .map(|(kind, c)| {
                let mut r = vec![kind.to_string()];
                for class in Class::ALL {
                    r.push(
                        c.outcomes
                            .get(class.name())
                            .copied()
                            .unwrap_or(0)
                            .to_string(),
                    );
                }
                r
            })
            .collect();
        let mut total = vec!["total".to_string()];
        total.extend(Class::ALL.iter().map(|c| self.count(*c).to_string()));
        rows.push(total);
        let mut out = crate::app::report::table::render(&header, &rows);
        if !self.found.rows.is_empty() {
            let shown = self.found.rows.len() as u64;
            out.push_str(&format!(
                "\ndrifted keys ({shown} of {} shown, by key; --limit N for more):\n",
                self.found.drifted
            ));
            for r in self.found.rows.values() {
                out.push_str(&format!(
                    "  {:<13} {}  {}\n",
                    r.class.name(),
                    r.key,
                    r.detail
                ));
                if let Some(d) = &r.diff {
                    for l in d.lines() {
                        out.push_str(&format!("      {l}\n"));
                    }
                }
            }
        }
        if let Some(hot) = self.hot {
            out.push_str(&format!(
                "\n--missing: {} lineage keys of the {} hot columns (by fan-out) looked up; {} not cached\n",
                hot.keys,
                hot.columns,
                self.count(Class::Missing)
            ));
        }
        if self.found.other_depth > 0 {
            out.push_str(&format!(
                "\n{} lineage graphs are current at a depth other than the default (the depth is not part of the key)\n",
                self.found.other_depth
            ));
        }
        if self.found.rescans > 0 {
            out.push_str(&format!(
                "\n{}\n",
                crate::app::report::rescan_line(self.found.rescans)
            ));
        }
        if let Some(l) = self.fix_line() {
            out.push_str(&format!("\n{l}\n"));
        }
        if self.interrupted {
            out.push_str("\ninterrupted: the counts cover the keys read before Ctrl-C\n");
        }
        out.push_str(&format!("\n{} in {:.2?}\n", self.status(), self.elapsed));
        out
    }

    fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "checked": self.checked(),
            "drift": self.found.drifted,
            "driftLeft": self.drift_left(),
            "classes": self.classes(),
            "kinds": self.by_kind(),
            "keys": self.found.rows.values().map(|r| r.json()).collect::<Vec<_>>(),
            "keysShown": self.found.rows.len(),
            "limit": self.limit,
            "otherDepth": self.found.other_depth,
            "missingChecked": self.hot.map(|h| h.keys),
            "fix": self.fix_json(),
            "rescans": self.found.rescans,
            "interrupted": self.interrupted,
            "elapsedSeconds": self.elapsed.as_secs_f64(),
        })
    }

    /// NDJSON streamed one line per drifted key during the run; this is the last line.
    fn ndjson(&self) -> String {
        let mut j = self.json();
        if let Some(m) = j.as_object_mut() {
            m.remove("keys");
            m.remove("keysShown");
            m.remove("limit");
        }
        serde_json::json!({ "summary": j }).to_string() + "\n"
    }

    fn prometheus(&self) -> anyhow::Result<String> {
        let f = self.fix.as_ref().filter(|f| !f.dry_run);
        let done = f.map(|f| f.done.clone()).unwrap_or_default();
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs_f64())
            .unwrap_or(0.0);
        let mut extra = vec![
            (
                "checked_keys",
                "Keys read and judged by the last run.",
                self.checked() as f64,
            ),
            (
                "drift_keys",
                "Keys found not current (stale, orphaned, unreadable, non-canonical, missing).",
                self.found.drifted as f64,
            ),
            (
                "drift_left_keys",
                "Drifted keys left after the last run's --fix (all of them without --fix).",
                self.drift_left() as f64,
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
        if f.is_some() {
            extra.push((
                "fixed_written_keys",
                "Values rewritten by the last --fix.",
                done.written as f64,
            ));
            extra.push((
                "fixed_deleted_keys",
                "Keys deleted by the last --fix.",
                done.deleted as f64,
            ));
            extra.push((
                "fixed_filled_keys",
                "Missing hot keys written by the last --fix.",
                done.filled as f64,
            ));
        }
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
        Ok(classes.finish() + &metrics::render("verify", &self.found.tally, &extra))
    }
}
