//! Every dataset by id and by name, whether it is active, and the fields of each: what
//! tells an orphaned key (its dataset or column gone) from one to compare.
use std::collections::{HashMap, HashSet};

use crate::source::engine::Engine;
use crate::source::{LineageSource, SourceResult};

/// Every dataset by id and by name, with whether it is active, and the fields of each.
#[derive(Default)]
pub(crate) struct Catalog {
    datasets: HashMap<String, (String, bool)>,
    /// Dataset name → its fields (`OL_DATASET_FIELD`).
    fields: HashMap<String, HashSet<String>>,
}

impl Catalog {
    pub(crate) fn read(source: &dyn LineageSource) -> SourceResult<Catalog> {
        let mut c = Catalog::default();
        let mut names_of_ids = HashMap::new();
        for d in source.all_datasets()? {
            names_of_ids.insert(d.id.clone(), d.name.clone());
            c.datasets
                .insert(d.id.clone(), (d.name.clone(), d.is_active));
            c.datasets.insert(d.name.clone(), (d.name, d.is_active));
        }
        for (dataset_id, field) in source.all_field_names()? {
            let name = names_of_ids.get(&dataset_id).cloned().unwrap_or(dataset_id);
            c.fields.entry(name).or_default().insert(field);
        }
        Ok(c)
    }

    /// Every dataset id and name mapped to the dataset's name (the engine's key).
    pub(crate) fn names(&self) -> HashMap<String, String> {
        self.datasets
            .iter()
            .map(|(k, (name, _))| (k.clone(), name.clone()))
            .collect()
    }

    /// The dataset a key is about, by its name, or why it is gone: it does not exist or is
    /// inactive (`warm` writes nothing for it). A key the router left escaped is judged by
    /// its decoded parameter.
    pub(crate) fn dataset(&self, dataset: &str) -> Result<&str, String> {
        let decoded = crate::route::unescaped(dataset);
        let given = decoded.as_deref().unwrap_or(dataset);
        match self.datasets.get(given) {
            None => Err(format!("the dataset {given} does not exist")),
            Some((name, false)) => Err(format!("the dataset {name} is inactive")),
            Some((name, true)) => Ok(name),
        }
    }

    /// Why a lineage key's column is gone, if it is: its dataset is gone, or the column is
    /// neither a field of the dataset nor in any active lineage row.
    pub(crate) fn column_gone(
        &self,
        engine: &Engine,
        dataset: &str,
        field: &str,
    ) -> Option<String> {
        let name = match self.dataset(dataset) {
            Ok(name) => name,
            Err(why) => return Some(why),
        };
        let decoded = crate::route::unescaped(field);
        let f = decoded.as_deref().unwrap_or(field);
        let listed = self.fields.get(name).is_some_and(|s| s.contains(f));
        if listed || engine.fanout(name, f) > 0 {
            return None;
        }
        Some(format!(
            "the column {name}/{f} is neither a field of the dataset nor in any active lineage row"
        ))
    }
}
