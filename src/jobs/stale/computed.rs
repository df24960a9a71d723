//! The keys of a selection computed from the lineage source instead of found by a scan:
//! `--dataset`'s ([`super::dataset`]) and the graph keys of `--field` and `--touching`
//! ([`super::touching`]), narrowed by `--kind`. A part the source cannot decide sends the
//! whole selection to the scan path.
use super::{dataset, touching, Pages, Part};
use crate::config::Config;
use crate::keys::{parse, Kind};
use crate::select::Selection;
use crate::store::Store;

/// What the computed path decided.
pub(crate) enum Computed {
    /// The selected keys (sorted, distinct; some may not exist: the exact path counts
    /// those that do) and how they were found.
    Keys(Part),
    /// The rule cannot decide: the scan path must run, for this reason.
    Scan(String),
}

/// Whether the selection is one the computed path answers: only `--touching`, `--field`,
/// `--dataset` and `--changed-since` (already resolved by the source), with `--kind`.
pub(crate) fn applies(sel: &Selection) -> bool {
    let named = !sel.touching.is_empty()
        || !sel.fields.is_empty()
        || !sel.datasets.is_empty()
        || sel.changed_since.is_some();
    named
        && !sel.all
        && sel.keys.is_empty()
        && sel.pattern.is_none()
        && sel.namespaces.is_empty()
        && sel.file_items.is_empty()
}

/// The selected keys, computed.
pub(crate) async fn keys(
    config: &Config,
    store: &Store,
    sel: &Selection,
    pages: Pages,
) -> anyhow::Result<Computed> {
    let source = crate::source::open(config)?;
    let mut parts = Vec::new();
    if !sel.datasets.is_empty() {
        match dataset::find(source.clone(), store, sel, pages).await? {
            Err(why) => return Ok(Computed::Scan(why)),
            Ok(part) => parts.push(part),
        }
    }
    let graphs = sel.kinds.is_empty() || sel.kinds.contains(&Kind::LineageGraph);
    if graphs && (!sel.touching.is_empty() || !sel.fields.is_empty()) {
        let depth = config.validation.max_depth_limit;
        let deleted = match sel.touching.is_empty() {
            true => touching::Deleted::NotNeeded,
            false => touching::deleted_rows(config, store).await?,
        };
        parts.push(touching::find(source, store, sel, (depth, deleted)).await?);
    }
    Ok(Computed::Keys(joined(sel, parts)))
}

/// What `--changed-since` cannot know (contract §5).
const CHANGED_SINCE_NOTE: &str = "--changed-since goes by the rows' timestamps, and populate_lineage.py deletes every row and re-inserts it stamped with its run's time: after one of its runs every dataset counts as changed and the rows it dropped are not seen (`sync` finds what changed)";

/// The parts' keys of the selected kinds, sorted and distinct, and how they were found.
fn joined(sel: &Selection, parts: Vec<Part>) -> Part {
    let mut keys = Vec::new();
    let mut ways = Vec::new();
    for part in parts {
        keys.extend(part.keys);
        ways.push(part.way);
    }
    keys.retain(|k| sel.kind_ok(&parse(k)));
    keys.sort();
    keys.dedup();
    if ways.is_empty() {
        ways.push("nothing to look up".into());
    }
    if sel.changed_since.is_some() {
        ways.push(CHANGED_SINCE_NOTE.into());
    }
    Part {
        keys,
        way: format!("computed from the lineage source: {}", ways.join("; ")),
    }
}
