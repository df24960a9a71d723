//! The ODBC source for real: a private PostgreSQL loaded with the demo warehouse, read
//! through psqlODBC (`PostgreSQL Unicode`), must answer every call exactly as the embedded
//! SQLite source answers on the same warehouse; failures must be clear, secret-free and
//! never partial. Plus the Teradata statements checked by an independent parser (sqlglot).
use crate::common;

use std::collections::HashMap;
use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::Postgres;
use lineage_cache::config::{Config, Vars};
use lineage_cache::model::Timestamp;
use lineage_cache::source::demo::{create_demo, demo_sql, Dialect};
use lineage_cache::source::odbc::{OdbcOptions, OdbcSource};
use lineage_cache::source::sqlite::SqliteSource;
use lineage_cache::source::{Direction, LineageSource, SourceError};

fn options(pool_size: usize) -> OdbcOptions {
    OdbcOptions {
        pool_size,
        ..OdbcOptions::default()
    }
}

/// A server with the demo warehouse in database `lineage`.
fn demo_server() -> Postgres {
    let pg = Postgres::start();
    pg.load_sql(
        "lineage",
        &demo_sql(Dialect::Postgres, None, 42).expect("demo SQL"),
    );
    // Statistics, as a live database has them (the planner needs them for the recursion).
    pg.psql("lineage", &["-c", "ANALYZE"]);
    pg
}

/// Everything a caller can ask, identical through both sources.
fn same_catalog(s: &dyn LineageSource, o: &dyn LineageSource) {
    let namespaces = s.namespaces().unwrap();
    assert_eq!(namespaces, o.namespaces().unwrap());
    assert_eq!(namespaces.len(), 2, "the demo has two namespaces");
    let mut ns_ids: Vec<String> = namespaces.iter().map(|n| n.id.clone()).collect();
    ns_ids.push("no-such-namespace".into());
    for id in &ns_ids {
        assert_eq!(s.namespace(id).unwrap(), o.namespace(id).unwrap(), "{id}");
        same_pages(s, o, id);
    }
    let datasets = s.all_datasets().unwrap();
    assert_eq!(datasets, o.all_datasets().unwrap());
    assert_eq!(datasets.len(), 39);
    let mut keys: Vec<String> = vec!["nope.none".into(), "".into(), "lab".into()];
    for d in &datasets {
        keys.push(d.id.clone());
        keys.push(d.name.clone());
    }
    let mut ddl_truncated = 0;
    for k in &keys {
        assert_eq!(s.dataset(k).unwrap(), o.dataset(k).unwrap(), "dataset {k}");
        assert_eq!(s.fields(k).unwrap(), o.fields(k).unwrap(), "fields {k}");
        assert_eq!(
            s.statistics(k).unwrap(),
            o.statistics(k).unwrap(),
            "stats {k}"
        );
        let ddl = s.ddl(k).unwrap();
        ddl_truncated += usize::from(ddl.as_ref().is_some_and(|d| d.truncated));
        assert_eq!(ddl, o.ddl(k).unwrap(), "ddl {k}");
    }
    assert!(
        ddl_truncated >= 2,
        "the 64 KiB DDL case (both forms) was read"
    );
    let active = s.active_lineage().unwrap();
    assert_eq!(active, o.active_lineage().unwrap());
    assert!(active.len() > 150, "{}", active.len());
    same_searches(s, o);
    for at in [
        "1970-01-01 00:00:00",
        "2026-01-01 00:00:00",
        "2026-02-01 03:15:42.5",
        "2026-02-01 03:15:42.500001",
        "2099-01-01 00:00:00",
    ] {
        let t = Timestamp::parse(at).unwrap();
        assert_eq!(
            s.changed_since(t).unwrap(),
            o.changed_since(t).unwrap(),
            "{at}"
        );
    }
    let t = Timestamp::parse("2026-02-01 03:15:42.5").unwrap();
    assert!(
        !s.changed_since(t).unwrap().is_empty(),
        "the second run changed something"
    );
}

/// Every page of a namespace for several limits, offsets from 0 until past the end.
fn same_pages(s: &dyn LineageSource, o: &dyn LineageSource, ns: &str) {
    for limit in [1, 7, 50, 100] {
        let mut offset = 0u64;
        loop {
            let page = s.dataset_page(ns, limit, offset).unwrap();
            assert_eq!(
                page,
                o.dataset_page(ns, limit, offset).unwrap(),
                "{ns} {limit} {offset}"
            );
            if page.datasets.is_empty() {
                assert!(offset >= page.total as u64);
                break;
            }
            offset += 1;
        }
    }
    let far = s.dataset_page(ns, 10, u64::MAX).unwrap();
    assert_eq!(far, o.dataset_page(ns, 10, u64::MAX).unwrap());
}

