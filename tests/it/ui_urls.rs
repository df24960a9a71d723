//! `warm --all` fills the keys the real API reads: for every request the UI would send by
//! name (datasets, statistics, DDL, the field list, lineage in all three directions, the
//! namespace and list endpoints), the key `key from-url` prints exists in Redis with a TTL of
//! its class (statistics and DDL: the dataset by name, then the statistics or DDL by id). The one exception is the API's own: the field list of a name-form request finds
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

/// `key from-url URL` against the lineage source `source`: the keys printed, one per line.
/// A name-form request gets no note, but where the UI escapes the name unlike Go: then the
/// API looks the escaped name up, finds no dataset, and reads no statistics or DDL key.
fn from_url(url: &str, source: &str) -> Vec<String> {
    let out = bin()
        .args(["--source", source, "key", "from-url", url])
        .output()
        .unwrap();
    assert!(out.status.success(), "{url}: {out:?}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let detail = url.ends_with("/statistics") || url.ends_with("/ddl");
    if detail && stdout.contains('%') {
        assert_eq!(stdout.lines().count(), 1, "{url}: {stdout}");
        assert!(stderr.contains("the API answers 404"), "{url}: {stderr}");
    } else {
        assert!(
            stderr.is_empty(),
            "{url}: no note for a name-form request: {stderr}"
        );
    }
    stdout.lines().map(str::to_string).collect()
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
    // Statistics and DDL are cached under the id ({namespace}/{name}) but read after a
    // request by name: the name decides.
    let differs = |s: &str| s.bytes().any(|b| b"$&+,/:;=@!*'()".contains(&b));
    let elsewhere = redis
        .cli(&["KEYS", "ol:*"])
        .lines()
        .filter(|k| match parse(k) {
            Parsed::Key(k) if matches!(k.kind(), Kind::DatasetStatistics | Kind::DatasetDdl) => {
                let id = k.dataset().unwrap();
                differs(id.split_once('/').expect("statistics and DDL by id").1)
            }
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
    let source_arg = format!("sqlite:{}", path.display());
    // Statistics and DDL by name read the dataset by name, then the id (contract §1).
    let ids: BTreeMap<String, String> = source
        .all_datasets()
        .unwrap()
        .into_iter()
        .map(|d| (d.name, d.id))
        .collect();
    for url in &urls {
        let keys = from_url(url, &source_arg);
        if let Some(name) = url
            .strip_suffix("/statistics")
            .or_else(|| url.strip_suffix("/ddl"))
            .and_then(|u| u.rsplit('/').next())
            .filter(|_| keys.len() == 2)
        {
            let name = url_decoded_key(name);
            let kind = if url.ends_with("/ddl") {
                "ddl"
            } else {
                "statistics"
            };
            assert_eq!(keys[0], format!("ol:dataset:get:{name}"), "{url}");
            assert_eq!(
                keys[1],
                format!("ol:dataset:{kind}:{}", ids[&name]),
                "{url}"
            );
        }
        for key in keys {
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

/// Statistics and DDL URLs written by hand, with the keys the rules give (contract §1): the
/// dataset as the router hands it over, then, when the source has that dataset, the
/// statistics or DDL under its id (`md5("teradata://prod-td:1025")[..16]` = e2ee0f524246c957).
#[test]
fn statistics_and_ddl_urls_read_the_dataset_then_its_id() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.sqlite");
    lineage_cache::source::demo::create_demo(&path, false).unwrap();
    let source = format!("sqlite:{}", path.display());
    let run = |url: &str| {
        let out = bin()
            .args([
                "--source",
                &source,
                "key",
                "from-url",
                &format!("{BASE}{url}"),
            ])
            .output()
            .unwrap();
        assert!(out.status.success(), "{url}: {out:?}");
        let stdout = String::from_utf8(out.stdout).unwrap();
        let keys: Vec<String> = stdout.lines().map(str::to_string).collect();
        (keys, String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let cases: [(&str, &[&str]); 5] = [
        (
            "/datasets/demo_user.FACT_SALES/statistics",
            &[
                "ol:dataset:get:demo_user.FACT_SALES",
                "ol:dataset:statistics:e2ee0f524246c957/demo_user.FACT_SALES",
            ],
        ),
        (
            "/datasets/demo_user.RPT_EXEC_KPI/ddl?refresh=true",
            &[
                "ol:dataset:get:demo_user.RPT_EXEC_KPI",
                "ol:dataset:ddl:e2ee0f524246c957/demo_user.RPT_EXEC_KPI",
            ],
        ),
        // Non-ASCII escaped as Go escapes it: decoded.
        (
            "/datasets/lab.Stra%C3%9Fe_Kunden/ddl",
            &[
                "ol:dataset:get:lab.Straße_Kunden",
                "ol:dataset:ddl:e2ee0f524246c957/lab.Straße_Kunden",
            ],
        ),
        (
            "/datasets/lab.na%C3%AFve_scores/statistics",
            &[
                "ol:dataset:get:lab.naïve_scores",
                "ol:dataset:statistics:e2ee0f524246c957/lab.naïve_scores",
            ],
        ),
        // Lower-case hex is not Go's escaping: the segment stays as sent, no dataset has
        // that name, and the API answers 404.
        (
            "/datasets/lab.Stra%c3%9fe_Kunden/statistics",
            &["ol:dataset:get:lab.Stra%c3%9fe_Kunden"],
        ),
    ];
    for (url, want) in cases {
        let (keys, stderr) = run(url);
        assert_eq!(keys, want, "{url}");
        assert_eq!(stderr.is_empty(), want.len() == 2, "{url}: {stderr}");
    }
    // The id form: %2F reaches the API escaped; it finds no dataset (404, nothing cached).
    let (keys, stderr) = run("/datasets/e2ee0f524246c957%2Fdemo_user.FACT_SALES/statistics");
    assert_eq!(
        keys,
        ["ol:dataset:get:e2ee0f524246c957%2Fdemo_user.FACT_SALES"]
    );
    assert!(stderr.contains("verbatim"), "{stderr}");
    let (keys, stderr) = run("/datasets/demo_user.NOPE/ddl");
    assert_eq!(keys, ["ol:dataset:get:demo_user.NOPE"]);
    assert!(stderr.contains("the API answers 404"), "{stderr}");
}
