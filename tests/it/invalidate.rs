//! `invalidate` on a Redis holding the demo warehouse's keys plus foreign keys: every
//! selection deletes exactly its set, foreign keys always survive, dry runs and the
//! confirmation rules hold, and `--rewarm` refreshes in place.
use crate::common;

use std::collections::BTreeSet;
use std::path::PathBuf;

use common::{bin, RedisServer};
use lineage_cache::keys::{parse, Key, Parsed};
use lineage_cache::source::sqlite::SqliteSource;
use lineage_cache::source::LineageSource;
use redis::Commands;

const FOREIGN: [&str; 6] = [
    "session:abc",
    "olx:dataset:get:demo_user.STG_ORDER",
    "ol-other:demo_user.STG_ORDER",
    "OL:dataset:get:demo_user.STG_ORDER",
    "lineage-cache:lock:warm:9",
    "xol:lineage:graph:a|b|both",
];

struct Fixture {
    redis: RedisServer,
    _dir: tempfile::TempDir,
    db: PathBuf,
}

/// A Redis with `warm --all`, a few search keys, and the foreign keys.
fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.sqlite");
    lineage_cache::source::demo::create_demo(&db, false).unwrap();
    let redis = RedisServer::start();
    let f = Fixture {
        redis,
        _dir: dir,
        db,
    };
    let keys = [
        "ol:dataset:search:STG|100",
        "ol:dataset:search:ORDER|50",
        "ol:dataset:search:DIM|100",
    ];
    // The id form, as tools and decoding routers write it (the escaped and name forms are
    // added where a test needs them).
    let mut args = vec!["warm", "--all", "--key-form", "id"];
    for k in &keys {
        args.extend(["--key", k]);
    }
    let (_, err, code) = f.run(&args);
    assert_eq!(code, 0, "{err}");
    for k in FOREIGN {
        f.redis.cli(&["SET", k, "foreign"]);
    }
    f
}

impl Fixture {
    fn run(&self, args: &[&str]) -> (String, String, i32) {
        let source = format!("sqlite:{}", self.db.display());
        let out = bin()
            .args(["--redis-url", &self.redis.url(), "--source", &source])
            .args(args)
            .output()
            .unwrap();
        (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
            out.status.code().unwrap_or(-1),
        )
    }

    fn keys(&self) -> BTreeSet<String> {
        let client = redis::Client::open(self.redis.url()).unwrap();
        let mut con = client.get_connection().unwrap();
        con.scan::<String>().unwrap().map(|k| k.unwrap()).collect()
    }

    fn source(&self) -> SqliteSource {
        SqliteSource::open(&self.db).unwrap()
    }

    /// Invalidate with `args` and check that exactly the keys `doomed` selects went
    /// (`--delete-both`: stale `both` graphs go like the rest; the default rewrites them,
    /// tested on its own).
    fn deletes_exactly(&self, args: &[&str], doomed: impl Fn(&str, &Key) -> bool) -> usize {
        let before = self.keys();
        let mut full = vec!["invalidate", "--yes", "--delete-both"];
        full.extend(args);
        let (out, err, code) = self.run(&full);
        assert_eq!(code, 0, "{args:?}: {out}{err}");
        let after = self.keys();
        let expected: BTreeSet<String> = before
            .iter()
            .filter(|k| match parse(k) {
                Parsed::Key(key) => !doomed(k, &key),
                _ => true,
            })
            .cloned()
            .collect();
        assert_eq!(after, expected, "{args:?}");
        for f in FOREIGN {
            assert!(after.contains(f), "{f} must survive {args:?}");
        }
        before.len() - after.len()
    }
}

