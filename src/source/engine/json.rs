//! Lineage graphs written straight to the API's JSON bytes, without building a
//! [`crate::model::Graph`]: the same bytes as `engine.graph(..).to_json()`, with no string
//! allocations per node or edge (the hot path of `warm`).
use std::collections::HashSet;

use super::hash::FxBuild;
use super::{Engine, TooComplex};
use crate::json::{write_f64, write_str, write_str_body, GoJson};
use crate::source::Direction;

impl Engine {
    /// The JSON of [`Engine::try_graph`]'s graph, byte for byte.
    pub fn try_graph_json(
        &self,
        dataset_name: &str,
        field: &str,
        direction: Direction,
        max_depth: u32,
        max_states: u64,
    ) -> Result<Vec<u8>, TooComplex> {
        let pairs = self.lineage_pairs(dataset_name, field, direction, max_depth, max_states)?;
        // Nodes are the same when their id strings `{dataset}/{field}` are; deduplicating by
        // column is the same thing unless a name holds a '/' (or a float cannot be written):
        // then take the general path.
        Ok(self
            .write_graph(dataset_name, field, &pairs)
            .unwrap_or_else(|| self.general(dataset_name, field, &pairs)))
    }

    fn general(&self, dataset_name: &str, field: &str, pairs: &[(u32, u32)]) -> Vec<u8> {
        let mut builder = crate::graph::GraphBuilder::new(dataset_name, field);
        for &(_, row) in pairs {
            builder.push(&self.edge_ref(row));
        }
        builder.finish().to_json()
    }

    fn write_graph(
        &self,
        dataset_name: &str,
        field: &str,
        pairs: &[(u32, u32)],
    ) -> Option<Vec<u8>> {
        if dataset_name.contains('/') || field.contains('/') {
            return None;
        }
        let mut out = Vec::with_capacity(256 + pairs.len() * 320);
        out.extend_from_slice(b"{\"nodes\":[");
        write_node(&mut out, "", dataset_name, field);
        let mut seen: HashSet<u32, FxBuild> = HashSet::default();
        if let Some(seed) = self.column(dataset_name, field) {
            seen.insert(seed);
        }
        for &(_, i) in pairs {
            let r = &self.rows[i as usize];
            for (col, ns) in [(r.src, r.src_ns), (r.tgt, r.tgt_ns)] {
                if seen.insert(col) {
                    let (ds, f) = self.column_names(col);
                    if ds.contains('/') || f.contains('/') {
                        return None;
                    }
                    out.push(b',');
                    write_node(&mut out, self.strings.resolve(ns), ds, f);
                }
            }
        }
        out.extend_from_slice(b"],\"edges\":[");
        for (n, &(_, i)) in pairs.iter().enumerate() {
            if n > 0 {
                out.push(b',');
            }
            self.write_edge(&mut out, i)?;
        }
        out.extend_from_slice(b"]}");
        Some(out)
    }

    fn column_names(&self, col: u32) -> (&str, &str) {
        let (ds, f) = self.columns[col as usize];
        (self.strings.resolve(ds), self.strings.resolve(f))
    }

    fn write_edge(&self, out: &mut Vec<u8>, i: u32) -> Option<()> {
        let r = &self.rows[i as usize];
        out.extend_from_slice(b"{\"id\":");
        write_str(out, &r.lineage_id);
        for (name, col) in [(&b",\"source\":\""[..], r.src), (b",\"target\":\"", r.tgt)] {
            out.extend_from_slice(name);
            let (ds, f) = self.column_names(col);
            write_str_body(out, ds);
            out.push(b'/');
            write_str_body(out, f);
            out.push(b'"');
        }
        out.extend_from_slice(b",\"transformationType\":");
        write_str(out, self.strings.resolve(r.ttype));
        out.extend_from_slice(b",\"transformationSubtype\":");
        write_str(out, self.strings.resolve(r.tsub));
        // A plain float64 with omitempty: NULL and 0 (either sign) are both left out.
        if let Some(score) = r.confidence.filter(|s| *s != 0.0) {
            out.extend_from_slice(b",\"confidenceScore\":");
            write_f64(out, score).ok()?;
        }
        out.push(b'}');
        Some(())
    }
}

/// `{"id":"ds/f","type":"field","namespace":ns,"dataset":ds[,"field":f]}`
fn write_node(out: &mut Vec<u8>, namespace: &str, dataset: &str, field: &str) {
    out.extend_from_slice(b"{\"id\":\"");
    write_str_body(out, dataset);
    out.push(b'/');
    write_str_body(out, field);
    out.extend_from_slice(b"\",\"type\":\"field\",\"namespace\":");
    write_str(out, namespace);
    out.extend_from_slice(b",\"dataset\":");
    write_str(out, dataset);
    if !field.is_empty() {
        out.extend_from_slice(b",\"field\":");
        write_str(out, field);
    }
    out.push(b'}');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LineageRow;
    use crate::source::LineageSource;

    fn check(engine: &Engine, ds: &str, f: &str) -> usize {
        let mut n = 0;
        for dir in Direction::ALL {
            for depth in [1, 2, 5, 20] {
                let fast = engine.try_graph_json(ds, f, dir, depth, u64::MAX).unwrap();
                let slow = engine
                    .try_graph(ds, f, dir, depth, u64::MAX)
                    .unwrap()
                    .to_json();
                assert_eq!(
                    String::from_utf8_lossy(&fast),
                    String::from_utf8_lossy(&slow),
                    "{ds}/{f} {dir:?} {depth}"
                );
                n += 1;
            }
        }
        n
    }

    #[test]
    fn same_bytes_as_the_graph_encoder_on_the_demo() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo.sqlite");
        crate::source::demo::create_demo(&path, false).unwrap();
        let source = crate::source::sqlite::SqliteSource::open(&path).unwrap();
        let engine = Engine::new(source.active_lineage().unwrap());
        let columns: Vec<(String, String)> = engine
            .columns()
            .map(|(d, f)| (d.to_string(), f.to_string()))
            .collect();
        let mut n = 0;
        for (d, f) in &columns {
            n += check(&engine, d, f);
        }
        n += check(&engine, "no.such", "column");
        assert!(n > 1000, "{n}");
    }

    #[test]
    fn names_with_slashes_take_the_general_path() {
        let row = |id: &str, s: (&str, &str), t: (&str, &str), c: Option<f64>| LineageRow {
            lineage_id: id.into(),
            source_namespace: "ns<&>".into(),
            source_dataset: s.0.into(),
            source_field: s.1.into(),
            target_namespace: "ns\u{2028}".into(),
            target_dataset: t.0.into(),
            target_field: t.1.into(),
            transformation_type: "DIRECT".into(),
            transformation_subtype: "IDENTITY".into(),
            confidence_score: c,
        };
        // ("a", "b/c") and ("a/b", "c") share the node id "a/b/c".
        let engine = Engine::new(vec![
            row("1", ("a", "b/c"), ("x", "y"), Some(0.5)),
            row("2", ("a/b", "c"), ("x", "y"), Some(0.0)),
            row("3", ("x", "y"), ("z", ""), None),
            row("4", ("x", "\"q\""), ("x", "y"), Some(1e-7)),
        ]);
        for (d, f) in [
            ("x", "y"),
            ("a", "b/c"),
            ("a/b", "c"),
            ("z", ""),
            ("x", "\"q\""),
        ] {
            check(&engine, d, f);
        }
    }
}
