//! The verify report: what the audit found (keys by kind and class, the drifted keys), what
//! `--missing` looked up and what `--fix` did. It serializes as the JSON report; `render`
//! says it as a table, NDJSON and Prometheus text.
use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Serialize, Serializer};

use super::fix::Fixed;
use super::found::{Found, Row};
use super::missing::Hot;
use super::verdict::Class;
use crate::app::report::Tally;

/// What `--fix` did or would do.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct FixReport {
    pub dry_run: bool,
    /// Keys `--fix` looked at (the fixable drift).
    pub pending: u64,
    #[serde(flatten)]
    pub done: Fixed,
    /// Bytes the fix adds at most (longer values, missing keys).
    #[serde(rename = "maxGrowthBytes")]
    pub growth: u64,
}

impl FixReport {
    /// Drifted keys the fix settled: rewritten, written, deleted, or found current (or gone)
    /// when looked at again; none in a dry run.
    fn settled(&self) -> u64 {
        if self.dry_run {
            return 0;
        }
        let d = &self.done;
        d.written + d.filled + d.deleted + d.unchanged
    }
}

/// One run of `verify`. The JSON report is this, member by member.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct VerifyReport {
    /// Keys read and judged (every class but `missing`).
    pub checked: u64,
    /// Keys found not current.
    pub drift: u64,
    /// Drifted keys left after `--fix` (all of them without it).
    pub drift_left: u64,
    /// Keys of each class, every class.
    pub classes: ByClass,
    /// Per key kind: its keys of each class found, and their bytes.
    #[serde(serialize_with = "kinds")]
    pub kinds: Tally,
    /// The first `limit` drifted keys, by key.
    pub keys: Vec<Row>,
    pub keys_shown: usize,
    pub limit: usize,
    /// Lineage graphs current at a depth other than the default.
    pub other_depth: u64,
    /// `--missing`: the hot columns looked at, and their keys (the keys are reported).
    #[serde(rename = "missingChecked", serialize_with = "hot_keys")]
    pub hot: Option<Hot>,
    pub fix: Option<FixReport>,
    /// Times a cluster scan ran again because the slots moved.
    pub rescans: u32,
    /// Stopped by Ctrl-C: the counts cover the keys read before.
    pub interrupted: bool,
    #[serde(rename = "elapsedSeconds", serialize_with = "seconds")]
    pub elapsed: Duration,
}

impl VerifyReport {
    /// The report of what the audit (and `--missing`) found and what `--fix` did.
    pub(crate) fn new(
        found: Found,
        hot: Option<Hot>,
        fix: Option<FixReport>,
        interrupted: bool,
        elapsed: Duration,
        limit: usize,
    ) -> VerifyReport {
        let classes = ByClass::every(|c| found.tally.total(c.name()));
        let checked = Class::ALL
            .iter()
            .filter(|c| **c != Class::Missing)
            .map(|c| classes.get(*c))
            .sum();
        let settled = fix.as_ref().map_or(0, FixReport::settled);
        let keys: Vec<Row> = found.rows.into_values().collect();
        VerifyReport {
            checked,
            drift: found.drifted,
            drift_left: found.drifted.saturating_sub(settled),
            classes,
            kinds: found.tally,
            keys_shown: keys.len(),
            keys,
            limit,
            other_depth: found.other_depth,
            hot,
            fix,
            rescans: found.rescans,
            interrupted,
            elapsed,
        }
    }

    /// Keys of `class`.
    pub(crate) fn count(&self, class: Class) -> u64 {
        self.classes.get(class)
    }
}

/// Keys of each class, in report order; a class not counted is left out.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub(crate) struct ByClass {
    #[serde(skip_serializing_if = "Option::is_none")]
    current: Option<u64>,
    #[serde(rename = "other-depth", skip_serializing_if = "Option::is_none")]
    other_depth: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stale: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    orphaned: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    unreadable: Option<u64>,
    #[serde(rename = "non-canonical", skip_serializing_if = "Option::is_none")]
    non_canonical: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    missing: Option<u64>,
}

impl ByClass {
    /// Every class, `count` keys each.
    fn every(count: impl Fn(Class) -> u64) -> ByClass {
        let mut by = ByClass::default();
        for c in Class::ALL {
            *by.slot(c) = Some(count(c));
        }
        by
    }

    /// The classes counted in `outcomes` (by class name).
    fn counted(outcomes: &BTreeMap<&'static str, u64>) -> ByClass {
        let mut by = ByClass::default();
        for c in Class::ALL {
            *by.slot(c) = outcomes.get(c.name()).copied();
        }
        by
    }

