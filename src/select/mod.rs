//! Key selections shared by `warm`, `invalidate` and `inspect`: turn the selection flags into
//! a checked [`Selection`] before any work, and decide which keys it covers.
use crate::keys::{parse, Key, Kind, Parsed, PREFIX};
use crate::model::Timestamp;

mod check;
mod file;
mod glob;
mod touch;
pub use check::parse_time;
// What the unit tests reach through `super::*` from before the checks moved to `check`.
pub use file::{parse_file_line, read_keys_file};
pub use glob::glob_match;
pub use touch::graph_touches;
#[cfg(test)]
use {crate::config::Validation, check::parse_touching};

/// A dataset named on the command line, in the forms keys can hold it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatasetRef {
    /// As given.
    pub given: String,
    /// The id form `{namespace_id}/{name}`, when known.
    pub id: Option<String>,
    /// The name form `{database}.{table}`.
    pub name: String,
    /// The namespace id, when known.
    pub namespace: Option<String>,
}

impl DatasetRef {
    /// Split a dataset given as id or name without asking the source: an id is
    /// `{namespace_id}/{name}` where the namespace id holds no `/`.
    pub fn syntactic(given: &str) -> DatasetRef {
        match given.split_once('/') {
            Some((ns, name)) if !ns.is_empty() && !name.is_empty() => DatasetRef {
                given: given.into(),
                id: Some(given.into()),
                name: name.into(),
                namespace: Some(ns.into()),
            },
            _ => DatasetRef {
                given: given.into(),
                id: None,
                name: given.into(),
                namespace: None,
            },
        }
    }

    /// Whether a key's dataset parameter is this dataset, in any form the API may have
    /// written: the name, the id, or either as the router handed it over still escaped
    /// (`ns%2Fdb.T`, the key of an id-form request). Without a known id, any
    /// `{one-segment namespace}/{name}` counts as the id form.
    pub fn matches(&self, key_dataset: &str) -> bool {
        self.matches_decoded(key_dataset)
            || crate::route::unescaped(key_dataset).is_some_and(|d| self.matches_decoded(&d))
    }

    fn matches_decoded(&self, key_dataset: &str) -> bool {
        if key_dataset == self.name || self.id.as_deref() == Some(key_dataset) {
            return true;
        }
        if self.id.is_some() {
            return false;
        }
        match key_dataset.split_once('/') {
            Some((ns, name)) => !ns.is_empty() && name == self.name,
            None => false,
        }
    }

    /// Every cached form of this dataset's id-or-name keys that can be written exactly.
    pub fn forms(&self) -> Vec<&str> {
        let mut v = vec![self.name.as_str()];
        if let Some(id) = &self.id {
            v.insert(0, id.as_str());
        }
        v
    }
}

/// One line of a keys file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileItem {
    /// A cache key (under the prefix).
    Key(Key),
    /// A column as DATASET/FIELD.
    Column(String, String),
    /// The statistics or DDL key a request reads under the id its dataset parameter
    /// resolves to (the key holds the parameter until the source resolves it; see
    /// `route::Routed::by_id`). Unresolved, it selects that kind's keys of the dataset the
    /// parameter names, in every form.
    ById(Key),
}

/// The selection flags as given, before any check (the command line's `SelectionArgs`,
/// converted at the edge).
#[derive(Debug, Clone, Default)]
pub struct SelectionSpec {
    pub all: bool,
    pub kinds: Vec<Kind>,
    pub keys: Vec<String>,
    pub pattern: Option<String>,
    pub namespaces: Vec<String>,
    pub datasets: Vec<String>,
    pub fields: Vec<String>,
    pub touching: Vec<String>,
    pub changed_since: Option<String>,
    pub keys_file: Option<std::path::PathBuf>,
}

/// A checked selection.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub all: bool,
    /// Only these kinds (empty: every kind).
    pub kinds: Vec<Kind>,
    /// Exact keys (all under the prefix).
    pub keys: Vec<String>,
    pub pattern: Option<String>,
    pub namespaces: Vec<String>,
    pub datasets: Vec<DatasetRef>,
    pub fields: Vec<(DatasetRef, String)>,
    /// Datasets (and optionally a field) whose nodes a cached graph must contain.
    pub touching: Vec<(DatasetRef, Option<String>)>,
    pub changed_since: Option<Timestamp>,
    pub file_items: Vec<FileItem>,
    /// Only the dataset list and search pages of these limits (empty: every limit); like
    /// `kinds`, narrows every other selector.
    pub page_sizes: Vec<u32>,
}

