//! `verify` against real Redis and the embedded SQLite source (and ODBC on PostgreSQL): warm,
//! mutate the lineage and the cache, then `verify` must find exactly the keys each mutation
//! made stale, orphaned, unreadable or non-canonical (judged here independently, by the
//! per-key SQL), and after `verify --fix` the cache must equal a fresh `warm` byte for byte.
use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{bin, Postgres, RedisServer};
use lineage_cache::answer::{compute, Computed, GraphMode};
use lineage_cache::keys::{parse, Key, Parsed};
use lineage_cache::source::LineageSource;
use redis::Commands;
use serde_json::Value;

/// The dataset the tests drop from the source.
const DROPPED: &str = "demo_user.STG_ORDER";

fn run(redis: &RedisServer, source: &str, args: &[&str]) -> (String, String, i32) {
    let out = bin()
        .args(["--redis-url", &redis.url(), "--source", source])
        .args(args)
        .output()
        .unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

fn ok(redis: &RedisServer, source: &str, args: &[&str]) -> String {
    let (out, err, code) = run(redis, source, args);
    assert_eq!(code, 0, "{args:?}: {out}{err}");
    out
}

fn con(redis: &RedisServer) -> redis::Connection {
    redis::Client::open(redis.url())
        .unwrap()
        .get_connection()
        .unwrap()
}

/// Every key with its value (strings only) and TTL.
/// Every cached key with its value and TTL; not the tool's own keys (the warm lock, the
/// lineage snapshot `warm` saves for `sync`), which verify never reads as cache entries.
fn dump(redis: &RedisServer) -> BTreeMap<String, (Vec<u8>, i64)> {
    let mut c = con(redis);
    let keys: Vec<String> = c
        .scan::<String>()
        .unwrap()
        .map(|k| k.unwrap())
        .filter(|k| !k.starts_with("lineage-cache:"))
        .collect();
    keys.into_iter()
        .map(|k| {
            let v: Vec<u8> = c.get(&k).unwrap_or_default();
            let ttl: i64 = c.ttl(&k).unwrap();
            (k, (v, ttl))
        })
        .collect()
}

fn demo(dir: &Path) -> PathBuf {
    let db = dir.join("demo.sqlite");
    lineage_cache::source::demo::create_demo(&db, false).unwrap();
    db
}

/// `verify --format ndjson`: every drifted key with its class, and the summary.
fn verify_ndjson(
    redis: &RedisServer,
    source: &str,
    extra: &[&str],
) -> (BTreeMap<String, String>, Value, i32) {
    let mut args = vec!["verify", "--format", "ndjson"];
    args.extend(extra);
    let (out, err, code) = run(redis, source, &args);
    assert!(code == 0 || code == 7, "{out}{err}");
    let mut classes = BTreeMap::new();
    let mut summary = Value::Null;
    for line in out.lines() {
        let v: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        if let Some(s) = v.get("summary") {
            summary = s.clone();
        } else {
            let key = v["key"].as_str().unwrap().to_string();
            classes.insert(key, v["class"].as_str().unwrap().to_string());
        }
    }
    (classes, summary, code)
}

/// The class of each cached key, judged independently of `verify`: keys of the dropped
/// dataset are orphaned, planted bad values as planted, and every other value is compared
/// with the per-key SQL's value now.
fn expected_classes(
    cache: &BTreeMap<String, (Vec<u8>, i64)>,
    source: &dyn LineageSource,
    planted: &BTreeMap<String, &str>,
    dropped: Option<&str>,
) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (k, (v, _)) in cache {
        if let Some(class) = planted.get(k) {
            out.insert(k.clone(), class.to_string());
            continue;
        }
        let Parsed::Key(key) = parse(k) else {
            panic!("unplanted unknown key {k}")
        };
        if key
            .dataset()
            .zip(dropped)
            .is_some_and(|(d, gone)| d.ends_with(gone))
        {
            out.insert(k.clone(), "orphaned".into());
            continue;
        }
        match compute(&key, source, GraphMode::PerKey, 5).unwrap() {
            Computed::Value(now) if now == *v => {}
            Computed::Value(_) => {
                out.insert(k.clone(), "stale".into());
            }
            Computed::NotCached(_) => {
                out.insert(k.clone(), "orphaned".into());
            }
        }
    }
    out
}

