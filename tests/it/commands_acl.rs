//! The `warm`, `invalidate`, `inspect` and `stats` scenarios (tests/it/common/scenarios.rs) as
//! the least-privilege ACL users of docs/redis.md: the writer warms and invalidates without
//! touching foreign keys; the reader inspects and counts (foreign keys unsized), and `warm`
//! and `invalidate` as the reader fail with a permission error naming the refused command.
use crate::common;

use common::scenarios::{self, Demo, Target};
use common::RedisServer;

const READ_PW: &str = "read-Secret-42";
const WRITE_PW: &str = "write-Secret-42";

/// The reader's commands, exactly as docs/redis.md gives them.
const READ_CMDS: &str = "-@all +ping +select +info +config|get +dbsize +scan +type +get \
     +exists +ttl +pttl +memory|usage +object|encoding +object|freq +object|idletime";

fn acl(server: &RedisServer, user: &str, rules: &str) {
    let mut args = vec!["ACL", "SETUSER", user];
    args.extend(rules.split_whitespace());
    assert_eq!(server.cli(&args).trim(), "OK", "ACL SETUSER {user} {rules}");
}

/// A server with the reader and the writer of docs/redis.md; (server, reader, writer).
fn server_with_users() -> (RedisServer, Target, Target) {
    let server = RedisServer::start();
    acl(
        &server,
        "lc-read",
        &format!("on >{READ_PW} resetkeys resetchannels {READ_CMDS} %R~ol:*"),
    );
    let write = format!(
        "on >{WRITE_PW} resetkeys resetchannels {READ_CMDS} +set +unlink +eval +pexpire +del \
         %RW~ol:* %RW~lineage-cache:*"
    );
    acl(&server, "lc-write", &write);
    let reader = Target::acl(&server, "lc-read", READ_PW);
    let writer = Target::acl(&server, "lc-write", WRITE_PW);
    (server, reader, writer)
}

#[test]
fn the_writer_warms() {
    let demo = Demo::create();
    let (_server, _, writer) = server_with_users();
    let (_ref, reference) = scenarios::reference(&demo);
    scenarios::warm(&writer, &demo, &reference);
    // Its bulk connection logs in as the same user.
    scenarios::warm_writes_through_the_bulk_connection(&writer, &demo);
}

/// A writer whose ACL leaves out `MEMORY USAGE` still deletes, every key and only them:
/// the bytes freed are then unknown (0), the count exact.
#[test]
fn a_writer_without_memory_usage_invalidates() {
    let demo = Demo::create();
    let (server, _, writer) = server_with_users();
    writer.run(&demo, &["warm", "--all"]).ok();
    writer.plant_foreign();
    let before = writer.keys().len();
    acl(&server, "lc-write", "-memory");
    let out = writer.run(&demo, &["invalidate", "--all", "--yes", "--format", "json"]);
    let report = out.json();
    assert_eq!(report["status"], "ok", "{report}");
    assert_eq!(report["bytesFreedEstimate"], 0, "{report}");
    let left = writer.keys();
    assert_eq!(
        report["deleted"].as_u64().unwrap() as usize,
        before - left.len()
    );
    assert!(left.iter().all(|k| !k.starts_with("ol:")), "{left:?}");
    writer.assert_foreign_intact("after invalidate without MEMORY");
}

#[test]
fn the_writer_invalidates_and_never_touches_foreign_keys() {
    let demo = Demo::create();
    let (_server, _, writer) = server_with_users();
    scenarios::invalidate(&writer, &demo);
    // Even asked for directly, a foreign key is refused by the tool (and the server).
    let out = writer.run(&demo, &["invalidate", "--yes", "--key", "session:abc"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(writer.keys().contains("session:abc"));
}

#[test]
fn the_reader_inspects_and_counts_but_may_not_write() {
    let demo = Demo::create();
    let (_server, reader, writer) = server_with_users();
    let (_ref, reference) = scenarios::reference(&demo);
    scenarios::fill_for_reading(&writer, &demo);
    scenarios::inspect(&reader, &demo, &reference);
    scenarios::stats(&reader, &demo, &reference, false);

    let before = reader.dump();
    let refusals = [
        (&["warm", "--all"][..], "SET", "+set"),
        (&["invalidate", "--all", "--yes"][..], "UNLINK", "+unlink"),
    ];
    for (args, command, rule) in refusals {
        let out = reader.run(&demo, args);
        assert_eq!(out.code, 2, "{args:?}: {out:?}");
        let err = &out.stderr;
        assert!(err.contains(&format!("refused {command}")), "{err}");
        assert!(
            err.contains(&format!("ACL SETUSER lc-read {rule}")),
            "{err}"
        );
        assert!(
            !err.contains(READ_PW) && !out.stdout.contains(READ_PW),
            "{err}"
        );
    }
    let after = reader.dump();
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    assert!(before
        .iter()
        .all(|(k, (v, _))| after.get(k).is_some_and(|(w, _)| w == v)));
}
