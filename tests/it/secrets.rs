//! Passwords never appear in anything a command prints or logs: every command, at every
//! verbosity, on success and on every failure path we can provoke.
use crate::common;

use common::{bin, RedisServer};

const REDIS_PW: &str = "r3dis-Pa55word-4711";
const TD_PW: &str = "t3radata-Pa55word-0815";

/// Run with both passwords configured; return everything printed.
fn output(env: &[(&str, &str)], args: &[&str]) -> (String, i32) {
    let mut cmd = bin();
    cmd.env("TERADATA_PASSWORD", TD_PW)
        .env("TD_PASSWORD", TD_PW);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.args(args).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (text, out.status.code().unwrap_or(-1))
}

fn commands(source: &str) -> Vec<Vec<String>> {
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let mut all = Vec::new();
    for verbosity in [&[][..], &["-v"], &["-vvv"]] {
        for cmd in [
            &[
                "key",
                "build",
                "lineage",
                "--dataset",
                "d.t",
                "--field",
                "f",
            ][..],
            &["key", "parse", "ol:namespace:list", "--format", "json"],
            &["key", "from-url", "/api/v2/openlineage/namespaces"],
            &["warm", "--all", "--format", "json"],
            &["warm", "--all", "--dry-run"],
            &["invalidate", "--all", "--yes", "--format", "json"],
            &["invalidate", "--dataset", "d.t", "--dry-run"],
            &["inspect"],
            &["inspect", "--format", "json"],
            &["stats", "--format", "json"],
            &["stats", "--format", "prometheus"],
        ] {
            let mut v = s(verbosity);
            v.extend(["--source".to_string(), source.to_string()]);
            v.extend(s(cmd));
            all.push(v);
        }
    }
    all
}

fn assert_clean(text: &str, args: &[String]) {
    for secret in [REDIS_PW, TD_PW] {
        assert!(
            !text.contains(secret),
            "{args:?} printed a password:\n{text}"
        );
        let encoded: String =
            percent_encoding::utf8_percent_encode(secret, percent_encoding::NON_ALPHANUMERIC)
                .to_string();
        assert!(
            !text.contains(&encoded),
            "{args:?} printed an encoded password:\n{text}"
        );
    }
}

#[test]
fn no_command_prints_a_password() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.sqlite");
    lineage_cache::source::demo::create_demo(&db, false).unwrap();
    let source = format!("sqlite:{}", db.display());
    let redis = RedisServer::start_with(&["--requirepass", REDIS_PW]);
    let dead = common::free_port();
    let good_url = format!("redis://:{REDIS_PW}@127.0.0.1:{}/0", redis.port());
    let scenarios: Vec<Vec<(&str, String)>> = vec![
        // Right password, from the environment and from a URL.
        vec![
            ("REDIS_ADDR", redis.addr()),
            ("REDIS_PASSWORD", REDIS_PW.into()),
        ],
        vec![("LINEAGE_CACHE_REDIS_URL", good_url.clone())],
        // Wrong password in the URL while the right one is in the environment.
        vec![(
            "LINEAGE_CACHE_REDIS_URL",
            format!("redis://:{TD_PW}@127.0.0.1:{}/0", redis.port()),
        )],
        // Nobody listening.
        vec![
            ("REDIS_ADDR", format!("127.0.0.1:{dead}")),
            ("REDIS_PASSWORD", REDIS_PW.into()),
        ],
        vec![(
            "LINEAGE_CACHE_REDIS_URL",
            format!("redis://user:{REDIS_PW}@127.0.0.1:{dead}/0"),
        )],
        // Bad configuration next to the password.
        vec![
            ("REDIS_PASSWORD", REDIS_PW.into()),
            ("REDIS_DB", "x".into()),
        ],
        vec![(
            "LINEAGE_CACHE_REDIS_URL",
            format!("redis://:{REDIS_PW}@127.0.0.1:notaport/0"),
        )],
    ];
    let mut runs = 0;
    let mut successes = 0;
    for env in &scenarios {
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        for args in commands(&source) {
            let argv: Vec<&str> = args.iter().map(String::as_str).collect();
            let (text, code) = output(&env, &argv);
            assert_clean(&text, &args);
            runs += 1;
            successes += (code == 0) as u32;
        }
    }
    // The runs really reached Redis and failed where they should: not a vacuous pass.
    assert!(runs > 200);
    assert!(successes > 20, "{successes}");
    // The password on the command line itself is redacted from errors too.
    let (text, code) = output(
        &[],
        &[
            "--redis-url",
            &format!("redis://:{REDIS_PW}@127.0.0.1:{dead}"),
            "warm",
            "--all",
            "-vvv",
        ],
    );
    assert_ne!(code, 0);
    assert!(text.contains("127.0.0.1"), "{text}");
    assert_clean(&text, &[]);
}
