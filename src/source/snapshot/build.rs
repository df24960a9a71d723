//! [`Snapshot::build`]: intern the source's rows into the canonical snapshot (string table
//! sorted by bytes, every list sorted).
use super::hash::{attrs_hash, dataset_hash, field_hash, namespace_hash};
use super::{Endpoint, SnapDataset, SnapField, SnapNamespace, SnapRow, Snapshot, Strings, Sym};
use crate::model::{Dataset, Field, LineageRow, Namespace};
use crate::source::fx::FxMap;

/// Strings numbered as met, sorted at the end.
#[derive(Default)]
struct Interner<'a> {
    index: FxMap<&'a str, Sym>,
    strs: Vec<&'a str>,
}

impl<'a> Interner<'a> {
    fn sym(&mut self, s: &'a str) -> Sym {
        let strs = &mut self.strs;
        *self.index.entry(s).or_insert_with(|| {
            strs.push(s);
            strs.len() as Sym - 1
        })
    }

    /// The sorted table, and each provisional symbol's final one.
    fn finish(self) -> (Strings, Vec<Sym>) {
        let mut order: Vec<Sym> = (0..self.strs.len() as Sym).collect();
        order.sort_unstable_by_key(|&i| self.strs[i as usize]);
        let mut remap = vec![0; order.len()];
        let mut strings = Strings::default();
        for (rank, &i) in order.iter().enumerate() {
            remap[i as usize] = rank as Sym;
            strings.push(self.strs[i as usize]);
        }
        (strings, remap)
    }

    fn row(&mut self, r: &'a LineageRow) -> SnapRow {
        SnapRow {
            lineage_id: self.sym(&r.lineage_id),
            source: Endpoint {
                namespace: self.sym(&r.source_namespace),
                dataset: self.sym(&r.source_dataset),
                field: self.sym(&r.source_field),
            },
            target: Endpoint {
                namespace: self.sym(&r.target_namespace),
                dataset: self.sym(&r.target_dataset),
                field: self.sym(&r.target_field),
            },
            attrs: attrs_hash(r),
        }
    }

    fn dataset(&mut self, d: &'a Dataset) -> SnapDataset {
        SnapDataset {
            id: self.sym(&d.id),
            name: self.sym(&d.name),
            namespace_id: self.sym(&d.namespace_id),
            content: dataset_hash(d),
        }
    }

    fn field(&mut self, f: &'a Field) -> SnapField {
        SnapField {
            dataset_id: self.sym(&f.dataset_id),
            name: self.sym(&f.name),
            content: field_hash(f),
        }
    }

    fn namespace(&mut self, n: &'a Namespace) -> SnapNamespace {
        SnapNamespace {
            id: self.sym(&n.id),
            content: namespace_hash(n),
        }
    }
}

impl Snapshot {
    /// The snapshot of the active lineage `rows` and the assets, taken at `taken_at_ms`.
    /// Inputs may come in any order and may repeat entries; they are kept as multisets.
    pub fn build(
        rows: &[LineageRow],
        datasets: &[Dataset],
        fields: &[Field],
        namespaces: &[Namespace],
        taken_at_ms: u64,
    ) -> Snapshot {
        let mut strs = Interner::default();
        let rows = rows.iter().map(|r| strs.row(r)).collect();
        let datasets = datasets.iter().map(|d| strs.dataset(d)).collect();
        let fields = fields.iter().map(|f| strs.field(f)).collect();
        let namespaces = namespaces.iter().map(|n| strs.namespace(n)).collect();
        let (strings, remap) = strs.finish();
        let mut snap = Snapshot {
            taken_at_ms,
            strings,
            rows,
            datasets,
            fields,
            namespaces,
        };
        snap.renumber(&remap);
        snap.rows.sort_unstable();
        snap.datasets.sort_unstable();
        snap.fields.sort_unstable();
        snap.namespaces.sort_unstable();
        snap
    }

    /// Replace every symbol `s` by `remap[s]`.
    fn renumber(&mut self, remap: &[Sym]) {
        let m = |s: &mut Sym| *s = remap[*s as usize];
        for r in &mut self.rows {
            m(&mut r.lineage_id);
            for e in [&mut r.source, &mut r.target] {
                m(&mut e.namespace);
                m(&mut e.dataset);
                m(&mut e.field);
            }
        }
        for d in &mut self.datasets {
            m(&mut d.id);
            m(&mut d.name);
            m(&mut d.namespace_id);
        }
        for f in &mut self.fields {
            m(&mut f.dataset_id);
            m(&mut f.name);
        }
        self.namespaces.iter_mut().for_each(|n| m(&mut n.id));
    }

    /// The symbol of `s`, if the snapshot holds it.
    pub fn sym(&self, s: &str) -> Option<Sym> {
        let (mut lo, mut hi) = (0, self.strings.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self.strings.get(mid as Sym).cmp(s) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(mid as Sym),
            }
        }
        None
    }
}
