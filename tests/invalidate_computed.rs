//! `invalidate --touching` computed from the lineage deletes exactly what the full scan
//! (reading every cached graph) deletes: random warehouses (cycles, inactive rows, datasets
//! without rows, inactive datasets), warmed in both key forms plus escaped-id keys as the
//! API writes them, then the lineage changes (rows deactivated, rows re-pointed, a dataset
//! renamed) before each invalidation. Standalone and a three-primary Redis Cluster.
mod common;

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
    runs.splice(0..0, fields);
    for (flag, t) in runs {
        let a = computed
            .run(&w, &["invalidate", flag, &t, "--yes", "--format", "json"])
            .json();
        let b = scanned
            .run(
                &w,
                &[
                    "invalidate",
                    flag,
                    &t,
                    "--yes",
                    "--scan",
                    "--format",
                    "json",
                ],
            )
            .json();
        assert_eq!(a["path"], "computed", "{a}");
        assert_eq!(b["path"], "scan", "{b}");
        assert_eq!(a["deleted"], b["deleted"], "{flag} {t}: {a} {b}");
        let (ka, kb): (BTreeSet<String>, BTreeSet<String>) = (computed.keys(), scanned.keys());
        assert_eq!(ka, kb, "{flag} {t} (seed {seed})");
        deleted += a["deleted"].as_u64().unwrap() as usize;
        if flag == "--field" {
            by_field += a["deleted"].as_u64().unwrap() as usize;
        }
    }
    assert!(by_field > 0, "seed {seed}: --field deleted nothing");
    assert!(
        deleted > 0 && deleted < before,
        "seed {seed}: {deleted} of {before}"
    );
    deleted
}

#[test]
fn computed_touching_deletes_what_the_scan_deletes() {
    for seed in [11, 12, 13] {
        let (a, b) = (RedisServer::start(), RedisServer::start());
        let n = same_keys(&Target::standalone(&a), &Target::standalone(&b), seed);
        eprintln!("seed {seed}: {n} keys deleted alike");
    }
}

#[test]
fn computed_touching_on_a_cluster_deletes_what_the_scan_deletes() {
    let cluster = RedisCluster::start();
    let b = RedisServer::start();
    let n = same_keys(&Target::cluster(&cluster), &Target::standalone(&b), 21);
    eprintln!("cluster: {n} keys deleted alike");
}
