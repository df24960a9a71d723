//! The snapshot of the lineage as the cache saw it, kept in Redis under the tool's own
//! prefix beside the warm lock (`lineage-cache:snapshot:{db}`, no TTL): written whole by one
//! `SET` (atomic: a reader sees the old value or the new one, never a half), read by one
//! `GET`, and checked before use (its header, length and checksum; see
//! `source::snapshot`). A missing or unusable snapshot is said, never guessed around.
use std::sync::Arc;

use crate::config::Config;
use crate::source::snapshot::Snapshot;
use crate::source::LineageSource;
use crate::store::{Store, StoreError};

/// The key the snapshot lives under.
pub(crate) fn key(config: &Config) -> String {
    format!("lineage-cache:snapshot:{}", config.redis.db)
}

/// The snapshot as read: absent, unusable (and why), or usable with its size.
pub(crate) enum Saved {
    Missing,
    Unusable(String),
    Found { snapshot: Snapshot, bytes: u64 },
}

/// Read and check the saved snapshot.
pub(crate) async fn read(store: &Store, config: &Config) -> Result<Saved, StoreError> {
    let key = key(config);
    let t = std::time::Instant::now();
    let raw: Option<Vec<u8>> = store
        .query(redis::cmd("GET").arg(&key), "GET (snapshot)")
        .await?;
    let Some(raw) = raw else {
        return Ok(Saved::Missing);
    };
    let bytes = raw.len() as u64;
    let got = t.elapsed();
    let decoded = Snapshot::decode(&raw);
    tracing::debug!(
        "snapshot: {bytes} bytes read in {got:.2?}, decoded and checked in {:.2?}",
        t.elapsed() - got
    );
    Ok(match decoded {
        Ok(snapshot) => Saved::Found { snapshot, bytes },
        Err(e) => Saved::Unusable(format!("{key} holds no usable snapshot: {e}")),
    })
}

/// Save `snapshot` (replacing the last one whole); its size in bytes.
pub(crate) async fn write(
    store: &Store,
    config: &Config,
    snapshot: &Snapshot,
) -> Result<u64, StoreError> {
    let bytes = snapshot.encode();
    let n = bytes.len() as u64;
    let mut set = redis::cmd("SET");
    set.arg(key(config)).arg(bytes);
    store.query_once::<()>(&set, "SET (snapshot)").await?;
    Ok(n)
}

/// The key marking a run no sync completed after: the server time (ms) it began.
fn unfinished_key(config: &Config) -> String {
    format!("lineage-cache:unfinished:{}", config.redis.db)
}

/// When the earliest run that no sync completed after began (server ms), if any.
pub(crate) async fn unfinished(store: &Store, config: &Config) -> Result<Option<i64>, StoreError> {
    let mut get = redis::cmd("GET");
    get.arg(unfinished_key(config));
    let raw: Option<String> = store.query(&get, "GET (unfinished run)").await?;
    Ok(raw.and_then(|t| t.trim().parse().ok()))
}

/// Mark a run beginning at `since_ms` as unfinished (the caller keeps the earliest).
pub(crate) async fn mark_unfinished(
    store: &Store,
    config: &Config,
    since_ms: i64,
) -> Result<(), StoreError> {
    let mut set = redis::cmd("SET");
    set.arg(unfinished_key(config)).arg(since_ms);
    store.query_once::<()>(&set, "SET (unfinished run)").await
}

/// The run is synced to its end: no mark.
pub(crate) async fn clear_unfinished(store: &Store, config: &Config) -> Result<(), StoreError> {
    let mut del = redis::cmd("DEL");
    del.arg(unfinished_key(config));
    store.query_once::<()>(&del, "DEL (unfinished run)").await
}

/// A snapshot of the source as it is now (one bulk read of rows and assets).
pub(crate) async fn take(source: Arc<dyn LineageSource>) -> anyhow::Result<Snapshot> {
    let at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0);
    tokio::task::spawn_blocking(move || -> anyhow::Result<Snapshot> {
        let t = std::time::Instant::now();
        let rows = source.active_lineage()?;
        let datasets = source.all_datasets()?;
        let fields = source.all_fields()?;
        let namespaces = source.namespaces()?;
        let read = t.elapsed();
        let snapshot = Snapshot::build(&rows, &datasets, &fields, &namespaces, at);
        tracing::debug!(
            "snapshot: {} rows, {} datasets, {} fields read from the source in {read:.2?}, built in {:.2?}",
            rows.len(),
            datasets.len(),
            fields.len(),
            t.elapsed() - read
        );
        Ok(snapshot)
    })
    .await?
}

/// After a complete warm: save a snapshot of the source when there is none yet (or the one
/// there is unusable), so the next `sync` diffs instead of judging every value. One that
/// exists is kept: if the lineage changed since it was taken without a `sync`, replacing it
/// would hide that change from the next one (docs/sync.md). Its size when written.
pub(crate) async fn create_if_missing(
    store: &Store,
    config: &Config,
    source: Arc<dyn LineageSource>,
) -> anyhow::Result<Option<u64>> {
    let mut exists = redis::cmd("EXISTS");
    exists.arg(key(config));
    let n: u64 = store.query(&exists, "EXISTS (snapshot)").await?;
    if n > 0 && matches!(read(store, config).await?, Saved::Found { .. }) {
        return Ok(None);
    }
    let snapshot = take(source).await?;
    Ok(Some(write(store, config, &snapshot).await?))
}
