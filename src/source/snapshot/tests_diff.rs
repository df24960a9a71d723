//! Unit tests of the diff's labels and of the stale seeds on hand-made lineages.
use super::tests::{dataset, field, namespace, row, sample, snap};
use super::*;
use crate::model::Direction;

/// One row of each kind of change, old and new.
fn every_kind_of_row_change() -> (Snapshot, Snapshot) {
    let old = snap(&[
        row("keep", ("d", "a"), ("d", "b")),
        row("gone", ("d", "a"), ("d", "c")),
        row("move", ("d", "a"), ("d", "d")),
        row("attr", ("d", "b"), ("d", "c")),
        row("twice", ("d", "c"), ("d", "d")),
        row("twice", ("d", "c"), ("d", "d")),
    ]);
    let mut attr = row("attr", ("d", "b"), ("d", "c"));
    attr.confidence_score = None;
    let new = snap(&[
        row("keep", ("d", "a"), ("d", "b")),
        row("move", ("d", "b"), ("d", "d")),
        attr,
        row("twice", ("d", "c"), ("d", "d")),
        row("fresh", ("d", "d"), ("d", "e")),
    ]);
    (old, new)
}

#[test]
fn diff_labels_rows() {
    let (old, new) = every_kind_of_row_change();
    let d = diff(&old, &new);
    let counts = d.lineage.counts();
    let want = RowCounts {
        added: 1,
        removed: 1,
        repointed: 1,
        reattributed: 1,
        recounted: 1,
    };
    assert_eq!(counts, want);
    let label = |s: &Snapshot, rows: &[ChangedRow]| -> Vec<(String, RowChange)> {
        let id = |c: &ChangedRow| s.row(c.index as usize).unwrap().lineage_id.to_owned();
        rows.iter().map(|c| (id(c), c.change)).collect()
    };
    assert_eq!(
        label(&old, &d.lineage.old_only),
        [
            ("attr".into(), RowChange::Reattributed),
            ("gone".into(), RowChange::Removed),
            ("move".into(), RowChange::Repointed),
            ("twice".into(), RowChange::Recounted),
        ]
    );
    assert_eq!(d.lineage.new_only.len(), 3);
    assert!(diff(&old, &old).is_empty());
}

#[test]
fn diff_of_assets() {
    let old = sample();
    let datasets = [
        dataset("n1", "db.t", "changed"),
        dataset("n1", "db.w", "renamed from db.u"),
    ];
    let fields = [field("n1/db.t", "x", 2), field("n1/db.w", "y", 1)];
    let mut ns = namespace("n1");
    ns.description = "now described".into();
    let new = Snapshot::build(&[], &datasets, &fields, &[ns, namespace("n2")], 0);
    let d = diff(&old, &new);
    let key = |id: &str| DatasetKey {
        id: format!("n1/{id}"),
        name: id.into(),
        namespace_id: "n1".into(),
    };
    assert_eq!(d.datasets.changed, [key("db.t")]);
    assert_eq!(d.datasets.removed, [key("db.u")]);
    assert_eq!(d.datasets.added, [key("db.w")]);
    let fkey = |ds: &str, name: &str| FieldKey {
        dataset_id: ds.into(),
        name: name.into(),
    };
    assert_eq!(d.fields.changed, [fkey("n1/db.t", "x")]);
    assert_eq!(d.fields.removed, [fkey("n1/db.u", "y")]);
    assert_eq!(d.fields.added, [fkey("n1/db.w", "y")]);
    assert_eq!(d.namespaces.changed, ["n1"]);
    assert_eq!(d.namespaces.added, ["n2"]);
    assert_eq!(d.lineage.counts().removed, 3);
}

type Seeds = Vec<(&'static str, Direction)>;

/// The seeds as (field, direction), all in dataset `d`.
fn seeds_of(old: &Snapshot, new: &Snapshot, depth: u32) -> Seeds {
    let names = ["a", "b", "c", "d", "e"];
    stale_graph_seeds(old, new, &diff(old, new), depth)
        .into_iter()
        .map(|(ds, f, dir)| {
            assert_eq!(ds, "d");
            (names.into_iter().find(|n| *n == f).unwrap(), dir)
        })
        .collect()
}

#[test]
fn seeds_on_a_chain() {
    use Direction::{Both, Downstream as Down, Upstream as Up};
    // a -> b -> c -> d -> e; the row b -> c changes its attributes.
    let chain = |conf: Option<f64>| {
        let mut rows = vec![
            row("1", ("d", "a"), ("d", "b")),
            row("2", ("d", "b"), ("d", "c")),
            row("3", ("d", "c"), ("d", "d")),
            row("4", ("d", "d"), ("d", "e")),
        ];
        rows[1].confidence_score = conf;
        snap(&rows)
    };
    let (old, new) = (chain(Some(0.5)), chain(Some(0.9)));
    assert_eq!(seeds_of(&old, &new, 0), Seeds::new());
    let one: Seeds = vec![("b", Down), ("b", Both), ("c", Up), ("c", Both)];
    assert_eq!(seeds_of(&old, &new, 1), one);
    let two: Seeds = vec![
        ("a", Down),
        ("a", Both),
        ("b", Down),
        ("b", Both),
        ("c", Up),
        ("c", Both),
        ("d", Up),
        ("d", Both),
    ];
    assert_eq!(seeds_of(&old, &new, 2), two);
    assert_eq!(seeds_of(&old, &new, 3).len(), 10);
    // Copies only: nothing to redo.
    let twice = snap(&[
        row("1", ("d", "a"), ("d", "b")),
        row("1", ("d", "a"), ("d", "b")),
    ]);
    let once = snap(&[row("1", ("d", "a"), ("d", "b"))]);
    assert_eq!(seeds_of(&twice, &once, 5), Seeds::new());
}

#[test]
fn seeds_of_an_added_row() {
    use Direction::{Both, Downstream as Down, Upstream as Up};
    // Old: a -> b. New: a -> b and the added c -> a, which b's upstream graph shows at
    // depth 2 and c's downstream graph at depth 1.
    let old = snap(&[row("1", ("d", "a"), ("d", "b"))]);
    let new = snap(&[
        row("1", ("d", "a"), ("d", "b")),
        row("2", ("d", "c"), ("d", "a")),
    ]);
    let got = seeds_of(&old, &new, 2);
    let want: Seeds = vec![
        ("a", Up),
        ("a", Both),
        ("b", Up),
        ("b", Both),
        ("c", Down),
        ("c", Both),
    ];
    assert_eq!(got, want);
}

#[test]
fn demo_warehouse_round_trips_and_diffs_empty() {
    use crate::source::LineageSource;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.sqlite");
    crate::source::demo::create_demo(&path, false).unwrap();
    let src = crate::source::sqlite::SqliteSource::open(&path).unwrap();
    let rows = src.active_lineage().unwrap();
    let datasets = src.all_datasets().unwrap();
    let fields = src.all_fields().unwrap();
    let namespaces = src.namespaces().unwrap();
    let s = Snapshot::build(&rows, &datasets, &fields, &namespaces, 1);
    assert_eq!(s.rows().len(), rows.len());
    assert_eq!(Snapshot::decode(&s.encode()).as_ref(), Ok(&s));
    let d = diff(&s, &s);
    assert!(d.is_empty());
    assert!(stale_graph_seeds(&s, &s, &d, 20).is_empty());
}
