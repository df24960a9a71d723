//! A cached value decoded as its key kind's Go type (contract §3, values per key), with a
//! summary and the anomalies `inspect` reports.
use super::decode::{self, list, parse, DecodeProblem};
use super::{Encoder, GoJson};
use crate::keys::Kind;
use crate::model::{Dataset, DatasetPage, Ddl, Field, Graph, Namespace, Statistics};
use std::fmt;

/// A cached value as the model type of its key kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Decoded {
    /// `namespace:list`
    Namespaces(Vec<Namespace>),
    /// `namespace:get`
    Namespace(Namespace),
    /// `dataset:list`
    Page(DatasetPage),
    /// `dataset:search`
    Datasets(Vec<Dataset>),
    /// `dataset:get`
    Dataset(Dataset),
    /// `field:list`
    Fields(Vec<Field>),
    /// `dataset:statistics`
    Statistics(Statistics),
    /// `dataset:ddl`
    Ddl(Ddl),
    /// `lineage:graph`
    Graph(Graph),
}

/// What a cached value holds, in a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueSummary {
    Namespaces {
        len: usize,
    },
    Namespace {
        id: String,
    },
    Page {
        len: usize,
        total: i64,
    },
    Datasets {
        len: usize,
    },
    Dataset {
        name: String,
    },
    Fields {
        len: usize,
    },
    Statistics {
        dataset_id: String,
    },
    Ddl {
        dataset_id: String,
    },
    /// Counts only: the depth a graph was built with is not in its JSON.
    Graph {
        nodes: usize,
        edges: usize,
        first_node: Option<String>,
    },
}

impl ValueSummary {
    /// The number of items of a list value (None for a single item) (a page's datasets, a graph's nodes).
    pub fn count(&self) -> Option<usize> {
        match self {
            ValueSummary::Namespaces { len }
            | ValueSummary::Page { len, .. }
            | ValueSummary::Datasets { len }
            | ValueSummary::Fields { len } => Some(*len),
            ValueSummary::Graph { nodes, .. } => Some(*nodes),
            _ => None,
        }
    }
}

impl fmt::Display for ValueSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValueSummary::Namespaces { len } => write!(f, "{len} namespaces"),
            ValueSummary::Namespace { id } => write!(f, "namespace {id}"),
            ValueSummary::Page { len, total } => write!(f, "{len} datasets of {total}"),
            ValueSummary::Datasets { len } => write!(f, "{len} datasets"),
            ValueSummary::Dataset { name } => write!(f, "dataset {name}"),
            ValueSummary::Fields { len } => write!(f, "{len} fields"),
            ValueSummary::Statistics { dataset_id } => write!(f, "statistics of {dataset_id}"),
            ValueSummary::Ddl { dataset_id } => write!(f, "DDL of {dataset_id}"),
            ValueSummary::Graph { nodes, edges, .. } => write!(f, "{nodes} nodes, {edges} edges"),
        }
    }
}

/// Decode `bytes` as the Go type the API stores under a key of `kind`.
pub fn decode_value(kind: Kind, bytes: &[u8]) -> Result<Decoded, DecodeProblem> {
    let v = parse(bytes)?;
    let p = "$";
    Ok(match kind {
        Kind::NamespaceList => Decoded::Namespaces(list(&v, p, decode::namespace)?),
        Kind::NamespaceGet => Decoded::Namespace(decode::namespace(&v, p)?),
        Kind::DatasetList => Decoded::Page(decode::page(&v, p)?),
        Kind::DatasetSearch => Decoded::Datasets(list(&v, p, decode::dataset)?),
        Kind::DatasetGet => Decoded::Dataset(decode::dataset(&v, p)?),
        Kind::FieldList => Decoded::Fields(list(&v, p, decode::field)?),
        Kind::DatasetStatistics => Decoded::Statistics(decode::statistics(&v, p)?),
        Kind::DatasetDdl => Decoded::Ddl(decode::ddl(&v, p)?),
        Kind::LineageGraph => Decoded::Graph(decode::graph(&v, p)?),
    })
}

/// Check that `bytes` decodes as the Go type of `kind` and summarise it.
pub fn check_value(kind: Kind, bytes: &[u8]) -> Result<ValueSummary, DecodeProblem> {
    decode_value(kind, bytes).map(|d| d.summary())
}

/// Decode a `lineage:graph` value.
pub fn decode_graph(bytes: &[u8]) -> Result<Graph, DecodeProblem> {
    decode::graph(&parse(bytes)?, "$")
}

/// The id of a graph's first node: the seed, `{dataset name}/{field}`.
pub fn first_node_id(graph: &Graph) -> Option<&str> {
    graph.nodes.first().map(|n| n.id.as_str())
}