#[test]
fn dataset_field_namespace_kind_key_and_pattern_selections() {
    let f = fixture();
    let d = f.source().dataset("demo_user.STG_ORDER").unwrap().unwrap();
    let (id, name, ns) = (d.id.clone(), d.name.clone(), d.namespace_id.clone());
    // A field: its three graphs.
    let n = f.deletes_exactly(&["--field", &format!("{id}/order_id")], |_, k| {
        matches!(k, Key::LineageGraph { dataset, field, .. } if *dataset == id && field == "order_id")
    });
    assert_eq!(n, 3);
    // A dataset by id: both forms, its namespace's pages, searches its name contains.
    let n = f.deletes_exactly(&["--dataset", &id], |_, k| match k {
        Key::DatasetList { namespace, .. } => *namespace == ns,
        Key::DatasetSearch { query, .. } => name.to_uppercase().contains(query.as_str()),
        other => other.dataset().is_some_and(|x| x == id || x == name),
    });
    assert!(n > 20, "{n}");
    // A namespace: its entries and list pages.
    let other_ns = f
        .source()
        .namespaces()
        .unwrap()
        .into_iter()
        .find(|n| n.id != ns)
        .unwrap()
        .id;
    f.deletes_exactly(&["--namespace", &other_ns], |_, k| match k {
        Key::NamespaceList => true,
        Key::NamespaceGet { namespace } | Key::DatasetList { namespace, .. } => {
            *namespace == other_ns
        }
        _ => false,
    });
    // Kind, exact key, pattern.
    let n = f.deletes_exactly(&["--kind", "dataset-ddl"], |_, k| {
        matches!(k, Key::DatasetDdl { .. })
    });
    assert_eq!(n, 37);
    let one = "ol:dataset:search:DIM|100";
    assert_eq!(f.deletes_exactly(&["--key", one], |t, _| t == one), 1);
    f.deletes_exactly(&["--pattern", "ol:dataset:statistics:*"], |t, _| {
        t.starts_with("ol:dataset:statistics:")
    });
    // --all: every ol: key, nothing else.
    f.deletes_exactly(&["--all"], |_, _| true);
    // Every ol: key, and nothing else: the foreign keys and the tool's own lineage snapshot
    // (saved by the first warm; an empty cache agrees with any snapshot) stay.
    let mut left: BTreeSet<String> = FOREIGN.iter().map(|s| s.to_string()).collect();
    left.insert("lineage-cache:snapshot:0".into());
    assert_eq!(f.keys(), left);
}

#[test]
fn touching_reads_graph_values() {
    let f = fixture();
    let client = redis::Client::open(f.redis.url()).unwrap();
    let mut con = client.get_connection().unwrap();
    let target = "demo_user.DIM_CUSTOMER";
    let mut expected = BTreeSet::new();
    for k in f
        .keys()
        .iter()
        .filter(|k| k.starts_with("ol:lineage:graph:"))
    {
        let v: Vec<u8> = con.get(k).unwrap();
        let g = lineage_cache::json::decode_graph(&v).unwrap();
        if g.nodes.iter().any(|n| n.dataset == target) {
            expected.insert(k.clone());
        }
    }
    assert!(expected.len() > 10);
    let n = f.deletes_exactly(&["--touching", target], |t, _| expected.contains(t));
    assert_eq!(n, expected.len());
}

