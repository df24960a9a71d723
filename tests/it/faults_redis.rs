//! Redis faults during `warm` and `invalidate`, against real servers the tests break: killed
//! (SIGKILL), paused (SIGSTOP), restarted, connections cut or stalled by a proxy, full, and
//! concurrent runs and Ctrl-C. After each fault every `ol:` key left must hold a complete
//! value with a TTL ("nothing partial"); runs must stop with a clear error within the retry
//! budget ("never a hang") or complete ("nothing lost"). The counts of values checked are
//! printed (`--nocapture`) and recorded in docs/faults.md.
//!
//! `inspect`/`stats`: fault tests are added when those commands land.
use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{free_port, TcpProxy};
use lineage_cache::keys::{parse, Parsed};

/// `--timeout` of every run here; the retry budget is 3 × this.
const TIMEOUT: f64 = 1.0;
/// A stop must come "within seconds": the retry budget is 3 × TIMEOUT, plus one attempt to
/// release the lock; the bound leaves room for a loaded CI machine while still catching a hang.
const STOP_WITHIN: Duration = Duration::from_secs(8);
/// What `warm --all` plans on the synthetic warehouse (seed 7, 3000 columns), in the name
/// form (no field lists: 150 fewer than the id form's 9520).
const ALL_KEYS: usize = 9370;

/// A synthetic warehouse of about 3000 columns (9370 keys for `warm --all`).
struct Warehouse {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

fn warehouse() -> Warehouse {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("synthetic.sqlite");
    lineage_cache::source::demo::create_synthetic(&path, 3000, 7, false).unwrap();
    Warehouse { _dir: dir, path }
}

/// A `redis-server` that can be killed and started again on the same port and directory
/// (append-only file, fsync at every write, so what was acknowledged survives a SIGKILL).
struct Server {
    child: Option<Child>,
    port: u16,
    dir: tempfile::TempDir,
    extra: Vec<String>,
}

impl Server {
    fn start(aof: bool, extra: &[&str]) -> Server {
        let mut extra: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        if aof {
            extra.extend(["--appendonly", "yes", "--appendfsync", "always"].map(String::from));
        }
        let mut s = Server {
            child: None,
            port: free_port(),
            dir: tempfile::Builder::new()
                .prefix("lc-fault-")
                .tempdir()
                .unwrap(),
            extra,
        };
        s.launch();
        s
    }

