//! Random lineage warehouses for comparing the traversal engine with the recursive SQL.
//!
//! A [`Warehouse`] holds thousands of small, independent random graphs (2–8 columns, 0–20
//! lineage rows each). Graph `k` only names datasets `g{k:05}.T{d}`, so no row of one
//! graph touches a column of another, and every graph can be checked on its own inside
//! one database. The shapes are the ones that break naive traversals: cycles, diamonds,
//! fans, self-loops, parallel rows between the same columns, rows sharing a `lineage_id`
//! (exact duplicates, the same endpoints with other attributes, and other endpoints),
//! inactive rows (`is_active` `N` or NULL), inactive datasets and columns whose dataset
//! has no `OL_DATASET` row. `lineage_id`s are short strings of digits and letters of both
//! cases (and the odd `é`), so their byte order differs from a case-insensitive or
//! locale order; ids also repeat across graphs.
//!
//! The recursive SQL enumerates every walk, so a dense cycle at depth 20 could need
//! billions of rows. The generator therefore drops rows from a graph until, from every
//! column and in both directions, at most [`MAX_WALKS`] walks of up to 20 rows exist.
//! Everything is deterministic from the seed (a splitmix64, no dependency).
use std::collections::HashSet;
use std::fmt::Write as _;

/// Most walks (paths that never reuse a `lineage_id`, up to 20 rows) from any column.
pub const MAX_WALKS: usize = 300;
/// The depth the walk bound is computed for.
pub const MAX_DEPTH: u32 = 20;

/// The splitmix64 generator.
#[derive(Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True with probability `pct` percent.
    pub fn chance(&mut self, pct: u64) -> bool {
        self.next_u64() % 100 < pct
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Namespace URIs and ids of the warehouse.
pub const NAMESPACES: [(&str, &str); 2] = [
    ("0a1b2c3d4e5f6071", "teradata://prod-td:1025"),
    ("f0e1d2c3b4a59687", "teradata://dev-td:1025"),
];
const ID_CHARS: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const TYPES: [(Option<&str>, Option<&str>); 6] = [
    (Some("DIRECT"), Some("IDENTITY")),
    (Some("DIRECT"), Some("TRANSFORMATION")),
    (Some("DIRECT"), Some("AGGREGATION")),
    (Some("INDIRECT"), Some("JOIN")),
    (Some("INDIRECT"), Some("FILTER")),
    (None, None),
];
const CONFIDENCE: [Option<&str>; 6] = [
    Some("0.95"),
    Some("1.00"),
    Some("0.50"),
    Some("0.05"),
    Some("0.80"),
    None,
];

/// A column: (dataset name, field).
pub type Column = (String, String);

/// One `OL_COLUMN_LINEAGE` row as written.
#[derive(Debug, Clone, PartialEq)]
pub struct LinRow {
    pub lineage_id: String,
    pub run_id: String,
    pub source_namespace: &'static str,
    pub source: Column,
    pub target_namespace: &'static str,
    pub target: Column,
    pub types: (Option<&'static str>, Option<&'static str>),
    pub confidence: Option<&'static str>,
    /// `Y`, `N` or NULL.
    pub is_active: Option<&'static str>,
}

impl LinRow {
    fn active(&self) -> bool {
        self.is_active == Some("Y")
    }
}

/// One `OL_DATASET` row.
#[derive(Debug, Clone, PartialEq)]
pub struct DatasetRow {
    pub id: String,
    pub namespace_id: &'static str,
    pub name: String,
    pub is_active: bool,
}

/// One random graph: its datasets, its columns and its rows.
#[derive(Debug, Clone)]
pub struct RandomGraph {
    pub index: usize,
    /// Datasets with an `OL_DATASET` row (some columns' datasets have none).
    pub datasets: Vec<DatasetRow>,
    pub columns: Vec<Column>,
    pub rows: Vec<LinRow>,
    /// The most rows of any walk over the active rows (so every depth above it gives the
    /// same lineage as this depth), at most [`MAX_DEPTH`].
    #[allow(dead_code)] // computing it bounds the graph; no test reads the number itself
    pub longest_walk: u32,
}

impl RandomGraph {
    /// The `dataset_id` of a dataset name, when the dataset has a row.
    pub fn dataset_id(&self, name: &str) -> Option<&str> {
        self.datasets
            .iter()
            .find(|d| d.name == name)
            .map(|d| d.id.as_str())
    }

    /// The rows, one per line, for failure messages.
    pub fn describe(&self) -> String {
        let mut out = format!("graph {} ({} rows):\n", self.index, self.rows.len());
        for r in &self.rows {
            let _ = writeln!(
                out,
                "  {:<5} {}/{} -> {}/{}  {:?} {:?} active={:?} ns={}|{}",
                r.lineage_id,
                r.source.0,
                r.source.1,
                r.target.0,
                r.target.1,
                r.types,
                r.confidence,
                r.is_active,
                r.source_namespace,
                r.target_namespace
            );
        }
        for d in &self.datasets {
            let _ = writeln!(out, "  dataset {} active={}", d.id, d.is_active);
        }
        out
    }
}

/// Builds one graph.
struct GraphGen<'r> {
    rng: &'r mut SplitMix64,
    index: usize,
    columns: Vec<Column>,
    rows: Vec<LinRow>,
}

