//! The engine against a slow, obviously correct reference on thousands of random graphs,
//! and a scale sanity check (ignored by default).
use std::collections::{BTreeSet, HashSet};

use proptest::prelude::*;

use super::*;

/// One step of a walk in the reference: the near and far columns of a row.
fn ends(r: &LineageRow, up: bool) -> ((&str, &str), (&str, &str)) {
    let src = (r.source_dataset.as_str(), r.source_field.as_str());
    let tgt = (r.target_dataset.as_str(), r.target_field.as_str());
    if up {
        (tgt, src)
    } else {
        (src, tgt)
    }
}

/// Depth-first search over every path from `at`, never reusing a `lineage_id` (used ids
/// are bits of a mask, by rank among the distinct ids). A path's future depends only on
/// (column, depth, used ids), so identical states are explored once; that changes no
/// result.
struct Reference<'a> {
    rows: &'a [LineageRow],
    /// Per row: the bit of its `lineage_id`.
    bits: Vec<u64>,
    up: bool,
    max_depth: u32,
    found: BTreeSet<(u32, usize)>,
    explored: HashSet<((&'a str, &'a str), u32, u64)>,
}

impl<'a> Reference<'a> {
    fn dfs(&mut self, at: (&'a str, &'a str), depth: u32, used: u64) {
        if depth > self.max_depth || !self.explored.insert((at, depth, used)) {
            return;
        }
        for (i, r) in self.rows.iter().enumerate() {
            let (near, far) = ends(r, self.up);
            if near != at || used & self.bits[i] != 0 {
                continue;
            }
            self.found.insert((depth, i));
            self.dfs(far, depth + 1, used | self.bits[i]);
        }
    }
}

/// The recursive SQL's answer, computed the slow way: distinct (row, depth) pairs (rows
/// compared by value, as `SELECT DISTINCT` does), by depth, then `lineage_id`, then the
/// remaining members.
pub(super) fn reference(
    rows: &[LineageRow],
    dataset: &str,
    field: &str,
    dir: Direction,
    max_depth: u32,
) -> Vec<LineageHit> {
    let ids: BTreeSet<&str> = rows.iter().map(|r| r.lineage_id.as_str()).collect();
    assert!(
        ids.len() <= 64,
        "the reference handles at most 64 distinct ids"
    );
    let rank = |id: &str| ids.iter().position(|&x| x == id).unwrap_or(0);
    let bits: Vec<u64> = rows.iter().map(|r| 1 << rank(&r.lineage_id)).collect();
    let mut hits: Vec<LineageHit> = Vec::new();
    for up in [true, false] {
        if (up && dir == Direction::Downstream) || (!up && dir == Direction::Upstream) {
            continue;
        }
        let mut search = Reference {
            rows,
            bits: bits.clone(),
            up,
            max_depth,
            found: BTreeSet::new(),
            explored: HashSet::new(),
        };
        search.dfs((dataset, field), 1, 0);
        hits.extend(search.found.into_iter().map(|(depth, i)| LineageHit {
            row: rows[i].clone(),
            depth,
        }));
    }
    hits.sort_by(|a, b| {
        a.depth
            .cmp(&b.depth)
            .then_with(|| row_order(&a.row, &b.row))
    });
    hits.dedup_by(|a, b| a.depth == b.depth && row_order(&a.row, &b.row) == Ordering::Equal);
    hits
}

/// The column pool of random graphs; the last one never appears in rows.
const COLUMNS: [(&str, &str); 9] = [
    ("a.t", "x"),
    ("a.t", "X"),
    ("b.t", "x"),
    ("a.t", "y"),
    ("A.t", "x"),
    ("b.t", "y"),
    ("c.t", "x"),
    ("c.t", "z"),
    ("zz.t", "none"),
];

/// A random row between two of the first columns: (src, tgt, id, namespace, confidence).
type RawRow = (usize, usize, u8, bool, u8);

