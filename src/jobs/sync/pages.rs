//! The list and search pages of the changed datasets: every page they can be on, looked up
//! in the cache or found by one narrow scan, whichever costs the server less (`--pages`,
//! `--page-sizes`), by the invalidate job's page finder.
use super::flow::Sync;
use super::keys::StaleKeys;
use crate::jobs::stale::{pages, DatasetPlan};
use crate::keys::Kind;
use crate::select::{DatasetRef, Selection};

/// The cached pages the change made stale.
pub(super) async fn stale_pages(
    sync: &mut Sync<'_>,
    stale: &StaleKeys,
) -> anyhow::Result<Vec<String>> {
    if stale.page_datasets.is_empty() {
        return Ok(Vec::new());
    }
    let datasets = stale
        .page_datasets
        .iter()
        .map(|(id, name, ns)| DatasetRef {
            given: name.clone(),
            id: Some(id.clone()),
            name: name.clone(),
            namespace: Some(ns.clone()),
        })
        .collect();
    let sel = Selection {
        datasets,
        kinds: vec![Kind::DatasetList, Kind::DatasetSearch],
        page_sizes: sync.opts.page_sizes.clone(),
        ..Selection::default()
    };
    let plan = DatasetPlan {
        lists: stale.lists.clone(),
        queries: stale.queries.clone(),
        ..DatasetPlan::default()
    };
    let mut ways = Vec::new();
    let found = pages::find(&sync.store, &sel, &plan, sync.opts.pages, &mut ways).await?;
    sync.report.note(format!(
        "pages of {} changed datasets: {}",
        stale.page_datasets.len(),
        ways.join(", ")
    ));
    Ok(found)
}