impl GraphGen<'_> {
    fn new_id(&mut self) -> String {
        let len = 1 + self.rng.below(3);
        let mut id: String = (0..len).map(|_| *self.rng.pick(ID_CHARS) as char).collect();
        if self.rng.chance(2) {
            id.push('é');
        }
        id
    }

    fn column(&mut self) -> Column {
        self.columns[self.rng.below(self.columns.len())].clone()
    }

    /// `k` distinct random columns (fewer if the graph has fewer).
    fn distinct(&mut self, k: usize) -> Vec<Column> {
        let mut cols = self.columns.clone();
        for i in (1..cols.len()).rev() {
            cols.swap(i, self.rng.below(i + 1));
        }
        cols.truncate(k);
        cols
    }

    fn row(&mut self, source: Column, target: Column) -> LinRow {
        let is_active = match self.rng.below(100) {
            0..=3 => None,
            4..=13 => Some("N"),
            _ => Some("Y"),
        };
        let run = self.rng.below(1000);
        LinRow {
            lineage_id: self.new_id(),
            run_id: format!("run-{}-{run}", self.index),
            source_namespace: self.rng.pick(&NAMESPACES).1,
            source,
            target_namespace: self.rng.pick(&NAMESPACES).1,
            target,
            types: *self.rng.pick(&TYPES),
            confidence: *self.rng.pick(&CONFIDENCE),
            is_active,
        }
    }

    fn edge(&mut self, a: Column, b: Column) {
        let r = self.row(a, b);
        self.rows.push(r);
    }

    /// Add one shape (or one variant of an existing row).
    fn shape(&mut self) {
        match self.rng.below(12) {
            0 => {
                let c = self.column();
                self.edge(c.clone(), c);
            }
            1 | 2 => {
                let k = 2 + self.rng.below(3);
                let cs = self.distinct(k);
                for i in 0..cs.len() {
                    self.edge(cs[i].clone(), cs[(i + 1) % cs.len()].clone());
                }
            }
            3 => {
                let cs = self.distinct(4);
                if let [a, b, c, d] = &cs[..] {
                    self.edge(a.clone(), b.clone());
                    self.edge(a.clone(), c.clone());
                    self.edge(b.clone(), d.clone());
                    self.edge(c.clone(), d.clone());
                }
            }
            4 | 5 => {
                let k = 2 + self.rng.below(4);
                let cs = self.distinct(k);
                let out = self.rng.chance(50);
                for c in &cs[1..] {
                    let (s, t) = if out { (&cs[0], c) } else { (c, &cs[0]) };
                    self.edge(s.clone(), t.clone());
                }
            }
            6..=8 if !self.rows.is_empty() => self.variant(),
            _ => {
                let (a, b) = (self.column(), self.column());
                self.edge(a, b);
            }
        }
    }

    /// A row related to an existing one: parallel (same endpoints, new id), the same id
    /// with other attributes, an exact copy (another run), or the same id elsewhere.
    fn variant(&mut self) {
        let base = self.rows[self.rng.below(self.rows.len())].clone();
        let mut r = self.row(base.source.clone(), base.target.clone());
        match self.rng.below(4) {
            0 => {}
            1 => r.lineage_id = base.lineage_id,
            2 => {
                r = LinRow {
                    run_id: format!("{}-again", base.run_id),
                    ..base
                }
            }
            _ => {
                r.lineage_id = base.lineage_id;
                r.source = self.column();
                r.target = self.column();
            }
        }
        self.rows.push(r);
    }
}

