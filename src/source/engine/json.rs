//! Lineage graphs written straight to the API's JSON bytes, without building a
//! [`crate::model::Graph`]: the same bytes as `engine.graph(..).to_json()`, with no string
//! allocations per node or edge (the hot path of `warm`).
use std::collections::HashSet;

use super::{Engine, ScoreText, TooComplex};
use crate::json::{write_str, write_str_body, GoJson};
use crate::source::fx::FxBuild;
use crate::source::Direction;

thread_local! {
    /// The node set of the last graph written on this thread, kept for its capacity: growing
    /// a new one for each of 100,000 graphs showed in profiles (rehashes, allocations).
    static SEEN: std::cell::Cell<Option<HashSet<u32, FxBuild>>> = const { std::cell::Cell::new(None) };
}

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
            .unwrap_or_else(|| self.graph_of(dataset_name, field, &pairs).to_json()))
    }

    /// The graph's JSON written directly from the pre-escaped texts; `None` where node ids
    /// could collide (a '/' in a name) or an edge cannot be written: the general path then.
    fn write_graph(
        &self,
        dataset_name: &str,
        field: &str,
        pairs: &[(u32, u32)],
    ) -> Option<Vec<u8>> {
        if self.slashes || dataset_name.contains('/') || field.contains('/') {
            return None;
        }
        let mut out = Vec::with_capacity(256 + pairs.len() * 320);
        write_seed(&mut out, dataset_name, field);
        self.touch(pairs);
        let seen = self.write_nodes(&mut out, dataset_name, field, pairs);
        out.extend_from_slice(b"],\"edges\":[");
        for (n, &(_, i)) in pairs.iter().enumerate() {
            if n > 0 {
                out.push(b',');
            }
            self.write_edge(&mut out, i)?;
        }
        out.extend_from_slice(b"]}");
        if seen.capacity() <= 1 << 16 {
            SEEN.with(|s| s.set(Some(seen)));
        }
        Some(out)
    }

    /// Every column of the graph's rows after the seed, once each: the node set it used.
    fn write_nodes(
        &self,
        out: &mut Vec<u8>,
        dataset_name: &str,
        field: &str,
        pairs: &[(u32, u32)],
    ) -> HashSet<u32, FxBuild> {
        let mut seen = SEEN.with(|s| s.take()).unwrap_or_default();
        seen.clear();
        if let Some(seed) = self.column(dataset_name, field) {
            seen.insert(seed);
        }
        for &(_, i) in pairs {
            let r = &self.rows[i as usize];
            for (col, ns, text) in [(r.src, r.src_ns, r.src_text), (r.tgt, r.tgt_ns, r.tgt_text)] {
                if seen.insert(col) {
                    out.push(b',');
                    self.write_node(out, text, ns);
                }
            }
        }
        seen
    }

    /// Read the first byte of every text the graph will copy, in one tight loop of
    /// independent loads: the CPU then waits for many cache misses at once instead of one
    /// after another while writing (the texts are scattered over tens of megabytes).
    fn touch(&self, pairs: &[(u32, u32)]) {
        let mut sum = 0u8;
        for &(_, i) in pairs {
            let r = &self.rows[i as usize];
            sum ^= self.ids.bytes[r.id as usize]
                ^ self.column_json.bytes[r.src_text as usize]
                ^ self.column_json.bytes[r.tgt_text as usize];
        }
        std::hint::black_box(sum);
    }

    /// `{"id":"ds/f","type":"field","namespace":ns,"dataset":ds[,"field":f]}`, all from
    /// the column's `ds/f` text (no name holds a '/' here): one memory access, not three.
    fn write_node(&self, out: &mut Vec<u8>, text: u32, ns: u32) {
        let id = self.column_json.get(text);
        let slash = id.iter().position(|&b| b == b'/').unwrap_or(id.len());
        let (ds, f) = (&id[..slash], id.get(slash + 1..).unwrap_or_default());
        out.extend_from_slice(b"{\"id\":\"");
        out.extend_from_slice(id);
        out.extend_from_slice(b"\",\"type\":\"field\",\"namespace\":\"");
        out.extend_from_slice(self.json.get(ns).as_bytes());
        out.extend_from_slice(b"\",\"dataset\":\"");
        out.extend_from_slice(ds);
        if !f.is_empty() {
            out.extend_from_slice(b"\",\"field\":\"");
            out.extend_from_slice(f);
        }
        out.extend_from_slice(b"\"}");
    }

    fn write_edge(&self, out: &mut Vec<u8>, i: u32) -> Option<()> {
        let r = &self.rows[i as usize];
        let text = |sym| self.json.get(sym).as_bytes();
        out.extend_from_slice(b"{\"id\":\"");
        let escaped = match self.escaped_ids.is_empty() {
            true => None,
            false => self.escaped_ids.get(&i),
        };
        out.extend_from_slice(escaped.map_or_else(|| self.ids.get(r.id), |e| e.as_bytes()));
        out.extend_from_slice(b"\",\"source\":\"");
        out.extend_from_slice(self.column_json.get(r.src_text));
        out.extend_from_slice(b"\",\"target\":\"");
        out.extend_from_slice(self.column_json.get(r.tgt_text));
        out.extend_from_slice(b"\",\"transformationType\":\"");
        out.extend_from_slice(text(r.ttype));
        out.extend_from_slice(b"\",\"transformationSubtype\":\"");
        out.extend_from_slice(text(r.tsub));
        out.push(b'"');
        // A plain float64 with omitempty: NULL and 0 (either sign) are both left out.
        match &self.scores[r.score as usize].text {
            ScoreText::Omit => {}
            ScoreText::Unwritable => return None,
            ScoreText::Number(n) => {
                out.extend_from_slice(b",\"confidenceScore\":");
                out.extend_from_slice(n.as_bytes());
            }
        }
        out.push(b'}');
        Some(())
    }
}

