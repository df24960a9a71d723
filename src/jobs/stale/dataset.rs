//! `--dataset` without a scan of the cache. For each dataset the source knows: its own keys
//! (dataset, field list, statistics, DDL) and the graphs of its columns (its fields, the
//! fields of every dataset of its name, and every column of it a lineage row names, active
//! or not), in the name, id and escaped-id forms, from the key builder; its namespace's
//! list pages and the search pages whose query its upper-cased name contains, which depend
//! on requests no source records: either every page the API can have cached is looked up
//! (`EXISTS`: every limit it accepts × every offset below the namespace's count of
//! datasets; every limit × every substring of the name), or, when the cache holds fewer
//! keys than that, one narrow `SCAN MATCH` finds them: whichever costs the server less.
//! A dataset the source does not know cannot be decided (its id form under any namespace
//! may be cached): the scan path runs.
use std::collections::{BTreeMap, BTreeSet};
use std::ops::ControlFlow;
use std::sync::Arc;

use futures_util::StreamExt;

use super::{Pages, Part};
use crate::keys::Kind;
use crate::route::forms;
use crate::select::Selection;
use crate::source::near::{self, Target};
use crate::source::{Direction, LineageSource};
use crate::store::Store;

/// Looked-up keys per pipeline, keys per counting `EXISTS`, and pipelines in flight.
const BATCH: usize = 4096;
const GROUP: usize = 64;
const IN_FLIGHT: usize = 3;
/// The pages are looked up when there are at most this many of them per key in the cache:
/// measured, a key looked up (64 to a counting `EXISTS`) costs the server about half what
/// a key a `SCAN MATCH` visits does (0.75 against 1.45 µs, docs/benchmarks.md).
const LOOKUPS_PER_CACHED_KEY: u64 = 2;
/// SCAN COUNT of the narrow scan (as the scan path's: each call blocks the server briefly).
const SCAN_COUNT: usize = 500;

/// What the source says of the selected datasets.
struct Plan {
    /// Own keys and graph keys, as they are.
    keys: Vec<String>,
    columns: u64,
    /// Namespace id → how many datasets it holds, in any state (list pages needed).
    lists: BTreeMap<String, u64>,
    /// Search queries (search pages needed).
    queries: Vec<String>,
}

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
    let mut keys = plan.keys;
    let mut ways = vec![format!(
        "{} own and graph keys of {} dataset(s) ({} columns) built",
        keys.len(),
        sel.datasets.len(),
        plan.columns
    )];
    let limits = forms::page_limits(&sel.page_sizes);
    let list_cost: u64 = plan
        .lists
        .values()
        .map(|&n| forms::list_page_count(&limits, n))
        .sum();
    let search_cost = forms::search_page_count(&limits, plan.queries.len());
    if list_cost + search_cost > 0 {
        let cached = store.dbsize().await?;
        // Look the pages up when they are few against the cache (or when told to).
        let lookup = |cost: u64| match pages {
            Pages::Auto => cost <= cached.saturating_mul(LOOKUPS_PER_CACHED_KEY),
            Pages::Lookup => true,
            Pages::Scan => false,
        };
        let mut scan_kinds = Vec::new();
        if list_cost > 0 {
            if lookup(list_cost) {
                let pages = plan
                    .lists
                    .iter()
                    .flat_map(|(ns, &n)| forms::list_pages(ns, n, &limits));
                let found = existing(store, pages).await?;
                ways.push(format!(
                    "list pages: {list_cost} possible pages looked up, {} cached",
                    found.len()
                ));
                keys.extend(found);
            } else {
                scan_kinds.push(Kind::DatasetList);
                ways.push(format!("list pages: {list_cost} possible pages against the cache's {cached} keys: scanned"));
            }
        }
        if search_cost > 0 {
            if lookup(search_cost) {
                let found = existing(store, forms::search_pages(&plan.queries, &limits)).await?;
                ways.push(format!(
                    "search pages: {search_cost} possible pages looked up, {} cached",
                    found.len()
                ));
                keys.extend(found);
            } else {
                scan_kinds.push(Kind::DatasetSearch);
                ways.push(format!("search pages: {search_cost} possible pages against the cache's {cached} keys: scanned"));
            }
        }
        if !scan_kinds.is_empty() {
            let (found, pattern) = narrow_scan(store, sel, scan_kinds).await?;
            ways.push(format!("one SCAN MATCH {pattern} found {}", found.len()));
            keys.extend(found);
        }
    }
    Ok(Ok(Part {
        keys,
        way: ways.join(", "),
    }))
}

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
    let mut keys = BTreeSet::new();
    let mut columns = 0u64;
    let mut lists = BTreeMap::new();
    let mut queries = BTreeSet::new();
    let mut counts: Option<BTreeMap<String, u64>> = None;
    for d in &sel.datasets {
        let Some(id) = d.id.as_deref() else {
            return Ok(Err(format!(
                "dataset {:?} is not in the lineage source",
                d.given
            )));
        };
        let Some(row) = source.dataset(id)?.filter(|r| r.id == id) else {
            return Ok(Err(format!("dataset {:?} is not in the lineage source (its keys under other ids cannot be computed)", d.given)));
        };
        let ids = [row.id.clone()];
        keys.extend(forms::own_keys(&row.name, &ids, &own));
        if wants(Kind::LineageGraph) {
            // Every column a graph keyed at this dataset's name or id can be seeded at and
            // hold more than its seed: the fields of every dataset of this name (the name
            // form is theirs too) and every column of it a row names.
            let mut fields = Vec::new();
            for r in source.datasets_named(std::slice::from_ref(&row.name))? {
                fields.extend(source.fields(&r.id)?.into_iter().map(|f| f.name));
            }
            let target = Target::Dataset {
                name: row.name.clone(),
                fields,
            };
            let around = near::around(source, &[target], 0)?;
            columns += around.targets.len() as u64;
            for (name, field) in &around.targets {
                keys.extend(forms::graph_keys(name, field, &ids, &Direction::ALL));
            }
        }
        if wants(Kind::DatasetList) {
            let counts = match &mut counts {
                Some(c) => c,
                None => counts.insert(namespace_counts(source)?),
            };
            let n = counts.get(&row.namespace_id).copied().unwrap_or(0);
            lists.insert(row.namespace_id.clone(), n);
        }
        if wants(Kind::DatasetSearch) {
            queries.extend(forms::search_queries(&row.name));
        }
    }
    Ok(Ok(Plan {
        keys: keys.into_iter().collect(),
        columns,
        lists,
        queries: queries.into_iter().collect(),
    }))
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

