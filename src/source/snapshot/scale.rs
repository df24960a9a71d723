//! Measurements at scale (ignored by default): the synthetic warehouse at about 300,000
//! lineage rows, its snapshot's size, encode and decode times, and the diff and stale
//! seeds after 0.1 % and 1 % of the rows changed. Run with
//! `cargo test --release --lib snapshot::scale -- --ignored --nocapture`.
use std::time::Instant;

use super::*;
use crate::model::{Dataset, Field, LineageRow, Namespace};
use crate::source::LineageSource;

/// xorshift64: enough to pick rows.
struct Pick(u64);

impl Pick {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

struct Warehouse {
    rows: Vec<LineageRow>,
    datasets: Vec<Dataset>,
    fields: Vec<Field>,
    namespaces: Vec<Namespace>,
}

fn warehouse(columns: usize) -> Warehouse {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("synth.sqlite");
    crate::source::demo::create_synthetic(&path, columns, 1, false).unwrap();
    let src = crate::source::sqlite::SqliteSource::open(&path).unwrap();
    Warehouse {
        rows: src.active_lineage().unwrap(),
        datasets: src.all_datasets().unwrap(),
        fields: src.all_fields().unwrap(),
        namespaces: src.namespaces().unwrap(),
    }
}

/// `n` changes: a quarter each re-pointed, re-attributed, dropped, added.
fn mutate(rows: &[LineageRow], n: usize, pick: &mut Pick) -> Vec<LineageRow> {
    let mut out = rows.to_vec();
    for k in 0..n {
        let i = pick.below(out.len());
        let other = rows[pick.below(rows.len())].clone();
        match k % 4 {
            0 => {
                out[i].target_dataset = other.target_dataset;
                out[i].target_field = other.target_field;
            }
            1 => out[i].confidence_score = Some(0.42),
            2 => {
                out.swap_remove(i);
            }
            _ => {
                let mut added = out[i].clone();
                added.lineage_id = format!("{:024x}", k);
                added.target_dataset = other.source_dataset;
                added.target_field = other.source_field;
                out.push(added);
            }
        }
    }
    out
}

/// CPU time of this thread so far (Linux `schedstat`), in nanoseconds: the machine is
/// shared, so wall time alone says little.
fn cpu_ns() -> u64 {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap_or_default();
    stat.split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// Run `f` three times; print the least wall and CPU time.
fn time<T>(what: &str, f: impl Fn() -> T) -> T {
    let (mut wall, mut cpu, mut out) = (f64::MAX, f64::MAX, None);
    for _ in 0..3 {
        let (start, start_cpu) = (Instant::now(), cpu_ns());
        out = Some(f());
        cpu = cpu.min((cpu_ns() - start_cpu) as f64 / 1e6);
        wall = wall.min(start.elapsed().as_secs_f64() * 1e3);
    }
    println!("{what}: {wall:.1} ms wall, {cpu:.1} ms CPU");
    out.unwrap()
}

/// The encoding's size, in all and by section.
fn report_size(snap: &Snapshot, bytes: &[u8], rows: usize) {
    let per_row = bytes.len() as f64 / rows as f64;
    println!("encoded: {} bytes, {per_row:.1} bytes a row", bytes.len());
    let count = |k: usize| u64::from_le_bytes(bytes[14 + 8 * k..22 + 8 * k].try_into().unwrap());
    let (strings, attrs, ends) = (count(0), count(1), count(2));
    println!("{strings} strings, {attrs} attributes, {ends} endpoints");
    let (_, marks) = snap.encode_sections();
    let names = [
        "strings",
        "attributes",
        "endpoints",
        "rows",
        "namespaces",
        "datasets",
        "fields",
    ];
    let mut from = codec::HEADER_LEN;
    for (name, end) in names.iter().zip(marks) {
        let per_row = (end - from) as f64 / rows as f64;
        println!("  {name}: {} bytes ({per_row:.2} a row)", end - from);
        from = end;
    }
}

/// Diff and seeds after `per_mille` of the rows changed (and every dataset's
/// `updated_at`, as a population run does).
fn report_changes(w: &Warehouse, snap: &Snapshot, per_mille: usize, pick: &mut Pick) {
    let changed = w.rows.len() * per_mille / 1000;
    let new_rows = mutate(&w.rows, changed, pick);
    let mut datasets = w.datasets.clone();
    datasets.iter_mut().for_each(|d| d.updated_at = None);
    let new = Snapshot::build(&new_rows, &datasets, &w.fields, &w.namespaces, 2);
    println!("-- {changed} rows changed ({per_mille} per mille)");
    let d = time("diff", || diff(snap, &new));
    let changed_datasets = d.datasets.changed.len();
    println!(
        "{:?}, {changed_datasets} datasets changed",
        d.lineage.counts()
    );
    for depth in [5, 20] {
        let seeds = time(&format!("stale seeds, depth {depth}"), || {
            stale_graph_seeds(snap, &new, &d, depth)
        });
        println!("{} stale (column, direction) pairs", seeds.len());
    }
}

#[test]
#[ignore]
fn scale_300k() {
    let w = warehouse(110_000);
    let (rows, datasets, fields) = (w.rows.len(), w.datasets.len(), w.fields.len());
    println!("{rows} rows, {datasets} datasets, {fields} fields");
    let snap = time("build", || {
        Snapshot::build(&w.rows, &w.datasets, &w.fields, &w.namespaces, 1)
    });
    let bytes = time("encode", || snap.encode());
    report_size(&snap, &bytes, rows);
    let back = time("decode", || Snapshot::decode(&bytes).unwrap());
    assert_eq!(back, snap);
    let mut pick = Pick(0x2545_f491_4f6c_dd1d);
    for per_mille in [1, 10] {
        report_changes(&w, &snap, per_mille, &mut pick);
    }
}
