//! `--field` and `--touching` without a scan. `--field`: the column's graph keys from the key
//! builder. `--touching`: the graphs that can hold a column of the target are those
//! of the columns within the deepest depth the API accepts (`VALIDATION_MAX_DEPTH_LIMIT`)
//! of it, following lineage rows either way, **in every row the source holds, active or
//! not, and every row of the saved lineage snapshot** (`jobs::saved`): `populate_lineage.py`
//! deletes and re-inserts every row, so a row a change removed is in no table any more,
//! only in the snapshot of the lineage the cache was filled from; without a snapshot such
//! rows cannot be seen, and the report says so. Those candidates' keys (every
//! direction, in the name, id and escaped-id forms) are read with pipelined `GET`s and
//! kept by the same test on the value the scan path applies to every cached graph
//! ([`crate::select::graph_touches`]). The cost follows the lineage around the target, not
//! the size of the cache. docs/invalidate.md ("--touching without a scan").
use std::collections::{BTreeSet, HashMap};

use std::sync::Arc;

use futures_util::StreamExt;

use super::Part;
use crate::route::forms;
use crate::select::{graph_touches, DatasetRef, Selection};
use crate::source::near::{self, Column, Target};
use crate::source::{Direction, LineageSource};
use crate::store::Store;

/// Candidate keys read per pipeline.
const BATCH: usize = 500;
/// Pipelines in flight; each batch's values are checked on a blocking thread while the
/// next ones arrive.
const IN_FLIGHT: usize = 3;

/// The rows deleted from the tables that `--touching` follows too.
pub(super) enum Deleted {
    /// No `--touching` target.
    NotNeeded,
    /// No usable snapshot: rows deleted since the cache was filled cannot be seen (why).
    Unseen(String),
    /// Every row of the saved snapshot.
    Snapshot(Vec<near::Edge>),
}

/// The rows of the saved lineage snapshot, or why there are none.
pub(super) async fn deleted_rows(
    config: &crate::config::Config,
    store: &Store,
) -> anyhow::Result<Deleted> {
    use crate::jobs::saved::{read, Saved};
    Ok(match read(store, config).await? {
        Saved::Missing => Deleted::Unseen("no lineage snapshot saved".into()),
        Saved::Unusable(why) => Deleted::Unseen(why),
        Saved::Found { snapshot, .. } => Deleted::Snapshot(
            (0..snapshot.rows().len())
                .filter_map(|i| snapshot.row(i))
                .map(|r| {
                    let col = |(_, d, f): (&str, &str, &str)| (d.to_string(), f.to_string());
                    (col(r.source), col(r.target))
                })
                .collect(),
        ),
    })
}

impl Deleted {
    /// What the report says about the rows deleted from the tables.
    fn note(&self) -> String {
        match self {
            Deleted::NotNeeded => String::new(),
            Deleted::Snapshot(rows) => format!(", with the {} rows of the saved lineage snapshot", rows.len()),
            Deleted::Unseen(why) => format!(
                "; {why}: rows deleted from the tables since the cache was filled are not seen (after populate_lineage.py, which deletes and re-inserts every row, use `sync`)"
            ),
        }
    }
}

/// `--field` and `--touching` keys: a `--field`'s graph keys as they are (the exact path
/// counts those that exist), and the touching keys checked on their values, found within
/// `depth` in the source's rows and the `deleted` ones.
pub(super) async fn find(
    source: Arc<dyn LineageSource>,
    store: &Store,
    sel: &Selection,
    (depth, deleted): (u32, Deleted),
) -> anyhow::Result<Part> {
    let (targets, fields) = (sel.touching.clone(), sel.fields.clone());
    let note = deleted.note();
    let (candidates, columns, mut keys) = tokio::task::spawn_blocking(move || {
        let named = field_keys(source.as_ref(), &fields)?;
        let extra = match &deleted {
            Deleted::Snapshot(rows) => rows.as_slice(),
            _ => &[],
        };
        let (candidates, columns) = match targets.is_empty() {
            true => (Vec::new(), 0),
            false => candidates(source.as_ref(), &targets, (depth, extra))?,
        };
        anyhow::Ok((candidates, columns, named))
    })
    .await??;
    let named = keys.len();
    let held = holding(store, &candidates, &sel.touching).await?;
    let way = if columns == 0 {
        format!("{named} graph keys of the named columns built")
    } else {
        format!(
            "{} graph keys of {columns} columns around the target (active and inactive rows{note}) read, {} hold it",
            candidates.len(),
            held.len()
        )
    };
    keys.extend(held);
    Ok(Part { keys, way })
}

/// The candidates whose cached value holds a target, read in pipelined batches.
async fn holding(
    store: &Store,
    candidates: &[String],
    touching: &[(DatasetRef, Option<String>)],
) -> anyhow::Result<Vec<String>> {
    let check = Arc::new(Check {
        needles: needles(touching),
        touching: touching.to_vec(),
    });
    let mut checked = futures_util::stream::iter(candidates.chunks(BATCH))
        .map(|chunk| held_in(store, chunk, check.clone()))
        .buffered(IN_FLIGHT);
    let mut held = Vec::new();
    while let Some(part) = checked.next().await {
        held.extend(part?);
    }
    Ok(held)
}

