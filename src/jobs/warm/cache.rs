//! Keys `warm` takes from the cache itself (`--from-cache`, `--pattern`, `--touching`) and
//! hot columns (`--hot N --by fanout|cache|dbql`).
use std::collections::{BinaryHeap, HashMap};

use super::options::HotBy;
use super::plan::KeyForm;
use super::plan::Plan;
use super::WarmOptions;
use crate::keys::{parse, Key, Kind, Parsed};
use crate::source::engine::Engine;
use crate::source::LineageSource;
use crate::store::{ObjectSub, Store};

/// Whether the selection is read from the cache rather than the source.
pub(crate) fn cache_driven(opts: &WarmOptions) -> bool {
    opts.from_cache || opts.selection.pattern.is_some() || !opts.selection.touching.is_empty()
}

/// Add the keys the cache and the hot-column ranking contribute to the plan.
pub(crate) async fn add_cached_keys(
    store: &Store,
    opts: &WarmOptions,
    plan: &mut Plan,
    engine: Option<&Engine>,
    names: &HashMap<String, String>,
    source: &dyn LineageSource,
) -> anyhow::Result<()> {
    if cache_driven(opts) {
        plan.exact.extend(scan_cached(store, opts).await?);
    }
    if let Some(n) = opts.hot {
        let columns = match opts.by {
            HotBy::Fanout => hot_by_fanout(engine, n)?,
            HotBy::Cache => hot_by_cache(store, n).await?,
            HotBy::Dbql => {
                return Err(crate::failure::bad_input(format!(
                    "--by dbql needs Teradata's query log, and the lineage source is {}",
                    source.describe()
                )))
            }
        };
        let ids = ids_by_name(source)?;
        for (dataset, field) in columns {
            for form in forms_for(&dataset, &ids, names, opts) {
                plan.columns.push((form, field.clone()));
            }
        }
    }
    Ok(())
}

/// Cached keys matching the selection (every `ol:` key of the kinds when nothing narrower
/// was given), optionally only those expiring within `--expiring-within`.
async fn scan_cached(store: &Store, opts: &WarmOptions) -> anyhow::Result<Vec<Key>> {
    let sel = &opts.selection;
    let mut scanner = store.scanner(&sel.scan_pattern(), 0);
    let mut keys = Vec::new();
    while let Some(batch) = scanner.next_batch().await? {
        let mut picked = crate::select::pick(store, sel, batch).await?;
        if let Some(within) = opts.expiring_within {
            let pttl = store.pttl_many(&picked).await?;
            let limit = within.as_millis() as i64;
            let mut ttl = pttl.into_iter();
            picked.retain(|_| {
                ttl.next()
                    .is_some_and(|ms| ms == -1 || (0..=limit).contains(&ms))
            });
        }
        for raw in picked {
            // Only keys the API could have written can be recomputed.
            if let Ok(Parsed::Key(k)) = std::str::from_utf8(&raw).map(parse) {
                keys.push(k);
            }
        }
    }
    Ok(keys)
}

/// The `n` columns touched by the most lineage rows, most first (ties by name).
pub(crate) fn hot_by_fanout(
    engine: Option<&Engine>,
    n: usize,
) -> anyhow::Result<Vec<(String, String)>> {
    let Some(engine) = engine else {
        return Err(crate::failure::bad_input(
            "--hot --by fanout ranks columns with the bulk engine; drop --per-key",
        ));
    };
    let mut heap = BinaryHeap::new();
    for (d, f) in engine.columns() {
        let score = engine.fanout(d, f);
        heap.push(std::cmp::Reverse((
            score,
            std::cmp::Reverse((d.to_string(), f.to_string())),
        )));
        if heap.len() > n {
            heap.pop();
        }
    }
    let mut v: Vec<_> = heap
        .into_iter()
        .map(|std::cmp::Reverse((s, std::cmp::Reverse(c)))| (s, c))
        .collect();
    v.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    Ok(v.into_iter().map(|(_, c)| c).collect())
}

/// The columns of the most used cached lineage graphs: `OBJECT FREQ` under an LFU policy,
/// otherwise the smallest `OBJECT IDLETIME`.
async fn hot_by_cache(store: &Store, n: usize) -> anyhow::Result<Vec<(String, String)>> {
    let policy = store
        .config_get("maxmemory-policy")
        .await?
        .unwrap_or_default();
    let lfu = policy.contains("lfu");
    let sub = if lfu {
        ObjectSub::Freq
    } else {
        ObjectSub::IdleTime
    };
    let mut heap: BinaryHeap<(i64, String, String)> = BinaryHeap::new();
    let mut scanner = store.scanner(&Kind::LineageGraph.pattern(), 0);
    while let Some(batch) = scanner.next_batch().await? {
        let values = store.object_many(sub, &batch).await?;
        for (raw, v) in batch.iter().zip(values) {
            let Some(v) = v.and_then(|v| v.as_int()) else {
                continue;
            };
            let Ok(Parsed::Key(Key::LineageGraph { dataset, field, .. })) =
                std::str::from_utf8(raw).map(parse)
            else {
                continue;
            };
            // Keep the n best: a max-heap of "badness" (low freq or high idle is bad).
            let badness = if lfu { -v } else { v };
            heap.push((badness, dataset, field));
            if heap.len() > n * 3 {
                heap.pop();
            }
        }
    }
    let mut v = heap.into_sorted_vec();
    v.dedup_by(|a, b| a.1 == b.1 && a.2 == b.2);
    v.truncate(n);
    Ok(v.into_iter().map(|(_, d, f)| (d, f)).collect())
}

fn ids_by_name(source: &dyn LineageSource) -> anyhow::Result<HashMap<String, Vec<String>>> {
    let mut m: HashMap<String, Vec<String>> = HashMap::new();
    for d in source.all_datasets()? {
        m.entry(d.name).or_default().push(d.id);
    }
    Ok(m)
}

/// Key forms of a hot column's dataset (given by name from the engine, or as cached).
fn forms_for(
    dataset: &str,
    ids: &HashMap<String, Vec<String>>,
    names: &HashMap<String, String>,
    opts: &WarmOptions,
) -> Vec<String> {
    let name = names
        .get(dataset)
        .cloned()
        .unwrap_or_else(|| dataset.to_string());
    let id_forms = ids.get(&name).cloned().unwrap_or_default();
    match opts.shape.key_form {
        KeyForm::Name => vec![name],
        KeyForm::Id if !id_forms.is_empty() => id_forms,
        KeyForm::Id => vec![dataset.to_string()],
        KeyForm::Both => id_forms.into_iter().chain([name]).collect(),
    }
}
