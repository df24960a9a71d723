//! What `warm` writes: the selection turned into a counted plan of keys, generated lazily.
use std::collections::{BTreeMap, HashMap, HashSet};

mod from_source;
pub(crate) use from_source::from_source;

use crate::keys::{Key, Kind};
use crate::model::Dataset;
use crate::source::Direction;

/// A dataset to warm, with its field names (for lineage graphs).
#[derive(Debug, Clone)]
pub(crate) struct DatasetUnit {
    pub dataset: Dataset,
    pub fields: Vec<String>,
}

/// Which requests the dataset-addressed keys serve (statistics and DDL are by id in every
/// form: the API reads them there).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyForm {
    /// By decoded id: read only behind a router that decodes `%2F`.
    Id,
    /// By name: the requests the API's router answers.
    Name,
    /// Both.
    Both,
}

/// Which keys to write for each unit.
#[derive(Debug, Clone)]
pub struct Shape {
    pub kinds: Vec<Kind>,
    pub directions: Vec<Direction>,
    pub page_sizes: Vec<u32>,
    pub key_form: KeyForm,
}

impl Shape {
    fn has(&self, k: Kind) -> bool {
        self.kinds.contains(&k)
    }

    /// The dataset forms keys are written under.
    fn forms<'a>(&self, d: &'a Dataset) -> Vec<&'a str> {
        match self.key_form {
            KeyForm::Id => vec![d.id.as_str()],
            KeyForm::Name => vec![d.name.as_str()],
            KeyForm::Both => vec![d.id.as_str(), d.name.as_str()],
        }
    }
}

/// Everything a run writes, counted before it starts.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    /// Keys named exactly (`--key`, keys files, the cache, hot columns).
    pub exact: Vec<Key>,
    /// Namespaces whose own keys and list pages are warmed: (id, active dataset count).
    pub namespaces: Vec<(String, u64)>,
    /// Whether `ol:namespace:list` is warmed.
    pub namespace_list: bool,
    /// Datasets whose keys and columns' graphs are warmed.
    pub datasets: Vec<DatasetUnit>,
    /// Single columns: (dataset form, field).
    pub columns: Vec<(String, String)>,
    /// Planned key count by kind.
    pub counts: BTreeMap<Kind, u64>,
    /// Planned keys the API, behind its router, can never read (see `Key::unreachable`).
    pub unreachable: u64,
    /// Planned keys the UI's own request does not read (see `route::ui_key`).
    pub ui_elsewhere: u64,
}

impl Plan {
    pub fn total(&self) -> u64 {
        self.counts.values().sum()
    }

    /// Visit every planned key once, in plan order, until `f` returns false.
    pub fn for_each_key(&self, shape: &Shape, mut f: impl FnMut(Key) -> bool) {
        let mut seen: Option<HashSet<Key>> = self.needs_dedup().then(HashSet::new);
        let mut emit = |k: Key| -> bool {
            if let Some(s) = &mut seen {
                if !s.insert(k.clone()) {
                    return true;
                }
            }
            f(k)
        };
        if self.namespace_list && shape.has(Kind::NamespaceList) && !emit(Key::NamespaceList) {
            return;
        }
        for (ns, total) in &self.namespaces {
            if !namespace_keys(ns, *total, shape).into_iter().all(&mut emit) {
                return;
            }
        }
        for unit in &self.datasets {
            if !dataset_keys(unit, shape).into_iter().all(&mut emit) {
                return;
            }
        }
        for (d, f) in &self.columns {
            for dir in &shape.directions {
                let k = Key::LineageGraph {
                    dataset: d.clone(),
                    field: f.clone(),
                    direction: *dir,
                };
                if !emit(k) {
                    return;
                }
            }
        }
        for k in &self.exact {
            if !emit(k.clone()) {
                return;
            }
        }
    }

    /// Overlapping selectors can name a key twice; dedup only then (it costs memory).
    fn needs_dedup(&self) -> bool {
        let parts = [
            !self.exact.is_empty(),
            !self.datasets.is_empty(),
            !self.columns.is_empty(),
        ];
        parts.iter().filter(|p| **p).count() > 1 || !self.exact.is_empty()
    }

    /// Count the keys (exactly, with the same generation code).
    pub fn count(&mut self, shape: &Shape) {
        let mut counts = BTreeMap::new();
        let (mut unreachable, mut ui_elsewhere) = (0, 0);
        self.for_each_key(shape, |k| {
            *counts.entry(k.kind()).or_insert(0) += 1;
            if k.unreachable().is_some() {
                unreachable += 1;
            } else if crate::route::ui_key(&k).is_some() {
                ui_elsewhere += 1;
            }
            true
        });
        self.counts = counts;
        self.unreachable = unreachable;
        self.ui_elsewhere = ui_elsewhere;
    }
}

fn namespace_keys(ns: &str, active: u64, shape: &Shape) -> Vec<Key> {
    let mut keys = Vec::new();
    if shape.has(Kind::NamespaceGet) {
        keys.push(Key::NamespaceGet {
            namespace: ns.to_string(),
        });
    }
    if shape.has(Kind::DatasetList) {
        for &limit in &shape.page_sizes {
            let mut offset = 0u64;
            // The API never caches an empty page, so pages stop at the last dataset.
            while offset < active {
                keys.push(Key::DatasetList {
                    namespace: ns.to_string(),
                    limit,
                    offset,
                });
                offset += limit as u64;
            }
        }
    }
    keys
}

fn dataset_keys(unit: &DatasetUnit, shape: &Shape) -> Vec<Key> {
    let d = &unit.dataset;
    let mut keys = Vec::new();
    for form in shape.forms(d) {
        let ds = form.to_string();
        if shape.has(Kind::DatasetGet) {
            keys.push(Key::DatasetGet {
                dataset: ds.clone(),
            });
        }
    }
    // Statistics and DDL: under the id in every form, the one key the API reads them by
    // (it resolves the request's dataset first, contract §1).
    if shape.has(Kind::DatasetStatistics) {
        keys.push(Key::DatasetStatistics {
            dataset: d.id.clone(),
        });
    }
    if shape.has(Kind::DatasetDdl) {
        keys.push(Key::DatasetDdl {
            dataset: d.id.clone(),
        });
    }
    // The API reads fields by dataset_id only: the name form finds none and is never cached,
    // and the id form is only read behind a router that decodes (`--key-form id|both`).
    if shape.has(Kind::FieldList) && shape.key_form != KeyForm::Name && !unit.fields.is_empty() {
        keys.push(Key::FieldList {
            dataset: d.id.clone(),
        });
    }
    if shape.has(Kind::LineageGraph) {
        for form in shape.forms(d) {
            for f in &unit.fields {
                for dir in &shape.directions {
                    keys.push(Key::LineageGraph {
                        dataset: form.to_string(),
                        field: f.clone(),
                        direction: *dir,
                    });
                }
            }
        }
    }
    keys
}

/// The forms a column's graphs are written under: as given when the dataset is unknown.
pub(crate) fn column_forms(
    given: &str,
    known: &HashMap<&str, &Dataset>,
    form: KeyForm,
) -> Vec<String> {
    match known.get(given) {
        None => vec![given.to_string()],
        Some(d) => match form {
            KeyForm::Id => vec![d.id.clone()],
            KeyForm::Name => vec![d.name.clone()],
            KeyForm::Both => vec![d.id.clone(), d.name.clone()],
        },
    }
}
