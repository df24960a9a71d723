//! The keys a change made stale, from the diff of two snapshots (contract §4 and §5):
//!
//! - lineage graphs: every (column, direction) whose graph within the deepest depth any
//!   request may ask for holds a changed row, in the old lineage or the new
//!   ([`stale_graph_seeds`]), in every key form (name, decoded id, escaped id); and, for a
//!   dataset that appeared or went away, its columns' graphs under its decoded id (the API
//!   resolves an id to its name before walking: the seed node changes);
//! - a changed, added or removed dataset's own keys (dataset, field list) in every form, and
//!   its statistics and DDL when it went away (they are read by id, from the dictionary);
//! - a dataset whose fields changed: its field list;
//! - namespaces that changed: their key, and the namespace list when any changed.
//!
//! List and search pages of changed datasets depend on requests no source records: what
//! they can be is listed here ([`StaleKeys::lists`], [`StaleKeys::queries`]) and found in
//! the cache by the invalidate job's page finder (`pages.rs`).
use std::collections::{BTreeMap, BTreeSet};

use crate::keys::{Key, Kind};
use crate::model::Direction;
use crate::route::forms;
use crate::source::snapshot::{stale_graph_seeds, Diff, Snapshot};

/// Stale keys by why they are stale.
#[derive(Debug, Default)]
pub(crate) struct StaleKeys {
    /// Lineage graphs holding a changed row.
    pub graphs: BTreeSet<String>,
    /// Dataset, field-list, statistics, DDL and namespace keys of changed assets.
    pub assets: BTreeSet<String>,
    /// The changed datasets, whose list and search pages are stale: (id, name, namespace).
    pub page_datasets: BTreeSet<(String, String, String)>,
    /// Namespaces of changed datasets, with the most datasets either snapshot gives them
    /// (their list pages end there: the API never caches an empty page).
    pub lists: BTreeMap<String, u64>,
    /// Every search query a changed dataset's name (old or new) can match.
    pub queries: BTreeSet<String>,
}

/// The stale keys of the change from `old` to `new`, graphs within `max_depth`.
pub(crate) fn stale_keys(old: &Snapshot, new: &Snapshot, diff: &Diff, max_depth: u32) -> StaleKeys {
    let ids = ids_by_name(old, new);
    let mut out = StaleKeys::default();
    let t = std::time::Instant::now();
    let seeds = stale_graph_seeds(old, new, diff, max_depth);
    tracing::debug!(
        "sync: {} stale graph seeds within depth {max_depth} in {:.2?}",
        seeds.len(),
        t.elapsed()
    );
    for (name, field, direction) in seeds {
        let id_list = ids.get(&name).cloned().unwrap_or_default();
        out.graphs
            .extend(forms::graph_keys(&name, &field, &id_list, &[direction]));
    }
    existence_graphs(old, new, diff, &mut out);
    dataset_keys(diff, &mut out);
    page_needs(old, new, &mut out);
    namespace_keys(diff, &mut out);
    out
}

/// The namespaces and search queries whose pages the changed datasets may be on.
fn page_needs(old: &Snapshot, new: &Snapshot, out: &mut StaleKeys) {
    // Datasets per namespace, counted once per snapshot (not once per changed dataset:
    // after a populate run every dataset changed).
    let (in_old, in_new) = (per_namespace(old), per_namespace(new));
    for (_, name, ns) in &out.page_datasets {
        let count = |c: &BTreeMap<&str, u64>| c.get(ns.as_str()).copied().unwrap_or(0);
        let n = count(&in_old).max(count(&in_new));
        let slot = out.lists.entry(ns.clone()).or_default();
        *slot = (*slot).max(n);
        out.queries.extend(forms::search_queries(name));
    }
}

/// How many datasets each namespace holds in `snap`.
fn per_namespace(snap: &Snapshot) -> BTreeMap<&str, u64> {
    let mut counts = BTreeMap::new();
    for d in snap.datasets() {
        *counts.entry(snap.str(d.namespace_id)).or_default() += 1;
    }
    counts
}

/// Every id a dataset name had, in either snapshot.
fn ids_by_name(old: &Snapshot, new: &Snapshot) -> BTreeMap<String, Vec<String>> {
    let mut ids: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for snap in [old, new] {
        for d in snap.datasets() {
            let (name, id) = (snap.str(d.name), snap.str(d.id));
            ids.entry(name.to_string())
                .or_default()
                .insert(id.to_string());
        }
    }
    ids.into_iter()
        .map(|(k, v)| (k, v.into_iter().collect()))
        .collect()
}

/// Graphs under a decoded id whose dataset appeared or went away: the API resolves the id
/// to a name (or leaves it as it is), so the seed node changes. Every column either side
/// knows of the dataset (its fields, and the columns its lineage rows name: a dataset may
/// have rows without field rows), in every direction.
fn existence_graphs(old: &Snapshot, new: &Snapshot, diff: &Diff, out: &mut StaleKeys) {
    let moved: Vec<_> = diff
        .datasets
        .added
        .iter()
        .chain(&diff.datasets.removed)
        .collect();
    if moved.is_empty() {
        return;
    }
    let names: BTreeSet<&str> = moved.iter().map(|d| d.name.as_str()).collect();
    let mut in_rows = row_columns(old, &names);
    for (name, fields) in row_columns(new, &names) {
        in_rows.entry(name).or_default().extend(fields);
    }
    for d in moved {
        let mut columns = fields_of(old, &d.id);
        columns.extend(fields_of(new, &d.id));
        columns.extend(in_rows.get(&d.name).into_iter().flatten().cloned());
        for field in columns {
            for direction in Direction::ALL {
                let key = Key::LineageGraph {
                    dataset: d.id.clone(),
                    field: field.clone(),
                    direction,
                };
                if let Ok(k) = key.build() {
                    out.graphs.insert(k);
                }
            }
        }
    }
}

