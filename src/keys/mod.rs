//! The key builder and parser (contract §1), glob escaping and TTL classes.
//!
//! Every command builds and reads keys through this module, so the key a command writes is
//! always the key the API reads.
use crate::config::Ttls;
use crate::model::Direction;

mod glob;
mod parse;
pub mod search;
pub use glob::{glob_escape, glob_within_prefix, split_column};
pub use parse::{parse, Parsed};

/// The prefix of every key the API writes.
pub const PREFIX: &str = "ol:";

/// The API's page-size range for `limit`.
pub const LIMIT_RANGE: std::ops::RangeInclusive<u32> = 1..=500;
/// The API's default page size.
pub const DEFAULT_LIMIT: u32 = 100;

/// Why a `both` graph is the tool's to keep (contract §1): the API's bidirectional query
/// fails, so it never writes one, but serves one from the cache.
pub const BOTH_NOTE: &str = "the API never writes a 'both' graph (its bidirectional query runs with two of its four arguments and answers 500) but serves one from the cache: the view works only while a tool has written it, and only `warm` refreshes it";

/// A bad key parameter. Exit code: usage.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("{param} contains '|', which would make the key ambiguous; refusing to build it")]
    Pipe { param: &'static str },
    #[error("{param} must not be empty")]
    Empty { param: &'static str },
    #[error("{param} must be {expected}, got {value:?}")]
    Range {
        param: &'static str,
        expected: &'static str,
        value: String,
    },
    #[error("{0}")]
    Other(String),
}

/// The nine kinds of key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    NamespaceList,
    NamespaceGet,
    DatasetList,
    DatasetSearch,
    DatasetGet,
    FieldList,
    DatasetStatistics,
    DatasetDdl,
    LineageGraph,
}

impl Kind {
    pub const ALL: [Kind; 9] = [
        Kind::NamespaceList,
        Kind::NamespaceGet,
        Kind::DatasetList,
        Kind::DatasetSearch,
        Kind::DatasetGet,
        Kind::FieldList,
        Kind::DatasetStatistics,
        Kind::DatasetDdl,
        Kind::LineageGraph,
    ];

    /// The fixed part of the key, up to and including the `:` before the parameters.
    pub fn head(self) -> &'static str {
        match self {
            Kind::NamespaceList => "ol:namespace:list",
            Kind::NamespaceGet => "ol:namespace:get:",
            Kind::DatasetList => "ol:dataset:list:",
            Kind::DatasetSearch => "ol:dataset:search:",
            Kind::DatasetGet => "ol:dataset:get:",
            Kind::FieldList => "ol:field:list:",
            Kind::DatasetStatistics => "ol:dataset:statistics:",
            Kind::DatasetDdl => "ol:dataset:ddl:",
            Kind::LineageGraph => "ol:lineage:graph:",
        }
    }

    /// The name used on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Kind::NamespaceList => "namespace-list",
            Kind::NamespaceGet => "namespace-get",
            Kind::DatasetList => "dataset-list",
            Kind::DatasetSearch => "dataset-search",
            Kind::DatasetGet => "dataset-get",
            Kind::FieldList => "field-list",
            Kind::DatasetStatistics => "dataset-statistics",
            Kind::DatasetDdl => "dataset-ddl",
            Kind::LineageGraph => "lineage-graph",
        }
    }

    pub fn ttl_class(self) -> TtlClass {
        match self {
            Kind::NamespaceList
            | Kind::NamespaceGet
            | Kind::DatasetList
            | Kind::DatasetGet
            | Kind::FieldList => TtlClass::Assets,
            Kind::DatasetSearch => TtlClass::Search,
            Kind::DatasetStatistics => TtlClass::Statistics,
            Kind::DatasetDdl => TtlClass::Ddl,
            Kind::LineageGraph => TtlClass::Lineage,
        }
    }

    /// A Redis glob matching every key of this kind.
    pub fn pattern(self) -> String {
        match self {
            Kind::NamespaceList => self.head().to_string(),
            _ => format!("{}*", self.head()),
        }
    }
}

/// TTL classes (contract §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TtlClass {
    Lineage,
    Assets,
    Statistics,
    Ddl,
    Search,
}

impl TtlClass {
    pub fn name(self) -> &'static str {
        match self {
            TtlClass::Lineage => "lineage",
            TtlClass::Assets => "assets",
            TtlClass::Statistics => "statistics",
            TtlClass::Ddl => "ddl",
            TtlClass::Search => "search",
        }
    }

    /// The configured TTL of this class, in seconds.
    pub fn seconds(self, ttls: &Ttls) -> u64 {
        match self {
            TtlClass::Lineage => ttls.lineage,
            TtlClass::Assets => ttls.assets,
            TtlClass::Statistics => ttls.statistics,
            TtlClass::Ddl => ttls.ddl,
            TtlClass::Search => ttls.search,
        }
    }
}

