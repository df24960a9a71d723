//! The API as it behaves during a populate run (contract §5): requests for hot keys read the
//! half-written tables (no waiting for the writer) and cache what they computed with plain
//! `SET key value EX class-TTL`; and a request that read during the run writes its answer
//! after the run ended.
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::common::Target;
use lineage_cache::keys::{parse, Key, Parsed};
use lineage_cache::source::LineageSource;

use super::populate::Populate;
use super::world::{ttl, value, World};

/// No run of the tests lasts longer than this.
const DEADLINE: Duration = Duration::from_secs(90);

/// The API: its own connection to Redis and to the warehouse; `ended` says that the sync
/// around the run ended (nothing more to wait for).
pub struct Api<'a> {
    t: Target,
    source: Box<dyn LineageSource>,
    ended: &'a AtomicBool,
}

/// What the API wrote during a run.
#[derive(Default)]
pub struct Wrote {
    /// Every key it wrote while the populate program ran.
    pub during: BTreeSet<String>,
    /// Every distinct value it computed per key.
    seen: BTreeMap<String, BTreeSet<Vec<u8>>>,
    /// Rounds over the hot keys.
    pub rounds: usize,
    /// Keys written after the run ended with a value read during it, and when.
    pub late: Vec<String>,
    pub late_at: Option<Instant>,
}

impl<'a> Api<'a> {
    pub fn new(w: &World, ended: &'a AtomicBool) -> Api<'a> {
        Api {
            t: w.redis.target(),
            source: w.db.source(),
            ended,
        }
    }

    /// Wait until `ready`, failing when sync ended first or after [`DEADLINE`].
    fn wait_for(&self, mut ready: impl FnMut() -> bool, what: &str) {
        let end = Instant::now() + DEADLINE;
        while !ready() {
            let over = self.ended.load(Ordering::SeqCst) || Instant::now() > end;
            assert!(!over, "sync ended, or too long, before {what}");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn key(k: &str) -> Key {
        match parse(k) {
            Parsed::Key(key) => key,
            _ => panic!("{k}"),
        }
    }

    /// Serve `k` as the API does on a miss: compute now, cache it when it caches anything.
    fn serve(&self, k: &str, wrote: &mut Wrote) {
        let key = Self::key(k);
        if let Some(v) = value(&key, self.source.as_ref()) {
            self.t.put(&[(k.as_bytes().to_vec(), v.clone(), ttl(&key))]);
            wrote.during.insert(k.to_string());
            wrote.seen.entry(k.to_string()).or_default().insert(v);
        }
    }

    /// Serve every hot key again and again until the program is done (the last value of a
    /// key may be read from complete tables: it is still written during the run).
    pub fn busy(&self, hot: &[String], p: &Populate) -> Wrote {
        let mut wrote = Wrote::default();
        let end = Instant::now() + DEADLINE;
        while !p.done.exists() {
            let over = self.ended.load(Ordering::SeqCst) || Instant::now() > end;
            assert!(!over, "the populate run did not end");
            for k in hot {
                self.serve(k, &mut wrote);
            }
            wrote.rounds += 1;
        }
        wrote
    }

    /// Serve every hot key once, now.
    pub fn once(&self, hot: &[String]) -> Wrote {
        let mut wrote = Wrote::default();
        for k in hot {
            self.serve(k, &mut wrote);
        }
        wrote
    }

    /// Serve every hot key once at the program's pause (tables half-written), then let it
    /// go on; wait for its end.
    pub fn at_pause(&self, hot: &[String], p: &Populate) -> Wrote {
        let mut wrote = Wrote::default();
        self.wait_for(|| p.deleted.exists() || p.done.exists(), "the pause");
        for k in hot {
            self.serve(k, &mut wrote);
        }
        wrote.rounds = 1;
        std::fs::write(&p.go, "").unwrap();
        self.wait_for(|| p.done.exists(), "the end of the run");
        wrote
    }

    /// After the run: once sync's first pass is cleaning (a key written during the run is
    /// gone), write two keys with values read from the half-written tables, 0.5 s apart.
    pub fn late(&self, wrote: &mut Wrote) {
        self.wait_for(
            || {
                let cached = self.t.keys();
                wrote.during.iter().any(|k| !cached.contains(k))
            },
            "sync's first pass",
        );
        // Graphs first (the seed alone, read right after the DELETEs), then the rest.
        let mut keys: Vec<&String> = wrote.seen.keys().collect();
        keys.sort_by_key(|k| !k.starts_with("ol:lineage:"));
        let stale: Vec<(String, Vec<u8>)> = keys
            .into_iter()
            .map(|k| (k, &wrote.seen[k]))
            .filter_map(|(k, values)| {
                let now = value(&Self::key(k), self.source.as_ref());
                let old = values.iter().find(|v| Some(*v) != now.as_ref())?;
                Some((k.clone(), old.clone()))
            })
            .take(2)
            .collect();
        assert_eq!(stale.len(), 2, "the API read no half-written tables");
        for (k, v) in stale {
            std::thread::sleep(Duration::from_millis(500));
            self.t
                .put(&[(k.as_bytes().to_vec(), v, ttl(&Self::key(&k)))]);
            wrote.late.push(k);
        }
        wrote.late_at = Some(Instant::now());
    }
}
