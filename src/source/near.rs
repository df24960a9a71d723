//! Which columns' lineage graphs can hold some target columns: the columns within a depth
//! of them, following lineage rows either way **in every row the source holds, active or
//! not**, and any extra rows given (the saved snapshot's: `populate_lineage.py` deletes
//! the rows a change removes, and only the snapshot keeps the lineage as it was when a
//! graph was cached). Read layer by layer from the source, one
//! indexed `IN` query per layer and side for the datasets not read yet, so the cost follows
//! the lineage around the targets, not the size of the warehouse (docs/invalidate.md,
//! "--touching without a scan").
use std::collections::{BTreeSet, HashMap, HashSet};

use super::{End, LineageSource, SourceResult};

/// A column: (dataset name, field).
pub type Column = (String, String);

/// A lineage row the source no longer holds (from the snapshot of the lineage a cache was
/// filled from): its source column and its target column.
pub type Edge = (Column, Column);

/// What the columns are searched around.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// One column.
    Column(Column),
    /// A dataset (by name): its fields as given and every column of it a row names.
    Dataset { name: String, fields: Vec<String> },
}

/// The columns found around some targets, by the side they lie on.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Around {
    /// The targets' own columns: their graphs hold them (as their seed) in every direction.
    pub targets: BTreeSet<Column>,
    /// The targets and the columns they feed within the depth: upstream graphs of these
    /// can hold a target.
    pub downstream: BTreeSet<Column>,
    /// The targets and the columns feeding them within the depth: downstream graphs of
    /// these can hold a target.
    pub upstream: BTreeSet<Column>,
    /// Datasets whose rows were read (on either side).
    pub datasets_read: u64,
}

/// The columns within `max_depth` rows of the targets, on each side. A superset of the
/// graphs that hold a target: the API's walk also refuses a row twice on one path, and uses
/// only the rows active when it ran.
pub fn around(
    source: &dyn LineageSource,
    targets: &[Target],
    max_depth: u32,
) -> SourceResult<Around> {
    around_with(source, targets, max_depth, &[])
}

/// [`around`], following the `extra` rows too (rows deleted from the tables since the
/// cache was filled, which a graph cached before may still show).
pub fn around_with(
    source: &dyn LineageSource,
    targets: &[Target],
    max_depth: u32,
    extra: &[Edge],
) -> SourceResult<Around> {
    // Following rows from their source reaches the columns a target feeds; from their
    // target, the columns feeding it.
    let mut down = Side::new(source, End::Source, extra);
    let mut up = Side::new(source, End::Target, extra);
    let mut own = BTreeSet::new();
    let whole: Vec<&str> = targets
        .iter()
        .filter_map(|t| match t {
            Target::Dataset { name, .. } => Some(name.as_str()),
            Target::Column(_) => None,
        })
        .collect();
    down.read(whole.iter().copied())?;
    up.read(whole.iter().copied())?;
    for t in targets {
        match t {
            Target::Column(c) => {
                own.insert(c.clone());
            }
            Target::Dataset { name, fields } => {
                own.extend(fields.iter().map(|f| (name.clone(), f.clone())));
                own.extend(down.near_columns(name));
                own.extend(up.near_columns(name));
            }
        }
    }
    let downstream = down.walk(&own, max_depth)?;
    let upstream = up.walk(&own, max_depth)?;
    Ok(Around {
        targets: own,
        downstream,
        upstream,
        datasets_read: down.datasets_read + up.datasets_read,
    })
}

/// One side of the walk: the rows read so far whose `end` dataset is the key, as (near
/// field, far column).
struct Side<'s> {
    source: &'s dyn LineageSource,
    end: End,
    rows: HashMap<String, Vec<(String, Column)>>,
    /// The extra rows, by their dataset at this side's end, added as it is read.
    extra: HashMap<String, Vec<(String, Column)>>,
    datasets_read: u64,
}

impl<'s> Side<'s> {
    fn new(source: &'s dyn LineageSource, end: End, extra: &[Edge]) -> Self {
        let mut by_near: HashMap<String, Vec<(String, Column)>> = HashMap::new();
        for (src, tgt) in extra {
            let (near, far) = match end {
                End::Source => (src, tgt),
                End::Target => (tgt, src),
            };
            by_near
                .entry(near.0.clone())
                .or_default()
                .push((near.1.clone(), far.clone()));
        }
        Side {
            source,
            end,
            rows: HashMap::new(),
            extra: by_near,
            datasets_read: 0,
        }
    }

