//! What was written to the cache during a window (the populate run, then the settle): the
//! keys the API cached from half-written tables, or from a read that began before the run
//! ended. Heard as keyspace events where the server allows it ([`crate::store::Watch`]),
//! otherwise found by age: the API writes with the class TTL, so a key's age is the class
//! TTL minus its remaining PTTL, exactly.
use futures_util::StreamExt;

use crate::config::Ttls;
use crate::keys::{parse, Parsed, PREFIX};
use crate::store::{Store, StoreError};

/// Slack on the age test, for clocks of cluster nodes that differ a little: a key written
/// up to this long before the window counts as written in it (it is cleaned, not missed).
const SKEW_MS: i64 = 1_000;

/// The server's clock in milliseconds (`TIME`; in a cluster, the first primary's).
pub(crate) async fn server_ms(store: &Store) -> Result<i64, StoreError> {
    let (secs, micros): (i64, i64) = store.query(&redis::cmd("TIME"), "TIME").await?;
    Ok(secs * 1000 + micros / 1000)
}

/// SCAN replies the age scan runs ahead of its PTTLs, and PTTL pipelines in flight.
const AHEAD: usize = 4;

/// Every key under the prefix whose age says it was written at or after `since_ms`
/// (server time): one scan of the cache with each key's PTTL. Keys without a TTL, or with
/// more left than their class gives, were not written by the API and are left out. The
/// scan runs ahead of the PTTLs, so the server is never idle waiting for our next round
/// trip.
pub(crate) async fn by_age(
    store: &Store,
    ttls: &Ttls,
    since_ms: i64,
) -> Result<Vec<String>, StoreError> {
    let scan = crate::store::probe::scan_ahead(store.clone(), &format!("{PREFIX}*"), 0, AHEAD);
    let mut answered = scan
        .map(|batch| async move {
            let batch = batch?;
            let pttl = store.pttl_many(&batch).await?;
            Ok::<_, StoreError>((batch, pttl))
        })
        .buffered(AHEAD)
        .boxed();
    let mut aged: Vec<(String, i64)> = Vec::new();
    while let Some(answer) = answered.next().await {
        let (batch, pttl) = answer?;
        for (raw, ms) in batch.into_iter().zip(pttl) {
            let Ok(key) = String::from_utf8(raw) else {
                continue;
            };
            if let Some(age) = age_ms(&key, ms, ttls) {
                aged.push((key, age));
            }
        }
    }
    let now = server_ms(store).await?;
    let mut keys: Vec<String> = aged
        .into_iter()
        .filter(|(_, age)| written_since(now, *age, since_ms))
        .map(|(k, _)| k)
        .collect();
    keys.sort();
    keys.dedup();
    Ok(keys)
}

/// A key's age in milliseconds, from its class TTL and remaining PTTL; `None` for a key
/// the API cannot have written as it is (no TTL, more left than the class, no kind).
pub(crate) fn age_ms(key: &str, pttl_ms: i64, ttls: &Ttls) -> Option<i64> {
    let kind = match parse(key) {
        Parsed::Key(k) => k.kind(),
        Parsed::Ambiguous { kind, .. } => kind,
        _ => return None,
    };
    let class_ms = kind.ttl_class().seconds(ttls) as i64 * 1000;
    (pttl_ms >= 0 && pttl_ms <= class_ms).then_some(class_ms - pttl_ms)
}

/// Whether a key `age_ms` old when the clock read `now_ms` was written at or after
/// `since_ms` (with [`SKEW_MS`] to spare).
pub(crate) fn written_since(now_ms: i64, age_ms: i64, since_ms: i64) -> bool {
    now_ms - age_ms >= since_ms - SKEW_MS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_come_from_the_class_ttl() {
        let ttls = Ttls::default();
        let graph = "ol:lineage:graph:db.T|c|both";
        assert_eq!(age_ms(graph, 1_800_000, &ttls), Some(0));
        assert_eq!(age_ms(graph, 1_799_000, &ttls), Some(1_000));
        assert_eq!(age_ms(graph, 1_800_001, &ttls), None, "more than the class");
        assert_eq!(age_ms(graph, -1, &ttls), None, "no TTL");
        assert_eq!(age_ms("ol:dataset:search:X|100", 299_500, &ttls), Some(500));
        assert_eq!(age_ms("ol:nonsense", 10, &ttls), None);
    }

    #[test]
    fn written_since_keeps_the_window_and_a_little_skew() {
        // now 100 s; a key 10 s old was written at 90 s.
        assert!(written_since(100_000, 10_000, 90_000));
        assert!(written_since(100_000, 10_000, 91_000), "within the skew");
        assert!(!written_since(100_000, 10_000, 91_001));
        assert!(written_since(100_000, 0, 99_000));
    }
}
