//! The value of every key kind, computed from the lineage source exactly as the API would
//! (contract §3 "Values per key"), including what the API never caches.
use crate::json::GoJson;
use crate::keys::Key;
use crate::model::Direction;
use crate::source::engine::Engine;
use crate::source::graph::build_graph;
use crate::source::{LineageSource, SourceError, SourceResult};

/// Search states the in-memory engine may spend on one graph before per-key SQL takes over.
pub const MAX_STATES: u64 = 5_000_000;

/// The longest value Redis stores under its default `proto-max-bulk-len` (512 MB): the one
/// reason a value the API would write is refused (nothing is ever cut).
pub const MAX_VALUE_BYTES: usize = 512 * 1024 * 1024;

/// The outcome of computing one key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Computed {
    /// The bytes the API would store.
    Value(Vec<u8>),
    /// The API would not cache this answer (not found, empty list).
    NotCached(&'static str),
}

/// How lineage graphs are computed.
#[derive(Clone, Copy)]
pub enum GraphMode<'a> {
    /// In memory, from one bulk read of the active lineage rows, with every dataset's id and
    /// name mapped to its name.
    Bulk(&'a Engine, &'a std::collections::HashMap<String, String>),
    /// The API's own recursive SQL, per key.
    PerKey,
}

fn list<T>(items: Vec<T>) -> Computed
where
    Vec<T>: GoJson,
{
    if items.is_empty() {
        Computed::NotCached("empty list")
    } else {
        Computed::Value(items.to_json())
    }
}

fn found<T: GoJson>(item: Option<T>) -> Computed {
    match item {
        Some(v) => Computed::Value(v.to_json()),
        None => Computed::NotCached("not found"),
    }
}

/// Compute the value of `key` at lineage depth `depth`; a value longer than Redis takes
/// ([`MAX_VALUE_BYTES`]) is an error naming its size.
pub fn compute(
    key: &Key,
    source: &dyn LineageSource,
    mode: GraphMode<'_>,
    depth: u32,
) -> SourceResult<Computed> {
    within(MAX_VALUE_BYTES, key, compute_any(key, source, mode, depth)?)
}

/// `computed`, unless it is a value longer than `limit` bytes: then an error saying so.
fn within(limit: usize, key: &Key, computed: Computed) -> SourceResult<Computed> {
    match computed {
        Computed::Value(v) if v.len() > limit => Err(SourceError::Data {
            what: key.render(),
            message: format!(
                "the value is {} bytes, over the {limit} bytes Redis stores in one value (proto-max-bulk-len): not written, and never cut",
                v.len()
            ),
        }),
        c => Ok(c),
    }
}

fn compute_any(
    key: &Key,
    source: &dyn LineageSource,
    mode: GraphMode<'_>,
    depth: u32,
) -> SourceResult<Computed> {
    Ok(match key {
        Key::NamespaceList => list(source.namespaces()?),
        Key::NamespaceGet { namespace } => found(source.namespace(namespace)?),
        Key::DatasetList {
            namespace,
            limit,
            offset,
        } => {
            let page = source.dataset_page(namespace, *limit, *offset)?;
            if page.datasets.is_empty() {
                Computed::NotCached("empty list")
            } else {
                Computed::Value(page.to_json())
            }
        }
        Key::DatasetSearch { query, limit } => list(source.search(query, *limit)?),
        Key::DatasetGet { dataset } => found(source.dataset(dataset)?),
        Key::FieldList { dataset } => list(source.fields(dataset)?),
        Key::DatasetStatistics { dataset } => found(source.statistics(dataset)?),
        Key::DatasetDdl { dataset } => found(source.ddl(dataset)?),
        Key::LineageGraph {
            dataset,
            field,
            direction,
        } => Computed::Value(graph(source, mode, (dataset, field, *direction), depth)?),
    })
}

/// A lineage graph: from the engine in bulk mode, else (or when the engine gives up) from the
/// source's recursive query, as the API computes it.
fn graph(
    source: &dyn LineageSource,
    mode: GraphMode<'_>,
    (dataset, field, direction): (&str, &str, Direction),
    depth: u32,
) -> SourceResult<Vec<u8>> {
    if let GraphMode::Bulk(engine, names) = mode {
        let name = names.get(dataset).map(String::as_str).unwrap_or(dataset);
        // A dense cycle can make path enumeration explode: then the API's own SQL
        // (which enumerates the same paths) is the only reference left.
        if let Ok(json) = engine.try_graph_json(name, field, direction, depth, MAX_STATES) {
            return Ok(json);
        }
    }
    let name = resolve_name(source, dataset)?;
    let hits = source.lineage(dataset, field, direction, depth)?;
    Ok(build_graph(&name, field, &hits).to_json())
}

/// A dataset id or name resolved to its name; unchanged when no row matches.
pub fn resolve_name(source: &dyn LineageSource, id_or_name: &str) -> SourceResult<String> {
    Ok(source
        .dataset(id_or_name)?
        .map(|d| d.name)
        .unwrap_or_else(|| id_or_name.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_longer_than_redis_takes_is_refused_whole() {
        let key = Key::DatasetDdl {
            dataset: "ns/db.T".into(),
        };
        let ok = within(4, &key, Computed::Value(b"1234".to_vec())).unwrap();
        assert_eq!(ok, Computed::Value(b"1234".to_vec()));
        let err = within(4, &key, Computed::Value(b"12345".to_vec())).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("ol:dataset:ddl:ns/db.T"), "{text}");
        assert!(text.contains("5 bytes, over the 4 bytes"), "{text}");
        assert!(text.contains("proto-max-bulk-len"), "{text}");
        let skip = within(0, &key, Computed::NotCached("empty list")).unwrap();
        assert_eq!(skip, Computed::NotCached("empty list"));
    }
}