/// Whether any node of the graph has this id.
pub fn has_node(graph: &Graph, id: &str) -> bool {
    graph.nodes.iter().any(|n| n.id == id)
}

/// Whether a graph value starts with the seed node of (`dataset_name`, `field`). The seed
/// id is built from the resolved dataset *name*, so pass the name, not the id.
pub fn seed_present(
    graph_json: &[u8],
    dataset_name: &str,
    field: &str,
) -> Result<bool, DecodeProblem> {
    let graph = decode_graph(graph_json)?;
    let seed = format!("{dataset_name}/{field}");
    Ok(first_node_id(&graph) == Some(seed.as_str()))
}

impl Decoded {
    /// The one-line summary.
    pub fn summary(&self) -> ValueSummary {
        match self {
            Decoded::Namespaces(v) => ValueSummary::Namespaces { len: v.len() },
            Decoded::Namespace(n) => ValueSummary::Namespace { id: n.id.clone() },
            Decoded::Page(p) => ValueSummary::Page {
                len: p.datasets.len(),
                total: p.total,
            },
            Decoded::Datasets(v) => ValueSummary::Datasets { len: v.len() },
            Decoded::Dataset(d) => ValueSummary::Dataset {
                name: d.name.clone(),
            },
            Decoded::Fields(v) => ValueSummary::Fields { len: v.len() },
            Decoded::Statistics(s) => ValueSummary::Statistics {
                dataset_id: s.dataset_id.clone(),
            },
            Decoded::Ddl(d) => ValueSummary::Ddl {
                dataset_id: d.dataset_id.clone(),
            },
            Decoded::Graph(g) => ValueSummary::Graph {
                nodes: g.nodes.len(),
                edges: g.edges.len(),
                first_node: first_node_id(g).map(str::to_owned),
            },
        }
    }

    /// Whether `bytes` are exactly what `json.Marshal` writes for this decoded value, i.e.
    /// whether the value could have come from the API (member order, escapes, numbers).
    pub fn is_canonical(&self, bytes: &[u8]) -> bool {
        self.try_to_json().is_ok_and(|own| own == bytes)
    }

    /// What the API would never have cached although the value decodes: empty lists, a page
    /// longer than its total, a graph without its seed or with edges to missing nodes.
    pub fn anomalies(&self) -> Vec<String> {
        const EMPTY: &str = "empty list: the API never caches an empty result";
        let mut out = Vec::new();
        match self {
            Decoded::Namespaces(v) if v.is_empty() => out.push(EMPTY.to_string()),
            Decoded::Datasets(v) if v.is_empty() => out.push(EMPTY.to_string()),
            Decoded::Fields(v) if v.is_empty() => out.push(EMPTY.to_string()),
            Decoded::Page(p) => {
                if p.datasets.is_empty() {
                    out.push(EMPTY.to_string());
                }
                if p.datasets.len() as i64 > p.total {
                    let len = p.datasets.len();
                    out.push(format!(
                        "page holds {len} datasets but total is {}",
                        p.total
                    ));
                }
            }
            Decoded::Graph(g) => graph_anomalies(g, &mut out),
            _ => {}
        }
        out
    }
}

fn graph_anomalies(g: &Graph, out: &mut Vec<String>) {
    if g.nodes.is_empty() {
        out.push("graph without nodes: a graph always holds its seed node".to_string());
    }
    let ids: std::collections::HashSet<&str> = g.nodes.iter().map(|n| n.id.as_str()).collect();
    if ids.len() != g.nodes.len() {
        out.push("a node id appears more than once".to_string());
    }
    let missing: Vec<String> = g
        .edges
        .iter()
        .flat_map(|e| [(e, &e.source), (e, &e.target)])
        .filter(|(_, end)| !ids.contains(end.as_str()))
        .map(|(e, end)| format!("edge {} refers to a missing node {end}", e.id))
        .collect();
    const SHOWN: usize = 5;
    if missing.len() > SHOWN {
        let more = missing.len() - SHOWN;
        out.extend(missing.into_iter().take(SHOWN));
        out.push(format!("and {more} more edges refer to missing nodes"));
    } else {
        out.extend(missing);
    }
}

impl GoJson for Decoded {
    fn encode(&self, enc: &mut Encoder<'_>) {
        match self {
            Decoded::Namespaces(v) => v.encode(enc),
            Decoded::Namespace(v) => v.encode(enc),
            Decoded::Page(v) => v.encode(enc),
            Decoded::Datasets(v) => v.encode(enc),
            Decoded::Dataset(v) => v.encode(enc),
            Decoded::Fields(v) => v.encode(enc),
            Decoded::Statistics(v) => v.encode(enc),
            Decoded::Ddl(v) => v.encode(enc),
            Decoded::Graph(v) => v.encode(enc),
        }
    }
}