/// One cache key with its parameters (decoded values, as the API inserts them verbatim).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    NamespaceList,
    NamespaceGet {
        namespace: String,
    },
    DatasetList {
        namespace: String,
        limit: u32,
        offset: u64,
    },
    /// `query` is already trimmed and upper-cased (see [`crate::keys::search::search_query`]).
    DatasetSearch {
        query: String,
        limit: u32,
    },
    DatasetGet {
        dataset: String,
    },
    FieldList {
        dataset: String,
    },
    DatasetStatistics {
        dataset: String,
    },
    DatasetDdl {
        dataset: String,
    },
    LineageGraph {
        dataset: String,
        field: String,
        direction: Direction,
    },
}

fn no_pipe(param: &'static str, v: &str) -> Result<(), KeyError> {
    if v.contains('|') {
        Err(KeyError::Pipe { param })
    } else {
        Ok(())
    }
}

fn non_empty(param: &'static str, v: &str) -> Result<(), KeyError> {
    if v.is_empty() {
        Err(KeyError::Empty { param })
    } else {
        Ok(())
    }
}

impl Key {
    pub fn kind(&self) -> Kind {
        match self {
            Key::NamespaceList => Kind::NamespaceList,
            Key::NamespaceGet { .. } => Kind::NamespaceGet,
            Key::DatasetList { .. } => Kind::DatasetList,
            Key::DatasetSearch { .. } => Kind::DatasetSearch,
            Key::DatasetGet { .. } => Kind::DatasetGet,
            Key::FieldList { .. } => Kind::FieldList,
            Key::DatasetStatistics { .. } => Kind::DatasetStatistics,
            Key::DatasetDdl { .. } => Kind::DatasetDdl,
            Key::LineageGraph { .. } => Kind::LineageGraph,
        }
    }

    /// Check the parameters: no `|` in a composite parameter, nothing empty that the API's
    /// routes cannot carry, limits in the API's range.
    pub fn validate(&self) -> Result<(), KeyError> {
        match self {
            Key::NamespaceList => Ok(()),
            Key::NamespaceGet { namespace } => non_empty("namespace", namespace),
            Key::DatasetList {
                namespace, limit, ..
            } => {
                non_empty("namespace", namespace)?;
                no_pipe("namespace", namespace)?;
                check_limit(*limit)
            }
            Key::DatasetSearch { query, limit } => {
                no_pipe("search query", query)?;
                check_limit(*limit)
            }
            Key::DatasetGet { dataset }
            | Key::FieldList { dataset }
            | Key::DatasetStatistics { dataset }
            | Key::DatasetDdl { dataset } => non_empty("dataset", dataset),
            Key::LineageGraph { dataset, field, .. } => {
                non_empty("dataset", dataset)?;
                non_empty("field", field)?;
                no_pipe("dataset", dataset)?;
                no_pipe("field", field)
            }
        }
    }

    /// The key string. Refuses parameters that would make it ambiguous.
    pub fn build(&self) -> Result<String, KeyError> {
        self.validate()?;
        Ok(self.render())
    }

    /// The key string without validation (for keys that came from [`parse`]).
    pub fn render(&self) -> String {
        let head = self.kind().head();
        match self {
            Key::NamespaceList => head.to_string(),
            Key::NamespaceGet { namespace } => format!("{head}{namespace}"),
            Key::DatasetList {
                namespace,
                limit,
                offset,
            } => format!("{head}{namespace}|{limit}|{offset}"),
            Key::DatasetSearch { query, limit } => format!("{head}{query}|{limit}"),
            Key::DatasetGet { dataset }
            | Key::FieldList { dataset }
            | Key::DatasetStatistics { dataset }
            | Key::DatasetDdl { dataset } => format!("{head}{dataset}"),
            Key::LineageGraph {
                dataset,
                field,
                direction,
            } => {
                format!("{head}{dataset}|{field}|{}", direction.as_str())
            }
        }
    }

    pub fn ttl_class(&self) -> TtlClass {
        self.kind().ttl_class()
    }

