//! `stats` against a private redis-server with a small cache of known keys: counts per kind,
//! TTL buckets, bytes equal to MEMORY USAGE, foreign keys apart, sampling, Prometheus text,
//! warnings, and `--watch` until Ctrl-C.
use crate::common;

use std::process::{Command, Stdio};
use std::time::Duration;

use common::{bin, RedisServer};
use serde_json::Value;

/// (key, value, EX or "" for none).
const CACHE: [(&str, &str, &str); 9] = [
    (
        "ol:lineage:graph:ns/db.T|a|both",
        "{\"nodes\":[],\"edges\":[]}",
        "100000",
    ),
    (
        "ol:lineage:graph:ns/db.T|b|both",
        "{\"nodes\":[1,2,3],\"edges\":[]}",
        "100000",
    ),
    ("ol:lineage:graph:ns/db.T|c|upstream", "{}", "1500"),
    ("ol:dataset:get:ns/db.T", "{\"id\":\"ns/db.T\"}", "240"),
    ("ol:dataset:get:db.T", "{\"id\":\"db.T\"}", "240"),
    ("ol:field:list:ns/db.T", "[]", ""),
    ("ol:something:else", "x", "600"),
    ("session:42", "someone else's", ""),
    ("app:config", "0123456789", "7200"),
];

fn planted(extra: &[&str]) -> RedisServer {
    let server = RedisServer::start_with(extra);
    for (k, v, ex) in CACHE {
        if ex.is_empty() {
            server.cli(&["SET", k, v]);
        } else {
            server.cli(&["SET", k, v, "EX", ex]);
        }
    }
    server.cli(&["HSET", "app:hash", "f1", "v1", "f2", "v2"]);
    server
}

fn run(server: &RedisServer, args: &[&str]) -> String {
    let out = bin()
        .env("REDIS_ADDR", server.addr())
        .args(args)
        .output()
        .expect("run lineage-cache");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn json(server: &RedisServer, args: &[&str]) -> Value {
    serde_json::from_str(&run(server, args)).expect("JSON output")
}

fn memory_usage(server: &RedisServer, keys: &[&str]) -> u64 {
    keys.iter()
        .map(|k| {
            server
                .cli(&["MEMORY", "USAGE", k])
                .trim()
                .parse::<u64>()
                .unwrap()
        })
        .sum()
}

fn kind<'a>(doc: &'a Value, name: &str) -> &'a Value {
    doc["keyspace"]["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kind"] == name)
        .expect(name)
}

#[test]
fn breakdown_by_kind_matches_the_keyspace() {
    let server = planted(&[]);
    let doc = json(&server, &["stats", "--format", "json"]);
    let graphs: Vec<&str> = CACHE[..3].iter().map(|c| c.0).collect();
    let g = kind(&doc, "lineage-graph");
    assert_eq!(g["keys"], 3);
    assert_eq!(g["bytes"], memory_usage(&server, &graphs));
    assert_eq!(g["ttl"][">=1h"], 2);
    assert_eq!(g["ttl"]["<30m"], 1);
    let max = graphs
        .iter()
        .map(|k| memory_usage(&server, &[k]))
        .max()
        .unwrap();
    assert_eq!(g["maxBytes"], max);
    assert_eq!(kind(&doc, "dataset-get")["ttl"]["<5m"], 2);
    assert_eq!(kind(&doc, "field-list")["noTtl"], 1);
    assert_eq!(doc["keyspace"]["otherPrefix"]["keys"], 1);
    assert_eq!(doc["keyspace"]["prefixTotal"]["keys"], 7);
    let foreign = &doc["keyspace"]["foreign"];
    assert_eq!(foreign["keys"], 3);
    assert_eq!(
        foreign["bytes"],
        memory_usage(&server, &["session:42", "app:config", "app:hash"])
    );
    assert_eq!(doc["server"]["dbsize"], 10);
    assert_eq!(doc["keyspace"]["estimate"], false);
    assert_eq!(doc["warnings"].as_array().unwrap().len(), 2);
    let mut doc = doc;
    redact_sizes(&mut doc);
    insta::assert_json_snapshot!("stats_json", doc);
}

/// Mask what depends on the Redis build or the moment: the server section, sizes, timing.
fn redact_sizes(doc: &mut Value) {
    doc["server"] = "[server]".into();
    doc["elapsedMs"] = "[ms]".into();
    let ks = &mut doc["keyspace"];
    let mut groups: Vec<&mut Value> = Vec::new();
    let (kinds, rest) = match ks.as_object_mut() {
        Some(m) => {
            let mut kinds = None;
            let mut rest = Vec::new();
            for (k, v) in m.iter_mut() {
                match k.as_str() {
                    "kinds" => kinds = Some(v),
                    "otherPrefix" | "prefixTotal" | "foreign" => rest.push(v),
                    _ => {}
                }
            }
            (kinds, rest)
        }
        None => (None, Vec::new()),
    };
    if let Some(Value::Array(items)) = kinds {
        groups.extend(items.iter_mut());
    }
    groups.extend(rest);
    for g in groups {
        for field in ["bytes", "avgBytes", "p50Bytes", "p95Bytes", "maxBytes"] {
            if g.get(field).is_some_and(|v| v != 0) {
                g[field] = "[bytes]".into();
            }
        }
    }
}

