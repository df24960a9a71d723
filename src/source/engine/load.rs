//! Building the engine: rows interned while a source reads them, then sorted, merged and
//! indexed (see docs/engine.md, "Loading and memory").
use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::Arc;

use super::{confidence_order, escaped, scc, Csr, Engine, Packed, Row, Score, ScoreText, Texts};
use crate::model::LineageRow;
use crate::source::fx::FxBuild;
use crate::source::{LineageSource, SourceResult};

/// Strings interned to dense `u32` symbols, shared between the map and the table.
#[derive(Default)]
pub(super) struct Interner {
    map: HashMap<Arc<str>, u32, FxBuild>,
    strs: Vec<Arc<str>>,
}

impl Interner {
    fn intern(&mut self, s: &str) -> u32 {
        if let Some(&sym) = self.map.get(s) {
            return sym;
        }
        let arc: Arc<str> = Arc::from(s);
        let sym = self.strs.len() as u32;
        self.strs.push(Arc::clone(&arc));
        self.map.insert(arc, sym);
        sym
    }

    pub(super) fn get(&self, s: &str) -> Option<u32> {
        self.map.get(s).copied()
    }

    pub(super) fn resolve(&self, sym: u32) -> &str {
        self.strs.get(sym as usize).map_or("", |s| s)
    }
}

/// Interned strings and columns while the engine is built.
#[derive(Default)]
struct Symbols {
    strings: Interner,
    columns: Vec<(u32, u32)>,
    column_index: HashMap<(u32, u32), u32, FxBuild>,
    /// Distinct confidence scores, and the index of each one's bits.
    scores: Vec<Score>,
    score_index: HashMap<Option<u64>, u32, FxBuild>,
    /// Every row's `lineage_id`, in reading order ([`Row::id`] is the offset of its own).
    ids: Packed,
    /// The offsets in `ids` of the ids that need JSON escaping (rare; ascending).
    odd_ids: Vec<u32>,
}

impl Symbols {
    fn column(&mut self, dataset: &str, field: &str) -> u32 {
        let key = (self.strings.intern(dataset), self.strings.intern(field));
        let columns = &mut self.columns;
        *self.column_index.entry(key).or_insert_with(|| {
            columns.push(key);
            columns.len() as u32 - 1
        })
    }

    /// A row from its texts in [`LineageRow`] member order after the id (source namespace,
    /// dataset, field, target namespace, dataset, field, type, subtype).
    fn row(&mut self, t: [&str; 8], confidence: Option<f64>) -> Row {
        Row {
            group: 0,
            src: self.column(t[1], t[2]),
            tgt: self.column(t[4], t[5]),
            src_ns: self.strings.intern(t[0]),
            tgt_ns: self.strings.intern(t[3]),
            ttype: self.strings.intern(t[6]),
            tsub: self.strings.intern(t[7]),
            score: self.score(confidence),
            id: 0,
            src_text: 0,
            tgt_text: 0,
        }
    }

    /// The index of the confidence in `scores`.
    fn score(&mut self, confidence: Option<f64>) -> u32 {
        let key = confidence.map(f64::to_bits);
        if let Some(&i) = self.score_index.get(&key) {
            return i;
        }
        let text = match confidence.filter(|c| *c != 0.0) {
            None => ScoreText::Omit,
            Some(c) => {
                let mut text = Vec::new();
                match crate::json::write_f64(&mut text, c) {
                    Ok(()) => ScoreText::Number(String::from_utf8(text).unwrap_or_default().into()),
                    Err(_) => ScoreText::Unwritable,
                }
            }
        };
        let i = self.scores.len() as u32;
        self.scores.push(Score {
            value: confidence,
            text,
        });
        self.score_index.insert(key, i);
        i
    }

