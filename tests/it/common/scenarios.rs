//! The command scenarios of `warm`, `invalidate`, `inspect` and `stats`, written once and
//! run against every way of reaching Redis: a three-primary cluster, TLS, and the
//! least-privilege ACL users (`tests/it/commands_*.rs`). A scenario runs the built CLI with the
//! [`Target`]'s flags and checks the data through the target's admin connection (the
//! default user on a plain port), often against a standalone reference server holding the
//! same data.
use std::collections::{BTreeMap, BTreeSet};

use lineage_cache::keys::{parse, Key, Parsed};
use lineage_cache::source::LineageSource;
use serde_json::Value;

pub use super::target::{finish, Demo, Target};
use super::RedisServer;

/// Keys of other applications, planted next to the cache: they must always survive.
pub const FOREIGN: [&str; 4] = [
    "session:abc",
    "olx:dataset:get:demo_user.STG_ORDER",
    "ol-other:demo_user.STG_ORDER",
    "OL:dataset:get:demo_user.STG_ORDER",
];

/// A standalone server holding exactly what `warm --all` of the demo writes (the
/// reference a transport's results are compared with).
pub fn reference(demo: &Demo) -> (RedisServer, Target) {
    let server = RedisServer::start();
    let target = Target::standalone(&server);
    target.run(demo, &["warm", "--all"]).ok();
    (server, target)
}

fn values(dump: BTreeMap<String, (Vec<u8>, i64)>) -> BTreeMap<String, Vec<u8>> {
    dump.into_iter().map(|(k, (v, _))| (k, v)).collect()
}

