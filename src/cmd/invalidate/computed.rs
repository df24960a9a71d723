//! `--touching` without a scan: the graphs that can hold a column of the target are those
//! of the columns within the deepest depth the API accepts (`VALIDATION_MAX_DEPTH_LIMIT`)
//! of it, following lineage rows either way, **in every row the source holds, active or
//! not**: `populate_lineage.py` deactivates the rows a change removes, so a graph cached
//! through an edge that is gone now is still found. Those candidates' keys (every
//! direction, in the name, id and escaped-id forms) are read with pipelined `GET`s and
//! kept by the same test on the value the scan path applies to every cached graph
//! ([`crate::select::graph_touches`]). The cost follows the lineage around the target, not
//! the size of the cache. docs/invalidate.md ("--touching without a scan").
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use crate::config::Config;
use crate::keys::{Key, Kind};
use crate::select::{graph_touches, DatasetRef, Selection};
use crate::source::engine::Reach;
use crate::source::{Direction, LineageSource};
use crate::store::Store;

/// A column: (dataset name, field).
type Column<'a> = (&'a str, &'a str);

/// Candidate keys read per pipeline.
const BATCH: usize = 500;

/// What the computed path found.
pub(crate) struct Found {
    /// The cached graph keys whose value holds a column of a target, sorted.
    pub keys: Vec<String>,
    /// Candidate keys read.
    pub candidates: u64,
    /// Candidate columns (seeds) around the targets.
    pub columns: u64,
}

/// Whether the selection is one the computed path answers: `--touching` and `--field`
/// (with `--kind lineage-graph` at most).
pub(crate) fn applies(sel: &Selection) -> bool {
    (!sel.touching.is_empty() || !sel.fields.is_empty())
        && !sel.all
        && sel.kinds.iter().all(|k| *k == Kind::LineageGraph)
        && sel.keys.is_empty()
        && sel.pattern.is_none()
        && sel.namespaces.is_empty()
        && sel.datasets.is_empty()
        && sel.changed_since.is_none()
        && sel.file_items.is_empty()
}

/// The selected keys, computed from the source: a `--field`'s graph keys as they are (the
/// exact path counts those that exist), and the touching keys checked on their values.
pub(crate) async fn touching(
    config: &Config,
    store: &Store,
    sel: &Selection,
) -> anyhow::Result<Found> {
    let source = crate::source::open(config)?;
    let targets = sel.touching.clone();
    let fields = sel.fields.clone();
    let depth = config.validation.max_depth_limit;
    let (candidates, columns, mut keys) = tokio::task::spawn_blocking(move || {
        let named = field_keys(source.as_ref(), &fields)?;
        let (candidates, columns) = match targets.is_empty() {
            true => (Vec::new(), 0),
            false => candidates(source, &targets, depth)?,
        };
        anyhow::Ok((candidates, columns, named))
    })
    .await??;
    let needles = needles(&sel.touching);
    for chunk in candidates.chunks(BATCH) {
        let raw: Vec<Vec<u8>> = chunk.iter().map(|k| k.as_bytes().to_vec()).collect();
        let values = store.get_many(&raw).await?;
        for (k, v) in chunk.iter().zip(values) {
            if v.is_some_and(|v| may_touch(&v, &needles) && graph_touches(&v, &sel.touching)) {
                keys.push(k.clone());
            }
        }
    }
    keys.sort();
    keys.dedup();
    Ok(Found {
        keys,
        candidates: candidates.len() as u64,
        columns,
    })
}

/// What a candidate's value must contain somewhere to hold a target: its dataset name as
/// JSON writes it, or as `encodeURIComponent` (the seed of an escaped-id key) does. The
/// candidates' keys are in the API's own forms, so every node naming a target carries one
/// of these; a value without any is skipped without parsing it.
fn needles(targets: &[(DatasetRef, Option<String>)]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for (d, _) in targets {
        let mut json = Vec::new();
        crate::json::write_str_body(&mut json, &d.name);
        out.push(json);
        out.push(crate::route::encode_uri_component(&d.name).into_bytes());
    }
    out
}

fn may_touch(value: &[u8], needles: &[Vec<u8>]) -> bool {
    needles
        .iter()
        .any(|n| memchr::memmem::find(value, n).is_some())
}