impl Selection {
    /// Whether no selector that names datasets, columns or namespaces was given.
    fn names_nothing(&self) -> bool {
        self.namespaces.is_empty()
            && self.datasets.is_empty()
            && self.fields.is_empty()
            && self.touching.is_empty()
            && self.changed_since.is_none()
    }

    /// Whether the selection names datasets, columns, namespaces or a time of change (not
    /// only keys, patterns, kinds or everything).
    pub fn names_assets(&self) -> bool {
        !self.names_nothing()
            || self
                .file_items
                .iter()
                .any(|i| !matches!(i, FileItem::Key(_)))
    }

    /// Whether no selector but `--all` and `--kind` was given.
    pub fn only_all_or_kinds(&self) -> bool {
        self.keys.is_empty()
            && self.pattern.is_none()
            && self.names_nothing()
            && self.file_items.is_empty()
    }

    /// Exactly these keys (at least one: an empty selection would mean every key).
    pub fn exact(keys: Vec<String>) -> Selection {
        assert!(
            !keys.is_empty(),
            "an exact selection names at least one key"
        );
        Selection {
            keys,
            ..Selection::default()
        }
    }

    /// Whether any selector was given.
    pub fn is_empty(&self) -> bool {
        !self.all && self.kinds.is_empty() && self.only_all_or_kinds()
    }

    /// Whether the selection names everything (of the chosen kinds).
    pub fn is_broad(&self) -> bool {
        self.all || (!self.kinds.is_empty() && self.only_all_or_kinds())
    }

    /// Whether only exact keys were named (no scan needed).
    pub fn exact_only(&self) -> bool {
        !self.is_broad()
            && self.pattern.is_none()
            && self.names_nothing()
            && self
                .file_items
                .iter()
                .all(|i| matches!(i, FileItem::Key(_)))
    }

    /// The exact keys named by `--key` and key lines of a keys file, narrowed by `--kind`
    /// and `--page-sizes` as a scan would narrow them.
    pub fn exact_keys(&self) -> Vec<String> {
        let mut v = self.keys.clone();
        v.extend(self.file_items.iter().filter_map(|i| match i {
            FileItem::Key(k) => Some(k.render()),
            FileItem::Column(..) | FileItem::ById(_) => None,
        }));
        v.retain(|k| {
            let parsed = parse(k);
            self.kind_ok(&parsed) && self.page_ok(&parsed)
        });
        v.sort();
        v.dedup();
        v
    }

    /// The narrowest Redis glob a scan can use.
    pub fn scan_pattern(&self) -> String {
        let others = self.keys.is_empty() && self.names_nothing() && self.file_items.is_empty();
        match (&self.pattern, self.kinds.as_slice()) {
            (Some(p), _) if others && !self.all => p.clone(),
            (None, [k]) => k.pattern(),
            _ => format!("{PREFIX}*"),
        }
    }

    pub(crate) fn kind_ok(&self, parsed: &Parsed) -> bool {
        self.kinds.is_empty() || parsed.kind().is_some_and(|k| self.kinds.contains(&k))
    }

    /// Whether a key passes `--page-sizes`: a list or search page of one of its limits, or
    /// a key of another kind (a key of no kind the API builds is no page).
    pub(crate) fn page_ok(&self, parsed: &Parsed) -> bool {
        let limit_ok = |k: &Key| match k {
            Key::DatasetList { limit, .. } | Key::DatasetSearch { limit, .. } => {
                self.page_sizes.contains(limit)
            }
            _ => true,
        };
        self.page_sizes.is_empty()
            || match parsed {
                Parsed::Key(k) => limit_ok(k),
                Parsed::Ambiguous { readings, .. } => readings.iter().any(limit_ok),
                Parsed::Unknown { .. } | Parsed::Foreign => true,
            }
    }

