//! One key's work in a warm: what a worker needs ([`Ctx`]), the filters of `--only-missing`
//! and `--min-ttl`, the value computed with its jittered TTL, and what happened to the key
//! ([`Outcome`]), which the writer tallies and writes.
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use super::WarmOptions;
use crate::answer::{compute, Computed, GraphMode};
use crate::keys::Key;
use crate::source::LineageSource;
use crate::store::{Store, StoreError};

/// What happened to one key.
pub(crate) enum Outcome {
    Value {
        key: String,
        kind: &'static str,
        value: Vec<u8>,
        ttl: u64,
    },
    Skipped {
        key: String,
        kind: &'static str,
        why: &'static str,
    },
    Failed {
        key: String,
        kind: &'static str,
        error: String,
    },
}

pub(crate) use crate::app::runtime::Stop;

/// Everything a worker needs.
pub(crate) struct Ctx {
    pub source: Arc<dyn LineageSource>,
    pub engine: Option<Arc<crate::source::engine::Engine>>,
    pub names: Arc<std::collections::HashMap<String, String>>,
    pub store: Store,
    pub opts: Arc<WarmOptions>,
    pub ttls: crate::config::Ttls,
    pub stop: Arc<Stop>,
    pub seed: AtomicU64,
    /// A Redis failure met by a worker (the `--only-missing`/`--min-ttl` check): the run
    /// stops and reports it like the writer's own.
    pub store_failure: Mutex<Option<StoreError>>,
}

impl Ctx {
    fn mode(&self) -> GraphMode<'_> {
        match &self.engine {
            Some(e) => GraphMode::Bulk(e, &self.names),
            None => GraphMode::PerKey,
        }
    }

    /// The class TTL minus up to `jitter` of it, never above the class TTL, at least 1 s.
    fn ttl_for(&self, key: &Key) -> u64 {
        let class = key.ttl_class().seconds(&self.ttls);
        let span = (class as f64 * self.opts.jitter).floor() as u64;
        if span == 0 {
            return class;
        }
        let r = splitmix(&self.seed);
        class.saturating_sub(r % (span + 1)).max(1)
    }

    /// Compute one key into its outcome.
    pub fn outcome(&self, key: &Key) -> Outcome {
        let kind = key.kind().name();
        match compute(key, self.source.as_ref(), self.mode(), self.opts.depth) {
            Ok(Computed::Value(value)) => Outcome::Value {
                key: key.render(),
                kind,
                value,
                ttl: self.ttl_for(key),
            },
            Ok(Computed::NotCached(why)) => Outcome::Skipped {
                key: key.render(),
                kind,
                why,
            },
            Err(e) => Outcome::Failed {
                key: key.render(),
                kind,
                error: e.to_string(),
            },
        }
    }

    /// Drop keys the filters skip (`--only-missing`, `--min-ttl`), recording them.
    pub(super) fn filter(
        &self,
        rt: &tokio::runtime::Handle,
        keys: Vec<Key>,
        out: &mut Vec<Outcome>,
    ) -> Result<Vec<Key>, StoreError> {
        let opts = &self.opts;
        if !opts.only_missing && opts.min_ttl.is_none() {
            return Ok(keys);
        }
        let raw: Vec<Vec<u8>> = keys.iter().map(|k| k.render().into_bytes()).collect();
        let pttl = rt.block_on(self.store.pttl_many(&raw))?;
        let mut kept = Vec::with_capacity(keys.len());
        for (k, ms) in keys.into_iter().zip(pttl) {
            let kind = k.kind().name();
            let exists = ms != -2;
            if opts.only_missing && exists {
                out.push(Outcome::Skipped {
                    key: k.render(),
                    kind,
                    why: "exists",
                });
            } else if let (Some(min), true) = (opts.min_ttl, ms > 0) {
                if ms as u128 > min.as_millis() {
                    out.push(Outcome::Skipped {
                        key: k.render(),
                        kind,
                        why: "ttl-above-min",
                    });
                } else {
                    kept.push(k);
                }
            } else {
                kept.push(k);
            }
        }
        Ok(kept)
    }
}

fn splitmix(state: &AtomicU64) -> u64 {
    let mut z = state
        .fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed)
        .wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
