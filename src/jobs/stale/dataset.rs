//! `--dataset` without a scan of the cache. For each dataset the source knows: its own keys
//! (dataset, field list, statistics, DDL) and the graphs of its columns (its fields, the
//! fields of every dataset of its name, and every column of it a lineage row names, active
//! or not), in the name, id and escaped-id forms, from the key builder; its namespace's
//! list pages and the search pages whose query its upper-cased name contains, which no
//! source records ([`super::pages`]: looked up, or found by one narrow scan).
//! A dataset the source does not know cannot be decided (its id form under any namespace
//! may be cached): the scan path runs.
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::pages::{self, Plan};
use super::{Pages, Part};
use crate::keys::Kind;
use crate::model::Dataset;
use crate::route::forms;
use crate::select::{DatasetRef, Selection};
use crate::source::near::{self, Target};
use crate::source::{Direction, LineageSource};
use crate::store::Store;

/// The selected datasets' keys, or why they cannot be computed.
pub(super) async fn find(
    source: Arc<dyn LineageSource>,
    store: &Store,
    sel: &Selection,
    pages: Pages,
) -> anyhow::Result<Result<Part, String>> {
    let owned = sel.clone();
    let plan = tokio::task::spawn_blocking(move || plan(source.as_ref(), &owned)).await??;
    let plan = match plan {
        Ok(p) => p,
        Err(why) => return Ok(Err(why)),
    };
    let mut ways = vec![format!(
        "{} own and graph keys of {} dataset(s) ({} columns) built",
        plan.keys.len(),
        sel.datasets.len(),
        plan.columns
    )];
    let cached = pages::find(store, sel, &plan, pages, &mut ways).await?;
    let mut keys: Vec<String> = plan.keys.into_iter().collect();
    keys.extend(cached);
    Ok(Ok(Part {
        keys,
        way: ways.join(", "),
    }))
}

/// The keys the source lets us build for the selected datasets, and the pages they need.
fn plan(source: &dyn LineageSource, sel: &Selection) -> anyhow::Result<Result<Plan, String>> {
    let wants = |k: Kind| sel.kinds.is_empty() || sel.kinds.contains(&k);
    let own: Vec<Kind> = [
        Kind::DatasetGet,
        Kind::FieldList,
        Kind::DatasetStatistics,
        Kind::DatasetDdl,
    ]
    .into_iter()
    .filter(|k| wants(*k))
    .collect();
    let mut plan = Plan::default();
    let mut counts: Option<BTreeMap<String, u64>> = None;
    for d in &sel.datasets {
        let row = match known(source, d)? {
            Ok(row) => row,
            Err(why) => return Ok(Err(why)),
        };
        plan.keys.extend(forms::own_keys(
            &row.name,
            std::slice::from_ref(&row.id),
            &own,
        ));
        if wants(Kind::LineageGraph) {
            plan.columns += graph_keys(source, &row, &mut plan.keys)?;
        }
        if wants(Kind::DatasetList) {
            let counts = match &mut counts {
                Some(c) => c,
                None => counts.insert(namespace_counts(source)?),
            };
            let n = counts.get(&row.namespace_id).copied().unwrap_or(0);
            plan.lists.insert(row.namespace_id.clone(), n);
        }
        if wants(Kind::DatasetSearch) {
            plan.queries.extend(forms::search_queries(&row.name));
        }
    }
    Ok(Ok(plan))
}

/// The source's row of a selected dataset, or why its keys cannot be computed.
fn known(source: &dyn LineageSource, d: &DatasetRef) -> anyhow::Result<Result<Dataset, String>> {
    let Some(id) = d.id.as_deref() else {
        return Ok(Err(format!(
            "dataset {:?} is not in the lineage source",
            d.given
        )));
    };
    match source.dataset(id)?.filter(|r| r.id == id) {
        Some(row) => Ok(Ok(row)),
        None => Ok(Err(format!("dataset {:?} is not in the lineage source (its keys under other ids cannot be computed)", d.given))),
    }
}

/// Every column a graph keyed at this dataset's name or id can be seeded at and hold more
/// than its seed: the fields of every dataset of this name (the name form is theirs too)
/// and every column of it a row names. Their graph keys go to `keys`; how many columns.
fn graph_keys(
    source: &dyn LineageSource,
    row: &Dataset,
    keys: &mut BTreeSet<String>,
) -> anyhow::Result<u64> {
    let mut fields = Vec::new();
    for r in source.datasets_named(std::slice::from_ref(&row.name))? {
        fields.extend(source.fields(&r.id)?.into_iter().map(|f| f.name));
    }
    let target = Target::Dataset {
        name: row.name.clone(),
        fields,
    };
    let around = near::around(source, &[target], 0)?;
    let ids = std::slice::from_ref(&row.id);
    for (name, field) in &around.targets {
        keys.extend(forms::graph_keys(name, field, ids, &Direction::ALL));
    }
    Ok(around.targets.len() as u64)
}

/// How many datasets each namespace holds, in any state: a page cached before some were
/// deactivated may have counted them.
fn namespace_counts(source: &dyn LineageSource) -> anyhow::Result<BTreeMap<String, u64>> {
    let mut counts = BTreeMap::new();
    for d in source.all_datasets()? {
        *counts.entry(d.namespace_id).or_insert(0) += 1;
    }
    Ok(counts)
}
