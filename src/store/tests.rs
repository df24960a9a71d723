//! Unit tests of reply parsing and error mapping (the integration tests in `tests/it/store.rs`
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
    assert_eq!(e.failure(), crate::failure::Failure::Refused);
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
    assert_eq!(e.failure(), crate::failure::Failure::Connection);
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

#[test]
fn key_slots_match_the_server() {
    use super::cluster::slot_of;
    // Values from `CLUSTER KEYSLOT` (and the Redis Cluster specification).
    assert_eq!(slot_of(b"foo"), 12182);
    assert_eq!(slot_of(b"bar"), 5061);
    assert_eq!(slot_of(b"123456789"), 0x31C3); // the CRC16 check value
    assert_eq!(slot_of(b"{user1000}.following"), slot_of(b"user1000"));
    assert_eq!(slot_of(b"foo{}{bar}"), slot_of(b"foo{}{bar}"));
    assert_ne!(
        slot_of(b"foo{}{bar}"),
        slot_of(b"bar"),
        "an empty tag hashes the whole key"
    );
    assert_eq!(slot_of(b"foo{{bar}}zap"), slot_of(b"{bar"));
}

fn slots_reply(ranges: &[(i64, i64, &str, i64)]) -> Value {
    let bulk = |s: &str| Value::BulkString(s.as_bytes().to_vec());
    Value::Array(
        ranges
            .iter()
            .map(|(a, b, host, port)| {
                let node = Value::Array(vec![bulk(host), Value::Int(*port), bulk("id")]);
                Value::Array(vec![Value::Int(*a), Value::Int(*b), node])
            })
            .collect(),
    )
}

#[test]
fn topology_from_cluster_slots_and_its_changes() {
    use super::cluster::{migrations_in, Topology};
    let three = [
        (0, 5460, "10.0.0.1", 7000),
        (5461, 10922, "", 7001),
        (10923, 16383, "10.0.0.3", 7002),
    ];
    let t = Topology::from_slots(&slots_reply(&three), "seed").unwrap();
    assert_eq!(t.primaries.len(), 3);
    assert_eq!(t.owner(0).unwrap().to_string(), "10.0.0.1:7000");
    assert_eq!(t.owner(6000).unwrap().to_string(), "seed:7001");
    assert_eq!(t.owner(16383).unwrap().to_string(), "10.0.0.3:7002");
    assert_eq!(t.unstable_against(&t.clone()), None);

    let moved = [
        (0, 5459, "10.0.0.1", 7000),
        (5460, 10922, "", 7001),
        (10923, 16383, "10.0.0.3", 7002),
    ];
    let later = Topology::from_slots(&slots_reply(&moved), "seed").unwrap();
    let why = t.unstable_against(&later).unwrap();
    assert!(why.contains("slot 5460"), "{why}");
    let two = Topology::from_slots(&slots_reply(&three[..2]), "seed").unwrap();
    assert!(t.unstable_against(&two).unwrap().contains("primaries"));
    assert!(two.owner(16000).is_none());

    let nodes = "abc 10.0.0.1:7000@17000 myself,master - 0 0 1 connected 0-5460 [5461-<-def]\n\
                 def 10.0.0.2:7001@17001 master - 0 0 2 connected 5461-10922\n";
    assert_eq!(migrations_in(nodes), ["[5461-<-def]"]);
    let mut migrating = t.clone();
    migrating.migrating = migrations_in(nodes);
    assert!(t
        .unstable_against(&migrating)
        .unwrap()
        .contains("migration"));
    assert!(Topology::from_slots(&Value::Nil, "s").is_err());
    assert!(Topology::from_slots(&slots_reply(&[(5, 16384, "h", 1)]), "s").is_err());
}

#[test]
fn permission_errors_name_the_command_and_the_rule() {
    use super::error::acl_rule;
    let cmd = "NOPERM this user has no permissions to run the 'set' command";
    let key = "NOPERM this user has no permissions to access one of the keys used as arguments";
    assert_eq!(acl_rule("SET", cmd), "+set");
    assert_eq!(acl_rule("MEMORY USAGE", cmd), "+memory|usage");
    assert_eq!(acl_rule("OBJECT FREQ", cmd), "+object|freq");
    assert_eq!(acl_rule("EVAL (renew lock)", cmd), "+eval");
    assert_eq!(acl_rule("SET", key), "%RW~ol:*");
    assert_eq!(acl_rule("GET", key), "%R~ol:*");
    assert_eq!(acl_rule("SET NX (lock)", key), "%RW~lineage-cache:*");

    let t = Duration::from_secs(1);
    let noperm = redis::make_extension_error("NOPERM".into(), Some("no permissions".into()));
    let e = map(noperm, "PTTL at redis://h:1/0", "redis://h:1/0", t);
    assert!(
        matches!(&e, StoreError::Permission { command, rule, .. } if command == "PTTL" && rule == "+pttl"),
        "{e:?}"
    );
    assert_eq!(e.failure(), crate::failure::Failure::Usage);
}

#[test]
fn tls_failures_are_described() {
    use super::error::tls_problem;
    let unknown = tls_problem("invalid peer certificate: UnknownIssuer").unwrap();
    assert!(unknown.contains("trusted CA"));
    assert!(tls_problem("invalid peer certificate: NotValidForName")
        .unwrap()
        .contains("name"));
    assert!(tls_problem("invalid peer certificate: Expired")
        .unwrap()
        .contains("expired"));
    let alert = tls_problem("received fatal alert: CertificateRequired").unwrap();
    assert!(alert.contains("--tls-cert-file"));
    assert_eq!(tls_problem("Connection refused (os error 111)"), None);
}
