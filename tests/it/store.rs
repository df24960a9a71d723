//! The Redis store against real private `redis-server`s (one per test, never port 6379).
use crate::common;

use std::collections::HashSet;
use std::ops::ControlFlow;
use std::time::{Duration, Instant};

use common::{free_port, RedisServer};
use lineage_cache::config::{Config, RedisTarget, Teradata, Ttls, Validation};
use lineage_cache::exit::ExitCodeOf;
use lineage_cache::keys::glob_escape;
use lineage_cache::store::{ObjectSub, ObjectValue, Store, StoreError};

fn config_for(port: u16, password: Option<&str>, timeout_secs: f64) -> Config {
    Config {
        redis: RedisTarget {
            tls: false,
            host: "127.0.0.1".into(),
            port,
            username: None,
            password: password.map(str::to_string),
            db: 0,
        },
        ttls: Ttls::default(),
        validation: Validation::default(),
        teradata: Teradata::default(),
        source: lineage_cache::config::SourceSpec::Default,
        cluster: false,
        timeout: Duration::from_secs_f64(timeout_secs),
        ..Config::default()
    }
}

async fn connect(server: &RedisServer) -> Store {
    Store::connect(&config_for(server.port(), None, 5.0))
        .await
        .expect("connect to the test server")
}

fn b(s: &str) -> Vec<u8> {
    s.as_bytes().to_vec()
}

/// Write `keys` with a value equal to the key and a TTL of an hour, in batches of 1000.
async fn put(store: &Store, keys: &[Vec<u8>]) {
    for chunk in keys.chunks(1000) {
        let items: Vec<_> = chunk.iter().map(|k| (k.clone(), k.clone(), 3600)).collect();
        for r in store.set_ex_many(&items).await.expect("batch") {
            r.expect("item");
        }
    }
}

/// Every key matching `pattern`, as a set, and how many batches delivered them.
async fn scan_set(store: &Store, pattern: &str, count: usize) -> (HashSet<Vec<u8>>, usize) {
    let mut seen = HashSet::new();
    let mut batches = 0;
    store
        .scan(pattern, count, |batch| {
            batches += 1;
            seen.extend(batch);
            ControlFlow::Continue(())
        })
        .await
        .expect("scan");
    (seen, batches)
}

#[tokio::test]
async fn connects_pings_and_reads_server_facts() {
    let server = RedisServer::start_with(&["--maxmemory", "64mb"]);
    let store = connect(&server).await;
    store.ping().await.unwrap();
    assert_eq!(
        store.addr(),
        format!("redis://127.0.0.1:{}/0", server.port())
    );
    assert!(!store.is_cluster());
    let info = store.info("server").await.unwrap();
    assert!(info.contains("redis_version:"), "{info}");
    assert_eq!(
        store.config_get("maxmemory").await.unwrap().as_deref(),
        Some("67108864")
    );
    assert_eq!(store.config_get("no-such-setting").await.unwrap(), None);
}

#[tokio::test]
async fn config_get_tolerates_a_renamed_config_command() {
    let server = RedisServer::start_with(&["--rename-command", "CONFIG", ""]);
    let store = connect(&server).await;
    assert_eq!(store.config_get("maxmemory").await.unwrap(), None);
}

#[tokio::test]
async fn scan_delivers_every_matching_key_in_batches() {
    let server = RedisServer::start();
    let store = connect(&server).await;
    let mut ours: Vec<Vec<u8>> = (0..10_000)
        .map(|i| b(&format!("ol:lineage:graph:db.T{i}|c|both")))
        .collect();
    ours.push(b"ol:dataset:get:\xff\xfe-not-utf8".to_vec());
    let foreign: Vec<Vec<u8>> = (0..500).map(|i| b(&format!("session:{i}"))).collect();
    put(&store, &ours).await;
    put(&store, &foreign).await;

    let (seen, batches) = scan_set(&store, "ol:*", 1000).await;
    assert_eq!(seen.len(), ours.len());
    assert_eq!(seen, ours.iter().cloned().collect::<HashSet<_>>());
    assert!(batches >= 5, "10k keys came in only {batches} batches");

    let (graphs, _) = scan_set(&store, "ol:lineage:graph:*", 0).await;
    assert_eq!(graphs.len(), 10_000);
    let (none, batches) = scan_set(&store, "ol:nothing:*", 1000).await;
    assert!(none.is_empty());
    assert_eq!(batches, 0, "empty SCAN pages are not delivered");
}

#[tokio::test]
async fn scan_stops_when_the_callback_breaks() {
    let server = RedisServer::start();
    let store = connect(&server).await;
    let keys: Vec<_> = (0..5000)
        .map(|i| b(&format!("ol:dataset:get:d{i}")))
        .collect();
    put(&store, &keys).await;
    let mut calls = 0;
    let delivered = store
        .scan("ol:*", 100, |_| {
            calls += 1;
            ControlFlow::Break(())
        })
        .await
        .unwrap();
    assert_eq!(calls, 1);
    assert!(delivered > 0 && delivered < 5000, "{delivered}");
}