/// `warm --all` on a standalone target writes through its bulk connection (it says so at
/// `-vv`), not through the shared one.
pub fn warm_writes_through_the_bulk_connection(t: &Target, demo: &Demo) {
    let out = t.run(demo, &["warm", "--all", "-vv"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stderr.contains("writing through a bulk connection"),
        "{}",
        out.stderr
    );
}

/// `warm --all`, `--only-missing` and the lock: the values are byte-identical to a
/// standalone warm of the same demo, every key has a TTL, the lock is released.
pub fn warm(t: &Target, demo: &Demo, reference: &Target) {
    let report = t.run(demo, &["warm", "--all", "--format", "json"]).json();
    let got = t.dump();
    assert!(got.len() > 500, "{} keys", got.len());
    assert!(got.values().all(|(_, ttl)| *ttl > 0), "every key has a TTL");
    let written: u64 = ["written", "rewritten"]
        .iter()
        .map(|o| sum_outcome(&report, o))
        .sum();
    assert_eq!(written, got.len() as u64, "{report}");
    assert_eq!(
        values(got),
        values(reference.dump()),
        "byte-identical values"
    );
    assert_eq!(t.cli(&["EXISTS", "lineage-cache:lock:warm:0"]).trim(), "0");

    // --only-missing leaves what is there (a marker) and fills what is not.
    let d = demo
        .source()
        .dataset("demo_user.STG_ORDER")
        .unwrap()
        .unwrap();
    let (kept, gone) = (
        format!("ol:dataset:get:{}", d.name),
        format!("ol:dataset:ddl:{}", d.id),
    );
    t.cli(&["SET", &kept, "marker", "EX", "5000"]);
    t.cli(&["DEL", &gone]);
    let args = [
        "warm",
        "--dataset",
        &d.id,
        "--only-missing",
        "--format",
        "json",
    ];
    let report = t.run(demo, &args).json();
    assert_eq!(
        report["kinds"]["dataset-get"]["skipped-existing"], 1,
        "{report}"
    );
    let after = t.dump();
    assert_eq!(after[&kept].0, b"marker");
    assert_eq!(after[&gone].0, reference.dump()[&gone].0, "refilled");

    // The lock: held by someone else, the run refuses; --wait-lock waits it out.
    t.cli(&["SET", "lineage-cache:lock:warm:0", "someone", "PX", "60000"]);
    let out = t.run(demo, &["warm", "--all", "--kind", "namespace-list"]);
    assert_eq!(out.code, 5, "{out:?}");
    assert!(out.stderr.contains("another warm is running"), "{out:?}");
    t.cli(&["SET", "lineage-cache:lock:warm:0", "someone", "PX", "500"]);
    let args = [
        "warm",
        "--all",
        "--kind",
        "namespace-list",
        "--wait-lock",
        "5s",
    ];
    t.run(demo, &args).ok();
    assert_eq!(t.cli(&["EXISTS", "lineage-cache:lock:warm:0"]).trim(), "0");
}

/// The sum of one outcome (`written`, ...) over every kind of a warm report.
fn sum_outcome(report: &Value, outcome: &str) -> u64 {
    report["kinds"]
        .as_object()
        .map(|kinds| {
            kinds
                .values()
                .filter_map(|k| k[outcome].as_u64())
                .sum::<u64>()
        })
        .unwrap_or(0)
}

/// Invalidate with `args` and check that exactly the keys `doomed` selects went and the
/// foreign keys stayed; how many went (`--delete-both`: stale `both` graphs go too).
pub fn deletes_exactly(
    t: &Target,
    demo: &Demo,
    args: &[&str],
    doomed: impl Fn(&str, &Key) -> bool,
) -> usize {
    let before = t.keys();
    let mut full = vec!["invalidate", "--yes", "--delete-both", "--format", "json"];
    full.extend(args);
    let report = t.run(demo, &full).json();
    let after = t.keys();
    let expected: BTreeSet<String> = before
        .iter()
        .filter(|k| match parse(k) {
            Parsed::Key(key) => !doomed(k, &key),
            _ => true,
        })
        .cloned()
        .collect();
    assert_eq!(after, expected, "{args:?}");
    let gone = before.len() - after.len();
    assert_eq!(report["deleted"], gone as u64, "{args:?}: {report}");
    t.assert_foreign_intact(&format!("after invalidate {args:?}"));
    gone
}

/// `invalidate` by dataset id, field, kind and `--all --yes`, and `--rewarm`, on the warmed
/// demo with foreign keys: exactly the selected keys go, foreign keys survive.
pub fn invalidate(t: &Target, demo: &Demo) {
    t.run(demo, &["warm", "--all"]).ok();
    t.plant_foreign();
    let d = demo
        .source()
        .dataset("demo_user.STG_ORDER")
        .unwrap()
        .unwrap();
    let (id, name, ns) = (d.id.clone(), d.name.clone(), d.namespace_id.clone());

    // --rewarm first: stale values are replaced in place, nothing is lost.
    let graph = format!("ol:lineage:graph:{name}|order_id|both");
    let real = t.dump()[&graph].0.clone();
    t.cli(&["SET", &graph, "stale", "EX", "5"]);
    let before = t.keys();
    t.run(demo, &["invalidate", "--rewarm", "--dataset", &id])
        .ok();
    assert_eq!(t.keys(), before);
    let (value, ttl) = t.dump()[&graph].clone();
    assert_eq!(value, real, "fresh value");
    assert!(ttl > 1_000_000, "fresh TTL {ttl}");
    t.assert_foreign_intact("after --rewarm");

    let n = deletes_exactly(
        t,
        demo,
        &["--field", &format!("{id}/order_id")],
        |_, k| matches!(k, Key::LineageGraph { dataset, field, .. } if *dataset == name && field == "order_id"),
    );
    assert_eq!(n, 3);
    let n = deletes_exactly(t, demo, &["--dataset", &id], |_, k| match k {
        Key::DatasetList { namespace, .. } => *namespace == ns,
        other => other.dataset().is_some_and(|x| x == id || x == name),
    });
    assert!(n > 20, "{n}");
    let n = deletes_exactly(t, demo, &["--kind", "dataset-ddl"], |_, k| {
        matches!(k, Key::DatasetDdl { .. })
    });
    assert!(n > 20, "{n}");
    deletes_exactly(t, demo, &["--all"], |_, _| true);
    // Every ol: key, and nothing else: the foreign keys and the tool's own lineage snapshot
    // (saved by the first warm; an empty cache agrees with any snapshot) stay.
    let mut left: BTreeSet<String> = FOREIGN.iter().map(|s| s.to_string()).collect();
    left.insert("lineage-cache:snapshot:0".into());
    assert_eq!(t.keys(), left);
}

/// The keys planted for `inspect` and `stats`: (key, value, EX or none).
pub fn planted() -> Vec<(&'static str, &'static str, Option<&'static str>)> {
    vec![
        (
            "ol:dataset:get:db.NOTTL",
            r#"{"id":"ns1/db.NOTTL","namespaceId":"ns1","name":"db.NOTTL","createdAt":"2026-01-15T10:00:00Z","updatedAt":"2026-01-15T10:00:00Z","isActive":true}"#,
            None,
        ),
        (
            "ol:dataset:statistics:ns1/db.BAD",
            r#"{"datasetId":"#,
            Some("600"),
        ),
    ]
}

/// Warm the demo into `t`, then plant the anomalies and the foreign keys.
pub fn fill_for_reading(t: &Target, demo: &Demo) {
    if t.keys().len() < 500 {
        t.run(demo, &["warm", "--all"]).ok();
    }
    for (k, v, ex) in planted() {
        match ex {
            Some(ex) => t.cli(&["SET", k, v, "EX", ex]),
            None => t.cli(&["SET", k, v]),
        };
    }
    t.plant_foreign();
}

/// (key, kind, anomaly codes) of each inspect row.
fn rows(doc: &Value) -> Vec<(String, String, Vec<String>)> {
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    doc["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .map(|r| {
            let codes = r["anomalies"].as_array().expect("anomalies");
            let codes = codes.iter().map(|a| text(&a["code"])).collect();
            (text(&r["key"]), text(&r["kind"]), codes)
        })
        .collect()
}

