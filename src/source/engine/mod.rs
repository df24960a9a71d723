//! The in-memory lineage traversal engine: every lineage graph computed from one bulk read
//! of the active lineage rows, with exactly the semantics of the API's recursive SQL
//! (contract §4).
//!
//! # Semantics
//! A seed column is (dataset name, field). `upstream` follows rows whose target is the
//! current column and continues at their source; `downstream` the reverse. A path never
//! uses the same `lineage_id` twice and has at most `max_depth` rows. The result is every
//! distinct (row, depth) pair that ends some valid path, ordered by depth, then by
//! `lineage_id` (byte order); `both` is the set union of the two directions.
//!
//! Decisions where the contract is silent:
//! - Rows identical in every [`LineageRow`] member collapse into one row (the SQL's
//!   `SELECT DISTINCT` would merge their pairs anyway).
//! - Rows that share a `lineage_id` but differ elsewhere stay distinct rows; they never
//!   both lie on one path, and ties are ordered by the remaining members in declaration
//!   order (namespaces, datasets and fields as strings, then the types, then the
//!   confidence with NULL first).
//!
//! # Algorithm
//! A walk's future depends only on its column, its depth and the `lineage_id`s it has
//! used. Most of that history is irrelevant: a row that lies on no cycle (its two columns
//! are in different strongly connected components) can never be met twice, and once a
//! walk leaves a component it never returns. The engine therefore searches states
//! (column, depth, relevant used ids), where the relevant ids are those of cyclic rows of
//! the current component plus shared `lineage_id`s whose rows may still be reachable. In
//! an acyclic region every state has an empty set, so the search is a breadth-first
//! layering by depth, linear in (reachable rows × depth). Inside a strongly connected
//! component the number of states can grow exponentially with the depth (the problem is
//! NP-hard in general; the API's SQL enumerates every path, which is never fewer):
//! [`Engine::try_lineage`] and [`Engine::try_graph`] bound it. See the `walk` module.
mod json;
mod load;
mod scc;
mod walk;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

use std::cmp::Ordering;
use std::collections::HashMap;

use crate::model::{Graph, LineageHit, LineageRow};
use crate::source::fx::FxBuild;
use crate::source::graph::{EdgeRef, GraphBuilder};
use crate::source::Direction;
use walk::{Dir, Walk};

use load::Interner;
pub use load::{LoadedRow, Loader};
pub use walk::TooComplex;

/// One lineage row, compactly: columns and strings as symbols, texts as offsets. What the
/// JSON writer needs of a row is here or one memory access away.
#[derive(Clone, Copy)]
struct Row {
    /// Index of the first row with the same `lineage_id` (rows are sorted by id).
    group: u32,
    src: u32,
    tgt: u32,
    src_ns: u32,
    tgt_ns: u32,
    ttype: u32,
    tsub: u32,
    /// Index into [`Engine::scores`].
    score: u32,
    /// The `lineage_id`, in [`Engine::ids`].
    id: u32,
    /// The `{dataset}/{field}` JSON text of each end, in [`Engine::column_json`].
    src_text: u32,
    tgt_text: u32,
}

/// A distinct confidence score and how the API's JSON writes it.
struct Score {
    value: Option<f64>,
    text: ScoreText,
}

enum ScoreText {
    /// `float64` with `omitempty`: NULL and zero (either sign) are left out.
    Omit,
    Number(Box<str>),
    /// Go cannot write it (NaN, infinite): the general path reports it.
    Unwritable,
}

/// Strings in one allocation, each after its length: the offset of one names it, and one
/// memory access reads both.
#[derive(Default)]
struct Packed {
    bytes: Vec<u8>,
}

impl Packed {
    fn push(&mut self, s: &str) -> u32 {
        self.push_parts(&[s])
    }

    /// Push the concatenation of `parts` as one string.
    fn push_parts(&mut self, parts: &[&str]) -> u32 {
        let at = self.bytes.len() as u32;
        let len: usize = parts.iter().map(|p| p.len()).sum();
        self.bytes.extend_from_slice(&(len as u32).to_le_bytes());
        for p in parts {
            self.bytes.extend_from_slice(p.as_bytes());
        }
        at
    }

    fn get(&self, at: u32) -> &[u8] {
        let at = at as usize;
        let len = self.bytes[at..at + 4]
            .try_into()
            .map_or(0, u32::from_le_bytes) as usize;
        &self.bytes[at + 4..at + 4 + len]
    }

    fn get_str(&self, at: u32) -> &str {
        std::str::from_utf8(self.get(at)).unwrap_or_default()
    }
}

