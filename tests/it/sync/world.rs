//! One test's world: a Redis (standalone or a three-primary cluster), a warehouse (the demo
//! or a random one in SQLite, or the demo in a private PostgreSQL read through ODBC), the
//! built CLI pointed at both, and the truth: what the API computes now, by the per-key SQL.
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use crate::common::random_lineage::{SplitMix64, Warehouse};
use crate::common::{bin, Demo, Postgres, RedisCluster, RedisServer, Target};
use lineage_cache::answer::{compute, Computed, GraphMode};
use lineage_cache::config::Ttls;
use lineage_cache::keys::{parse, Key, Parsed};
use lineage_cache::source::odbc::{OdbcOptions, OdbcSource};
use lineage_cache::source::sqlite::SqliteSource;
use lineage_cache::source::LineageSource;
use serde_json::Value;

use super::populate::{Dest, Populate, Run, Tables};

/// The API's default depth (`VALIDATION_DEFAULT_MAX_DEPTH`).
pub const DEPTH: u32 = 5;
/// The snapshot key of database 0.
pub const SNAPSHOT: &str = "lineage-cache:snapshot:0";

pub enum Redis {
    Standalone(RedisServer),
    Cluster(RedisCluster),
}

impl Redis {
    /// A new admin connection.
    pub fn target(&self) -> Target {
        match self {
            Redis::Standalone(s) => Target::standalone(s),
            Redis::Cluster(c) => Target::cluster(c),
        }
    }
}

pub enum Db {
    Sqlite(Demo),
    /// The demo in PostgreSQL; `copy` holds the same rows in SQLite, to read them from.
    Postgres {
        pg: Postgres,
        copy: Demo,
    },
}

impl Db {
    pub fn demo() -> Db {
        Db::Sqlite(Demo::create())
    }

    /// A random warehouse of `graphs` graphs (common/random_lineage.rs).
    pub fn random(graphs: usize, seed: u64) -> Db {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("random.sqlite");
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch(&Warehouse::generate(graphs, seed).sql())
            .unwrap();
        Db::Sqlite(Demo::from_file(dir, path))
    }

    pub fn postgres() -> Db {
        use lineage_cache::source::demo::demo_sql;
        let pg = Postgres::start();
        let dialect = lineage_cache::source::sql::Dialect::Postgres;
        pg.load_sql("lineage", &demo_sql(dialect, None, 42).unwrap());
        Db::Postgres {
            pg,
            copy: Demo::create(),
        }
    }

    /// The CLI's `--source`.
    pub fn spec(&self) -> String {
        match self {
            Db::Sqlite(d) => d.spec(),
            Db::Postgres { pg, .. } => format!("odbc:{}", pg.odbc_connection_string()),
        }
    }

    /// The source as the library reads it (the per-key SQL's).
    pub fn source(&self) -> Box<dyn LineageSource> {
        match self {
            Db::Sqlite(d) => Box::new(SqliteSource::open(&d.path).unwrap()),
            Db::Postgres { pg, .. } => {
                let options = OdbcOptions::default();
                Box::new(OdbcSource::connect(&pg.odbc_connection_string(), options).unwrap())
            }
        }
    }

    /// The rows before any run.
    pub fn tables(&self) -> Tables {
        match self {
            Db::Sqlite(d) | Db::Postgres { copy: d, .. } => Tables::read(&d.path),
        }
    }

    fn dest(&self) -> Dest {
        match self {
            Db::Sqlite(d) => Dest::Sqlite(d.path.clone()),
            Db::Postgres { pg, .. } => Dest::Psql(pg.psql_argv("lineage")),
        }
    }
}

/// How a run of the CLI ended.
pub struct Ran {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Ran {
    /// The JSON report (whatever the exit code).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}{}", self.stdout, self.stderr))
    }

    /// The run succeeded.
    pub fn success(&self) {
        assert_eq!(self.code, 0, "{}{}", self.stdout, self.stderr);
    }

