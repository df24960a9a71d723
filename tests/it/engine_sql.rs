//! The in-memory traversal engine against the API's recursive SQL, for real: on thousands
//! of random graphs in one warehouse (see `common::random_lineage`) and on every column of
//! the demo warehouse, the graph the engine builds from one bulk read of the active rows
//! must be byte for byte the graph built from the recursive SQL's rows, for every
//! direction and depths 1 to 20, on SQLite and on PostgreSQL through ODBC (psqlODBC).
//!
//! Each test prints how many graphs it compared, and asserts that number, so a pass can
//! never be vacuous.
use crate::common;

use std::time::{Duration, Instant};

use common::random_lineage::{RandomGraph, SplitMix64, Warehouse};
use common::Postgres;
use lineage_cache::json::GoJson;
use lineage_cache::model::LineageHit;
use lineage_cache::source::demo::{create_demo, demo_sql, Dialect};
use lineage_cache::source::engine::Engine;
use lineage_cache::source::graph::build_graph;
use lineage_cache::source::odbc::{OdbcOptions, OdbcSource};
use lineage_cache::source::sqlite::SqliteSource;
use lineage_cache::source::{Direction, LineageSource};

/// Random graphs in the warehouse.
const GRAPHS: usize = 2000;
/// The warehouse's seed.
const SEED: u64 = 0x5EED_2026_0001;
/// The deepest depth compared (every depth from 1 to it, for some graphs).
const MAX_DEPTH: u32 = 20;
/// The depths a (seed, direction) is compared at. Past the longest walk from the seed
/// (the deepest depth of its lineage at 20), deeper depths give the same lineage.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Depths {
    /// Every depth 1..=20.
    Full,
    /// Every depth up to one past the longest walk, and 20.
    Dense,
    /// This many random depths below one past the longest walk, that one, and 20.
    Sample(usize),
}

/// One graph in this many is compared at [`Depths::Full`], the others as the constant says.
const SQLITE_FULL_EVERY: usize = 40;
const SQLITE_DEPTHS: Depths = Depths::Sample(1);
const PG_FULL_EVERY: usize = 100;
const PG_DEPTHS: Depths = Depths::Sample(1);
/// The fewest comparisons each run must make (no vacuous pass).
const MIN_RANDOM_SQLITE: usize = 80_000;
const MIN_RANDOM_PG: usize = 70_000;
const MIN_DEMO: usize = 30_000;
const MIN_DEMO_PG: usize = 5_000;
/// Mismatch reports kept for the failure message.
const REPORTS: usize = 3;

/// One seed: the dataset as passed to the source (name or id), its resolved name, a field.
#[derive(Debug, Clone)]
struct Seed {
    key: String,
    name: String,
    field: String,
}

/// What to compare for one graph (or part of the demo warehouse).
struct Job<'a> {
    graph: Option<&'a RandomGraph>,
    seeds: Vec<Seed>,
    depths: Depths,
}

/// One (seed, direction) of a job and its depths.
struct Work {
    job: usize,
    seed: usize,
    dir: Direction,
    depths: Vec<u32>,
}

/// The depths for a seed whose longest walk has `longest` rows.
fn depths(mode: Depths, longest: u32, rng: &mut SplitMix64) -> Vec<u32> {
    let past = (longest + 1).min(MAX_DEPTH);
    let mut depths: Vec<u32> = match mode {
        Depths::Full => return (1..=MAX_DEPTH).collect(),
        Depths::Dense => (1..past).collect(),
        Depths::Sample(k) => (0..k)
            .filter(|_| past > 1)
            .map(|_| 1 + rng.below(past as usize - 1) as u32)
            .collect(),
    };
    depths.extend([past, MAX_DEPTH]);
    depths.sort_unstable();
    depths.dedup();
    depths
}

