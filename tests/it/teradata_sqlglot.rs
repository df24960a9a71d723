//! The Teradata statements, checked by an independent parser: sqlglot's `teradata` dialect
//! (Python; `scripts/install-deps.sh test` puts it in the virtual environment `target/venv`,
//! whose interpreter `scripts/test.sh` names in `LINEAGE_CACHE_PYTHON`). No Teradata server
//! runs here, so this is the check that the text is Teradata SQL at all: each statement must
//! parse as one statement of the expected kind, with as many `?` markers as bound values,
//! and every table qualified with the lineage database (or `DBC`).
//!
//! What sqlglot cannot check: `SHOW TABLE` is not in its grammar (it falls back to an opaque
//! `Command`, which is all this test asserts for it); it does not know Teradata's type rules
//! (e.g. that a bare `1` is `BYTEINT`) or whether the DBC views have these columns.
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use lineage_cache::model::Timestamp;
use lineage_cache::source::sql::{Query, Statements};
use lineage_cache::source::{demo::Dialect, Direction};

/// The checker: one JSON object per input line; prints one verdict line per statement and
/// exits 1 if any verdict differs from what the line expects.
const CHECKER: &str = r#"
import json, sys
import sqlglot
from sqlglot import exp

failed = 0
for line in open(sys.argv[1], encoding="utf-8"):
    st = json.loads(line)
    try:
        trees = [t for t in sqlglot.parse(st["sql"], read="teradata",
                                          error_level=sqlglot.ErrorLevel.RAISE) if t]
        if len(trees) != 1:
            raise ValueError("%d statements" % len(trees))
        tree = trees[0]
        kind = type(tree).__name__
        if st["kind"] == "command":
            ok, why = kind == "Command", kind
        else:
            ctes = {c.alias_or_name for c in tree.find_all(exp.CTE)}
            markers = len(list(tree.find_all(exp.Placeholder)))
            tables = [t for t in tree.find_all(exp.Table) if t.name not in ctes]
            unqualified = [t.sql() for t in tables if t.db not in ("demo_user", "DBC")]
            ok = (kind == st["kind"] and markers == st["params"] and tables
                  and not unqualified)
            why = "%s, %d markers, unqualified %s" % (kind, markers, unqualified)
    except Exception as e:
        ok, why = False, str(e).splitlines()[0]
    good = ok == st["valid"]
    failed += not good
    print("%s %s: %s" % ("ok  " if good else "FAIL", st["name"], why))
sys.exit(1 if failed else 0)
"#;

/// How to get an interpreter with sqlglot, for the failure messages.
const GET_SQLGLOT: &str = "`bash scripts/install-deps.sh test` installs sqlglot into \
target/venv; or set LINEAGE_CACHE_PYTHON to a Python that has it";

/// The interpreter: `LINEAGE_CACHE_PYTHON` (set by scripts/test.sh), else the project's
/// `target/venv` if it exists, else `python3` from PATH.
fn python() -> PathBuf {
    if let Some(p) = std::env::var_os("LINEAGE_CACHE_PYTHON").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/venv/bin/python3");
    if venv.is_file() {
        return venv;
    }
    PathBuf::from("python3")
}

/// Every statement of the Teradata dialect, with the kind of tree sqlglot should make.
fn statements() -> Vec<(String, Query, &'static str)> {
    let s = Statements::new(Dialect::Teradata, Some("demo_user"));
    let at = Timestamp::parse("2026-02-01 03:15:42.5").unwrap();
    let lock = "LockingStatement";
    let mut all = vec![
        ("namespaces".to_string(), s.namespaces(), lock),
        ("namespace".into(), s.namespace("ns"), lock),
        (
            "datasets_by_id_or_name".into(),
            s.datasets_by_id_or_name("a.b"),
            lock,
        ),
        ("dataset_page".into(), s.dataset_page("ns", 10, 20), lock),
        ("dataset_count".into(), s.dataset_count("ns"), lock),
        ("search".into(), s.search("50%_OFF\\", 5), lock),
        ("active_datasets".into(), s.active_datasets(), lock),
        ("all_datasets".into(), s.all_datasets(), lock),
        ("fields".into(), s.fields("ns/a.b"), lock),
        ("all_fields".into(), s.all_fields(), lock),
        ("active_lineage".into(), s.active_lineage(), lock),
        (
            "active_lineage_unordered".into(),
            s.active_lineage_unordered(),
            lock,
        ),
        ("changed_since".into(), s.changed_since(at), lock),
        ("table_info".into(), s.table_info("lab", "t"), lock),
        ("ddl_info".into(), s.ddl_info("lab", "t"), lock),
        (
            "count_rows".into(),
            s.count_rows("demo_user", "t"),
            "Select",
        ),
        ("row_count".into(), s.row_count("lab", "t"), lock),
        ("size_bytes".into(), s.size_bytes("lab", "t"), lock),
        (
            "column_comments".into(),
            s.column_comments("lab", "t"),
            lock,
        ),
        (
            "show_table".into(),
            s.show_table("lab", "say \"hi\""),
            "command",
        ),
    ];
    for dir in [Direction::Upstream, Direction::Downstream] {
        for (i, q) in s.lineage("a.b", "c", dir, 20).into_iter().enumerate() {
            all.push((format!("lineage {} #{i}", dir.as_str()), q, lock));
        }
    }
    all
}

fn line(name: &str, sql: &str, params: usize, kind: &str, valid: bool) -> String {
    serde_json::json!({"name": name, "sql": sql, "params": params, "kind": kind, "valid": valid})
        .to_string()
}

#[test]
fn teradata_statements_parse_with_sqlglot() {
    let mut input = String::new();
    let stmts = statements();
    for (name, q, kind) in &stmts {
        input.push_str(&line(name, &q.sql, q.params.len(), kind, true));
        input.push('\n');
    }
    // Controls: the checker must refuse broken SQL and a wrong marker count.
    let broken = "LOCKING ROW FOR ACCESS\nSELECT a FROM WHERE x = ?";
    input.push_str(&line(
        "control: broken",
        broken,
        1,
        "LockingStatement",
        false,
    ));
    input.push('\n');
    let (_, q, kind) = &stmts[1];
    input.push_str(&line(
        "control: markers",
        &q.sql,
        q.params.len() + 1,
        kind,
        false,
    ));
    input.push('\n');
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("teradata.jsonl");
    std::fs::File::create(&file)
        .and_then(|mut f| f.write_all(input.as_bytes()))
        .unwrap();
    let python = python();
    let out = Command::new(&python)
        .args(["-c", CHECKER])
        .arg(&file)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e} ({GET_SQLGLOT})", python.display()));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "sqlglot check with {} failed ({GET_SQLGLOT}):\n{stdout}{stderr}",
        python.display()
    );
    eprintln!("{stdout}");
    assert_eq!(stdout.lines().count(), stmts.len() + 2, "{stdout}");
    assert!(stdout.lines().all(|l| l.starts_with("ok ")), "{stdout}");
}
