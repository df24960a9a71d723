//! One warm at a time per cache: a Redis lock outside the API's key space.
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::store::Store;

/// Another run holds the lock of this cache (exit code 5, `exit::Code::Locked`).
#[derive(Debug, thiserror::Error)]
#[error(
    "another warm is running on this cache (lock {key} is held); wait for it or pass --wait-lock"
)]
pub struct LockHeld {
    pub key: String,
}

pub(crate) struct Held {
    key: String,
    token: String,
    renew: tokio::task::JoinHandle<()>,
}

const TTL_MS: u64 = 30_000;

pub(crate) async fn acquire(
    store: &Store,
    config: &Config,
    wait: Option<Duration>,
) -> anyhow::Result<Held> {
    let key = format!("lineage-cache:lock:warm:{}", config.redis.db);
    let token = format!("{}-{}", std::process::id(), crate::jobs::seed());
    let deadline = Instant::now() + wait.unwrap_or_default();
    loop {
        if store.try_lock(&key, &token, TTL_MS).await? {
            break;
        }
        if Instant::now() >= deadline {
            return Err(LockHeld { key }.into());
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let (s, k, t) = (store.clone(), key.clone(), token.clone());
    let renew = tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_millis(TTL_MS / 3)).await;
            match s.renew_lock(&k, &t, TTL_MS).await {
                Ok(true) => {}
                Ok(false) => {
                    tracing::warn!("the warm lock {k} was lost; another run may start");
                    return;
                }
                Err(e) => tracing::warn!("cannot renew the warm lock: {e}"),
            }
        }
    });
    Ok(Held { key, token, renew })
}

impl Held {
    pub(crate) async fn release(self, store: &Store) {
        self.renew.abort();
        if let Err(e) = store.release_lock(&self.key, &self.token).await {
            tracing::warn!("cannot release the warm lock {}: {e}", self.key);
        }
    }
}