/// Every (seed, direction) of the jobs with its depths.
fn plan(engine: &Engine, jobs: &[Job<'_>]) -> Vec<Work> {
    let mut rng = SplitMix64::new(SEED ^ 0x5A5A);
    let mut work = Vec::new();
    for (j, job) in jobs.iter().enumerate() {
        for (i, seed) in job.seeds.iter().enumerate() {
            for dir in Direction::ALL {
                let deepest = engine.lineage(&seed.name, &seed.field, dir, MAX_DEPTH);
                let longest = deepest.last().map_or(0, |h| h.depth);
                work.push(Work {
                    job: j,
                    seed: i,
                    dir,
                    depths: depths(job.depths, longest, &mut rng),
                });
            }
        }
    }
    work
}

/// The seeds of a graph: every column by name, some also by dataset id, and a column of
/// the graph's first dataset that no row touches.
fn graph_seeds(g: &RandomGraph, rng: &mut SplitMix64) -> Vec<Seed> {
    let mut seeds = Vec::new();
    for (name, field) in &g.columns {
        let seed = |key: &str| Seed {
            key: key.to_string(),
            name: name.clone(),
            field: field.clone(),
        };
        seeds.push(seed(name));
        if let Some(id) = g.dataset_id(name).filter(|_| rng.chance(15)) {
            seeds.push(seed(id));
        }
    }
    if g.index.is_multiple_of(10) {
        let (name, _) = &g.columns[0];
        seeds.push(Seed {
            key: name.clone(),
            name: name.clone(),
            field: "no_rows".into(),
        });
    }
    seeds
}

/// The jobs for a warehouse: one graph in `full_every` at every depth, the rest at `mode`.
fn graph_jobs(w: &Warehouse, full_every: usize, mode: Depths) -> Vec<Job<'_>> {
    let mut rng = SplitMix64::new(SEED ^ 0xA5A5);
    w.graphs
        .iter()
        .map(|g| Job {
            graph: Some(g),
            seeds: graph_seeds(g, &mut rng),
            depths: if g.index.is_multiple_of(full_every) {
                Depths::Full
            } else {
                mode
            },
        })
        .collect()
}

/// The jobs for the demo warehouse (in parts, for threads): every field of every dataset by
/// id and by name, every column a lineage row touches, and an unknown seed.
fn demo_jobs(source: &dyn LineageSource, engine: &Engine, depths: Depths) -> Vec<Job<'static>> {
    let mut seeds = Vec::new();
    for d in source.all_datasets().expect("datasets") {
        for f in source.fields(&d.id).expect("fields") {
            for key in [&d.id, &d.name] {
                seeds.push(Seed {
                    key: key.clone(),
                    name: d.name.clone(),
                    field: f.name.clone(),
                });
            }
        }
    }
    for (name, field) in engine.columns() {
        seeds.push(Seed {
            key: name.into(),
            name: name.into(),
            field: field.into(),
        });
    }
    seeds.push(Seed {
        key: "no.such_table".into(),
        name: "no.such_table".into(),
        field: "x".into(),
    });
    assert!(seeds.len() > 400, "{} demo seeds", seeds.len());
    seeds
        .chunks(16)
        .map(|part| Job {
            graph: None,
            seeds: part.to_vec(),
            depths,
        })
        .collect()
}

/// What a run of comparisons found.
#[derive(Default)]
struct Outcome {
    comparisons: usize,
    edges: usize,
    mismatches: usize,
    reports: Vec<String>,
    engine_time: Duration,
    sql_time: Duration,
}

impl Outcome {
    fn add(&mut self, other: Outcome) {
        self.comparisons += other.comparisons;
        self.edges += other.edges;
        self.mismatches += other.mismatches;
        self.engine_time += other.engine_time;
        self.sql_time += other.sql_time;
        let room = REPORTS.saturating_sub(self.reports.len());
        self.reports.extend(other.reports.into_iter().take(room));
    }
}