/// From the table's header on, sizes masked and spacing collapsed; the timing masked.
fn normalize(text: &str) -> String {
    let units = ["B", "KB", "MB"];
    let mut out = String::new();
    for line in text.lines().skip_while(|l| !l.contains("KIND")) {
        if line.chars().all(|c| "┌┐└┘─═╞╡ ".contains(c)) {
            out.push_str("----\n");
            continue;
        }
        if line.starts_with("full scan") {
            out.push_str("full scan <timing>\n");
            continue;
        }
        let t: Vec<&str> = line.split_whitespace().collect();
        let mut kept = Vec::new();
        let mut i = 0;
        while i < t.len() {
            let num = t[i].chars().all(|c| c.is_ascii_digit() || c == '.');
            if num && t.get(i + 1).is_some_and(|u| units.contains(u)) {
                kept.push("<size>");
                i += 2;
            } else {
                kept.push(t[i]);
                i += 1;
            }
        }
        out.push_str(&kept.join(" "));
        out.push('\n');
    }
    out
}

#[test]
fn table_shows_health_warnings_and_the_breakdown() {
    let server = planted(&[]);
    let table = run(&server, &["stats"]);
    for label in [
        "server",
        "memory",
        "hit rate",
        "load",
        "warning: no maxmemory limit",
    ] {
        assert!(table.contains(label), "{label}: {table}");
    }
    assert!(table.contains("warning: maxmemory-policy is noeviction"));
    insta::assert_snapshot!("stats_table", normalize(&table));
    let bounded = planted(&["--maxmemory", "100mb", "--maxmemory-policy", "allkeys-lru"]);
    let table = run(&bounded, &["stats"]);
    assert!(!table.contains("warning"), "{table}");
    assert!(
        table.contains("maxmemory 104.9 MB, policy allkeys-lru"),
        "{table}"
    );
}

#[test]
fn a_sample_counts_every_key_and_measures_some() {
    let server = planted(&[]);
    let doc = json(&server, &["stats", "--sample", "3", "--format", "json"]);
    let ks = &doc["keyspace"];
    assert_eq!(ks["estimate"], true);
    assert_eq!(ks["sampleEvery"], 3);
    assert_eq!(ks["scanned"], 10);
    let sampled = ks["sampled"].as_u64().unwrap();
    assert!((5..10).contains(&sampled), "{ks}");
    assert_eq!(kind(&doc, "lineage-graph")["keys"], 3);
    assert_eq!(ks["foreign"]["keys"], 3);
    let table = run(&server, &["stats", "--sample", "3"]);
    assert!(table.contains("estimate: sizes and TTLs from"), "{table}");
    assert!(table.contains("(1 in 3) of 10 scanned"), "{table}");
}

#[test]
fn prometheus_text_is_well_formed() {
    let server = planted(&[]);
    let text = run(&server, &["stats", "--format", "prometheus"]);
    for want in [
        "lineage_cache_keys{kind=\"lineage-graph\"} 3\n",
        "lineage_cache_keys{kind=\"foreign\"} 3\n",
        "lineage_cache_keys_by_ttl{kind=\"dataset-get\",ttl=\"<5m\"} 2\n",
        "lineage_cache_redis_maxmemory_policy{policy=\"noeviction\"} 1\n",
        "lineage_cache_redis_keys 10\n",
        "lineage_cache_stats_estimate 0\n",
    ] {
        assert!(text.contains(want), "{want}: {text}");
    }
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let (name, value) = line.rsplit_once(' ').unwrap();
        assert!(name.starts_with("lineage_cache_"), "{line}");
        assert!(value == "NaN" || value.parse::<f64>().is_ok(), "{line}");
    }
}

#[test]
fn watch_prints_successive_reports_until_ctrl_c() {
    let server = planted(&[]);
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_lineage-cache"));
    for (name, _) in std::env::vars_os() {
        if name
            .to_str()
            .is_some_and(|n| n.starts_with("REDIS_") || n.starts_with("LINEAGE_CACHE_"))
        {
            cmd.env_remove(name);
        }
    }
    let child = cmd
        .env("REDIS_ADDR", server.addr())
        .args(["stats", "--watch", "300ms", "--format", "ndjson"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reports: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(reports.len() >= 2, "{reports:?}");
    assert!(reports.iter().all(|r| r["keyspace"]["scanned"] == 10));
}

#[test]
fn bad_options_exit_2_with_one_line() {
    let server = planted(&[]);
    for (args, needle) in [
        (&["stats", "--sample", "0"][..], "--sample"),
        (&["stats", "--watch", "0s"], "--watch"),
        (&["stats", "--watch", "often"], "--watch"),
    ] {
        let out = bin()
            .env("REDIS_ADDR", server.addr())
            .args(args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains(needle), "{stderr}");
    }
}
