//! Bad input of every kind — command-line values, environment values, `.env` lines,
//! keys-file lines, API URLs, glob patterns — for `warm`, `invalidate` and `key`: each is
//! a usage error (exit 2) with exactly one stderr line starting `lineage-cache: `, never a
//! panic, and nothing is written to Redis. A cached value that does not decode is
//! recomputed by `warm --from-cache`, not a crash.
//!
//! The table of cases is also the table in docs/faults.md: `UPDATE_DOCS=1 cargo test --test
//! bad_input` rewrites it; otherwise the test checks it is fresh.
//!
//! `inspect`/`stats`: bad-input cases are added when those commands land.
use crate::common;

use std::path::Path;

use common::{bin, RedisServer};
use lineage_cache::keys::{parse, Parsed};

/// One bad input. In `args`, `@R` stands for `--redis-url URL --source sqlite:DEMO`.
struct Case {
    /// The kind of input (a column of the docs table).
    kind: &'static str,
    args: &'static [&'static str],
    env: &'static [(&'static str, &'static str)],
    /// The contents of `.env` in the working directory.
    dotenv: Option<&'static str>,
    /// The contents of `keys.txt` in the working directory.
    keys_file: Option<&'static [u8]>,
}

const fn cli(args: &'static [&'static str]) -> Case {
    Case {
        kind: "command line",
        args,
        env: &[],
        dotenv: None,
        keys_file: None,
    }
}