/// Compare the engine's graph with the SQL's for one seed, direction and depth.
fn compare(
    engine: &Engine,
    source: &dyn LineageSource,
    job: &Job<'_>,
    seed: &Seed,
    dir: Direction,
    depth: u32,
    out: &mut Outcome,
) {
    let started = Instant::now();
    let graph = engine.graph(&seed.name, &seed.field, dir, depth);
    let want = graph.to_json();
    let middle = Instant::now();
    let hits = source
        .lineage(&seed.key, &seed.field, dir, depth)
        .unwrap_or_else(|e| panic!("lineage {seed:?} {dir:?} {depth}: {e}"));
    let got = build_graph(&seed.name, &seed.field, &hits).to_json();
    out.engine_time += middle - started;
    out.sql_time += middle.elapsed();
    out.comparisons += 1;
    out.edges += graph.edges.len();
    if want == got {
        return;
    }
    out.mismatches += 1;
    if out.reports.len() < REPORTS {
        let engine_hits = engine.lineage(&seed.name, &seed.field, dir, depth);
        let at = want.iter().zip(&got).take_while(|(a, b)| a == b).count();
        let near = |json: &[u8]| {
            String::from_utf8_lossy(&json[at.saturating_sub(80)..])
                .chars()
                .take(240)
                .collect::<String>()
        };
        out.reports.push(format!(
            "{}seed {seed:?} direction {} depth {depth}\n\
             engine pairs:\n{}sql pairs:\n{}\
             graphs differ at byte {at}:\n  engine: …{}\n  sql:    …{}\n",
            job.graph.map(|g| g.describe()).unwrap_or_default(),
            dir.as_str(),
            pairs(&engine_hits),
            pairs(&hits),
            near(&want),
            near(&got),
        ));
    }
}

/// (row, depth) pairs one per line, for failure messages.
fn pairs(hits: &[LineageHit]) -> String {
    hits.iter()
        .map(|h| {
            let r = &h.row;
            format!(
                "  {} {:<5} {}/{} -> {}/{} {}/{} {:?} ns={}|{}\n",
                h.depth,
                r.lineage_id,
                r.source_dataset,
                r.source_field,
                r.target_dataset,
                r.target_field,
                r.transformation_type,
                r.transformation_subtype,
                r.confidence_score,
                r.source_namespace,
                r.target_namespace
            )
        })
        .collect()
}

/// Every comparison of the work, on `threads` threads.
fn run(
    engine: &Engine,
    source: &dyn LineageSource,
    jobs: &[Job<'_>],
    work: &[Work],
    threads: usize,
) -> Outcome {
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || {
                    let mut out = Outcome::default();
                    for w in work.iter().skip(t).step_by(threads) {
                        let job = &jobs[w.job];
                        let seed = &job.seeds[w.seed];
                        for &depth in &w.depths {
                            compare(engine, source, job, seed, w.dir, depth, &mut out);
                        }
                    }
                    out
                })
            })
            .collect();
        let mut total = Outcome::default();
        for h in handles {
            total.add(h.join().expect("a comparison thread panicked"));
        }
        total
    })
}

