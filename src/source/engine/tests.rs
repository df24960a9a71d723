//! Hand-made traversal cases with their expected outputs written out.
use super::*;
use crate::source::Direction::{Both, Downstream, Upstream};

/// A row `src -> tgt` between columns written `dataset/field`.
pub(super) fn r(id: &str, src: &str, tgt: &str) -> LineageRow {
    let split = |c: &str| {
        let (d, f) = c.rsplit_once('/').expect("test column is dataset/field");
        (d.to_owned(), f.to_owned())
    };
    let ((sd, sf), (td, tf)) = (split(src), split(tgt));
    LineageRow {
        lineage_id: id.into(),
        source_namespace: "ns".into(),
        source_dataset: sd,
        source_field: sf,
        target_namespace: "ns".into(),
        target_dataset: td,
        target_field: tf,
        transformation_type: "DIRECT".into(),
        transformation_subtype: "IDENTITY".into(),
        confidence_score: Some(1.0),
    }
}

/// The result as (depth, lineage_id) pairs, checked against the reference as well.
fn run(rows: &[LineageRow], seed: &str, dir: Direction, n: u32) -> Vec<(u32, String)> {
    let (ds, f) = seed.rsplit_once('/').expect("seed is dataset/field");
    let hits = Engine::new(rows.to_vec()).lineage(ds, f, dir, n);
    assert_eq!(hits, super::proptests::reference(rows, ds, f, dir, n));
    hits.into_iter()
        .map(|h| (h.depth, h.row.lineage_id))
        .collect()
}

fn pairs(expected: &[(u32, &str)]) -> Vec<(u32, String)> {
    expected.iter().map(|&(d, id)| (d, id.to_owned())).collect()
}

fn chain() -> Vec<LineageRow> {
    vec![
        r("e1", "a.t/x", "b.t/x"),
        r("e2", "b.t/x", "c.t/x"),
        r("e3", "c.t/x", "d.t/x"),
    ]
}

#[test]
fn chain_respects_direction_and_depth_limits() {
    let rows = chain();
    assert_eq!(run(&rows, "a.t/x", Downstream, 1), pairs(&[(1, "e1")]));
    assert_eq!(
        run(&rows, "a.t/x", Downstream, 2),
        pairs(&[(1, "e1"), (2, "e2")])
    );
    let all = pairs(&[(1, "e1"), (2, "e2"), (3, "e3")]);
    assert_eq!(run(&rows, "a.t/x", Downstream, 3), all);
    assert_eq!(run(&rows, "a.t/x", Downstream, 20), all);
    assert_eq!(run(&rows, "a.t/x", Upstream, 5), pairs(&[]));
    let up = pairs(&[(1, "e3"), (2, "e2"), (3, "e1")]);
    assert_eq!(run(&rows, "d.t/x", Upstream, 3), up);
    assert_eq!(run(&rows, "b.t/x", Both, 1), pairs(&[(1, "e1"), (1, "e2")]));
    let both = pairs(&[(1, "e1"), (1, "e2"), (2, "e3")]);
    assert_eq!(run(&rows, "b.t/x", Both, 2), both);
}

#[test]
fn unknown_seed_zero_depth_and_case_give_nothing() {
    let rows = chain();
    assert_eq!(run(&rows, "a.t/x", Downstream, 0), pairs(&[]));
    assert_eq!(run(&rows, "a.t/X", Both, 5), pairs(&[]));
    assert_eq!(run(&rows, "A.T/x", Both, 5), pairs(&[]));
    assert_eq!(run(&rows, "zz.t/x", Both, 5), pairs(&[]));
    assert_eq!(run(&[], "a.t/x", Both, 5), pairs(&[]));
}