    /// [`row_order`] on interned rows.
    fn order(&self, a: &Row, b: &Row) -> Ordering {
        let key = |r: &Row| {
            let s = |sym| self.strings.resolve(sym).as_bytes();
            let (sd, sf) = self.columns[r.src as usize];
            let (td, tf) = self.columns[r.tgt as usize];
            [
                s(r.src_ns),
                s(sd),
                s(sf),
                s(r.tgt_ns),
                s(td),
                s(tf),
                s(r.ttype),
                s(r.tsub),
            ]
        };
        self.ids
            .get(a.id)
            .cmp(self.ids.get(b.id))
            .then_with(|| key(a).cmp(&key(b)))
            .then_with(|| {
                let score = |r: &Row| self.scores[r.score as usize].value;
                confidence_order(score(a), score(b))
            })
    }
}

/// Interns lineage rows one at a time while a source reads them, so that the bulk load
/// never holds the rows as strings: about 70 bytes a row instead of about 600.
#[derive(Default)]
pub struct Loader {
    symbols: Symbols,
}

/// One row interned by a [`Loader`].
pub struct LoadedRow(Row);

impl Loader {
    /// Intern one row.
    pub fn row(&mut self, r: &LineageRow) -> LoadedRow {
        self.row_parts(r.texts(), r.confidence_score)
    }

    /// Intern one row given as its texts in [`LineageRow`] member order (`lineage_id`
    /// first) and its confidence, borrowed from wherever the source read them.
    pub fn row_parts(&mut self, texts: [&str; 9], confidence: Option<f64>) -> LoadedRow {
        let [id, rest @ ..] = texts;
        let mut row = self.symbols.row(rest, confidence);
        // The ids go into one arena in reading order: no allocation per row, and the
        // engine keeps the arena as it is.
        row.id = self.symbols.ids.push(id);
        if !crate::json::is_plain(id) {
            self.symbols.odd_ids.push(row.id);
        }
        LoadedRow(row)
    }
}

/// The rows of `loaded` in [`Symbols::order`], each distinct row once: (the first 8 bytes
/// of its `lineage_id` as a number, its index in `loaded`).
///
/// Sorting on that prefix (the hex of a hash, in the API's tables) settles almost every
/// comparison without reading the ids themselves: at 300,000 rows this halved the
/// engine's indexing. Rows whose prefixes tie get the full order; equal rows are next to
/// each other then, and only the first stays.
fn sorted_distinct(symbols: &Symbols, loaded: &[Row]) -> Vec<(u64, u32)> {
    let mut keys: Vec<(u64, u32)> = loaded
        .iter()
        .enumerate()
        .map(|(i, r)| (id_prefix(symbols.ids.get(r.id)), i as u32))
        .collect();
    keys.sort_unstable();
    let row = |j: u32| &loaded[j as usize];
    for run in keys.chunk_by_mut(|a, b| a.0 == b.0) {
        if run.len() > 1 {
            run.sort_unstable_by(|a, b| symbols.order(row(a.1), row(b.1)));
        }
    }
    let mut out = Vec::with_capacity(keys.len());
    for (w, &(p, j)) in keys.iter().enumerate() {
        let dup = w > 0 && {
            let (q, k) = keys[w - 1];
            q == p && symbols.order(row(k), row(j)).is_eq()
        };
        if !dup {
            out.push((p, j));
        }
    }
    out
}

/// The first 8 bytes, big-endian, zero-padded: ordered as the bytes are, ties aside.
fn id_prefix(id: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    let n = id.len().min(8);
    w[..n].copy_from_slice(&id[..n]);
    u64::from_be_bytes(w)
}

impl Engine {
    /// Build the engine from the active lineage rows (any order; exact duplicates merge).
    pub fn new(rows: Vec<LineageRow>) -> Engine {
        let mut loader = Loader::default();
        let loaded = rows.iter().map(|r| loader.row(r)).collect();
        drop(rows);
        Engine::from_loaded(loader, loaded)
    }

