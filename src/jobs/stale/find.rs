//! The keys a selection stands for, and how they were found: the selection completed by the
//! lineage source ([`complete`]), then its keys computed where they can be, or the
//! selection a scan of the cache matches ([`find`]). Used by the invalidate job and by
//! `invalidate --rewarm` ([`rewarm_selection`]); [`find`] stands on its own for any job
//! that acts on the keys a change made stale.
use std::time::Duration;

use super::computed::{self, Computed};
use super::{Finding, InvalidateReport, Path};
use crate::config::Config;
use crate::select::Selection;
use crate::store::Store;

/// The keys a selection stands for.
pub(crate) struct Found {
    /// The keys to act on: exact keys when computed, else the selection a scan matches;
    /// none when the computed path found no key.
    pub selection: Option<Selection>,
    /// How they were found.
    pub path: Path,
}

/// With a source configured, `--changed-since` asks it which datasets changed, and datasets
/// given by name learn their id and namespace ([`crate::jobs::resolve`]). Without one, names
/// stay as given (both forms are matched) and `--changed-since` is refused.
pub(crate) fn complete(config: &Config, sel: &mut Selection) -> anyhow::Result<()> {
    let explicit = source_configured(config);
    let needs =
        sel.changed_since.is_some() || (explicit && crate::jobs::resolve::needs_source(sel));
    if !needs {
        return Ok(());
    }
    if !explicit {
        return Err(crate::failure::bad_input("--changed-since asks the lineage source what changed: configure it with --source or TERADATA_*"));
    }
    let source = crate::source::open(config)?;
    crate::jobs::resolve::with_source(sel, source.as_ref())
}

/// Whether a lineage source was configured (`--source` or `TERADATA_*`): without one, the
/// embedded demo answers, which says nothing about a real cache.
pub(crate) fn source_configured(config: &Config) -> bool {
    config.source.is_some() || config.teradata.host.is_some()
}

/// The keys of a selection completed by the source ([`complete`]): computed from the
/// lineage where the selection allows it and `finding` does not ask for a scan, else found
/// by a scan (and why, when the computed path could not decide).
pub(crate) async fn find(
    config: &Config,
    store: &Store,
    selection: Selection,
    finding: Finding,
) -> anyhow::Result<Found> {
    if finding.scan || !computed::applies(&selection) {
        return Ok(Found {
            selection: Some(selection),
            path: Path::Scan(None),
        });
    }
    Ok(
        match computed::keys(config, store, &selection, finding.pages).await? {
            Computed::Keys(part) => Found {
                selection: (!part.keys.is_empty()).then(|| Selection::exact(part.keys)),
                path: Path::Computed(part.way),
            },
            Computed::Scan(why) => Found {
                selection: Some(selection),
                path: Path::Scan(Some(why)),
            },
        },
    )
}

/// What `invalidate --rewarm` hands to the warm job.
pub(crate) enum Rewarm {
    /// The keys to re-warm: exact keys when computed, else the selection warm scans.
    Keys(Selection),
    /// The computed path found no key: nothing to warm, and this report says so.
    Nothing(InvalidateReport),
}

/// `invalidate --rewarm`: the keys invalidate would find, without `--changed-since` once
/// the source has turned it into datasets (warm reads the source itself). Redis is asked
/// only where the keys are computed.
pub(crate) fn rewarm_selection(
    config: &Config,
    mut selection: Selection,
    finding: Finding,
) -> anyhow::Result<Rewarm> {
    complete(config, &mut selection)?;
    if let Some(since) = selection.changed_since.take() {
        // The source turned the time into the datasets that changed; with none (and no
        // other selector), there is nothing to warm, not everything.
        if !selection.all && selection.only_all_or_kinds() {
            let why = format!(
                "computed from the lineage source: no dataset changed since {}, nothing to re-warm",
                since.to_rfc3339()
            );
            let report = InvalidateReport::nothing(false, Path::Computed(why), Duration::ZERO);
            return Ok(Rewarm::Nothing(report));
        }
    }
    if finding.scan || !computed::applies(&selection) {
        return Ok(Rewarm::Keys(selection));
    }
    let rt = crate::app::runtime::build()?;
    let found = rt.block_on(async {
        let store = Store::connect(config).await?;
        find(config, &store, selection, finding).await
    })?;
    match &found.path {
        Path::Computed(way) => tracing::info!("keys {way}"),
        Path::Scan(why) => tracing::info!("scanning: {}", why.as_deref().unwrap_or_default()),
    }
    Ok(match found.selection {
        Some(keys) => Rewarm::Keys(keys),
        None => Rewarm::Nothing(InvalidateReport::nothing(false, found.path, Duration::ZERO)),
    })
}
