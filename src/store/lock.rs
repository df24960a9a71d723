//! A lease lock in one key (`SET NX PX`), renewed and released only by its owner's token.
//!
//! Renew and release compare the stored token and act in one server-side step (`EVAL`), so
//! a lock that expired and was taken by another run is never extended or deleted by us.
use super::{Store, StoreError};

/// Extend the lease if the key still holds our token.
const RENEW: &str = "if redis.call('GET', KEYS[1]) == ARGV[1] then \
     return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end";

/// Delete the key if it still holds our token.
const RELEASE: &str = "if redis.call('GET', KEYS[1]) == ARGV[1] then \
     return redis.call('DEL', KEYS[1]) else return 0 end";

impl Store {
    /// Take the lock `key` for `ttl_ms` milliseconds if nobody holds it: true when taken.
    pub async fn try_lock(&self, key: &str, token: &str, ttl_ms: u64) -> Result<bool, StoreError> {
        let mut cmd = redis::cmd("SET");
        cmd.arg(key)
            .arg(token)
            .arg("NX")
            .arg("PX")
            .arg(ttl_ms.max(1));
        let reply: Option<String> = self.query(&cmd, "SET NX (lock)").await?;
        Ok(reply.is_some())
    }

    /// Extend our lease to `ttl_ms` from now: false when the lock is no longer ours.
    pub async fn renew_lock(
        &self,
        key: &str,
        token: &str,
        ttl_ms: u64,
    ) -> Result<bool, StoreError> {
        let mut cmd = redis::cmd("EVAL");
        cmd.arg(RENEW).arg(1).arg(key).arg(token).arg(ttl_ms.max(1));
        let n: i64 = self.query(&cmd, "EVAL (renew lock)").await?;
        Ok(n == 1)
    }

    /// Release the lock if it is ours: false when it had expired or another run holds it.
    pub async fn release_lock(&self, key: &str, token: &str) -> Result<bool, StoreError> {
        let mut cmd = redis::cmd("EVAL");
        cmd.arg(RELEASE).arg(1).arg(key).arg(token);
        let n: i64 = self.query(&cmd, "EVAL (release lock)").await?;
        Ok(n == 1)
    }
}
