//! The connections a command's Redis work runs on.
use crate::config::Config;
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
