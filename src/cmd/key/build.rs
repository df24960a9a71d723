//! `key build`: the key of one kind from its flags, with the API's defaults for what is left
//! out. Which flags a kind takes is a table ([`takes`]); any other flag given is refused.
use crate::cli::KeyBuildArgs;
use crate::cmd::convert::{direction_of, kind_of};
use crate::failure::bad_input;
use crate::keys::search::search_query;
use crate::keys::{go_atoi, Key, Kind, DEFAULT_LIMIT};
use crate::model::Direction;

/// A flag of `key build` that only some kinds take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flag {
    Query,
    Offset,
    Limit,
    Direction,
    Field,
    Namespace,
    Dataset,
}

/// Every flag, in the order a flag given in vain is looked for.
const FLAGS: [Flag; 7] = [
    Flag::Query,
    Flag::Offset,
    Flag::Limit,
    Flag::Direction,
    Flag::Field,
    Flag::Namespace,
    Flag::Dataset,
];

/// The flags each kind takes.
fn takes(kind: Kind) -> &'static [Flag] {
    match kind {
        Kind::NamespaceList => &[],
        Kind::NamespaceGet => &[Flag::Namespace],
        Kind::DatasetList => &[Flag::Namespace, Flag::Limit, Flag::Offset],
        Kind::DatasetSearch => &[Flag::Query, Flag::Limit],
        Kind::DatasetGet | Kind::FieldList | Kind::DatasetStatistics | Kind::DatasetDdl => {
            &[Flag::Dataset]
        }
        Kind::LineageGraph => &[Flag::Dataset, Flag::Field, Flag::Direction],
    }
}

impl Flag {
    fn name(self) -> &'static str {
        match self {
            Flag::Query => "query",
            Flag::Offset => "offset",
            Flag::Limit => "limit",
            Flag::Direction => "direction",
            Flag::Field => "field",
            Flag::Namespace => "namespace",
            Flag::Dataset => "dataset",
        }
    }

    fn given(self, b: &KeyBuildArgs) -> bool {
        match self {
            Flag::Query => b.query.is_some(),
            Flag::Offset => b.offset.is_some(),
            Flag::Limit => b.limit.is_some(),
            Flag::Direction => b.direction.is_some(),
            Flag::Field => b.field.is_some(),
            Flag::Namespace => b.namespace.is_some(),
            Flag::Dataset => b.dataset.is_some(),
        }
    }
}

/// Turn `key build` arguments into a key, with the API's defaults for what is left out.
pub(super) fn build_key(b: &KeyBuildArgs) -> anyhow::Result<Key> {
    let kind = kind_of(b.kind);
    if let Some(flag) = FLAGS
        .into_iter()
        .find(|f| f.given(b) && !takes(kind).contains(f))
    {
        return Err(bad_input(format!(
            "--{} does not apply to a {} key",
            flag.name(),
            kind.name()
        )));
    }
    let key = key_of(kind, b)?;
    key.validate()?;
    Ok(key)
}

/// The key of `kind` from the flags it takes.
fn key_of(kind: Kind, b: &KeyBuildArgs) -> anyhow::Result<Key> {
    let need = |v: &Option<String>, flag: Flag| {
        v.clone()
            .ok_or_else(|| bad_input(format!("a {} key needs --{}", kind.name(), flag.name())))
    };
    Ok(match kind {
        Kind::NamespaceList => Key::NamespaceList,
        Kind::NamespaceGet => Key::NamespaceGet {
            namespace: need(&b.namespace, Flag::Namespace)?,
        },
        Kind::DatasetList => {
            let offset = offset_of(&b.offset)?;
            Key::DatasetList {
                namespace: need(&b.namespace, Flag::Namespace)?,
                limit: limit_of(&b.limit)?,
                offset,
            }
        }
        Kind::DatasetSearch => Key::DatasetSearch {
            query: search_query(&query_of(need(&b.query, Flag::Query)?)?),
            limit: limit_of(&b.limit)?,
        },
        Kind::LineageGraph => Key::LineageGraph {
            dataset: need(&b.dataset, Flag::Dataset)?,
            field: need(&b.field, Flag::Field)?,
            direction: b.direction.map(direction_of).unwrap_or(Direction::Both),
        },
        Kind::DatasetGet | Kind::FieldList | Kind::DatasetStatistics | Kind::DatasetDdl => {
            dataset_key(kind, need(&b.dataset, Flag::Dataset)?)
        }
    })
}

/// The key of a kind whose one parameter is the dataset (`dataset-get` for any other kind).
fn dataset_key(kind: Kind, dataset: String) -> Key {
    match kind {
        Kind::FieldList => Key::FieldList { dataset },
        Kind::DatasetStatistics => Key::DatasetStatistics { dataset },
        Kind::DatasetDdl => Key::DatasetDdl { dataset },
        _ => Key::DatasetGet { dataset },
    }
}

/// `--query`, which the API refuses empty.
fn query_of(q: String) -> anyhow::Result<String> {
    if q.is_empty() {
        return Err(bad_input(
            "--query must not be empty (the API rejects an empty q)",
        ));
    }
    Ok(q)
}

/// `--offset` as the API reads it (default 0).
fn offset_of(v: &Option<String>) -> anyhow::Result<u64> {
    let Some(o) = v else { return Ok(0) };
    go_atoi(o)
        .and_then(|n| u64::try_from(n).ok())
        .ok_or_else(|| {
            bad_input(format!(
                "--offset must be a non-negative integer, got {o:?}"
            ))
        })
}

/// `--limit` as the API reads it (default 100), from 1 to 500.
fn limit_of(v: &Option<String>) -> anyhow::Result<u32> {
    let Some(s) = v else { return Ok(DEFAULT_LIMIT) };
    let n = go_atoi(s).and_then(|n| u32::try_from(n).ok()).unwrap_or(0);
    crate::keys::check_limit(n).map_err(|_| {
        bad_input(format!(
            "--limit must be an integer from 1 to 500, got {s:?}"
        ))
    })?;
    Ok(n)
}
