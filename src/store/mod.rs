//! The Redis store: connecting (standalone now, cluster behind the same seam), SCAN with a
//! large COUNT, pipelined batches, and timeouts so a dead or paused server fails fast.
//!
//! Every call is bounded by the configured timeout; every error names the server by its
//! credential-free address and passes the crate's text through
//! [`redact_known_secrets`](crate::config::redact_known_secrets). `KEYS`, `FLUSHDB` and
//! `FLUSHALL` are never sent.
use std::future::Future;
use std::time::Duration;

use redis::aio::MultiplexedConnection;
use redis::{
    AsyncConnectionConfig, Client, ConnectionAddr, IntoConnectionInfo, RedisConnectionInfo,
};

use crate::config::{redact_known_secrets, register_secret, Config, RedisTarget};

mod batch;
mod error;
mod lock;
mod scan;

pub use batch::{ObjectSub, ObjectValue};
pub use scan::{Scanner, DEFAULT_SCAN_COUNT};

/// A failure talking to Redis. Messages never carry secrets.
#[derive(Debug, Clone, thiserror::Error)]
pub enum StoreError {
    #[error("cannot connect to Redis at {addr}: {message}")]
    Connect { addr: String, message: String },
    #[error("Redis did not answer within {secs}s ({what})")]
    Timeout { what: String, secs: f64 },
    #[error("Redis refused {what}: {message}")]
    Command { what: String, message: String },
    #[error("bad Redis configuration: {0}")]
    Config(String),
    /// The server rejected the user name or password (`WRONGPASS`, `NOAUTH`).
    #[error(
        "authentication failed at {addr}: check REDIS_USERNAME and REDIS_PASSWORD ({message})"
    )]
    Auth { addr: String, message: String },
    /// A write refused because the server reached `maxmemory` (an `OOM` error reply).
    #[error("Redis at {addr} is out of memory (maxmemory reached): {message}")]
    OutOfMemory { addr: String, message: String },
}

impl StoreError {
    pub fn exit_code(&self) -> u8 {
        match self {
            StoreError::Config(_) => crate::exit::USAGE,
            StoreError::Connect { .. } | StoreError::Timeout { .. } => crate::exit::CONNECTION,
            StoreError::Command { .. } => crate::exit::CONNECTION,
            StoreError::Auth { .. } => crate::exit::CONNECTION,
            StoreError::OutOfMemory { .. } => crate::exit::REFUSED,
        }
    }
}

/// The connection behind a [`Store`]: the seam where cluster mode plugs in.
#[derive(Clone)]
enum Conn {
    /// One server, one multiplexed connection (cheap to clone, shared by every call).
    Standalone(MultiplexedConnection),
}

/// A connected Redis: standalone today, with cluster behind the same methods later.
#[derive(Clone)]
pub struct Store {
    conn: Conn,
    /// `redis://host:port/db`, credential-free: safe in every message.
    addr: String,
    timeout: Duration,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Store({})", self.addr)
    }
}

