//! The property: random warehouses (common/random_lineage.rs: cycles, diamonds, shared
//! `lineage_id`s, inactive rows, datasets without rows) changed at random as a run finds
//! them, the run done here with the API writing at its pause, then `sync --started-at`
//! (every other case with `--rewarm`): every cached value true, at most 1.5 times the keys
//! that needed it (+ 10) touched.
use super::scenario::{cost, Cost};
use super::world::{Db, World};

/// Graphs per warehouse, and warehouses.
const GRAPHS: usize = 40;
const CASES: u64 = 8;

/// The columns the lineage rows of `path` name: of active rows (`active`), or of rows
/// that are all inactive.
fn columns(path: &std::path::Path, active: bool) -> String {
    let c = rusqlite::Connection::open(path).unwrap();
    let sql = "SELECT source_dataset || '/' || source_field FROM OL_COLUMN_LINEAGE WHERE ?1 = (is_active = 'Y') \
               UNION SELECT target_dataset || '/' || target_field FROM OL_COLUMN_LINEAGE WHERE ?1 = (is_active = 'Y')";
    let mut st = c.prepare(sql).unwrap();
    let mut all: Vec<String> = st
        .query_map([active], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    if !active {
        let live = columns(path, true);
        let live: std::collections::BTreeSet<&str> = live.lines().collect();
        all.retain(|c| !live.contains(c.as_str()));
    }
    all.join("\n") + "\n"
}

/// Warm what the API serves of a random warehouse (it has no field rows: its columns are
/// those of the lineage rows), graphs in both key forms, and [`World::plant`]. The columns
/// that only inactive rows name are warmed by name alone: no page of the UI shows them,
/// and under a decoded id their graphs are out of sync's reach (docs/sync.md).
fn warm(w: &World, path: &std::path::Path) {
    for (active, form) in [(true, "both"), (false, "name")] {
        let (file, columns) = (w.dir.path().join("columns"), columns(path, active));
        if columns.trim().is_empty() {
            continue;
        }
        std::fs::write(&file, columns).unwrap();
        let file = file.to_str().unwrap();
        w.cli(&["warm", "--keys-file", file, "--key-form", form])
            .success();
    }
    let kinds = ["--kind", "dataset-get,dataset-list"];
    let mut args = vec!["warm", "--all", "--key-form", "both"];
    args.extend(kinds);
    w.cli(&args).success();
    w.plant();
}

/// One case: a warehouse from `seed`, warmed, changed, synced; what it cost.
fn case(seed: u64) -> Cost {
    let db = Db::random(GRAPHS, seed);
    let Db::Sqlite(demo) = &db else {
        unreachable!()
    };
    let path = demo.path.clone();
    let w = World::standalone(db);
    warm(&w, &path);
    // Odd cases rewrite what they clean (with the engine): still the per-key SQL's values.
    let rewarm: &[&str] = if seed % 2 == 1 { &["--rewarm"] } else { &[] };
    let c = cost(&w, seed, 1, rewarm);
    eprintln!(
        "seed {seed}: touched {} of {} needed of {} cached; graphs {} of {}",
        c.touched, c.needed, c.cached, c.touched_graphs, c.needed_graphs
    );
    c
}

/// Every case, on two threads (a case waits on its servers and its clock too).
pub fn random_runs() {
    let costs: Vec<Cost> = std::thread::scope(|s| {
        let half = |odd: u64| {
            s.spawn(move || {
                (1..=CASES)
                    .filter(|c| c % 2 == odd)
                    .map(case)
                    .collect::<Vec<_>>()
            })
        };
        let (a, b) = (half(0), half(1));
        let mut all = a.join().unwrap();
        all.extend(b.join().unwrap());
        all
    });
    let sum = |f: fn(&Cost) -> usize| costs.iter().map(f).sum::<usize>();
    let (needed, touched) = (sum(|c| c.needed), sum(|c| c.touched as usize));
    eprintln!(
        "random: touched {touched} of {needed} needed ({:.2}x) of {} cached; graphs {} of {}",
        touched as f64 / needed as f64,
        sum(|c| c.cached),
        sum(|c| c.touched_graphs as usize),
        sum(|c| c.needed_graphs)
    );
}
