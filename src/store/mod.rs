//! The Redis store: connecting (standalone or Redis Cluster, plain or TLS), SCAN with a
//! large COUNT on every primary, pipelined batches routed by slot, and timeouts so a dead or
//! paused server fails fast. See docs/redis.md for cluster, TLS and ACL details.
//!
//! Every call is bounded by the configured timeout; every error names the server by its
//! credential-free address and passes the crate's text through
//! [`redact_known_secrets`](crate::config::redact_known_secrets). `KEYS`, `FLUSHDB` and
//! `FLUSHALL` are never sent.
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use crate::config::{redact_known_secrets, Config};

mod batch;
mod bulk;
mod cluster;
mod connect;
mod error;
mod lock;
mod notify;
pub mod probe;
pub use notify::Watch;
mod retry;
mod scan;
mod topology;

pub use batch::{ObjectSub, ObjectValue};
pub use bulk::{BulkWriter, PackedSets, SetResults};
pub(crate) use cluster::slot_of;
pub use error::StoreError;
pub use scan::{Scanner, StableScan, DEFAULT_SCAN_COUNT, MAX_STABLE_PASSES};

/// The connection behind a [`Store`]: the seam where cluster mode plugs in.
#[derive(Clone)]
enum Conn {
    /// One server, one multiplexed connection shared by every call, replaced by a new one
    /// when it breaks (see `retry.rs`).
    Standalone(Arc<retry::Standalone>),
    /// A Redis Cluster: the crate's connection (routes by slot, follows MOVED/ASK) and our
    /// cached slot map for splitting batches per primary.
    Cluster(cluster::ClusterConn),
}

/// A connected Redis, standalone or cluster behind the same methods.
#[derive(Clone)]
pub struct Store {
    conn: Conn,
    /// `redis://host:port/db`, credential-free: safe in every message.
    addr: String,
    timeout: Duration,
    /// The ACL user (`default` without one), named in permission errors.
    user: String,
    /// Whether the retry budget was used up lately (shared by every clone).
    health: Arc<retry::Health>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Store({})", self.addr)
    }
}

impl Store {
    /// Connect (with AUTH, SELECT and TLS as configured) and check the server answers a
    /// PING, all within `config.timeout`. A cluster is used in cluster mode when
    /// `config.cluster` is set or when the server reports `cluster_enabled:1`.
    pub async fn connect(config: &Config) -> Result<Store, StoreError> {
        connect::connect(config).await
    }

    /// The server's credential-free address, `redis://host:port/db`.
    pub fn addr(&self) -> &str {
        &self.addr
    }

    /// The bound on every call.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Whether this is a cluster connection.
    pub fn is_cluster(&self) -> bool {
        matches!(self.conn, Conn::Cluster(_))
    }

    /// `PING`: the server answers (in a cluster, every primary answers).
    pub async fn ping(&self) -> Result<(), StoreError> {
        let ping = redis::cmd("PING");
        let replies: Vec<String> = match self.primaries().await? {
            None => vec![self.query(&ping, "PING").await?],
            Some(nodes) => {
                let mut out = Vec::with_capacity(nodes.len());
                for node in &nodes {
                    out.push(self.query_node(node, &ping, "PING").await?);
                }
                out
            }
        };
        match replies.into_iter().find(|r| r != "PONG") {
            None => Ok(()),
            Some(reply) => Err(self.command_error("PING", format!("unexpected reply {reply:?}"))),
        }
    }

    /// `INFO section` (`""` for the default sections) as the server's text. In a cluster,
    /// the first primary's (by address): per-server figures such as `used_memory` and
    /// `maxmemory` are per node, so use [`Store::info_per_node`] to add them up.
    pub async fn info(&self, section: &str) -> Result<String, StoreError> {
        let cmd = info_cmd(section);
        match self.primaries().await? {
            Some(nodes) if !nodes.is_empty() => self.query_node(&nodes[0], &cmd, "INFO").await,
            _ => self.query(&cmd, "INFO").await,
        }
    }

    /// `INFO section` of every primary, as `(host:port, text)` sorted by address; for a
    /// standalone server, one entry named by [`Store::addr`].
    pub async fn info_per_node(&self, section: &str) -> Result<Vec<(String, String)>, StoreError> {
        let cmd = info_cmd(section);
        match self.primaries().await? {
            None => Ok(vec![(self.addr.clone(), self.query(&cmd, "INFO").await?)]),
            Some(nodes) => {
                let mut out = Vec::with_capacity(nodes.len());
                for node in &nodes {
                    out.push((node.to_string(), self.query_node(node, &cmd, "INFO").await?));
                }
                Ok(out)
            }
        }
    }