    /// Read the rows of the datasets not read yet.
    fn read<'a>(&mut self, datasets: impl Iterator<Item = &'a str>) -> SourceResult<()> {
        let mut new: Vec<String> = datasets
            .filter(|d| !self.rows.contains_key(*d))
            .map(str::to_string)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        if new.is_empty() {
            return Ok(());
        }
        let found = self.source.lineage_rows_at(self.end, &new)?;
        self.datasets_read += new.len() as u64;
        for d in new.drain(..) {
            let extra = self.extra.remove(&d).unwrap_or_default();
            self.rows.insert(d, extra);
        }
        for r in found {
            let (near_ds, near_f, far) = match self.end {
                End::Source => (
                    r.source_dataset,
                    r.source_field,
                    (r.target_dataset, r.target_field),
                ),
                End::Target => (
                    r.target_dataset,
                    r.target_field,
                    (r.source_dataset, r.source_field),
                ),
            };
            // A database comparing names without regard to case or trailing blanks may
            // answer rows of a dataset not asked for; they are kept under their own name.
            self.rows.entry(near_ds).or_default().push((near_f, far));
        }
        Ok(())
    }

    /// The columns of `dataset` a row read names at this side's end.
    fn near_columns(&self, dataset: &str) -> Vec<Column> {
        self.rows
            .get(dataset)
            .into_iter()
            .flatten()
            .map(|(f, _)| (dataset.to_string(), f.clone()))
            .collect()
    }

    /// The columns within `max_depth` rows of `start` (which are among them).
    fn walk(&mut self, start: &BTreeSet<Column>, max_depth: u32) -> SourceResult<BTreeSet<Column>> {
        let mut seen: HashSet<Column> = start.iter().cloned().collect();
        let mut layer: Vec<Column> = start.iter().cloned().collect();
        for _ in 0..max_depth {
            self.read(layer.iter().map(|(d, _)| d.as_str()))?;
            let mut next = Vec::new();
            for (ds, f) in &layer {
                for (near_f, far) in self.rows.get(ds).into_iter().flatten() {
                    if near_f == f && !seen.contains(far) {
                        seen.insert(far.clone());
                        next.push(far.clone());
                    }
                }
            }
            if next.is_empty() {
                break;
            }
            layer = next;
        }
        Ok(seen.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::{around, Target};
    use crate::source::sqlite::SqliteSource;
    use rusqlite::Connection;

    /// A warehouse of only lineage rows `src -> tgt` (`ds/field`), active or not.
    fn source(rows: &[(&str, &str, bool)]) -> (tempfile::TempDir, SqliteSource) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("near.db");
        crate::source::demo::create_demo(&path, false).expect("demo");
        let c = Connection::open(&path).expect("open");
        c.execute("DELETE FROM OL_COLUMN_LINEAGE", [])
            .expect("clear");
        for (i, (src, tgt, active)) in rows.iter().enumerate() {
            let (sd, sf) = src.split_once('/').expect("src");
            let (td, tf) = tgt.split_once('/').expect("tgt");
            c.execute(
                "INSERT INTO OL_COLUMN_LINEAGE (lineage_id, source_dataset, source_field, \
                 target_dataset, target_field, is_active) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                rusqlite::params![
                    i.to_string(),
                    sd,
                    sf,
                    td,
                    tf,
                    if *active { "Y" } else { "N" }
                ],
            )
            .expect("row");
        }
        drop(c);
        (dir, SqliteSource::open(&path).expect("source"))
    }

    fn col(c: &str) -> (String, String) {
        let (d, f) = c.split_once('/').expect("column");
        (d.to_string(), f.to_string())
    }

    fn cols(list: &[&str]) -> Vec<(String, String)> {
        list.iter().map(|c| col(c)).collect()
    }

    #[test]
    fn follows_rows_either_way_up_to_the_depth_active_or_not() {
        let (_d, s) = source(&[
            ("a/x", "b/x", true),
            ("b/x", "c/x", true),
            ("c/x", "d/x", false),
            ("e/x", "b/x", false),
            ("b/y", "f/y", true),
        ]);
        let one = around(&s, &[Target::Column(col("b/x"))], 1).expect("around");
        let down: Vec<_> = one.downstream.into_iter().collect();
        assert_eq!(down, cols(&["b/x", "c/x"]));
        let up: Vec<_> = one.upstream.into_iter().collect();
        assert_eq!(up, cols(&["a/x", "b/x", "e/x"]));
        let deep = around(&s, &[Target::Column(col("b/x"))], 20).expect("around");
        assert!(
            deep.downstream.contains(&col("d/x")),
            "through an inactive row"
        );
        assert!(
            !deep.downstream.contains(&col("f/y")),
            "another column of b"
        );
        let none = around(&s, &[Target::Column(col("zz/x"))], 5).expect("around");
        assert_eq!(none.downstream.len(), 1, "only the target itself");
    }

    #[test]
    fn a_dataset_is_its_fields_and_every_column_a_row_names() {
        let (_d, s) = source(&[("a/x", "b/x", true), ("b/y", "c/y", false)]);
        let t = Target::Dataset {
            name: "b".into(),
            fields: vec!["z".into()],
        };
        let found = around(&s, &[t], 20).expect("around");
        let own: Vec<_> = found.targets.into_iter().collect();
        assert_eq!(own, cols(&["b/x", "b/y", "b/z"]));
        assert!(found.downstream.contains(&col("c/y")));
        assert!(found.upstream.contains(&col("a/x")));
        assert!(!found.upstream.contains(&col("c/y")));
    }

    #[test]
    fn cycles_end_and_the_depth_counts_rows() {
        let (_d, s) = source(&[
            ("a/x", "b/x", true),
            ("b/x", "c/x", true),
            ("c/x", "a/x", true),
        ]);
        let found = around(&s, &[Target::Column(col("a/x"))], 100).expect("around");
        assert_eq!(found.downstream.len(), 3);
        let two = around(&s, &[Target::Column(col("a/x"))], 2).expect("around");
        let down: Vec<_> = two.downstream.into_iter().collect();
        assert_eq!(down, cols(&["a/x", "b/x", "c/x"]));
        let zero = around(&s, &[Target::Column(col("a/x"))], 0).expect("around");
        assert_eq!(zero.downstream.len(), 1);
    }
}