/// `inspect`: one row per `ol:` key (none twice), the planted anomalies flagged, the same
/// rows and anomalies as on the standalone reference with the same data; one key in full.
pub fn inspect(t: &Target, demo: &Demo, reference: &Target) {
    fill_for_reading(t, demo);
    fill_for_reading(reference, demo);
    let doc = t.run(demo, &["inspect", "--format", "json"]).json();
    let got = rows(&doc);
    let keys: BTreeSet<String> = got.iter().map(|r| r.0.clone()).collect();
    assert_eq!(keys.len(), got.len(), "one row per key");
    let ours: BTreeSet<String> = t
        .keys()
        .into_iter()
        .filter(|k| k.starts_with("ol:"))
        .collect();
    assert_eq!(keys, ours);
    let flagged: Vec<(&str, &[String])> = got
        .iter()
        .filter(|r| !r.2.is_empty())
        .map(|r| (r.0.as_str(), r.2.as_slice()))
        .collect();
    let want = [
        ("ol:dataset:get:db.NOTTL", &["no-ttl".to_string()][..]),
        (
            "ol:dataset:statistics:ns1/db.BAD",
            &["bad-value".to_string()][..],
        ),
    ];
    assert_eq!(flagged, want);
    assert_eq!(doc["summary"]["keysWithAnomalies"], 2);
    let sizes: u64 = doc["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["sizeBytes"].as_u64().unwrap())
        .sum();
    assert_eq!(doc["summary"]["bytes"], sizes);
    let base = reference.run(demo, &["inspect", "--format", "json"]).json();
    assert_eq!(got, rows(&base), "the same rows as on a single Redis");

    let d = demo
        .source()
        .dataset("demo_user.STG_ORDER")
        .unwrap()
        .unwrap();
    let one = format!("ol:dataset:get:{}", d.name);
    let shown = t.run(demo, &["inspect", &one, "--raw"]).ok();
    assert_eq!(shown.as_bytes(), t.dump()[&one].0.as_slice());
}

/// (kind, keys) of every group of a stats report, and the whole keyspace.
fn counts(doc: &Value) -> Vec<(String, u64)> {
    let ks = &doc["keyspace"];
    let mut v: Vec<(String, u64)> = ks["kinds"]
        .as_array()
        .expect("kinds")
        .iter()
        .map(|k| {
            (
                k["kind"].as_str().unwrap().to_string(),
                k["keys"].as_u64().unwrap(),
            )
        })
        .collect();
    for g in ["otherPrefix", "prefixTotal", "foreign"] {
        v.push((g.into(), ks[g]["keys"].as_u64().unwrap()));
    }
    v.push(("scanned".into(), ks["scanned"].as_u64().unwrap()));
    v
}

/// `stats`: key counts per kind exactly as on the standalone reference with the same data,
/// bytes per kind equal to the keys' `MEMORY USAGE`, the planted key without a TTL counted.
/// `foreign_sized`: whether the user may size foreign keys (a reader limited to `ol:*` may
/// not: they are counted and reported unsized).
pub fn stats(t: &Target, demo: &Demo, reference: &Target, foreign_sized: bool) -> Value {
    fill_for_reading(t, demo);
    fill_for_reading(reference, demo);
    let doc = t.run(demo, &["stats", "--format", "json"]).json();
    let base = reference.run(demo, &["stats", "--format", "json"]).json();
    assert_eq!(
        counts(&doc),
        counts(&base),
        "the same counts as on a single Redis"
    );
    assert_eq!(doc["server"]["dbsize"], t.keys().len() as u64);
    // Foreign: every key outside the prefix, the planted ones and the tool's own lineage
    // snapshot (saved by the first warm).
    let foreign: Vec<String> = t
        .keys()
        .into_iter()
        .filter(|k| !k.starts_with("ol:"))
        .collect();
    assert_eq!(foreign.len(), FOREIGN.len() + 1, "{foreign:?}");
    assert_eq!(doc["keyspace"]["foreign"]["keys"], foreign.len() as u64);
    assert_eq!(doc["keyspace"]["kinds"][4]["kind"], "dataset-get");
    assert_eq!(doc["keyspace"]["kinds"][4]["noTtl"], 1);
    assert_eq!(doc["keyspace"]["rescans"], 0);
    let keys = t.keys();
    for kind in doc["keyspace"]["kinds"].as_array().unwrap() {
        let name = kind["kind"].as_str().unwrap();
        let of_kind: Vec<String> = keys
            .iter()
            .filter(|k| matches!(parse(k), Parsed::Key(key) if key.kind().name() == name))
            .cloned()
            .collect();
        assert_eq!(kind["bytes"], t.memory(&of_kind), "bytes of {name}");
        let bytes = |d: &Value| kind_bytes(d, name) as f64;
        let (ours, theirs) = (bytes(&doc), bytes(&base));
        assert!(
            (ours - theirs).abs() <= 0.1 * theirs,
            "{name}: {ours} bytes, {theirs} on a single Redis"
        );
    }
    let unsized_keys = doc["keyspace"]["unsizedKeys"].as_u64().unwrap();
    if foreign_sized {
        assert_eq!(doc["keyspace"]["foreign"]["bytes"], t.memory(&foreign));
        assert_eq!(unsized_keys, 0);
    } else {
        assert_eq!(doc["keyspace"]["foreign"]["bytes"], 0);
        assert_eq!(unsized_keys, foreign.len() as u64);
        let warned = doc["warnings"].as_array().unwrap();
        assert!(warned
            .iter()
            .any(|w| w.as_str().unwrap().contains("could not be sized")));
    }
    doc
}

fn kind_bytes(doc: &Value, name: &str) -> u64 {
    doc["keyspace"]["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kind"] == name)
        .and_then(|k| k["bytes"].as_u64())
        .unwrap_or(0)
}