    fn launch(&mut self) {
        let log = std::fs::File::create(self.dir.path().join("redis.log")).unwrap();
        let child = Command::new("redis-server")
            .args(["--bind", "127.0.0.1", "--port", &self.port.to_string()])
            .args(["--save", "", "--daemonize", "no", "--dir"])
            .arg(self.dir.path())
            .args(&self.extra)
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("run redis-server");
        self.child = Some(child);
        wait_for("redis-server to answer", || {
            self.try_cli(&["PING"]).is_some_and(|r| r.trim() == "PONG")
        });
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    fn pid(&self) -> u32 {
        self.child.as_ref().map(Child::id).unwrap_or(0)
    }

    /// SIGKILL, reaped.
    fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// SIGTERM (a clean shutdown), reaped.
    fn stop(&mut self) {
        signal(self.pid(), "CONT");
        signal(self.pid(), "TERM");
        if let Some(mut c) = self.child.take() {
            let _ = c.wait();
        }
    }

    /// Start again on the same port, from the same directory.
    fn restart(&mut self) {
        self.kill();
        self.launch();
    }

    fn pause(&self) {
        signal(self.pid(), "STOP");
    }

    fn resume(&self) {
        signal(self.pid(), "CONT");
    }

    fn try_cli(&self, args: &[&str]) -> Option<String> {
        let out = Command::new("redis-cli")
            .args(["-h", "127.0.0.1", "-p", &self.port.to_string()])
            .args(args)
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }

    fn cli(&self, args: &[&str]) -> String {
        self.try_cli(args)
            .unwrap_or_else(|| panic!("redis-cli {args:?} failed"))
    }

    /// The number of keys, asked until the server answers (30 s at most). A failed probe
    /// must not read as 0 keys: that satisfies every "fewer than N keys" wait at once, and
    /// the fault then lands before the deletions it is meant to interrupt.
    fn dbsize(&self) -> usize {
        let start = Instant::now();
        loop {
            let answer = self.try_cli(&["DBSIZE"]);
            if let Some(n) = answer.as_deref().and_then(|s| s.trim().parse().ok()) {
                return n;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "DBSIZE never answered: {answer:?}"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn client(&self) -> redis::Connection {
        redis::Client::open(self.url())
            .unwrap()
            .get_connection()
            .unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if self.child.is_some() {
            signal(self.pid(), "CONT");
        }
        self.kill();
    }
}

fn signal(pid: u32, sig: &str) {
    if pid != 0 {
        let _ = Command::new("kill")
            .arg(format!("-{sig}"))
            .arg(pid.to_string())
            .status();
    }
}

/// The tool, with a clean environment, its output piped, `--timeout` [`TIMEOUT`].
fn spawn(url: &str, source: &Path, args: &[&str]) -> Child {
    spawn_with(url, source, TIMEOUT, args)
}

fn spawn_with(url: &str, source: &Path, timeout: f64, args: &[&str]) -> Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_lineage-cache"));
    for (name, _) in std::env::vars() {
        let ours = [
            "REDIS_",
            "LINEAGE_CACHE_",
            "CACHE_TTL_",
            "VALIDATION_",
            "TERADATA_",
        ];
        if ours.iter().any(|p| name.starts_with(p)) {
            cmd.env_remove(name);
        }
    }
    let dir = std::env::temp_dir();
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .args(["--redis-url", url, "--timeout", &timeout.to_string()])
        .arg("--source")
        .arg(format!("sqlite:{}", source.display()))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

struct Out {
    stdout: String,
    stderr: String,
    code: Option<i32>,
    /// From the fault (or the start) to the exit.
    took: Duration,
}

fn finish(child: Child, since: Instant) -> Out {
    let out = child.wait_with_output().unwrap();
    Out {
        took: since.elapsed(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code(),
    }
}

fn run(url: &str, source: &Path, args: &[&str]) -> Out {
    finish(spawn(url, source, args), Instant::now())
}

/// A full-speed run against a server that fsyncs every write: the default timeout, since
/// four 4 MB pipelines written and fsynced can take more than a second here.
fn run_patient(url: &str, source: &Path, args: &[&str]) -> Out {
    finish(spawn_with(url, source, 5.0, args), Instant::now())
}

fn wait_for(what: &str, mut f: impl FnMut() -> bool) {
    let start = Instant::now();
    while !f() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// A run that stopped on a Redis failure: exit 4, one clear `lineage-cache:` line naming
/// the server (retry warnings may come before it), no panic.
fn assert_clean_stop(out: &Out, port: u16) {
    let all = format!("{}{}", out.stdout, out.stderr);
    assert_eq!(out.code, Some(4), "{all}");
    assert!(
        !all.contains("panicked") && !all.contains("RUST_BACKTRACE"),
        "{all}"
    );
    common::the_error_line(&out.stderr, &format!("127.0.0.1:{port}"));
}

/// Every `ol:` key holds a complete value of its kind and has a TTL; returns how many.
fn all_complete(server: &Server) -> usize {
    let mut con = server.client();
    let keys: Vec<String> = redis::cmd("KEYS").arg("ol:*").query(&mut con).unwrap();
    for chunk in keys.chunks(500) {
        let mut pipe = redis::pipe();
        for k in chunk {
            pipe.cmd("GET").arg(k).cmd("PTTL").arg(k);
        }
        let replies: Vec<(Option<Vec<u8>>, i64)> = pipe.query(&mut con).unwrap();
        for (k, (value, pttl)) in chunk.iter().zip(replies) {
            let Parsed::Key(key) = parse(k) else {
                panic!("{k} is not a key the API writes");
            };
            let Some(value) = value else { continue }; // expired meanwhile
            let check = lineage_cache::json::check_value(key.kind(), &value);
            assert!(check.is_ok(), "{k} holds a partial value: {check:?}");
            assert!(pttl > 0, "{k} has no TTL ({pttl})");
        }
    }
    keys.len()
}

/// Every `ol:` key and value of `a` equals `b`'s (TTLs aside).
fn same_cache(a: &Server, b: &Server) {
    let (mut ca, mut cb) = (a.client(), b.client());
    let mut ka: Vec<String> = redis::cmd("KEYS").arg("ol:*").query(&mut ca).unwrap();
    let mut kb: Vec<String> = redis::cmd("KEYS").arg("ol:*").query(&mut cb).unwrap();
    ka.sort();
    kb.sort();
    assert_eq!(ka.len(), kb.len());
    assert!(ka == kb, "the key sets differ");
    for chunk in ka.chunks(300) {
        let va: Vec<Vec<u8>> = redis::cmd("MGET").arg(chunk).query(&mut ca).unwrap();
        let vb: Vec<Vec<u8>> = redis::cmd("MGET").arg(chunk).query(&mut cb).unwrap();
        assert!(va == vb, "values differ in {}..", chunk[0]);
    }
}

const LOCK: &str = "lineage-cache:lock:warm:0";

#[test]
fn redis_killed_mid_warm_and_mid_invalidate() {
    let wh = warehouse();
    let mut redis = Server::start(true, &[]);
    let warm = ["warm", "--all", "--rate", "3000"];
    let child = spawn(&redis.url(), &wh.path, &warm);
    wait_for("writes", || redis.dbsize() > 1500);
    redis.kill();
    let out = finish(child, Instant::now());
    assert_clean_stop(&out, redis.port);
    assert!(out.took < STOP_WITHIN, "{:?}", out.took);
    assert!(out.stderr.contains("warm stopped"), "{}", out.stderr);
    // Everything acknowledged survived (append-only file); nothing is partial.
    redis.restart();
    let left = all_complete(&redis);
    eprintln!("killed mid-warm: {left} values checked, all complete");
    assert!(left > 1000 && left < ALL_KEYS, "{left}");
    // The dead server could not be told to release the lock: it expires by itself.
    let pttl: i64 = redis.cli(&["PTTL", LOCK]).trim().parse().unwrap();
    assert!(pttl <= 30_000, "the lock outlives its lease: {pttl}");
    redis.cli(&["DEL", LOCK]); // as an operator would, instead of waiting up to 30 s
    let again = run_patient(&redis.url(), &wh.path, &["warm", "--all"]);
    assert_eq!(again.code, Some(0), "{}", again.stderr);
    let clean = Server::start(false, &[]);
    assert_eq!(
        run(&clean.url(), &wh.path, &["warm", "--all"]).code,
        Some(0)
    );
    same_cache(&redis, &clean);
    assert_eq!(all_complete(&redis), ALL_KEYS);

    let all = ["invalidate", "--all", "--yes"];
    let left = kill_mid_invalidate(&mut redis, &wh, &all);
    eprintln!("killed mid-invalidate: {left} values checked, all complete");
    assert!(left > 0, "{left}");
    let again = run_patient(&redis.url(), &wh.path, &all);
    assert_eq!(again.code, Some(0), "{}", again.stderr);
    assert_eq!(all_complete(&redis), 0);

    // The computed path (keys from the source, not a scan): every dataset changed.
    let again = run_patient(&redis.url(), &wh.path, &["warm", "--all"]);
    assert_eq!(again.code, Some(0), "{}", again.stderr);
    let computed = [
        "invalidate",
        "--changed-since",
        "2000-01-01",
        "--yes",
        "--delete-both",
    ];
    let dry = run_patient(
        &redis.url(),
        &wh.path,
        &[&computed[..3], &DRY_JSON].concat(),
    );
    let dry: serde_json::Value = serde_json::from_str(&dry.stdout).unwrap();
    assert_eq!(dry["path"], "computed", "{dry}");
    let selected = dry["matched"].as_u64().unwrap() as usize;
    assert!(selected > ALL_KEYS / 2, "{dry}");
    let left = kill_mid_invalidate(&mut redis, &wh, &computed);
    eprintln!("killed mid-invalidate (computed): {left} values checked, all complete");
    assert!(left > ALL_KEYS - selected, "{left}");
    let again = run_patient(&redis.url(), &wh.path, &computed);
    assert_eq!(again.code, Some(0), "{}", again.stderr);
    assert_eq!(all_complete(&redis), ALL_KEYS - selected);
}

/// Kill Redis once an `invalidate ARGS --rate 3000` of the whole warm has deleted 1,500
/// keys: a clean stop within the budget; restarted, every value left is whole. How many
/// are left.
fn kill_mid_invalidate(redis: &mut Server, wh: &Warehouse, args: &[&str]) -> usize {
    let child = spawn(
        &redis.url(),
        &wh.path,
        &[args, &["--rate", "3000"]].concat(),
    );
    wait_for("deletions", || redis.dbsize() < ALL_KEYS - 1500);
    redis.kill();
    let out = finish(child, Instant::now());
    assert_clean_stop(&out, redis.port);
    assert!(out.took < STOP_WITHIN, "{:?}", out.took);
    redis.restart();
    let left = all_complete(redis);
    assert!(left < ALL_KEYS - 1500, "{left}");
    left
}

/// A dry run reporting in JSON.
const DRY_JSON: [&str; 3] = ["--dry-run", "--format", "json"];

/// Warm everything at a pace that lasts about three seconds.
const PACED_WARM: [&str; 4] = ["warm", "--all", "--rate", "3000"];

#[test]
fn redis_paused_briefly_completes_paused_long_stops_in_the_budget() {
    let wh = warehouse();
    let redis = Server::start(false, &[]);
    let child = spawn(&redis.url(), &wh.path, &PACED_WARM);
    wait_for("writes", || redis.dbsize() > 1500);
    redis.pause();
    std::thread::sleep(Duration::from_millis(1500)); // < the 3 s retry budget
    redis.resume();
    let out = finish(child, Instant::now());
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(
        out.stderr.contains("retry 1"),
        "the pause was felt: {}",
        out.stderr
    );
    let n = all_complete(&redis);
    eprintln!("short pause during warm: {n} values checked, all complete");
    assert_eq!(n, ALL_KEYS);

    let redis = Server::start(false, &[]);
    let child = spawn(&redis.url(), &wh.path, &PACED_WARM);
    wait_for("writes", || redis.dbsize() > 1500);
    redis.pause();
    let paused = Instant::now();
    let out = finish(child, paused);
    redis.resume();
    assert_clean_stop(&out, redis.port);
    assert!(
        out.stderr.contains("did not answer within 1s"),
        "{}",
        out.stderr
    );
    // The failing operation's budget (3 × timeout), then one bounded attempt to release
    // the lock (1 × timeout), and a second of slack for a loaded machine.
    assert!(out.took < STOP_WITHIN, "{:?}", out.took);
    let n = all_complete(&redis);
    eprintln!("long pause during warm: {n} values checked, all complete");
    assert!(n > 1500 && n < ALL_KEYS, "{n}");
}

#[test]
fn redis_restarted_mid_run_reconnects_and_completes() {
    let wh = warehouse();
    let mut redis = Server::start(true, &[]);
    let child = spawn_with(&redis.url(), &wh.path, 2.0, &PACED_WARM);
    wait_for("writes", || redis.dbsize() > 1500);
    redis.stop();
    redis.restart();
    let out = finish(child, Instant::now());
    assert_eq!(
        out.code,
        Some(0),
        "completes after reconnecting: {}",
        out.stderr
    );
    assert!(out.stderr.contains("retry"), "{}", out.stderr);
    let n = all_complete(&redis);
    eprintln!("restart during warm: {n} values checked, all complete");
    assert_eq!(n, ALL_KEYS, "nothing lost");

    // invalidate: its SCAN cursor means nothing to the new process, so it starts over and
    // still reaches every key.
    let child = spawn_with(
        &redis.url(),
        &wh.path,
        2.0,
        &[
            "invalidate",
            "--all",
            "--yes",
            "--rate",
            "3000",
            "--format",
            "json",
        ],
    );
    wait_for("deletions", || redis.dbsize() < ALL_KEYS - 1500);
    redis.stop();
    redis.restart();
    let out = finish(child, Instant::now());
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(out.stderr.contains("restarted"), "{}", out.stderr);
    assert_eq!(all_complete(&redis), 0, "every key deleted");
}

#[test]
fn connections_cut_or_stalled_by_a_proxy() {
    let wh = warehouse();
    let redis = Server::start(false, &[]);
    let proxy = TcpProxy::start(redis.port);
    // Cut mid-warm: reconnect and complete.
    let child = spawn(&proxy.url(), &wh.path, &PACED_WARM);
    wait_for("writes", || redis.dbsize() > 1500);
    assert!(proxy.drop_connections() > 0);
    let out = finish(child, Instant::now());
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(proxy.accepted() >= 2, "a new connection was made");
    let n = all_complete(&redis);
    eprintln!("connection cut during warm: {n} values checked, all complete");
    assert_eq!(n, ALL_KEYS);
    // Cut mid-invalidate: reconnect and complete.
    let child = spawn(
        &proxy.url(),
        &wh.path,
        &["invalidate", "--all", "--yes", "--rate", "3000"],
    );
    wait_for("deletions", || redis.dbsize() < ALL_KEYS - 1500);
    proxy.drop_connections();
    let out = finish(child, Instant::now());
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(all_complete(&redis), 0);
    // Stalled: timeouts, a clean stop within the budget.
    let child = spawn(&proxy.url(), &wh.path, &PACED_WARM);
    wait_for("writes", || redis.dbsize() > 1500);
    proxy.stall(true);
    let stalled = Instant::now();
    let out = finish(child, stalled);
    proxy.stall(false);
    assert_clean_stop(&out, proxy.port());
    assert!(out.took < STOP_WITHIN, "{:?}", out.took);
    let n = all_complete(&redis);
    eprintln!("stalled connection during warm: {n} values checked, all complete");
    // Cut and refused: the retries fail fast.
    redis.cli(&["FLUSHALL"]);
    let child = spawn(&proxy.url(), &wh.path, &PACED_WARM);
    wait_for("writes", || redis.dbsize() > 1500);
    proxy.refuse(true);
    proxy.drop_connections();
    let out = finish(child, Instant::now());
    assert_clean_stop(&out, proxy.port());
    assert!(out.took < STOP_WITHIN, "{:?}", out.took);
    let n = all_complete(&redis);
    eprintln!("connection cut and refused during warm: {n} values checked, all complete");
    assert!(n > 1500 && n < ALL_KEYS);
}

/// `used_memory` of a server, in bytes.
fn used_memory(redis: &Server) -> u64 {
    let info = redis.cli(&["INFO", "memory"]);
    info.lines()
        .find_map(|l| l.strip_prefix("used_memory:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0)
}

/// Cases tests/it/warm.rs does not cover: a full `noeviction` server refuses up front, a
/// `--from-cache` refresh on a server that fills up stops on OOM with complete values, and
/// `invalidate` still works on a full server (deleting is how room is made).
#[test]
fn redis_full() {
    let wh = warehouse();
    let redis = Server::start(
        false,
        &["--maxmemory", "3mb", "--maxmemory-policy", "noeviction"],
    );
    let out = run(&redis.url(), &wh.path, &["warm", "--all"]);
    assert_eq!(out.code, Some(6), "{}", out.stderr);
    assert_eq!(redis.dbsize(), 0, "refused before writing");
    // Filled to the brim, a refresh from the cache is refused too (rewriting a value needs
    // room for the new copy before the old one is freed); the cached values stay whole.
    redis.cli(&["CONFIG", "SET", "maxmemory", "0"]);
    let out = run(
        &redis.url(),
        &wh.path,
        &["warm", "--all", "--kind", "lineage-graph"],
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let used = used_memory(&redis);
    redis.cli(&["CONFIG", "SET", "maxmemory", &(used + 100_000).to_string()]);
    let out = run(&redis.url(), &wh.path, &["warm", "--from-cache"]);
    assert_eq!(out.code, Some(6), "{}", out.stderr);
    assert!(out.stderr.contains("maxmemory"), "{}", out.stderr);
    let n = all_complete(&redis);
    eprintln!("full Redis, warm --from-cache refused: {n} values checked, all complete");
    assert_eq!(n, 8910);
    // Deleting works on a full server.
    redis.cli(&[
        "CONFIG",
        "SET",
        "maxmemory",
        &used_memory(&redis).to_string(),
    ]);
    let out = run(&redis.url(), &wh.path, &["invalidate", "--all", "--yes"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    // Every `ol:` key went; the tool's lineage snapshot (saved by the complete warm) stays.
    assert_eq!(all_complete(&redis), 0);
    assert_eq!(redis.dbsize(), 1);
}

#[test]
fn warm_and_invalidate_at_once_on_the_same_keys() {
    let wh = warehouse();
    let redis = Server::start(false, &[]);
    let warm = spawn(&redis.url(), &wh.path, &PACED_WARM);
    let mut invalidations = 0;
    for _ in 0..3 {
        wait_for("writes", || redis.dbsize() > 1000);
        let out = run(&redis.url(), &wh.path, &["invalidate", "--all", "--yes"]);
        assert_eq!(out.code, Some(0), "{}", out.stderr);
        invalidations += 1;
    }
    let out = finish(warm, Instant::now());
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(invalidations, 3);
    let n = all_complete(&redis);
    eprintln!("warm and invalidate at once: {n} values checked, all complete");
    assert!(n > 0 && n < ALL_KEYS, "{n}");
    assert_eq!(redis.cli(&["EXISTS", LOCK]).trim(), "0", "lock released");
}

fn interrupt(child: &Child) {
    signal(child.id(), "INT");
}

#[test]
fn ctrl_c_while_planning_while_writing_and_while_invalidating() {
    let wh = warehouse();
    let redis = Server::start(false, &[]);
    // While planning: the lock is taken first, then the plan and the per-key sample of
    // the memory estimate (200 values by SQL) run before anything is written.
    let child = spawn(&redis.url(), &wh.path, &["warm", "--all", "--per-key"]);
    wait_for("the lock", || redis.cli(&["EXISTS", LOCK]).trim() == "1");
    interrupt(&child);
    let out = finish(child, Instant::now());
    assert_eq!(out.code, Some(130), "{}", out.stderr);
    let planning = out.stderr.contains("while planning");
    let n = all_complete(&redis);
    eprintln!("Ctrl-C while planning (before writing: {planning}): {n} values checked");
    assert!(!planning || n == 0, "nothing written while planning");
    assert_eq!(redis.cli(&["EXISTS", LOCK]).trim(), "0", "lock released");
    // While writing.
    let child = spawn(&redis.url(), &wh.path, &PACED_WARM);
    wait_for("writes", || redis.dbsize() > 1500);
    interrupt(&child);
    let out = finish(child, Instant::now());
    assert_eq!(out.code, Some(130), "{}", out.stderr);
    assert!(out.stdout.contains("interrupted"), "{}", out.stdout);
    let written = all_complete(&redis);
    eprintln!("Ctrl-C while writing: {written} values checked, all complete");
    assert!(written > 1500 && written < ALL_KEYS, "{written}");
    assert_eq!(redis.cli(&["EXISTS", LOCK]).trim(), "0", "lock released");
    // While invalidating: by a scan, then keys computed from the source (every dataset
    // changed).
    let left = interrupt_invalidate(&redis, &wh, written, "--all", "scan");
    eprintln!("Ctrl-C while invalidating: {left} values checked, all complete");
    let out = run(&redis.url(), &wh.path, &["warm", "--all"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let before = all_complete(&redis);
    let left = interrupt_invalidate(&redis, &wh, before, "--changed-since", "computed");
    eprintln!("Ctrl-C while invalidating (computed): {left} values checked, all complete");
}

/// Ctrl-C an `invalidate SELECTOR [2000-01-01]` at 1000 keys/s of a cache of `before`
/// keys, once 500 are gone: exit 130, report `interrupted` on `path`, the count deleted
/// exactly what went, every value left whole. How many are left.
fn interrupt_invalidate(
    redis: &Server,
    wh: &Warehouse,
    before: usize,
    selector: &str,
    path: &str,
) -> usize {
    let mut args = vec!["invalidate", selector];
    if selector == "--changed-since" {
        args.push("2000-01-01");
    }
    args.extend(["--yes", "--rate", "1000", "--format", "json"]);
    let child = spawn(&redis.url(), &wh.path, &args);
    wait_for("deletions", || redis.dbsize() < before - 500);
    interrupt(&child);
    let out = finish(child, Instant::now());
    assert_eq!(out.code, Some(130), "{}{}", out.stdout, out.stderr);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["status"], "interrupted");
    assert_eq!(report["path"], path, "{report}");
    let left = all_complete(redis);
    assert_eq!(
        left as u64,
        before as u64 - report["deleted"].as_u64().unwrap(),
        "the report counts exactly what went"
    );
    assert!(left > 0);
    left
}
