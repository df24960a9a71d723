//! The connections a command's Redis work runs on.
use crate::config::Config;
use crate::store::probe::KeyBatch;
use crate::store::{Store, StoreError};

/// The connection a scan runs ahead on: a second one when the command scans, so the
/// scan's round trips do not queue behind the pipelines on `store` (its UNLINKs or
/// probes); `store` itself when only exact keys are named and nothing is scanned.
pub async fn scan_connection(
    config: &Config,
    store: &Store,
    scanning: bool,
) -> Result<Store, StoreError> {
    if scanning {
        Store::connect(config).await
    } else {
        Ok(store.clone())
    }
}

/// The keys a selection names, as batches for [`crate::store::probe::probe_all`]: its exact
/// keys at once when it names only keys, otherwise a scan of every primary on a connection
/// of its own, run again when a cluster's slots moved (`rescans` counts the extra passes;
/// a key can then come twice, so callers dedupe in a cluster).
pub async fn selected_keys(
    config: &Config,
    store: &Store,
    sel: &crate::select::Selection,
    rescans: std::sync::Arc<std::sync::atomic::AtomicU32>,
) -> Result<futures_util::stream::LocalBoxStream<'static, KeyBatch>, StoreError> {
    use crate::store::probe;
    use futures_util::StreamExt;
    if sel.exact_only() {
        let keys: Vec<Vec<u8>> = sel
            .exact_keys()
            .into_iter()
            .map(String::into_bytes)
            .collect();
        return Ok(futures_util::stream::iter(vec![Ok(keys)]).boxed_local());
    }
    let scan_conn = scan_connection(config, store, true).await?;
    let pattern = sel.scan_pattern();
    Ok(probe::scan_ahead_stable(scan_conn, &pattern, probe::SCAN_COUNT, 8, rescans).boxed_local())
}
