//! Turning the `redis` crate's errors and replies into [`StoreError`]s. The crate's text may
//! echo connection details, so it always passes through `redact_known_secrets`.
use std::time::Duration;

use redis::{ErrorKind, RedisError, ServerError, Value};

use super::StoreError;
use crate::config::redact_known_secrets;

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
    if e.code() == Some("OOM") {
        return StoreError::OutOfMemory {
            addr: addr.to_string(),
            message,
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
        _ => StoreError::Command {
            what: format!("{what} at {addr}"),
            message,
        },
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