/// The API cannot write a `both` graph, so a stale one found by what changed is rewritten
/// with today's value and the class TTL (not deleted) unless `--delete-both`; the rest go.
#[test]
fn stale_both_graphs_are_rewritten_not_deleted() {
    let f = fixture();
    let client = redis::Client::open(f.redis.url()).unwrap();
    let mut con = client.get_connection().unwrap();
    let target = "demo_user.DIM_CUSTOMER";
    let holding: Vec<String> = f
        .keys()
        .into_iter()
        .filter(|k| k.starts_with("ol:lineage:graph:"))
        .filter(|k| {
            let v: Vec<u8> = con.get(k).unwrap();
            let g = lineage_cache::json::decode_graph(&v).unwrap();
            g.nodes.iter().any(|n| n.dataset == target)
        })
        .collect();
    let (both, rest): (Vec<&String>, Vec<&String>) =
        holding.iter().partition(|k| k.ends_with("|both"));
    assert!(both.len() > 3 && rest.len() > 3, "{holding:?}");
    for k in &both {
        let _: () = con.expire(k.as_str(), 100).unwrap();
    }
    let (out, err, code) = f.run(&[
        "invalidate",
        "--yes",
        "--touching",
        target,
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["bothRewritten"], both.len() as u64, "{report}");
    assert_eq!(report["deleted"], rest.len() as u64, "{report}");
    let source = f.source();
    for k in &rest {
        assert!(!con.exists::<_, bool>(k.as_str()).unwrap(), "{k} deleted");
    }
    for k in &both {
        let Parsed::Key(key) = parse(k) else {
            panic!("{k}")
        };
        let want = lineage_cache::answer::compute(
            &key,
            &source,
            lineage_cache::answer::GraphMode::PerKey,
            5,
        )
        .unwrap();
        let lineage_cache::answer::Computed::Value(want) = want else {
            panic!("{k}: cached")
        };
        assert_eq!(
            con.get::<_, Vec<u8>>(k.as_str()).unwrap(),
            want,
            "{k} rewritten"
        );
        assert_eq!(
            con.ttl::<_, i64>(k.as_str()).unwrap(),
            1800,
            "{k}: the lineage TTL"
        );
    }
    // With --delete-both, they go too.
    let (out, err, code) = f.run(&["invalidate", "--yes", "--delete-both", "--touching", target]);
    assert_eq!(code, 0, "{out}{err}");
    for k in &both {
        assert!(!con.exists::<_, bool>(k.as_str()).unwrap(), "{k} deleted");
    }
}

#[test]
fn dry_run_confirmation_and_yes() {
    let f = fixture();
    let before = f.keys();
    let (out, _, code) = f.run(&[
        "invalidate",
        "--kind",
        "lineage-graph",
        "--dry-run",
        "--format",
        "ndjson",
    ]);
    assert_eq!(code, 0);
    let listed = out.lines().filter(|l| l.contains("\"key\"")).count();
    assert_eq!(
        listed,
        before
            .iter()
            .filter(|k| k.starts_with("ol:lineage:graph:"))
            .count()
    );
    assert_eq!(f.keys(), before, "a dry run deletes nothing");
    // Broad without a terminal and without --yes: usage error, nothing deleted.
    for args in [
        &["invalidate", "--kind", "lineage-graph"][..],
        &["invalidate", "--all"],
    ] {
        let (_, err, code) = f.run(args);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("--yes"), "{err}");
        assert_eq!(f.keys(), before);
    }
    // A handful needs no confirmation.
    let (_, err, code) = f.run(&["invalidate", "--key", "ol:namespace:list"]);
    assert_eq!(code, 0, "{err}");
    assert!(!f.keys().contains("ol:namespace:list"));
    // Refusals: outside the prefix, nothing selected.
    for args in [
        &["invalidate", "--yes", "--pattern", "*"][..],
        &["invalidate", "--yes", "--pattern", "o?:*"],
        &["invalidate", "--yes", "--key", "session:abc"],
        &["invalidate", "--yes"],
    ] {
        let (_, err, code) = f.run(args);
        assert_eq!(code, 2, "{args:?}: {err}");
    }
    assert!(f.keys().contains("session:abc"));
}