/// The fields the lineage rows of `snap` name, of each dataset in `names`.
fn row_columns(snap: &Snapshot, names: &BTreeSet<&str>) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for r in snap.rows() {
        for end in [r.source, r.target] {
            let name = snap.str(end.dataset);
            if names.contains(name) {
                let field = snap.str(end.field).to_string();
                out.entry(name.to_string()).or_default().insert(field);
            }
        }
    }
    out
}

fn fields_of(snap: &Snapshot, dataset_id: &str) -> BTreeSet<String> {
    snap.fields()
        .iter()
        .filter(|f| snap.str(f.dataset_id) == dataset_id)
        .map(|f| snap.str(f.name).to_string())
        .collect()
}

/// Own keys of changed datasets, field lists of datasets whose fields changed, and the
/// datasets whose pages are stale.
fn dataset_keys(diff: &Diff, out: &mut StaleKeys) {
    let d = &diff.datasets;
    for ds in d.changed.iter().chain(&d.added) {
        let own = forms::own_keys(
            &ds.name,
            std::slice::from_ref(&ds.id),
            &[Kind::DatasetGet, Kind::FieldList],
        );
        out.assets.extend(own);
    }
    let gone = [
        Kind::DatasetGet,
        Kind::FieldList,
        Kind::DatasetStatistics,
        Kind::DatasetDdl,
    ];
    for ds in &d.removed {
        out.assets.extend(forms::own_keys(
            &ds.name,
            std::slice::from_ref(&ds.id),
            &gone,
        ));
    }
    for ds in d.changed.iter().chain(&d.added).chain(&d.removed) {
        let entry = (ds.id.clone(), ds.name.clone(), ds.namespace_id.clone());
        out.page_datasets.insert(entry);
    }
    let f = &diff.fields;
    let touched: BTreeSet<&str> = f
        .changed
        .iter()
        .chain(&f.added)
        .chain(&f.removed)
        .map(|k| k.dataset_id.as_str())
        .collect();
    for id in touched {
        let name = id.split_once('/').map_or(id, |(_, n)| n);
        let keys = forms::own_keys(name, &[id.to_string()], &[Kind::FieldList]);
        out.assets.extend(keys);
    }
}

/// Changed namespaces' keys, and the namespace list when any namespace changed.
fn namespace_keys(diff: &Diff, out: &mut StaleKeys) {
    let n = &diff.namespaces;
    let all: Vec<&String> = n.changed.iter().chain(&n.added).chain(&n.removed).collect();
    if all.is_empty() {
        return;
    }
    out.assets.insert(Key::NamespaceList.render());
    for id in all {
        if let Ok(k) = (Key::NamespaceGet {
            namespace: id.clone(),
        })
        .build()
        {
            out.assets.insert(k);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Dataset, LineageRow, Timestamp};
    use crate::source::snapshot::diff;

    fn row(id: &str, (sd, sf): (&str, &str), (td, tf): (&str, &str)) -> LineageRow {
        LineageRow {
            lineage_id: id.into(),
            source_namespace: "ns".into(),
            source_dataset: sd.into(),
            source_field: sf.into(),
            target_namespace: "ns".into(),
            target_dataset: td.into(),
            target_field: tf.into(),
            transformation_type: "DIRECT".into(),
            transformation_subtype: "IDENTITY".into(),
            confidence_score: Some(0.5),
        }
    }

    fn dataset(name: &str) -> Dataset {
        Dataset {
            id: format!("ns/{name}"),
            namespace_id: "ns".into(),
            name: name.into(),
            description: String::new(),
            source_type: "TABLE".into(),
            created_at: Timestamp::parse("2026-01-15 10:00:00"),
            updated_at: Timestamp::parse("2026-01-15 10:00:00"),
            is_active: true,
        }
    }

    /// A dataset without field rows goes away: the graphs under its decoded id of the
    /// columns its rows name are stale (their seed no longer resolves), also a column's
    /// downstream graph that holds no changed row (the column is only a target).
    #[test]
    fn a_dataset_gone_stales_the_graphs_of_its_row_columns_under_its_id() {
        let rows = [row("r", ("d.S", "a"), ("d.T", "c"))];
        let old = Snapshot::build(&rows, &[dataset("d.S"), dataset("d.T")], &[], &[], 1);
        let new = Snapshot::build(&rows, &[dataset("d.S")], &[], &[], 2);
        let stale = stale_keys(&old, &new, &diff(&old, &new), 20);
        for direction in ["upstream", "downstream", "both"] {
            let key = format!("ol:lineage:graph:ns/d.T|c|{direction}");
            assert!(stale.graphs.contains(&key), "{key}: {:?}", stale.graphs);
        }
        assert!(
            !stale.graphs.iter().any(|k| k.contains("d.S|a")),
            "{:?}",
            stale.graphs
        );
    }
}