/// The keys of one batch whose value holds a target (the values checked on a blocking
/// thread while the next batches arrive).
async fn held_in(
    store: &Store,
    chunk: &[String],
    check: Arc<Check>,
) -> anyhow::Result<Vec<String>> {
    let raw: Vec<Vec<u8>> = chunk.iter().map(|k| k.as_bytes().to_vec()).collect();
    let values = store.get_many(&raw).await?;
    let held = tokio::task::spawn_blocking(move || {
        raw.into_iter()
            .zip(values)
            .filter(|(_, v)| v.as_deref().is_some_and(|v| check.holds(v)))
            .map(|(k, _)| String::from_utf8_lossy(&k).into_owned())
            .collect::<Vec<String>>()
    })
    .await?;
    Ok(held)
}

/// The test a candidate's value passes when its graph holds a `--touching` target.
struct Check {
    /// What the value must contain somewhere ([`needles`]).
    needles: Vec<Vec<u8>>,
    touching: Vec<(DatasetRef, Option<String>)>,
}

impl Check {
    fn holds(&self, value: &[u8]) -> bool {
        may_touch(value, &self.needles) && graph_touches(value, &self.touching)
    }
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
    let mut keys = Vec::new();
    for (d, f) in fields {
        // The dataset the API resolves the column's dataset to (by id, else by name), as
        // the scan path does; one the source does not know, as given.
        let (name, ids) = match source.dataset(&d.given)? {
            Some(r) => (r.name, vec![r.id]),
            None => (d.name.clone(), d.id.iter().cloned().collect()),
        };
        keys.extend(forms::graph_keys(&name, f, &ids, &Direction::ALL));
    }
    Ok(keys)
}

/// A `--touching` dataset as given: its name and the ids of every dataset of that name (a
/// name shared by datasets of several namespaces has several: more candidates, each
/// checked on its value; one the source does not know, the id given if any).
fn resolve(source: &dyn LineageSource, d: &DatasetRef) -> anyhow::Result<(String, Vec<String>)> {
    if let Some(row) = source.dataset(&d.given)?.filter(|r| r.id == d.given) {
        return Ok((row.name, vec![row.id]));
    }
    let ids: Vec<String> = source
        .datasets_named(std::slice::from_ref(&d.name))?
        .into_iter()
        .map(|r| r.id)
        .collect();
    match ids.is_empty() {
        true => Ok((d.name.clone(), d.id.iter().cloned().collect())),
        false => Ok((d.name.clone(), ids)),
    }
}

/// Every key of every column whose graph may hold a target column, and how many columns.
fn candidates(
    source: &dyn LineageSource,
    targets: &[(DatasetRef, Option<String>)],
    (depth, extra): (u32, &[near::Edge]),
) -> anyhow::Result<(Vec<String>, u64)> {
    let wanted = target_columns(source, targets)?;
    let around = near::around_with(source, &wanted, depth, extra)?;
    let ids = dataset_ids(source, &around)?;
    let mut keys = BTreeSet::new();
    let mut columns: BTreeSet<&Column> = BTreeSet::new();
    // A target's own graphs hold it (their seed) in every direction; a column the target
    // feeds can hold it upstream, a column feeding the target downstream; both, either.
    let sides: [(&BTreeSet<Column>, &[Direction]); 3] = [
        (&around.targets, &Direction::ALL),
        (&around.downstream, &[Direction::Upstream, Direction::Both]),
        (&around.upstream, &[Direction::Downstream, Direction::Both]),
    ];
    for (cols, directions) in sides {
        for c in cols {
            columns.insert(c);
            let ids = ids.get(&c.0).map(Vec::as_slice).unwrap_or_default();
            keys.extend(forms::graph_keys(&c.0, &c.1, ids, directions));
        }
    }
    Ok((keys.into_iter().collect(), columns.len() as u64))
}

/// The target columns: a DATASET/FIELD as given; a DATASET's fields and every column of it
/// that a row names (its graphs hold at least their seed).
fn target_columns(
    source: &dyn LineageSource,
    targets: &[(DatasetRef, Option<String>)],
) -> anyhow::Result<Vec<Target>> {
    let mut wanted = Vec::new();
    for (d, f) in targets {
        let (name, ids) = resolve(source, d)?;
        wanted.push(match f {
            Some(f) => Target::Column((name, f.clone())),
            None => {
                let mut fields = Vec::new();
                for id in &ids {
                    fields.extend(source.fields(id)?.into_iter().map(|f| f.name));
                }
                Target::Dataset { name, fields }
            }
        });
    }
    Ok(wanted)
}

/// Every id of every dataset a candidate column belongs to, by dataset name.
fn dataset_ids(
    source: &dyn LineageSource,
    around: &near::Around,
) -> anyhow::Result<HashMap<String, Vec<String>>> {
    let names: BTreeSet<String> = [&around.targets, &around.downstream, &around.upstream]
        .into_iter()
        .flatten()
        .map(|(d, _)| d.clone())
        .collect();
    let names: Vec<String> = names.into_iter().collect();
    let mut ids: HashMap<String, Vec<String>> = HashMap::new();
    for row in source.datasets_named(&names)? {
        ids.entry(row.name).or_default().push(row.id);
    }
    Ok(ids)
}
