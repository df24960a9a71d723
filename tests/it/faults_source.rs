//! Lineage-source faults during `warm` and `invalidate`, against a real PostgreSQL reached
//! through ODBC (psqlODBC) and a real Redis: the source unreachable, a query failing for
//! some items, connections terminated in the middle of per-key queries and of the bulk
//! read. Whatever happens, every value written is complete (equal to a clean run's) and the
//! exit code says what happened. Counts of values checked are printed (`--nocapture`) and
//! recorded in docs/faults.md.
use crate::common;

use std::collections::BTreeMap;
use std::process::Output;
use std::time::{Duration, Instant};

use common::{bin, free_port, Postgres, RedisServer};
use lineage_cache::keys::{parse, Parsed};
use lineage_cache::source::demo::{demo_sql, Dialect};

const SECRET: &str = "Src-Secret-31337";
const LOCK: &str = "lineage-cache:lock:warm:0";

fn tool(redis: &RedisServer, source: &str, args: &[&str]) -> Output {
    bin()
        .args([
            "--redis-url",
            &redis.url(),
            "--timeout",
            "2",
            "--source",
            source,
        ])
        .args(args)
        .output()
        .unwrap()
}

fn text(out: &Output) -> (String, String, Option<i32>) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code(),
    )
}

/// Every cache entry (`ol:`) and its value; not the tool's own keys (the lineage snapshot a
/// complete warm saves).
fn dump(redis: &RedisServer) -> BTreeMap<String, Vec<u8>> {
    let mut con = redis::Client::open(redis.url())
        .unwrap()
        .get_connection()
        .unwrap();
    let keys: Vec<String> = redis::cmd("KEYS").arg("ol:*").query(&mut con).unwrap();
    keys.into_iter()
        .map(|k| {
            let v: Vec<u8> = redis::cmd("GET").arg(&k).query(&mut con).unwrap();
            (k, v)
        })
        .collect()
}

/// Every `ol:` key decodes as its kind and has a TTL, and equals the clean run's value;
/// returns how many were checked.
fn complete_and_equal(redis: &RedisServer, clean: &BTreeMap<String, Vec<u8>>) -> usize {
    let got = dump(redis);
    for (k, v) in &got {
        let Parsed::Key(key) = parse(k) else {
            panic!("unexpected key {k}");
        };
        assert!(
            lineage_cache::json::check_value(key.kind(), v).is_ok(),
            "{k} holds a partial value"
        );
        assert_eq!(Some(v), clean.get(k), "{k} differs from a clean run");
        let ttl: i64 = redis.cli(&["TTL", k]).trim().parse().unwrap();
        assert!(ttl > 0, "{k} has no TTL");
    }
    got.len()
}

/// One clear error line, no panic, no secret.
fn assert_one_line(stderr: &str) {
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains(SECRET), "{stderr}");
    let errors = stderr
        .lines()
        .filter(|l| l.starts_with("lineage-cache: "))
        .count();
    assert_eq!(errors, 1, "{stderr}");
}

#[test]
fn unreachable_source_is_a_connection_error_and_writes_nothing() {
    let redis = RedisServer::start();
    let source = format!(
        "odbc:Driver={{PostgreSQL Unicode}};Server=127.0.0.1;Port={};Database=lineage;\
         Uid=postgres;Pwd={SECRET};",
        free_port()
    );
    for args in [
        &["warm", "--all"][..],
        &["warm", "--all", "--per-key"],
        &[
            "invalidate",
            "--yes",
            "--changed-since",
            "2026-01-01 00:00:00",
        ],
    ] {
        let started = Instant::now();
        let (_, err, code) = text(&tool(&redis, &source, args));
        assert_eq!(code, Some(4), "{args:?}: {err}");
        assert_one_line(&err);
        assert!(err.contains("lineage source unreachable"), "{err}");
        assert!(started.elapsed() < Duration::from_secs(10), "{args:?}");
        assert!(
            dump(&redis).is_empty(),
            "{args:?}: nothing written, lock released"
        );
    }
}

/// PostgreSQL with the demo warehouse (`lineage`) and a synthetic one of about 1000
/// columns (`synth`).
fn server() -> Postgres {
    let pg = Postgres::start();
    pg.load_sql("lineage", &demo_sql(Dialect::Postgres, None, 42).unwrap());
    pg.create_database("synth");
    pg.load_sql(
        "synth",
        &demo_sql(Dialect::Postgres, Some(1000), 7).unwrap(),
    );
    for db in ["lineage", "synth"] {
        pg.psql(db, &["-c", "ANALYZE"]);
    }
    pg
}

#[test]
fn source_failures_through_odbc() {
    let pg = server();
    a_failing_query_fails_only_its_items(&pg);
    terminated_backends_fail_items_not_values(&pg);
}