    /// Whether a scanned key is selected by its name alone. `--touching` needs the value:
    /// see [`Selection::needs_value`] and [`graph_touches`].
    pub fn matches_key(&self, key: &str) -> bool {
        if !key.starts_with(PREFIX) {
            return false;
        }
        let parsed = parse(key);
        if !self.kind_ok(&parsed) || !self.page_ok(&parsed) {
            return false;
        }
        if self.is_broad() || self.keys.iter().any(|k| k == key) {
            return true;
        }
        if let Some(p) = &self.pattern {
            if glob_match(p.as_bytes(), key.as_bytes()) {
                return true;
            }
        }
        let readings: Vec<&Key> = match &parsed {
            Parsed::Key(k) => vec![k],
            Parsed::Ambiguous { readings, .. } => readings.iter().collect(),
            _ => vec![],
        };
        readings.iter().any(|k| self.matches_parsed(k))
    }

    fn matches_parsed(&self, key: &Key) -> bool {
        if self.file_items.iter().any(|i| match i {
            FileItem::Key(k) => k == key,
            FileItem::Column(d, f) => column_key(key, &DatasetRef::syntactic(d), f),
            FileItem::ById(k) => {
                k.kind() == key.kind()
                    && k.dataset()
                        .zip(key.dataset())
                        .is_some_and(|(given, cached)| DatasetRef::syntactic(given).matches(cached))
            }
        }) {
            return true;
        }
        if self.fields.iter().any(|(d, f)| column_key(key, d, f)) {
            return true;
        }
        if self.namespaces.iter().any(|n| namespace_key(key, n)) {
            return true;
        }
        self.datasets.iter().any(|d| dataset_key(key, d))
    }

    /// Whether lineage-graph values must be read (`--touching`).
    pub fn needs_value(&self, key: &str) -> bool {
        !self.touching.is_empty() && key.starts_with(Kind::LineageGraph.head())
    }
}

fn column_key(key: &Key, d: &DatasetRef, f: &str) -> bool {
    matches!(key, Key::LineageGraph { dataset, field, .. } if field_is(field, f) && d.matches(dataset))
}

/// Whether a key's or node's field is `f`, as it is or as the router left it escaped.
fn field_is(field: &str, f: &str) -> bool {
    field == f || crate::route::unescaped(field).is_some_and(|d| d == f)
}

fn namespace_key(key: &Key, ns: &str) -> bool {
    match key {
        Key::NamespaceList => true,
        Key::NamespaceGet { namespace } | Key::DatasetList { namespace, .. } => namespace == ns,
        _ => false,
    }
}

/// Every key about dataset `d`: its own keys in both forms, its namespace's list pages (all
/// namespaces' when the namespace is unknown) and searches its upper-cased name contains.
fn dataset_key(key: &Key, d: &DatasetRef) -> bool {
    match key {
        Key::DatasetList { namespace, .. } => d.namespace.as_deref().is_none_or(|n| n == namespace),
        Key::DatasetSearch { query, .. } => {
            crate::keys::search::to_upper(&d.name).contains(query.as_str())
        }
        other => other.dataset().is_some_and(|ds| d.matches(ds)),
    }
}

/// Pick the keys of one scanned batch that the selection covers, reading lineage-graph
/// values only where `--touching` needs them. An empty selection covers every `ol:` key.
pub async fn pick(
    store: &crate::store::Store,
    sel: &Selection,
    batch: Vec<Vec<u8>>,
) -> Result<Vec<Vec<u8>>, crate::store::StoreError> {
    let everything = sel.is_empty();
    let mut picked = Vec::new();
    let mut check = Vec::new();
    for raw in batch {
        if !raw.starts_with(PREFIX.as_bytes()) {
            continue; // never anything outside the prefix
        }
        let text = String::from_utf8_lossy(&raw);
        if everything || sel.matches_key(&text) {
            picked.push(raw);
        } else if sel.needs_value(&text) && sel.kind_ok(&parse(&text)) {
            check.push(raw);
        }
    }
    if !check.is_empty() {
        let values = store.get_many(&check).await?;
        for (raw, value) in check.into_iter().zip(values) {
            if value.is_some_and(|v| graph_touches(&v, &sel.touching)) {
                picked.push(raw);
            }
        }
    }
    Ok(picked)
}

#[cfg(test)]
mod tests;