    /// Build the engine from one bulk read of the source's active lineage rows, interned
    /// while they are read.
    pub fn load(source: &dyn LineageSource) -> SourceResult<Engine> {
        let started = std::time::Instant::now();
        let mut loader = Loader::default();
        let loaded = source.active_lineage_interned(&mut loader)?;
        let read = started.elapsed();
        let engine = Engine::from_loaded(loader, loaded);
        tracing::debug!(
            "engine: {} rows read in {read:.2?}, indexed in {:.2?}",
            engine.len(),
            started.elapsed() - read
        );
        Ok(engine)
    }

    /// Build the engine from interned rows (any order; exact duplicates merge).
    pub fn from_loaded(loader: Loader, loaded: Vec<LoadedRow>) -> Engine {
        let symbols = loader.symbols;
        let loaded: Vec<Row> = loaded.into_iter().map(|LoadedRow(r)| r).collect();
        let order = sorted_distinct(&symbols, &loaded);
        let Symbols {
            strings,
            columns,
            column_index,
            scores,
            score_index: _,
            mut ids,
            odd_ids,
        } = symbols;
        let json = symbol_json(&strings);
        let (column_json, column_text, slashes) = column_json(&columns, &json);
        // Consumed: the rows as read are freed before the indexes are built.
        let (rows, escaped_ids) = ordered_rows(order, loaded, (&ids, &odd_ids), &column_text);
        ids.bytes.shrink_to_fit();
        let ncols = columns.len();
        let by_source = Csr::build(ncols, rows.iter().map(|r| r.src));
        let by_target = Csr::build(ncols, rows.iter().map(|r| r.tgt));
        let cycles = scc::Components::new(&rows, &by_source, ncols);
        Engine {
            strings,
            columns,
            column_index,
            rows,
            ids,
            by_source,
            by_target,
            cycles,
            json,
            column_json,
            escaped_ids,
            scores,
            slashes,
        }
    }
}

/// Every symbol as the body of a JSON string.
fn symbol_json(strings: &Interner) -> Texts {
    let mut json = Texts::default();
    for s in &strings.strs {
        json.push(&escaped(s));
    }
    json
}

/// Every column's node id (`{dataset}/{field}`) as JSON, the offset of each, and whether
/// a dataset or field name holds a '/'.
fn column_json(columns: &[(u32, u32)], json: &Texts) -> (Packed, Vec<u32>, bool) {
    let mut column_json = Packed::default();
    let mut slashes = false;
    let column_text: Vec<u32> = columns
        .iter()
        .map(|&(ds, f)| {
            let (ds, f) = (json.get(ds), json.get(f));
            slashes |= ds.contains('/') || f.contains('/');
            column_json.push_parts(&[ds, "/", f])
        })
        .collect();
    column_json.bytes.shrink_to_fit();
    (column_json, column_text, slashes)
}

/// The distinct rows in output order, each in the group of the rows of its `lineage_id`
/// and with its columns' JSON; the escaped ids of the rows whose id needs it (`ids`: the
/// rows' `lineage_id`s, and the offsets of those that need JSON escaping).
fn ordered_rows(
    order: Vec<(u64, u32)>,
    loaded: Vec<Row>,
    (ids, odd_ids): (&Packed, &[u32]),
    column_text: &[u32],
) -> (Vec<Row>, HashMap<u32, Box<str>, FxBuild>) {
    let mut escaped_ids = HashMap::default();
    let mut rows: Vec<Row> = Vec::with_capacity(order.len());
    for (i, &(p, j)) in order.iter().enumerate() {
        let mut row = loaded[j as usize];
        let same_id = i > 0 && {
            let (q, k) = order[i - 1];
            q == p && ids.get(loaded[k as usize].id) == ids.get(row.id)
        };
        row.group = match same_id {
            true => rows[i - 1].group,
            false => i as u32,
        };
        if !odd_ids.is_empty() && odd_ids.binary_search(&row.id).is_ok() {
            let json = escaped(ids.get_str(row.id)).into_owned();
            escaped_ids.insert(i as u32, json.into_boxed_str());
        }
        row.src_text = column_text[row.src as usize];
        row.tgt_text = column_text[row.tgt as usize];
        rows.push(row);
    }
    (rows, escaped_ids)
}
