//! The `key` subcommand through the built binary, and the command-line error contract:
//! bad input exits 2 with exactly one `lineage-cache: ` line on stderr.
use crate::common;

use common::bin;

/// Run the binary with `args`; stdout, stderr and the exit code.
fn run(args: &[&str]) -> (String, String, i32) {
    let out = bin().args(args).output().expect("run lineage-cache");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

/// `args` print exactly `want` (one line) and succeed.
fn prints(args: &[&str], want: &str) {
    let (stdout, stderr, code) = run(args);
    assert_eq!(code, 0, "{args:?}: {stderr}");
    assert_eq!(stdout, format!("{want}\n"), "{args:?}");
}

/// `args` exit 2 with one `lineage-cache: ` line on stderr containing `needle`.
fn usage_error(args: &[&str], needle: &str) {
    let (stdout, stderr, code) = run(args);
    assert_eq!(code, 2, "{args:?}: {stderr}");
    assert_eq!(stdout, "", "{args:?}");
    assert!(stderr.starts_with("lineage-cache: "), "{args:?}: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
    assert!(stderr.contains(needle), "{args:?}: {stderr}");
}

#[test]
fn key_build_prints_the_exact_key_of_every_kind() {
    let cases: &[(&[&str], &str)] = &[
        (&["namespace-list"], "ol:namespace:list"),
        (
            &["namespace-get", "--namespace", "ns1"],
            "ol:namespace:get:ns1",
        ),
        (
            &["dataset-list", "--namespace", "ns1"],
            "ol:dataset:list:ns1|100|0",
        ),
        (
            &[
                "dataset-list",
                "--namespace",
                "ns1",
                "--limit",
                "50",
                "--offset",
                "10",
            ],
            "ol:dataset:list:ns1|50|10",
        ),
        (
            &["dataset-search", "--query", "  stg_ord\t"],
            "ol:dataset:search:STG_ORD|100",
        ),
        (
            &["dataset-search", "-q", "straße", "--limit", "7"],
            "ol:dataset:search:STRAßE|7",
        ),
        (
            &["dataset-get", "--dataset", "4f1c/demo_user.T"],
            "ol:dataset:get:4f1c/demo_user.T",
        ),
        (
            &["field-list", "--dataset", "4f1c/demo_user.T"],
            "ol:field:list:4f1c/demo_user.T",
        ),
        (
            &["dataset-statistics", "--dataset", "demo_user.T"],
            "ol:dataset:statistics:demo_user.T",
        ),
        (
            &["dataset-ddl", "--dataset", "demo_user.T"],
            "ol:dataset:ddl:demo_user.T",
        ),
        (
            &[
                "lineage",
                "--dataset",
                "demo_user.STG_ORDERS",
                "--field",
                "order_id",
                "--direction",
                "upstream",
            ],
            "ol:lineage:graph:demo_user.STG_ORDERS|order_id|upstream",
        ),
        (
            &["lineage-graph", "--dataset", "d", "--field", "f"],
            "ol:lineage:graph:d|f|both",
        ),
    ];
    for (args, want) in cases {
        let mut full = vec!["key", "build"];
        full.extend_from_slice(args);
        prints(&full, want);
    }
}

#[test]
fn key_from_url_maps_requests_to_keys() {
    prints(
        &[
            "key",
            "from-url",
            "/api/v2/openlineage/datasets/search?q=%20stra%C3%9Fe%20",
        ],
        "ol:dataset:search:STRAßE|100",
    );
    // The API's router hands the handlers the segments as sent when the path carries %2F.
    prints(
        &[
            "key",
            "from-url",
            "/api/v2/openlineage/lineage/abc%2Fdemo_user.T/col?direction=downstream&maxDepth=3",
        ],
        "ol:lineage:graph:abc%2Fdemo_user.T|col|downstream",
    );
    prints(
        &[
            "key",
            "from-url",
            "/api/v2/openlineage/datasets/abc%2Fdemo_user.T",
        ],
        "ol:dataset:get:abc%2Fdemo_user.T\nol:field:list:abc%2Fdemo_user.T",
    );
    prints(
        &[
            "key",
            "from-url",
            "/api/v2/openlineage/lineage/demo_user.T/na%C3%AFve%20col",
        ],
        "ol:lineage:graph:demo_user.T|naïve col|both",
    );
    prints(
        &[
            "key",
            "from-url",
            "/api/v2/openlineage/lineage/demo_user.T/a%2Bb?direction=upstream",
        ],
        "ol:lineage:graph:demo_user.T|a%2Bb|upstream",
    );
}

#[test]
fn key_parse_says_which_keys_the_apis_router_can_never_read() {
    let (stdout, stderr, code) = run(&[
        "key",
        "parse",
        "ol:dataset:get:ns1/demo_user.T",
        "ol:dataset:get:demo_user.T",
        "ol:lineage:graph:ns1%2Fdemo_user.T|c|both",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let rows: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(rows[0]["reachable"], false);
    assert!(rows[0]["note"].as_str().unwrap().contains("unreachable"));
    assert_eq!(rows[1]["reachable"], true);
    assert!(rows[1].get("note").is_none());
    assert_eq!(rows[2]["reachable"], true);
    assert!(rows[2]["note"]
        .as_str()
        .unwrap()
        .contains("id-form request"));
}

#[test]
fn key_parse_reads_statistics_and_ddl_by_id_and_notes_both_graphs() {
    let (stdout, stderr, code) = run(&[
        "key",
        "parse",
        "ol:dataset:statistics:demo_user.T",
        "ol:dataset:ddl:ns1/demo_user.T",
        "ol:dataset:ddl:ns1%2Fdemo_user.T",
        "ol:lineage:graph:demo_user.T|c|both",
        "ol:lineage:graph:demo_user.T|c|upstream",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let rows: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let note = |i: usize| rows[i]["note"].as_str().unwrap_or("").to_string();
    assert_eq!(rows[0]["reachable"], false);
    assert!(note(0).contains("under the dataset's id"), "{}", note(0));
    assert_eq!(rows[1]["reachable"], true);
    assert!(rows[1].get("note").is_none());
    assert_eq!(rows[2]["reachable"], false);
    assert_eq!(rows[3]["reachable"], true);
    assert!(
        note(3).contains("never writes a 'both' graph"),
        "{}",
        note(3)
    );
    assert!(rows[4].get("note").is_none());
}

#[test]
fn bad_input_exits_2_with_one_line() {
    let build = |rest: &[&'static str]| -> Vec<&'static str> {
        let mut v = vec!["key", "build"];
        v.extend_from_slice(rest);
        v
    };
    usage_error(&build(&["bogus-kind"]), "bogus-kind");
    usage_error(&build(&["namespace-get"]), "--namespace");
    usage_error(&build(&["lineage", "--dataset", "d"]), "--field");
    usage_error(
        &build(&[
            "lineage",
            "--dataset",
            "d",
            "--field",
            "f",
            "--direction",
            "sideways",
        ]),
        "sideways",
    );
    usage_error(
        &build(&["dataset-list", "--namespace", "n", "--limit", "0"]),
        "--limit",
    );
    usage_error(
        &build(&["dataset-list", "--namespace", "n", "--limit", "501"]),
        "--limit",
    );
    usage_error(
        &build(&["dataset-search", "-q", "x", "--limit", "501"]),
        "--limit",
    );
    usage_error(
        &build(&["lineage", "--dataset", "d|x", "--field", "f"]),
        "'|'",
    );
    usage_error(
        &build(&["lineage", "--dataset", "d", "--field", "a|b"]),
        "'|'",
    );
    usage_error(&build(&["dataset-list", "--namespace", "a|b"]), "'|'");
    usage_error(&build(&["dataset-search", "-q", ""]), "empty");
    usage_error(
        &["key", "from-url", "/api/v2/nothing"],
        "/api/v2/openlineage/",
    );
    usage_error(
        &["key", "from-url", "/api/v2/openlineage/datasets/%E0%A4"],
        "percent-encoded",
    );
}

#[test]
fn bad_configuration_exits_2_with_one_line() {
    let mut cmd = bin();
    let out = cmd
        .env("REDIS_DB", "x")
        .args(["key", "build", "namespace-list"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(
        stderr,
        "lineage-cache: REDIS_DB must be a database number from 0, got \"x\"\n"
    );
}

#[test]
fn the_runner_reads_only_the_env_file_it_is_given() {
    // A `.env` in the (otherwise empty) working directory is read: TTLs show in `key parse`.
    let mut cmd = bin();
    std::fs::write(cmd.dir().join(".env"), "CACHE_TTL_LINEAGE=77\n").unwrap();
    let out = cmd
        .args([
            "key",
            "parse",
            "ol:lineage:graph:d|f|both",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json[0]["ttlSeconds"], 77);
    // A fresh runner starts clean again.
    let out = bin()
        .args([
            "key",
            "parse",
            "ol:lineage:graph:d|f|both",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json[0]["ttlSeconds"], 1800);
}