/// Walks from one column: how many (up to a cap) and the longest.
#[derive(Default)]
struct WalkCount {
    n: usize,
    longest: u32,
}

/// Count walks from `at` (up to [`MAX_DEPTH`] rows, no `lineage_id` twice), stopping once
/// `cap` is passed.
fn walks(
    rows: &[&LinRow],
    at: &Column,
    up: bool,
    depth: u32,
    used: &mut Vec<String>,
    count: &mut WalkCount,
    cap: usize,
) {
    for r in rows {
        let (near, far) = if up {
            (&r.target, &r.source)
        } else {
            (&r.source, &r.target)
        };
        if near != at || used.contains(&r.lineage_id) || count.n > cap {
            continue;
        }
        count.n += 1;
        count.longest = count.longest.max(depth);
        if depth < MAX_DEPTH {
            used.push(r.lineage_id.clone());
            walks(rows, far, up, depth + 1, used, count, cap);
            used.pop();
        }
    }
}

/// The longest walk from any column in either direction, or `None` when some column has
/// more than [`MAX_WALKS`] walks in some direction.
fn longest_walk(columns: &[Column], rows: &[LinRow]) -> Option<u32> {
    let active: Vec<&LinRow> = rows.iter().filter(|r| r.active()).collect();
    let mut longest = 0;
    for c in columns {
        for up in [true, false] {
            let mut count = WalkCount::default();
            walks(&active, c, up, 1, &mut Vec::new(), &mut count, MAX_WALKS);
            if count.n > MAX_WALKS {
                return None;
            }
            longest = longest.max(count.longest);
        }
    }
    Some(longest)
}

/// One random graph number `index`.
pub fn random_graph(index: usize, rng: &mut SplitMix64) -> RandomGraph {
    let ncols = 2 + rng.below(7);
    let ndatasets = 1 + rng.below(ncols.min(3));
    let columns: Vec<Column> = (0..ncols)
        .map(|i| {
            let field = if rng.chance(20) {
                format!("Col_{i}")
            } else {
                format!("c{i}")
            };
            (format!("g{index:05}.T{}", i % ndatasets), field)
        })
        .collect();
    let target = rng.below(21);
    let mut gen = GraphGen {
        rng,
        index,
        columns,
        rows: Vec::new(),
    };
    while gen.rows.len() < target {
        gen.shape();
    }
    gen.rows.truncate(target);
    let longest_walk = loop {
        match longest_walk(&gen.columns, &gen.rows) {
            Some(n) => break n,
            None => {
                let i = gen.rng.below(gen.rows.len());
                gen.rows.remove(i);
            }
        }
    };
    let mut datasets = Vec::new();
    let names: HashSet<&String> = gen.columns.iter().map(|c| &c.0).collect();
    let mut names: Vec<&String> = names.into_iter().collect();
    names.sort();
    for name in names {
        if gen.rng.chance(10) {
            continue; // a dataset without an OL_DATASET row
        }
        let ns = gen.rng.pick(&NAMESPACES).0;
        datasets.push(DatasetRow {
            id: format!("{ns}/{name}"),
            namespace_id: ns,
            name: name.clone(),
            is_active: !gen.rng.chance(20),
        });
    }
    RandomGraph {
        index,
        datasets,
        columns: gen.columns,
        rows: gen.rows,
        longest_walk,
    }
}

/// Every graph of one warehouse.
pub struct Warehouse {
    pub graphs: Vec<RandomGraph>,
}

impl Warehouse {
    /// `n` random graphs from `seed`.
    pub fn generate(n: usize, seed: u64) -> Warehouse {
        let mut rng = SplitMix64::new(seed);
        Warehouse {
            graphs: (0..n).map(|i| random_graph(i, &mut rng)).collect(),
        }
    }

    /// Number of lineage rows over all graphs.
    pub fn row_count(&self) -> usize {
        self.graphs.iter().map(|g| g.rows.len()).sum()
    }

