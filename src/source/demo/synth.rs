//! The synthetic warehouse: a layered SRC → STG → DIM → FACT → RPT warehouse of about N
//! columns with about three lineage rows per column, deterministic from a seed, with the
//! demo's shapes sprinkled in (cycles, self-loops, wide fan-in and fan-out, odd names,
//! inactive rows and datasets, NULL descriptions and confidences, fractional timestamps).
use std::collections::HashSet;

use super::builder::{Builder, ColumnSpec, EdgeSpec, Kind, Ns, TableSpec};
use super::vocab::{edge_description, CONFIDENCES, DEV_URI, PROD_URI};
use super::DemoResult;
use crate::model::Timestamp;

/// splitmix64: a tiny, good-enough, seedable generator.
pub(crate) struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        (self.next_u64() % n as u64) as usize
    }

    /// True with `pct` percent probability.
    pub fn chance(&mut self, pct: usize) -> bool {
        self.below(100) < pct
    }
}

/// Layers: table prefix, database, share of the columns (percent).
const LAYERS: [(&str, &str, usize); 5] = [
    ("SRC", "synth_src", 30),
    ("STG", "synth_stg", 25),
    ("DIM", "synth_dim", 15),
    ("FACT", "synth_fact", 15),
    ("RPT", "synth_rpt", 15),
];
const TYPES: [&str; 7] = [
    "INTEGER",
    "BIGINT",
    "VARCHAR(100)",
    "DECIMAL(18,2)",
    "DATE",
    "TIMESTAMP(0)",
    "CHAR(3)",
];
/// 2025-01-01T00:00:00Z.
const EPOCH: i64 = 1_735_689_600;

/// One generated column: its namespace, dataset name and field name.
struct Col {
    ns: usize,
    dataset: String,
    field: String,
}

/// The generator's state.
struct Gen {
    rng: Rng,
    ns: [Ns; 2],
    cols: Vec<Col>,
    /// Column index ranges of the layers.
    layers: Vec<std::ops::Range<usize>>,
    ids: HashSet<String>,
}

/// A timestamp in 2025, sometimes with fractional seconds.
fn stamp(rng: &mut Rng, after: i64) -> String {
    let secs = after + rng.below(60 * 86_400) as i64;
    let nanos = if rng.chance(10) {
        rng.below(1000) as u32 * 1_000_000
    } else {
        0
    };
    Timestamp { secs, nanos }.to_sql()
}

fn table_name(layer: &str, k: usize) -> String {
    match k % 97 {
        13 => format!("{layer}_{k:05}.v2"),
        29 => format!("{layer}_Straße_{k:05}"),
        41 => format!("{layer}_naïve_\"q\"_{k:05}"),
        _ => format!("{layer}_{k:05}"),
    }
}

fn column_name(j: usize) -> String {
    match j % 50 {
        7 => format!("amount.{j}"),
        17 => format!("naïve_{j}"),
        27 => format!("it's_{j}"),
        37 => format!("<&>_{j}"),
        47 => format!("say \"{j}\""),
        _ => format!("c{j:03}"),
    }
}

/// Build a synthetic warehouse of about `columns` columns.
pub(crate) fn build(b: &mut Builder, columns: usize, seed: u64) -> DemoResult<()> {
    let prod = b.namespace(
        PROD_URI,
        Some("Synthetic production warehouse"),
        "2-0-2",
        "2025-01-01 00:00:00",
    )?;
    let dev = b.namespace(DEV_URI, None, "2-0-2", "2025-02-01 00:00:00.5")?;
    let mut g = Gen {
        rng: Rng::new(seed),
        ns: [prod, dev],
        cols: Vec::with_capacity(columns),
        layers: Vec::new(),
        ids: HashSet::new(),
    };
    let mut k = 0;
    let mut left = columns;
    for (li, (prefix, db, pct)) in LAYERS.iter().enumerate() {
        let budget = if li + 1 == LAYERS.len() {
            left
        } else {
            (columns * pct / 100).min(left)
        };
        left -= budget;
        let start = g.cols.len();
        let mut remaining = budget;
        while remaining > 0 {
            let width = (4 + g.rng.below(37)).min(remaining);
            g.table(b, prefix, db, k, width)?;
            remaining -= width;
            k += 1;
        }
        g.layers.push(start..g.cols.len());
    }
    g.lineage(b)?;
    g.shapes(b, columns)
}

/// `width` columns of `table`: random types, most described, the first NOT NULL.
fn columns(rng: &mut Rng, table: &str, width: usize) -> Vec<ColumnSpec> {
    (0..width)
        .map(|j| ColumnSpec {
            name: column_name(j),
            ty: TYPES[rng.below(TYPES.len())].to_string(),
            description: (!rng.chance(30)).then(|| format!("column {j} of {table}")),
            nullable: match j {
                0 => Some("N"),
                _ if rng.chance(1) => None,
                _ => Some("Y"),
            },
        })
        .collect()
}

