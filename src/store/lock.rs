//! A lease lock in one key (`SET NX PX`), renewed and released only by its owner's token.
//!
//! Renew and release compare the stored token and act in one server-side step (`EVAL`), so
//! a lock that expired and was taken by another run is never extended or deleted by us.
//!
//! Retries (see `retry.rs`): a `SET NX` or a release whose answer was lost may have been
//! applied. So after a connection error or timeout the key is read back and compared with
//! our token before anything is sent again: holding our token means "acquired"; gone after
//! a release attempt means "released". Renewing is idempotent and simply retried.
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
        let what = "SET NX (lock)";
        let mut attempts = self.attempts(what);
        let mut ambiguous = false;
        loop {
            let generation = self.generation();
            let step = async {
                if ambiguous {
                    // The last SET NX may have been applied: is the lock ours already?
                    if let Some(holder) = self.lock_holder(key).await? {
                        return Ok(holder == token);
                    }
                }
                let reply: Option<String> = self.query_once(&cmd, what).await?;
                Ok(reply.is_some())
            };
            match self.attempt(&attempts, step).await {
                Ok(taken) => return Ok(taken),
                Err(e) => self.recover(&mut attempts, generation, e).await?,
            }
            ambiguous = true;
        }
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
        let what = "EVAL (release lock)";
        let mut attempts = self.attempts(what);
        let mut ambiguous = false;
        loop {
            let generation = self.generation();
            let step = async {
                let n: i64 = self.query_once(&cmd, what).await?;
                if n == 0 && ambiguous {
                    // An earlier attempt may have deleted it: gone means released.
                    return Ok(self.lock_holder(key).await?.is_none());
                }
                Ok(n == 1)
            };
            match self.attempt(&attempts, step).await {
                Ok(released) => return Ok(released),
                Err(e) => self.recover(&mut attempts, generation, e).await?,
            }
            ambiguous = true;
        }
    }

    /// The token the lock key holds now, if any (one attempt).
    async fn lock_holder(&self, key: &str) -> Result<Option<String>, StoreError> {
        let mut get = redis::cmd("GET");
        get.arg(key);
        self.query_once(&get, "GET (lock)").await
    }
}
