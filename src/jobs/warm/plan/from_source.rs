//! The source-driven part of a plan: the namespaces, datasets, columns and exact keys a
//! selection names, read from the lineage source (every dataset once, each with its fields).
use std::collections::{HashMap, HashSet};

use super::{column_forms, DatasetUnit, Plan, Shape};
use crate::failure::bad_input;
use crate::keys::{parse, Parsed};
use crate::model::Dataset;
use crate::select::{FileItem, Selection};
use crate::source::LineageSource;

/// Above this many datasets, a plan reads all fields at once.
const BULK_FIELDS: usize = 20;

/// Build the source-driven part of the plan from a selection.
pub(crate) fn from_source(
    sel: &Selection,
    source: &dyn LineageSource,
    shape: &Shape,
    changed: &[String],
) -> anyhow::Result<Plan> {
    let mut plan = Plan::default();
    let all = datasets_needed(sel, source, changed)?;
    let known: HashMap<&str, usize> = all
        .iter()
        .enumerate()
        .flat_map(|(i, d)| [(d.id.as_str(), i), (d.name.as_str(), i)])
        .collect();
    add_namespaces(&mut plan, sel, source, &all)?;
    let chosen = choose(&plan, sel, source, (&all, &known), changed)?;
    add_datasets(&mut plan, source, &all, chosen)?;
    let by_id_or_name: HashMap<&str, &Dataset> =
        known.iter().map(|(k, i)| (*k, &all[*i])).collect();
    add_named(&mut plan, sel, &by_id_or_name, shape)?;
    Ok(plan)
}

/// Every dataset, when the selection names datasets, namespaces or columns at all.
fn datasets_needed(
    sel: &Selection,
    source: &dyn LineageSource,
    changed: &[String],
) -> anyhow::Result<Vec<Dataset>> {
    let wants_datasets =
        sel.all || !sel.namespaces.is_empty() || !sel.datasets.is_empty() || !changed.is_empty();
    let file_columns = sel
        .file_items
        .iter()
        .any(|i| matches!(i, FileItem::Column(..) | FileItem::ById(_)));
    if wants_datasets || !sel.fields.is_empty() || file_columns {
        Ok(source.all_datasets()?)
    } else {
        Ok(Vec::new())
    }
}

/// `--all` and `--namespace`: the namespace list, and each namespace with its count of
/// active datasets (its list pages stop there).
fn add_namespaces(
    plan: &mut Plan,
    sel: &Selection,
    source: &dyn LineageSource,
    all: &[Dataset],
) -> anyhow::Result<()> {
    let active = |ns: &str| {
        all.iter()
            .filter(|d| d.is_active && d.namespace_id == ns)
            .count() as u64
    };
    if sel.all {
        plan.namespace_list = true;
        for ns in source.namespaces()? {
            let n = active(&ns.id);
            plan.namespaces.push((ns.id, n));
        }
    }
    for ns in &sel.namespaces {
        plan.namespace_list = true;
        if !plan.namespaces.iter().any(|(n, _)| n == ns) {
            plan.namespaces.push((ns.clone(), active(ns)));
        }
    }
    Ok(())
}

/// Indices into `all` of the datasets to warm, each once, in selection order: the active
/// ones of the chosen namespaces, those named (which must exist), the changed ones the
/// source still knows.
fn choose(
    plan: &Plan,
    sel: &Selection,
    source: &dyn LineageSource,
    (all, known): (&[Dataset], &HashMap<&str, usize>),
    changed: &[String],
) -> anyhow::Result<Vec<usize>> {
    let mut chosen: Vec<usize> = Vec::new();
    let mut seen = HashSet::new();
    for (i, d) in all.iter().enumerate() {
        let in_ns = plan.namespaces.iter().any(|(n, _)| *n == d.namespace_id);
        if d.is_active && (sel.all || in_ns) && seen.insert(i) {
            chosen.push(i);
        }
    }
    for r in &sel.datasets {
        let Some(&i) = known.get(r.given.as_str()) else {
            return Err(bad_input(format!(
                "dataset {:?} is not in the lineage source ({})",
                r.given,
                source.describe()
            )));
        };
        if seen.insert(i) {
            chosen.push(i);
        }
    }
    // Changed datasets the source no longer knows have nothing to warm.
    for &i in changed.iter().filter_map(|r| known.get(r.as_str())) {
        if seen.insert(i) {
            chosen.push(i);
        }
    }
    Ok(chosen)
}

/// The chosen datasets with their fields: many datasets read every field at once instead
/// of a query per dataset.
fn add_datasets(
    plan: &mut Plan,
    source: &dyn LineageSource,
    all: &[Dataset],
    chosen: Vec<usize>,
) -> anyhow::Result<()> {
    let mut all_fields: Option<HashMap<String, Vec<String>>> = None;
    if chosen.len() > BULK_FIELDS {
        let mut by_dataset: HashMap<String, Vec<String>> = HashMap::new();
        for (dataset_id, name) in source.all_field_names()? {
            by_dataset.entry(dataset_id).or_default().push(name);
        }
        all_fields = Some(by_dataset);
    }
    for i in chosen {
        let d = &all[i];
        let fields = match all_fields.as_mut() {
            Some(by_dataset) => by_dataset.remove(&d.id).unwrap_or_default(),
            None => source.fields(&d.id)?.into_iter().map(|f| f.name).collect(),
        };
        plan.datasets.push(DatasetUnit {
            dataset: d.clone(),
            fields,
        });
    }
    Ok(())
}

/// `--field`, `--key` and the keys file's lines.
fn add_named(
    plan: &mut Plan,
    sel: &Selection,
    known: &HashMap<&str, &Dataset>,
    shape: &Shape,
) -> anyhow::Result<()> {
    for (d, f) in &sel.fields {
        for form in column_forms(&d.given, known, shape.key_form) {
            plan.columns.push((form, f.clone()));
        }
    }
    for text in &sel.keys {
        let Parsed::Key(k) = parse(text) else {
            return Err(bad_input(format!(
                "--key {text:?} is not a key the API writes (see `lineage-cache key parse`)"
            )));
        };
        plan.exact.push(k);
    }
    for item in &sel.file_items {
        match item {
            FileItem::Key(k) => plan.exact.push(k.clone()),
            // Statistics and DDL of a URL: under the id its dataset resolves to, as the API
            // reads them; nothing when no dataset matches (the API answers 404).
            FileItem::ById(k) => {
                let given = k.dataset().unwrap_or_default();
                if let Some(d) = known.get(given) {
                    plan.exact.push(k.clone().with_dataset(&d.id));
                }
            }
            FileItem::Column(d, f) => {
                for form in column_forms(d, known, shape.key_form) {
                    plan.columns.push((form, f.clone()));
                }
            }
        }
    }
    Ok(())
}