/// Many strings in one allocation: item `i` is `all[ends[i - 1]..ends[i]]`.
#[derive(Default)]
struct Texts {
    all: String,
    ends: Vec<u32>,
}

impl Texts {
    fn push(&mut self, s: &str) {
        self.all.push_str(s);
        self.ends.push(self.all.len() as u32);
    }

    fn get(&self, i: u32) -> &str {
        let i = i as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.all[start..self.ends[i] as usize]
    }
}

/// The body of `s` as a JSON string, without the quotes (Go's escaping); borrowed when
/// nothing needs escaping (almost always).
fn escaped(s: &str) -> std::borrow::Cow<'_, str> {
    if crate::json::is_plain(s) {
        return s.into();
    }
    let mut out = Vec::with_capacity(s.len() + 8);
    crate::json::write_str_body(&mut out, s);
    String::from_utf8(out).unwrap_or_default().into()
}

/// Compressed adjacency: the rows of column `c` are `rows[start[c]..start[c + 1]]`.
struct Csr {
    start: Vec<u32>,
    rows: Vec<u32>,
}

impl Csr {
    fn build(ncols: usize, ends: impl Iterator<Item = u32> + Clone) -> Csr {
        let mut start = vec![0u32; ncols + 1];
        for c in ends.clone() {
            start[c as usize + 1] += 1;
        }
        for i in 0..ncols {
            start[i + 1] += start[i];
        }
        let mut fill = start.clone();
        let mut rows = vec![0u32; start[ncols] as usize];
        for (r, c) in ends.enumerate() {
            rows[fill[c as usize] as usize] = r as u32;
            fill[c as usize] += 1;
        }
        Csr { start, rows }
    }

    fn of(&self, col: u32) -> &[u32] {
        let (a, b) = (self.start[col as usize], self.start[col as usize + 1]);
        &self.rows[a as usize..b as usize]
    }
}

/// The lineage graph of all active rows, ready for any number of concurrent queries.
pub struct Engine {
    strings: Interner,
    /// Column index → (dataset symbol, field symbol).
    columns: Vec<(u32, u32)>,
    column_index: HashMap<(u32, u32), u32, FxBuild>,
    /// Sorted by (`lineage_id`, remaining members): row index order is output order.
    rows: Vec<Row>,
    /// The rows' `lineage_id`s.
    ids: Packed,
    by_source: Csr,
    by_target: Csr,
    cycles: scc::Components,
    /// Pre-escaped JSON, so a graph's bytes are copies: per symbol, per column
    /// (`{dataset}/{field}`, a node's id), per row whose `lineage_id` needs escaping.
    json: Texts,
    column_json: Packed,
    escaped_ids: HashMap<u32, Box<str>, FxBuild>,
    scores: Vec<Score>,
    /// Some dataset or field name holds a '/': node ids may then collide.
    slashes: bool,
}

/// Total order of rows: `lineage_id` bytes, then the remaining members. The SQL sources
/// order ties of the recursive query's (depth, `lineage_id`) the same way
/// ([`crate::source::sql::merge_hits`]).
pub(crate) fn row_order(a: &LineageRow, b: &LineageRow) -> Ordering {
    fn key(r: &LineageRow) -> [&[u8]; 9] {
        r.texts().map(str::as_bytes)
    }
    key(a)
        .cmp(&key(b))
        .then_with(|| confidence_order(a.confidence_score, b.confidence_score))
}

/// NULL first, then by value.
fn confidence_order(a: Option<f64>, b: Option<f64>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(x), Some(y)) => x.total_cmp(&y),
    }
}

impl Engine {
    /// Number of (distinct) rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether the engine holds no rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The column index of (dataset name, field), if any row touches it.
    fn column(&self, dataset: &str, field: &str) -> Option<u32> {
        let key = (self.strings.get(dataset)?, self.strings.get(field)?);
        self.column_index.get(&key).copied()
    }

    /// The lineage of one seed column: every distinct (row, depth) pair, in the API's order.
    pub fn lineage(
        &self,
        dataset_name: &str,
        field: &str,
        direction: Direction,
        max_depth: u32,
    ) -> Vec<LineageHit> {
        // An unlimited budget is never exceeded (memory runs out first).
        self.try_lineage(dataset_name, field, direction, max_depth, u64::MAX)
            .unwrap_or_default()
    }

    /// As [`Engine::lineage`], giving up past `max_states` walk states per direction.
    ///
    /// Acyclic lineage needs at most (depth × reachable columns) states; only dense
    /// cycles need more, where the API's own recursive SQL enumerates even more paths.
    pub fn try_lineage(
        &self,
        dataset_name: &str,
        field: &str,
        direction: Direction,
        max_depth: u32,
        max_states: u64,
    ) -> Result<Vec<LineageHit>, TooComplex> {
        let pairs = self.lineage_pairs(dataset_name, field, direction, max_depth, max_states)?;
        Ok(pairs
            .into_iter()
            .map(|(depth, row)| LineageHit {
                row: self.row(row),
                depth,
            })
            .collect())
    }

