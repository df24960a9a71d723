//! `sync` stopped part-way (issue 27, item 6: "Ctrl-C and Redis faults behave as in
//! invalidate: nothing partial, exact counts"), as tests/it/faults_redis.rs does it for
//! `warm` and `invalidate`: a synthetic warehouse of 3000 columns warmed whole, every lineage
//! row re-attributed (every graph stale: about 4,500 keys deleted and 3,000 `both` graphs
//! rewritten, several seconds of cleaning in a debug build), then `sync --started-at`
//! stopped once `INFO commandstats` shows its first `UNLINK` batches, by Ctrl-C or by its
//! connections cut and refused by a proxy. Afterwards: the report counts what changed in
//! Redis, nothing outside `ol:` was touched, the old snapshot is kept byte for byte, every
//! value left decodes, and the next sync leaves every cached value true. And Ctrl-C while
//! the populate command runs: it reaches the command too, and sync stops (docs/sync.md).
//! The figures are printed (`--nocapture`) and recorded in docs/faults.md.
use std::collections::BTreeMap;
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::scenarios::FOREIGN;
use crate::common::{the_error_line, Demo, RedisServer, Target, TcpProxy, CONFIG_PREFIXES};
use lineage_cache::keys::{parse, Parsed};
use serde_json::Value;

use super::scenario::{check_report, reason};
use super::world::{ttl, value, Db, Redis, World, SNAPSHOT};

/// The mark of a run no sync completed after, and the warm lock sync holds.
const UNFINISHED: &str = "lineage-cache:unfinished:0";
const LOCK: &str = "lineage-cache:lock:warm:0";
/// Keys sync cleans per round trip (src/jobs/sync/clean.rs): when a connection breaks, one
/// batch may have been applied by the server without its reply reaching sync.
const BATCH: u64 = 1_000;
/// How long a wait for progress may last on a loaded machine before the test fails.
const PATIENCE: Duration = Duration::from_secs(120);
/// A stop on a Redis failure: the retry budget (3 × `--timeout 1`), then one attempt each
/// to put the keyspace-event flags back and to release the lock; generous for a loaded
/// machine, still catching a hang.
const STOP_WITHIN: Duration = Duration::from_secs(15);

type Dump = BTreeMap<String, (Vec<u8>, i64)>;

/// A synthetic warehouse of 3000 columns, warmed whole (`warm --all` saves the snapshot),
/// the foreign keys planted; then, after [`World::start_clock`], every lineage row
/// re-attributed (a subtype no row had: every graph's value changes). The world and the
/// `--started-at` of that change.
fn warmed_and_changed() -> (World, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("synthetic.sqlite");
    lineage_cache::source::demo::create_synthetic(&path, 3000, 7, false).unwrap();
    let w = World::standalone(Db::Sqlite(Demo::from_file(dir, path.clone())));
    w.t.plant_foreign();
    w.cli(&["warm", "--all"]).success();
    let t0 = w.start_clock();
    let c = rusqlite::Connection::open(&path).unwrap();
    let n = c
        .execute(
            "UPDATE OL_COLUMN_LINEAGE SET transformation_subtype = 'SYNC_FAULTS'",
            [],
        )
        .unwrap();
    assert!(n > 8000, "{n} rows");
    (w, t0)
}

/// The built CLI with `redis` flags, the world's source and `args`, in the background,
/// its output piped; in a process group of its own with `group` (as a terminal's Ctrl-C
/// reaches a pipeline's processes).
fn spawn(w: &World, redis: &[String], args: &[&str], group: bool) -> Child {
    let cwd = w.dir.path().join("cwd");
    std::fs::create_dir_all(&cwd).unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_lineage-cache"));
    for (name, _) in std::env::vars() {
        if CONFIG_PREFIXES.iter().any(|p| name.starts_with(p)) {
            cmd.env_remove(name);
        }
    }
    cmd.current_dir(cwd)
        .env("NO_COLOR", "1")
        .args(redis)
        .args(["--source", &w.db.spec()])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if group {
        cmd.process_group(0);
    }
    cmd.spawn().unwrap()
}

/// How a background run ended.
struct Out {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Out {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}{}", self.stdout, self.stderr))
    }
}

