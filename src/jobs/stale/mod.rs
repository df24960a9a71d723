//! Keys computed from the lineage source instead of found by a scan, so a post-hook after a
//! small change costs what changed, not what is cached (docs/invalidate.md, "Without a
//! scan"): `--field` (the key builder), `--touching` (the columns around the target, their
//! cached values checked), `--dataset` (its own keys, its columns' graphs, and its list and
//! search pages, looked up or found by one narrow scan, whichever costs the server less),
//! and `--changed-since`, which the source turns into those.
use std::sync::Arc;

use crate::app::runtime::Stop;
use crate::cli::Format;
use crate::config::Config;
use crate::keys::{parse, Kind};
use crate::select::Selection;
use crate::store::Store;

mod dataset;
pub(crate) mod delete;
pub(crate) mod report;
mod touching;

/// A selection this small may be deleted without confirmation.
pub(crate) const HANDFUL: u64 = 10;

/// Checked options of one run.
pub(crate) struct Options {
    pub selection: Selection,
    pub dry_run: bool,
    pub yes: bool,
    pub rate: Option<u32>,
    pub metrics_file: Option<std::path::PathBuf>,
    pub format: Format,
    /// `--scan`: find the keys by a scan even where they can be computed.
    pub scan: bool,
    /// How `--dataset` finds its list and search pages.
    pub pages: Pages,
    /// Set by Ctrl-C: take no more keys, let the batches in flight finish, report.
    pub stop: Arc<Stop>,
    /// How the keys were found (the report says it).
    pub path: Path,
}

/// How the keys were found.
pub(crate) enum Path {
    /// Computed from the lineage source: how.
    Computed(String),
    /// By a scan of the cache; why, when the computed path could not decide.
    Scan(Option<String>),
}

/// How `--dataset` finds its list and search pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pages {
    /// Whichever of the two costs the server less.
    Auto,
    /// Look up every page the API can have cached.
    Lookup,
    /// One narrow scan of the cache.
    Scan,
}

/// Keys one part of the selection found, and how.
pub(crate) struct Part {
    pub keys: Vec<String>,
    pub way: String,
}

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
pub(crate) async fn find(
    config: &Config,
    store: &Store,
    sel: &Selection,
    pages: Pages,
) -> anyhow::Result<Computed> {
    let source = crate::source::open(config)?;
    let mut keys = Vec::new();
    let mut ways = Vec::new();
    if !sel.datasets.is_empty() {
        match dataset::find(source.clone(), store, sel, pages).await? {
            Err(why) => return Ok(Computed::Scan(why)),
            Ok(part) => {
                keys.extend(part.keys);
                ways.push(part.way);
            }
        }
    }
    let graphs = sel.kinds.is_empty() || sel.kinds.contains(&Kind::LineageGraph);
    if graphs && (!sel.touching.is_empty() || !sel.fields.is_empty()) {
        let depth = config.validation.max_depth_limit;
        let part = touching::find(source, store, sel, depth).await?;
        keys.extend(part.keys);
        ways.push(part.way);
    }
    keys.retain(|k| sel.kind_ok(&parse(k)));
    keys.sort();
    keys.dedup();
    if ways.is_empty() {
        ways.push("nothing to look up".into());
    }
    Ok(Computed::Keys(Part {
        keys,
        way: format!("computed from the lineage source: {}", ways.join("; ")),
    }))
}
