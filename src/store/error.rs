//! Turning the `redis` crate's errors and replies into [`StoreError`]s. The crate's text may
//! echo connection details, so it always passes through `redact_known_secrets`.
use std::time::Duration;

use redis::{ErrorKind, RedisError, ServerError, Value};

use crate::config::redact_known_secrets;
use crate::failure::Failure;

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
    /// The ACL user may not run `command` (a `NOPERM` reply). `rule` is the ACL rule that
    /// would allow it (see docs/redis.md for the least-privilege users).
    #[error(
        "Redis at {addr} refused {command}: user {user} lacks the permission ({message}); \
         add it with `ACL SETUSER {user} {rule}` (see docs/redis.md)"
    )]
    Permission {
        command: String,
        addr: String,
        user: String,
        rule: String,
        message: String,
    },
    /// The TLS handshake failed: an untrusted or expired certificate, a name mismatch, or a
    /// missing client certificate. `message` says which, and names the setting to fix.
    #[error("TLS with Redis at {addr} failed: {message}")]
    Tls { addr: String, message: String },
    /// The cluster's slots moved (a reshard or failover) while a scan ran, so keys may have
    /// been missed or seen twice. Scan again (see [`Store::scan_all_stable`]).
    ///
    /// [`Store::scan_all_stable`]: super::Store::scan_all_stable
    #[error(
        "the Redis Cluster at {addr} changed while scanning ({detail}); some keys may have \
         been missed: run again once the reshard or failover is over"
    )]
    TopologyChanged { addr: String, detail: String },
}

impl StoreError {
    /// What kind of failure this is: a permission refusal is a configuration problem
    /// (usage), a topology change leaves the work partial.
    pub fn failure(&self) -> Failure {
        match self {
            StoreError::Config(_) | StoreError::Permission { .. } => Failure::Usage,
            StoreError::Connect { .. } | StoreError::Timeout { .. } => Failure::Connection,
            StoreError::Command { .. } | StoreError::Auth { .. } => Failure::Connection,
            StoreError::Tls { .. } => Failure::Connection,
            StoreError::OutOfMemory { .. } => Failure::Refused,
            StoreError::TopologyChanged { .. } => Failure::Partial,
        }
    }
}

/// The error of an operation `what` (which already names the address).
pub(crate) fn map(e: RedisError, what: &str, addr: &str, timeout: Duration) -> StoreError {
    let message = redact_known_secrets(&e.to_string());
    if e.is_timeout() {
        return StoreError::Timeout {
            what: what.to_string(),
            secs: timeout.as_secs_f64(),
        };
    }
    if is_auth(&e) {
        return StoreError::Auth {
            addr: addr.to_string(),
            message,
        };
    }
    match e.code() {
        Some("OOM") => StoreError::OutOfMemory {
            addr: addr.to_string(),
            message,
        },
        Some("NOPERM") => permission(what, addr, message),
        Some("LOADING") => loading(addr, &message),
        _ => unanswered(&e, what, addr, message),
    }
}

/// An error the server's reply code does not explain: a TLS handshake that failed, a
/// connection refused or lost, or else the command's own failure.
fn unanswered(e: &RedisError, what: &str, addr: &str, message: String) -> StoreError {
    // Handshake failures are local errors (no server reply code).
    if let Some(problem) = tls_problem(&message).filter(|_| e.code().is_none()) {
        return StoreError::Tls {
            addr: addr.to_string(),
            message: format!("{problem} ({message})"),
        };
    }
    if e.is_io_error() || e.is_connection_refusal() || e.is_connection_dropped() {
        return StoreError::Connect {
            addr: addr.to_string(),
            message,
        };
    }
    StoreError::Command {
        what: what.to_string(),
        message,
    }
}

/// The error of the connection attempt itself: anything but a timeout or a refused
/// password means the server could not be reached or set up.
pub(crate) fn connect_error(e: RedisError, addr: &str, timeout: Duration) -> StoreError {
    let what = format!("connecting to {addr}");
    match map(e, &what, addr, timeout) {
        StoreError::Command { message, .. } => StoreError::Connect {
            addr: addr.to_string(),
            message,
        },
        other => other,
    }
}

fn is_auth(e: &RedisError) -> bool {
    e.kind() == ErrorKind::AuthenticationFailed || matches!(e.code(), Some("WRONGPASS" | "NOAUTH"))
}

/// The error of one item of a pipeline (an error reply in its slot).
pub(crate) fn item_error(e: ServerError, what: &str, addr: &str) -> StoreError {
    let err = RedisError::from(e);
    let message = redact_known_secrets(&err.to_string());
    match err.code() {
        Some("OOM") => StoreError::OutOfMemory {
            addr: addr.to_string(),
            message,
        },
        Some("WRONGPASS" | "NOAUTH") => StoreError::Auth {
            addr: addr.to_string(),
            message,
        },
        Some("NOPERM") => permission(&format!("{what} at {addr}"), addr, message),
        Some("LOADING") => loading(addr, &message),
        _ => StoreError::Command {
            what: format!("{what} at {addr}"),
            message,
        },
    }
}