    /// The lineage graph of one seed column (contract §4), without materialising rows.
    pub fn graph(
        &self,
        dataset_name: &str,
        field: &str,
        direction: Direction,
        max_depth: u32,
    ) -> Graph {
        self.try_graph(dataset_name, field, direction, max_depth, u64::MAX)
            .unwrap_or_else(|_| GraphBuilder::new(dataset_name, field).finish())
    }

    /// As [`Engine::graph`], giving up past `max_states` walk states per direction.
    pub fn try_graph(
        &self,
        dataset_name: &str,
        field: &str,
        direction: Direction,
        max_depth: u32,
        max_states: u64,
    ) -> Result<Graph, TooComplex> {
        let pairs = self.lineage_pairs(dataset_name, field, direction, max_depth, max_states)?;
        Ok(self.graph_of(dataset_name, field, &pairs))
    }

    /// The graph of a seed's (depth, row) pairs, through the general graph builder.
    pub(crate) fn graph_of(&self, dataset_name: &str, field: &str, pairs: &[(u32, u32)]) -> Graph {
        let mut builder = GraphBuilder::new(dataset_name, field);
        for &(_, row) in pairs {
            builder.push(&self.edge_ref(row));
        }
        builder.finish()
    }

    /// The lineage as sorted, distinct (depth, row index) pairs.
    pub(crate) fn lineage_pairs(
        &self,
        dataset_name: &str,
        field: &str,
        direction: Direction,
        max_depth: u32,
        max_states: u64,
    ) -> Result<Vec<(u32, u32)>, TooComplex> {
        let Some(seed) = self.column(dataset_name, field) else {
            return Ok(Vec::new());
        };
        let mut pairs = Vec::new();
        if direction != Direction::Downstream {
            Walk::new(self, Dir::Up, max_depth, max_states).run(seed, &mut pairs)?;
        }
        if direction != Direction::Upstream {
            Walk::new(self, Dir::Down, max_depth, max_states).run(seed, &mut pairs)?;
        }
        pairs.sort_unstable();
        pairs.dedup();
        Ok(pairs)
    }

    /// Row `i` as a [`LineageRow`].
    pub(crate) fn row(&self, i: u32) -> LineageRow {
        let e = self.edge_ref(i);
        LineageRow {
            lineage_id: e.lineage_id.to_owned(),
            source_namespace: e.source_namespace.to_owned(),
            source_dataset: e.source_dataset.to_owned(),
            source_field: e.source_field.to_owned(),
            target_namespace: e.target_namespace.to_owned(),
            target_dataset: e.target_dataset.to_owned(),
            target_field: e.target_field.to_owned(),
            transformation_type: e.transformation_type.to_owned(),
            transformation_subtype: e.transformation_subtype.to_owned(),
            confidence_score: e.confidence_score,
        }
    }

    /// Row `i`, borrowed.
    pub(crate) fn edge_ref(&self, i: u32) -> EdgeRef<'_> {
        let r = &self.rows[i as usize];
        let s = |sym| self.strings.resolve(sym);
        let (src_ds, src_f) = self.columns[r.src as usize];
        let (tgt_ds, tgt_f) = self.columns[r.tgt as usize];
        EdgeRef {
            lineage_id: self.ids.get_str(r.id),
            source_namespace: s(r.src_ns),
            source_dataset: s(src_ds),
            source_field: s(src_f),
            target_namespace: s(r.tgt_ns),
            target_dataset: s(tgt_ds),
            target_field: s(tgt_f),
            transformation_type: s(r.ttype),
            transformation_subtype: s(r.tsub),
            confidence_score: self.scores[r.score as usize].value,
        }
    }

    /// Every distinct column (dataset name, field) that some row touches.
    pub fn columns(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.columns
            .iter()
            .map(|&(ds, f)| (self.strings.resolve(ds), self.strings.resolve(f)))
    }

    /// Number of rows touching the column as source or target (a self-loop counts once).
    pub fn fanout(&self, dataset: &str, field: &str) -> usize {
        let Some(c) = self.column(dataset, field) else {
            return 0;
        };
        let out = self.by_source.of(c);
        let loops = out
            .iter()
            .filter(|&&r| self.rows[r as usize].tgt == c)
            .count();
        out.len() + self.by_target.of(c).len() - loops
    }
}
