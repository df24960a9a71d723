//! What `sync` must not skip, and what it need not do (found by scripts/bench-sync.sh):
//!
//! - `--started-at` with keyspace events available (`--watch auto`, the default): the run
//!   happened before sync listened, so what the API wrote during it cannot be heard and
//!   must be found by key age. (Before this was fixed, the events heard after sync
//!   started, none, were taken as every write of the run.)
//! - The `both` graphs sync rewrites are not read back in the settle pass: the API cannot
//!   write one, so one written since the first pass is sync's own. (Before, every one was
//!   read again to compare it with the value written: at 100k columns, most of what sync
//!   read from Redis.)
use crate::common;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::{Demo, RedisServer, Target};
use lineage_cache::model::Timestamp;

#[test]
fn started_at_finds_the_runs_writes_by_age_with_events_available() {
    let server = RedisServer::start();
    let t = Target::standalone(&server);
    let demo = Demo::create();
    t.run(&demo, &["warm", "--all", "--format", "json"]).ok();
    let graph = t
        .keys()
        .into_iter()
        .find(|k| k.starts_with("ol:lineage:graph:") && k.ends_with("|upstream"))
        .expect("an upstream graph");
    // Warm's writes must be older than the run's start (1 s of slack on ages, whole seconds).
    std::thread::sleep(Duration::from_millis(2_500));
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    let started = Timestamp {
        secs: now.as_secs() as i64,
        nanos: 0,
    }
    .to_rfc3339();
    // The API, during the run elsewhere: a graph of the seed alone, with the class TTL.
    t.cli(&["SET", &graph, "{\"nodes\":[],\"edges\":[]}", "EX", "1800"]);
    let report = t
        .run(
            &demo,
            &[
                "sync",
                "--started-at",
                &started,
                "--settle",
                "0s",
                "--format",
                "json",
            ],
        )
        .json();
    assert_eq!(report["heardBy"], "key-ages", "{report:#}");
    let said = report["notes"].as_array().unwrap();
    let told = said
        .iter()
        .filter(|n| n.to_string().contains("before sync listened"));
    assert_eq!(told.count(), 1, "said once: {report:#}");
    let during = &report["reasons"]["written-during-run"];
    assert_eq!(during["deleted"], 1, "{report:#}");
    assert_eq!(t.cli(&["EXISTS", &graph]).trim(), "0", "{report:#}");
}

#[test]
fn rewritten_both_graphs_are_not_read_back() {
    let server = RedisServer::start();
    let t = Target::standalone(&server);
    let demo = Demo::create();
    t.run(&demo, &["warm", "--all", "--format", "json"]).ok();
    for watch in ["on", "off"] {
        // The rewrite drops one lineage row: the graphs holding it are stale.
        let c = rusqlite::Connection::open(&demo.path).unwrap();
        let gone = c
            .execute(
                "DELETE FROM OL_COLUMN_LINEAGE WHERE lineage_id = (SELECT MIN(lineage_id) \
                 FROM OL_COLUMN_LINEAGE WHERE is_active = 'Y')",
                [],
            )
            .unwrap();
        assert_eq!(gone, 1);
        drop(c);
        let report = t
            .run(
                &demo,
                &[
                    "sync", "--settle", "0s", "--watch", watch, "--format", "json", "--", "true",
                ],
            )
            .json();
        let rewritten = report["reasons"]["lineage-changed"]["rewritten"].as_u64();
        assert!(
            rewritten.unwrap() > 0,
            "--watch {watch}: no both graph rewritten: {report:#}"
        );
        assert_eq!(report["bytesRead"], 0, "--watch {watch}: {report:#}");
        let settling = &report["reasons"]["written-while-settling"];
        assert_eq!(settling["keys"], 0, "--watch {watch}: {report:#}");
    }
    // What sync left is what the API would write now.
    t.run(&demo, &["verify", "--format", "json"]).ok();
}
