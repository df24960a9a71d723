//! `inspect` against a private redis-server holding a small cache with one key of each
//! anomaly. Snapshots pin the table (sizes and idle times masked, spacing normalised) and the
//! JSON (volatile members redacted).
use crate::common;

use common::{bin, free_port, RedisServer};
use serde_json::Value;

/// Classes of ten days, so remaining TTLs print the same for the whole test.
const TTL_ENV: [(&str, &str); 5] = [
    ("CACHE_TTL_LINEAGE", "864000"),
    ("CACHE_TTL_ASSETS", "864000"),
    ("CACHE_TTL_STATISTICS", "864000"),
    ("CACHE_TTL_DDL", "864000"),
    ("CACHE_TTL_SEARCH", "864000"),
];
const EX: &str = "200000"; // 2d7h33m: under the class
const ABOVE: &str = "2000000"; // 23d3h: above the class

const GRAPH_C: &str = r#"{"nodes":[{"id":"db.T/c","type":"field","namespace":"","dataset":"db.T","field":"c"},{"id":"db.U/x","type":"field","namespace":"ns1","dataset":"db.U","field":"x"}],"edges":[{"id":"e1","source":"db.U/x","target":"db.T/c","transformationType":"DIRECT","transformationSubtype":"IDENTITY","confidenceScore":0.95}]}"#;
const GRAPH_AB: &str = r#"{"nodes":[{"id":"db.T/a|b","type":"field","namespace":"","dataset":"db.T","field":"a|b"}],"edges":[]}"#;
const DATASET: &str = r#"{"id":"ns1/db.T","namespaceId":"ns1","name":"db.T","createdAt":"2026-01-15T10:00:00Z","updatedAt":"2026-01-15T10:00:00Z","isActive":true}"#;
const NAMESPACE: &str =
    r#"{"id":"ns1","uri":"teradata://h","specVersion":"1.0","createdAt":"2026-01-15T10:00:00Z"}"#;
const DDL: &str = r#"{"datasetId":"ns1/db.T","databaseName":"db","tableName":"T","sourceType":"TABLE","truncated":false}"#;

/// The keys and what each one plants: (key, value, EX or "" for no TTL).
fn cache() -> Vec<(&'static str, String, &'static str)> {
    vec![
        ("ol:lineage:graph:db.T|c|both", GRAPH_C.into(), EX),
        ("ol:dataset:get:db.T", DATASET.into(), EX),
        ("ol:namespace:list", format!("[{NAMESPACE}]"), ""),
        // Statistics and DDL under the dataset id, the one form the API reads them by.
        ("ol:dataset:ddl:ns1/db.T", DDL.into(), ABOVE),
        (
            "ol:dataset:statistics:ns1/db.T",
            r#"{"datasetId":"#.into(),
            EX,
        ),
        ("ol:field:list:db.T", "null".into(), EX),
        ("ol:lineage:other:x", "?".into(), EX),
        ("ol:lineage:graph:db.T|a|b|both", GRAPH_AB.into(), EX),
        ("ol:lineage:graph:db.T|d|upstream", GRAPH_C.into(), EX),
        ("ol:namespace:get:ns1", NAMESPACE.replace(",", ", "), EX),
        ("ol:dataset:search:DB|100", "[]".into(), EX),
        (
            "ol:dataset:get:ns1/db.U",
            DATASET.replace("db.T", "db.U"),
            EX,
        ),
        ("session:1", "not ours".into(), ""),
    ]
}

/// A server holding [`cache`] plus a list where a dataset page belongs (`wrong-type`).
fn planted(extra: &[&str]) -> RedisServer {
    let server = RedisServer::start_with(extra);
    for (k, v, ex) in cache() {
        if ex.is_empty() {
            server.cli(&["SET", k, &v]);
        } else {
            server.cli(&["SET", k, &v, "EX", ex]);
        }
    }
    server.cli(&["RPUSH", "ol:dataset:list:ns1|100|0", "a", "b"]);
    server.cli(&["EXPIRE", "ol:dataset:list:ns1|100|0", EX]);
    server
}

/// Run the binary against `server`; (stdout, stderr, exit code).
fn run(server: &RedisServer, args: &[&str]) -> (String, String, i32) {
    let mut cmd = bin();
    cmd.env("REDIS_ADDR", server.addr());
    for (k, v) in TTL_ENV {
        cmd.env(k, v);
    }
    let out = cmd.args(args).output().expect("run lineage-cache");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

fn ok(server: &RedisServer, args: &[&str]) -> String {
    let (stdout, stderr, code) = run(server, args);
    assert_eq!(code, 0, "{args:?}: {stderr}");
    stdout
}

fn json(server: &RedisServer, args: &[&str]) -> Value {
    serde_json::from_str(&ok(server, args)).expect("JSON output")
}

/// Table text with sizes and idle times masked and runs of spaces and rules collapsed, so
/// the snapshot holds on any Redis build.
fn normalize(text: &str) -> String {
    let units = ["B", "KB", "MB", "GB"];
    let mut out = String::new();
    for line in text.lines() {
        if line.chars().all(|c| "┌┐└┘─═╞╡ ".contains(c)) {
            out.push_str("----\n");
            continue;
        }
        let tokens: Vec<&str> = line.split_whitespace().collect();
        let mut kept = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            let t = tokens[i];
            let num = !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || c == '.');
            if num && tokens.get(i + 1).is_some_and(|u| units.contains(u)) {
                kept.push("<size>");
                i += 2;
                continue;
            }
            let secs = t
                .strip_suffix('s')
                .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
            kept.push(if secs { "<idle>" } else { t });
            i += 1;
        }
        out.push_str(&kept.join(" "));
        out.push('\n');
    }
    out
}