/// Without `DBC_TableSizeV` the statistics of tables fail (reported, not written), the rest
/// completes.
fn a_failing_query_fails_only_its_items(pg: &Postgres) {
    let source = format!("odbc:{}", pg.odbc_connection_string());
    let clean_redis = RedisServer::start();
    let (_, err, code) = text(&tool(&clean_redis, &source, &["warm", "--all"]));
    assert_eq!(code, Some(0), "{err}");
    let clean = dump(&clean_redis);
    pg.psql("lineage", &["-c", "DROP TABLE dbc_tablesizev"]);
    let redis = RedisServer::start();
    let (out, err, code) = text(&tool(
        &redis,
        &source,
        &["warm", "--all", "--format", "json"],
    ));
    assert_eq!(code, Some(3), "{err}");
    assert_one_line(&err);
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    // The API reads sizes of tables only: the 33 tables' statistics fail, the 5 views' not.
    assert_eq!(report["kinds"]["dataset-statistics"]["failed"], 33);
    assert_eq!(report["kinds"]["dataset-statistics"]["written"], 5);
    assert_eq!(report["kinds"]["lineage-graph"]["written"], 564);
    let failure = report["failures"][0]["error"].as_str().unwrap();
    assert!(failure.contains("dbc_tablesizev"), "{failure}");
    let n = complete_and_equal(&redis, &clean);
    eprintln!("failing statistics query over ODBC: {n} values checked, all complete");
    assert_eq!(n, clean.len() - 33);
    let stats = dump(&redis)
        .into_keys()
        .filter(|k| k.starts_with("ol:dataset:statistics:"))
        .count();
    assert_eq!(stats, 5);
}

/// Run `f`; once `ready()` says so, terminate every backend of `db` every few
/// milliseconds for `window` (or until `f` ends).
fn terminating<T: Send>(
    pg: &Postgres,
    db: &str,
    ready: impl Fn() -> bool,
    window: Duration,
    f: impl FnOnce() -> T + Send,
) -> T {
    let kill = format!(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity \
         WHERE datname = '{db}' AND pid <> pg_backend_pid()"
    );
    std::thread::scope(|scope| {
        let job = scope.spawn(f);
        while !job.is_finished() && !ready() {
            std::thread::sleep(Duration::from_millis(5));
        }
        let until = Instant::now() + window;
        while !job.is_finished() && Instant::now() < until {
            pg.psql("postgres", &["-c", &kill]);
            std::thread::sleep(Duration::from_millis(20));
        }
        job.join().unwrap()
    })
}

/// Backends terminated during per-key queries and during the bulk read: failed items are
/// reported and skipped, every value written equals a clean run's.
fn terminated_backends_fail_items_not_values(pg: &Postgres) {
    let source = format!("odbc:{}", pg.odbc_connection_string_for("synth"));
    let clean_redis = RedisServer::start();
    let graphs = [
        "warm",
        "--all",
        "--kind",
        "lineage-graph",
        "--directions",
        "both",
    ];
    let (_, err, code) = text(&tool(&clean_redis, &source, &graphs));
    assert_eq!(code, Some(0), "{err}");
    let clean = dump(&clean_redis);
    // Per key: each graph is its own recursive query.
    let redis = RedisServer::start();
    let mut args = graphs.to_vec();
    args.extend(["--per-key", "--format", "json"]);
    let writing = || redis.cli(&["DBSIZE"]).trim().parse::<u32>().unwrap_or(0) > 50;
    let window = Duration::from_millis(700);
    let out = terminating(pg, "synth", writing, window, || {
        tool(&redis, &source, &args)
    });
    let (stdout, err, code) = text(&out);
    assert_eq!(code, Some(3), "failed items, the rest completed: {err}");
    assert_one_line(&err);
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let failed = report["failed"].as_u64().unwrap();
    let written = report["written"].as_u64().unwrap();
    assert!(failed > 0, "{report}");
    assert_eq!(
        failed + written,
        clean.len() as u64,
        "every item accounted for"
    );
    let n = complete_and_equal(&redis, &clean);
    assert_eq!(n as u64, written);
    eprintln!("backends terminated during per-key warm (exit {code:?}): {n} values checked");
    assert_eq!(redis.cli(&["EXISTS", LOCK]).trim(), "0", "lock released");
    // Bulk: one row per server-side fetch so the read spans thousands of round trips, and
    // the backends are terminated once a fetch is seen (the bulk read is under way: the
    // engine's read is fast enough to end before a blind first kill lands).
    let slow = format!(
        "odbc:{}UseDeclareFetch=1;Fetch=1;",
        pg.odbc_connection_string_for("synth")
    );
    let fetching = || {
        let q = "SELECT count(*) FROM pg_stat_activity \
                 WHERE datname = 'synth' AND query ILIKE 'fetch%'";
        pg.psql("postgres", &["-At", "-c", q]).trim() != "0"
    };
    // The read can also end between two polls of pg_stat_activity (each is a psql run):
    // then nothing is terminated in time and the run completes, which is no trial. Such a
    // run must still have written exactly the clean run's values; try again (5 at most).
    let mut tries = 0;
    let (redis, err, code) = loop {
        tries += 1;
        let redis = RedisServer::start();
        let out = terminating(pg, "synth", fetching, Duration::from_secs(10), || {
            tool(&redis, &slow, &graphs)
        });
        let (_, err, code) = text(&out);
        if code == Some(0) && tries < 5 {
            assert_eq!(complete_and_equal(&redis, &clean), clean.len());
            eprintln!("the bulk read ended before a termination landed: trying again");
            continue;
        }
        break (redis, err, code);
    };
    assert!(
        matches!(code, Some(3 | 4)),
        "{code:?} after {tries} tries: {err}"
    );
    assert_one_line(&err);
    let n = complete_and_equal(&redis, &clean);
    eprintln!("backends terminated during the bulk read (exit {code:?}): {n} values checked");
    if code == Some(4) {
        assert_eq!(n, 0, "a lost bulk read writes nothing");
    }
    assert_eq!(redis.cli(&["EXISTS", LOCK]).trim(), "0", "lock released");
}