/// The opening of a graph and its seed node: the column asked for, in no namespace.
fn write_seed(out: &mut Vec<u8>, dataset_name: &str, field: &str) {
    out.extend_from_slice(b"{\"nodes\":[{\"id\":\"");
    write_str_body(out, dataset_name);
    out.push(b'/');
    write_str_body(out, field);
    out.extend_from_slice(b"\",\"type\":\"field\",\"namespace\":\"\",\"dataset\":");
    write_str(out, dataset_name);
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
    fn ids_with_escapes_long_common_prefixes_and_duplicates() {
        let row = |id: &str, s: &str, t: &str| LineageRow {
            lineage_id: id.into(),
            source_namespace: "ns".into(),
            source_dataset: "d".into(),
            source_field: s.into(),
            target_namespace: "ns".into(),
            target_dataset: "d".into(),
            target_field: t.into(),
            transformation_type: "DIRECT".into(),
            transformation_subtype: "IDENTITY".into(),
            confidence_score: Some(0.5),
        };
        // Ids sharing their first 8 bytes (ordered by the rest), ids that need escaping,
        // a row given twice, and a short id.
        let engine = Engine::new(vec![
            row("lineage-0002", "b", "c"),
            row("lineage-0001", "a", "b"),
            row("lineage-0001", "a", "b"),
            row("lineage-\"q\"<&>", "c", "d"),
            row("lineage-\u{2028}", "a", "d"),
            row("x", "d", "a"),
            row("lineage-0001", "x", "b"),
        ]);
        assert_eq!(engine.len(), 6, "the duplicate row merged");
        for f in ["a", "b", "c", "d", "x"] {
            assert!(check(&engine, "d", f) > 0);
        }
        let json = engine
            .try_graph_json("d", "d", Direction::Upstream, 5, u64::MAX)
            .unwrap();
        let text = String::from_utf8(json).unwrap();
        assert!(
            text.contains(r#""id":"lineage-\"q\"\u003c\u0026\u003e""#),
            "{text}"
        );
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