    /// Keys in the selected database (`DBSIZE`); in a cluster, the sum over the primaries
    /// (from `INFO keyspace`, a cluster having only database 0).
    pub async fn dbsize(&self) -> Result<u64, StoreError> {
        if self.primaries().await?.is_none() {
            return self.query(&redis::cmd("DBSIZE"), "DBSIZE").await;
        }
        let mut total = 0;
        for (_, info) in self.info_per_node("keyspace").await? {
            total += info
                .lines()
                .filter_map(|l| l.strip_prefix("db0:keys="))
                .filter_map(|rest| rest.split(',').next()?.parse::<u64>().ok())
                .sum::<u64>();
        }
        Ok(total)
    }

    /// `CONFIG GET name` (in a cluster, on the first primary); `None` when unset, or when
    /// CONFIG is disabled, renamed or denied by an ACL (a managed Redis often hides it).
    /// Connection failures are still errors.
    pub async fn config_get(&self, name: &str) -> Result<Option<String>, StoreError> {
        let mut cmd = redis::cmd("CONFIG");
        cmd.arg("GET").arg(name);
        let reply = match self.primaries().await? {
            Some(nodes) if !nodes.is_empty() => {
                self.query_node::<redis::Value>(&nodes[0], &cmd, "CONFIG GET")
                    .await
            }
            _ => self.query::<redis::Value>(&cmd, "CONFIG GET").await,
        };
        match reply {
            Ok(v) => Ok(error::config_value(v, name)),
            Err(StoreError::Command { .. } | StoreError::Permission { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Run one idempotent command, bounded by the timeout, retried on connection errors
    /// and timeouts (see `retry.rs`), mapping any error.
    pub(crate) async fn query<T: redis::FromRedisValue>(
        &self,
        cmd: &redis::Cmd,
        what: &str,
    ) -> Result<T, StoreError> {
        self.retrying(what, || self.query_once(cmd, what)).await
    }

    /// Run one command once, bounded by the timeout: for commands that must not be sent
    /// twice blindly (the lock's `SET NX` and release).
    pub(crate) async fn query_once<T: redis::FromRedisValue>(
        &self,
        cmd: &redis::Cmd,
        what: &str,
    ) -> Result<T, StoreError> {
        match &self.conn {
            Conn::Standalone(s) => {
                let mut c = s.conn();
                self.bounded(what, async move { cmd.query_async(&mut c).await })
                    .await
            }
            Conn::Cluster(cc) => {
                let mut c = cc.conn.clone();
                self.bounded(what, async move { cmd.query_async(&mut c).await })
                    .await
            }
        }
    }

    /// Run a pipeline once, bounded by the timeout (retried by [`Store::run_pipe`]).
    pub(crate) async fn query_pipe_once<T: redis::FromRedisValue>(
        &self,
        pipe: &redis::Pipeline,
        what: &str,
    ) -> Result<T, StoreError> {
        match &self.conn {
            Conn::Standalone(s) => {
                let mut c = s.conn();
                self.bounded(what, async move { pipe.query_async(&mut c).await })
                    .await
            }
            // Sent to the node of the first key: callers split batches per primary first.
            Conn::Cluster(cc) => {
                let mut c = cc.conn.clone();
                self.bounded(what, async move { pipe.query_async(&mut c).await })
                    .await
            }
        }
    }

    /// The standalone connection, if this is not a cluster.
    fn standalone(&self) -> Option<&retry::Standalone> {
        match &self.conn {
            Conn::Standalone(s) => Some(s),
            Conn::Cluster(_) => None,
        }
    }

    async fn bounded<T>(
        &self,
        what: &str,
        fut: impl Future<Output = redis::RedisResult<T>>,
    ) -> Result<T, StoreError> {
        let what = format!("{what} at {}", self.addr);
        match tokio::time::timeout(self.timeout, fut).await {
            Err(_) => Err(timeout_error(&what, self.timeout)),
            Ok(Err(e)) => Err(self.own(error::map(e, &what, &self.addr, self.timeout))),
            Ok(Ok(v)) => Ok(v),
        }
    }

    /// Fill in what only the store knows: the ACL user of a permission error.
    pub(crate) fn own(&self, mut e: StoreError) -> StoreError {
        if let StoreError::Permission { user, .. } = &mut e {
            user.clone_from(&self.user);
        }
        e
    }

    /// A `Command` error for `what` at this server, redacted.
    pub(crate) fn command_error(&self, what: &str, message: String) -> StoreError {
        StoreError::Command {
            what: format!("{what} at {}", self.addr),
            message: redact_known_secrets(&message),
        }
    }
}

pub(crate) fn timeout_error(what: &str, timeout: Duration) -> StoreError {
    StoreError::Timeout {
        what: what.to_string(),
        secs: timeout.as_secs_f64(),
    }
}

fn info_cmd(section: &str) -> redis::Cmd {
    let mut cmd = redis::cmd("INFO");
    if !section.is_empty() {
        cmd.arg(section);
    }
    cmd
}

#[cfg(test)]
mod tests;