    /// The report of a run that succeeded.
    pub fn ok(&self) -> Value {
        assert_eq!(self.code, 0, "{}{}", self.stdout, self.stderr);
        self.json()
    }
}

pub struct World {
    pub redis: Redis,
    pub db: Db,
    /// The admin connection.
    pub t: Target,
    pub dir: tempfile::TempDir,
    /// Populate programs written so far (each in a directory of its own).
    runs: std::sync::atomic::AtomicUsize,
}

impl World {
    pub fn new(redis: Redis, db: Db) -> World {
        World {
            t: redis.target(),
            redis,
            db,
            dir: tempfile::tempdir().unwrap(),
            runs: Default::default(),
        }
    }

    pub fn standalone(db: Db) -> World {
        World::new(Redis::Standalone(RedisServer::start()), db)
    }

    pub fn cli(&self, args: &[&str]) -> Ran {
        let out = bin()
            .args(&self.t.flags)
            .args(["--source", &self.db.spec()])
            .args(args)
            .output()
            .unwrap();
        Ran {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// `sync` with `args` and the JSON report.
    pub fn sync(&self, args: &[&str]) -> Ran {
        let mut all = vec!["sync", "--yes", "--format", "json"];
        all.extend(args);
        self.cli(&all)
    }

    /// `sync ARGS -- POPULATE`.
    pub fn sync_around(&self, args: &[&str], p: &Populate) -> Ran {
        let mut all = args.to_vec();
        all.push("--");
        all.extend(p.argv.iter().map(String::as_str));
        self.sync(&all)
    }

    /// The populate program writing `tables` into this world's warehouse.
    pub fn populate(&self, tables: &Tables, run: &Run) -> Populate {
        let n = self.runs.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let dir = self.dir.path().join(format!("run{n}"));
        std::fs::create_dir(&dir).unwrap();
        Populate::new(&dir, &self.db.dest(), tables, run)
    }

    /// `warm --all` in both key forms (it saves the first snapshot), then [`Self::plant`].
    pub fn warm(&self) {
        self.cli(&["warm", "--all", "--key-form", "both"]).success();
        self.plant();
    }

    /// What the API caches beyond a warm: the escaped-id graphs an id-form request makes
    /// it write (every tenth graph), list pages of other limits and offsets, search pages.
    pub fn plant(&self) {
        let source = self.db.source();
        let mut planted = Vec::new();
        for (i, k) in self.t.keys().iter().enumerate() {
            for key in more_keys(k, i) {
                if let Some(v) = value(&key, source.as_ref()) {
                    planted.push((key.render().into_bytes(), v, ttl(&key)));
                }
            }
        }
        assert!(planted.len() > 10);
        self.t.put(&planted);
    }

    /// The server's clock as `--started-at` takes it, after the clock passed every write so
    /// far by more than sync's 1 s of slack (so the ages of those writes say "before").
    pub fn start_clock(&self) -> String {
        std::thread::sleep(Duration::from_millis(1_200));
        let out = self.t.cli(&["TIME"]);
        let mut parts = out.lines().map(|l| l.trim().parse::<i64>().unwrap());
        let (secs, micros) = (parts.next().unwrap(), parts.next().unwrap());
        let ts = lineage_cache::model::Timestamp {
            secs,
            nanos: (micros * 1000) as u32,
        };
        ts.to_rfc3339()
    }

    /// Every cached `ol:` key with its value and PTTL.
    pub fn cache(&self) -> BTreeMap<String, (Vec<u8>, i64)> {
        let mut dump = self.t.dump();
        dump.retain(|k, _| k.starts_with("ol:"));
        dump
    }

    /// The cached keys whose value is not what the API computes now.
    pub fn untrue(&self) -> BTreeSet<String> {
        let source = self.db.source();
        let mut out = BTreeSet::new();
        for (k, (v, _)) in self.cache() {
            let Parsed::Key(key) = parse(&k) else {
                panic!("{k}: not a key the API builds")
            };
            if value(&key, source.as_ref()).as_ref() != Some(&v) {
                out.insert(k);
            }
        }
        out
    }

    /// Every cached value is what the API computes now, under a TTL its class allows;
    /// how many keys are cached.
    pub fn assert_true(&self) -> usize {
        let cache = self.cache();
        for (k, (_, pttl)) in &cache {
            let Parsed::Key(key) = parse(k) else {
                panic!("{k}")
            };
            let class = ttl(&key) as i64 * 1000;
            assert!(*pttl > 0 && *pttl <= class, "{k}: PTTL {pttl} of {class}");
        }
        let untrue = self.untrue();
        assert!(
            untrue.is_empty(),
            "not what the API computes now: {untrue:#?}"
        );
        cache.len()
    }

    /// The saved snapshot, if any.
    pub fn snapshot(&self) -> Option<Vec<u8>> {
        self.t.get(SNAPSHOT)
    }
}

/// Keys the API may cache beside the warmed key `k` (the `i`th).
fn more_keys(k: &str, i: usize) -> Vec<Key> {
    match parse(k) {
        Parsed::Key(Key::LineageGraph {
            dataset,
            field,
            direction,
        }) if dataset.contains('/') && i.is_multiple_of(10) => vec![Key::LineageGraph {
            dataset: lineage_cache::route::encode_uri_component(&dataset),
            field,
            direction,
        }],
        Parsed::Key(Key::DatasetList { namespace, .. }) => [(7, 0), (7, 7), (500, 3)]
            .map(|(limit, offset)| Key::DatasetList {
                namespace: namespace.clone(),
                limit,
                offset,
            })
            .to_vec(),
        Parsed::Key(Key::DatasetGet { dataset }) if i.is_multiple_of(7) => {
            let name = dataset.rsplit('/').next().unwrap_or(&dataset);
            let q: String = name.chars().skip(3).collect();
            [100, 5]
                .map(|limit| Key::DatasetSearch {
                    query: lineage_cache::keys::search::search_query(&q),
                    limit,
                })
                .to_vec()
        }
        _ => Vec::new(),
    }
}

/// What the API computes for `key` now (per-key SQL, the default depth), if it caches it.
pub fn value(key: &Key, source: &dyn LineageSource) -> Option<Vec<u8>> {
    match compute(key, source, GraphMode::PerKey, DEPTH).unwrap() {
        Computed::Value(v) => Some(v),
        Computed::NotCached(_) => None,
    }
}

/// The API's TTL for `key`: its class's, no jitter.
pub fn ttl(key: &Key) -> u64 {
    key.ttl_class().seconds(&Ttls::default())
}

/// Hot keys the API keeps serving: every eighth one-direction graph (the API cannot write
/// `both`), every list and search page, every tenth dataset and field list, the namespace
/// list, and escaped-id graphs not cached yet.
pub fn hot_keys(keys: &BTreeSet<String>, rng: &mut SplitMix64) -> Vec<String> {
    let mut hot = Vec::new();
    for k in keys {
        let Parsed::Key(key) = parse(k) else { continue };
        let pick = match &key {
            Key::LineageGraph { direction, .. } => {
                *direction != lineage_cache::model::Direction::Both && rng.chance(12)
            }
            Key::DatasetList { .. } | Key::DatasetSearch { .. } | Key::NamespaceList => true,
            Key::DatasetGet { .. } | Key::FieldList { .. } => rng.chance(10),
            _ => false,
        };
        if pick {
            hot.push(k.clone());
        }
        if let Key::LineageGraph {
            dataset,
            field,
            direction,
        } = key
        {
            let one_way = direction != lineage_cache::model::Direction::Both;
            if one_way && dataset.contains('/') && rng.chance(3) {
                let dataset = lineage_cache::route::encode_uri_component(&dataset);
                let escaped = Key::LineageGraph {
                    dataset,
                    field,
                    direction,
                };
                if !keys.contains(&escaped.render()) {
                    hot.push(escaped.render());
                }
            }
        }
    }
    hot
}