fn make_row(&(s, t, id, ns, conf): &RawRow) -> LineageRow {
    LineageRow {
        // Half the ids share their first 8 bytes (the engine sorts on those first).
        lineage_id: match id % 2 {
            0 => format!("L{id}"),
            _ => format!("lineage-L{id}"),
        },
        source_namespace: if ns { "n1" } else { "n2" }.into(),
        source_dataset: COLUMNS[s].0.into(),
        source_field: COLUMNS[s].1.into(),
        target_namespace: "n1".into(),
        target_dataset: COLUMNS[t].0.into(),
        target_field: COLUMNS[t].1.into(),
        transformation_type: "DIRECT".into(),
        transformation_subtype: "IDENTITY".into(),
        confidence_score: [None, Some(0.5), Some(0.95)][conf as usize % 3],
    }
}

/// 2–8 columns, 0–20 rows among them (at most 3 per column plus 2, which bounds the cost of
/// dense cycles) (cycles, self-loops, parallel rows and shared ids
/// all occur), up to three seeds from the whole pool, and a depth.
fn graphs() -> impl Strategy<Value = (Vec<RawRow>, Vec<usize>, u32)> {
    (2usize..=8).prop_flat_map(|ncols| {
        let row = (0..ncols, 0..ncols, 0u8..28, any::<bool>(), 0u8..3);
        (
            proptest::collection::vec(row, 0..=(3 * ncols + 2).min(20)),
            proptest::collection::vec(0..COLUMNS.len(), 1..=3),
            1u32..=20,
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn engine_equals_reference((raw, seeds, depth) in graphs()) {
        let rows: Vec<LineageRow> = raw.iter().map(make_row).collect();
        let engine = Engine::new(rows.clone());
        for &s in &seeds {
            let (ds, f) = COLUMNS[s];
            for dir in Direction::ALL {
                let got = engine.lineage(ds, f, dir, depth);
                prop_assert_eq!(&got, &reference(&rows, ds, f, dir, depth));
                let graph = engine.graph(ds, f, dir, depth);
                prop_assert_eq!(graph, crate::source::graph::build_graph(ds, f, &got));
            }
            for dir in [Dir::Up, Dir::Down] {
                let mut masks = Vec::new();
                let mut lists = Vec::new();
                if let Some(seed) = engine.column(ds, f) {
                    let masked = Walk::new(&engine, dir, depth, u64::MAX).run(seed, &mut masks);
                    prop_assert!(masked.is_ok());
                    let listed = Walk::new(&engine, dir, depth, u64::MAX).run_with_lists(seed, &mut lists);
                    prop_assert!(listed);
                }
                masks.sort_unstable();
                lists.sort_unstable();
                prop_assert_eq!(masks, lists);
            }
        }
    }
}

/// A layered acyclic graph: 20 layers of 5,000 columns, 300k rows from each layer to the
/// next, then a few depth-20 graphs. Run with `--ignored --nocapture` (ideally --release).
#[test]
#[ignore]
fn scale_layered_300k() {
    let (layers, width, rows_n) = (20u64, 5_000u64, 300_000u64);
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let rows: Vec<LineageRow> = (0..rows_n)
        .map(|i| {
            let layer = next() % (layers - 1);
            let (s, t) = (next() % width, next() % width);
            let mut row = make_row(&(0, 0, 0, true, 1));
            row.lineage_id = format!("{i:024x}");
            row.source_dataset = format!("db{layer}.t{}", s % 50);
            row.source_field = format!("c{s}");
            row.target_dataset = format!("db{}.t{}", layer + 1, t % 50);
            row.target_field = format!("c{t}");
            row
        })
        .collect();
    let start = std::time::Instant::now();
    let engine = Engine::new(rows);
    let (rows_n, cols_n) = (engine.len(), engine.columns().count());
    println!(
        "built {rows_n} rows, {cols_n} columns in {:?}",
        start.elapsed()
    );
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    for line in status
        .lines()
        .filter(|l| l.starts_with("VmRSS") || l.starts_with("VmHWM"))
    {
        println!("{line}");
    }
    let seeds: Vec<(String, String)> = engine
        .columns()
        .step_by(10_007)
        .map(|(d, f)| (d.to_owned(), f.to_owned()))
        .collect();
    for (d, f) in &seeds {
        for dir in Direction::ALL {
            let start = std::time::Instant::now();
            let g = engine.graph(d, f, dir, 20);
            let (n, e) = (g.nodes.len(), g.edges.len());
            println!(
                "{d}/{f} {dir:?}: {n} nodes {e} edges in {:?}",
                start.elapsed()
            );
        }
    }
}