const fn with_kind(kind: &'static str, args: &'static [&'static str]) -> Case {
    Case { kind, ..cli(args) }
}

const fn env(vars: &'static [(&'static str, &'static str)]) -> Case {
    Case {
        kind: "environment",
        env: vars,
        ..cli(&["warm", "--all"])
    }
}

const fn dotenv(text: &'static str) -> Case {
    Case {
        kind: ".env line",
        dotenv: Some(text),
        ..cli(&["@R", "warm", "--all"])
    }
}

const fn keys_line(bytes: &'static [u8]) -> Case {
    Case {
        kind: "keys-file line",
        keys_file: Some(bytes),
        ..cli(&["@R", "warm", "--keys-file", "keys.txt"])
    }
}

fn cases() -> Vec<Case> {
    vec![
        // Global flags.
        cli(&["@R", "--timeout", "0", "warm", "--all"]),
        cli(&["@R", "--timeout", "abc", "warm", "--all"]),
        cli(&["@R", "--timeout", "nan", "warm", "--all"]),
        cli(&["@R", "--color", "sometimes", "warm", "--all"]),
        cli(&["--redis-url", "http://cache:6379", "warm", "--all"]),
        cli(&["--redis-url", "redis://127.0.0.1:notaport", "warm", "--all"]),
        cli(&["--redis-url", "redis://127.0.0.1:99999", "warm", "--all"]),
        cli(&["--redis-url", "redis://127.0.0.1:6379/abc", "warm", "--all"]),
        cli(&["--source", "mysql:x", "warm", "--all"]),
        cli(&["--source", "sqlite:", "warm", "--all"]),
        cli(&["--source", "odbc:", "warm", "--all"]),
        cli(&[
            "--redis-url",
            "@U",
            "--source",
            "sqlite:/nonexistent/x.sqlite",
            "warm",
            "--all",
        ]),
        cli(&["@R", "--env-file", "/nonexistent/.env", "warm", "--all"]),
        cli(&["@R", "--tls-cert-file", "/c.pem", "warm", "--all"]),
        // warm.
        cli(&["@R", "warm"]),
        cli(&["@R", "warm", "--all", "--depth", "0"]),
        cli(&["@R", "warm", "--all", "--depth", "21"]),
        cli(&["@R", "warm", "--all", "--depth", "x"]),
        cli(&["@R", "warm", "--all", "--ttl-jitter", "120"]),
        cli(&["@R", "warm", "--all", "--ttl-jitter", "-5"]),
        cli(&["@R", "warm", "--all", "--concurrency", "0"]),
        cli(&["@R", "warm", "--all", "--concurrency", "1000"]),
        cli(&["@R", "warm", "--all", "--rate", "0"]),
        cli(&["@R", "warm", "--all", "--page-sizes", "0"]),
        cli(&["@R", "warm", "--all", "--page-sizes", "501"]),
        cli(&["@R", "warm", "--all", "--min-ttl", "soon"]),
        cli(&["@R", "warm", "--all", "--wait-lock", "forever"]),
        cli(&["@R", "warm", "--all", "--max-bytes", "lots"]),
        cli(&["@R", "warm", "--all", "--kind", "nosuch"]),
        cli(&["@R", "warm", "--all", "--directions", "sideways"]),
        cli(&["@R", "warm", "--all", "--expiring-within", "5m"]),
        cli(&["@R", "warm", "--hot", "x"]),
        cli(&["@R", "warm", "--hot", "3", "--by", "dbql"]),
        cli(&["@R", "warm", "--key", "notakey"]),
        cli(&["@R", "warm", "--key", "ol:unknown:x"]),
        cli(&["@R", "warm", "--dataset", "no_such.TABLE"]),
        cli(&["@R", "warm", "--field", "nofield"]),
        cli(&["@R", "warm", "--field", "demo_user.T/"]),
        cli(&["@R", "warm", "--touching", ""]),
        cli(&["@R", "warm", "--changed-since", "yesterday"]),
        cli(&["@R", "warm", "--keys-file", "/nonexistent/keys.txt"]),
        // invalidate.
        cli(&["@R", "invalidate", "--yes"]),
        cli(&["@R", "invalidate", "--all"]),
        cli(&["@R", "invalidate", "--yes", "--key", "session:abc"]),
        cli(&["@R", "invalidate", "--yes", "--dataset", ""]),
        cli(&["@R", "invalidate", "--yes", "--all", "--rate", "0"]),
        cli(&["@R", "invalidate", "--yes", "--all", "--page-sizes", "0"]),
        cli(&[
            "@R",
            "invalidate",
            "--yes",
            "--namespace",
            "n",
            "--page-sizes",
            "20,x",
        ]),
        cli(&[
            "@R",
            "invalidate",
            "--yes",
            "--all",
            "--format",
            "prometheus",
        ]),
        cli(&["@R", "invalidate", "--rewarm", "--dry-run", "--all"]),
        cli(&["@R", "invalidate", "--yes", "--changed-since", "2026-13-45"]),
        Case {
            env: &[("LINEAGE_CACHE_SOURCE", "")], // unset: no source configured
            ..cli(&[
                "--redis-url",
                "@U",
                "invalidate",
                "--yes",
                "--changed-since",
                "2026-01-01",
            ])
        },
        // Glob patterns.
        with_kind(
            "glob pattern",
            &["@R", "invalidate", "--yes", "--pattern", "*"],
        ),
        with_kind(
            "glob pattern",
            &["@R", "invalidate", "--yes", "--pattern", "o?:*"],
        ),
        with_kind(
            "glob pattern",
            &["@R", "invalidate", "--yes", "--pattern", "[ol]:*"],
        ),
        with_kind(
            "glob pattern",
            &["@R", "invalidate", "--yes", "--pattern", "ol\\"],
        ),
        with_kind("glob pattern", &["@R", "warm", "--pattern", "*"]),
        // key.
        cli(&["key", "build", "lineage-graph"]),
        cli(&["key", "build", "nosuchkind"]),
        cli(&[
            "key",
            "build",
            "dataset-list",
            "--namespace",
            "n",
            "--limit",
            "-1",
        ]),
        cli(&[
            "key",
            "build",
            "dataset-list",
            "--namespace",
            "n",
            "--limit",
            "501",
        ]),
        cli(&[
            "key",
            "build",
            "dataset-list",
            "--namespace",
            "n",
            "--offset",
            "x",
        ]),
        cli(&["key", "parse"]),
        cli(&["invalidate", "--yes", "--namespace", ""]),
        // API URLs.
        with_kind("API URL", &["key", "from-url", ""]),
        with_kind("API URL", &["key", "from-url", "%zz"]),
        with_kind(
            "API URL",
            &["key", "from-url", "http://x/api/v2/openlineage/nothing"],
        ),
        with_kind(
            "API URL",
            &[
                "key",
                "from-url",
                "/api/v2/openlineage/lineage/ds/f?direction=sideways",
            ],
        ),
        with_kind(
            "API URL",
            &[
                "key",
                "from-url",
                "/api/v2/openlineage/lineage/ds/f?maxDepth=abc",
            ],
        ),
        with_kind(
            "API URL",
            &[
                "key",
                "from-url",
                "/api/v2/openlineage/datasets/search?q=&limit=5",
            ],
        ),
        with_kind(
            "API URL",
            &[
                "key",
                "from-url",
                "/api/v2/openlineage/namespaces/ns/datasets?limit=0",
            ],
        ),
        // Environment.
        env(&[("REDIS_ADDR", "nohost:notaport")]),
        env(&[("REDIS_DB", "x")]),
        env(&[("LINEAGE_CACHE_LOG", "loud")]),
        env(&[("REDIS_DB", "-1")]),
        env(&[("CACHE_TTL_LINEAGE", "0")]),
        env(&[("CACHE_TTL_DDL", "abc")]),
        env(&[("VALIDATION_DEFAULT_MAX_DEPTH", "x")]),
        env(&[("VALIDATION_MIN_MAX_DEPTH", "30")]),
        env(&[("VALIDATION_MAX_DEPTH_LIMIT", "-3")]),
        env(&[("TERADATA_PORT", "x")]),
        env(&[("TD_PORT", "99999")]),
        env(&[("LINEAGE_CACHE_REDIS_URL", "ftp://x")]),
        env(&[("LINEAGE_CACHE_SOURCE", "weird")]),
        env(&[("REDIS_TLS_CERT_FILE", "/c.pem")]),
        env(&[("REDIS_TLS_CA_FILE", "/nonexistent/ca.pem")]),
        // .env lines.
        dotenv("not a line\n"),
        dotenv("=value\n"),
        dotenv("A B=1\n"),
        dotenv("A=\"unterminated\n"),
        dotenv("export\n"),
        dotenv("REDIS_DB=x\n"),
        dotenv("CACHE_TTL_SEARCH=-1\n"),
        // Keys-file lines (after a good one: nothing at all is done).
        keys_line(b"ol:namespace:list\nnot a key\n"),
        keys_line(b"ol:namespace:list\nsession:abc\n"),
        keys_line(b"ol:namespace:list\nol:*\n"),
        keys_line(b"ol:namespace:list\nol:lineage:graph:a|b|sideways\n"),
        keys_line(b"ol:namespace:list\ndemo_user.T/\n"),
        keys_line(b"ol:namespace:list\n/api/v2/openlineage/nothing\n"),
        keys_line(b"ol:namespace:list\n/api/v2/openlineage/lineage/ds/f?direction=up\n"),
        keys_line(b"ol:namespace:list\nhttp://[::1\n"),
        keys_line(b"ol:namespace:list\n\xff\xfe\n"),
        keys_line(b""),
        Case {
            args: &["@R", "invalidate", "--yes", "--keys-file", "keys.txt"],
            ..keys_line(b"ol:namespace:list\nnot a key\n")
        },
    ]
}

/// What one case did.
struct Outcome {
    code: Option<i32>,
    stderr: String,
}

/// Run one case against `redis` with the demo warehouse at `demo`.
fn run(case: &Case, redis: &RedisServer, demo: &Path) -> Outcome {
    let mut cmd = bin();
    let spec = format!("sqlite:{}", demo.display());
    let mut args: Vec<String> = Vec::new();
    for a in case.args {
        match *a {
            "@R" => args.extend([
                "--redis-url".into(),
                redis.url(),
                "--source".into(),
                spec.clone(),
            ]),
            "@U" => args.push(redis.url()),
            other => args.push(other.to_string()),
        }
    }
    if case.env.iter().all(|(k, _)| *k != "REDIS_ADDR") {
        cmd.env("REDIS_ADDR", redis.addr());
    }
    if case.env.iter().all(|(k, _)| *k != "LINEAGE_CACHE_SOURCE") {
        cmd.env("LINEAGE_CACHE_SOURCE", &spec);
    }
    for (k, v) in case.env.iter().filter(|(_, v)| !v.is_empty()) {
        cmd.env(k, v);
    }
    if let Some(text) = case.dotenv {
        std::fs::write(cmd.dir().join(".env"), text).unwrap();
    }
    if let Some(bytes) = case.keys_file {
        std::fs::write(cmd.dir().join("keys.txt"), bytes).unwrap();
    }
    let out = cmd.args(&args).output().unwrap();
    Outcome {
        code: out.status.code(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn dbsize(redis: &RedisServer) -> usize {
    redis.cli(&["DBSIZE"]).trim().parse().unwrap()
}

#[test]
fn every_bad_input_is_one_usage_line_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let demo = dir.path().join("demo.sqlite");
    lineage_cache::source::demo::create_demo(&demo, false).unwrap();
    let redis = RedisServer::start();
    let mut rows = Vec::new();
    for case in cases() {
        let out = run(&case, &redis, &demo);
        let label = format!("{} {:?} env {:?}", case.kind, case.args, case.env);
        assert!(
            !out.stderr.contains("panicked") && !out.stderr.contains("RUST_BACKTRACE"),
            "{label}: {}",
            out.stderr
        );
        assert_eq!(out.code, Some(2), "{label}: {}", out.stderr);
        assert_eq!(out.stderr.lines().count(), 1, "{label}: {}", out.stderr);
        assert!(
            out.stderr.starts_with("lineage-cache: "),
            "{label}: {}",
            out.stderr
        );
        assert_eq!(dbsize(&redis), 0, "{label} wrote to Redis");
        let message = out
            .stderr
            .trim_end()
            .replace(&redis.url(), "redis://127.0.0.1:PORT");
        rows.push(doc_row(
            &case,
            &message.replace(&dir.path().display().to_string(), "DIR"),
        ));
    }
    assert!(rows.len() > 90, "{}", rows.len());
    check_docs(&rows);
}

/// A cached value that does not decode is recomputed by `warm --from-cache`; `invalidate
/// --touching` skips a graph it cannot read rather than failing.
#[test]
fn undecodable_cached_values_are_recomputed_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    let demo = dir.path().join("demo.sqlite");
    lineage_cache::source::demo::create_demo(&demo, false).unwrap();
    let redis = RedisServer::start();
    let source = format!("sqlite:{}", demo.display());
    let tool = |args: &[&str]| {
        bin()
            .args(["--redis-url", &redis.url(), "--source", &source])
            .args(args)
            .output()
            .unwrap()
    };
    let out = tool(&["warm", "--all", "--kind", "dataset-get,lineage-graph"]);
    assert!(out.status.success());
    let graph = redis.cli(&["--scan", "--pattern", "ol:lineage:graph:*"]);
    let graph = graph.lines().next().unwrap().to_string();
    let get = redis.cli(&["--scan", "--pattern", "ol:dataset:get:*"]);
    let get = get.lines().next().unwrap().to_string();
    let garbage: [(&str, &str); 2] = [(&graph, "{\"nodes\":[{\"id\":"), (&get, "not json at all")];
    for (k, v) in garbage {
        redis.cli(&["SET", k, v, "EX", "600"]);
    }
    let out = tool(&[
        "invalidate",
        "--yes",
        "--touching",
        "demo_user.DIM_CUSTOMER",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let out = tool(&["warm", "--from-cache", "--format", "json"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    for k in [&graph, &get] {
        let Parsed::Key(key) = parse(k) else {
            panic!("{k}")
        };
        let v = redis.cli(&["GET", k]);
        let v = v.trim_end_matches('\n');
        assert!(
            lineage_cache::json::check_value(key.kind(), v.as_bytes()).is_ok(),
            "{k} was not recomputed: {v}"
        );
    }
}

/// `|` and line breaks escaped for a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// A code span that survives backticks inside.
fn code(text: &str) -> String {
    if text.is_empty() {
        return "(empty)".into();
    }
    let t = cell(text);
    if t.contains('`') {
        format!("`` {t} ``")
    } else {
        format!("`{t}`")
    }
}

fn doc_row(case: &Case, message: &str) -> String {
    let args: Vec<String> = case
        .args
        .iter()
        .map(|a| match *a {
            "@R" | "@U" => "…".to_string(),
            "" => "''".to_string(),
            a if a.contains(' ') || a.contains('*') || a.contains('?') => format!("'{a}'"),
            a => a.to_string(),
        })
        .collect();
    let mut input = args.join(" ").replace("… … ", "… ");
    let vars: Vec<String> = case.env.iter().map(|(k, v)| format!("{k}={v}")).collect();
    if case.kind == "environment" {
        input = vars.join(" ");
    }
    if let Some(text) = case.dotenv {
        input = text.trim_end().to_string();
    }
    if let Some(bytes) = case.keys_file {
        let lines = String::from_utf8_lossy(bytes);
        input = match lines.lines().last() {
            None => "an empty file".to_string(),
            Some(l) => l.to_string(),
        };
        if case.args.contains(&"invalidate") {
            input.push_str(" (invalidate)");
        }
    }
    let message = message.strip_prefix("lineage-cache: ").unwrap_or(message);
    format!(
        "| {} | {} | 2 | {} |",
        case.kind,
        code(&input),
        cell(message)
    )
}

const BEGIN: &str = "<!-- bad-input table: generated by tests/it/bad_input.rs (UPDATE_DOCS=1) -->";
const END: &str = "<!-- end of the bad-input table -->";

/// Rewrite the marked table in docs/faults.md with `UPDATE_DOCS=1`; otherwise check it.
fn check_docs(rows: &[String]) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/faults.md");
    let doc = std::fs::read_to_string(&path).unwrap();
    let (Some(b), Some(e)) = (doc.find(BEGIN), doc.find(END)) else {
        panic!("docs/faults.md lacks the bad-input markers");
    };
    let mut table = String::from("\n| input | value | exit | message |\n|---|---|---|---|\n");
    for r in rows {
        table.push_str(r);
        table.push('\n');
    }
    let fresh = format!("{}{BEGIN}{table}{}", &doc[..b], &doc[e..]);
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, fresh).unwrap();
    } else {
        assert!(
            fresh == doc,
            "docs/faults.md's bad-input table is stale: run UPDATE_DOCS=1 cargo test --test it bad_input::"
        );
    }
}
