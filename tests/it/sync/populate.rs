//! The upstream `populate_lineage.py` reproduced (contract §5): the tables as they are read
//! from a SQLite copy of the warehouse, changed as a new run of the script would find the
//! lineage (rows dropped, re-pointed, re-typed and added; a dataset renamed and one dropped
//! with its fields and rows; every row stamped "now" and active), and written back as the
//! script writes them: three `DELETE`s, then one `INSERT` a row, each autocommitted, by
//! `populate.py` (SQLite through Python's `sqlite3`, PostgreSQL through a `psql` session).
use std::path::{Path, PathBuf};

use crate::common::random_lineage::SplitMix64;
use rusqlite::types::Value;

/// The populate program, written next to its configuration.
const SCRIPT: &str = include_str!("populate.py");

/// The time every re-inserted row is stamped with (`CURRENT_TIMESTAMP(0)` of the run).
pub const NOW: &str = "2026-12-05 02:00:00";

/// How many statements of a run are `DELETE`s (they come first).
pub const DELETES: usize = 3;

/// One table's rows, every column.
#[derive(Clone)]
pub struct Table {
    pub name: &'static str,
    pub cols: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

impl Table {
    fn read(c: &rusqlite::Connection, name: &'static str, filter: &str) -> Table {
        let mut st = c
            .prepare(&format!("SELECT * FROM {name} {filter} ORDER BY rowid"))
            .unwrap();
        let cols = st.column_names().iter().map(|s| s.to_lowercase()).collect();
        let n = st.column_count();
        let rows = st
            .query_map([], |r| (0..n).map(|i| r.get::<_, Value>(i)).collect())
            .unwrap()
            .map(Result::unwrap)
            .collect();
        Table { name, cols, rows }
    }

    fn col(&self, name: &str) -> usize {
        self.cols.iter().position(|c| c == name).unwrap()
    }

    /// The text of column `name` of row `i` (empty for NULL).
    pub fn text(&self, i: usize, name: &str) -> String {
        match &self.rows[i][self.col(name)] {
            Value::Text(s) => s.clone(),
            _ => String::new(),
        }
    }

    fn set(&mut self, i: usize, name: &str, v: &str) {
        let c = self.col(name);
        self.rows[i][c] = Value::Text(v.to_string());
    }

    fn set_all(&mut self, name: &str, v: &str) {
        for i in 0..self.rows.len() {
            self.set(i, name, v);
        }
    }

    fn inserts(&self, out: &mut Vec<String>) {
        let head = format!(
            "INSERT INTO {} ({}) VALUES",
            self.name,
            self.cols.join(", ")
        );
        for row in &self.rows {
            let values: Vec<String> = row.iter().map(literal).collect();
            out.push(format!("{head} ({})", values.join(", ")));
        }
    }
}

fn literal(v: &Value) -> String {
    match v {
        Value::Null => "NULL".into(),
        Value::Integer(i) => i.to_string(),
        Value::Real(r) => format!("{r}"),
        Value::Text(s) => format!("'{}'", s.replace('\'', "''")),
        Value::Blob(_) => panic!("no blobs in the OL_ tables"),
    }
}

/// The three tables the script rewrites (the lineage: its active rows).
#[derive(Clone)]
pub struct Tables {
    pub datasets: Table,
    pub fields: Table,
    pub lineage: Table,
}

/// What [`Tables::mutate`] did.
#[derive(Debug, Default)]
pub struct Mutation {
    pub dropped: usize,
    pub repointed: usize,
    pub retyped: usize,
    pub added: usize,
    /// (old name, new name).
    pub renamed: (String, String),
    pub dropped_dataset: String,
}

impl Tables {
    pub fn read(path: &Path) -> Tables {
        let c = rusqlite::Connection::open(path).unwrap();
        Tables {
            datasets: Table::read(&c, "OL_DATASET", ""),
            fields: Table::read(&c, "OL_DATASET_FIELD", ""),
            lineage: Table::read(&c, "OL_COLUMN_LINEAGE", "WHERE is_active = 'Y'"),
        }
    }

