//! The warm's memory budget: estimate what the run adds from a sample of computed values,
//! and refuse (or cap at `--max-bytes`) rather than push Redis into evicting.
use super::plan::Plan;
use super::work::{Ctx, Outcome};
use crate::app::report::human_bytes;
use crate::jobs::guard::memory::{Memory, HEADROOM, OVERHEAD};
use crate::keys::Key;

/// Keys computed to estimate the run's size.
const SAMPLE: usize = 200;

/// Estimate the bytes the run adds: the average computed size of a sample of its keys, times
/// the planned count.
fn estimate(ctx: &Ctx, plan: &Plan) -> u64 {
    let mut sample: Vec<Key> = Vec::new();
    let total = plan.total().max(1);
    let step = (total / SAMPLE as u64).max(1);
    let mut i = 0u64;
    plan.for_each_key(&ctx.opts.shape, |k| {
        if i.is_multiple_of(step) {
            sample.push(k);
        }
        i += 1;
        sample.len() < SAMPLE
    });
    let (mut bytes, mut n) = (0u64, 0u64);
    for k in &sample {
        if let Outcome::Value { key, value, .. } = ctx.outcome(k) {
            bytes += (key.len() + value.len()) as u64 + OVERHEAD;
            n += 1;
        }
    }
    if n == 0 {
        return 0;
    }
    bytes / n * total
}

/// What the memory allows a run.
pub(crate) enum Budget {
    /// At most this many bytes (`None`: no limit).
    Allowed(Option<u64>),
    /// Nothing: the run would not fit, and why.
    Refused(String),
}

/// The byte budget of the run, or a refusal when it would not fit.
pub(crate) fn budget(ctx: &Ctx, plan: &Plan, before: &Memory, notes: &mut Vec<String>) -> Budget {
    let opts = &ctx.opts;
    let est = estimate(ctx, plan);
    if before.maxmemory == 0 {
        notes.push(format!(
            "Redis has no maxmemory limit: the run adds about {}; set maxmemory so the cache cannot exhaust the host",
            human_bytes(est)
        ));
        return Budget::Allowed(opts.max_bytes);
    }
    let room = ((before.maxmemory as f64 * HEADROOM) as u64).saturating_sub(before.used);
    if let Some(max) = opts.max_bytes {
        return Budget::Allowed(Some(max.min(room)));
    }
    if est > room && !opts.dry_run {
        return Budget::Refused(format!(
                "warm would add about {} but Redis has {} left below {:.0}% of maxmemory {} (policy {}); \
                 writing it would evict entries the API needs. Narrow the selection or pass --max-bytes",
                human_bytes(est),
                human_bytes(room),
                HEADROOM * 100.0,
                human_bytes(before.maxmemory),
                before.policy
        ));
    }
    if est > room {
        notes.push(format!(
            "a real run would be refused: it adds about {} and {} is free",
            human_bytes(est),
            human_bytes(room)
        ));
    }
    if before.policy == "noeviction" {
        notes.push(
            "maxmemory-policy is noeviction: the API's own writes fail once Redis is full".into(),
        );
    }
    Budget::Allowed(Some(room))
}
