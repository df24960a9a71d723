//! A selection completed by the lineage source: `--changed-since` becomes the datasets the
//! source says changed, and datasets given by name learn their id and namespace (so only
//! that namespace's list pages are selected). Shared by `invalidate` and `verify`.
use crate::select::{DatasetRef, Selection};
use crate::source::LineageSource;

/// Whether the selection needs the source to be complete.
pub fn needs_source(sel: &Selection) -> bool {
    sel.changed_since.is_some() || sel.datasets.iter().any(|d| d.id.is_none())
}

/// Ask `source` what `sel` leaves open. `changed_since` stays set, so a selection whose
/// changes resolve to nothing still selects nothing (it never widens to its kinds alone).
pub fn with_source(sel: &mut Selection, source: &dyn LineageSource) -> anyhow::Result<()> {
    if let Some(since) = sel.changed_since {
        for name in source.changed_since(since)? {
            sel.touching.push((DatasetRef::syntactic(&name), None));
            sel.datasets.push(DatasetRef::syntactic(&name));
        }
    }
    for d in sel.datasets.iter_mut().filter(|d| d.id.is_none()) {
        if let Some(row) = source.dataset(&d.given)? {
            d.id = Some(row.id);
            d.namespace = Some(row.namespace_id);
            d.name = row.name;
        }
    }
    Ok(())
}