    /// The whole warehouse as portable SQL (SQLite and PostgreSQL): the `OL_*` tables with
    /// the demo's columns and types (no key on `OL_COLUMN_LINEAGE`, so ids may repeat),
    /// multi-row INSERTs, the demo's lineage indexes, in one transaction.
    pub fn sql(&self) -> String {
        let mut out = String::from("BEGIN;\n");
        out.push_str(DDL);
        let ns: Vec<String> = NAMESPACES
            .iter()
            .map(|(id, uri)| format!("({}, {}, NULL, '1.0', {TS})", lit(id), lit(uri)))
            .collect();
        insert(&mut out, "OL_NAMESPACE", &ns);
        for chunk in self.graphs.chunks(200) {
            let datasets: Vec<String> = chunk
                .iter()
                .flat_map(|g| &g.datasets)
                .map(dataset_values)
                .collect();
            insert(&mut out, "OL_DATASET", &datasets);
            let rows: Vec<String> = chunk
                .iter()
                .flat_map(|g| &g.rows)
                .map(lineage_values)
                .collect();
            insert(&mut out, "OL_COLUMN_LINEAGE", &rows);
        }
        out.push_str(INDEXES);
        out.push_str("COMMIT;\n");
        out
    }
}

const TS: &str = "'2026-01-15 10:00:00'";

const DDL: &str = "CREATE TABLE OL_NAMESPACE (namespace_id VARCHAR(64) PRIMARY KEY, \
namespace_uri VARCHAR(512), description VARCHAR(2000), spec_version VARCHAR(20), \
created_at TIMESTAMP(6));
CREATE TABLE OL_DATASET (dataset_id VARCHAR(256) PRIMARY KEY, namespace_id VARCHAR(64), \
name VARCHAR(256), description VARCHAR(2000), source_type VARCHAR(50), \
created_at TIMESTAMP(6), updated_at TIMESTAMP(6), is_active CHAR(1));
CREATE TABLE OL_DATASET_FIELD (field_id VARCHAR(512) PRIMARY KEY, dataset_id VARCHAR(256), \
field_name VARCHAR(256), field_type VARCHAR(256), field_description VARCHAR(2000), \
ordinal_position INTEGER, nullable CHAR(1), created_at TIMESTAMP(6));
CREATE TABLE OL_COLUMN_LINEAGE (lineage_id VARCHAR(64), run_id VARCHAR(64), \
source_namespace VARCHAR(512), source_dataset VARCHAR(256), source_field VARCHAR(256), \
target_namespace VARCHAR(512), target_dataset VARCHAR(256), target_field VARCHAR(256), \
transformation_type VARCHAR(20), transformation_subtype VARCHAR(50), \
transformation_description VARCHAR(2000), masking CHAR(1), confidence_score DECIMAL(3,2), \
discovered_at TIMESTAMP(6), is_active CHAR(1));
";

const INDEXES: &str = "CREATE INDEX ix_dataset_name ON OL_DATASET (name);
CREATE INDEX ix_lineage_target ON OL_COLUMN_LINEAGE (target_dataset, target_field);
CREATE INDEX ix_lineage_source ON OL_COLUMN_LINEAGE (source_dataset, source_field);
";

/// A SQL string literal.
fn lit(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn opt(s: Option<&str>) -> String {
    s.map_or_else(|| "NULL".to_string(), lit)
}

fn insert(out: &mut String, table: &str, values: &[String]) {
    for chunk in values.chunks(500) {
        let _ = writeln!(out, "INSERT INTO {table} VALUES\n{};", chunk.join(",\n"));
    }
}

fn dataset_values(d: &DatasetRow) -> String {
    let active = if d.is_active { "'Y'" } else { "'N'" };
    format!(
        "({}, {}, {}, NULL, 'TABLE', {TS}, {TS}, {active})",
        lit(&d.id),
        lit(d.namespace_id),
        lit(&d.name)
    )
}

fn lineage_values(r: &LinRow) -> String {
    let confidence = r.confidence.unwrap_or("NULL");
    format!(
        "({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, NULL, 'N', {confidence}, {TS}, {})",
        lit(&r.lineage_id),
        lit(&r.run_id),
        lit(r.source_namespace),
        lit(&r.source.0),
        lit(&r.source.1),
        lit(r.target_namespace),
        lit(&r.target.0),
        lit(&r.target.1),
        opt(r.types.0),
        opt(r.types.1),
        opt(r.is_active),
    )
}