impl Gen {
    fn table(
        &mut self,
        b: &mut Builder,
        prefix: &str,
        db: &str,
        k: usize,
        width: usize,
    ) -> DemoResult<()> {
        let dev = prefix == "RPT" && k.is_multiple_of(10);
        let (ns, db) = if dev { (1, "synth_dev") } else { (0, db) };
        let table = table_name(prefix, k);
        let created = stamp(&mut self.rng, EPOCH);
        let updated = stamp(&mut self.rng, EPOCH + 60 * 86_400);
        let cols = columns(&mut self.rng, &table, width);
        let view = prefix == "RPT" && k.is_multiple_of(3);
        let description = format!("{prefix} table {k}");
        let name = b.dataset(&TableSpec {
            ns: &self.ns[ns],
            db,
            table: &table,
            description: (!k.is_multiple_of(4)).then_some(description.as_str()),
            source_type: Some(if view { "VIEW" } else { "TABLE" }),
            view_of: view.then_some("FACT_BASE"),
            active: k % 101 != 50,
            created: &created,
            updated: &updated,
            columns: &cols,
            row_count: self.rng.below(10_000_000) as i64,
            ddl_extra: "",
        })?;
        for c in cols {
            self.cols.push(Col {
                ns,
                dataset: name.clone(),
                field: c.name,
            });
        }
        Ok(())
    }

    /// A random column of an earlier layer than `layer` (mostly the one just before).
    fn source_for(&mut self, layer: usize) -> Option<usize> {
        let from = if layer >= 2 && self.rng.chance(20) {
            self.rng.below(layer - 1)
        } else {
            layer - 1
        };
        let range = (0..=from)
            .rev()
            .map(|l| self.layers[l].clone())
            .find(|r| !r.is_empty())?;
        Some(range.start + self.rng.below(range.len()))
    }

    fn kind(&mut self, layer: usize) -> Kind {
        let roll = self.rng.below(100);
        let agg = if layer >= 3 { 30 } else { 10 };
        match roll {
            r if r < 40 => Kind::Direct,
            r if r < 60 => Kind::Calculation,
            r if r < 60 + agg => Kind::Aggregation,
            r if r < 85 + agg / 2 => Kind::Join,
            _ => Kind::Filter,
        }
    }

    /// One lineage row from column `s` to column `t`, unless that pair exists already.
    fn edge(&mut self, b: &mut Builder, s: usize, t: usize, kind: Kind) -> DemoResult<()> {
        let (src, tgt) = (&self.cols[s], &self.cols[t]);
        let id = super::builder::lineage_id(&src.dataset, &src.field, &tgt.dataset, &tgt.field);
        if !self.ids.insert(id) {
            return Ok(());
        }
        let confidence = if self.rng.chance(10) {
            None
        } else {
            Some(CONFIDENCES[self.rng.below(5)])
        };
        let discovered = stamp(&mut self.rng, EPOCH + 120 * 86_400);
        let active = !self.rng.chance(2);
        b.lineage(&EdgeSpec {
            source: (&self.ns[src.ns], &src.dataset, &src.field),
            target: (&self.ns[tgt.ns], &tgt.dataset, &tgt.field),
            kind,
            confidence,
            discovered: &discovered,
            active,
            masking: false,
            description: edge_description(kind),
            run_id: "run-synthetic",
        })?;
        Ok(())
    }

    /// Two to six sources for every column after the first layer.
    fn lineage(&mut self, b: &mut Builder) -> DemoResult<()> {
        for layer in 1..self.layers.len() {
            for t in self.layers[layer].clone() {
                for _ in 0..2 + self.rng.below(5) {
                    let Some(s) = self.source_for(layer) else {
                        break;
                    };
                    let kind = self.kind(layer);
                    self.edge(b, s, t, kind)?;
                }
            }
        }
        Ok(())
    }

    fn pick(&mut self, layer: usize) -> Option<usize> {
        let r = self.layers.get(layer)?.clone();
        (!r.is_empty()).then(|| r.start + self.rng.below(r.len()))
    }

    /// Self-loops and 3-cycles per thousand columns; fan-out and fan-in per ten thousand.
    fn shapes(&mut self, b: &mut Builder, columns: usize) -> DemoResult<()> {
        for _ in 0..(columns / 1000).max(1) {
            if let Some(c) = self.pick(2) {
                self.edge(b, c, c, Kind::Calculation)?;
            }
            if let (Some(x), Some(y), Some(z)) = (self.pick(1), self.pick(1), self.pick(1)) {
                for (s, t) in [(x, y), (y, z), (z, x)] {
                    if s != t {
                        self.edge(b, s, t, Kind::Direct)?;
                    }
                }
            }
        }
        for _ in 0..(columns / 10_000).max(1) {
            if let Some(s) = self.pick(0) {
                for _ in 0..50 {
                    let layer = 1 + self.rng.below(2);
                    if let Some(t) = self.pick(layer) {
                        self.edge(b, s, t, Kind::Filter)?;
                    }
                }
            }
            if let Some(t) = self.pick(4) {
                for _ in 0..40 {
                    let layer = 2 + self.rng.below(2);
                    if let Some(s) = self.pick(layer) {
                        self.edge(b, s, t, Kind::Aggregation)?;
                    }
                }
            }
        }
        Ok(())
    }
}