/// Add a lineage row, deactivate one, re-point one, and drop a dataset (its row, its fields
/// and its lineage rows), as a `populate_lineage.py` run would.
fn mutate_lineage(db: &Path) {
    let c = rusqlite::Connection::open(db).unwrap();
    let active = |offset: u32| -> String {
        c.query_row(
            "SELECT lineage_id FROM OL_COLUMN_LINEAGE WHERE is_active = 'Y' \
             AND source_dataset <> ?1 AND target_dataset <> ?1 ORDER BY lineage_id LIMIT 1 OFFSET ?2",
            rusqlite::params![DROPPED, offset],
            |r| r.get(0),
        )
        .unwrap()
    };
    let (off, repoint) = (active(0), active(7));
    c.execute(
        "UPDATE OL_COLUMN_LINEAGE SET is_active = 'N' WHERE lineage_id = ?1",
        [&off],
    )
    .unwrap();
    c.execute(
        "UPDATE OL_COLUMN_LINEAGE SET target_field = 'customer_key', target_dataset = 'demo_user.DIM_CUSTOMER' WHERE lineage_id = ?1",
        [&repoint],
    )
    .unwrap();
    c.execute(
        "INSERT INTO OL_COLUMN_LINEAGE SELECT 'verifytestaddedrow000001', run_id, source_namespace, \
         source_dataset, source_field, target_namespace, 'demo_user.FACT_SALES', 'net_eur_amt', \
         transformation_type, transformation_subtype, transformation_description, masking, \
         confidence_score, discovered_at, 'Y' FROM OL_COLUMN_LINEAGE WHERE lineage_id = ?1",
        [&active(3)],
    )
    .unwrap();
    c.execute(
        "DELETE FROM OL_COLUMN_LINEAGE WHERE source_dataset = ?1 OR target_dataset = ?1",
        [DROPPED],
    )
    .unwrap();
    c.execute(
        "DELETE FROM OL_DATASET_FIELD WHERE dataset_id LIKE '%/' || ?1",
        [DROPPED],
    )
    .unwrap();
    c.execute("DELETE FROM OL_DATASET WHERE name = ?1", [DROPPED])
        .unwrap();
}

/// Corrupt, truncate and re-format cached values, and plant a list and an unknown key.
fn plant_bad_values(redis: &RedisServer) -> BTreeMap<String, &'static str> {
    let mut c = con(redis);
    let mut planted = BTreeMap::new();
    let mut set = |k: &str, v: Vec<u8>, class: &'static str| {
        let _: () = redis::cmd("SET")
            .arg(k)
            .arg(v)
            .arg("EX")
            .arg(600)
            .query(&mut c)
            .unwrap();
        planted.insert(k.to_string(), class);
    };
    set(
        "ol:dataset:get:demo_user.DIM_CUSTOMER",
        b"{corrupt".to_vec(),
        "unreadable",
    );
    let graph = "ol:lineage:graph:demo_user.FACT_SALES|order_id|downstream";
    let whole: Vec<u8> = con(redis).get(graph).unwrap();
    set(graph, whole[..whole.len() / 2].to_vec(), "unreadable");
    // Same data, other bytes: Go never writes spaces after a colon.
    let ddl = "ol:dataset:ddl:e2ee0f524246c957/demo_user.DIM_CUSTOMER";
    let canonical: Vec<u8> = con(redis).get(ddl).unwrap();
    let spaced = String::from_utf8(canonical)
        .unwrap()
        .replacen("\":", "\": ", 1);
    set(ddl, spaced.into_bytes(), "non-canonical");
    set("ol:nonsense:key", b"x".to_vec(), "unreadable");
    let mut c = con(redis);
    let list = "ol:namespace:get:e2ee0f524246c957";
    let _: () = c.del(list).unwrap();
    let _: () = c.rpush(list, "not a string").unwrap();
    planted.insert(list.to_string(), "unreadable");
    planted
}

