//! The scenarios, each run on whatever world a test builds (standalone, cluster, ODBC).
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use crate::common::random_lineage::SplitMix64;
use serde_json::Value;

use super::api::{Api, Wrote};
use super::populate::{Populate, Run, Tables, DELETES};
use super::world::{hot_keys, Ran, World};

/// A field of one reason of a report (0 when the reason is absent).
pub fn reason(r: &Value, name: &str, field: &str) -> u64 {
    r["reasons"][name][field].as_u64().unwrap_or(0)
}

fn count(r: &Value, field: &str) -> u64 {
    r[field]
        .as_u64()
        .unwrap_or_else(|| panic!("{field} in {r}"))
}

/// A completed sync's report adds up: the counts by reason make the totals, no reason
/// cleaned more than it found cached nor found more cached than it named, the new
/// snapshot was saved.
pub fn check_report(r: &Value) {
    assert_eq!(r["status"], "ok", "{r}");
    let reasons = r["reasons"].as_object().unwrap();
    for total in ["deleted", "rewritten"] {
        let sum: u64 = reasons.values().map(|c| c[total].as_u64().unwrap()).sum();
        let field = if total == "deleted" {
            "keysDeleted"
        } else {
            "keysRewritten"
        };
        assert_eq!(sum, count(r, field), "{r}");
    }
    for (name, c) in reasons {
        let n = |f: &str| c[f].as_u64().unwrap();
        assert!(n("deleted") + n("rewritten") <= n("cached"), "{name}: {c}");
        assert!(n("cached") <= n("keys"), "{name}: {c}");
    }
    assert!(r["snapshotAfter"]["bytes"].as_u64().unwrap() > 0, "{r}");
}

/// Keys and values, without TTLs.
pub fn values(cache: BTreeMap<String, (Vec<u8>, i64)>) -> BTreeMap<String, Vec<u8>> {
    cache.into_iter().map(|(k, (v, _))| (k, v)).collect()
}

/// The demo (or `w`'s warehouse) changed as a run finds it, and its populate program.
pub fn changed(w: &World, seed: u64, pct: u64, run: &Run) -> (Populate, Vec<String>) {
    let mut rng = SplitMix64::new(seed);
    let mut tables: Tables = w.db.tables();
    let m = tables.mutate(&mut rng, pct);
    assert!(
        m.dropped + m.repointed + m.retyped > 0 && m.added > 0,
        "{m:?}"
    );
    eprintln!(
        "run {seed}: {} rows dropped, {} re-pointed, {} re-typed, {} added; {} renamed {}, {} dropped",
        m.dropped, m.repointed, m.retyped, m.added, m.renamed.0, m.renamed.1, m.dropped_dataset
    );
    (w.populate(&tables, run), hot_keys(&w.t.keys(), &mut rng))
}

/// Run `sync ARGS -- populate` while the API serves the hot keys (`how`); the report and
/// what the API wrote.
pub fn around<F>(w: &World, args: &[&str], p: &Populate, how: F) -> (Ran, Wrote, Instant)
where
    F: FnOnce(&Api) -> Wrote + Send,
{
    let ended = AtomicBool::new(false);
    std::thread::scope(|s| {
        let api = s.spawn(|| how(&Api::new(w, &ended)));
        let ran = w.sync_around(args, p);
        let at = Instant::now();
        ended.store(true, Ordering::SeqCst);
        let wrote = api.join();
        assert!(
            ran.code == 0 || ran.code == 3,
            "{}{}",
            ran.stdout,
            ran.stderr
        );
        (ran, wrote.unwrap(), at)
    })
}

/// The report of a successful run around the changed warehouse: the command's status,
/// every kind of row change seen, the run's writes heard and deleted.
fn check_run(r: &Value) {
    check_report(r);
    assert_eq!(r["command"]["exitCode"], 0, "{r}");
    assert_eq!(r["heardBy"], "keyspace-events", "{r}");
    let c = &r["changes"];
    for f in [
        "rowsAdded",
        "rowsRemoved",
        "rowsRepointed",
        "rowsReattributed",
    ] {
        assert!(count(c, f) > 0, "{f}: {r}");
    }
    assert_eq!(c["datasets"]["removed"], 2, "one dropped, one renamed: {r}");
    assert!(reason(r, "written-during-run", "deleted") > 0, "{r}");
}

