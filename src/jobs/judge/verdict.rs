//! The verdict on one cached key: what the API would write for it now, and how the cached
//! bytes compare (docs/verify.md, "Classes").
use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;

use super::catalog::Catalog;
use crate::answer::{compute, Computed, GraphMode, MAX_STATES};
use crate::config::Validation;
use crate::json::{decode_value, Decoded, GoJson};
use crate::keys::{parse, Key, Parsed};
use crate::source::engine::Engine;
use crate::source::graph::build_graph;
use crate::source::{Direction, LineageSource, SourceResult};
use crate::store::probe::ValueFact;

/// What a key is found to be, in report order (serialized by its name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Class {
    Current,
    /// A lineage graph equal to the graph now at a depth other than the default: current
    /// if the API filled it at that depth, stale if it was filled at another depth from an
    /// older lineage that happens to give the same graph (the depth is not in the key).
    OtherDepth,
    Stale,
    Orphaned,
    Unreadable,
    NonCanonical,
    Missing,
}

impl Class {
    pub(crate) const ALL: [Class; 7] = [
        Class::Current,
        Class::OtherDepth,
        Class::Stale,
        Class::Orphaned,
        Class::Unreadable,
        Class::NonCanonical,
        Class::Missing,
    ];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Class::Current => "current",
            Class::OtherDepth => "other-depth",
            Class::Stale => "stale",
            Class::Orphaned => "orphaned",
            Class::Unreadable => "unreadable",
            Class::NonCanonical => "non-canonical",
            Class::Missing => "missing",
        }
    }
}

/// What `--fix` does with a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Fix {
    /// Nothing (current, or a key the tool cannot read: it never touches those).
    Leave,
    /// Write these bytes, the API's value now.
    Write(Vec<u8>),
    /// Delete the key: the API would not cache it now.
    Delete,
}

/// The verdict on one key.
#[derive(Debug, Clone)]
pub(crate) struct Verdict {
    /// The key kind's name, or `unknown`.
    pub kind: &'static str,
    pub class: Class,
    /// A line saying why (empty for current keys at the default depth).
    pub detail: String,
    /// The full difference (`--diff`, stale keys only).
    pub diff: Option<String>,
    pub fix: Fix,
    /// The cached value's size in bytes (0 when missing or not a string).
    pub old_len: u64,
}

/// Judges keys against the source: the engine for graphs, the queries `warm` uses for the
/// rest. Shared by the audit's worker threads.
pub(crate) struct Judge {
    pub source: Arc<dyn LineageSource>,
    pub engine: Arc<Engine>,
    pub names: HashMap<String, String>,
    pub catalog: Catalog,
    /// `--depth`: compare graphs at this depth only.
    pub depth: Option<u32>,
    pub validation: Validation,
    /// `--diff`: keep the full difference of stale values.
    pub full_diff: bool,
}

impl Judge {
    /// Read the engine and the catalog of datasets and fields from `source` (this blocks:
    /// off the runtime).
    pub(crate) fn load(
        source: Arc<dyn LineageSource>,
        depth: Option<u32>,
        validation: Validation,
        full_diff: bool,
    ) -> SourceResult<Judge> {
        let started = std::time::Instant::now();
        let engine = Engine::load(source.as_ref())?;
        let catalog = Catalog::read(source.as_ref())?;
        tracing::info!(
            "engine and catalog loaded in {:.2?}{}",
            started.elapsed(),
            crate::app::report::memory_note()
        );
        Ok(Judge {
            names: catalog.names(),
            source,
            engine: Arc::new(engine),
            catalog,
            depth,
            validation,
            full_diff,
        })
    }

    fn expected(&self, key: &Key, depth: u32) -> SourceResult<Computed> {
        let mode = GraphMode::Bulk(&self.engine, &self.names);
        compute(key, self.source.as_ref(), mode, depth)
    }

    fn default_depth(&self) -> u32 {
        self.depth.unwrap_or(self.validation.default_max_depth)
    }

    /// The verdict on `key` holding `value`; `None` when the key vanished meanwhile.
    pub(crate) fn judge(&self, key: &str, value: &ValueFact) -> SourceResult<Option<Verdict>> {
        let old_len = match value {
            ValueFact::Missing | ValueFact::NotAsked => return Ok(None),
            ValueFact::Bytes(b) => b.len() as u64,
            ValueFact::WrongType => 0,
        };
        let k = match parse(key) {
            Parsed::Key(k) => k,
            other => return Ok(Some(unknown_key(&other, old_len))),
        };
        let kind = k.kind().name();
        if let Some(why) = self.gone(&k) {
            return Ok(Some(verdict(
                kind,
                Class::Orphaned,
                why,
                Fix::Delete,
                old_len,
            )));
        }
        Ok(Some(match self.expected(&k, self.default_depth())? {
            Computed::NotCached(why) => {
                let why = format!("the API would not cache it now ({why})");
                verdict(kind, Class::Orphaned, why, Fix::Delete, old_len)
            }
            Computed::Value(expected) => self.compare(&k, value, expected, old_len),
        }))
    }

    /// Why the key's dataset (or a lineage key's column) is gone, if it is.
    fn gone(&self, k: &Key) -> Option<String> {
        match k {
            Key::LineageGraph { dataset, field, .. } => {
                self.catalog.column_gone(&self.engine, dataset, field)
            }
            other => other.dataset().and_then(|d| self.catalog.dataset(d).err()),
        }
    }

