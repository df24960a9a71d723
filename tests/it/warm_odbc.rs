//! `warm` through ODBC on a private PostgreSQL loaded with the demo warehouse: every value
//! equals, byte for byte, the one built from the per-key recursive SQL, and the cache equals
//! the one warmed from the embedded SQLite source.
use crate::common;

use std::collections::BTreeMap;

use common::{bin, Postgres, RedisServer};
use lineage_cache::answer::{compute, Computed, GraphMode};
use lineage_cache::keys::{parse, Parsed};
use lineage_cache::source::demo::demo_sql;
use lineage_cache::source::odbc::{OdbcOptions, OdbcSource};
use lineage_cache::source::sql::Dialect;
use redis::Commands;

fn dump(redis: &RedisServer) -> BTreeMap<String, Vec<u8>> {
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
        .map(|k| (k.clone(), con.get(&k).unwrap()))
        .collect()
}

fn warm(redis: &RedisServer, source: &str, extra: &[&str]) {
    let out = bin()
        .args([
            "--redis-url",
            &redis.url(),
            "--source",
            source,
            "warm",
            "--all",
            // Both forms: every kind (field lists are written only under the id form).
            "--key-form",
            "both",
            "--format",
            "json",
        ])
        .args(extra)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn warm_through_odbc_writes_the_per_key_sql_values() {
    let pg = Postgres::start();
    pg.load_sql("lineage", &demo_sql(Dialect::Postgres, None, 42).unwrap());
    pg.psql("lineage", &["-c", "ANALYZE"]);
    let spec = format!("odbc:{}", pg.odbc_connection_string());
    let (via_odbc, via_sqlite) = (RedisServer::start(), RedisServer::start());
    warm(&via_odbc, &spec, &[]);
    warm(
        &via_odbc,
        &spec,
        &[
            "--kind",
            "dataset-search",
            "--key",
            "ol:dataset:search:STRAßE|100",
            "--key",
            "ol:dataset:search:O|7",
        ],
    );

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.sqlite");
    lineage_cache::source::demo::create_demo(&db, false).unwrap();
    let sqlite = format!("sqlite:{}", db.display());
    warm(&via_sqlite, &sqlite, &[]);
    warm(
        &via_sqlite,
        &sqlite,
        &[
            "--kind",
            "dataset-search",
            "--key",
            "ol:dataset:search:STRAßE|100",
            "--key",
            "ol:dataset:search:O|7",
        ],
    );

    let got = dump(&via_odbc);
    assert_eq!(got, dump(&via_sqlite), "the same cache from both sources");
    assert!(got.len() > 700);
    let options = OdbcOptions {
        pool_size: 4,
        ..OdbcOptions::default()
    };
    let source = OdbcSource::connect(&pg.odbc_connection_string(), options).unwrap();
    let mut kinds = std::collections::BTreeSet::new();
    for (k, v) in &got {
        let Parsed::Key(key) = parse(k) else {
            panic!("{k}")
        };
        kinds.insert(key.kind());
        let want = compute(&key, &source, GraphMode::PerKey, 5).unwrap();
        assert_eq!(want, Computed::Value(v.clone()), "{k}");
    }
    assert_eq!(kinds.len(), 9, "every kind: {kinds:?}");
}