/// The keys among `keys` that exist, looked up in pipelined batches: each group of
/// [`GROUP`] keys counted by one `EXISTS`, and only a group holding some looked up key by
/// key (pages are sparse: most groups hold none).
async fn existing(
    store: &Store,
    keys: impl Iterator<Item = String>,
) -> anyhow::Result<Vec<String>> {
    let mut keys = keys.peekable();
    let batches = std::iter::from_fn(move || {
        keys.peek()?;
        Some(
            keys.by_ref()
                .take(BATCH)
                .map(String::into_bytes)
                .collect::<Vec<_>>(),
        )
    });
    let mut looked = futures_util::stream::iter(batches)
        .map(|batch| async move {
            let groups: Vec<&[Vec<u8>]> = batch.chunks(GROUP).collect();
            let counts = store.exists_counts(&groups).await?;
            // The keys of every group holding some, looked at one by one in one pipeline.
            let holding: Vec<Vec<u8>> = groups
                .into_iter()
                .zip(counts)
                .filter(|(_, n)| *n > 0)
                .flat_map(|(group, _)| group.iter().cloned())
                .collect();
            let there = match holding.is_empty() {
                true => Vec::new(),
                false => store.exists_many(&holding).await?,
            };
            let found = holding
                .iter()
                .zip(there)
                .filter(|(_, e)| *e)
                .map(|(k, _)| String::from_utf8_lossy(k).into_owned())
                .collect::<Vec<_>>();
            anyhow::Ok(found)
        })
        .buffered(IN_FLIGHT);
    let mut found = Vec::new();
    while let Some(part) = looked.next().await {
        found.extend(part?);
    }
    Ok(found)
}

/// The list or search pages of the selected datasets, by one scan as narrow as the kinds
/// allow, matched as the scan path matches them. A cluster pass that saw the slots move is
/// thrown away: the keys of the last, settled pass are kept.
async fn narrow_scan(
    store: &Store,
    sel: &Selection,
    kinds: Vec<Kind>,
) -> anyhow::Result<(Vec<String>, String)> {
    let pattern = match kinds.as_slice() {
        [k] => k.pattern(),
        _ => forms::PAGES_PATTERN.to_string(),
    };
    let pages = Selection {
        datasets: sel.datasets.clone(),
        kinds,
        page_sizes: sel.page_sizes.clone(),
        ..Selection::default()
    };
    let mut found: Vec<String> = Vec::new();
    let mut last_pass = 0;
    store
        .scan_all_stable(&pattern, SCAN_COUNT, |pass, batch| {
            if pass != last_pass {
                found.clear();
                last_pass = pass;
            }
            for raw in batch {
                let key = String::from_utf8_lossy(&raw);
                if pages.matches_key(&key) {
                    found.push(key.into_owned());
                }
            }
            ControlFlow::Continue(())
        })
        .await?;
    Ok((found, pattern))
}
