//! Which columns' lineage graphs can hold a given column: a light index of column-to-column
//! links (no texts, no JSON, no cycle analysis), built from every lineage row the source
//! holds, active or not, for `invalidate --touching` without a scan.
use std::collections::HashMap;

use super::hash::FxBuild;
use super::load::Interner;
use super::Csr;

/// Column-to-column links, both ways.
pub struct Reach {
    strings: Interner,
    columns: Vec<(u32, u32)>,
    column_index: HashMap<(u32, u32), u32, FxBuild>,
    links: Vec<(u32, u32)>,
    by_source: Csr,
    by_target: Csr,
}

/// The columns found around some targets, by the side they lie on.
pub struct Around<'a> {
    /// Columns a target feeds (within the depth): their upstream graphs can hold it.
    pub downstream: Vec<(&'a str, &'a str)>,
    /// Columns that feed a target: their downstream graphs can hold it.
    pub upstream: Vec<(&'a str, &'a str)>,
}

impl Reach {
    pub(super) fn new(
        strings: Interner,
        columns: Vec<(u32, u32)>,
        column_index: HashMap<(u32, u32), u32, FxBuild>,
        links: Vec<(u32, u32)>,
    ) -> Reach {
        let n = columns.len();
        let by_source = Csr::build(n, links.iter().map(|l| l.0));
        let by_target = Csr::build(n, links.iter().map(|l| l.1));
        Reach {
            strings,
            columns,
            column_index,
            links,
            by_source,
            by_target,
        }
    }

    fn column(&self, dataset: &str, field: &str) -> Option<u32> {
        let key = (self.strings.get(dataset)?, self.strings.get(field)?);
        self.column_index.get(&key).copied()
    }

    fn name(&self, c: u32) -> (&str, &str) {
        let (ds, f) = self.columns[c as usize];
        (self.strings.resolve(ds), self.strings.resolve(f))
    }

    /// The columns of `dataset` that some row names.
    pub fn columns_of(&self, dataset: &str) -> Vec<&str> {
        let Some(ds) = self.strings.get(dataset) else {
            return vec![];
        };
        self.columns
            .iter()
            .filter(|(d, _)| *d == ds)
            .map(|&(_, f)| self.strings.resolve(f))
            .collect()
    }

    /// The columns within `max_depth` links of a target, on each side (the targets are on
    /// both). A superset of the graphs that hold a target: the API's walk also refuses a
    /// row twice on one path, and uses only the rows active when it ran.
    pub fn around(&self, targets: &[(&str, &str)], max_depth: u32) -> Around<'_> {
        let start: Vec<u32> = targets
            .iter()
            .filter_map(|(d, f)| self.column(d, f))
            .collect();
        // Following rows from source to target reaches the columns a target feeds.
        let downstream = self.walk(&start, &self.by_source, |l| l.1, max_depth);
        let upstream = self.walk(&start, &self.by_target, |l| l.0, max_depth);
        Around {
            downstream: downstream.into_iter().map(|c| self.name(c)).collect(),
            upstream: upstream.into_iter().map(|c| self.name(c)).collect(),
        }
    }

    fn walk(
        &self,
        start: &[u32],
        csr: &Csr,
        far: impl Fn(&(u32, u32)) -> u32,
        max_depth: u32,
    ) -> Vec<u32> {
        let mut mark = vec![false; self.columns.len()];
        let mut found = start.to_vec();
        for &c in start {
            mark[c as usize] = true;
        }
        let mut layer = start.to_vec();
        for _ in 0..max_depth {
            let mut next = Vec::new();
            for &c in &layer {
                for &l in csr.of(c) {
                    let f = far(&self.links[l as usize]);
                    if !mark[f as usize] {
                        mark[f as usize] = true;
                        next.push(f);
                    }
                }
            }
            if next.is_empty() {
                break;
            }
            found.extend_from_slice(&next);
            layer = next;
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use crate::model::LineageRow;
    use crate::source::engine::{Loader, Reach};

    fn row(id: &str, src: &str, tgt: &str) -> LineageRow {
        let (sd, sf) = src.split_once('/').unwrap();
        let (td, tf) = tgt.split_once('/').unwrap();
        LineageRow {
            lineage_id: id.into(),
            source_dataset: sd.into(),
            source_field: sf.into(),
            target_dataset: td.into(),
            target_field: tf.into(),
            ..LineageRow::default()
        }
    }

    #[test]
    fn around_follows_links_either_way_up_to_the_depth() {
        let rows = [
            row("1", "a/x", "b/x"),
            row("2", "b/x", "c/x"),
            row("3", "c/x", "d/x"),
            row("4", "e/x", "b/x"),
        ];
        let mut loader = Loader::default();
        let loaded = rows.iter().map(|r| loader.row(r)).collect();
        let reach = Reach::from_rows(loader, loaded);
        let around = reach.around(&[("b", "x")], 1);
        let mut down = around.downstream.clone();
        down.sort();
        assert_eq!(down, vec![("b", "x"), ("c", "x")]);
        let mut up = around.upstream.clone();
        up.sort();
        assert_eq!(up, vec![("a", "x"), ("b", "x"), ("e", "x")]);
        let deep = reach.around(&[("b", "x")], 20);
        assert!(deep.downstream.contains(&("d", "x")));
        assert_eq!(reach.columns_of("b"), vec!["x"]);
        assert!(reach.around(&[("zz", "x")], 5).downstream.is_empty());
    }
}