    /// The statements of one run: the [`DELETES`], then every row.
    pub fn statements(&self) -> Vec<String> {
        let mut out: Vec<String> = ["OL_COLUMN_LINEAGE", "OL_DATASET_FIELD", "OL_DATASET"]
            .iter()
            .map(|t| format!("DELETE FROM {t}"))
            .collect();
        self.datasets.inserts(&mut out);
        self.fields.inserts(&mut out);
        self.lineage.inserts(&mut out);
        out
    }

    /// Change the tables as a new run finds the lineage: each row dropped, re-pointed or
    /// re-typed with `pct` percent chance each, `pct` percent more rows added, one dataset
    /// renamed and one dropped; then everything stamped [`NOW`] and active.
    pub fn mutate(&mut self, rng: &mut SplitMix64, pct: u64) -> Mutation {
        let mut m = Mutation {
            dropped_dataset: self.drop_dataset(rng),
            renamed: self.rename_dataset(rng),
            ..Mutation::default()
        };
        self.change_rows(rng, pct, &mut m);
        self.add_rows(rng, pct, &mut m);
        self.datasets.set_all("updated_at", NOW);
        self.fields.set_all("created_at", NOW);
        self.lineage.set_all("discovered_at", NOW);
        self.lineage.set_all("is_active", "Y");
        m
    }

    /// A random dataset's row index, never `not`.
    fn pick_dataset(&self, rng: &mut SplitMix64, not: &str) -> usize {
        loop {
            let i = rng.below(self.datasets.rows.len());
            if self.datasets.text(i, "name") != not {
                return i;
            }
        }
    }

    fn drop_dataset(&mut self, rng: &mut SplitMix64) -> String {
        let i = self.pick_dataset(rng, "");
        let (id, name) = (
            self.datasets.text(i, "dataset_id"),
            self.datasets.text(i, "name"),
        );
        self.datasets.rows.remove(i);
        let f = &self.fields;
        let keep: Vec<bool> = (0..f.rows.len())
            .map(|j| f.text(j, "dataset_id") != id)
            .collect();
        retain(&mut self.fields, &keep);
        let l = &self.lineage;
        let keep: Vec<bool> = (0..l.rows.len())
            .map(|j| l.text(j, "source_dataset") != name && l.text(j, "target_dataset") != name)
            .collect();
        retain(&mut self.lineage, &keep);
        name
    }

    fn rename_dataset(&mut self, rng: &mut SplitMix64) -> (String, String) {
        let i = self.pick_dataset(rng, "");
        let (id, name) = (
            self.datasets.text(i, "dataset_id"),
            self.datasets.text(i, "name"),
        );
        let new_name = format!("{name}_V2");
        let new_id = format!("{}/{new_name}", self.datasets.text(i, "namespace_id"));
        self.datasets.set(i, "dataset_id", &new_id);
        self.datasets.set(i, "name", &new_name);
        for j in 0..self.fields.rows.len() {
            if self.fields.text(j, "dataset_id") == id {
                let field = self.fields.text(j, "field_name");
                self.fields.set(j, "dataset_id", &new_id);
                self.fields.set(j, "field_id", &format!("{new_id}/{field}"));
            }
        }
        for j in 0..self.lineage.rows.len() {
            for end in ["source_dataset", "target_dataset"] {
                if self.lineage.text(j, end) == name {
                    self.lineage.set(j, end, &new_name);
                }
            }
        }
        (name, new_name)
    }

    /// Rows dropped, re-pointed (same `lineage_id`, another target column) and re-typed.
    fn change_rows(&mut self, rng: &mut SplitMix64, pct: u64, m: &mut Mutation) {
        let l = &mut self.lineage;
        let n = l.rows.len();
        let mut keep = vec![true; n];
        for (i, kept) in keep.iter_mut().enumerate() {
            match rng.below(100) as u64 {
                x if x < pct => {
                    *kept = false;
                    m.dropped += 1;
                }
                x if x < 2 * pct => {
                    let other = rng.below(n);
                    let (d, f) = (
                        l.text(other, "source_dataset"),
                        l.text(other, "source_field"),
                    );
                    l.set(i, "target_dataset", &d);
                    l.set(i, "target_field", &f);
                    m.repointed += 1;
                }
                x if x < 3 * pct => {
                    let (ty, sub) = TYPES[rng.below(TYPES.len())];
                    l.set(i, "transformation_type", ty);
                    l.set(i, "transformation_subtype", sub);
                    let c = l.col("confidence_score");
                    l.rows[i][c] = Value::Real([0.25, 0.5, 0.75][rng.below(3)]);
                    m.retyped += 1;
                }
                _ => {}
            }
        }
        retain(l, &keep);
    }