#[test]
fn mutations_are_found_exactly_and_fix_leaves_a_fresh_warm() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let spec = format!("sqlite:{}", db.display());
    let redis = RedisServer::start();
    ok(&redis, &spec, &["warm", "--all", "--key-form", "both"]);
    let (classes, summary, code) = verify_ndjson(&redis, &spec, &[]);
    assert_eq!(code, 0, "{classes:?}");
    assert!(classes.is_empty(), "{classes:?}");
    assert_eq!(summary["drift"], 0);
    let cached = dump(&redis).len() as u64;
    assert_eq!(summary["checked"], cached);

    mutate_lineage(&db);
    let planted = plant_bad_values(&redis);
    let source = lineage_cache::source::sqlite::SqliteSource::open(&db).unwrap();
    let expected = expected_classes(&dump(&redis), &source, &planted, Some(DROPPED));
    for class in ["stale", "orphaned", "unreadable", "non-canonical"] {
        assert!(
            expected.values().any(|c| c == class),
            "the mutations make some key {class}"
        );
    }
    let (found, summary, code) = verify_ndjson(&redis, &spec, &[]);
    assert_eq!(code, 7, "drift exits 7");
    assert_eq!(found, expected);
    assert_eq!(summary["drift"], expected.len());

    // The table names the classes and a short diff; JSON lists the first --limit keys.
    let (table, _, code) = run(&redis, &spec, &["verify", "--limit", "1000"]);
    assert_eq!(code, 7);
    assert!(table.contains("edges +"), "{table}");
    assert!(
        table.contains("the dataset demo_user.STG_ORDER does not exist"),
        "{table}"
    );
    let (json, _, _) = run(
        &redis,
        &spec,
        &["verify", "--format", "json", "--limit", "3"],
    );
    let json: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["keys"].as_array().unwrap().len(), 3);
    assert_eq!(json["drift"], expected.len());
    let first: Vec<&String> = expected.keys().take(3).collect();
    let shown: Vec<&str> = json["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["key"].as_str().unwrap())
        .collect();
    assert_eq!(shown, first, "the first keys by key order");
    let (full, _, _) = run(
        &redis,
        &spec,
        &["verify", "--diff", "--kind", "dataset-list"],
    );
    assert!(
        full.contains("--- cached") && full.contains("+++ current"),
        "{full}"
    );

    // --fix without --yes off a terminal changes nothing; --dry-run changes nothing.
    let before = dump(&redis);
    let (_, err, code) = run(&redis, &spec, &["verify", "--fix"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not confirmed: nothing was changed"), "{err}");
    let (out, _, code) = run(&redis, &spec, &["verify", "--fix", "--dry-run"]);
    assert_eq!(code, 7);
    assert!(out.contains("dry run"), "{out}");
    let values = |d: BTreeMap<String, (Vec<u8>, i64)>| -> BTreeMap<String, Vec<u8>> {
        d.into_iter().map(|(k, (v, _))| (k, v)).collect()
    };
    assert_eq!(values(dump(&redis)), values(before));

    // --fix repairs everything but the unknown key, which it never touches.
    let (out, err, code) = run(
        &redis,
        &spec,
        &["verify", "--fix", "--yes", "--format", "json"],
    );
    assert_eq!(code, 7, "{out}{err}");
    let fixed: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(fixed["driftLeft"], 1, "{out}");
    let orphaned = expected.values().filter(|c| *c == "orphaned").count();
    assert_eq!(fixed["fix"]["deleted"], orphaned);
    assert_eq!(fixed["fix"]["written"], expected.len() - orphaned - 1);
    let after = dump(&redis);
    assert_eq!(after["ol:nonsense:key"].0, b"x");
    let _: () = con(&redis).del("ol:nonsense:key").unwrap();
    let (found, summary, code) = verify_ndjson(&redis, &spec, &[]);
    assert_eq!(code, 0, "{found:?}");
    assert_eq!(summary["drift"], 0);

    // Byte-equal to a fresh warm of the changed source, with TTLs within their class.
    let fresh = RedisServer::start();
    ok(&fresh, &spec, &["warm", "--all", "--key-form", "both"]);
    let (ours, theirs) = (dump(&redis), dump(&fresh));
    assert_eq!(
        ours.keys().collect::<Vec<_>>(),
        theirs.keys().collect::<Vec<_>>()
    );
    for (k, (v, ttl)) in &ours {
        assert_eq!(v, &theirs[k].0, "{k}");
        let class = match parse(k) {
            Parsed::Key(key) => key.ttl_class().seconds(&Default::default()) as i64,
            _ => unreachable!(),
        };
        assert!(*ttl > 0 && *ttl <= class, "{k}: TTL {ttl} of class {class}");
    }
}

#[test]
fn depth_missing_hot_keys_and_reports() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let spec = format!("sqlite:{}", db.display());
    let redis = RedisServer::start();
    // A graph filled at depth 1 is what the API writes for maxDepth=1: current.
    let field = "demo_user.FACT_SALES/net_eur_amt";
    ok(&redis, &spec, &["warm", "--field", field, "--depth", "1"]);
    let (found, summary, code) = verify_ndjson(&redis, &spec, &[]);
    assert_eq!(code, 0, "{found:?}");
    assert!(summary["otherDepth"].as_u64().unwrap() > 0, "{summary}");
    // Pinned to the default depth, the deeper graphs differ.
    let (found, _, code) = verify_ndjson(&redis, &spec, &["--depth", "5"]);
    assert_eq!(code, 7);
    assert!(found.values().all(|c| c == "stale") && !found.is_empty());

    // --missing: the hot columns' keys not cached; --fix writes them as warm --hot would.
    let _: () = redis::cmd("FLUSHALL").query(&mut con(&redis)).unwrap();
    ok(&redis, &spec, &["warm", "--hot", "3"]);
    let hot = dump(&redis);
    let gone = hot.keys().next().unwrap().clone();
    let _: () = con(&redis).del(&gone).unwrap();
    let (found, summary, code) = verify_ndjson(&redis, &spec, &["--missing", "--hot", "3"]);
    assert_eq!(code, 7);
    assert_eq!(
        found,
        BTreeMap::from([(gone.clone(), "missing".to_string())])
    );
    assert_eq!(summary["missingChecked"], 9);
    ok(
        &redis,
        &spec,
        &["verify", "--missing", "--hot", "3", "--fix", "--yes"],
    );
    let refilled = dump(&redis);
    assert_eq!(refilled[&gone].0, hot[&gone].0);

    // Prometheus: a gauge per class (zeros included), on stdout and in the metrics file.
    let metrics = dir.path().join("verify.prom");
    let (prom, _, code) = run(
        &redis,
        &spec,
        &[
            "verify",
            "--format",
            "prometheus",
            "--metrics-file",
            metrics.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0);
    for class in [
        "current",
        "stale",
        "orphaned",
        "unreadable",
        "non-canonical",
        "missing",
    ] {
        assert!(
            prom.contains(&format!(
                "lineage_cache_verify_class_keys{{class=\"{class}\"}}"
            )),
            "{prom}"
        );
    }
    assert!(
        prom.contains("lineage_cache_verify_class_keys{class=\"current\"} 9"),
        "{prom}"
    );
    assert!(
        prom.contains("lineage_cache_verify_drift_left_keys 0"),
        "{prom}"
    );
    assert_eq!(std::fs::read_to_string(&metrics).unwrap(), prom);
}

#[test]
fn bad_input_gets_one_line_and_exit_2() {
    let redis = RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    let spec = format!("sqlite:{}", demo(dir.path()).display());
    for (args, says) in [
        (vec!["verify", "--dry-run"], "--dry-run goes with --fix"),
        (vec!["verify", "--yes"], "--yes goes with --fix"),
        (
            vec!["verify", "--depth", "99"],
            "--depth must be from 1 to 20",
        ),
        (
            vec!["verify", "--missing", "--hot", "0"],
            "--hot must be at least 1",
        ),
        (vec!["verify", "--pattern", "other:*"], "ol:"),
        (
            vec!["verify", "--fix", "--wait-lock", "soon"],
            "--wait-lock",
        ),
    ] {
        let (out, err, code) = run(&redis, &spec, &args);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(out.is_empty(), "{args:?}: {out}");
    }
}

#[test]
fn verify_through_odbc_finds_what_the_sql_source_says_changed() {
    let pg = Postgres::start();
    let sql = lineage_cache::source::demo::demo_sql(
        lineage_cache::source::sql::Dialect::Postgres,
        None,
        42,
    )
    .unwrap();
    pg.load_sql("lineage", &sql);
    let spec = format!("odbc:{}", pg.odbc_connection_string());
    let redis = RedisServer::start();
    ok(&redis, &spec, &["warm", "--all", "--key-form", "both"]);
    let (found, _, code) = verify_ndjson(&redis, &spec, &[]);
    assert_eq!(code, 0, "{found:?}");
    // Re-point one row and deactivate another, through PostgreSQL.
    pg.psql(
        "lineage",
        &[
            "-c",
            "UPDATE ol_column_lineage SET target_field = 'customer_key' WHERE lineage_id = \
             (SELECT min(lineage_id) FROM ol_column_lineage WHERE target_dataset = 'demo_user.DIM_CUSTOMER'); \
             UPDATE ol_column_lineage SET is_active = 'N' WHERE lineage_id = \
             (SELECT max(lineage_id) FROM ol_column_lineage WHERE is_active = 'Y')",
        ],
    );
    let odbc = lineage_cache::source::odbc::OdbcSource::connect(
        &pg.odbc_connection_string(),
        lineage_cache::source::odbc::OdbcOptions::default(),
    )
    .unwrap();
    let expected = expected_classes(&dump(&redis), &odbc, &BTreeMap::new(), None);
    assert!(!expected.is_empty());
    let (found, _, code) = verify_ndjson(&redis, &spec, &[]);
    assert_eq!(code, 7);
    assert_eq!(found, expected);
    ok(&redis, &spec, &["verify", "--fix", "--yes"]);
    let (found, _, code) = verify_ndjson(&redis, &spec, &[]);
    assert_eq!(code, 0, "{found:?}");
}

/// A synthetic warehouse big enough that a debug build takes seconds to verify it.
fn big(dir: &Path) -> (PathBuf, RedisServer) {
    let db = dir.join("big.sqlite");
    lineage_cache::source::demo::create_synthetic(&db, 3_000, 7, false).unwrap();
    let redis = RedisServer::start();
    let spec = format!("sqlite:{}", db.display());
    ok(&redis, &spec, &["warm", "--all", "--kind", "lineage-graph"]);
    (db, redis)
}

fn spawn(redis_url: &str, db: &Path, args: &[&str]) -> std::process::Child {
    let mut b = bin();
    b.args(["--redis-url", redis_url, "--timeout", "1"])
        .arg("--source")
        .arg(format!("sqlite:{}", db.display()))
        .args(args);
    let mut cmd = Command::new(b.get_program());
    cmd.args(b.get_args())
        .current_dir(b.dir())
        .env("NO_COLOR", "1");
    for (k, v) in b.get_envs() {
        match v {
            Some(v) => cmd.env(k, v),
            None => cmd.env_remove(k),
        };
    }
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Wait until the run has read `n` keys (its server's GET count), at most 120 s. A run
/// that ends first fails the test at once, with its exit code and output.
fn wait_for_gets(redis: &RedisServer, child: &mut std::process::Child, n: u64) {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                let _ = std::io::Read::read_to_string(&mut e, &mut err);
            }
            panic!("the run ended ({status}) before {n} GETs: {err}");
        }
        let stats = redis.cli(&["INFO", "commandstats"]);
        let gets = stats
            .lines()
            .find_map(|l| l.strip_prefix("cmdstat_get:calls="))
            .and_then(|r| r.split(',').next())
            .and_then(|n| n.parse::<u64>().ok())
            .unwrap_or(0);
        if gets >= n {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "no progress: {gets} of {n} GETs"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn redis_killed_or_ctrl_c_mid_run_exit_with_their_codes_and_fix_leaves_whole_values() {
    let dir = tempfile::tempdir().unwrap();
    let (db, mut redis) = big(dir.path());
    let keys = dump(&redis).len() as u64;

    // Ctrl-C mid-audit: exit 130 and the report covers what was read.
    let _: () = redis::cmd("CONFIG")
        .arg("RESETSTAT")
        .query(&mut con(&redis))
        .unwrap();
    let mut child = spawn(&redis.url(), &db, &["verify", "--format", "json"]);
    wait_for_gets(&redis, &mut child, 2_000);
    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(130), "{stdout}{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["interrupted"], true);
    assert!(report["checked"].as_u64().unwrap() < keys, "{stdout}");

    // Ctrl-C mid-fix: every value is whole (the old graph or the new one), and what the
    // report counts as written is exactly what changed.
    let c = rusqlite::Connection::open(&db).unwrap();
    c.execute("UPDATE OL_COLUMN_LINEAGE SET confidence_score = 0.5", [])
        .unwrap();
    drop(c);
    let before = dump(&redis);
    let _: () = redis::cmd("CONFIG")
        .arg("RESETSTAT")
        .query(&mut con(&redis))
        .unwrap();
    let mut child = spawn(
        &redis.url(),
        &db,
        &[
            "verify", "--fix", "--yes", "--format", "json", "--limit", "0",
        ],
    );
    // The audit reads every key once; the fix reads them again.
    wait_for_gets(&redis, &mut child, keys + 400);
    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(130), "{stdout}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let written = report["fix"]["written"].as_u64().unwrap();
    let after = dump(&redis);
    let changed = after
        .iter()
        .filter(|(k, (v, _))| before[*k].0 != *v)
        .count() as u64;
    assert_eq!(changed, written, "{stdout}");
    assert!(
        written > 0 && written < report["drift"].as_u64().unwrap(),
        "{stdout}"
    );
    for (k, (v, _)) in &after {
        lineage_cache::json::decode_graph(v).unwrap_or_else(|e| panic!("{k}: {e}"));
    }

    // Redis killed mid-audit: exit 4 with one error line.
    let _: () = redis::cmd("CONFIG")
        .arg("RESETSTAT")
        .query(&mut con(&redis))
        .unwrap();
    let mut child = spawn(&redis.url(), &db, &["verify"]);
    wait_for_gets(&redis, &mut child, 2_000);
    redis.kill();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(
        stderr
            .lines()
            .filter(|l| l.starts_with("lineage-cache: "))
            .count(),
        1,
        "{stderr}"
    );
    let _ = Key::NamespaceList;
}

#[test]
fn verify_and_fix_on_a_three_primary_cluster() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let cluster = common::RedisCluster::start();
    let t = common::Target::cluster(&cluster);
    let w = common::Demo::from_file(tempfile::tempdir().unwrap(), db.clone());
    t.run(&w, &["warm", "--all"]).ok();
    let verify = |extra: &[&str]| {
        let mut args = vec!["verify", "--format", "json"];
        args.extend(extra);
        let out = t.run(&w, &args);
        let json: Value =
            serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {out:?}"));
        (json, out.code)
    };
    let (clean, code) = verify(&[]);
    assert_eq!(code, 0, "{clean}");
    let keys: Vec<String> = t
        .keys()
        .into_iter()
        .filter(|k| !k.starts_with("lineage-cache:"))
        .collect();
    assert_eq!(clean["checked"], keys.len());
    // A stale graph (a row deactivated), a corrupt value and a dropped dataset's keys,
    // spread over the three primaries by their slots.
    let c = rusqlite::Connection::open(&db).unwrap();
    c.execute(
        "UPDATE OL_COLUMN_LINEAGE SET is_active = 'N' WHERE lineage_id = \
         (SELECT min(lineage_id) FROM OL_COLUMN_LINEAGE WHERE is_active = 'Y')",
        [],
    )
    .unwrap();
    c.execute(
        "UPDATE OL_DATASET SET is_active = 'N' WHERE name = ?1",
        [DROPPED],
    )
    .unwrap();
    drop(c);
    t.put(&[(
        b"ol:dataset:get:demo_user.DIM_DATE".to_vec(),
        b"[".to_vec(),
        600,
    )]);
    let (drift, code) = verify(&[]);
    assert_eq!(code, 7, "{drift}");
    for class in ["stale", "orphaned", "unreadable"] {
        assert!(
            drift["classes"][class].as_u64().unwrap() > 0,
            "{class}: {drift}"
        );
    }
    let (fixed, code) = verify(&["--fix", "--yes"]);
    assert_eq!(code, 0, "{fixed}");
    assert_eq!(fixed["driftLeft"], 0);
    let (after, code) = verify(&[]);
    assert_eq!(code, 0, "{after}");
    assert_eq!(after["drift"], 0);
}
