//! `--missing`: the lineage keys (name form, every direction) of the hot columns, ranked by
//! fan-out as `warm --hot` ranks them, that are not cached although the API would cache
//! them now: each is found `missing`, and `--fix` writes it.
use super::audit::Audit;
use super::found::{Found, Keep, Pending};
use super::verdict::{Class, Fix, Judge, Verdict};
use crate::jobs::guard::memory::KEY_OVERHEAD;
use crate::keys::Key;
use crate::select::Selection;
use crate::source::Direction;
use crate::store::Store;

/// Keys looked up per `EXISTS` round.
const CHUNK: usize = 1000;

/// What `--missing` looked at: the hot columns, and those of their keys the selection holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hot {
    pub columns: usize,
    pub keys: u64,
}

/// Look up the keys of the `hot` hottest columns; add those not cached to `found`.
pub(crate) async fn find(
    store: &Store,
    judge: &Judge,
    hot: usize,
    audit: &Audit,
    found: &mut Found,
) -> anyhow::Result<Hot> {
    let columns = crate::jobs::warm::hot_by_fanout(Some(&judge.engine), hot)?;
    let keys = lineage_keys(&columns, &audit.selection);
    for chunk in keys.chunks(CHUNK) {
        let names: Vec<Vec<u8>> = chunk.iter().map(|k| k.render().into_bytes()).collect();
        let exists = store.exists_many(&names).await?;
        for (k, there) in chunk.iter().zip(exists) {
            if !there {
                add_missing(judge, k, &audit.keep, found)?;
            }
        }
    }
    Ok(Hot {
        columns: columns.len(),
        keys: keys.len() as u64,
    })
}

/// The lineage keys of `columns` in every direction, as far as the selection goes.
fn lineage_keys(columns: &[(String, String)], sel: &Selection) -> Vec<Key> {
    columns
        .iter()
        .flat_map(|(d, f)| {
            Direction::ALL.iter().map(|dir| Key::LineageGraph {
                dataset: d.clone(),
                field: f.clone(),
                direction: *dir,
            })
        })
        .filter(|k| sel.matches_key(&k.render()))
        .collect()
}

/// A hot key not cached: missing when the API would cache it now (the value `--fix` writes
/// is computed again then; here only its size counts).
fn add_missing(judge: &Judge, k: &Key, keep: &Keep, found: &mut Found) -> anyhow::Result<()> {
    let Key::LineageGraph { dataset, field, .. } = k else {
        unreachable!("hot keys are lineage keys")
    };
    let Some(value) = tokio::task::block_in_place(|| judge.fill_value(k))? else {
        return Ok(());
    };
    let key = k.render();
    let v = Verdict {
        kind: k.kind().name(),
        class: Class::Missing,
        detail: format!(
            "hot column {dataset}/{field} (fan-out {}) is not cached",
            judge.engine.fanout(dataset, field)
        ),
        diff: None,
        fix: Fix::Leave,
        old_len: 0,
    };
    found.add(&key, &v, keep);
    if keep.pending {
        found.growth += (key.len() + value.len()) as u64 + KEY_OVERHEAD;
        found.pending.push(Pending::Missing(key));
    }
    Ok(())
}