#[test]
fn rewarm_refreshes_in_place_and_drops_what_is_gone() {
    let f = fixture();
    let d = f.source().dataset("demo_user.STG_ORDER").unwrap().unwrap();
    let graph = format!("ol:lineage:graph:{}|order_id|both", d.id);
    let get = format!("ol:dataset:get:{}", d.id);
    let gone = format!("ol:lineage:graph:{}|no_such_column|both", d.id);
    let gone_ds = "ol:dataset:get:e2ee0f524246c957/demo_user.DROPPED".to_string();
    let client = redis::Client::open(f.redis.url()).unwrap();
    let mut con = client.get_connection().unwrap();
    let real: Vec<u8> = con.get(&graph).unwrap();
    let _: () = con.set_ex(&graph, "stale", 5).unwrap();
    let _: () = con.set_ex(&get, "stale", 5).unwrap();
    let _: () = con.set_ex(&gone_ds, "stale", 5).unwrap();
    let selected: BTreeSet<String> = f
        .keys()
        .into_iter()
        .filter(|k| match parse(k) {
            Parsed::Key(key) => key.dataset().is_some_and(|x| x == d.id || x == d.name),
            _ => false,
        })
        .collect();
    let (out, err, code) = f.run(&[
        "invalidate",
        "--rewarm",
        "--dataset",
        &d.id,
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let after = f.keys();
    assert!(
        selected.iter().all(|k| after.contains(k)),
        "every selected key is still there"
    );
    let v: Vec<u8> = con.get(&graph).unwrap();
    assert_eq!(v, real, "fresh value");
    let ttl: i64 = con.ttl(&graph).unwrap();
    assert!(ttl > 1000, "fresh TTL {ttl}");
    let v: Vec<u8> = con.get(&get).unwrap();
    assert_ne!(v, b"stale");
    assert!(
        after.contains(&gone_ds),
        "another dataset's key is not selected"
    );
    // A column that is gone: its graph is still the seed-only graph (the API caches it);
    // a dataset that is gone: its key is deleted.
    let _: () = con.set_ex(&gone, "stale", 5).unwrap();
    let (out, err, code) = f.run(&[
        "invalidate",
        "--rewarm",
        "--dataset",
        "e2ee0f524246c957/demo_user.DROPPED",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(!f.keys().contains(&gone_ds), "{out}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["kinds"]["dataset-get"]["deleted-stale"], 1);
}

#[test]
fn changed_since_asks_the_source() {
    let f = fixture();
    let source = f.source();
    let since = "2026-01-20 00:00:00";
    let changed = source
        .changed_since(lineage_cache::model::Timestamp::parse(since).unwrap())
        .unwrap();
    assert!(!changed.is_empty() && changed.len() < 20, "{changed:?}");
    let (out, err, code) = f.run(&[
        "invalidate",
        "--yes",
        "--changed-since",
        since,
        "--kind",
        "dataset-get",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let left = f.keys();
    for d in source
        .all_datasets()
        .unwrap()
        .iter()
        .filter(|d| d.is_active)
    {
        let k = format!("ol:dataset:get:{}", d.id);
        assert_eq!(left.contains(&k), !changed.contains(&d.name), "{k}");
    }
}

#[test]
fn a_dataset_is_deleted_in_all_three_forms_the_api_may_have_written() {
    let f = fixture();
    let d = f.source().dataset("demo_user.STG_ORDER").unwrap().unwrap();
    let other = f
        .source()
        .dataset("demo_user.STG_CUSTOMER")
        .unwrap()
        .unwrap();
    // The escaped id form, as the API caches it for the UI's id-form requests (the field
    // segment stays escaped too), and the name form, as the API caches name-form requests.
    let escaped = |id: &str| id.replace('/', "%2F");
    let written = [
        format!("ol:lineage:graph:{}|order_id|both", escaped(&d.id)),
        format!("ol:lineage:graph:{}|order%5Fid|upstream", escaped(&d.id)),
        format!(
            "ol:lineage:graph:{}|order_id|upstream",
            d.id.replace('/', "%2f")
        ),
        format!("ol:dataset:statistics:{}", escaped(&d.id)),
        format!("ol:lineage:graph:{}|order_id|both", d.name),
        format!("ol:dataset:get:{}", d.name),
        format!("ol:lineage:graph:{}|customer_id|both", escaped(&other.id)),
        format!("ol:dataset:get:{}", other.name),
    ];
    for k in &written {
        f.redis.cli(&["SET", k, "{}", "EX", "600"]);
    }
    let is = |dataset: &str, want: &lineage_cache::model::Dataset| {
        let decoded = dataset.replace("%2F", "/").replace("%2f", "/");
        [want.id.as_str(), want.name.as_str()].contains(&decoded.as_str())
    };
    let field_is = |field: &str| field == "order_id" || field == "order%5Fid";
    // --field by name, computed by the key builder: its graphs in the forms the API writes
    // (name, id, the id escaped as the UI's encodeURIComponent sends it); nothing else.
    let column = format!("{}/order_id", d.name);
    let n = f.deletes_exactly(&["--field", &column], |raw, k| {
        matches!(k, Key::LineageGraph { dataset, field, .. }
            if is(dataset, &d) && field == "order_id" && !raw.contains("%2f"))
    });
    assert_eq!(n, 3 + 2, "the id form's three graphs and two written here");
    // --scan: also the other encodings a client may have sent (lower-case %2f, %5F).
    let n = f.deletes_exactly(&["--field", &column, "--scan"], |_, k| {
        matches!(k, Key::LineageGraph { dataset, field, .. } if is(dataset, &d) && field_is(field))
    });
    assert_eq!(n, 2, "the two other encodings written here");
    // --dataset by id: every form of its keys.
    let (ns, name) = (d.namespace_id.clone(), d.name.clone());
    f.deletes_exactly(&["--dataset", &d.id], |_, k| match k {
        Key::DatasetList { namespace, .. } => *namespace == ns,
        Key::DatasetSearch { query, .. } => name.to_uppercase().contains(query.as_str()),
        other => other.dataset().is_some_and(|x| is(x, &d)),
    });
    let left = f.keys();
    assert!(!left.contains(&format!("ol:dataset:statistics:{}", escaped(&d.id))));
    assert!(!left.contains(&format!("ol:dataset:get:{}", d.name)));
    assert!(left.contains(&format!(
        "ol:lineage:graph:{}|customer_id|both",
        escaped(&other.id)
    )));
    assert!(left.contains(&format!("ol:dataset:get:{}", other.name)));
}
