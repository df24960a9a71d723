//! Least-privilege ACL users (the rules of docs/redis.md) against a private redis-server:
//! the reader can scan and read but not write, the writer can write only under `ol:` (and
//! the warm lock), and a refusal names the command and the rule to add.
use crate::common;

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::time::Duration;

use common::RedisServer;
use lineage_cache::config::{parse_redis_url, Config, Vars};
use lineage_cache::exit::ExitCodeOf;
use lineage_cache::store::{ObjectSub, Store, StoreError};

const READ_PW: &str = "read-Secret-42";
const WRITE_PW: &str = "write-Secret-42";

/// The commands every user of the tool needs (connect, INFO, CONFIG GET, SCAN, reads).
const READ_CMDS: &str = "-@all +ping +select +info +config|get +dbsize +scan +type +get \
     +exists +ttl +pttl +memory|usage +object|encoding +object|freq +object|idletime";

fn acl(server: &RedisServer, user: &str, rules: &str) {
    let mut args = vec!["ACL", "SETUSER", user];
    args.extend(rules.split_whitespace());
    assert_eq!(server.cli(&args).trim(), "OK", "ACL SETUSER {user} {rules}");
}

/// A server with the reader and writer users of docs/redis.md, and some data.
fn server_with_users() -> RedisServer {
    let server = RedisServer::start();
    let read = format!("on >{READ_PW} resetkeys resetchannels {READ_CMDS} %R~ol:*");
    acl(&server, "lc-read", &read);
    let write = format!(
        "on >{WRITE_PW} resetkeys resetchannels {READ_CMDS} +set +unlink +eval +pexpire +del \
         %RW~ol:* %RW~lineage-cache:*"
    );
    acl(&server, "lc-write", &write);
    for (k, v) in [
        ("ol:dataset:get:a", "1"),
        ("ol:dataset:get:b", "2"),
        ("session:x", "s"),
    ] {
        server.cli(&["SET", k, v, "EX", "600"]);
    }
    server
}

fn vars(pairs: &[(&str, &str)]) -> Vars {
    let env: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Vars::from_maps(env, HashMap::new())
}

/// The user from `REDIS_USERNAME` and `REDIS_PASSWORD`, as the API's settings give it.
fn config_from_env(server: &RedisServer, user: &str, password: &str) -> Config {
    let v = vars(&[
        ("REDIS_ADDR", &server.addr()),
        ("REDIS_USERNAME", user),
        ("REDIS_PASSWORD", password),
    ]);
    let args = lineage_cache::config::Overrides::default();
    let mut config = Config::resolve(&args, &v).unwrap();
    config.timeout = Duration::from_secs(5);
    config
}

/// The user from a `redis://user:password@host:port` URL.
fn config_from_url(server: &RedisServer, user: &str, password: &str) -> Config {
    let url = format!("redis://{user}:{password}@127.0.0.1:{}", server.port());
    Config {
        redis: parse_redis_url(&url, &vars(&[])).unwrap(),
        ..Config::default()
    }
}

fn b(s: &str) -> Vec<u8> {
    s.as_bytes().to_vec()
}

fn assert_permission(err: &StoreError, command: &str, rule: &str, user: &str) {
    let StoreError::Permission {
        command: c,
        rule: r,
        user: u,
        ..
    } = err
    else {
        panic!("expected a permission error, got {err:?}");
    };
    assert_eq!((c.as_str(), r.as_str(), u.as_str()), (command, rule, user));
    let text = err.to_string();
    assert!(text.contains(&format!("refused {command}")), "{text}");
    assert!(
        text.contains(&format!("ACL SETUSER {user} {rule}")),
        "{text}"
    );
    assert!(
        !text.contains(READ_PW) && !text.contains(WRITE_PW),
        "{text}"
    );
    assert_eq!(err.exit_code(), lineage_cache::exit::Code::Usage);
}

