//! `--fix`: each drifted key is read and judged again just before it is changed (a value the
//! API refreshed meanwhile is left alone), then re-warmed with `SET … EX` (the class TTL
//! less up to 10 % of jitter, as `invalidate --rewarm`) or deleted with `UNLINK`. Each write
//! is one whole value; a run stopped by Ctrl-C or a Redis failure has changed exactly the
//! keys it reports.
use std::sync::Arc;

use super::found::Pending;
use super::verdict::{Fix, Judge};
use crate::app::runtime::Stop;
use crate::config::Ttls;
use crate::keys::{parse, Parsed};
use crate::store::probe::{self, Probe, ValueFact};
use crate::store::{Store, StoreError};

/// Keys read again, judged and fixed per round.
const CHUNK: usize = 200;
/// The share of the class TTL a re-warmed key may lose, so fixed keys do not all expire in
/// the same second.
const JITTER: f64 = 0.1;

/// What `--fix` did.
#[derive(Debug, Default, Clone)]
pub(crate) struct Fixed {
    /// Cached values rewritten with the API's value now.
    pub written: u64,
    /// Missing hot keys written (`--missing`).
    pub filled: u64,
    pub deleted: u64,
    /// Keys that were current (or gone) when looked at again.
    pub unchanged: u64,
    /// Writes Redis refused (`OOM`): the run stopped there.
    pub refused: u64,
    pub bytes_written: u64,
}

/// Fix `pending`, round by round; the error (Redis, source) ends the run with what was
/// done so far counted in `fixed`.
pub(crate) async fn apply(
    store: &Store,
    judge: Arc<Judge>,
    ttls: Ttls,
    pending: Vec<Pending>,
    stop: &Stop,
    bar: &indicatif::ProgressBar,
    fixed: &mut Fixed,
) -> anyhow::Result<()> {
    let mut seed = crate::jobs::warm::seed();
    for chunk in pending.chunks(CHUNK) {
        if stop.stopped() {
            break;
        }
        let get = Probe {
            get: true,
            ..Probe::default()
        };
        let items = chunk
            .iter()
            .map(|p| (key_of(p).as_bytes().to_vec(), get))
            .collect();
        let facts = probe::probe(store, items).await?;
        let judge = judge.clone();
        let chunk = chunk.to_vec();
        let plan = tokio::task::block_in_place(|| plan_round(&judge, &chunk, &facts))?;
        let mut writes = Vec::with_capacity(plan.writes.len());
        for (key, value, filled) in plan.writes {
            let ttl = ttl_for(&key, &ttls, &mut seed);
            writes.push((key, value, ttl, filled));
        }
        fixed.unchanged += plan.unchanged;
        let items: Vec<(&str, &[u8], u64)> = writes
            .iter()
            .map(|(k, v, t, _)| (k.as_str(), v.as_slice(), *t))
            .collect();
        let results = store.set_ex_many(&items).await?;
        for (r, (_, v, _, filled)) in results.into_iter().zip(&writes) {
            match r {
                Ok(()) if *filled => fixed.filled += 1,
                Ok(()) => fixed.written += 1,
                Err(StoreError::OutOfMemory { .. }) => {
                    fixed.refused += 1;
                    continue;
                }
                Err(e) => return Err(e.into()),
            }
            fixed.bytes_written += v.len() as u64;
        }
        if fixed.refused > 0 {
            stop.stop();
        }
        let deletes: Vec<Vec<u8>> = plan.deletes.into_iter().map(String::into_bytes).collect();
        fixed.deleted += store.unlink_many(&deletes).await?;
        bar.inc(chunk.len() as u64);
    }
    Ok(())
}

fn key_of(p: &Pending) -> &str {
    match p {
        Pending::Cached(k) | Pending::Missing(k) => k,
    }
}

#[derive(Default)]
struct Round {
    /// Key, value, and whether the key was a missing hot key.
    writes: Vec<(String, Vec<u8>, bool)>,
    deletes: Vec<String>,
    unchanged: u64,
}

/// Judge the round's keys again on what Redis holds now.
fn plan_round(
    judge: &Judge,
    chunk: &[Pending],
    facts: &[crate::store::probe::Facts],
) -> anyhow::Result<Round> {
    let mut round = Round::default();
    for (p, f) in chunk.iter().zip(facts) {
        let key = key_of(p);
        if let (Pending::Missing(_), ValueFact::Missing) = (p, &f.value) {
            let Parsed::Key(k) = parse(key) else { continue };
            match judge.fill_value(&k)? {
                Some(v) => round.writes.push((key.to_string(), v, true)),
                None => round.unchanged += 1,
            }
            continue;
        }
        match judge.judge(key, &f.value)? {
            None => round.unchanged += 1,
            Some(v) => match v.fix {
                Fix::Leave => round.unchanged += 1,
                Fix::Write(bytes) => round.writes.push((key.to_string(), bytes, false)),
                Fix::Delete => round.deletes.push(key.to_string()),
            },
        }
    }
    Ok(round)
}

/// The class TTL of `key` less up to [`JITTER`] of it, at least 1 s.
fn ttl_for(key: &str, ttls: &Ttls, seed: &mut u64) -> u64 {
    let class = match parse(key) {
        Parsed::Key(k) => k.ttl_class().seconds(ttls),
        _ => return 1,
    };
    let span = (class as f64 * JITTER).floor() as u64;
    if span == 0 {
        return class;
    }
    *seed = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *seed;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    class.saturating_sub(z % (span + 1)).max(1)
}
