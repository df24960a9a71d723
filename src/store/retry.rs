//! Bounded retries with exponential backoff, and reconnection.
//!
//! A connection broken by a Redis restart, a dropped TCP connection or a server that stopped
//! answering for a moment should not end a long run. So every idempotent operation (GET,
//! PTTL, EXISTS, MEMORY USAGE, OBJECT, INFO, CONFIG GET, PING, SCAN, UNLINK, and SET EX of a
//! complete value) is tried again on a *connection error or timeout* — never on an error
//! reply (OOM, NOPERM, WRONGTYPE...): waits of 100 ms, 200 ms, 400 ms, ... (at most 1.6 s),
//! with a reconnection before each new attempt, within a budget of 3 × the configured
//! timeout from the first attempt. Each attempt is cut at the budget's end, so an operation
//! never takes longer than the budget. Each retry is logged at warn level (the message names
//! the credential-free address only).
//!
//! Once an operation used its whole budget, the store is *degraded*: later operations get a
//! single attempt (a dead server then fails the rest of a run fast) until one succeeds.
//!
//! Standalone: the multiplexed connection is replaced by a new one (one reconnection for
//! every caller that saw the same broken connection). The server's `run_id` is compared
//! before and after: a different one means the server restarted, which [`Store::restarts`]
//! counts (a SCAN cursor of the old process means nothing to the new one). Cluster: the
//! `redis` crate reconnects to nodes itself; the same waits and budget apply on top.
use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::RwLock;
use std::time::{Duration, Instant};

use redis::aio::MultiplexedConnection;
use redis::{AsyncConnectionConfig, Client};

use super::{timeout_error, Store, StoreError};

/// The first wait before a retry; it doubles each time.
pub(crate) const FIRST_WAIT: Duration = Duration::from_millis(100);
/// The longest single wait.
const MAX_WAIT: Duration = Duration::from_millis(1600);
/// The retry budget, as a multiple of the configured timeout.
pub(crate) const BUDGET_TIMEOUTS: u32 = 3;

/// A standalone server's connection, replaceable after a failure.
pub(crate) struct Standalone {
    client: Client,
    /// Whether a blocking connection may be opened with `client` (not when the async
    /// settings pin a TLS name's address, which a blocking connection cannot).
    blocking_ok: bool,
    settings: AsyncConnectionConfig,
    conn: RwLock<MultiplexedConnection>,
    /// Bumped at every reconnection.
    generation: AtomicU64,
    /// One reconnection at a time.
    reconnecting: tokio::sync::Mutex<()>,
    /// Reconnections attempted (successful or not).
    tries: AtomicU64,
    /// The server's `run_id` as last seen (`None` when INFO is unavailable).
    run_id: RwLock<Option<String>>,
    /// Reconnections that found another server process (or could not tell).
    restarts: AtomicU64,
}

impl Standalone {
    pub(crate) fn new(
        client: Client,
        settings: AsyncConnectionConfig,
        conn: MultiplexedConnection,
        blocking_ok: bool,
    ) -> Self {
        Standalone {
            client,
            blocking_ok,
            settings,
            conn: RwLock::new(conn),
            generation: AtomicU64::new(0),
            reconnecting: tokio::sync::Mutex::new(()),
            tries: AtomicU64::new(0),
            run_id: RwLock::new(None),
            restarts: AtomicU64::new(0),
        }
    }

    /// The client, for a blocking connection of its own (see `bulk.rs`).
    pub(crate) fn bulk_client(&self) -> Option<Client> {
        self.blocking_ok.then(|| self.client.clone())
    }