fn same_searches(s: &dyn LineageSource, o: &dyn LineageSource) {
    let queries = [
        "",
        "A",
        "_",
        "%",
        ".",
        "\\",
        "'",
        "\"",
        "DIM",
        "RPT_",
        "LAB.",
        "NAÏVE",
        "STRASSE",
        "STRAßE",
        "名前",
        "ZZZ-NONE",
        "DEMO_USER.FACT",
    ];
    let mut found = 0;
    for q in queries {
        for limit in [1, 5, 100] {
            let got = s.search(q, limit).unwrap();
            found += got.len();
            assert_eq!(got, o.search(q, limit).unwrap(), "search {q:?} {limit}");
        }
    }
    assert!(found > 100, "the searches found things ({found})");
}

/// The recursive SQL for every column of the warehouse, both dataset forms, every
/// direction, depths 1 to 20: identical rows on SQLite and PostgreSQL.
fn same_lineage(s: &dyn LineageSource, o: &dyn LineageSource) {
    let mut seeds = Vec::new();
    for d in s.all_datasets().unwrap() {
        for f in s.fields(&d.id).unwrap() {
            seeds.push((d.id.clone(), f.name.clone()));
            seeds.push((d.name.clone(), f.name.clone()));
        }
    }
    seeds.push(("no.such_table".into(), "x".into()));
    assert!(seeds.len() > 350, "{} seeds", seeds.len());
    let mut work = Vec::new();
    for (ds, field) in &seeds {
        for dir in Direction::ALL {
            for depth in 0..=20 {
                work.push((ds.as_str(), field.as_str(), dir, depth));
            }
        }
    }
    let started = Instant::now();
    let threads = 4;
    let hits: usize = std::thread::scope(|scope| {
        let handles: Vec<_> = work
            .chunks(work.len().div_ceil(threads))
            .map(|chunk| {
                scope.spawn(move || {
                    let mut hits = 0;
                    for &(ds, field, dir, depth) in chunk {
                        let want = s.lineage(ds, field, dir, depth).unwrap();
                        let got = o.lineage(ds, field, dir, depth).unwrap();
                        assert_eq!(want, got, "{ds} {field} {dir:?} {depth}");
                        hits += want.len();
                    }
                    hits
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    });
    assert!(hits > 10_000, "the traversals found rows ({hits})");
    eprintln!(
        "{} lineage calls per source compared in {:?}",
        work.len(),
        started.elapsed()
    );
}

#[test]
fn odbc_on_postgres_answers_exactly_as_the_embedded_source() {
    let pg = demo_server();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.sqlite");
    create_demo(&path, false).unwrap();
    let s = SqliteSource::open(&path).unwrap();
    let o = OdbcSource::connect(&pg.odbc_connection_string(), options(4)).unwrap();
    assert_eq!(o.dialect(), Dialect::Postgres);
    assert!(!o.describe().contains(pg.password()), "{}", o.describe());
    same_catalog(&s, &o);
    same_lineage(&s, &o);
    assert!(o.open_connections() <= 4, "{}", o.open_connections());
    lost_connections_fail_whole(&pg);
    timeouts_are_clear(&pg);
    missing_table_names_the_query(&pg);
    wrong_password_is_not_echoed(&pg);
    open_from_configuration(&pg);
}

/// Backends killed between and during reads: every answer is complete or an error, and
/// the pool recovers with new connections.
fn lost_connections_fail_whole(pg: &Postgres) {
    // Small server-side fetches, so a read spans many round trips.
    let conn = format!("{}UseDeclareFetch=1;Fetch=7;", pg.odbc_connection_string());
    let o = OdbcSource::connect(&conn, options(2)).unwrap();
    let full = o.active_lineage().unwrap();
    let kill = "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity \
                WHERE datname = 'lineage' AND pid <> pg_backend_pid()";
    pg.psql("postgres", &["-c", kill]);
    match o.active_lineage() {
        Err(SourceError::Connect(m)) => assert!(m.contains("active lineage"), "{m}"),
        other => panic!("expected a lost connection, got {other:?}"),
    }
    assert_eq!(
        o.active_lineage().unwrap(),
        full,
        "a new connection replaces the lost one"
    );
    let (mut ok, mut failed) = (0, 0);
    std::thread::scope(|scope| {
        let reader = scope.spawn(|| {
            let deadline = Instant::now() + Duration::from_secs(3);
            while Instant::now() < deadline {
                match o.active_lineage() {
                    Ok(rows) => {
                        assert_eq!(rows, full, "never a partial result");
                        ok += 1;
                    }
                    Err(_) => failed += 1,
                }
            }
        });
        while !reader.is_finished() {
            pg.psql("postgres", &["-c", kill]);
            std::thread::sleep(Duration::from_millis(15));
        }
    });
    eprintln!("under killed backends: {ok} complete reads, {failed} failed reads");
    assert!(failed > 0, "some reads were cut by the killed backends");
}

/// A query blocked by a lock fails after the query timeout, naming the query.
fn timeouts_are_clear(pg: &Postgres) {
    let opts = OdbcOptions {
        query_timeout: Duration::from_secs(1),
        ..options(1)
    };
    let o = OdbcSource::connect(&pg.odbc_connection_string(), opts).unwrap();
    let mut holder = pg.psql_session("lineage");
    let mut stdin = holder.stdin.take().unwrap();
    writeln!(
        stdin,
        "BEGIN; LOCK TABLE ol_namespace IN ACCESS EXCLUSIVE MODE;"
    )
    .unwrap();
    stdin.flush().unwrap();
    let locked = "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation \
                  WHERE c.relname = 'ol_namespace' AND l.mode = 'AccessExclusiveLock' AND l.granted";
    let deadline = Instant::now() + Duration::from_secs(10);
    while pg.psql("lineage", &["-tAc", locked]).trim() != "1" {
        assert!(Instant::now() < deadline, "the lock was never taken");
        std::thread::sleep(Duration::from_millis(20));
    }
    let started = Instant::now();
    let result = o.namespaces();
    let took = started.elapsed();
    let _ = holder.kill();
    let _ = holder.wait();
    match result {
        Err(SourceError::Query { what, message }) => {
            assert_eq!(what, "namespaces");
            assert!(message.contains("timeout"), "{message}");
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(took < Duration::from_secs(8), "took {took:?}");
    assert_eq!(
        o.namespaces().unwrap().len(),
        2,
        "usable again after the lock"
    );
}

/// A database without `OL_DATASET_FIELD`: that query fails naming it, the others work.
fn missing_table_names_the_query(pg: &Postgres) {
    pg.create_database("broken");
    pg.load_sql("broken", &demo_sql(Dialect::Postgres, None, 42).unwrap());
    pg.psql("broken", &["-c", "DROP TABLE ol_dataset_field"]);
    let o = OdbcSource::connect(&pg.odbc_connection_string_for("broken"), options(2)).unwrap();
    let id = &o.all_datasets().unwrap()[0].id;
    match o.fields(id) {
        Err(e @ SourceError::Query { .. }) => {
            let m = e.to_string();
            assert!(
                m.contains("(fields)") && m.contains("ol_dataset_field"),
                "{m}"
            );
            assert!(!m.contains(pg.password()), "{m}");
        }
        other => panic!("expected a query error, got {other:?}"),
    }
    assert_eq!(o.namespaces().unwrap().len(), 2);
}

fn wrong_password_is_not_echoed(pg: &Postgres) {
    let bad = pg
        .odbc_connection_string()
        .replace(pg.password(), "Wrong-Secret-4711");
    let err = OdbcSource::connect(&bad, options(1))
        .err()
        .expect("refused");
    let m = err.to_string();
    assert!(matches!(err, SourceError::Connect(_)), "{m}");
    assert!(m.contains("password authentication failed"), "{m}");
    assert!(
        !m.contains("Wrong-Secret-4711") && !m.contains(pg.password()),
        "{m}"
    );
}

fn config(env: &[(&str, &str)]) -> Config {
    let args = lineage_cache::config::Overrides::default();
    let env: HashMap<String, String> = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Config::resolve(&args, &Vars::from_maps(env, HashMap::new())).unwrap()
}

/// `open` with `odbc:…` detects PostgreSQL; `teradata` without the driver fails cleanly.
fn open_from_configuration(pg: &Postgres) {
    let spec = format!("odbc:{}", pg.odbc_connection_string());
    let source: Arc<dyn LineageSource> =
        lineage_cache::source::open(&config(&[("LINEAGE_CACHE_SOURCE", &spec)])).unwrap();
    assert!(
        source.describe().contains("(PostgreSQL)"),
        "{}",
        source.describe()
    );
    assert!(!source.describe().contains(pg.password()));
    assert_eq!(source.all_datasets().unwrap().len(), 39);
    let td = config(&[
        ("TERADATA_HOST", "td.invalid"),
        ("TERADATA_USER", "etl"),
        ("TERADATA_PASSWORD", "Td-Secret-0815"),
    ]);
    let err = lineage_cache::source::open(&td)
        .err()
        .expect("no Teradata driver here");
    let m = format!("{err:#}");
    assert!(m.contains("unreachable"), "{m}");
    assert!(!m.contains("Td-Secret-0815"), "{m}");
}

#[test]
fn wrong_driver_and_closed_port_fail_fast() {
    let started = Instant::now();
    let err = OdbcSource::connect(
        "Driver={No Such Driver 9};Server=127.0.0.1;Pwd=Xy-Secret;",
        options(1),
    )
    .err()
    .expect("no such driver");
    let m = err.to_string();
    assert!(matches!(err, SourceError::Connect(_)), "{m}");
    assert!(!m.contains("Xy-Secret"), "{m}");
    let port = common::free_port();
    let conn = format!(
        "Driver={{PostgreSQL Unicode}};Server=127.0.0.1;Port={port};Database=x;Uid=u;Pwd=Xy-Secret;"
    );
    let err = OdbcSource::connect(&conn, options(1))
        .err()
        .expect("nobody listens");
    let m = err.to_string();
    assert!(matches!(err, SourceError::Connect(_)), "{m}");
    assert!(m.contains("unreachable") && !m.contains("Xy-Secret"), "{m}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}