    /// The parameters as (name, value) pairs, for reports.
    pub fn params(&self) -> Vec<(&'static str, String)> {
        match self {
            Key::NamespaceList => vec![],
            Key::NamespaceGet { namespace } => vec![("namespace", namespace.clone())],
            Key::DatasetList {
                namespace,
                limit,
                offset,
            } => vec![
                ("namespace", namespace.clone()),
                ("limit", limit.to_string()),
                ("offset", offset.to_string()),
            ],
            Key::DatasetSearch { query, limit } => {
                vec![("query", query.clone()), ("limit", limit.to_string())]
            }
            Key::DatasetGet { dataset }
            | Key::FieldList { dataset }
            | Key::DatasetStatistics { dataset }
            | Key::DatasetDdl { dataset } => vec![("dataset", dataset.clone())],
            Key::LineageGraph {
                dataset,
                field,
                direction,
            } => vec![
                ("dataset", dataset.clone()),
                ("field", field.clone()),
                ("direction", direction.as_str().to_string()),
            ],
        }
    }

    /// The parameters the API takes from the URL's path (the rest come from its query).
    pub fn path_params(&self) -> Vec<&str> {
        match self {
            Key::NamespaceList | Key::DatasetSearch { .. } => vec![],
            Key::NamespaceGet { namespace } | Key::DatasetList { namespace, .. } => {
                vec![namespace]
            }
            Key::DatasetGet { dataset }
            | Key::FieldList { dataset }
            | Key::DatasetStatistics { dataset }
            | Key::DatasetDdl { dataset } => vec![dataset],
            Key::LineageGraph { dataset, field, .. } => vec![dataset, field],
        }
    }

    /// Why the API, behind its router, can never read this key, if it cannot.
    ///
    /// Statistics and DDL are read under the dataset's canonical id, once the service has
    /// resolved the request's dataset (contract §1): a key of either without a `/` in its
    /// dataset (the name form, or an id still escaped) is never read. Every other key is read
    /// under its path parameters as the router hands them over, so one holding a `/` (the
    /// decoded id form) is never read: a `/` sent as such splits the segment, and sent as
    /// `%2F` it reaches the handler escaped (see the `route` module).
    pub fn unreachable(&self) -> Option<&'static str> {
        match self {
            Key::DatasetStatistics { dataset } | Key::DatasetDdl { dataset } => {
                (!dataset.contains('/')).then_some(
                    "never read by the API: it reads statistics and DDL under the dataset's id ({namespace_id}/{database}.{table}), after resolving the request's dataset",
                )
            }
            _ => self.path_params().iter().any(|p| p.contains('/')).then_some(
                "unreachable through the API's router: a path parameter holds '/', which no request can carry (a '/' splits the segment; '%2F' reaches the handler escaped)",
            ),
        }
    }

    /// What a user should know of a key the API reads but never writes: a `both` graph
    /// ([`BOTH_NOTE`]).
    pub fn note(&self) -> Option<&'static str> {
        matches!(
            self,
            Key::LineageGraph {
                direction: Direction::Both,
                ..
            }
        )
        .then_some(BOTH_NOTE)
    }

    /// This key with its dataset parameter replaced (keys without one are returned as
    /// they are).
    pub fn with_dataset(self, id: &str) -> Key {
        let dataset = id.to_string();
        match self {
            Key::DatasetGet { .. } => Key::DatasetGet { dataset },
            Key::FieldList { .. } => Key::FieldList { dataset },
            Key::DatasetStatistics { .. } => Key::DatasetStatistics { dataset },
            Key::DatasetDdl { .. } => Key::DatasetDdl { dataset },
            Key::LineageGraph {
                field, direction, ..
            } => Key::LineageGraph {
                dataset,
                field,
                direction,
            },
            other => other,
        }
    }

    /// The dataset this key is about, if any (id or name form, as in the key).
    pub fn dataset(&self) -> Option<&str> {
        match self {
            Key::DatasetGet { dataset }
            | Key::FieldList { dataset }
            | Key::DatasetStatistics { dataset }
            | Key::DatasetDdl { dataset }
            | Key::LineageGraph { dataset, .. } => Some(dataset),
            _ => None,
        }
    }
}

/// A page size as the API's `limit`: 1..500.
pub fn check_limit(limit: u32) -> Result<(), KeyError> {
    if LIMIT_RANGE.contains(&limit) {
        Ok(())
    } else {
        Err(KeyError::Range {
            param: "limit",
            expected: "an integer from 1 to 500",
            value: limit.to_string(),
        })
    }
}

/// Parse an integer as Go's `strconv.Atoi` does (optional sign, decimal digits, 64-bit).
pub fn go_atoi(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse::<i64>().ok()
}

#[cfg(test)]
mod tests;