fn finish(child: Child) -> Out {
    let out = child.wait_with_output().unwrap();
    Out {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Wait until `ready`, at most [`PATIENCE`]; a run that ends first fails the test at once.
fn wait_until(child: &mut Child, what: &str, mut ready: impl FnMut() -> bool) {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut out = String::new();
            for pipe in [
                child.stdout.take().map(|p| Box::new(p) as Box<dyn Read>),
                child.stderr.take().map(|p| Box::new(p) as Box<dyn Read>),
            ]
            .into_iter()
            .flatten()
            {
                let mut p = pipe;
                let _ = p.read_to_string(&mut out);
            }
            panic!("sync ended ({status}) before {what}: {out}");
        }
        if ready() {
            return;
        }
        assert!(start.elapsed() < PATIENCE, "no progress: {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The calls of `command` the server counted since `CONFIG RESETSTAT`.
fn calls(w: &World, command: &str) -> u64 {
    let stats = w.t.cli(&["INFO", "commandstats"]);
    let prefix = format!("cmdstat_{command}:calls=");
    stats
        .lines()
        .find_map(|l| l.strip_prefix(prefix.as_str()))
        .and_then(|r| r.split(',').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// Once sync has sent two `UNLINK` batches (and rewritten the `both` graphs of the first).
fn mid_clean(w: &World, child: &mut Child) {
    wait_until(child, "two UNLINK batches", || calls(w, "unlink") >= 2);
}

fn signal(target: &str, sig: &str) {
    let status = Command::new("kill")
        .args([&format!("-{sig}"), "--", target])
        .status()
        .unwrap();
    assert!(status.success(), "kill -{sig} {target}");
}

/// The `ol:` keys of `before` gone from `after`, those whose value changed, and those new.
fn delta(before: &Dump, after: &Dump) -> (u64, u64, u64) {
    let gone = before.keys().filter(|k| !after.contains_key(*k)).count();
    let changed = before
        .iter()
        .filter(|(k, (v, _))| after.get(*k).is_some_and(|(now, _)| now != v))
        .count();
    let new = after.keys().filter(|k| !before.contains_key(*k)).count();
    (gone as u64, changed as u64, new as u64)
}

/// Every `ol:` value of `after` is whole and has a TTL: byte for byte the value of `before`
/// (the whole values warm wrote), or one that decodes as its kind (decoding the 80 MB of
/// this cache takes tens of seconds in a debug build). How many were decoded.
fn all_whole(before: &Dump, after: &Dump) -> usize {
    let mut decoded = 0;
    for (k, (v, pttl)) in after {
        assert!(*pttl > 0, "{k} has no TTL ({pttl})");
        if before.get(k).is_some_and(|(old, _)| old == v) {
            continue;
        }
        let Parsed::Key(key) = parse(k) else {
            panic!("{k} is not a key the API writes")
        };
        let check = lineage_cache::json::check_value(key.kind(), v);
        assert!(check.is_ok(), "{k} holds a partial value: {check:?}");
        decoded += 1;
    }
    decoded
}

/// A connection to the world's (standalone) server.
fn con(w: &World) -> redis::Connection {
    let Redis::Standalone(server) = &w.redis else {
        unreachable!("a standalone server")
    };
    let client = redis::Client::open(server.url()).unwrap();
    client.get_connection().unwrap()
}

/// The saved snapshot, read alone (`World::snapshot` reads the whole cache).
fn snapshot(w: &World) -> Vec<u8> {
    let raw: Option<Vec<u8>> = redis::cmd("GET").arg(SNAPSHOT).query(&mut con(w)).unwrap();
    raw.expect("a snapshot is saved")
}

/// The keys outside `ol:` planted before the run hold what they held, without a TTL.
fn foreign_intact(w: &World, after: &str) {
    let mut c = con(w);
    for k in FOREIGN {
        let v: Option<String> = redis::cmd("GET").arg(k).query(&mut c).unwrap();
        let ttl: i64 = redis::cmd("PTTL").arg(k).query(&mut c).unwrap();
        assert_eq!((v.as_deref(), ttl), (Some("foreign"), -1), "{k} {after}");
    }
}

fn count(r: &Value, field: &str) -> u64 {
    r[field]
        .as_u64()
        .unwrap_or_else(|| panic!("{field} in {r}"))
}

/// The counts by reason add up to the totals, and none cleaned more than it found.
fn adds_up(r: &Value) {
    let reasons = r["reasons"].as_object().unwrap();
    for (field, total) in [("deleted", "keysDeleted"), ("rewritten", "keysRewritten")] {
        let sum: u64 = reasons.values().map(|c| c[field].as_u64().unwrap()).sum();
        assert_eq!(sum, count(r, total), "{r}");
    }
    for (name, c) in reasons {
        let n = |f: &str| c[f].as_u64().unwrap();
        assert!(n("deleted") + n("rewritten") <= n("cached"), "{name}: {c}");
    }
}

/// What a stopped sync must have left: no `ol:` key added, every value whole, the foreign
/// keys and the old snapshot as they were, the run marked unfinished. How many values
/// changed (each decoded).
fn nothing_partial(
    w: &World,
    old_snapshot: &[u8],
    r: &Value,
    before: &Dump,
    after: &Dump,
) -> usize {
    let (_, _, new) = delta(before, after);
    assert_eq!(new, 0, "no key written that was not cached");
    let decoded = all_whole(before, after);
    foreign_intact(w, "after a stopped sync");
    assert!(snapshot(w) == old_snapshot, "the old snapshot is kept");
    assert!(r["snapshotAfter"].is_null(), "{r}");
    let mark = w.t.cli(&["GET", UNFINISHED]);
    assert!(mark.trim().parse::<i64>().is_ok(), "marked unfinished");
    decoded
}

/// Every cached value is what the API computes now: equal to what a `warm --all` of the
/// changed warehouse writes to a fresh server (every key, byte for byte: a key it does not
/// write is one the API would not cache), under a TTL its class allows; and, by the per-key
/// SQL as tests/it/sync checks it, every key that is not a graph and every 400th key (half
/// a second a graph of this warehouse in a debug build: too slow for all). How many keys
/// are cached.
fn true_now(w: &World) -> usize {
    let Db::Sqlite(demo) = &w.db else {
        unreachable!()
    };
    let server = RedisServer::start();
    let reference = Target::standalone(&server);
    reference.run(demo, &["warm", "--all"]).ok();
    let truth = reference.dump();
    let cache = w.cache();
    let source = w.db.source();
    let mut by_sql = 0;
    for (i, (k, (v, pttl))) in cache.iter().enumerate() {
        let Parsed::Key(key) = parse(k) else {
            panic!("{k}")
        };
        let class = ttl(&key) as i64 * 1000;
        assert!(*pttl > 0 && *pttl <= class, "{k}: PTTL {pttl} of {class}");
        let warmed = truth.get(k).map(|(v, _)| v);
        assert!(warmed == Some(v), "{k}: not what a fresh warm writes");
        if !k.starts_with("ol:lineage:") || i % 400 == 0 {
            let sql = value(&key, source.as_ref());
            assert!(sql.as_ref() == Some(v), "{k}: not the per-key SQL's value");
            by_sql += 1;
        }
    }
    eprintln!(
        "{} keys cached, each what a fresh warm writes; {by_sql} of them checked by the per-key SQL",
        cache.len()
    );
    cache.len()
}

/// The sync after the stopped one completes the job: every cached value true, the new
/// snapshot saved, the mark gone. It still had keys to delete (the first stopped short).
fn completes(w: &World, r: &Value, old_snapshot: &[u8]) -> usize {
    check_report(r);
    assert!(
        count(r, "keysDeleted") > 0,
        "the first sync stopped short: {r}"
    );
    let cached = true_now(w);
    assert!(snapshot(w) != old_snapshot, "a new snapshot");
    assert_eq!(w.t.cli(&["EXISTS", UNFINISHED]).trim(), "0");
    foreign_intact(w, "after the sync that completed");
    cached
}

/// Ctrl-C (SIGINT to sync alone) mid-clean: exit 130, the report `interrupted` with the
/// exact counts of what went and what was rewritten, nothing partial, the lock released;
/// a second `sync --started-at` with the same time completes the job.
pub fn ctrl_c_mid_clean() {
    let (w, t0) = warmed_and_changed();
    let (before, old_snapshot) = (w.cache(), snapshot(&w));
    w.t.cli(&["CONFIG", "RESETSTAT"]);
    let args = [
        "sync",
        "--yes",
        "--started-at",
        &t0,
        "--settle",
        "0s",
        "--format",
        "json",
    ];
    let mut child = spawn(&w, &w.t.flags, &args, false);
    mid_clean(&w, &mut child);
    signal(&child.id().to_string(), "INT");
    let out = finish(child);
    assert_eq!(out.code, Some(130), "{}{}", out.stdout, out.stderr);
    let r = out.json();
    assert_eq!(r["status"], "interrupted", "{r}");
    assert!(out.stderr.contains("interrupted"), "{}", out.stderr);
    adds_up(&r);
    let after = w.cache();
    let (gone, changed, _) = delta(&before, &after);
    let (deleted, rewritten) = (count(&r, "keysDeleted"), count(&r, "keysRewritten"));
    assert_eq!(deleted, gone, "the report counts exactly what went: {r}");
    assert_eq!(rewritten, changed, "and exactly what was rewritten: {r}");
    assert!(deleted > 0 && rewritten > 0, "{r}");
    let decoded = nothing_partial(&w, &old_snapshot, &r, &before, &after);
    assert_eq!(w.t.cli(&["EXISTS", LOCK]).trim(), "0", "lock released");
    let named = reason(&r, "lineage-changed", "keys");
    let left = after.len();
    let again = w.sync(&["--started-at", &t0, "--settle", "0s"]);
    let r2 = again.ok();
    let cached = completes(&w, &r2, &old_snapshot);
    eprintln!(
        "Ctrl-C mid-clean: {deleted} deleted and {rewritten} rewritten of {} cached ({named} keys named), \
         as counted; {left} values left, all whole ({decoded} rewritten, decoded); the next sync deleted {} and rewrote {}: {cached} keys, all true",
        before.len(),
        count(&r2, "keysDeleted"),
        count(&r2, "keysRewritten")
    );
}

/// Every connection of sync cut mid-clean, new ones refused (the server out of reach, as
/// when it dies): exit 4 within the retry budget, one error line naming the server, the
/// report counting only what Redis acknowledged (a batch in flight may have been applied
/// unacknowledged), nothing partial; reachable again, the lock (its lease runs 30 s) deleted
/// by hand as an operator would, a new sync completes.
pub fn connection_cut_mid_clean() {
    let (w, t0) = warmed_and_changed();
    let Redis::Standalone(server) = &w.redis else {
        unreachable!()
    };
    let proxy = TcpProxy::start(server.port());
    let through = ["--redis-url".to_string(), proxy.url()];
    let (before, old_snapshot) = (w.cache(), snapshot(&w));
    w.t.cli(&["CONFIG", "RESETSTAT"]);
    let args = [
        "--timeout",
        "1",
        "sync",
        "--yes",
        "--started-at",
        &t0,
        "--settle",
        "0s",
        "--format",
        "json",
    ];
    let mut child = spawn(&w, &through, &args, false);
    mid_clean(&w, &mut child);
    proxy.refuse(true);
    let cut = Instant::now();
    assert!(proxy.drop_connections() > 0);
    let out = finish(child);
    let took = cut.elapsed();
    assert_eq!(out.code, Some(4), "{}{}", out.stdout, out.stderr);
    assert!(took < STOP_WITHIN, "{took:?}");
    let all = format!("{}{}", out.stdout, out.stderr);
    assert!(!all.contains("panicked"), "{all}");
    let error = the_error_line(&out.stderr, &format!("127.0.0.1:{}", proxy.port()));
    let r = out.json();
    assert_eq!(r["status"], "stopped-redis-error", "{r}");
    adds_up(&r);
    let after = w.cache();
    let (gone, changed, _) = delta(&before, &after);
    let (deleted, rewritten) = (count(&r, "keysDeleted"), count(&r, "keysRewritten"));
    let so_far = format!("sync stopped after deleting {deleted} and rewriting {rewritten} keys");
    assert!(error.contains(&so_far), "{}", error);
    assert!(deleted > 0, "{r}");
    assert!(
        deleted <= gone && gone <= deleted + BATCH,
        "{gone} gone: {r}"
    );
    assert!(
        rewritten <= changed && changed <= rewritten + BATCH,
        "{changed} changed: {r}"
    );
    let decoded = nothing_partial(&w, &old_snapshot, &r, &before, &after);
    let left = after.len();
    // The lock could not be released: its lease ends it.
    let pttl: i64 = w.t.cli(&["PTTL", LOCK]).trim().parse().unwrap();
    assert!(pttl <= 30_000, "the lock outlives its lease: {pttl}");
    w.t.cli(&["DEL", LOCK]);
    proxy.refuse(false);
    let again = [
        "sync",
        "--yes",
        "--started-at",
        &t0,
        "--settle",
        "0s",
        "--format",
        "json",
    ];
    let out2 = finish(spawn(&w, &through, &again, false));
    assert_eq!(out2.code, Some(0), "{}{}", out2.stdout, out2.stderr);
    let r2 = out2.json();
    let cached = completes(&w, &r2, &old_snapshot);
    eprintln!("connection cut mid-clean, said: {}", error);
    eprintln!(
        "connection cut mid-clean: exit 4 {took:.1?} after the cut; counted {deleted} deleted and {rewritten} rewritten, \
         {gone} gone and {changed} changed in Redis; {left} values left, all whole ({decoded} changed, decoded); the next sync deleted {} and rewrote {}: \
         {cached} keys, all true",
        count(&r2, "keysDeleted"),
        count(&r2, "keysRewritten")
    );
}

/// Ctrl-C on a terminal while the populate command runs (SIGINT to the process group;
/// `term` false), or SIGTERM to sync alone (a service manager's stop, a CI timeout; `term`
/// true, which sync passes on): the command gets it and ends; sync waits for it, then
/// stops: exit 130, the command's signal in the report, nothing cleaned (the tables are
/// half-written: what the API caches from them is cleaned by the next sync), the snapshot
/// kept, the run marked. The next sync cleans what the API wrote since the interrupted run
/// began.
pub fn a_signal_reaches_the_command(term: bool) {
    let w = World::standalone(Db::demo());
    w.t.plant_foreign();
    w.cli(&["warm", "--all"]).success();
    // The warm's writes older than the 1 s of slack on key ages (the run's window).
    w.start_clock();
    let (before, old_snapshot) = (w.cache(), snapshot(&w));
    let started = w.dir.path().join("started");
    // `exec`: the signal sent to the command's process reaches the sleep itself.
    let script = format!("touch '{}' && exec sleep 60", started.display());
    let args = [
        "sync", "--yes", "--settle", "0s", "--format", "json", "--", "sh", "-c", &script,
    ];
    let mut child = spawn(&w, &w.t.flags, &args, true);
    wait_until(&mut child, "the command to start", || started.exists());
    // The API caches an answer meanwhile.
    let (key, (value, _)) = before
        .iter()
        .find(|(k, _)| k.starts_with("ol:dataset:get:"))
        .unwrap();
    let Parsed::Key(parsed) = parse(key) else {
        unreachable!()
    };
    w.t.put(&[(key.clone().into_bytes(), value.clone(), ttl(&parsed))]);
    let t = Instant::now();
    let (sig, number) = if term { ("TERM", 15) } else { ("INT", 2) };
    match term {
        true => signal(&child.id().to_string(), sig),
        false => signal(&format!("-{}", child.id()), sig),
    }
    let out = finish(child);
    assert!(t.elapsed() < Duration::from_secs(30), "{:?}", t.elapsed());
    assert_eq!(out.code, Some(130), "{}{}", out.stdout, out.stderr);
    let r = out.json();
    assert_eq!(r["status"], "interrupted", "{r}");
    let c = &r["command"];
    let by_it = c["signal"] == number || c["exitCode"] == 128 + number;
    assert!(by_it, "the command got SIG{sig}: {r}");
    let said = "0 keys the API wrote meanwhile were cleaned, then sync stopped";
    assert!(out.stderr.contains(said), "{}", out.stderr);
    assert_eq!(reason(&r, "written-during-run", "keys"), 1, "{r}");
    assert_eq!(count(&r, "keysDeleted") + count(&r, "keysRewritten"), 0);
    let after = w.cache();
    assert_eq!(delta(&before, &after).0, 0, "nothing cleaned");
    nothing_partial(&w, &old_snapshot, &r, &before, &after);
    // The next run (here one that happened elsewhere, later) cleans the key written during
    // the interrupted run.
    let later = w.start_clock();
    let r2 = w.sync(&["--started-at", &later, "--settle", "0s"]).ok();
    check_report(&r2);
    assert!(r2["notes"].to_string().contains("never synced"), "{r2}");
    assert_eq!(reason(&r2, "written-during-run", "deleted"), 1, "{r2}");
    assert_eq!(w.t.cli(&["EXISTS", key]).trim(), "0");
    let cached = w.assert_true();
    assert_eq!(w.t.cli(&["EXISTS", UNFINISHED]).trim(), "0");
    eprintln!(
        "SIG{sig} during the command: exit 130, command {}, nothing cleaned of {} cached; \
         the next sync deleted the 1 key written meanwhile: {cached} keys, all true",
        if c["signal"] == number {
            format!("signal {number}")
        } else {
            format!("exit {}", 128 + number)
        },
        after.len()
    );
}
