//! Reading a key string back into its kind and parameters, flagging what the API never
//! writes (ambiguous, unknown, foreign).
use super::{Key, Kind, LIMIT_RANGE, PREFIX};
use crate::model::Direction;

/// What a key string is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed {
    /// One kind, one reading, exactly as the API builds it.
    Key(Key),
    /// A parameter contains `|`, so the key has several readings (or is one the API refuses
    /// to build); every reading is listed.
    Ambiguous { kind: Kind, readings: Vec<Key> },
    /// Under the `ol:` prefix but of no kind the API builds; the reason says why.
    Unknown { reason: String },
    /// Outside the `ol:` prefix: not the API's.
    Foreign,
}

impl Parsed {
    pub fn kind(&self) -> Option<Kind> {
        match self {
            Parsed::Key(k) => Some(k.kind()),
            Parsed::Ambiguous { kind, .. } => Some(*kind),
            _ => None,
        }
    }
}

fn canonical_uint(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) || (s.len() > 1 && s.starts_with('0'))
    {
        return None;
    }
    s.parse().ok()
}

fn canonical_limit(s: &str) -> Option<u32> {
    canonical_uint(s)
        .and_then(|v| u32::try_from(v).ok())
        .filter(|v| LIMIT_RANGE.contains(v))
}

fn unknown(reason: impl Into<String>) -> Parsed {
    Parsed::Unknown {
        reason: reason.into(),
    }
}

/// Read a key string back into its kind and parameters.
pub fn parse(key: &str) -> Parsed {
    if !key.starts_with(PREFIX) {
        return Parsed::Foreign;
    }
    if key == Kind::NamespaceList.head() {
        return Parsed::Key(Key::NamespaceList);
    }
    let Some((kind, rest)) = Kind::ALL[1..]
        .iter()
        .find_map(|k| key.strip_prefix(k.head()).map(|r| (*k, r)))
    else {
        return unknown("no kind of the contract has this prefix");
    };
    if rest.is_empty() {
        return unknown(format!("{} key with an empty parameter", kind.name()));
    }
    let one = |k: Key| Parsed::Key(k);
    match kind {
        Kind::NamespaceGet => one(Key::NamespaceGet {
            namespace: rest.into(),
        }),
        Kind::DatasetGet => one(Key::DatasetGet {
            dataset: rest.into(),
        }),
        Kind::FieldList => one(Key::FieldList {
            dataset: rest.into(),
        }),
        Kind::DatasetStatistics => one(Key::DatasetStatistics {
            dataset: rest.into(),
        }),
        Kind::DatasetDdl => one(Key::DatasetDdl {
            dataset: rest.into(),
        }),
        Kind::DatasetList => parse_dataset_list(rest),
        Kind::DatasetSearch => parse_search(rest),
        Kind::LineageGraph => parse_lineage(rest),
        Kind::NamespaceList => unreachable!("handled above"),
    }
}

fn parse_dataset_list(rest: &str) -> Parsed {
    let mut parts = rest.rsplitn(3, '|');
    let (Some(o), Some(l), Some(ns)) = (parts.next(), parts.next(), parts.next()) else {
        return unknown("dataset-list key without |limit|offset");
    };
    let (Some(limit), Some(offset)) = (canonical_limit(l), canonical_uint(o)) else {
        return unknown("dataset-list key whose limit or offset the API never writes");
    };
    if ns.is_empty() {
        return unknown("dataset-list key with an empty namespace");
    }
    let key = Key::DatasetList {
        namespace: ns.into(),
        limit,
        offset,
    };
    if ns.contains('|') {
        return Parsed::Ambiguous {
            kind: Kind::DatasetList,
            readings: vec![key],
        };
    }
    Parsed::Key(key)
}

fn parse_search(rest: &str) -> Parsed {
    let Some((q, l)) = rest.rsplit_once('|') else {
        return unknown("dataset-search key without |limit");
    };
    let Some(limit) = canonical_limit(l) else {
        return unknown("dataset-search key whose limit the API never writes");
    };
    if crate::keys::search::search_query(q) != q {
        return unknown(
            "dataset-search key whose query is not trimmed and upper-cased as the API does",
        );
    }
    let key = Key::DatasetSearch {
        query: q.into(),
        limit,
    };
    if q.contains('|') {
        return Parsed::Ambiguous {
            kind: Kind::DatasetSearch,
            readings: vec![key],
        };
    }
    Parsed::Key(key)
}

fn parse_lineage(rest: &str) -> Parsed {
    let Some((pair, d)) = rest.rsplit_once('|') else {
        return unknown("lineage-graph key without |direction");
    };
    let Some(direction) = Direction::parse(d) else {
        return unknown(format!(
            "lineage-graph key with direction {d:?}, not upstream, downstream or both"
        ));
    };
    let readings: Vec<Key> = pair
        .match_indices('|')
        .map(|(i, _)| (&pair[..i], &pair[i + 1..]))
        .filter(|(ds, f)| !ds.is_empty() && !f.is_empty())
        .map(|(ds, f)| Key::LineageGraph {
            dataset: ds.into(),
            field: f.into(),
            direction,
        })
        .collect();
    match readings.len() {
        0 => unknown("lineage-graph key without dataset|field"),
        1 if pair.matches('|').count() == 1 => {
            Parsed::Key(readings.into_iter().next().unwrap_or(Key::NamespaceList))
        }
        _ => Parsed::Ambiguous {
            kind: Kind::LineageGraph,
            readings,
        },
    }
}