    /// The current connection (cheap: a handle to the shared multiplexed connection).
    pub(crate) fn conn(&self) -> MultiplexedConnection {
        self.conn.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Remember the server's `run_id` (read at connect time).
    pub(crate) async fn learn_run_id(&self, limit: Duration) {
        let id = run_id(&mut self.conn(), limit).await;
        *self.run_id.write().unwrap_or_else(|p| p.into_inner()) = id;
    }

    /// Replace the connection, unless another caller already did since `seen` (or tried
    /// while this one waited: its attempt stands for ours).
    async fn reconnect(&self, seen: u64, limit: Duration) -> redis::RedisResult<()> {
        let tried = self.tries.load(Ordering::SeqCst);
        let _one = self.reconnecting.lock().await;
        if self.generation() != seen || self.tries.load(Ordering::SeqCst) != tried {
            return Ok(());
        }
        self.tries.fetch_add(1, Ordering::SeqCst);
        let connecting = self
            .client
            .get_multiplexed_async_connection_with_config(&self.settings);
        let mut fresh = match tokio::time::timeout(limit, connecting).await {
            Err(_) => return Err(std::io::Error::from(std::io::ErrorKind::TimedOut).into()),
            Ok(r) => r?,
        };
        let id = run_id(&mut fresh, limit).await;
        let old = std::mem::replace(
            &mut *self.run_id.write().unwrap_or_else(|p| p.into_inner()),
            id.clone(),
        );
        if id.is_none() || id != old {
            self.restarts.fetch_add(1, Ordering::SeqCst);
        }
        *self.conn.write().unwrap_or_else(|p| p.into_inner()) = fresh;
        self.generation.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

/// The server's `run_id` from `INFO server`, if it answers in time.
async fn run_id(conn: &mut MultiplexedConnection, limit: Duration) -> Option<String> {
    let mut cmd = redis::cmd("INFO");
    cmd.arg("server");
    let text: String = tokio::time::timeout(limit, cmd.query_async(conn))
        .await
        .ok()?
        .ok()?;
    text.lines()
        .find_map(|l| l.strip_prefix("run_id:"))
        .map(|s| s.trim().to_string())
}

/// Shared by every clone of a store: whether the retry budget was used up lately.
#[derive(Default)]
pub(crate) struct Health {
    degraded: AtomicBool,
}

/// The retry state of one operation.
pub(crate) struct Attempts {
    what: String,
    started: Instant,
    deadline: Instant,
    retries: u32,
}

impl Attempts {
    /// Time left in the budget.
    pub(crate) fn remaining(&self) -> Duration {
        self.deadline.saturating_duration_since(Instant::now())
    }
}

/// A first attempt that failed outside the store's own connection: when it started, and why.
pub(crate) struct Failed {
    pub started: Instant,
    pub error: StoreError,
}

/// Whether an error may go away by itself: a connection error or a timeout. Error replies,
/// authentication, TLS and configuration problems never do.
pub(crate) fn transient(e: &StoreError) -> bool {
    matches!(e, StoreError::Connect { .. } | StoreError::Timeout { .. })
}

impl Store {
    /// Start the retry state of one operation.
    pub(crate) fn attempts(&self, what: &str) -> Attempts {
        let now = Instant::now();
        Attempts {
            what: what.to_string(),
            started: now,
            deadline: now + self.timeout * BUDGET_TIMEOUTS,
            retries: 0,
        }
    }

    /// The connection generation (standalone); 0 for a cluster.
    pub(crate) fn generation(&self) -> u64 {
        self.standalone().map(Standalone::generation).unwrap_or(0)
    }

    /// How many times a reconnection found a restarted server (standalone; a different
    /// `run_id`, or none to compare). A SCAN cursor from before a restart is meaningless.
    pub(crate) fn restarts(&self) -> u64 {
        self.standalone()
            .map(|s| s.restarts.load(Ordering::SeqCst))
            .unwrap_or(0)
    }

    /// Run one idempotent operation with retries (see the module notes).
    pub(crate) async fn retrying<T, F, Fut>(&self, what: &str, op: F) -> Result<T, StoreError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, StoreError>>,
    {
        self.retrying_after(what, None, op).await
    }

    /// As [`Store::retrying`], when the operation's first attempt was made elsewhere (the
    /// bulk connection) and failed: the retries continue that attempt's budget, so the
    /// operation still ends within 3 × timeout of its start.
    pub(crate) async fn retrying_after<T, F, Fut>(
        &self,
        what: &str,
        first: Option<Failed>,
        mut op: F,
    ) -> Result<T, StoreError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, StoreError>>,
    {
        let mut attempts = self.attempts(what);
        if let Some(f) = first {
            attempts.started = f.started;
            attempts.deadline = f.started + self.timeout * BUDGET_TIMEOUTS;
            self.recover(&mut attempts, self.generation(), f.error)
                .await?;
        }
        loop {
            let generation = self.generation();
            match self.attempt(&attempts, op()).await {
                Ok(v) => return Ok(v),
                Err(e) => self.recover(&mut attempts, generation, e).await?,
            }
        }
    }

    /// One attempt, cut at the end of the budget; a success clears the degraded state.
    pub(crate) async fn attempt<T>(
        &self,
        attempts: &Attempts,
        fut: impl Future<Output = Result<T, StoreError>>,
    ) -> Result<T, StoreError> {
        let limit = attempts.remaining().max(Duration::from_millis(1));
        let result = match tokio::time::timeout(limit, fut).await {
            Err(_) => Err(timeout_error(
                &format!("{} at {}", attempts.what, self.addr),
                self.timeout,
            )),
            Ok(r) => r,
        };
        if result.is_ok() {
            self.health.degraded.store(false, Ordering::SeqCst);
        }
        result
    }

    /// After a failed attempt: `Ok` when the caller should try again (having waited and
    /// reconnected), or the error to report.
    pub(crate) async fn recover(
        &self,
        attempts: &mut Attempts,
        generation: u64,
        mut error: StoreError,
    ) -> Result<(), StoreError> {
        loop {
            if !transient(&error) {
                return Err(error);
            }
            let Some(wait) = self.retry_wait(attempts) else {
                return Err(gave_up(error, attempts));
            };
            attempts.retries += 1;
            tracing::warn!(
                "Redis {} at {} failed ({error}); retry {} in {} ms",
                attempts.what,
                self.addr,
                attempts.retries,
                wait.as_millis()
            );
            tokio::time::sleep(wait).await;
            let Some(s) = self.standalone() else {
                return Ok(()); // the cluster client reconnects by itself
            };
            match self.reconnect_standalone(s, attempts, generation).await {
                Ok(()) => return Ok(()),
                Err(e) => error = e,
            }
        }
    }

    /// How long to wait before the next attempt (doubling from [`FIRST_WAIT`] up to
    /// [`MAX_WAIT`]); `None` when the wait would pass the deadline or the store is already
    /// degraded (another caller gave up): the store is then marked degraded.
    fn retry_wait(&self, attempts: &Attempts) -> Option<Duration> {
        let wait = FIRST_WAIT
            .saturating_mul(1 << attempts.retries.min(5))
            .min(MAX_WAIT);
        let degraded = self.health.degraded.load(Ordering::SeqCst);
        if degraded || Instant::now() + wait >= attempts.deadline {
            self.health.degraded.store(true, Ordering::SeqCst);
            return None;
        }
        Some(wait)
    }

    /// Reconnect the standalone connection, bounded as a whole (waiting for another
    /// caller's reconnection counts too); a failure is a connection failure.
    async fn reconnect_standalone(
        &self,
        s: &Standalone,
        attempts: &Attempts,
        generation: u64,
    ) -> Result<(), StoreError> {
        let limit = self.timeout.min(attempts.remaining());
        let reconnecting = tokio::time::timeout(limit, s.reconnect(generation, limit));
        let result = match reconnecting.await {
            Ok(r) => r,
            Err(_) => Err(std::io::Error::from(std::io::ErrorKind::TimedOut).into()),
        };
        let Err(e) = result else {
            return Ok(());
        };
        let what = format!("reconnecting to {}", self.addr);
        let error = self.own(super::error::map(e, &what, &self.addr, self.timeout));
        if matches!(error, StoreError::Command { .. }) {
            // A failed handshake is a connection failure, not a refused command.
            return Err(StoreError::Connect {
                addr: self.addr.clone(),
                message: error.to_string(),
            });
        }
        Err(error)
    }
}

/// The final error, saying how long it was retried.
fn gave_up(error: StoreError, attempts: &Attempts) -> StoreError {
    if attempts.retries == 0 {
        return error;
    }
    let note = format!(
        "gave up after {} retries over {:.1}s",
        attempts.retries,
        attempts.started.elapsed().as_secs_f64()
    );
    match error {
        StoreError::Connect { addr, message } => StoreError::Connect {
            addr,
            message: format!("{message} ({note})"),
        },
        StoreError::Timeout { what, secs } => StoreError::Timeout {
            what: format!("{what}; {note}"),
            secs,
        },
        other => other,
    }
}

#[cfg(test)]
#[path = "tests_retry.rs"]
mod tests;