    /// The verdict on the cached value of `k` against `expected`, the API's value now.
    fn compare(&self, k: &Key, value: &ValueFact, expected: Vec<u8>, old_len: u64) -> Verdict {
        let kind = k.kind().name();
        let ValueFact::Bytes(bytes) = value else {
            let why = "not a string: the API only writes strings".to_string();
            return verdict(kind, Class::Unreadable, why, Fix::Write(expected), old_len);
        };
        if *bytes == expected {
            return verdict(kind, Class::Current, String::new(), Fix::Leave, old_len);
        }
        let decoded = match decode_value(k.kind(), bytes) {
            Ok(d) => d,
            Err(p) => {
                let why = format!("does not decode as {kind}: {p}");
                return verdict(kind, Class::Unreadable, why, Fix::Write(expected), old_len);
            }
        };
        let canonical = decoded.to_json();
        if canonical == expected {
            let why = "the data is current but the bytes are not Go's json.Marshal output";
            let fix = Fix::Write(expected);
            return verdict(kind, Class::NonCanonical, why.into(), fix, old_len);
        }
        if self.depth.is_none() {
            if let Some(v) = self.at_other_depth(k, bytes, &decoded, &canonical, old_len) {
                return v;
            }
        }
        self.stale(kind, &canonical, expected, old_len)
    }

    /// Stale: what changed (all of it with `--diff`).
    fn stale(&self, kind: &'static str, cached: &[u8], expected: Vec<u8>, old_len: u64) -> Verdict {
        let detail = super::diff::summary(cached, &expected);
        let diff = self.full_diff.then(|| super::diff::full(cached, &expected));
        let mut v = verdict(kind, Class::Stale, detail, Fix::Write(expected), old_len);
        v.diff = diff;
        v
    }

    /// The depth is not part of a lineage key: a graph the API filled at another depth is
    /// current when it equals the graph at that depth now.
    fn at_other_depth(
        &self,
        key: &Key,
        bytes: &[u8],
        decoded: &Decoded,
        canonical: &[u8],
        old_len: u64,
    ) -> Option<Verdict> {
        let (
            Key::LineageGraph {
                dataset,
                field,
                direction,
            },
            Decoded::Graph(cached),
        ) = (key, decoded)
        else {
            return None;
        };
        let (depth, graph) = self.graph_as_long(dataset, field, *direction, cached.edges.len())?;
        let kind = key.kind().name();
        if graph == bytes {
            let why = format!(
                "the graph now at depth {depth}, not at the default depth {}",
                self.validation.default_max_depth
            );
            return Some(verdict(kind, Class::OtherDepth, why, Fix::Leave, old_len));
        }
        if graph == canonical {
            let why = format!(
                "the graph at depth {depth} is current but the bytes are not Go's json.Marshal output"
            );
            let fix = Fix::Write(graph);
            return Some(verdict(kind, Class::NonCanonical, why, fix, old_len));
        }
        None
    }

    /// The graph now whose edge list is `edges` long, and the depth it is the graph at, if
    /// there is one. The (row, depth) pairs at the deepest depth allowed are ordered by depth,
    /// so the graph at depth `d` is built from the pairs up to `d`: a prefix. Only the prefix
    /// as long as the cached graph's edge list, ending where a depth ends, can match.
    fn graph_as_long(
        &self,
        dataset: &str,
        field: &str,
        direction: Direction,
        edges: usize,
    ) -> Option<(u32, Vec<u8>)> {
        let v = &self.validation;
        let name = self
            .names
            .get(dataset)
            .map(String::as_str)
            .unwrap_or(dataset);
        let hits = self
            .engine
            .try_lineage(name, field, direction, v.max_depth_limit, MAX_STATES)
            .ok()?;
        if edges == 0 || edges > hits.len() {
            return None;
        }
        let last = hits[edges - 1].depth;
        let next = hits.get(edges).map(|h| h.depth);
        if next == Some(last) {
            return None;
        }
        // The depths whose graph is this prefix: `last` up to the next depth with rows.
        let depth = last.max(v.min_max_depth);
        if depth > v.max_depth_limit || next.is_some_and(|d| depth >= d) {
            return None;
        }
        Some((depth, build_graph(name, field, &hits[..edges]).to_json()))
    }

    /// The value a missing hot key would get, or `None` when the API would not cache it.
    pub(crate) fn fill_value(&self, key: &Key) -> SourceResult<Option<Vec<u8>>> {
        Ok(match self.expected(key, self.default_depth())? {
            Computed::Value(v) => Some(v),
            Computed::NotCached(_) => None,
        })
    }
}

/// A key the API never builds: unreadable, and left alone.
fn unknown_key(parsed: &Parsed, old_len: u64) -> Verdict {
    let why = super::check::key_anomalies(parsed)
        .into_iter()
        .next()
        .map(|a| a.detail)
        .unwrap_or_else(|| "not a key the API builds".into());
    verdict("unknown", Class::Unreadable, why, Fix::Leave, old_len)
}

fn verdict(kind: &'static str, class: Class, detail: String, fix: Fix, old_len: u64) -> Verdict {
    Verdict {
        kind,
        class,
        detail,
        diff: None,
        fix,
        old_len,
    }
}
