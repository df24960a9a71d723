//! Building a lineage graph from the recursive SQL's (row, depth) pairs (contract §4).
//!
//! First the seed node `{name}/{F}` (namespace `""`), then for each pair in order the
//! source node and the target node when their id is not yet present, and one edge per
//! pair: an edge repeats when its row appears at several depths. Node ids are compared as
//! strings, so a later row never replaces a node (not even the seed's empty namespace).
use std::collections::HashSet;

use crate::model::{Edge, Graph, LineageHit, LineageRow, Node};

/// A lineage row, borrowed: what one edge and its two nodes are built from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EdgeRef<'a> {
    pub lineage_id: &'a str,
    pub source_namespace: &'a str,
    pub source_dataset: &'a str,
    pub source_field: &'a str,
    pub target_namespace: &'a str,
    pub target_dataset: &'a str,
    pub target_field: &'a str,
    pub transformation_type: &'a str,
    pub transformation_subtype: &'a str,
    pub confidence_score: Option<f64>,
}

impl<'a> From<&'a LineageRow> for EdgeRef<'a> {
    fn from(r: &'a LineageRow) -> Self {
        EdgeRef {
            lineage_id: &r.lineage_id,
            source_namespace: &r.source_namespace,
            source_dataset: &r.source_dataset,
            source_field: &r.source_field,
            target_namespace: &r.target_namespace,
            target_dataset: &r.target_dataset,
            target_field: &r.target_field,
            transformation_type: &r.transformation_type,
            transformation_subtype: &r.transformation_subtype,
            confidence_score: r.confidence_score,
        }
    }
}

/// Incremental graph construction, in the API's order.
pub struct GraphBuilder {
    graph: Graph,
    seen: HashSet<String>,
}

impl GraphBuilder {
    /// A graph holding only the seed node `{seed_dataset_name}/{field}`.
    pub fn new(seed_dataset_name: &str, field: &str) -> Self {
        let mut builder = GraphBuilder {
            graph: Graph::default(),
            seen: HashSet::new(),
        };
        builder.node("", seed_dataset_name, field);
        builder
    }

    /// Add a node unless a node with the same id exists; returns the id.
    fn node(&mut self, namespace: &str, dataset: &str, field: &str) -> String {
        let id = format!("{dataset}/{field}");
        if !self.seen.contains(&id) {
            self.seen.insert(id.clone());
            self.graph.nodes.push(Node {
                id: id.clone(),
                namespace: namespace.to_owned(),
                dataset: dataset.to_owned(),
                field: field.to_owned(),
                metadata: Default::default(),
            });
        }
        id
    }

    /// Add the next (row, depth) pair: its missing nodes, then its edge.
    pub fn push(&mut self, e: &EdgeRef<'_>) {
        let source = self.node(e.source_namespace, e.source_dataset, e.source_field);
        let target = self.node(e.target_namespace, e.target_dataset, e.target_field);
        self.graph.edges.push(Edge {
            id: e.lineage_id.to_owned(),
            source,
            target,
            transformation_type: e.transformation_type.to_owned(),
            transformation_subtype: e.transformation_subtype.to_owned(),
            confidence_score: e.confidence_score,
        });
    }

    /// The finished graph.
    pub fn finish(self) -> Graph {
        self.graph
    }
}

/// The graph of a seed column from its hits, already in the API's order.
pub fn build_graph(seed_dataset_name: &str, field: &str, hits: &[LineageHit]) -> Graph {
    let mut builder = GraphBuilder::new(seed_dataset_name, field);
    for hit in hits {
        builder.push(&EdgeRef::from(&hit.row));
    }
    builder.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &str, src: (&str, &str, &str), tgt: (&str, &str, &str)) -> LineageRow {
        LineageRow {
            lineage_id: id.into(),
            source_namespace: src.0.into(),
            source_dataset: src.1.into(),
            source_field: src.2.into(),
            target_namespace: tgt.0.into(),
            target_dataset: tgt.1.into(),
            target_field: tgt.2.into(),
            transformation_type: "DIRECT".into(),
            transformation_subtype: "IDENTITY".into(),
            confidence_score: Some(0.95),
        }
    }

    fn node(id: &str, ns: &str, ds: &str, f: &str) -> Node {
        Node {
            id: id.into(),
            namespace: ns.into(),
            dataset: ds.into(),
            field: f.into(),
            metadata: Default::default(),
        }
    }

    fn edge(id: &str, s: &str, t: &str, ttype: &str, sub: &str, c: Option<f64>) -> Edge {
        Edge {
            id: id.into(),
            source: s.into(),
            target: t.into(),
            transformation_type: ttype.into(),
            transformation_subtype: sub.into(),
            confidence_score: c,
        }
    }

    #[test]
    fn seed_only_graph_has_one_node_and_no_edges() {
        let g = build_graph("db.t", "c", &[]);
        assert_eq!(g.nodes, vec![node("db.t/c", "", "db.t", "c")]);
        assert!(g.edges.is_empty());
    }

    #[test]
    fn nodes_in_first_seen_order_edges_repeat_per_depth() {
        // Upstream of stg.t/c: stg.t/c <- src.t/c (depth 1) <- raw.t/c (depth 2); a row
        // src.t/c -> stg.t/c seen again at depth 3 (through a cycle) repeats its edge.
        let r1 = row("b1", ("ns1", "src.t", "c"), ("ns2", "stg.t", "c"));
        let mut r2 = row("a2", ("ns0", "raw.t", "c"), ("ns1", "src.t", "c"));
        r2.transformation_type = "INDIRECT".into();
        r2.transformation_subtype = "JOIN".into();
        r2.confidence_score = None;
        let hits = vec![
            LineageHit {
                row: r1.clone(),
                depth: 1,
            },
            LineageHit { row: r2, depth: 2 },
            LineageHit { row: r1, depth: 3 },
        ];
        let g = build_graph("stg.t", "c", &hits);
        // The seed keeps its empty namespace although r1 names it with "ns2".
        assert_eq!(
            g.nodes,
            vec![
                node("stg.t/c", "", "stg.t", "c"),
                node("src.t/c", "ns1", "src.t", "c"),
                node("raw.t/c", "ns0", "raw.t", "c"),
            ]
        );
        assert_eq!(
            g.edges,
            vec![
                edge("b1", "src.t/c", "stg.t/c", "DIRECT", "IDENTITY", Some(0.95)),
                edge("a2", "raw.t/c", "src.t/c", "INDIRECT", "JOIN", None),
                edge("b1", "src.t/c", "stg.t/c", "DIRECT", "IDENTITY", Some(0.95)),
            ]
        );
    }

    #[test]
    fn node_identity_is_the_id_string() {
        // ("a", "b/c") and ("a/b", "c") share the id "a/b/c": the first one wins.
        let r = row("x", ("n1", "a/b", "c"), ("n2", "d.t", "e"));
        let hits = vec![LineageHit { row: r, depth: 1 }];
        let g = build_graph("a", "b/c", &hits);
        assert_eq!(
            g.nodes,
            vec![
                node("a/b/c", "", "a", "b/c"),
                node("d.t/e", "n2", "d.t", "e")
            ]
        );
        assert_eq!(g.edges[0].source, "a/b/c");
    }
}