#[tokio::test]
async fn the_read_only_user_reads_everything_and_writes_nothing() {
    let server = server_with_users();
    for config in [
        config_from_env(&server, "lc-read", READ_PW),
        config_from_url(&server, "lc-read", READ_PW),
    ] {
        let store = Store::connect(&config).await.unwrap();
        let mut seen = Vec::new();
        let n = store
            .scan("*", 100, |batch| {
                seen.extend(batch);
                ControlFlow::Continue(())
            })
            .await
            .unwrap();
        assert_eq!(n, 3, "SCAN lists foreign keys too: {seen:?}");
        let keys = vec![b("ol:dataset:get:a"), b("ol:dataset:get:b")];
        assert_eq!(
            store.get_many(&keys).await.unwrap(),
            vec![Some(b("1")), Some(b("2"))]
        );
        assert!(store.pttl_many(&keys).await.unwrap().iter().all(|t| *t > 0));
        assert!(store.memory_usage_many(&keys).await.unwrap()[0].is_some());
        assert!(store.object_many(ObjectSub::Encoding, &keys).await.is_ok());
        assert!(store.info("memory").await.unwrap().contains("used_memory:"));
        assert!(store.config_get("maxmemory").await.unwrap().is_some());

        let items = vec![(b("ol:dataset:get:a"), b("x"), 60)];
        let results = store.set_ex_many(&items).await.unwrap();
        assert_permission(results[0].as_ref().unwrap_err(), "SET", "+set", "lc-read");
        let err = store.unlink_many(&keys).await.unwrap_err();
        assert_permission(&err, "UNLINK", "+unlink", "lc-read");
        // Reading a key outside ol:* is refused too, naming the key rule.
        let err = store.get_many(&[b("session:x")]).await.unwrap_err();
        assert_permission(&err, "GET", "%R~ol:*", "lc-read");
    }
    assert_eq!(server.cli(&["GET", "ol:dataset:get:a"]).trim(), "1");
}

#[tokio::test]
async fn the_writer_writes_only_under_its_prefixes() {
    let server = server_with_users();
    let store = Store::connect(&config_from_env(&server, "lc-write", WRITE_PW))
        .await
        .unwrap();
    let items = vec![(b("ol:namespace:list"), b("[]"), 60)];
    assert!(store.set_ex_many(&items).await.unwrap()[0].is_ok());
    assert_eq!(server.cli(&["GET", "ol:namespace:list"]).trim(), "[]");
    assert_eq!(
        store.unlink_many(&[b("ol:dataset:get:a")]).await.unwrap(),
        1
    );

    let foreign = vec![(b("session:x"), b("overwritten"), 60)];
    let results = store.set_ex_many(&foreign).await.unwrap();
    assert_permission(
        results[0].as_ref().unwrap_err(),
        "SET",
        "%RW~ol:*",
        "lc-write",
    );
    let err = store.unlink_many(&[b("session:x")]).await.unwrap_err();
    assert_permission(&err, "UNLINK", "%RW~ol:*", "lc-write");
    assert_eq!(server.cli(&["GET", "session:x"]).trim(), "s");

    // The warm lock lives under lineage-cache:.
    let key = "lineage-cache:lock:warm:0";
    assert!(store.try_lock(key, "tok", 10_000).await.unwrap());
    assert!(store.renew_lock(key, "tok", 20_000).await.unwrap());
    assert!(store.release_lock(key, "tok").await.unwrap());
    let err = store
        .try_lock("elsewhere:lock", "tok", 10_000)
        .await
        .unwrap_err();
    assert_permission(&err, "SET NX (lock)", "%RW~lineage-cache:*", "lc-write");
}

#[tokio::test]
async fn a_wrong_password_for_an_acl_user_is_an_auth_error() {
    let server = server_with_users();
    let err = Store::connect(&config_from_env(&server, "lc-read", "not-the-pw"))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Auth { .. }), "{err:?}");
    assert!(!err.to_string().contains("not-the-pw"), "{err}");
}

#[tokio::test]
async fn the_read_only_user_works_on_a_cluster_with_the_cluster_rules() {
    let cluster = common::RedisCluster::start();
    let rules = format!(
        "on >{READ_PW} resetkeys resetchannels {READ_CMDS} +cluster|slots +cluster|nodes %R~ol:*"
    );
    for node in cluster.nodes() {
        acl(node, "lc-read", &rules);
    }
    cluster.node(0).cli(&["-c", "SET", "ol:dataset:get:a", "1"]);
    cluster.node(0).cli(&["-c", "SET", "ol:dataset:get:b", "2"]);
    let url = format!("redis://lc-read:{READ_PW}@{}", cluster.node(2).addr());
    let config = Config {
        redis: parse_redis_url(&url, &vars(&[])).unwrap(),
        ..Config::default()
    };
    let store = Store::connect(&config).await.unwrap();
    assert!(store.is_cluster(), "detected through INFO");
    let n = store.scan("ol:*", 100, |_| ControlFlow::Continue(())).await;
    assert_eq!(n.unwrap(), 2);
    let keys = vec![b("ol:dataset:get:a"), b("ol:dataset:get:b")];
    let values = store.get_many(&keys).await.unwrap();
    assert_eq!(values, vec![Some(b("1")), Some(b("2"))]);
    let results = store
        .set_ex_many(&[(keys[0].clone(), b("x"), 60)])
        .await
        .unwrap();
    assert_permission(results[0].as_ref().unwrap_err(), "SET", "+set", "lc-read");
}
