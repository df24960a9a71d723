//! A selection completed by the lineage source: `--changed-since` becomes the datasets the
//! source says changed, and datasets given by name learn their id and namespace (so only
//! that namespace's list pages are selected), and the statistics and DDL keys of a keys
//! file's URLs learn their dataset's id. Shared by `invalidate`, `verify` and `warm`.
use crate::select::{DatasetRef, FileItem, Selection};
use crate::source::LineageSource;

/// Whether the selection needs the source to be complete.
pub fn needs_source(sel: &Selection) -> bool {
    sel.changed_since.is_some()
        || sel.datasets.iter().any(|d| d.id.is_none())
        || sel
            .file_items
            .iter()
            .any(|i| matches!(i, FileItem::ById(_)))
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
    resolve_ids(&mut sel.file_items, source)?;
    for d in sel.datasets.iter_mut().filter(|d| d.id.is_none()) {
        if let Some(row) = source.dataset(&d.given)? {
            d.id = Some(row.id);
            d.namespace = Some(row.namespace_id);
            d.name = row.name;
        }
    }
    Ok(())
}

/// Statistics and DDL of a keys file's URLs: the key under the id each request's dataset
/// resolves to, as the API reads it; none where no dataset matches (the API answers 404).
pub fn resolve_ids(items: &mut Vec<FileItem>, source: &dyn LineageSource) -> anyhow::Result<()> {
    let mut out = Vec::with_capacity(items.len());
    for item in items.drain(..) {
        match item {
            FileItem::ById(k) => {
                let given = k.dataset().unwrap_or_default().to_string();
                if let Some(ds) = source.dataset(&given)? {
                    out.push(FileItem::Key(k.with_dataset(&ds.id)));
                }
            }
            other => out.push(other),
        }
    }
    *items = out;
    Ok(())
}
