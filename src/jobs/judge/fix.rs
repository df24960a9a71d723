//! `--fix`: each drifted key is read and judged again just before it is changed (a value the
//! API refreshed meanwhile is left alone), then re-warmed with `SET … EX` (the class TTL
//! less up to 10 % of jitter, as `invalidate --rewarm`) or deleted with `UNLINK`. Each write
//! is one whole value; a run stopped by Ctrl-C or a Redis failure has changed exactly the
//! keys it reports.
use serde::Serialize;

use super::found::Pending;
use super::verdict::{Fix, Judge};
use super::{FixOptions, Run};
use crate::app::report::{human_bytes, progress};
use crate::config::Ttls;
use crate::failure::bad_input;
use crate::jobs::guard::memory::{Memory, HEADROOM};
use crate::jobs::guard::{confirm, lock};
use crate::jobs::Outcome;
use crate::keys::{parse, Parsed};
use crate::store::probe::{self, Facts, Probe, ValueFact};
use crate::store::{Store, StoreError};

/// Keys read again, judged and fixed per round.
const CHUNK: usize = 200;
/// The share of the class TTL a re-warmed key may lose, so fixed keys do not all expire in
/// the same second.
const JITTER: f64 = 0.1;

/// What `--fix` did.
#[derive(Debug, Default, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
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

/// Confirm, check the memory headroom, take the lock, fix `pending`, release. `Refused` when
/// the fix could add more than Redis has left below the headroom; an error (not confirmed,
/// the lock held, Redis or the source failing) ends it with what was done counted in `fixed`.
pub(crate) async fn guarded(
    run: &Run<'_>,
    opts: &FixOptions,
    pending: Vec<Pending>,
    growth: u64,
    fixed: &mut Fixed,
) -> anyhow::Result<Outcome> {
    confirmed(pending.len(), opts.yes)?;
    if let Some(why) = refusal(&run.store, growth).await? {
        return Ok(Outcome::Refused(why));
    }
    let lock = lock::acquire(&run.store, run.config, opts.wait_lock).await?;
    let bar = progress::bar(pending.len() as u64, "fix", run.progress);
    let result = apply(run, pending, &bar, fixed).await;
    bar.finish_and_clear();
    lock.release(&run.store).await;
    result.map(|()| Outcome::Complete)
}

/// Ask before fixing `n` keys, unless `--yes`; not confirmed is an error: nothing changes.
fn confirmed(n: usize, yes: bool) -> anyhow::Result<()> {
    if yes {
        return Ok(());
    }
    let lines = vec![format!(
        "verify --fix would look again at {n} drifted keys: rewrite the stale, unreadable and non-canonical ones, delete the orphaned ones, write the missing ones"
    )];
    if confirm::ask(&lines, "Fix them?")? {
        return Ok(());
    }
    Err(bad_input(format!(
        "{n} keys to fix and not confirmed: nothing was changed (pass --yes to fix without asking)"
    )))
}

/// Why the fix is refused, if it could add more than Redis has left below the headroom of
/// `maxmemory`.
async fn refusal(store: &Store, growth: u64) -> anyhow::Result<Option<String>> {
    let memory = Memory::read(store).await?;
    if memory.maxmemory == 0 {
        return Ok(None);
    }
    let room = ((memory.maxmemory as f64 * HEADROOM) as u64).saturating_sub(memory.used);
    Ok((growth > room).then(|| {
        format!(
            "--fix would add up to {} but Redis has {} left below {:.0}% of maxmemory {}: nothing was changed",
            human_bytes(growth),
            human_bytes(room),
            HEADROOM * 100.0,
            human_bytes(memory.maxmemory)
        )
    }))
}

/// Fix `pending`, round by round; the error (Redis, source) ends the run with what was
/// done so far counted in `fixed`.
async fn apply(
    run: &Run<'_>,
    pending: Vec<Pending>,
    bar: &indicatif::ProgressBar,
    fixed: &mut Fixed,
) -> anyhow::Result<()> {
    let mut seed = crate::jobs::seed();
    for chunk in pending.chunks(CHUNK) {
        if run.stop.stopped() {
            break;
        }
        let round = read_again(run, chunk).await?;
        fixed.unchanged += round.unchanged;
        write(run, &round.writes, &mut seed, fixed).await?;
        if fixed.refused > 0 {
            run.stop.stop();
        }
        let deletes: Vec<Vec<u8>> = round.deletes.into_iter().map(String::into_bytes).collect();
        fixed.deleted += run.store.unlink_many(&deletes).await?;
        bar.inc(chunk.len() as u64);
    }
    Ok(())
}

/// Read the round's keys again and judge them on what Redis holds now.
async fn read_again(run: &Run<'_>, chunk: &[Pending]) -> anyhow::Result<Round> {
    let get = Probe {
        get: true,
        ..Probe::default()
    };
    let items = chunk
        .iter()
        .map(|p| (key_of(p).as_bytes().to_vec(), get))
        .collect();
    let facts = probe::probe(&run.store, items).await?;
    tokio::task::block_in_place(|| plan_round(&run.judge, chunk, &facts))
}

/// Write the round's values, each with its class TTL less some jitter, and count what Redis
/// took (an `OOM` refusal is counted, not an error).
async fn write(
    run: &Run<'_>,
    writes: &[(String, Vec<u8>, bool)],
    seed: &mut u64,
    fixed: &mut Fixed,
) -> anyhow::Result<()> {
    let ttls: Vec<u64> = writes
        .iter()
        .map(|(key, _, _)| ttl_for(key, &run.config.ttls, seed))
        .collect();
    let items: Vec<(&str, &[u8], u64)> = writes
        .iter()
        .zip(&ttls)
        .map(|((k, v, _), t)| (k.as_str(), v.as_slice(), *t))
        .collect();
    let results = run.store.set_ex_many(&items).await?;
    for (r, (_, v, filled)) in results.into_iter().zip(writes) {
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
fn plan_round(judge: &Judge, chunk: &[Pending], facts: &[Facts]) -> anyhow::Result<Round> {
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
