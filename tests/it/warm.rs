//! `warm` against a real private Redis and the embedded demo warehouse: exact values and keys,
//! selections, filters, jitter, dry run, the lock, memory limits, OOM, failures and Ctrl-C.
use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use redis::Commands;
use std::time::{Duration, Instant};

use common::{bin, RedisServer};
use lineage_cache::answer::{compute, Computed, GraphMode};
use lineage_cache::config::Ttls;
use lineage_cache::keys::{parse, Key, Parsed};
use lineage_cache::source::sqlite::SqliteSource;
use lineage_cache::source::LineageSource;

/// A demo warehouse in a temp dir.
struct Demo {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

fn demo() -> Demo {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.sqlite");
    lineage_cache::source::demo::create_demo(&path, false).unwrap();
    Demo { _dir: dir, path }
}

impl Demo {
    fn spec(&self) -> String {
        format!("sqlite:{}", self.path.display())
    }
    fn source(&self) -> SqliteSource {
        SqliteSource::open(&self.path).unwrap()
    }
}

/// Run `lineage-cache --redis-url R --source S ARGS`; (stdout, stderr, exit code).
fn warm(redis: &RedisServer, demo: &Demo, args: &[&str]) -> (String, String, i32) {
    let out = bin()
        .args([
            "--redis-url",
            &redis.url(),
            "--source",
            &demo.spec(),
            "warm",
        ])
        .args(args)
        .output()
        .unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

/// Every cache entry with its value and TTL in seconds.
fn dump(redis: &RedisServer) -> BTreeMap<String, (Vec<u8>, i64)> {
    let client = redis::Client::open(redis.url()).unwrap();
    let mut con = client.get_connection().unwrap();
    // Cache entries only: not the tool's own keys (the lineage snapshot a complete warm
    // saves for `sync`).
    let keys: Vec<String> = con
        .scan::<String>()
        .unwrap()
        .map(|k| k.unwrap())
        .filter(|k| !k.starts_with("lineage-cache:"))
        .collect();
    keys.into_iter()
        .map(|k| {
            let v: Vec<u8> = redis::cmd("GET").arg(&k).query(&mut con).unwrap();
            let ttl: i64 = redis::cmd("TTL").arg(&k).query(&mut con).unwrap();
            (k, (v, ttl))
        })
        .collect()
}

fn expect_value(source: &SqliteSource, key: &Key) -> Computed {
    compute(key, source, GraphMode::PerKey, 5).unwrap()
}

fn key_of(text: &str) -> Key {
    match parse(text) {
        Parsed::Key(k) => k,
        other => panic!("{text}: {other:?}"),
    }
}

/// The keys `warm --all` must write, built independently from the source.
fn expected_all_keys(source: &SqliteSource) -> Vec<String> {
    let mut keys = vec!["ol:namespace:list".to_string()];
    let all = source.all_datasets().unwrap();
    for ns in source.namespaces().unwrap() {
        keys.push(format!("ol:namespace:get:{}", ns.id));
        let active = all
            .iter()
            .filter(|d| d.is_active && d.namespace_id == ns.id)
            .count() as u64;
        for limit in [100u64, 50] {
            let mut off = 0;
            while off < active {
                keys.push(format!("ol:dataset:list:{}|{limit}|{off}", ns.id));
                off += limit;
            }
        }
    }
    // The name form (the one the API's router lets it read); no field lists: the API caches
    // them only under a decoded dataset id, which its router never reads. Statistics and
    // DDL under the id: the API reads them there after resolving the dataset by name.
    for d in all.iter().filter(|d| d.is_active) {
        keys.push(format!("ol:dataset:get:{}", d.name));
        for kind in ["statistics", "ddl"] {
            keys.push(format!("ol:dataset:{kind}:{}", d.id));
        }
        for f in source.fields(&d.id).unwrap() {
            for dir in ["upstream", "downstream", "both"] {
                keys.push(format!("ol:lineage:graph:{}|{}|{dir}", d.name, f.name));
            }
        }
    }
    keys.sort();
    keys
}

#[test]
fn warm_all_writes_exactly_the_apis_keys_and_bytes() {
    let demo = demo();
    let redis = RedisServer::start();
    let (out, err, code) = warm(&redis, &demo, &["--all", "-vv"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains("writing through a bulk connection"), "{err}");
    assert_exact_cache(&redis, &demo);
    // A server that refuses a second client: the shared connection writes every value.
    let redis = RedisServer::start_with(&["--maxclients", "1"]);
    let (out, err, code) = warm(&redis, &demo, &["--all", "-vv"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        err.contains("bulk connection") && err.contains("not opened"),
        "{err}"
    );
    assert_exact_cache(&redis, &demo);
}

/// Every key of `warm --all` is in the cache with exactly the API's bytes and a TTL within
/// the jitter of its class.
fn assert_exact_cache(redis: &RedisServer, demo: &Demo) {
    let source = demo.source();
    let got = dump(redis);
    let want_keys = expected_all_keys(&source);
    assert_eq!(got.keys().cloned().collect::<Vec<_>>(), want_keys);
    let ttls = Ttls::default();
    for (k, (value, ttl)) in &got {
        let key = key_of(k);
        assert_eq!(
            expect_value(&source, &key),
            Computed::Value(value.clone()),
            "value of {k}"
        );
        let class = key.ttl_class().seconds(&ttls) as i64;
        assert!(
            *ttl <= class && *ttl >= class - class / 10 - 1,
            "{k}: ttl {ttl} outside jitter of {class}"
        );
    }
}

#[test]
fn per_key_sql_and_bulk_engine_write_the_same_bytes() {
    let (a, b, demo) = (RedisServer::start(), RedisServer::start(), demo());
    assert_eq!(
        warm(
            &a,
            &demo,
            &["--all", "--kind", "lineage-graph", "--depth", "20"]
        )
        .2,
        0
    );
    assert_eq!(
        warm(
            &b,
            &demo,
            &[
                "--all",
                "--kind",
                "lineage-graph",
                "--depth",
                "20",
                "--per-key"
            ]
        )
        .2,
        0
    );
    let (da, db) = (dump(&a), dump(&b));
    assert!(da.len() > 500);
    let strip = |d: BTreeMap<String, (Vec<u8>, i64)>| {
        d.into_iter().map(|(k, (v, _))| (k, v)).collect::<Vec<_>>()
    };
    assert_eq!(strip(da), strip(db));
}

#[test]
fn selections_write_exactly_their_keys() {
    let demo = demo();
    let source = demo.source();
    let d = source
        .dataset("demo_user.STG_ORDER")
        .unwrap()
        .expect("demo has STG_ORDER");
    let fields = source.fields(&d.id).unwrap();
    let redis = RedisServer::start();
    assert_eq!(
        warm(&redis, &demo, &["--field", &format!("{}/order_id", d.name)]).2,
        0
    );
    let keys: Vec<String> = dump(&redis).into_keys().collect();
    let want: Vec<String> = ["both", "downstream", "upstream"]
        .iter()
        .map(|dir| format!("ol:lineage:graph:{}|order_id|{dir}", d.name))
        .collect();
    assert_eq!(keys, want);

    let redis = RedisServer::start();
    assert_eq!(
        warm(
            &redis,
            &demo,
            &[
                "--dataset",
                &d.id,
                "--directions",
                "upstream",
                "--key-form",
                "both"
            ]
        )
        .2,
        0
    );
    let keys: Vec<String> = dump(&redis).into_keys().collect();
    // The dataset in both forms, statistics and DDL by id alone, the field list by id, and
    // each column's upstream graph in both forms.
    assert_eq!(keys.len(), 2 + 2 + 1 + fields.len() * 2, "{keys:?}");
    assert!(keys.contains(&format!("ol:dataset:get:{}", d.name)));
    assert!(keys.contains(&format!("ol:field:list:{}", d.id)));
    assert!(
        !keys.contains(&format!("ol:field:list:{}", d.name)),
        "the name form of fields is never cached"
    );

    let redis = RedisServer::start();
    let file = demo.path.with_file_name("keys.txt");
    std::fs::write(
        &file,
        format!(
            "# hot\nol:namespace:list\n/api/v2/openlineage/datasets/search?q=stg\n{}/order_id\n",
            d.name
        ),
    )
    .unwrap();
    let (out, err, code) = warm(
        &redis,
        &demo,
        &[
            "--keys-file",
            file.to_str().unwrap(),
            "--directions",
            "both",
        ],
    );
    assert_eq!(code, 0, "{out}{err}");
    let got = dump(&redis);
    let keys: Vec<&str> = got.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "ol:dataset:search:STG|100",
            &format!("ol:lineage:graph:{}|order_id|both", d.name),
            "ol:namespace:list"
        ]
    );
    assert_eq!(
        Computed::Value(got["ol:dataset:search:STG|100"].0.clone()),
        expect_value(&source, &key_of("ol:dataset:search:STG|100"))
    );
    std::fs::write(&file, "ol:namespace:list\nnot a key\n").unwrap();
    let (_, err, code) = warm(&redis, &demo, &["--keys-file", file.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("line 2"), "{err}");
}

#[test]
fn hot_columns_by_fanout() {
    let (redis, demo) = (RedisServer::start(), demo());
    let (out, err, code) = warm(
        &redis,
        &demo,
        &["--hot", "3", "--directions", "both", "--format", "json"],
    );
    assert_eq!(code, 0, "{out}{err}");
    let got = dump(&redis);
    assert_eq!(got.len(), 3, "{:?}", got.keys());
    assert!(got
        .keys()
        .all(|k| k.starts_with("ol:lineage:graph:") && k.ends_with("|both")));
}

#[test]
fn only_missing_min_ttl_and_from_cache() {
    let (redis, demo) = (RedisServer::start(), demo());
    let source = demo.source();
    let d = source.dataset("demo_user.STG_ORDER").unwrap().unwrap();
    let (kept, refreshed) = (
        format!("ol:dataset:get:{}", d.name),
        format!("ol:dataset:ddl:{}", d.id),
    );
    redis.cli(&["SET", &kept, "marker", "EX", "5000"]);
    redis.cli(&["SET", &refreshed, "old", "EX", "60"]);
    let (out, _, code) = warm(
        &redis,
        &demo,
        &["--dataset", &d.id, "--only-missing", "--format", "json"],
    );
    assert_eq!(code, 0);
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["kinds"]["dataset-get"]["skipped-existing"], 1);
    assert_eq!(dump(&redis)[&kept].0, b"marker");
    assert_eq!(dump(&redis)[&refreshed].0, b"old");

    let (_, _, code) = warm(
        &redis,
        &demo,
        &[
            "--dataset",
            &d.id,
            "--min-ttl",
            "10m",
            "--kind",
            "dataset-get,dataset-ddl",
        ],
    );
    assert_eq!(code, 0);
    let got = dump(&redis);
    assert_eq!(got[&kept].0, b"marker", "TTL above --min-ttl: skipped");
    assert_ne!(got[&refreshed].0, b"old", "TTL below --min-ttl: rewritten");

    // --from-cache re-warms exactly what is cached (the marker is replaced by the real value).
    redis.cli(&["SET", "session:abc", "x"]);
    let before: Vec<String> = dump(&redis).into_keys().collect();
    assert_eq!(warm(&redis, &demo, &["--from-cache"]).2, 0);
    let after = dump(&redis);
    assert_eq!(after.keys().cloned().collect::<Vec<_>>(), before);
    assert_eq!(
        Computed::Value(after[&kept].0.clone()),
        expect_value(&source, &key_of(&kept))
    );
    assert_eq!(after["session:abc"].0, b"x");
    assert_eq!(after["session:abc"].1, -1, "foreign keys are never touched");
}

#[test]
fn jitter_bounds_and_dry_run() {
    let (redis, demo) = (RedisServer::start(), demo());
    let (out, _, code) = warm(&redis, &demo, &["--all", "--dry-run", "--format", "json"]);
    assert_eq!(code, 0);
    assert!(dump(&redis).is_empty(), "a dry run writes nothing");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(
        report["kinds"]["lineage-graph"]["would-write"]
            .as_u64()
            .unwrap()
            > 500
    );
    assert!(report["bytes"].as_u64().unwrap() > 100_000);

    assert_eq!(
        warm(
            &redis,
            &demo,
            &["--all", "--kind", "lineage-graph", "--ttl-jitter", "50"]
        )
        .2,
        0
    );
    let ttls: Vec<i64> = dump(&redis).into_values().map(|(_, t)| t).collect();
    assert!(ttls.iter().all(|t| (899..=1800).contains(t)), "{ttls:?}");
    assert!(ttls.iter().any(|t| *t < 1500), "jitter spreads TTLs");
    let redis = RedisServer::start();
    assert_eq!(
        warm(
            &redis,
            &demo,
            &["--all", "--kind", "dataset-get", "--ttl-jitter", "0"]
        )
        .2,
        0
    );
    assert!(dump(&redis).values().all(|(_, t)| (899..=900).contains(t)));
}

#[test]
fn bad_arguments_are_usage_errors_and_write_nothing() {
    let (redis, demo) = (RedisServer::start(), demo());
    for args in [
        &[][..],
        &["--all", "--depth", "0"],
        &["--all", "--depth", "21"],
        &["--all", "--ttl-jitter", "120"],
        &["--all", "--min-ttl", "soon"],
        &["--all", "--page-sizes", "0"],
        &["--dataset", "no_such.TABLE"],
        &["--field", "nofield"],
        &["--expiring-within", "5m", "--all"],
        &["--hot", "3", "--by", "dbql"],
    ] {
        let (_, err, code) = warm(&redis, &demo, args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: one line: {err}");
        assert!(err.starts_with("lineage-cache: "), "{err}");
    }
    assert!(dump(&redis).is_empty());
}

fn spawn_warm(redis: &RedisServer, demo: &Demo, args: &[&str]) -> Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_lineage-cache"));
    for (name, _) in std::env::vars() {
        if name.starts_with("REDIS_")
            || name.starts_with("LINEAGE_CACHE_")
            || name.starts_with("CACHE_TTL_")
        {
            cmd.env_remove(name);
        }
    }
    cmd.args([
        "--redis-url",
        &redis.url(),
        "--source",
        &demo.spec(),
        "warm",
    ])
    .args(args)
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap()
}

fn wait_for(what: &str, mut f: impl FnMut() -> bool) {
    let start = Instant::now();
    while !f() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn finish(child: Child) -> (String, String, i32) {
    let out = child.wait_with_output().unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

/// Every `ol:` key holds a complete value (it decodes as its kind) and has a TTL.
fn all_complete(redis: &RedisServer) -> usize {
    let got = dump(redis);
    for (k, (v, ttl)) in &got {
        let key = key_of(k);
        assert!(
            lineage_cache::json::check_value(key.kind(), v).is_ok(),
            "{k} holds a partial value"
        );
        assert!(*ttl > 0, "{k} has no TTL");
    }
    got.len()
}

#[test]
fn one_warm_at_a_time() {
    let (redis, demo) = (RedisServer::start(), demo());
    let first = spawn_warm(&redis, &demo, &["--all", "--rate", "400"]);
    wait_for("the lock", || {
        redis.cli(&["EXISTS", "lineage-cache:lock:warm:0"]).trim() == "1"
    });
    let (_, err, code) = warm(&redis, &demo, &["--all"]);
    assert_eq!(code, 5, "{err}");
    assert!(err.contains("another warm is running"), "{err}");
    let (_, err, code) = finish(first);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        redis.cli(&["EXISTS", "lineage-cache:lock:warm:0"]).trim(),
        "0",
        "released"
    );
    // --wait-lock waits for a held lock to go away.
    redis.cli(&["SET", "lineage-cache:lock:warm:0", "someone", "PX", "700"]);
    let (_, err, code) = warm(
        &redis,
        &demo,
        &["--all", "--kind", "namespace-list", "--wait-lock", "5s"],
    );
    assert_eq!(code, 0, "{err}");
}

#[test]
fn ctrl_c_or_sigterm_finishes_in_flight_batches_and_exits_130() {
    for sig in ["-INT", "-TERM"] {
        let (redis, demo) = (RedisServer::start(), demo());
        let child = spawn_warm(&redis, &demo, &["--all", "--rate", "300"]);
        wait_for("some keys", || {
            redis.cli(&["DBSIZE"]).trim().parse::<u32>().unwrap_or(0) > 20
        });
        Command::new("kill")
            .args([sig, &child.id().to_string()])
            .status()
            .unwrap();
        let (out, err, code) = finish(child);
        assert_eq!(code, 130, "kill {sig}: {out}{err}");
        assert!(out.contains("interrupted"), "kill {sig}: {out}");
        let n = all_complete(&redis);
        assert!(n > 20 && n < 700, "kill {sig}: {n}");
        assert_eq!(
            redis.cli(&["EXISTS", "lineage-cache:lock:warm:0"]).trim(),
            "0",
            "kill {sig}: lock released"
        );
    }
}

#[test]
fn refuses_to_push_redis_into_eviction() {
    let demo = demo();
    let redis =
        RedisServer::start_with(&["--maxmemory", "2mb", "--maxmemory-policy", "allkeys-lru"]);
    let (_, err, code) = warm(&redis, &demo, &["--all"]);
    assert_eq!(code, 6, "{err}");
    assert!(
        err.contains("maxmemory") && err.contains("--max-bytes"),
        "{err}"
    );
    assert_eq!(redis.cli(&["DBSIZE"]).trim(), "0", "nothing written");
    // With a budget it writes what fits and says it stopped.
    let (out, err, code) = warm(
        &redis,
        &demo,
        &["--all", "--max-bytes", "200KB", "--format", "json"],
    );
    assert_eq!(code, 3, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["status"], "stopped-at-max-bytes");
    assert!(report["bytes"].as_u64().unwrap() <= 200_000);
    assert!(all_complete(&redis) > 0);
}

#[test]
fn out_of_memory_mid_run_stops_cleanly() {
    let demo = demo();
    let redis = RedisServer::start_with(&["--maxmemory-policy", "noeviction"]);
    let child = spawn_warm(&redis, &demo, &["--all", "--rate", "400"]);
    wait_for("some keys", || {
        redis.cli(&["DBSIZE"]).trim().parse::<u32>().unwrap_or(0) > 50
    });
    let info = redis.cli(&["INFO", "memory"]);
    let used: u64 = info
        .lines()
        .find_map(|l| l.strip_prefix("used_memory:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    redis.cli(&["CONFIG", "SET", "maxmemory", &(used + 10_000).to_string()]);
    let (out, err, code) = finish(child);
    assert_eq!(code, 6, "{out}{err}");
    assert!(err.contains("OOM"), "{err}");
    assert!(all_complete(&redis) < 723);
}

#[test]
fn a_failing_item_is_reported_and_skipped() {
    let (redis, demo) = (RedisServer::start(), demo());
    let conn = rusqlite::Connection::open(&demo.path).unwrap();
    conn.execute_batch("DROP TABLE DBC_TableSizeV").unwrap();
    // The API reads sizes of tables only: the statistics of tables fail, those of views not.
    let views: Vec<String> = conn
        .prepare(
            "SELECT d.dataset_id FROM OL_DATASET d JOIN DBC_TablesV t \
             ON d.name = t.DatabaseName || '.' || t.TableName \
             WHERE d.is_active = 'Y' AND t.TableKind = 'V' ORDER BY 1",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    drop(conn);
    assert_eq!(views.len(), 5);
    let (out, _, code) = warm(&redis, &demo, &["--all", "--format", "json"]);
    assert_eq!(code, 3, "{out}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["status"], "partial");
    assert_eq!(report["kinds"]["dataset-statistics"]["failed"], 38 - 5);
    assert_eq!(report["kinds"]["dataset-statistics"]["written"], 5);
    assert_eq!(report["kinds"]["lineage-graph"]["written"], 564);
    let keys: Vec<String> = dump(&redis).into_keys().collect();
    let stats: Vec<String> = keys
        .iter()
        .filter_map(|k| k.strip_prefix("ol:dataset:statistics:"))
        .map(str::to_string)
        .collect();
    assert_eq!(stats, views, "only the views' statistics are written");
    // --fail-fast stops at the first failure.
    let redis = RedisServer::start();
    let (out, _, code) = warm(
        &redis,
        &demo,
        &[
            "--all",
            "--fail-fast",
            "--concurrency",
            "1",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 3);
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(report["written"].as_u64().unwrap() < 700, "{report}");
}

#[test]
fn metrics_file_and_reports() {
    let (redis, demo) = (RedisServer::start(), demo());
    let metrics = demo.path.with_file_name("warm.prom");
    let (out, err, code) = warm(
        &redis,
        &demo,
        &["--all", "--metrics-file", metrics.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{err}");
    // 723 keys in the id form; the name form has no field lists (38 fewer).
    assert!(out.contains("ok: wrote 685 of 685 planned keys"), "{out}");
    let text = std::fs::read_to_string(Path::new(&metrics)).unwrap();
    assert!(
        text.contains("lineage_cache_warm_keys{kind=\"lineage-graph\",outcome=\"written\"} 564"),
        "{text}"
    );
    assert!(text.contains("lineage_cache_warm_success 1"));
    assert!(err.is_empty() || !err.contains("error"), "{err}");
}

#[test]
fn namespace_changed_since_and_expiring_selections() {
    let demo = demo();
    let source = demo.source();
    let ns = source.namespaces().unwrap().remove(0).id;
    let redis = RedisServer::start();
    assert_eq!(
        warm(
            &redis,
            &demo,
            &[
                "--namespace",
                &ns,
                "--kind",
                "namespace-get,namespace-list,dataset-list,dataset-get"
            ]
        )
        .2,
        0
    );
    let keys: Vec<String> = dump(&redis).into_keys().collect();
    let active: Vec<_> = source
        .all_datasets()
        .unwrap()
        .into_iter()
        .filter(|d| d.is_active && d.namespace_id == ns)
        .collect();
    let mut want = vec![
        "ol:namespace:list".to_string(),
        format!("ol:namespace:get:{ns}"),
    ];
    for limit in [100, 50] {
        let mut off = 0;
        while off < active.len() {
            want.push(format!("ol:dataset:list:{ns}|{limit}|{off}"));
            off += limit;
        }
    }
    want.extend(active.iter().map(|d| format!("ol:dataset:get:{}", d.name)));
    want.sort();
    assert_eq!(keys, want);

    // --changed-since: the datasets the source says changed.
    let redis = RedisServer::start();
    let since = "2026-01-20 00:00:00";
    let changed = source
        .changed_since(lineage_cache::model::Timestamp::parse(since).unwrap())
        .unwrap();
    assert_eq!(
        warm(
            &redis,
            &demo,
            &["--changed-since", since, "--kind", "dataset-get"]
        )
        .2,
        0
    );
    let keys: Vec<String> = dump(&redis).into_keys().collect();
    let mut want: Vec<String> = source
        .all_datasets()
        .unwrap()
        .into_iter()
        .filter(|d| changed.contains(&d.name))
        .map(|d| format!("ol:dataset:get:{}", d.name))
        .collect();
    want.sort();
    assert!(!want.is_empty());
    assert_eq!(keys, want);

    // --from-cache --expiring-within: only keys about to lapse are refreshed.
    let soon = want[0].clone();
    redis.cli(&["SET", &soon, "stale", "EX", "30"]);
    redis.cli(&["SET", "ol:namespace:list", "stale-but-fresh", "EX", "5000"]);
    assert_eq!(
        warm(&redis, &demo, &["--from-cache", "--expiring-within", "1m"]).2,
        0
    );
    let got = dump(&redis);
    assert_ne!(got[&soon].0, b"stale");
    assert!(got[&soon].1 > 600);
    assert_eq!(got["ol:namespace:list"].0, b"stale-but-fresh");
}

#[test]
fn hot_columns_by_cache_use_redis_access_data() {
    let demo = demo();
    let redis = RedisServer::start_with(&["--maxmemory-policy", "allkeys-lfu"]);
    assert_eq!(
        warm(
            &redis,
            &demo,
            &[
                "--all",
                "--kind",
                "lineage-graph",
                "--directions",
                "upstream"
            ]
        )
        .2,
        0
    );
    let hot: Vec<String> = dump(&redis).into_keys().take(2).collect();
    for _ in 0..200 {
        for k in &hot {
            redis.cli(&["GET", k]);
        }
    }
    // Ranked by OBJECT FREQ: the graphs of exactly the two hot columns are written.
    let (_, err, code) = warm(
        &redis,
        &demo,
        &["--hot", "2", "--by", "cache", "--directions", "both"],
    );
    assert_eq!(code, 0, "{err}");
    let mut both: Vec<String> = dump(&redis)
        .into_keys()
        .filter(|k| k.ends_with("|both"))
        .collect();
    let mut want: Vec<String> = hot
        .iter()
        .map(|k| k.replace("|upstream", "|both"))
        .collect();
    both.sort();
    want.sort();
    assert_eq!(both, want);
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let (redis, demo) = (RedisServer::start(), demo());
    let (out, _, code) = warm(&redis, &demo, &["--kind", "namespace-list", "--all"]);
    assert_eq!(code, 0);
    assert!(out.contains("ok: wrote") && !out.contains('\x1b'), "{out}");
    let out = bin()
        .args([
            "--color",
            "always",
            "--redis-url",
            &redis.url(),
            "--source",
            &demo.spec(),
        ])
        .args(["warm", "--all", "--kind", "namespace-list"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("\x1b[32mok\x1b[0m: wrote"), "{text}");
}