    /// Keys of `class` (0 when not counted).
    pub(crate) fn get(&self, class: Class) -> u64 {
        let n = match class {
            Class::Current => self.current,
            Class::OtherDepth => self.other_depth,
            Class::Stale => self.stale,
            Class::Orphaned => self.orphaned,
            Class::Unreadable => self.unreadable,
            Class::NonCanonical => self.non_canonical,
            Class::Missing => self.missing,
        };
        n.unwrap_or(0)
    }

    fn slot(&mut self, class: Class) -> &mut Option<u64> {
        match class {
            Class::Current => &mut self.current,
            Class::OtherDepth => &mut self.other_depth,
            Class::Stale => &mut self.stale,
            Class::Orphaned => &mut self.orphaned,
            Class::Unreadable => &mut self.unreadable,
            Class::NonCanonical => &mut self.non_canonical,
            Class::Missing => &mut self.missing,
        }
    }
}

/// One key kind in the report: its keys of each class found, then their bytes.
#[derive(Serialize)]
struct KindCounts {
    #[serde(flatten)]
    classes: ByClass,
    bytes: u64,
}

/// `{"lineage-graph": {"current": 3, "stale": 1, "bytes": 1234}, …}`, kinds in order.
fn kinds<S: Serializer>(tally: &Tally, s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(tally.by_kind.iter().map(|(kind, c)| {
        let counts = KindCounts {
            classes: ByClass::counted(&c.outcomes),
            bytes: c.bytes,
        };
        (kind, counts)
    }))
}

fn hot_keys<S: Serializer>(hot: &Option<Hot>, s: S) -> Result<S::Ok, S::Error> {
    hot.map(|h| h.keys).serialize(s)
}

fn seconds<S: Serializer>(elapsed: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(elapsed.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::report::export::Export;

    fn report(fix: Option<FixReport>) -> VerifyReport {
        let mut found = Found::default();
        found.tally.add("lineage-graph", "current", 3, 300);
        found.tally.add("lineage-graph", "stale", 1, 50);
        found.tally.add("dataset-get", "non-canonical", 1, 20);
        found.drifted = 2;
        found.rows.insert(
            "ol:k".into(),
            Row {
                key: "ol:k".into(),
                kind: "lineage-graph",
                class: Class::Stale,
                detail: "nodes +1 -0".into(),
                diff: None,
            },
        );
        let hot = Some(Hot {
            columns: 2,
            keys: 6,
        });
        VerifyReport::new(found, hot, fix, false, Duration::from_millis(1500), 20)
    }

    #[test]
    fn the_json_report_keeps_its_members_in_order() {
        let fix = FixReport {
            dry_run: false,
            pending: 2,
            done: Fixed {
                written: 1,
                unchanged: 1,
                bytes_written: 60,
                ..Fixed::default()
            },
            growth: 10,
        };
        let json = serde_json::to_string(&report(Some(fix)).json()).unwrap();
        assert_eq!(
            json,
            concat!(
                r#"{"checked":5,"drift":2,"driftLeft":0,"#,
                r#""classes":{"current":3,"other-depth":0,"stale":1,"orphaned":0,"unreadable":0,"non-canonical":1,"missing":0},"#,
                r#""kinds":{"dataset-get":{"non-canonical":1,"bytes":20},"lineage-graph":{"current":3,"stale":1,"bytes":350}},"#,
                r#""keys":[{"key":"ol:k","kind":"lineage-graph","class":"stale","detail":"nodes +1 -0"}],"#,
                r#""keysShown":1,"limit":20,"otherDepth":0,"missingChecked":6,"#,
                r#""fix":{"dryRun":false,"pending":2,"written":1,"filled":0,"deleted":0,"unchanged":1,"refused":0,"bytesWritten":60,"maxGrowthBytes":10},"#,
                r#""rescans":0,"interrupted":false,"elapsedSeconds":1.5}"#
            )
        );
    }

    #[test]
    fn a_class_serializes_as_its_name() {
        for c in Class::ALL {
            assert_eq!(serde_json::to_value(c).unwrap(), c.name());
        }
    }

    #[test]
    fn the_ndjson_summary_keeps_the_order_it_always_had() {
        assert_eq!(
            report(None).ndjson(),
            concat!(
                r#"{"summary":{"checked":5,"drift":2,"driftLeft":2,"#,
                r#""classes":{"current":3,"other-depth":0,"stale":1,"orphaned":0,"unreadable":0,"non-canonical":1,"missing":0},"#,
                r#""kinds":{"dataset-get":{"non-canonical":1,"bytes":20},"lineage-graph":{"current":3,"stale":1,"bytes":350}},"#,
                r#""elapsedSeconds":1.5,"interrupted":false,"rescans":0,"otherDepth":0,"missingChecked":6,"fix":null}}"#,
                "\n"
            )
        );
    }
}
