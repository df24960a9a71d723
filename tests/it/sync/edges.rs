//! The runs that do not end the usual way: a failed command, no snapshot, `--dry-run`, and
//! the writes found by age (`--watch off`) against keyspace events. The API serves its hot
//! keys once, at the program's pause (so two runs write the same).
use super::api::Wrote;
use super::populate::{Populate, Run, DELETES};
use super::scenario::{around, changed, check_report, reason, run_here, values};
use super::world::{Db, Ran, World, SNAPSHOT};

/// The mark of a run no sync completed after.
const UNFINISHED: &str = "lineage-cache:unfinished:0";

/// `w`'s warehouse changed as a run finds it (pausing after `pause_after` statements,
/// failing after `fail_after`), and the hot keys.
fn prepared(w: &World, pause_after: usize, fail_after: Option<usize>) -> (Populate, Vec<String>) {
    let run = Run {
        pause_after: Some(pause_after),
        fail_after,
        ..Run::default()
    };
    changed(w, 5, 3, &run)
}

/// `sync ARGS -- populate` with the API serving the hot keys at the pause.
fn sync_paused(w: &World, args: &[&str], p: &Populate, hot: &[String]) -> (Ran, Wrote) {
    let (ran, wrote, _) = around(w, args, p, |api| api.at_pause(hot, p));
    (ran, wrote)
}

/// The command fails (exit 7 after two of the three `DELETE`s): sync exits 3 with the
/// command's status, what the API wrote during the run is deleted, nothing else is
/// touched, the snapshot is kept.
pub fn failed_command(w: &World) {
    w.warm();
    let (rerun, _) = prepared(w, DELETES, None);
    let (p, hot) = prepared(w, DELETES - 1, Some(DELETES - 1));
    let (snapshot, before) = (w.snapshot().unwrap(), values(w.cache()));
    let (ran, wrote) = sync_paused(w, &["--settle", "1s"], &p, &hot);
    assert_eq!(ran.code, 3, "{}{}", ran.stdout, ran.stderr);
    let r = ran.json();
    assert_eq!(r["status"], "command-failed", "{r}");
    assert_eq!(r["command"]["exitCode"], 7, "{r}");
    assert!(!wrote.during.is_empty());
    let n = wrote.during.len() as u64;
    assert_eq!(reason(&r, "written-during-run", "deleted"), n, "{r}");
    let mut expected = before;
    expected.retain(|k, _| !wrote.during.contains(k));
    assert_eq!(values(w.cache()), expected, "only the run's writes went");
    assert_eq!(w.snapshot().unwrap(), snapshot, "the snapshot was kept");
    assert!(r["snapshotAfter"].is_null(), "{r}");
    assert!(
        w.t.cli(&["GET", UNFINISHED]).trim().parse::<i64>().is_ok(),
        "marked"
    );
    rerun_after_failure(w, &rerun, &hot);
}

/// After the failed run the API keeps caching from the tables it left half-written, until
/// the pipeline runs again: then sync cleans what was written since the failed run began
/// (marked in Redis until a sync completes), and every cached value is true.
fn rerun_after_failure(w: &World, p: &Populate, hot: &[String]) {
    let ended = std::sync::atomic::AtomicBool::new(false);
    let between = super::api::Api::new(w, &ended).once(hot);
    assert!(!between.during.is_empty());
    std::fs::write(&p.go, "").unwrap();
    let r = w.sync_around(&["--settle", "0s"], p).ok();
    check_report(&r);
    assert!(r["notes"].to_string().contains("never synced"), "{r}");
    w.assert_true();
    assert_eq!(w.t.cli(&["EXISTS", UNFINISHED]).trim(), "0");
}

/// Without a snapshot every cached value is judged: afterwards every one is true, and a
/// snapshot is saved.
pub fn no_snapshot(w: &World) {
    w.warm();
    w.t.cli(&["DEL", SNAPSHOT]);
    let (p, hot) = prepared(w, DELETES, None);
    let (ran, _) = sync_paused(w, &["--settle", "1s"], &p, &hot);
    let r = ran.ok();
    check_report(&r);
    assert!(r["snapshotBefore"].is_null(), "{r}");
    assert!(reason(&r, "judged-stale", "deleted") > 0, "{r}");
    let notes = r["notes"].to_string();
    assert!(notes.contains("no snapshot"), "{r}");
    w.assert_true();
    assert!(w.snapshot().is_some());
}

/// `--dry-run` after a run: the cache and the snapshot are byte-identical afterwards, the
/// report says what would have gone.
pub fn dry_run(w: &World) {
    w.warm();
    let (p, hot) = prepared(w, DELETES, None);
    let t0 = w.start_clock();
    run_here(w, &p, &hot);
    let (cache, snapshot) = (values(w.cache()), w.snapshot());
    let r = w
        .sync(&["--dry-run", "--started-at", &t0, "--settle", "0s"])
        .ok();
    assert_eq!(r["dryRun"], true, "{r}");
    assert!(r["keysDeleted"].as_u64().unwrap() > 0, "{r}");
    assert!(reason(&r, "written-during-run", "deleted") > 0, "{r}");
    assert!(r["snapshotAfter"].is_null(), "{r}");
    assert_eq!(values(w.cache()), cache, "the cache is unchanged");
    assert_eq!(w.snapshot(), snapshot, "the snapshot is unchanged");
    assert_eq!(
        w.t.cli(&["EXISTS", UNFINISHED]).trim(),
        "0",
        "nothing marked"
    );
}

/// The same run on two identical worlds, one hearing the writes as keyspace events and
/// one finding them by age (`--watch off`): the same end state, every value true.
pub fn watch_off_is_events() {
    let worlds = [World::standalone(Db::demo()), World::standalone(Db::demo())];
    for (w, (watch, heard)) in worlds
        .iter()
        .zip([("auto", "keyspace-events"), ("off", "key-ages")])
    {
        w.warm();
        let (p, hot) = prepared(w, DELETES, None);
        // The warm's writes are older than the 1 s of slack on ages.
        w.start_clock();
        let (ran, _) = sync_paused(w, &["--settle", "1s", "--watch", watch], &p, &hot);
        let r = ran.ok();
        check_report(&r);
        assert_eq!(r["heardBy"], heard, "{r}");
        assert!(reason(&r, "written-during-run", "deleted") > 0, "{r}");
        w.assert_true();
    }
    let [a, b] = &worlds;
    assert_eq!(values(a.cache()), values(b.cache()), "the same end state");
}