#[test]
fn diamond_with_shortcut_reaches_rows_at_several_depths() {
    let rows = vec![
        r("d1", "a.t/x", "b.t/x"),
        r("d2", "a.t/x", "c.t/x"),
        r("d3", "b.t/x", "d.t/x"),
        r("d4", "c.t/x", "d.t/x"),
        r("d5", "d.t/x", "e.t/x"),
        r("d6", "a.t/x", "d.t/x"),
    ];
    let down = [
        (1, "d1"),
        (1, "d2"),
        (1, "d6"),
        (2, "d3"),
        (2, "d4"),
        (2, "d5"),
        (3, "d5"),
    ];
    assert_eq!(run(&rows, "a.t/x", Downstream, 3), pairs(&down));
    let up = [
        (1, "d5"),
        (2, "d3"),
        (2, "d4"),
        (2, "d6"),
        (3, "d1"),
        (3, "d2"),
    ];
    assert_eq!(run(&rows, "e.t/x", Upstream, 3), pairs(&up));
    assert_eq!(run(&rows, "e.t/x", Upstream, 9), pairs(&up));
}

#[test]
fn two_cycle_stops_before_a_row_repeats() {
    let rows = vec![r("c1", "a.t/x", "b.t/x"), r("c2", "b.t/x", "a.t/x")];
    assert_eq!(
        run(&rows, "a.t/x", Downstream, 5),
        pairs(&[(1, "c1"), (2, "c2")])
    );
    assert_eq!(
        run(&rows, "a.t/x", Upstream, 5),
        pairs(&[(1, "c2"), (2, "c1")])
    );
    let both = [(1, "c1"), (1, "c2"), (2, "c1"), (2, "c2")];
    assert_eq!(run(&rows, "a.t/x", Both, 5), pairs(&both));
    assert_eq!(run(&rows, "a.t/x", Both, 1), pairs(&[(1, "c1"), (1, "c2")]));
}

#[test]
fn self_loop_is_taken_once_and_shared_by_both_directions() {
    let rows = vec![r("s", "a.t/x", "a.t/x"), r("t", "a.t/x", "b.t/x")];
    let down = [(1, "s"), (1, "t"), (2, "t")];
    assert_eq!(run(&rows, "a.t/x", Downstream, 3), pairs(&down));
    assert_eq!(run(&rows, "a.t/x", Upstream, 3), pairs(&[(1, "s")]));
    // (1, s) is in both results and appears once.
    assert_eq!(run(&rows, "a.t/x", Both, 3), pairs(&down));
    assert_eq!(
        run(&rows, "b.t/x", Upstream, 3),
        pairs(&[(1, "t"), (2, "s")])
    );
}

#[test]
fn parallel_rows_are_distinct_edges() {
    let rows = vec![
        r("p2", "a.t/x", "b.t/x"),
        r("p1", "a.t/x", "b.t/x"),
        r("q", "b.t/x", "c.t/x"),
    ];
    let down = [(1, "p1"), (1, "p2"), (2, "q")];
    assert_eq!(run(&rows, "a.t/x", Downstream, 2), pairs(&down));
    let up = [(1, "q"), (2, "p1"), (2, "p2")];
    assert_eq!(run(&rows, "c.t/x", Upstream, 4), pairs(&up));
}

#[test]
fn three_cycle_feeds_its_seed_and_leaves_once_more() {
    let rows = vec![
        r("k1", "a.t/x", "b.t/x"),
        r("k2", "b.t/x", "c.t/x"),
        r("k3", "c.t/x", "a.t/x"),
        r("k4", "a.t/x", "d.t/x"),
    ];
    let d3 = [(1, "k1"), (1, "k4"), (2, "k2"), (3, "k3")];
    assert_eq!(run(&rows, "a.t/x", Downstream, 3), pairs(&d3));
    let d10 = [(1, "k1"), (1, "k4"), (2, "k2"), (3, "k3"), (4, "k4")];
    assert_eq!(run(&rows, "a.t/x", Downstream, 10), pairs(&d10));
    let up = [(1, "k3"), (2, "k2"), (3, "k1")];
    assert_eq!(run(&rows, "a.t/x", Upstream, 10), pairs(&up));
    let up_d = [(1, "k4"), (2, "k3"), (3, "k2"), (4, "k1")];
    assert_eq!(run(&rows, "d.t/x", Upstream, 10), pairs(&up_d));
}