#[tokio::test]
async fn escaped_globs_match_metacharacters_literally() {
    let server = RedisServer::start();
    let store = connect(&server).await;
    let head = "ol:dataset:get:";
    let specials = ["a*b", "a?b", "a[b]", "a\\b", "a[b]X"];
    let decoys = ["aXb", "ab", "a\\\\b", "axb]"];
    let all: Vec<_> = specials
        .iter()
        .chain(decoys.iter())
        .map(|s| b(&format!("{head}{s}")))
        .collect();
    put(&store, &all).await;
    for s in specials {
        let pattern = format!("{head}{}", glob_escape(s));
        let (seen, _) = scan_set(&store, &pattern, 100).await;
        assert_eq!(seen, HashSet::from([b(&format!("{head}{s}"))]), "{pattern}");
    }
    let prefix = format!("{head}{}*", glob_escape("a[b]"));
    let (seen, _) = scan_set(&store, &prefix, 100).await;
    let want = HashSet::from([b(&format!("{head}a[b]")), b(&format!("{head}a[b]X"))]);
    assert_eq!(seen, want);
}

#[tokio::test]
async fn set_ex_many_writes_values_and_ttls_that_batches_read_back() {
    let server = RedisServer::start();
    let store = connect(&server).await;
    let items = vec![
        (b("ol:namespace:list"), b("[]x"), 900),
        (b("ol:dataset:get:d1"), vec![b'v'; 300], 60),
    ];
    let results = store.set_ex_many(&items).await.unwrap();
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    let keys = vec![items[0].0.clone(), items[1].0.clone(), b("ol:missing")];

    let values = store.get_many(&keys).await.unwrap();
    assert_eq!(values, vec![Some(b("[]x")), Some(vec![b'v'; 300]), None]);
    let ttls = store.pttl_many(&keys).await.unwrap();
    assert!((895_000..=900_000).contains(&ttls[0]), "{ttls:?}");
    assert!((55_000..=60_000).contains(&ttls[1]), "{ttls:?}");
    assert_eq!(ttls[2], -2);
    assert_eq!(
        store.exists_many(&keys).await.unwrap(),
        vec![true, true, false]
    );
    let sizes = store.memory_usage_many(&keys).await.unwrap();
    assert!(sizes[1].unwrap_or(0) > 300, "{sizes:?}");
    assert_eq!(sizes[2], None);

    let enc = store.object_many(ObjectSub::Encoding, &keys).await.unwrap();
    assert_eq!(enc[0], Some(ObjectValue::Text("embstr".into())));
    assert_eq!(enc[1].as_ref().and_then(|v| v.as_text()), Some("raw"));
    assert_eq!(enc[2], None);
    let idle = store.object_many(ObjectSub::IdleTime, &keys).await.unwrap();
    assert!(idle[0].as_ref().and_then(ObjectValue::as_int).is_some());
    // FREQ needs an LFU policy; the default policy makes the server refuse it.
    let freq = store.object_many(ObjectSub::Freq, &keys).await.unwrap_err();
    assert!(matches!(freq, StoreError::Command { .. }), "{freq:?}");

    // A TTL of 0 is refused for that item alone.
    let mixed = vec![(b("ol:a"), b("1"), 10), (b("ol:b"), b("2"), 0)];
    let results = store.set_ex_many(&mixed).await.unwrap();
    assert!(results[0].is_ok());
    assert!(matches!(results[1], Err(StoreError::Command { .. })));
    assert!(store.get_many(&[]).await.unwrap().is_empty());
}

#[tokio::test]
async fn unlink_many_counts_only_existing_keys() {
    let server = RedisServer::start();
    let store = connect(&server).await;
    let keys: Vec<_> = (0..50)
        .map(|i| b(&format!("ol:dataset:ddl:d{i}")))
        .collect();
    put(&store, &keys).await;
    put(&store, &[b("keep:me")]).await;
    let mut doomed = keys[..30].to_vec();
    doomed.push(b("ol:never:existed"));
    assert_eq!(store.unlink_many(&doomed).await.unwrap(), 30);
    assert_eq!(store.unlink_many(&doomed).await.unwrap(), 0);
    assert_eq!(store.unlink_many(&[]).await.unwrap(), 0);
    let (left, _) = scan_set(&store, "*", 1000).await;
    assert_eq!(left.len(), 21);
    assert!(left.contains(&b("keep:me")));
}

#[tokio::test]
async fn writes_past_maxmemory_report_out_of_memory() {
    let server =
        RedisServer::start_with(&["--maxmemory", "2mb", "--maxmemory-policy", "noeviction"]);
    let store = connect(&server).await;
    let value = vec![b'x'; 10_000];
    let mut written = 0;
    for round in 0..200 {
        let items: Vec<_> = (0..50)
            .map(|i| (b(&format!("ol:big:{round}:{i}")), value.clone(), 600))
            .collect();
        let results = store.set_ex_many(&items).await.unwrap();
        if let Some(Err(e)) = results.iter().find(|r| r.is_err()) {
            assert!(matches!(e, StoreError::OutOfMemory { .. }), "{e:?}");
            assert_eq!(e.exit_code(), lineage_cache::exit::Code::Refused);
            assert!(e.to_string().contains("out of memory"), "{e}");
            assert!(written > 0, "the first write already failed");
            return;
        }
        written += results.len();
    }
    panic!("no OOM after {written} writes of 10 kB under maxmemory 2mb");
}