fn codes(row: &Value) -> Vec<String> {
    row["anomalies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn every_ol_key_in_a_table_with_its_anomalies() {
    let server = planted(&[]);
    let table = ok(&server, &["inspect"]);
    assert!(!table.contains("session:1"), "{table}");
    insta::assert_snapshot!("inspect_table", normalize(&table));
}

#[test]
fn json_flags_each_planted_anomaly_once_and_counts_it() {
    let server = planted(&[]);
    let doc = json(&server, &["inspect", "--format", "json"]);
    let rows = doc["keys"].as_array().unwrap();
    assert_eq!(rows.len(), 13);
    let expect = [
        ("ol:namespace:list", "no-ttl"),
        ("ol:dataset:ddl:ns1/db.T", "ttl-above-class"),
        ("ol:lineage:other:x", "unknown-key"),
        ("ol:lineage:graph:db.T|a|b|both", "ambiguous-key"),
        ("ol:dataset:list:ns1|100|0", "wrong-type"),
        ("ol:dataset:statistics:ns1/db.T", "bad-value"),
        ("ol:field:list:db.T", "null-list"),
        ("ol:lineage:graph:db.T|d|upstream", "seed-missing"),
        ("ol:namespace:get:ns1", "non-canonical"),
        ("ol:dataset:search:DB|100", "suspect-value"),
        ("ol:dataset:get:ns1/db.U", "unreachable"),
    ];
    for (key, code) in expect {
        let row = rows.iter().find(|r| r["key"] == key).expect(key);
        assert_eq!(codes(row), [code], "{key}");
        assert_eq!(doc["summary"]["anomalies"][code], 1, "{code}");
    }
    for key in ["ol:lineage:graph:db.T|c|both", "ol:dataset:get:db.T"] {
        let row = rows.iter().find(|r| r["key"] == key).unwrap();
        assert!(codes(row).is_empty(), "{key}: {row}");
        let ttl = row["ttlMs"].as_i64().unwrap();
        assert!(ttl > 199_000_000 && ttl <= 200_000_000, "{ttl}");
    }
    assert_eq!(doc["summary"]["keysWithAnomalies"], 11);
    let sizes: u64 = rows.iter().map(|r| r["sizeBytes"].as_u64().unwrap()).sum();
    assert_eq!(doc["summary"]["bytes"], sizes);
    let mut doc = doc;
    for row in doc["keys"].as_array_mut().unwrap() {
        row["sizeBytes"] = "[size]".into();
        row["idleSeconds"] = "[idle]".into();
        if row["ttlMs"] != -1 {
            row["ttlMs"] = "[ttl]".into();
        }
    }
    doc["summary"]["bytes"] = "[bytes]".into();
    insta::assert_json_snapshot!("inspect_json", doc);
}

#[test]
fn sort_limit_and_ndjson() {
    let server = planted(&[]);
    let out = ok(
        &server,
        &[
            "inspect", "--sort", "size", "--limit", "3", "--format", "ndjson",
        ],
    );
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4, "{out}");
    let sizes: Vec<u64> = lines[..3]
        .iter()
        .map(|r| r["sizeBytes"].as_u64().unwrap())
        .collect();
    assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "{sizes:?}");
    let summary = &lines[3]["summary"];
    assert_eq!(
        (summary["keys"].as_u64(), summary["shown"].as_u64()),
        (Some(13), Some(3))
    );
    // Without a limit, ndjson streams every row, then the summary.
    let all = ok(&server, &["inspect", "--format", "ndjson"]);
    assert_eq!(all.lines().count(), 14);
    // Soonest expiry first, keys without a TTL last.
    let doc = json(&server, &["inspect", "--sort", "ttl", "--format", "json"]);
    let keys = doc["keys"].as_array().unwrap();
    assert_eq!(keys.last().unwrap()["key"], "ol:namespace:list");
    assert_eq!(keys[keys.len() - 2]["key"], "ol:dataset:ddl:ns1/db.T");
    let table = ok(&server, &["inspect", "--sort", "size", "--limit", "2"]);
    assert!(table.contains("13 keys, 2 shown"), "{table}");
}