/// A server still loading its data set after a restart (a `LOADING` reply): not ready
/// yet, like one that cannot be reached, so the operation is retried (see `retry.rs`).
fn loading(addr: &str, message: &str) -> StoreError {
    StoreError::Connect {
        addr: addr.to_string(),
        message: format!("the server is still loading its data set ({message})"),
    }
}

/// Whether a pipeline reply is a `LOADING` refusal (the whole pipeline is retried then).
pub(crate) fn is_loading(v: &Value) -> bool {
    matches!(v, Value::ServerError(e) if e.code() == "LOADING")
}

/// A `NOPERM` refusal of the operation `what` ("SET at redis://…", "EVAL (renew lock) at …").
/// The user name is filled in by the store, which knows it.
fn permission(what: &str, addr: &str, message: String) -> StoreError {
    let command = what.split(" at ").next().unwrap_or(what).trim().to_string();
    StoreError::Permission {
        rule: acl_rule(&command, &message),
        command,
        addr: addr.to_string(),
        user: "default".into(),
        message,
    }
}

/// The ACL rule that allows `command` (as the store names it), given the server's refusal:
/// a key pattern when a key was refused, otherwise the command (`+memory|usage`).
pub(crate) fn acl_rule(command: &str, message: &str) -> String {
    let words: Vec<String> = command
        .split('(')
        .next()
        .unwrap_or(command)
        .split_whitespace()
        .map(str::to_ascii_lowercase)
        .collect();
    let lock = command.contains("lock");
    if message.contains("key") {
        let write = matches!(
            words.first().map(String::as_str),
            Some("set" | "unlink" | "del" | "eval")
        );
        return match (lock, write) {
            (true, _) => "%RW~lineage-cache:*".into(),
            (false, true) => "%RW~ol:*".into(),
            (false, false) => "%R~ol:*".into(),
        };
    }
    match words.as_slice() {
        [first, sub, ..] if ["memory", "object", "config", "cluster"].contains(&first.as_str()) => {
            format!("+{first}|{sub}")
        }
        [first, ..] => format!("+{first}"),
        [] => "+@read".into(),
    }
}

/// A plain-words description of a TLS handshake failure in `message`, if it is one.
pub(crate) fn tls_problem(message: &str) -> Option<&'static str> {
    let m = message.to_ascii_lowercase();
    let has = |s: &str| m.contains(s);
    if has("unknownissuer") || has("unknown issuer") || has("unknownca") || has("badsignature") {
        Some(
            "the server's certificate is not signed by a trusted CA (set --tls-ca-file or \
             REDIS_TLS_CA_FILE to the CA that signed it)",
        )
    } else if has("notvalidforname") || has("not valid for name") {
        Some(
            "the server's certificate does not carry the name connected to (connect by a \
             name it lists, or set --tls-server-name)",
        )
    } else if has("expired") {
        Some("the server's certificate has expired (or is not yet valid)")
    } else if has("certificaterequired") || has("certificate required") {
        Some(
            "the server requires a client certificate (set --tls-cert-file and \
             --tls-key-file)",
        )
    } else if has("invalid peer certificate") || has("badcertificate") || has("handshake") {
        Some("the TLS handshake failed (check the certificates and the TLS settings)")
    } else {
        None
    }
}

/// The value of a `CONFIG GET name` reply (RESP2 flat array or RESP3 map).
pub(crate) fn config_value(v: Value, name: &str) -> Option<String> {
    let pairs: Vec<(Value, Value)> = match v {
        Value::Array(items) => {
            let mut it = items.into_iter();
            let mut out = Vec::new();
            while let (Some(k), Some(v)) = (it.next(), it.next()) {
                out.push((k, v));
            }
            out
        }
        Value::Map(m) => m,
        _ => return None,
    };
    pairs
        .into_iter()
        .find(|(k, _)| text(k).is_some_and(|k| k.eq_ignore_ascii_case(name)))
        .and_then(|(_, v)| text(&v))
}

/// A reply as text, when it is a string of some kind.
pub(crate) fn text(v: &Value) -> Option<String> {
    match v {
        Value::BulkString(b) => Some(String::from_utf8_lossy(b).into_owned()),
        Value::SimpleString(s) => Some(s.clone()),
        Value::VerbatimString { text, .. } => Some(text.clone()),
        _ => None,
    }
}

/// A reply as an integer, when it is one (or a string holding one).
pub(crate) fn int(v: &Value) -> Option<i64> {
    match v {
        Value::Int(i) => Some(*i),
        _ => text(v).and_then(|s| s.trim().parse().ok()),
    }
}
