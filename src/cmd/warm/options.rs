//! `warm`'s arguments turned into the warm job's checked options, before any work.
use crate::cli::WarmArgs;
use crate::config::{Config, Validation};
use crate::failure::bad_input as usage;
use crate::jobs::warm::{HotBy, KeyForm, Shape, WarmOptions};
use crate::keys::Kind;
use crate::select::Selection;
use crate::source::Direction;

fn to_dir(d: crate::cli::DirectionArg) -> Direction {
    crate::cmd::convert::direction_of(d)
}

/// Turn raw arguments into checked options before any work.
pub(super) fn options(config: &Config, a: &WarmArgs) -> anyhow::Result<WarmOptions> {
    let selection = crate::cmd::convert::selection(&a.selection, &config.validation)?;
    if selection.is_empty() && !a.from_cache && a.hot.is_none() {
        return Err(usage(
            "nothing to warm: give --all, --namespace, --dataset, --field, --key, --keys-file, --from-cache or --hot N",
        ));
    }
    let depth = depth(a, &config.validation)?;
    if a.expiring_within.is_some() && !a.from_cache {
        return Err(usage("--expiring-within goes with --from-cache"));
    }
    Ok(WarmOptions {
        shape: shape(a, &selection),
        from_cache: a.from_cache,
        expiring_within: a.expiring_within,
        hot: a.hot,
        by: hot_by(a.by),
        depth,
        per_key: a.per_key,
        concurrency: a.concurrency,
        rate: a.rate,
        jitter: a.ttl_jitter / 100.0,
        only_missing: a.only_missing,
        min_ttl: a.min_ttl,
        max_bytes: a.max_bytes,
        dry_run: a.dry_run,
        fail_fast: a.fail_fast,
        wait_lock: a.wait_lock,
        progress: crate::app::report::progress::visible(a.format),
        selection,
        delete_stale: false,
    })
}

/// `--depth`, or the API's default depth, within the API's bounds (VALIDATION_*: not a
/// range clap could check).
fn depth(a: &WarmArgs, v: &Validation) -> anyhow::Result<u32> {
    let depth = a.depth.unwrap_or(v.default_max_depth);
    if depth < v.min_max_depth || depth > v.max_depth_limit {
        return Err(usage(format!(
            "--depth must be from {} to {} (VALIDATION_MIN_MAX_DEPTH..VALIDATION_MAX_DEPTH_LIMIT), got {depth}",
            v.min_max_depth, v.max_depth_limit
        )));
    }
    Ok(depth)
}

/// Which keys of each selected item: kinds, directions, page sizes, key forms.
fn shape(a: &WarmArgs, selection: &Selection) -> Shape {
    let directions = if a.directions.is_empty() {
        Direction::ALL.to_vec()
    } else {
        a.directions.iter().map(|d| to_dir(*d)).collect()
    };
    let page_sizes = if a.page_sizes.is_empty() {
        vec![crate::keys::DEFAULT_LIMIT, 50]
    } else {
        a.page_sizes.clone()
    };
    Shape {
        kinds: effective_kinds(a, selection),
        directions,
        page_sizes,
        key_form: key_form(a.key_form),
    }
}

fn hot_by(by: crate::cli::HotBy) -> HotBy {
    match by {
        crate::cli::HotBy::Fanout => HotBy::Fanout,
        crate::cli::HotBy::Cache => HotBy::Cache,
        crate::cli::HotBy::Dbql => HotBy::Dbql,
    }
}

fn key_form(form: crate::cli::KeyForm) -> KeyForm {
    match form {
        crate::cli::KeyForm::Id => KeyForm::Id,
        crate::cli::KeyForm::Name => KeyForm::Name,
        crate::cli::KeyForm::Both => KeyForm::Both,
    }
}

/// `--kind` when given; otherwise every kind but search (search keys only come from the
/// cache), and only lineage graphs for column selections and hot columns.
fn effective_kinds(a: &WarmArgs, sel: &Selection) -> Vec<Kind> {
    if !sel.kinds.is_empty() {
        return sel.kinds.clone();
    }
    let column_only = sel.datasets.is_empty()
        && sel.namespaces.is_empty()
        && !sel.all
        && sel.changed_since.is_none();
    if column_only && (a.hot.is_some() || !sel.fields.is_empty()) {
        return vec![Kind::LineageGraph];
    }
    Kind::ALL
        .iter()
        .copied()
        .filter(|k| *k != Kind::DatasetSearch)
        .collect()
}
