//! `invalidate --touching`, `--field` and `--dataset` computed from the lineage delete exactly
//! what the full scan (reading every cached graph for `--touching`) deletes: random
//! warehouses (cycles, inactive rows, datasets without rows, inactive datasets), warmed in
//! both key forms plus escaped-id keys as the API writes them, list pages of any limit and
//! offset and search pages of any query, then the lineage changes (rows deactivated, rows
//! re-pointed, a dataset renamed) before each invalidation. `--dataset` runs with its pages
//! looked up and with them scanned. Standalone and a three-primary Redis Cluster.
use crate::common;

use std::collections::BTreeSet;

use common::random_lineage::{SplitMix64, Warehouse};
use common::{Demo, RedisCluster, RedisServer, Target};
use lineage_cache::answer::{compute, Computed, GraphMode};
use lineage_cache::keys::{parse, Key, Parsed};
use lineage_cache::source::sqlite::SqliteSource;

/// A random warehouse in SQLite.
fn warehouse(seed: u64) -> Demo {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("random.sqlite");
    let c = rusqlite::Connection::open(&path).unwrap();
    c.execute_batch(&Warehouse::generate(150, seed).sql())
        .unwrap();
    drop(c);
    Demo::from_file(dir, path)
}

/// Warm both forms, and plant the escaped-id keys an id-form request makes the API write
/// (a seed-only graph under `ns%2Fdb.T`) for a sample of graph keys.
fn fill(t: &Target, w: &Demo, rng: &mut SplitMix64) {
    // The random warehouse has no field rows: its columns are those of the lineage rows.
    let c = rusqlite::Connection::open(&w.path).unwrap();
    let columns: Vec<String> = c
        .prepare(
            "SELECT source_dataset || '/' || source_field FROM OL_COLUMN_LINEAGE UNION \
             SELECT target_dataset || '/' || target_field FROM OL_COLUMN_LINEAGE ORDER BY 1",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let file = w.path.with_extension("columns");
    std::fs::write(&file, columns.join("\n") + "\n").unwrap();
    let file = file.to_str().unwrap();
    t.run(w, &["warm", "--keys-file", file, "--key-form", "both"])
        .ok();
    t.run(
        w,
        &[
            "warm",
            "--all",
            "--key-form",
            "both",
            "--kind",
            "dataset-get,dataset-list",
            "--page-sizes",
            "7,100",
        ],
    )
    .ok();
    plant_pages(t, w, rng);
    let source = SqliteSource::open(&w.path).unwrap();
    let mut planted = Vec::new();
    for k in t.keys() {
        let Parsed::Key(Key::LineageGraph {
            dataset,
            field,
            direction,
        }) = parse(&k)
        else {
            continue;
        };
        if !dataset.contains('/') || !rng.chance(10) {
            continue;
        }
        let key = Key::LineageGraph {
            dataset: lineage_cache::route::encode_uri_component(&dataset),
            field,
            direction,
        };
        if let Computed::Value(v) = compute(&key, &source, GraphMode::PerKey, 5).unwrap() {
            planted.push((key.render().into_bytes(), v, 600));
        }
    }
    assert!(!planted.is_empty());
    t.put(&planted);
}

/// Statistics, DDL and field lists (the random warehouse has no DBC views and no fields) in
/// the name, id and escaped-id forms, for a sample of datasets; then list and search pages:
/// list pages of every namespace at random limits and offsets (below its count of
/// datasets, as the API caches only pages that hold one), and search pages of random
/// queries: substrings of dataset names (some padded or lower-cased as users type them,
/// which the API trims and upper-cases), the empty query, and queries no name contains.
fn plant_pages(t: &Target, w: &Demo, rng: &mut SplitMix64) {
    let c = rusqlite::Connection::open(&w.path).unwrap();
    let counts: Vec<(String, i64)> = c
        .prepare("SELECT namespace_id, COUNT(*) FROM OL_DATASET GROUP BY 1 ORDER BY 1")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let names: Vec<String> = c
        .prepare("SELECT name FROM OL_DATASET ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let value = br#"{"datasets":[],"total":0}"#.to_vec();
    let mut planted = Vec::new();
    let ids: Vec<(String, String)> = c
        .prepare("SELECT dataset_id, name FROM OL_DATASET ORDER BY dataset_id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for (id, name) in &ids {
        let escaped = lineage_cache::route::encode_uri_component(id);
        for form in [id, name, &escaped] {
            for kind in ["statistics", "ddl", "field:list"] {
                if rng.chance(30) {
                    let key = match kind {
                        "field:list" => format!("ol:field:list:{form}"),
                        k => format!("ol:dataset:{k}:{form}"),
                    };
                    planted.push((key.into_bytes(), b"{}".to_vec(), 900));
                }
            }
        }
    }
    for (ns, n) in &counts {
        for _ in 0..20 {
            let limit = 1 + rng.below(500);
            let offset = rng.below(*n as usize);
            let key = format!("ol:dataset:list:{ns}|{limit}|{offset}");
            planted.push((key.into_bytes(), value.clone(), 600));
        }
    }
    for _ in 0..60 {
        let name = lineage_cache::keys::search::to_upper(&names[rng.below(names.len())]);
        let chars: Vec<char> = name.chars().collect();
        let a = rng.below(chars.len());
        let b = a + 1 + rng.below(chars.len() - a);
        let q: String = chars[a..b].iter().collect();
        let q = lineage_cache::keys::search::search_query(&q);
        let limit = 1 + rng.below(500);
        planted.push((
            format!("ol:dataset:search:{q}|{limit}").into_bytes(),
            b"[]".to_vec(),
            300,
        ));
    }
    for q in ["", "NO SUCH NAME", "ZZZ"] {
        planted.push((
            format!("ol:dataset:search:{q}|100").into_bytes(),
            b"[]".to_vec(),
            300,
        ));
    }
    t.put(&planted);
}

/// Change the lineage as `populate_lineage.py` does: deactivate rows, re-point rows (the old
/// row deactivated, a new one inserted), rename a dataset (the old row deactivated with its
/// lineage rows, the same lineage under the new name).
fn change(w: &Demo, rng: &mut SplitMix64) -> String {
    let c = rusqlite::Connection::open(&w.path).unwrap();
    let ids: Vec<String> = c
        .prepare(
            "SELECT lineage_id FROM OL_COLUMN_LINEAGE WHERE is_active = 'Y' ORDER BY lineage_id",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for id in &ids {
        match rng.below(100) {
            0..=4 => {
                c.execute(
                    "UPDATE OL_COLUMN_LINEAGE SET is_active = 'N' WHERE lineage_id = ?1",
                    [id],
                )
                .unwrap();
            }
            5..=7 => {
                let target: (String, String) = c
                    .query_row(
                        "SELECT target_dataset, target_field FROM OL_COLUMN_LINEAGE ORDER BY lineage_id LIMIT 1 OFFSET ?1",
                        [rng.below(ids.len()) as i64],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .unwrap();
                c.execute(
                    "UPDATE OL_COLUMN_LINEAGE SET is_active = 'N' WHERE lineage_id = ?1",
                    [id],
                )
                .unwrap();
                c.execute(
                    "INSERT INTO OL_COLUMN_LINEAGE SELECT lineage_id || 'r', run_id, source_namespace, \
                     source_dataset, source_field, target_namespace, ?2, ?3, transformation_type, \
                     transformation_subtype, transformation_description, masking, confidence_score, \
                     discovered_at, 'Y' FROM OL_COLUMN_LINEAGE WHERE lineage_id = ?1",
                    rusqlite::params![id, target.0, target.1],
                )
                .unwrap();
            }
            _ => {}
        }
    }
    let (id, ns, name): (String, String, String) = c
        .query_row(
            "SELECT dataset_id, namespace_id, name FROM OL_DATASET WHERE is_active = 'Y' ORDER BY dataset_id LIMIT 1 OFFSET ?1",
            [rng.below(10) as i64],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    let renamed = format!("{name}_V2");
    c.execute(
        "UPDATE OL_DATASET SET is_active = 'N' WHERE dataset_id = ?1",
        [&id],
    )
    .unwrap();
    c.execute(
        "INSERT INTO OL_DATASET SELECT ?2, namespace_id, ?3, description, source_type, created_at, updated_at, 'Y' \
         FROM OL_DATASET WHERE dataset_id = ?1",
        rusqlite::params![id, format!("{ns}/{renamed}"), renamed],
    )
    .unwrap();
    for end in ["source", "target"] {
        c.execute(
            &format!(
                "INSERT INTO OL_COLUMN_LINEAGE SELECT lineage_id || 'n{end}', run_id, source_namespace, \
                 CASE WHEN '{end}' = 'source' THEN ?2 ELSE source_dataset END, source_field, target_namespace, \
                 CASE WHEN '{end}' = 'target' THEN ?2 ELSE target_dataset END, target_field, transformation_type, \
                 transformation_subtype, transformation_description, masking, confidence_score, discovered_at, 'Y' \
                 FROM OL_COLUMN_LINEAGE WHERE is_active = 'Y' AND {end}_dataset = ?1"
            ),
            rusqlite::params![name, renamed],
        )
        .unwrap();
        c.execute(
            &format!("UPDATE OL_COLUMN_LINEAGE SET is_active = 'N' WHERE {end}_dataset = ?1"),
            [&name],
        )
        .unwrap();
    }
    name
}

/// Whether a target names a column (DATASET/FIELD) rather than a dataset.
fn is_column(t: &str) -> bool {
    let slashes = t.matches('/').count();
    slashes >= 2 || (slashes == 1 && !t.rsplit('/').next().unwrap_or(t).contains('.'))
}

/// The names and ids of the datasets the source has a row for.
fn known_datasets(w: &Demo) -> BTreeSet<String> {
    let c = rusqlite::Connection::open(&w.path).unwrap();
    let known = c
        .prepare("SELECT name FROM OL_DATASET UNION SELECT dataset_id FROM OL_DATASET")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    known
}

/// Targets: datasets by name and id (the renamed one among them), columns, a dataset known
/// only from lineage rows.
fn targets(w: &Demo, renamed: &str, rng: &mut SplitMix64) -> Vec<String> {
    let c = rusqlite::Connection::open(&w.path).unwrap();
    let pick = |sql: &str, rng: &mut SplitMix64| -> Vec<String> {
        let all: Vec<String> = c
            .prepare(sql)
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        (0..4).map(|_| all[rng.below(all.len())].clone()).collect()
    };
    let mut t = vec![renamed.to_string()];
    t.extend(pick("SELECT name FROM OL_DATASET ORDER BY name", rng));
    t.extend(pick(
        "SELECT dataset_id FROM OL_DATASET ORDER BY dataset_id",
        rng,
    ));
    t.extend(pick(
        "SELECT source_dataset || '/' || source_field FROM OL_COLUMN_LINEAGE ORDER BY lineage_id",
        rng,
    ));
    t.extend(pick(
        "SELECT source_dataset FROM OL_COLUMN_LINEAGE WHERE source_dataset NOT IN (SELECT name FROM OL_DATASET) ORDER BY 1",
        rng,
    ));
    t
}

/// One warehouse: `computed` and `scanned` filled alike; after the change, each target is
/// invalidated computed on one and by `--scan` on the other, and the caches stay equal.
fn same_keys(computed: &Target, scanned: &Target, seed: u64) -> usize {
    let w = warehouse(seed);
    let mut rng = SplitMix64::new(seed);
    fill(computed, &w, &mut rng.clone());
    fill(scanned, &w, &mut rng);
    assert_eq!(computed.keys(), scanned.keys());
    let before = computed.keys().len();
    let renamed = change(&w, &mut rng);
    let (mut deleted, mut by_field) = (0, 0);
    let mut runs: Vec<(&str, String)> = targets(&w, &renamed, &mut rng)
        .into_iter()
        .map(|t| ("--touching", t))
        .collect();
    // Columns for --field, from those the targets name.
    let columns: Vec<String> = runs
        .iter()
        .filter(|(_, t)| t.contains('/'))
        .map(|(_, t)| t.clone())
        .collect();
    let fields: Vec<(&str, String)> = columns.into_iter().map(|c| ("--field", c)).collect();
    let datasets: Vec<(&str, String)> = runs
        .iter()
        .filter(|(_, t)| !is_column(t))
        .flat_map(|(_, t)| {
            [
                ("--dataset-lookup", t.clone()),
                ("--dataset", t.clone()),
                ("--dataset-sized-lookup", t.clone()),
                ("--dataset-sized-scan", t.clone()),
            ]
        })
        .collect();
    runs.splice(0..0, fields);
    runs.extend(datasets);
    let known = known_datasets(&w);
    let (mut by_dataset, mut scanned_pages, mut looked_up) = (0, 0, 0);
    for (flag, t) in runs {
        if flag.starts_with("--dataset") {
            // Pages again (on both alike), so every run has some to find.
            plant_pages(computed, &w, &mut rng.clone());
            plant_pages(scanned, &w, &mut rng);
        }
        let mut args = vec!["invalidate", flag, &t, "--yes", "--format", "json"];
        // `--page-sizes` narrows both paths alike: only pages of those limits go.
        // (Looked up and scanned: `auto` would look up so few pages.)
        let sized = flag.starts_with("--dataset-sized");
        let sizes = ["--page-sizes", "7,100"];
        if flag == "--dataset-lookup" {
            args.splice(1..2, ["--pages", "lookup", "--dataset"]);
        } else if sized {
            let way = flag.rsplit('-').next().unwrap_or_default();
            args.splice(1..2, [sizes[0], sizes[1], "--pages", way, "--dataset"]);
        }
        let pages_before = pages(computed);
        let a = computed.run(&w, &args).json();
        if sized {
            for gone in pages_before.difference(&pages(computed)) {
                let list = gone.starts_with("ol:dataset:list:");
                let limit = gone.rsplit('|').nth(usize::from(list));
                assert!(
                    matches!(limit, Some("7" | "100")),
                    "{gone} deleted by --page-sizes 7,100"
                );
            }
        }
        let flag = if flag.starts_with("--dataset") {
            "--dataset"
        } else {
            flag
        };
        let mut args = vec![
            "invalidate",
            flag,
            &t,
            "--yes",
            "--scan",
            "--format",
            "json",
        ];
        if sized {
            args.extend(sizes);
        }
        let b = scanned.run(&w, &args).json();
        // A dataset the source has no row for cannot be computed: the scan path runs.
        let decidable = flag != "--dataset" || known.contains(&t);
        assert_eq!(
            a["path"],
            if decidable { "computed" } else { "scan" },
            "{flag} {t}: {a}"
        );
        assert_eq!(b["path"], "scan", "{b}");
        let detail = a["pathDetail"].as_str().unwrap_or("");
        scanned_pages += usize::from(detail.contains("scanned"));
        looked_up += usize::from(detail.contains("looked up"));
        assert_eq!(a["deleted"], b["deleted"], "{flag} {t}: {a} {b}");
        let (ka, kb): (BTreeSet<String>, BTreeSet<String>) = (computed.keys(), scanned.keys());
        assert_eq!(ka, kb, "{flag} {t} (seed {seed})");
        deleted += a["deleted"].as_u64().unwrap() as usize;
        if flag == "--field" {
            by_field += a["deleted"].as_u64().unwrap() as usize;
        }
        if flag == "--dataset" && decidable {
            by_dataset += a["deleted"].as_u64().unwrap() as usize;
        }
    }
    assert!(by_field > 0, "seed {seed}: --field deleted nothing");
    assert!(by_dataset > 0, "seed {seed}: --dataset deleted nothing");
    assert!(
        scanned_pages > 0 && looked_up > 0,
        "seed {seed}: both page ways ran"
    );
    assert!(
        deleted > 0 && deleted < before,
        "seed {seed}: {deleted} of {before}"
    );
    deleted
}

/// The dataset list and search pages in the cache.
fn pages(t: &Target) -> BTreeSet<String> {
    t.keys()
        .into_iter()
        .filter(|k| k.starts_with("ol:dataset:list:") || k.starts_with("ol:dataset:search:"))
        .collect()
}

#[test]
fn computed_keys_are_what_the_scan_deletes() {
    for seed in [11, 12, 13] {
        let (a, b) = (RedisServer::start(), RedisServer::start());
        let n = same_keys(&Target::standalone(&a), &Target::standalone(&b), seed);
        eprintln!("seed {seed}: {n} keys deleted alike");
    }
}

#[test]
fn computed_keys_on_a_cluster_are_what_the_scan_deletes() {
    let cluster = RedisCluster::start();
    let b = RedisServer::start();
    let n = same_keys(&Target::cluster(&cluster), &Target::standalone(&b), 21);
    eprintln!("cluster: {n} keys deleted alike");
}