fn keys_of(doc: &Value) -> Vec<String> {
    doc["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["key"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn selections_narrow_the_rows() {
    let server = planted(&[]);
    let graphs = json(
        &server,
        &["inspect", "--kind", "lineage", "--format", "json"],
    );
    assert_eq!(
        keys_of(&graphs),
        [
            "ol:lineage:graph:db.T|a|b|both",
            "ol:lineage:graph:db.T|c|both",
            "ol:lineage:graph:db.T|d|upstream"
        ]
    );
    let field = json(
        &server,
        &["inspect", "--field", "db.T/c", "--format", "json"],
    );
    assert_eq!(keys_of(&field), ["ol:lineage:graph:db.T|c|both"]);
    let touching = json(
        &server,
        &["inspect", "--touching", "db.U/x", "--format", "json"],
    );
    assert_eq!(
        keys_of(&touching),
        [
            "ol:lineage:graph:db.T|c|both",
            "ol:lineage:graph:db.T|d|upstream"
        ]
    );
    let pattern = json(
        &server,
        &["inspect", "--pattern", "ol:dataset:*", "--format", "json"],
    );
    assert_eq!(keys_of(&pattern).len(), 6);
    let exact = json(
        &server,
        &[
            "inspect",
            "--key",
            "ol:namespace:list",
            "--key",
            "ol:namespace:get:none",
            "--format",
            "json",
        ],
    );
    assert_eq!(keys_of(&exact), ["ol:namespace:list"]);
    assert_eq!(exact["summary"]["notFound"], 1);
}

#[test]
fn one_key_in_full() {
    let server = planted(&[]);
    let key = "ol:lineage:graph:db.T|d|upstream";
    let table = ok(&server, &["inspect", key]);
    insta::assert_snapshot!("inspect_one_key", normalize(&table));
    assert!(table.contains("\"confidenceScore\": 0.95"), "{table}");
    let raw = ok(&server, &["inspect", key, "--raw"]);
    assert_eq!(raw, GRAPH_C);
    let doc = json(&server, &["inspect", key, "--format", "json"]);
    assert_eq!(doc["value"]["nodes"][0]["id"], "db.T/c");
    assert_eq!(
        (doc["type"].as_str(), doc["encoding"].as_str()),
        (Some("string"), Some("raw"))
    );
    assert_eq!(codes(&doc), ["seed-missing"]);
    let list = json(
        &server,
        &["inspect", "ol:dataset:list:ns1|100|0", "--format", "json"],
    );
    assert_eq!(list["type"], "list");
    assert_eq!(codes(&list), ["wrong-type"]);
    assert_eq!(list["value"], Value::Null);
    assert!(doc.get("note").is_none());
    // A `both` graph: the API serves it but never writes it (its both query fails).
    let both = "ol:lineage:graph:db.T|c|both";
    let table = ok(&server, &["inspect", both]);
    assert!(
        table.contains("note      the API never writes a 'both' graph"),
        "{table}"
    );
    let doc = json(&server, &["inspect", both, "--format", "json"]);
    assert!(doc["note"]
        .as_str()
        .unwrap()
        .contains("only `warm` refreshes it"));
}

#[test]
fn lfu_servers_report_access_frequency() {
    let server = planted(&["--maxmemory-policy", "allkeys-lfu"]);
    let doc = json(
        &server,
        &[
            "inspect",
            "--key",
            "ol:dataset:get:db.T",
            "--format",
            "json",
        ],
    );
    assert_eq!(doc["access"], "freq");
    let freq = doc["keys"][0]["freq"].as_i64().unwrap();
    assert!((1..=255).contains(&freq), "{doc}");
    assert!(ok(&server, &["inspect", "--kind", "dataset"]).contains("FREQ"));
}

/// Bad input and failures: one `lineage-cache:` line and the documented exit code.
fn fails(server: &RedisServer, args: &[&str], code: i32, needle: &str) {
    let (stdout, stderr, got) = run(server, args);
    assert_eq!(got, code, "{args:?}: {stderr}");
    assert_eq!(stdout, "", "{args:?}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("lineage-cache: ") && stderr.contains(needle),
        "{stderr}"
    );
}

#[test]
fn errors_are_one_line_with_their_exit_code() {
    let server = planted(&[]);
    fails(
        &server,
        &["inspect", "ol:namespace:get:none"],
        1,
        "not cached",
    );
    fails(
        &server,
        &["inspect", "session:1"],
        2,
        "outside the ol: prefix",
    );
    fails(
        &server,
        &["inspect", "ol:namespace:list", "--all"],
        2,
        "not both",
    );
    fails(&server, &["inspect", "--raw"], 2, "--raw");
    fails(
        &server,
        &["inspect", "--format", "prometheus"],
        2,
        "prometheus",
    );
    fails(&server, &["inspect", "--pattern", "*"], 2, "outside");
    let out = bin()
        .env("REDIS_ADDR", format!("127.0.0.1:{}", free_port()))
        .args(["inspect"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}