    /// New rows between existing columns (copies of a row with other endpoints and id).
    fn add_rows(&mut self, rng: &mut SplitMix64, pct: u64, m: &mut Mutation) {
        let l = &mut self.lineage;
        let n = l.rows.len();
        let count = (n * pct as usize).div_ceil(100);
        for k in 0..count {
            let (a, b) = (rng.below(n), rng.below(n));
            let mut row = l.rows[a].clone();
            row[l.col("lineage_id")] = Value::Text(format!("added{k:04}"));
            for end in ["target_dataset", "target_field"] {
                row[l.col(end)] = l.rows[b][l.col(&end.replace("target", "source"))].clone();
            }
            l.rows.push(row);
            m.added += 1;
        }
    }
}

const TYPES: [(&str, &str); 4] = [
    ("DIRECT", "IDENTITY"),
    ("DIRECT", "AGGREGATION"),
    ("INDIRECT", "JOIN"),
    ("INDIRECT", "FILTER"),
];

fn retain(t: &mut Table, keep: &[bool]) {
    let mut i = 0;
    t.rows.retain(|_| {
        i += 1;
        keep[i - 1]
    });
}

/// Where the populate program writes.
pub enum Dest {
    Sqlite(PathBuf),
    /// The argv of a `psql` session.
    Psql(Vec<String>),
}

/// How a run goes.
#[derive(Default)]
pub struct Run {
    /// Seconds between statements.
    pub sleep: f64,
    /// Exit 7 after this many statements.
    pub fail_after: Option<usize>,
    /// After this many statements (e.g. the `DELETE`s), say so and wait for the test.
    pub pause_after: Option<usize>,
}

/// A populate run ready to start: its command line and the files it signals with.
pub struct Populate {
    pub argv: Vec<String>,
    /// Created as the program's last act.
    pub done: PathBuf,
    /// Created at the pause (with [`Run::pause_after`]).
    pub deleted: PathBuf,
    /// Created by the test to let the program go on after the pause.
    pub go: PathBuf,
}

impl Populate {
    /// Write the program and its configuration into `dir`.
    pub fn new(dir: &Path, dest: &Dest, tables: &Tables, run: &Run) -> Populate {
        let script = dir.join("populate.py");
        std::fs::write(&script, SCRIPT).unwrap();
        let statements = tables.statements();
        let p = Populate {
            argv: Vec::new(),
            done: dir.join("done"),
            deleted: dir.join("deleted"),
            go: dir.join("go"),
        };
        for f in [&p.done, &p.deleted, &p.go] {
            let _ = std::fs::remove_file(f);
        }
        let mut cfg = serde_json::json!({
            "statements": statements,
            "sleep": run.sleep,
            "fail_after": run.fail_after,
            "pause_after": run.pause_after,
            "deleted": p.deleted,
            "go": p.go,
            "done": p.done,
        });
        match dest {
            Dest::Sqlite(path) => cfg["db"] = serde_json::json!(path),
            Dest::Psql(argv) => cfg["psql"] = serde_json::json!(argv),
        }
        let config = dir.join("populate.json");
        std::fs::write(&config, cfg.to_string()).unwrap();
        let argv = ["python3".into(), path_str(&script), path_str(&config)].to_vec();
        Populate { argv, ..p }
    }

    /// Run the program here, to its end (the run of `sync --started-at`); its exit code.
    pub fn run_here(&self) -> i32 {
        let status = std::process::Command::new(&self.argv[0])
            .args(&self.argv[1..])
            .status()
            .unwrap();
        status.code().unwrap_or(-1)
    }
}

fn path_str(p: &Path) -> String {
    p.to_str().unwrap().to_string()
}
