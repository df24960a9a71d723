//! Unit tests of reply parsing and error mapping (the integration tests in `tests/store.rs`
//! run against a real server).
use std::time::Duration;

use redis::Value;

use super::error::{config_value, map};
use super::*;

#[test]
fn config_get_replies_in_both_protocols() {
    let bulk = |s: &str| Value::BulkString(s.as_bytes().to_vec());
    let resp2 = Value::Array(vec![bulk("maxmemory"), bulk("1048576")]);
    assert_eq!(config_value(resp2, "maxmemory").as_deref(), Some("1048576"));
    let resp3 = Value::Map(vec![(bulk("maxmemory-policy"), bulk("noeviction"))]);
    assert_eq!(
        config_value(resp3, "MAXMEMORY-POLICY").as_deref(),
        Some("noeviction")
    );
    assert_eq!(config_value(Value::Array(vec![]), "maxmemory"), None);
    assert_eq!(config_value(Value::Nil, "maxmemory"), None);
}

#[test]
fn oom_and_auth_replies_map_to_their_own_variants() {
    let t = Duration::from_secs(1);
    let oom = redis::make_extension_error("OOM".into(), Some("command not allowed".into()));
    let e = map(oom, "SET at redis://h:1/0", "redis://h:1/0", t);
    assert!(matches!(e, StoreError::OutOfMemory { .. }), "{e:?}");
    assert_eq!(e.exit_code(), crate::exit::REFUSED);
    let wrong = redis::make_extension_error("WRONGPASS".into(), Some("invalid".into()));
    let e = map(wrong, "PING at redis://h:1/0", "redis://h:1/0", t);
    assert!(matches!(e, StoreError::Auth { .. }), "{e:?}");
    assert!(e
        .to_string()
        .contains("authentication failed at redis://h:1/0"));
}

#[test]
fn io_timeouts_and_refusals_are_connection_errors() {
    let t = Duration::from_millis(1500);
    let timed_out = redis::RedisError::from(std::io::Error::from(std::io::ErrorKind::TimedOut));
    let e = map(timed_out, "SCAN at a", "a", t);
    assert!(
        matches!(e, StoreError::Timeout { secs, .. } if secs == 1.5),
        "{e:?}"
    );
    let refused =
        redis::RedisError::from(std::io::Error::from(std::io::ErrorKind::ConnectionRefused));
    let e = map(refused, "PING at a", "a", t);
    assert!(matches!(e, StoreError::Connect { .. }), "{e:?}");
    assert_eq!(e.exit_code(), crate::exit::CONNECTION);
}

#[test]
fn messages_are_redacted() {
    crate::config::register_secret("store-unit-secret");
    let err = redis::make_extension_error("ERR".into(), Some("echo store-unit-secret back".into()));
    let e = map(err, "X at a", "a", Duration::from_secs(1));
    let text = e.to_string();
    assert!(!text.contains("store-unit-secret"), "{text}");
    assert!(text.contains("***"), "{text}");
}
