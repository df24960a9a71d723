//! Checking the selection flags: each selector refused with a one-line reason before any
//! work (a key or pattern outside the prefix, an empty name, an unreadable time or file).
use super::{read_keys_file, DatasetRef, Selection, SelectionSpec};
use crate::config::Validation;
use crate::failure::bad_input as usage;
use crate::keys::{glob_within_prefix, split_column, PREFIX};
use crate::model::Timestamp;

impl Selection {
    /// Check the flags. Nothing selected is not an error here; commands decide.
    pub fn check(args: &SelectionSpec, validation: &Validation) -> anyhow::Result<Selection> {
        if args.namespaces.iter().any(String::is_empty) {
            return Err(usage("--namespace must not be empty"));
        }
        let mut sel = Selection {
            all: args.all,
            kinds: args.kinds.clone(),
            namespaces: args.namespaces.clone(),
            keys: prefixed_keys(&args.keys)?,
            pattern: prefixed_pattern(&args.pattern)?,
            datasets: dataset_refs(&args.datasets)?,
            fields: field_refs(&args.fields)?,
            ..Default::default()
        };
        for t in &args.touching {
            sel.touching.push(parse_touching(t)?);
        }
        if let Some(ts) = &args.changed_since {
            sel.changed_since = Some(parse_time(ts)?);
        }
        if let Some(path) = &args.keys_file {
            sel.file_items = read_keys_file(path, validation)?;
        }
        Ok(sel)
    }

    /// Narrow the list and search pages to those of `sizes` (`invalidate --page-sizes`;
    /// none given: every limit). Kept as given: [`crate::route::forms::page_limits`] puts
    /// them in order where pages are enumerated.
    pub fn with_page_sizes(mut self, sizes: &[u32]) -> anyhow::Result<Selection> {
        if let Some(bad) = sizes.iter().find(|l| !crate::keys::LIMIT_RANGE.contains(l)) {
            return Err(usage(format!("--page-sizes: {bad} is not from 1 to 500")));
        }
        self.page_sizes = sizes.to_vec();
        Ok(self)
    }
}

/// `--key`s, each under the prefix.
fn prefixed_keys(keys: &[String]) -> anyhow::Result<Vec<String>> {
    for k in keys {
        if !k.starts_with(PREFIX) {
            return Err(usage(format!(
                "--key {k:?} is outside the {PREFIX} prefix; refusing to touch it"
            )));
        }
    }
    Ok(keys.to_vec())
}

/// `--pattern`, which may match only keys under the prefix.
fn prefixed_pattern(pattern: &Option<String>) -> anyhow::Result<Option<String>> {
    if let Some(p) = pattern {
        if !glob_within_prefix(p) {
            return Err(usage(format!(
                "--pattern {p:?} could match keys outside the {PREFIX} prefix; start it with {PREFIX}"
            )));
        }
    }
    Ok(pattern.clone())
}

/// `--dataset`s, none empty.
fn dataset_refs(datasets: &[String]) -> anyhow::Result<Vec<DatasetRef>> {
    datasets
        .iter()
        .map(|d| {
            if d.is_empty() {
                return Err(usage("--dataset must not be empty"));
            }
            Ok(DatasetRef::syntactic(d))
        })
        .collect()
}

/// `--field`s, each `DATASET/FIELD`.
fn field_refs(fields: &[String]) -> anyhow::Result<Vec<(DatasetRef, String)>> {
    fields
        .iter()
        .map(|f| {
            let (d, field) = split_column(f)
                .ok_or_else(|| usage(format!("--field {f:?} must be DATASET/FIELD")))?;
            Ok((DatasetRef::syntactic(d), field.to_string()))
        })
        .collect()
}

/// `--touching DATASET` or `DATASET/FIELD`.
pub(super) fn parse_touching(t: &str) -> anyhow::Result<(DatasetRef, Option<String>)> {
    if t.is_empty() {
        return Err(usage("--touching must not be empty"));
    }
    // DATASET (id or name) or DATASET/FIELD: a dataset name has no '/', an id has one.
    let slashes = t.matches('/').count();
    let name_part = t.rsplit('/').next().unwrap_or(t);
    let is_column = slashes >= 2 || (slashes == 1 && !name_part.contains('.'));
    if is_column {
        let (d, f) = split_column(t)
            .ok_or_else(|| usage(format!("--touching {t:?} must be DATASET or DATASET/FIELD")))?;
        Ok((DatasetRef::syntactic(d), Some(f.to_string())))
    } else {
        Ok((DatasetRef::syntactic(t), None))
    }
}

/// RFC 3339, `YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DD`.
pub fn parse_time(s: &str) -> anyhow::Result<Timestamp> {
    Timestamp::parse(s).ok_or_else(|| {
        usage(format!("cannot read {s:?} as a time (use RFC 3339, `YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DD`, UTC)"))
    })
}