impl Store {
    /// Connect (with AUTH and SELECT as configured) and check the server answers a PING,
    /// all within `config.timeout`.
    pub async fn connect(config: &Config) -> Result<Store, StoreError> {
        let target = &config.redis;
        let addr = target.display();
        if config.cluster {
            return Err(StoreError::Config(
                "cluster mode is not available yet in this version of lineage-cache".into(),
            ));
        }
        if let Some(p) = &target.password {
            register_secret(p);
        }
        let client = client_for(target, &addr)?;
        let timeout = config.timeout;
        let settings = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(timeout))
            .set_response_timeout(Some(timeout));
        let what = format!("connecting to {addr}");
        let connecting = client.get_multiplexed_async_connection_with_config(&settings);
        let conn = match tokio::time::timeout(timeout, connecting).await {
            Err(_) => return Err(timeout_error(&what, timeout)),
            Ok(Err(e)) => return Err(error::connect_error(e, &addr, timeout)),
            Ok(Ok(c)) => c,
        };
        let store = Store {
            conn: Conn::Standalone(conn),
            addr,
            timeout,
        };
        store.ping().await?;
        Ok(store)
    }

    /// The server's credential-free address, `redis://host:port/db`.
    pub fn addr(&self) -> &str {
        &self.addr
    }

    /// The bound on every call.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Whether this is a cluster connection (always false for now).
    pub fn is_cluster(&self) -> bool {
        match self.conn {
            Conn::Standalone(_) => false,
        }
    }

    /// `PING`: the server answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        let reply: String = self.query(&redis::cmd("PING"), "PING").await?;
        if reply == "PONG" {
            Ok(())
        } else {
            Err(self.command_error("PING", format!("unexpected reply {reply:?}")))
        }
    }

    /// `INFO section` (`""` for the default sections) as the server's text.
    pub async fn info(&self, section: &str) -> Result<String, StoreError> {
        let mut cmd = redis::cmd("INFO");
        if !section.is_empty() {
            cmd.arg(section);
        }
        self.query(&cmd, "INFO").await
    }

    /// `CONFIG GET name`; `None` when unset, or when CONFIG is disabled, renamed or denied
    /// by an ACL (a managed Redis often hides it). Connection failures are still errors.
    pub async fn config_get(&self, name: &str) -> Result<Option<String>, StoreError> {
        let mut cmd = redis::cmd("CONFIG");
        cmd.arg("GET").arg(name);
        match self.query::<redis::Value>(&cmd, "CONFIG GET").await {
            Ok(v) => Ok(error::config_value(v, name)),
            Err(StoreError::Command { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Run one command, bounded by the timeout, mapping any error.
    pub(crate) async fn query<T: redis::FromRedisValue>(
        &self,
        cmd: &redis::Cmd,
        what: &str,
    ) -> Result<T, StoreError> {
        match &self.conn {
            Conn::Standalone(c) => {
                let mut c = c.clone();
                self.bounded(what, async move { cmd.query_async(&mut c).await })
                    .await
            }
        }
    }

    /// Run a pipeline, bounded by the timeout. With `ignore_errors` set on the pipeline,
    /// per-command error replies come back as `Value::ServerError` items.
    pub(crate) async fn query_pipe<T: redis::FromRedisValue>(
        &self,
        pipe: &redis::Pipeline,
        what: &str,
    ) -> Result<T, StoreError> {
        match &self.conn {
            Conn::Standalone(c) => {
                let mut c = c.clone();
                self.bounded(what, async move { pipe.query_async(&mut c).await })
                    .await
            }
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
            Ok(Err(e)) => Err(error::map(e, &what, &self.addr, self.timeout)),
            Ok(Ok(v)) => Ok(v),
        }
    }

    /// A `Command` error for `what` at this server, redacted.
    pub(crate) fn command_error(&self, what: &str, message: String) -> StoreError {
        StoreError::Command {
            what: format!("{what} at {}", self.addr),
            message: redact_known_secrets(&message),
        }
    }
}

fn timeout_error(what: &str, timeout: Duration) -> StoreError {
    StoreError::Timeout {
        what: what.to_string(),
        secs: timeout.as_secs_f64(),
    }
}

/// A client for the target, built from parts (never from a URL holding the password).
fn client_for(target: &RedisTarget, addr: &str) -> Result<Client, StoreError> {
    let conn_addr = if target.tls {
        // rustls needs a process-wide crypto provider; an earlier call may have set it.
        let _ = rustls::crypto::ring::default_provider().install_default();
        ConnectionAddr::TcpTls {
            host: target.host.clone(),
            port: target.port,
            insecure: false,
            tls_params: None,
        }
    } else {
        ConnectionAddr::Tcp(target.host.clone(), target.port)
    };
    let mut settings = RedisConnectionInfo::default().set_db(target.db);
    if let Some(u) = &target.username {
        settings = settings.set_username(u);
    }
    if let Some(p) = &target.password {
        settings = settings.set_password(p);
    }
    let bad = |e: redis::RedisError| {
        StoreError::Config(format!("{addr}: {}", redact_known_secrets(&e.to_string())))
    };
    let info = conn_addr
        .into_connection_info()
        .map_err(bad)?
        .set_redis_settings(settings);
    Client::open(info).map_err(bad)
}

#[cfg(test)]
mod tests;