/// The graph keys of each `--field` column, in every form.
fn field_keys(
    source: &dyn LineageSource,
    fields: &[(DatasetRef, String)],
) -> anyhow::Result<Vec<String>> {
    if fields.is_empty() {
        return Ok(Vec::new());
    }
    let datasets = source.all_datasets()?;
    let mut keys = Vec::new();
    for (d, f) in fields {
        let row = datasets
            .iter()
            .find(|r| r.id == d.given || r.name == d.given);
        let (name, id) = match row {
            Some(r) => (r.name.as_str(), Some(r.id.as_str())),
            None => (d.name.as_str(), d.id.as_deref()),
        };
        keys.extend(graph_keys(name, f, id, &Direction::ALL));
    }
    Ok(keys)
}

/// The keys of a column in `directions`, in every form (keys that cannot be built are
/// skipped).
fn graph_keys(name: &str, field: &str, id: Option<&str>, directions: &[Direction]) -> Vec<String> {
    let mut keys = Vec::new();
    for form in forms(name, field, id) {
        for &direction in directions {
            let key = Key::LineageGraph {
                dataset: form.0.clone(),
                field: form.1.clone(),
                direction,
            };
            // A parameter holding '|' cannot be keyed unambiguously; the API never builds
            // such a key, and the scan path would not find it either.
            if let Ok(k) = key.build() {
                keys.push(k);
            }
        }
    }
    keys
}

/// Every key of every column whose graph may hold a target column, and how many columns.
fn candidates(
    source: Arc<dyn LineageSource>,
    targets: &[(DatasetRef, Option<String>)],
    depth: u32,
) -> anyhow::Result<(Vec<String>, u64)> {
    let reach = Reach::load(source.as_ref())?;
    let datasets = source.all_datasets()?;
    let ids: HashMap<&str, &str> = datasets
        .iter()
        .map(|d| (d.name.as_str(), d.id.as_str()))
        .collect();
    let names_of_ids: HashMap<&str, &str> = datasets
        .iter()
        .map(|d| (d.id.as_str(), d.name.as_str()))
        .collect();
    let fields = source.all_field_names()?;
    // The target columns: a DATASET/FIELD as given; a DATASET's fields and every column of
    // it that a row names (its graphs hold at least their seed).
    let mut seeds: BTreeSet<(String, String)> = BTreeSet::new();
    for (d, f) in targets {
        let name = names_of_ids
            .get(d.given.as_str())
            .copied()
            .unwrap_or(&d.name);
        match f {
            Some(f) => {
                seeds.insert((name.to_string(), f.clone()));
            }
            None => {
                let id = ids.get(name).copied();
                for (ds, field) in &fields {
                    if Some(ds.as_str()) == id {
                        seeds.insert((name.to_string(), field.clone()));
                    }
                }
                for field in reach.columns_of(name) {
                    seeds.insert((name.to_string(), field.to_string()));
                }
            }
        }
    }
    let seeds: Vec<(&str, &str)> = seeds
        .iter()
        .map(|(d, f)| (d.as_str(), f.as_str()))
        .collect();
    let around = reach.around(&seeds, depth);
    let mut keys = BTreeSet::new();
    let mut columns: BTreeSet<(&str, &str)> = BTreeSet::new();
    // A target's own graphs hold it (their seed) in every direction; a column the target
    // feeds can hold it upstream, a column feeding the target downstream; both, either.
    let sides: [(&[Column], &[Direction]); 3] = [
        (&seeds, &Direction::ALL),
        (&around.downstream, &[Direction::Upstream, Direction::Both]),
        (&around.upstream, &[Direction::Downstream, Direction::Both]),
    ];
    for (cols, directions) in sides {
        for &(ds, f) in cols {
            columns.insert((ds, f));
            keys.extend(graph_keys(ds, f, ids.get(ds).copied(), directions));
        }
    }
    Ok((keys.into_iter().collect(), columns.len() as u64))
}

/// The (dataset, field) parameters a column's graphs are cached under: the name form (what
/// the API's router serves), the id form (written by tools and decoding routers), and the
/// id form as an id-form request leaves it, escaped (`ns%2Fdb.T`, the field as the UI's
/// `encodeURIComponent` sends it).
fn forms(name: &str, field: &str, id: Option<&str>) -> Vec<(String, String)> {
    let mut v = vec![(name.to_string(), field.to_string())];
    if let Some(id) = id {
        v.push((id.to_string(), field.to_string()));
        let escaped = crate::route::encode_uri_component(id);
        let escaped_field = crate::route::encode_uri_component(field);
        v.push((escaped.clone(), field.to_string()));
        if escaped_field != field {
            v.push((escaped, escaped_field));
        }
    }
    v
}