#[test]
fn figure_eight_runs_each_loop_once_in_either_order() {
    let rows = vec![
        r("f1", "a.t/x", "b.t/x"),
        r("f2", "b.t/x", "a.t/x"),
        r("f3", "a.t/x", "c.t/x"),
        r("f4", "c.t/x", "a.t/x"),
    ];
    let all = [
        (1, "f1"),
        (1, "f3"),
        (2, "f2"),
        (2, "f4"),
        (3, "f1"),
        (3, "f3"),
        (4, "f2"),
        (4, "f4"),
    ];
    assert_eq!(run(&rows, "a.t/x", Downstream, 6), pairs(&all));
    assert_eq!(run(&rows, "a.t/x", Downstream, 3), pairs(&all[..6]));
}

#[test]
fn fan_in_and_fan_out() {
    let rows = vec![
        r("i1", "a.t/x", "m.t/x"),
        r("i2", "b.t/x", "m.t/x"),
        r("i3", "c.t/x", "m.t/x"),
        r("o1", "m.t/x", "p.t/x"),
        r("o2", "m.t/x", "q.t/x"),
    ];
    let up = [(1, "o1"), (2, "i1"), (2, "i2"), (2, "i3")];
    assert_eq!(run(&rows, "p.t/x", Upstream, 2), pairs(&up));
    assert_eq!(run(&rows, "p.t/x", Upstream, 1), pairs(&up[..1]));
    let down = [(1, "i1"), (2, "o1"), (2, "o2")];
    assert_eq!(run(&rows, "a.t/x", Downstream, 2), pairs(&down));
    let both = [(1, "i1"), (1, "i2"), (1, "i3"), (1, "o1"), (1, "o2")];
    assert_eq!(run(&rows, "m.t/x", Both, 3), pairs(&both));
}

#[test]
fn lineage_ids_order_by_bytes() {
    let rows = vec![
        r("b", "s.t/x", "t.t/x"),
        r("B", "s.t/y", "t.t/x"),
        r("a10", "s.t/z", "t.t/x"),
        r("a9", "s.t/w", "t.t/x"),
    ];
    let up = [(1, "B"), (1, "a10"), (1, "a9"), (1, "b")];
    assert_eq!(run(&rows, "t.t/x", Upstream, 1), pairs(&up));
}

#[test]
fn a_shared_lineage_id_is_never_used_twice_on_a_path() {
    // Two different rows with id "s" in a chain: the second cannot follow the first.
    let rows = vec![r("s", "a.t/x", "b.t/x"), r("s", "b.t/x", "c.t/x")];
    assert_eq!(run(&rows, "a.t/x", Downstream, 3), pairs(&[(1, "s")]));
    assert_eq!(run(&rows, "b.t/x", Downstream, 3), pairs(&[(1, "s")]));
    assert_eq!(run(&rows, "c.t/x", Upstream, 3), pairs(&[(1, "s")]));
}

#[test]
fn rows_sharing_an_id_tie_by_remaining_members_and_duplicates_merge() {
    let mut n2 = r("p", "a.t/x", "b.t/x");
    n2.source_namespace = "ns2".into();
    let n1 = r("p", "a.t/x", "b.t/x");
    let rows = vec![n2.clone(), n1.clone(), n1.clone(), r("q", "b.t/x", "c.t/x")];
    let (ds, f) = ("a.t", "x");
    let hits = Engine::new(rows.clone()).lineage(ds, f, Downstream, 2);
    assert_eq!(
        hits,
        super::proptests::reference(&rows, ds, f, Downstream, 2)
    );
    let got: Vec<(u32, &str, &str)> = hits
        .iter()
        .map(|h| {
            (
                h.depth,
                h.row.lineage_id.as_str(),
                h.row.source_namespace.as_str(),
            )
        })
        .collect();
    assert_eq!(got, vec![(1, "p", "ns"), (1, "p", "ns2"), (2, "q", "ns")]);
}

