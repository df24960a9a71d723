//! `warm --all` fills the keys the real API reads: for every request the UI would send by
//! name (datasets, statistics, DDL, the field list, lineage in all three directions, the
//! namespace and list endpoints), the key `key from-url` prints exists in Redis with a TTL of
//! its class. The one exception is the API's own: the field list of a name-form request finds
//! no fields (the API filters them by dataset id), so the API never caches it, and neither
//! does `warm`.
use crate::common;

use std::collections::BTreeMap;

use common::{bin, RedisServer};
use lineage_cache::config::Ttls;
use lineage_cache::keys::{parse, Kind, Parsed};
use lineage_cache::source::sqlite::SqliteSource;
use lineage_cache::source::LineageSource;

const BASE: &str = "/api/v2/openlineage";

/// JavaScript's `encodeURIComponent`, written here from its definition (not the crate's).
fn uri_component(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Every URL the UI sends for the demo warehouse, addressing datasets by name.
fn ui_urls(source: &SqliteSource) -> Vec<String> {
    let mut urls = vec![format!("{BASE}/namespaces")];
    for ns in source.namespaces().unwrap() {
        let n = uri_component(&ns.id);
        urls.push(format!("{BASE}/namespaces/{n}"));
        urls.push(format!("{BASE}/namespaces/{n}/datasets"));
        urls.push(format!("{BASE}/namespaces/{n}/datasets?limit=50&offset=0"));
    }
    for d in source
        .all_datasets()
        .unwrap()
        .into_iter()
        .filter(|d| d.is_active)
    {
        let name = uri_component(&d.name);
        urls.push(format!("{BASE}/datasets/{name}"));
        urls.push(format!("{BASE}/datasets/{name}/statistics"));
        urls.push(format!("{BASE}/datasets/{name}/ddl"));
        for f in source.fields(&d.id).unwrap() {
            let f = uri_component(&f.name);
            urls.push(format!("{BASE}/lineage/{name}/{f}"));
            for dir in ["upstream", "downstream", "both"] {
                urls.push(format!(
                    "{BASE}/lineage/{name}/{f}?direction={dir}&maxDepth=5"
                ));
            }
        }
    }
    urls
}

/// A key with `%XX` escapes decoded (the demo's names hold no `%` of their own).
fn url_decoded_key(key: &str) -> String {
    let b = key.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// `key from-url URL`: the keys printed, one per line.
fn from_url(url: &str) -> Vec<String> {
    let out = bin().args(["key", "from-url", url]).output().unwrap();
    assert!(out.status.success(), "{url}: {out:?}");
    assert!(
        out.stderr.is_empty(),
        "{url}: no note for a name-form request"
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn warm_all_fills_every_key_the_ui_reads_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.sqlite");
    lineage_cache::source::demo::create_demo(&path, false).unwrap();
    let source = SqliteSource::open(&path).unwrap();
    let redis = RedisServer::start();
    let out = bin()
        .args(["--redis-url", &redis.url(), "--source"])
        .arg(format!("sqlite:{}", path.display()))
        .args(["warm", "--all", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        report["unreachable"], 0,
        "the default writes no unreachable key"
    );

    // Names holding a byte the UI escapes unlike Go (by hand from both definitions): their
    // requests reach the API still escaped, so the UI reads another key.
    let differs = |s: &str| s.bytes().any(|b| b"$&+,/:;=@!*'()".contains(&b));
    let elsewhere = redis
        .cli(&["KEYS", "ol:*"])
        .lines()
        .filter(|k| match parse(k) {
            Parsed::Key(k) => k.path_params().iter().any(|p| differs(p)),
            _ => false,
        })
        .count();
    assert!(elsewhere > 0, "the demo lab has such names");
    assert_eq!(report["uiReadsElsewhere"], elsewhere as u64);

    let urls = ui_urls(&source);
    assert!(urls.len() > 700, "{}", urls.len());
    let ttls = Ttls::default();
    let mut checked: BTreeMap<Kind, usize> = BTreeMap::new();
    let mut escaped = 0;
    for url in &urls {
        for key in from_url(url) {
            let (decoded, as_sent) = (url_decoded_key(&key), key.clone());
            let key = if decoded != as_sent {
                // The API looks the escaped text up verbatim and finds nothing: warm writes
                // nothing there, and the key the API serves by name instead.
                assert_eq!(redis.cli(&["EXISTS", &as_sent]).trim(), "0", "{as_sent}");
                escaped += 1;
                decoded
            } else {
                key
            };
            let Parsed::Key(k) = parse(&key) else {
                panic!("{url} printed {key:?}")
            };
            let ttl: i64 = redis.cli(&["TTL", &key]).trim().parse().unwrap();
            if k.kind() == Kind::FieldList {
                assert_eq!(
                    ttl, -2,
                    "{key}: the API never caches a name-form field list"
                );
                continue;
            }
            let class = k.ttl_class().seconds(&ttls) as i64;
            assert!(
                ttl > 0 && ttl <= class,
                "{url} reads {key}: TTL {ttl}, class {class}"
            );
            *checked.entry(k.kind()).or_default() += 1;
        }
    }
    assert!(escaped > 0);
    for kind in [
        Kind::NamespaceList,
        Kind::NamespaceGet,
        Kind::DatasetList,
        Kind::DatasetGet,
        Kind::DatasetStatistics,
        Kind::DatasetDdl,
        Kind::LineageGraph,
    ] {
        assert!(
            checked.get(&kind).copied().unwrap_or(0) > 0,
            "{kind:?}: {checked:?}"
        );
    }
}

#[test]
fn an_id_form_request_reads_its_escaped_key_and_says_why() {
    let url = format!(
        "{BASE}/lineage/e2ee0f524246c957%2Fdemo_user.DIM_CURRENCY/currency_cd?direction=upstream"
    );
    let out = bin().args(["key", "from-url", &url]).output().unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "ol:lineage:graph:e2ee0f524246c957%2Fdemo_user.DIM_CURRENCY|currency_cd|upstream\n"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("lineage-cache: note: ") && err.contains("verbatim"),
        "{err}"
    );
}