/// Run the jobs, print the evidence, and fail on any mismatch or fewer than `min`
/// comparisons.
fn check(label: &str, source: &dyn LineageSource, jobs: &[Job<'_>], threads: usize, min: usize) {
    let engine = Engine::new(source.active_lineage().expect("active lineage"));
    let work = plan(&engine, jobs);
    let planned: usize = work.iter().map(|w| w.depths.len()).sum();
    let started = Instant::now();
    let out = run(&engine, source, jobs, &work, threads);
    eprintln!(
        "{label}: {} engine-vs-SQL graph comparisons ({} seeds, {} edges in all), \
         {} mismatches, in {:?} (engine {:?}, SQL {:?} over all threads)",
        out.comparisons,
        jobs.iter().map(|j| j.seeds.len()).sum::<usize>(),
        out.edges,
        out.mismatches,
        started.elapsed(),
        out.engine_time,
        out.sql_time
    );
    assert_eq!(
        out.mismatches,
        0,
        "{label}: the engine and the SQL disagree; first cases:\n{}",
        out.reports.join("\n")
    );
    assert_eq!(out.comparisons, planned, "{label}: every comparison ran");
    assert!(
        out.comparisons >= min,
        "{label}: {} < {min}",
        out.comparisons
    );
    assert!(out.edges > 0, "{label}: the traversals found rows");
}

/// The random warehouse in a new SQLite file.
fn random_sqlite(w: &Warehouse, dir: &std::path::Path) -> SqliteSource {
    let path = dir.join("random.sqlite");
    let conn = rusqlite::Connection::open(&path).expect("create SQLite file");
    conn.execute_batch(&w.sql())
        .expect("load the random warehouse");
    conn.execute_batch("ANALYZE;").expect("analyze");
    drop(conn);
    SqliteSource::open(&path).expect("open the random warehouse")
}

/// The shapes the generator promises are really in the warehouse.
fn assert_shapes(w: &Warehouse) {
    let (mut loops, mut shared, mut copies, mut inactive, mut parallel, mut fans) =
        (0, 0, 0, 0, 0, 0);
    for g in &w.graphs {
        for (i, r) in g.rows.iter().enumerate() {
            loops += usize::from(r.source == r.target);
            inactive += usize::from(r.is_active != Some("Y"));
            let later = &g.rows[i + 1..];
            shared += later
                .iter()
                .filter(|o| o.lineage_id == r.lineage_id && *o != r)
                .count();
            copies += later
                .iter()
                .filter(|o| o.lineage_id == r.lineage_id && o.source == r.source)
                .filter(|o| o.target == r.target && o.types == r.types)
                .filter(|o| o.confidence == r.confidence)
                .count();
            parallel += later
                .iter()
                .filter(|o| o.lineage_id != r.lineage_id && o.source == r.source)
                .filter(|o| o.target == r.target)
                .count();
            fans += usize::from(g.rows.iter().filter(|o| o.source == r.source).count() >= 3);
        }
    }
    let inactive_datasets = w
        .graphs
        .iter()
        .flat_map(|g| &g.datasets)
        .filter(|d| !d.is_active)
        .count();
    let counts = [
        loops,
        shared,
        copies,
        inactive,
        parallel,
        fans,
        inactive_datasets,
    ];
    eprintln!(
        "random warehouse: {} graphs, {} rows; self-loops {loops}, shared ids {shared}, \
         copies {copies}, inactive rows {inactive}, parallel rows {parallel}, \
         rows in fans {fans}, inactive datasets {inactive_datasets}",
        w.graphs.len(),
        w.row_count()
    );
    assert!(counts.iter().all(|&n| n > 20), "{counts:?}");
}

#[test]
fn engine_equals_recursive_sql_on_sqlite() {
    let w = Warehouse::generate(GRAPHS, SEED);
    assert_shapes(&w);
    let dir = tempfile::tempdir().expect("temp dir");
    let source = random_sqlite(&w, dir.path());
    let jobs = graph_jobs(&w, SQLITE_FULL_EVERY, SQLITE_DEPTHS);
    check(
        "SQLite, random graphs",
        &source,
        &jobs,
        2,
        MIN_RANDOM_SQLITE,
    );

    let demo = dir.path().join("demo.sqlite");
    create_demo(&demo, false).expect("demo warehouse");
    let source = SqliteSource::open(&demo).expect("open demo");
    let engine = Engine::new(source.active_lineage().expect("active lineage"));
    let jobs = demo_jobs(&source, &engine, Depths::Full);
    check("SQLite, demo warehouse", &source, &jobs, 2, MIN_DEMO);
}

#[test]
fn engine_equals_recursive_sql_on_postgres_through_odbc() {
    let w = Warehouse::generate(GRAPHS, SEED);
    let pg = Postgres::start();
    let mut sql = String::from("SET client_encoding = 'UTF8';\n");
    sql.push_str(&w.sql());
    pg.load_sql("lineage", &sql);
    pg.psql("lineage", &["-c", "ANALYZE"]);
    let options = OdbcOptions {
        pool_size: 4,
        ..OdbcOptions::default()
    };
    let source = OdbcSource::connect(&pg.odbc_connection_string(), options.clone())
        .expect("connect through psqlODBC");
    let jobs = graph_jobs(&w, PG_FULL_EVERY, PG_DEPTHS);
    check(
        "PostgreSQL/ODBC, random graphs",
        &source,
        &jobs,
        4,
        MIN_RANDOM_PG,
    );

    pg.create_database("demo");
    let demo = demo_sql(Dialect::Postgres, None, 42).expect("demo SQL");
    pg.load_sql("demo", &demo);
    pg.psql("demo", &["-c", "ANALYZE"]);
    let source = OdbcSource::connect(&pg.odbc_connection_string_for("demo"), options)
        .expect("connect through psqlODBC");
    let engine = Engine::new(source.active_lineage().expect("active lineage"));
    let jobs = demo_jobs(&source, &engine, Depths::Dense);
    check(
        "PostgreSQL/ODBC, demo warehouse",
        &source,
        &jobs,
        4,
        MIN_DEMO_PG,
    );
}
