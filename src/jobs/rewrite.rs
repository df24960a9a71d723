//! Rewriting cached keys in place with the value the API would write now: what `sync
//! --rewarm` does to every stale key, and what `invalidate` and `sync` do to stale `both`
//! graphs, which the API itself cannot write (contract §1). A key is written with
//! `SET … EX` of its class TTL, as the API writes it (no jitter), or deleted where the API
//! would no longer cache anything. Values are computed per key with the API's own SQL for
//! a few keys, and from one bulk read of the lineage (loaded once) for more.
use std::collections::HashMap;
use std::sync::Arc;

use crate::answer::{compute, Computed, GraphMode};
use crate::config::Config;
use crate::keys::{parse, Key, Parsed, PREFIX};
use crate::model::Direction;
use crate::source::engine::Engine;
use crate::source::LineageSource;
use crate::store::Store;

/// Up to this many keys are computed per key; more load the lineage once.
const PER_KEY_MAX: usize = 32;

/// The engine over the lineage as it is now, and every dataset's id and name mapped to
/// its name.
type Loaded = (Arc<Engine>, Arc<HashMap<String, String>>);

/// What a rewrite did.
#[derive(Debug, Default)]
pub(crate) struct Rewritten {
    /// The keys written and the values written to them.
    pub written: Vec<(String, Vec<u8>)>,
    /// Keys deleted: the API would no longer cache them.
    pub deleted: u64,
}

/// Computes and writes values against one source, its lineage loaded at most once.
pub(crate) struct Rewriter {
    source: Arc<dyn LineageSource>,
    depth: u32,
    loaded: Option<Loaded>,
}

/// Whether `key` is a `both` lineage graph (the API serves them but cannot write them).
pub(crate) fn is_both_graph(key: &str) -> bool {
    matches!(
        parse(key),
        Parsed::Key(Key::LineageGraph {
            direction: Direction::Both,
            ..
        })
    )
}

impl Rewriter {
    /// A rewriter computing at the configured default depth.
    pub(crate) fn new(config: &Config, source: Arc<dyn LineageSource>) -> Rewriter {
        Rewriter {
            source,
            depth: config.validation.default_max_depth,
            loaded: None,
        }
    }

    /// Rewrite `keys` (under the prefix; others are refused) in `store`.
    pub(crate) async fn rewrite(
        &mut self,
        config: &Config,
        store: &Store,
        keys: &[String],
    ) -> anyhow::Result<Rewritten> {
        anyhow::ensure!(
            keys.iter().all(|k| k.starts_with(PREFIX)),
            "refusing to touch a key outside the prefix"
        );
        let parsed: Vec<Key> = keys
            .iter()
            .filter_map(|k| match parse(k) {
                Parsed::Key(key) => Some(key),
                _ => None,
            })
            .collect();
        if parsed.is_empty() {
            return Ok(Rewritten::default());
        }
        let values = self.compute(parsed).await?;
        write(config, store, values).await
    }

    /// The values of `keys` as the API would compute them now.
    async fn compute(&mut self, keys: Vec<Key>) -> anyhow::Result<Vec<(Key, Computed)>> {
        if self.loaded.is_none() && keys.len() > PER_KEY_MAX {
            self.loaded = Some(load(self.source.clone()).await?);
        }
        let (source, depth, loaded) = (self.source.clone(), self.depth, self.loaded.clone());
        tokio::task::spawn_blocking(move || {
            let mode = match &loaded {
                Some((engine, names)) => GraphMode::Bulk(engine, names),
                None => GraphMode::PerKey,
            };
            keys.into_iter()
                .map(|k| compute(&k, source.as_ref(), mode, depth).map(|c| (k, c)))
                .collect::<Result<Vec<_>, _>>()
        })
        .await?
        .map_err(anyhow::Error::from)
    }
}

/// The engine over the lineage as it is now, with the dataset names it needs.
async fn load(source: Arc<dyn LineageSource>) -> anyhow::Result<Loaded> {
    tokio::task::spawn_blocking(move || -> anyhow::Result<Loaded> {
        let engine = Engine::load(source.as_ref())?;
        let mut names = HashMap::new();
        for d in source.all_datasets()? {
            names.insert(d.id.clone(), d.name.clone());
            names.insert(d.name.clone(), d.name);
        }
        Ok((Arc::new(engine), Arc::new(names)))
    })
    .await?
}

/// Write the computed values with their class TTL; delete the keys the API would not cache.
async fn write(
    config: &Config,
    store: &Store,
    values: Vec<(Key, Computed)>,
) -> anyhow::Result<Rewritten> {
    let mut sets = Vec::new();
    let mut gone = Vec::new();
    for (key, computed) in values {
        match computed {
            Computed::Value(v) => {
                let ttl = key.ttl_class().seconds(&config.ttls);
                sets.push((key.render(), v, ttl));
            }
            Computed::NotCached(_) => gone.push(key.render().into_bytes()),
        }
    }
    let mut out = Rewritten::default();
    let replies = store.set_ex_many(&sets).await?;
    for ((key, value, _), reply) in sets.into_iter().zip(replies) {
        reply?;
        out.written.push((key, value));
    }
    if !gone.is_empty() {
        out.deleted = store.unlink_many(&gone).await?;
    }
    Ok(out)
}