/// The full run (issue 27): the API busy on hot keys all through a populate run of the
/// changed warehouse, and two late writes that land in the settle window; after `sync`,
/// every cached value is what the API computes now.
pub fn populate_run(w: &World) {
    w.warm();
    let run = Run {
        sleep: 0.001,
        ..Run::default()
    };
    let (p, hot) = changed(w, 27, 3, &run);
    let (ran, wrote, ended) = around(w, &["--settle", "4s"], &p, |api| {
        let mut wrote = api.busy(&hot, &p);
        api.late(&mut wrote);
        wrote
    });
    let r = ran.ok();
    check_run(&r);
    assert!(
        wrote.late_at.unwrap() < ended,
        "the late writes landed after sync ended"
    );
    assert!(reason(&r, "written-while-settling", "deleted") >= 1, "{r}");
    let cached = w.assert_true();
    eprintln!(
        "populate run: {} API rounds, {} keys written during it, late {:?}; {cached} keys cached after; deleted {} rewritten {}",
        wrote.rounds,
        wrote.during.len(),
        wrote.late,
        r["keysDeleted"],
        r["keysRewritten"]
    );
}

/// Run the populate program here (for a `sync --started-at` after it), the API serving
/// the hot keys at its pause.
pub fn run_here(w: &World, p: &Populate, hot: &[String]) -> Wrote {
    let ended = AtomicBool::new(false);
    std::thread::scope(|s| {
        let api = s.spawn(|| Api::new(w, &ended).at_pause(hot, p));
        assert_eq!(p.run_here(), 0);
        api.join().unwrap()
    })
}

/// What a `--started-at` sync cost, against what needed it.
pub struct Cost {
    /// Keys cached before the sync.
    pub cached: usize,
    /// Cached keys whose value was not the API's answer after the run, and keys written
    /// during it.
    pub needed: usize,
    /// Of those, lineage graphs.
    pub needed_graphs: usize,
    /// Keys deleted or rewritten.
    pub touched: u64,
    /// Of those, for a changed lineage.
    pub touched_graphs: u64,
}

/// The run happens here (the API serving the hot keys at its pause), then `sync
/// --started-at`: the cache ends true, at most 1.5 times the keys that needed it (+ 10)
/// deleted or rewritten. `pct`: the chance of each change to a row, in percent; `more`:
/// more arguments of `sync`.
pub fn cost(w: &World, seed: u64, pct: u64, more: &[&str]) -> Cost {
    let run = Run {
        pause_after: Some(DELETES),
        ..Run::default()
    };
    let (p, hot) = changed(w, seed, pct, &run);
    let t0 = w.start_clock();
    let wrote = run_here(w, &p, &hot);
    let cached = w.cache().len();
    let mut needed = w.untrue();
    needed.extend(wrote.during.iter().cloned());
    let mut args = vec!["--started-at", &t0, "--settle", "0s"];
    args.extend(more);
    let r = w.sync(&args).ok();
    check_report(&r);
    w.assert_true();
    let cost = Cost {
        cached,
        ..cost_of(&r, &needed)
    };
    let bound = 1.5 * cost.needed as f64 + 10.0;
    assert!(
        cost.touched as f64 <= bound,
        "{} touched, {} needed: {r}",
        cost.touched,
        cost.needed
    );
    cost
}

fn cost_of(r: &Value, needed: &BTreeSet<String>) -> Cost {
    let graphs = needed
        .iter()
        .filter(|k| k.starts_with("ol:lineage:"))
        .count();
    let by = |f| reason(r, "lineage-changed", f);
    Cost {
        cached: 0,
        needed: needed.len(),
        needed_graphs: graphs,
        touched: count(r, "keysDeleted") + count(r, "keysRewritten"),
        touched_graphs: by("deleted") + by("rewritten"),
    }
}
