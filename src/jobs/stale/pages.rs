//! The list and search pages of `--dataset`, which depend on requests no source records:
//! either every page the API can have cached is looked up (`EXISTS`: every limit it
//! accepts × every offset below the namespace's count of datasets; every limit × every
//! substring of the name), or, when the cache holds fewer keys than that, one narrow
//! `SCAN MATCH` finds them: whichever costs the server less (or as `--pages` says).
use std::collections::{BTreeMap, BTreeSet};
use std::ops::ControlFlow;

use futures_util::StreamExt;

use super::Pages;
use crate::keys::Kind;
use crate::route::forms;
use crate::select::Selection;
use crate::store::Store;

/// What the source says of the selected datasets (built by `dataset.rs`): their own and
/// graph keys, and the list and search pages to look for here.
#[derive(Default)]
pub(crate) struct Plan {
    /// Own keys and graph keys, as they are.
    pub keys: BTreeSet<String>,
    pub columns: u64,
    /// Namespace id → how many datasets it holds, in any state (list pages needed).
    pub lists: BTreeMap<String, u64>,
    /// Search queries (search pages needed).
    pub queries: BTreeSet<String>,
}

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

/// The cached list and search pages of the planned datasets; how they were found goes to
/// `ways`.
pub(crate) async fn find(
    store: &Store,
    sel: &Selection,
    plan: &Plan,
    pages: Pages,
    ways: &mut Vec<String>,
) -> anyhow::Result<Vec<String>> {
    let limits = forms::page_limits(&sel.page_sizes);
    let queries: Vec<String> = plan.queries.iter().cloned().collect();
    let list_cost: u64 = plan
        .lists
        .values()
        .map(|&n| forms::list_page_count(&limits, n))
        .sum();
    let search_cost = forms::search_page_count(&limits, queries.len());
    if list_cost + search_cost == 0 {
        return Ok(Vec::new());
    }
    let mut found = Found {
        store,
        cached: store.dbsize().await?,
        pages,
        ways,
        keys: Vec::new(),
        scan_kinds: Vec::new(),
    };
    let lists = plan
        .lists
        .iter()
        .flat_map(|(ns, &n)| forms::list_pages(ns, n, &limits));
    found.kind(Kind::DatasetList, list_cost, lists).await?;
    let searches = forms::search_pages(&queries, &limits);
    found
        .kind(Kind::DatasetSearch, search_cost, searches)
        .await?;
    found.scan(sel).await?;
    Ok(found.keys)
}

/// The pages found so far, and the kinds left to the narrow scan.
struct Found<'a> {
    store: &'a Store,
    /// Keys in the cache.
    cached: u64,
    pages: Pages,
    ways: &'a mut Vec<String>,
    keys: Vec<String>,
    scan_kinds: Vec<Kind>,
}

impl Found<'_> {
    /// The `cost` possible pages of one kind: looked up when they are few against the
    /// cache (or when told to), else left to the narrow scan.
    async fn kind(
        &mut self,
        kind: Kind,
        cost: u64,
        pages: impl Iterator<Item = String>,
    ) -> anyhow::Result<()> {
        if cost == 0 {
            return Ok(());
        }
        let what = match kind {
            Kind::DatasetList => "list pages",
            _ => "search pages",
        };
        let lookup = match self.pages {
            Pages::Auto => cost <= self.cached.saturating_mul(LOOKUPS_PER_CACHED_KEY),
            Pages::Lookup => true,
            Pages::Scan => false,
        };
        if !lookup {
            self.scan_kinds.push(kind);
            let cached = self.cached;
            self.ways.push(format!(
                "{what}: {cost} possible pages against the cache's {cached} keys: scanned"
            ));
            return Ok(());
        }
        let found = existing(self.store, pages).await?;
        self.ways.push(format!(
            "{what}: {cost} possible pages looked up, {} cached",
            found.len()
        ));
        self.keys.extend(found);
        Ok(())
    }

    /// The kinds left to it, by one narrow scan.
    async fn scan(&mut self, sel: &Selection) -> anyhow::Result<()> {
        if self.scan_kinds.is_empty() {
            return Ok(());
        }
        let kinds = std::mem::take(&mut self.scan_kinds);
        let (found, pattern) = narrow_scan(self.store, sel, kinds).await?;
        self.ways
            .push(format!("one SCAN MATCH {pattern} found {}", found.len()));
        self.keys.extend(found);
        Ok(())
    }
}

/// The keys among `keys` that exist, looked up in pipelined batches of [`BATCH`].
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
        .map(|batch| existing_in(store, batch))
        .buffered(IN_FLIGHT);
    let mut found = Vec::new();
    while let Some(part) = looked.next().await {
        found.extend(part?);
    }
    Ok(found)
}

/// The keys of one batch that exist: each group of [`GROUP`] keys counted by one `EXISTS`,
/// and only a group holding some looked up key by key, in one pipeline (pages are sparse:
/// most groups hold none).
async fn existing_in(store: &Store, batch: Vec<Vec<u8>>) -> anyhow::Result<Vec<String>> {
    let groups: Vec<&[Vec<u8>]> = batch.chunks(GROUP).collect();
    let counts = store.exists_counts(&groups).await?;
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
    Ok(holding
        .iter()
        .zip(there)
        .filter(|(_, e)| *e)
        .map(|(k, _)| String::from_utf8_lossy(k).into_owned())
        .collect())
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
