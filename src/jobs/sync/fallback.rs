//! Without a usable snapshot: every cached value judged against the source as it is now,
//! at the default depth (verify's audit), and every key whose value is not what the API
//! would write now is stale: stale, orphaned, unreadable, non-canonical, and graphs that
//! match the source only at another depth (possibly the old lineage's answer at depth 5
//! equal to the new one at depth 3). Keys of no kind the API builds are never touched.
use std::sync::Arc;

use super::flow::Sync;
use crate::jobs::judge::audit::{self, Audit};
use crate::jobs::judge::found::{Keep, Pending};
use crate::jobs::judge::verdict::Judge;
use crate::select::Selection;

/// The keys the audit of the whole cache finds stale.
pub(super) async fn judged(sync: &mut Sync<'_>) -> anyhow::Result<Vec<String>> {
    let source = sync.source.clone();
    let depth = Some(sync.config.validation.default_max_depth);
    let validation = sync.config.validation;
    let judge = tokio::task::spawn_blocking(move || Judge::load(source, depth, validation, false))
        .await??;
    let audit = Arc::new(Audit {
        selection: Selection {
            all: true,
            ..Selection::default()
        },
        keep: Keep {
            pending: true,
            ..Keep::default()
        },
    });
    let bar = crate::app::report::progress::bar(0, "judging", sync.opts.progress);
    let found = audit::run(
        sync.config,
        &sync.store,
        Arc::new(judge),
        audit,
        sync.stop.clone(),
        &bar,
    )
    .await?;
    bar.finish_and_clear();
    sync.report.keys_read += found
        .tally
        .by_kind
        .values()
        .map(|c| c.outcomes.values().sum::<u64>())
        .sum::<u64>();
    sync.report.bytes_read += found.tally.total_bytes();
    sync.report.note(format!(
        "judged every cached value at the default depth: {} not what the API would write now",
        found.drifted
    ));
    Ok(found
        .pending
        .into_iter()
        .filter_map(|p| match p {
            Pending::Cached(k) => Some(k),
            Pending::Missing(_) => None,
        })
        .collect())
}