#[test]
fn graph_matches_build_graph_of_hits() {
    let rows = vec![
        r("k1", "a.t/x", "b.t/x"),
        r("k2", "b.t/x", "a.t/x"),
        r("k3", "b.t/x", "c.t/y"),
    ];
    let engine = Engine::new(rows);
    for dir in Direction::ALL {
        let hits = engine.lineage("a.t", "x", dir, 4);
        let expected = crate::source::graph::build_graph("a.t", "x", &hits);
        assert_eq!(engine.graph("a.t", "x", dir, 4), expected);
    }
    let g = engine.graph("a.t", "x", Downstream, 4);
    let ids: Vec<&str> = g.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, ["a.t/x", "b.t/x", "c.t/y"]);
    let edges: Vec<&str> = g.edges.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(edges, ["k1", "k2", "k3"]);
}

#[test]
fn columns_and_fanout() {
    let rows = vec![
        r("s", "a.t/x", "a.t/x"),
        r("t", "a.t/x", "b.t/x"),
        r("u", "c.t/x", "a.t/x"),
    ];
    let engine = Engine::new(rows);
    let mut cols: Vec<(&str, &str)> = engine.columns().collect();
    cols.sort_unstable();
    assert_eq!(cols, [("a.t", "x"), ("b.t", "x"), ("c.t", "x")]);
    assert_eq!(engine.fanout("a.t", "x"), 3);
    assert_eq!(engine.fanout("b.t", "x"), 1);
    assert_eq!(engine.fanout("a.t", "y"), 0);
    assert_eq!(engine.len(), 3);
}

#[test]
fn engine_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Engine>();
}

#[test]
fn more_than_64_cyclic_ids_fall_back_to_lists() {
    // 70 self-loops on one column: a walk at depth 3 has met all 70 ids.
    let rows: Vec<LineageRow> = (0..70)
        .map(|i| r(&format!("s{i:02}"), "a.t/x", "a.t/x"))
        .collect();
    let engine = Engine::new(rows);
    let got: Vec<(u32, String)> = engine
        .lineage("a.t", "x", Downstream, 3)
        .into_iter()
        .map(|h| (h.depth, h.row.lineage_id))
        .collect();
    let expected: Vec<(u32, String)> = (1..=3)
        .flat_map(|d| (0..70).map(move |i| (d, format!("s{i:02}"))))
        .collect();
    assert_eq!(got, expected);
    // A 70-row ring through the seed: every row once, at its distance.
    let ring: Vec<LineageRow> = (0..70)
        .map(|i| {
            r(
                &format!("k{i:02}"),
                &format!("c{i}.t/x"),
                &format!("c{}.t/x", (i + 1) % 70),
            )
        })
        .collect();
    let hits = Engine::new(ring).lineage("c0.t", "x", Upstream, 20);
    let got: Vec<(u32, String)> = hits
        .into_iter()
        .map(|h| (h.depth, h.row.lineage_id))
        .collect();
    let expected: Vec<(u32, String)> = (1..=20).map(|d| (d, format!("k{:02}", 70 - d))).collect();
    assert_eq!(got, expected);
}

#[test]
fn budget_bounds_the_states_of_a_search() {
    // A chain of 5 rows needs 4 states downstream from its head at depth 5 (the seed's
    // state is free; the last layer creates none).
    let rows: Vec<LineageRow> = (0..5)
        .map(|i| {
            r(
                &format!("e{i}"),
                &format!("c{i}.t/x"),
                &format!("c{}.t/x", i + 1),
            )
        })
        .collect();
    let engine = Engine::new(rows);
    let hits = engine
        .try_lineage("c0.t", "x", Downstream, 5, 4)
        .expect("within budget");
    assert_eq!(hits.len(), 5);
    assert_eq!(
        engine.try_lineage("c0.t", "x", Downstream, 5, 3),
        Err(TooComplex { max_states: 3 })
    );
    assert_eq!(
        engine.try_graph("c0.t", "x", Both, 5, 3),
        Err(TooComplex { max_states: 3 })
    );
    let graph = engine
        .try_graph("c0.t", "x", Both, 5, 4)
        .expect("within budget");
    assert_eq!(graph, engine.graph("c0.t", "x", Both, 5));
    assert_eq!(graph.edges.len(), 5);
}