#[tokio::test]
async fn a_paused_server_times_out_instead_of_hanging() {
    let server = RedisServer::start();
    let store = Store::connect(&config_for(server.port(), None, 1.0))
        .await
        .unwrap();
    server.pause();
    let started = Instant::now();
    let err = store.get_many(&[b("ol:x")]).await.unwrap_err();
    let took = started.elapsed();
    let err2 = Store::connect(&config_for(server.port(), None, 1.0))
        .await
        .unwrap_err();
    let took2 = started.elapsed() - took;
    server.resume();
    assert!(matches!(err, StoreError::Timeout { .. }), "{err:?}");
    // Retried with backoff within a budget of 3 × the timeout (docs/faults.md), never more.
    assert!(took < Duration::from_millis(3200), "took {took:?}");
    assert!(
        matches!(
            err2,
            StoreError::Timeout { .. } | StoreError::Connect { .. }
        ),
        "{err2:?}"
    );
    assert!(took2 < Duration::from_secs(2), "connect took {took2:?}");
    assert!(
        err.to_string().contains(&server.port().to_string()),
        "{err}"
    );
    assert_eq!(err.exit_code(), lineage_cache::exit::Code::Connection);
    // Once resumed, the same connection works again.
    store.ping().await.unwrap();
}

#[tokio::test]
async fn a_dead_port_fails_fast_with_a_connect_error() {
    let port = free_port();
    let started = Instant::now();
    let err = Store::connect(&config_for(port, None, 5.0))
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(matches!(err, StoreError::Connect { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains(&format!("redis://127.0.0.1:{port}/0")),
        "{text}"
    );
}

#[tokio::test]
async fn authentication_failures_are_clear_and_never_show_the_password() {
    let right = "s3cret-Right-pw";
    let server = RedisServer::start_with(&["--requirepass", right]);
    for given in [Some("wr0ng-Given-pw"), None] {
        let err = Store::connect(&config_for(server.port(), given, 5.0))
            .await
            .unwrap_err();
        let text = err.to_string();
        assert!(matches!(err, StoreError::Auth { .. }), "{err:?}");
        assert!(text.contains("authentication failed"), "{text}");
        assert!(
            text.contains(&format!("127.0.0.1:{}", server.port())),
            "{text}"
        );
        assert!(
            !text.contains(right) && !text.contains("wr0ng-Given-pw"),
            "{text}"
        );
    }
    let store = Store::connect(&config_for(server.port(), Some(right), 5.0))
        .await
        .unwrap();
    store.ping().await.unwrap();
    let mut with_user = config_for(server.port(), Some(right), 5.0);
    with_user.redis.username = Some("default".into());
    Store::connect(&with_user)
        .await
        .unwrap()
        .ping()
        .await
        .unwrap();
}

#[tokio::test]
async fn the_configured_database_is_selected() {
    let server = RedisServer::start();
    let mut config = config_for(server.port(), None, 5.0);
    config.redis.db = 3;
    let store = Store::connect(&config).await.unwrap();
    put(&store, &[b("ol:namespace:list")]).await;
    assert_eq!(
        server
            .cli(&["-n", "3", "EXISTS", "ol:namespace:list"])
            .trim(),
        "1"
    );
    assert_eq!(
        server
            .cli(&["-n", "0", "EXISTS", "ol:namespace:list"])
            .trim(),
        "0"
    );
}

#[tokio::test]
async fn only_the_lock_owner_renews_or_releases_it() {
    let server = RedisServer::start();
    let store = connect(&server).await;
    let key = "lineage-cache:lock:warm";
    assert!(store.try_lock(key, "tok-A", 10_000).await.unwrap());
    assert!(!store.try_lock(key, "tok-B", 10_000).await.unwrap());
    assert!(!store.renew_lock(key, "tok-B", 10_000).await.unwrap());
    assert!(!store.release_lock(key, "tok-B").await.unwrap());
    assert_eq!(server.cli(&["GET", key]).trim(), "tok-A");

    assert!(store.renew_lock(key, "tok-A", 60_000).await.unwrap());
    let ttl = store.pttl_many(&[b(key)]).await.unwrap()[0];
    assert!(ttl > 10_000, "renewed TTL {ttl}");
    assert!(store.release_lock(key, "tok-A").await.unwrap());
    assert!(!store.release_lock(key, "tok-A").await.unwrap());
    assert!(store.try_lock(key, "tok-B", 200).await.unwrap());
    // The lease expires by itself.
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert!(store.try_lock(key, "tok-C", 10_000).await.unwrap());
}
