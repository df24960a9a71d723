//! The `lab` database of the demo: the shapes that break naive code, and the `sandbox`
//! of the second namespace, fed across namespaces.
use super::builder::{Builder, ColumnSpec, EdgeSpec, Kind, Ns, TableSpec};
use super::vocab::{
    column_type, confidence, edge_description, CREATED, DISCOVERED, LATE, LATE_RUN, RUN,
};
use super::{DemoError, DemoResult};

/// Lab tables: name, description, columns, updated in the second run.
const TABLES: &[(&str, Option<&str>, &[&str], bool)] = &[
    ("CYCLE_IN", Some("Feeds the cycle"), &["x"], false),
    ("CYCLE_A", Some("Cycle A -> B -> C -> A"), &["x"], false),
    ("CYCLE_B", None, &["x"], false),
    ("CYCLE_C", None, &["x"], false),
    ("DIAMOND_TOP", Some("Diamond: top"), &["v"], false),
    ("DIAMOND_LEFT", Some("Diamond: left"), &["v"], false),
    ("DIAMOND_RIGHT", Some("Diamond: right"), &["v"], false),
    ("DIAMOND_BOTTOM", Some("Diamond: bottom"), &["v"], false),
    (
        "SELF_LOOP",
        Some("A running counter feeding itself"),
        &["counter", "delta"],
        true,
    ),
    (
        "odd.name.with.dots",
        Some("Names with \"quotes\", 'apostrophes' & <markup>"),
        &["a.b", "say \"hi\"", "it's", "<&>"],
        false,
    ),
    (
        "Straße_Kunden",
        Some("Kunden mit Straße — naïve Ünïcödé"),
        &["kunden_nr", "straße", "naïve_flag", "名前"],
        false,
    ),
    ("naïve_scores", None, &["score", "Ünïcödé"], false),
    (
        "WIDE_PARTITIONED",
        Some("A table whose DDL is longer than the DDL limit"),
        &["event_id", "event_dt", "payload"],
        false,
    ),
];

/// Lab lineage: source table, column, target table, column, kind, confidence, active.
const EDGES: &[(&str, &str, &str, &str, &str, &str, bool)] = &[
    ("CYCLE_IN", "x", "CYCLE_A", "x", "DIRECT", "1.00", true),
    ("CYCLE_A", "x", "CYCLE_B", "x", "DIRECT", "1.00", true),
    ("CYCLE_B", "x", "CYCLE_C", "x", "CALCULATION", "0.95", true),
    ("CYCLE_C", "x", "CYCLE_A", "x", "CALCULATION", "0.90", true),
    (
        "DIAMOND_TOP",
        "v",
        "DIAMOND_LEFT",
        "v",
        "DIRECT",
        "1.00",
        true,
    ),
    (
        "DIAMOND_TOP",
        "v",
        "DIAMOND_RIGHT",
        "v",
        "DIRECT",
        "1.00",
        true,
    ),
    (
        "DIAMOND_LEFT",
        "v",
        "DIAMOND_BOTTOM",
        "v",
        "JOIN",
        "0.95",
        true,
    ),
    (
        "DIAMOND_RIGHT",
        "v",
        "DIAMOND_BOTTOM",
        "v",
        "JOIN",
        "-",
        true,
    ),
    (
        "DIAMOND_TOP",
        "v",
        "DIAMOND_BOTTOM",
        "v",
        "DIRECT",
        "1.00",
        false,
    ),
    (
        "SELF_LOOP",
        "counter",
        "SELF_LOOP",
        "counter",
        "CALCULATION",
        "1.00",
        true,
    ),
    (
        "SELF_LOOP",
        "delta",
        "SELF_LOOP",
        "counter",
        "AGGREGATION",
        "0.95",
        true,
    ),
    (
        "Straße_Kunden",
        "straße",
        "odd.name.with.dots",
        "a.b",
        "DIRECT",
        "1.00",
        true,
    ),
    (
        "odd.name.with.dots",
        "say \"hi\"",
        "naïve_scores",
        "score",
        "CALCULATION",
        "0.75",
        true,
    ),
    (
        "odd.name.with.dots",
        "it's",
        "naïve_scores",
        "Ünïcödé",
        "FILTER",
        "0.80",
        true,
    ),
    (
        "odd.name.with.dots",
        "<&>",
        "naïve_scores",
        "Ünïcödé",
        "JOIN",
        "0.85",
        true,
    ),
    (
        "Straße_Kunden",
        "naïve_flag",
        "naïve_scores",
        "score",
        "AGGREGATION",
        "-",
        true,
    ),
];

/// A `PARTITION BY CASE_N(...)` that makes the DDL longer than 64 KiB: `SHOW TABLE` returns it
/// in several rows, which the API joins with newlines and never cuts.
fn wide_partitioning() -> String {
    let mut out = String::from("\nPARTITION BY CASE_N(\n");
    for i in 1..=4000 {
        out.push_str(&format!("event_id < {:>8},\n", i * 1000));
    }
    out.push_str("NO CASE, UNKNOWN)");
    out
}

fn bad(what: &str) -> DemoError {
    DemoError::Unsupported(format!("bad demo lab edge: {what}"))
}

/// Write the lab and sandbox tables and their lineage.
pub(crate) fn build(b: &mut Builder, prod: &Ns, dev: &Ns) -> DemoResult<()> {
    tables(b, prod)?;
    edges(b, prod)?;
    sandbox(b, prod, dev)
}

fn tables(b: &mut Builder, prod: &Ns) -> DemoResult<()> {
    let wide = wide_partitioning();
    for (i, (table, description, names, late)) in TABLES.iter().enumerate() {
        let cols: Vec<ColumnSpec> = names
            .iter()
            .enumerate()
            .map(|(j, n)| ColumnSpec {
                name: n.to_string(),
                ty: column_type(n).to_string(),
                description: (j % 2 == 0).then(|| format!("{n} ({table})")),
                nullable: Some(if j == 0 { "N" } else { "Y" }),
            })
            .collect();
        b.dataset(&TableSpec {
            ns: prod,
            db: "lab",
            table,
            description: *description,
            source_type: Some("TABLE"),
            view_of: None,
            active: true,
            created: CREATED,
            updated: if *late { LATE } else { "2026-01-15 02:00:00" },
            columns: &cols,
            row_count: 1000 * (i as i64 + 1),
            ddl_extra: if *table == "WIDE_PARTITIONED" {
                &wide
            } else {
                ""
            },
        })?;
    }
    Ok(())
}

fn edges(b: &mut Builder, prod: &Ns) -> DemoResult<()> {
    for (st, sc, tt, tc, kind, conf, active) in EDGES {
        let (sds, tds) = (format!("lab.{st}"), format!("lab.{tt}"));
        let kind = Kind::parse(kind).ok_or_else(|| bad(kind))?;
        let late = *st == "SELF_LOOP" && *sc == "counter";
        b.lineage(&EdgeSpec {
            source: (prod, &sds, sc),
            target: (prod, &tds, tc),
            kind,
            confidence: confidence(conf).ok_or_else(|| bad(conf))?,
            discovered: if late { LATE } else { DISCOVERED },
            active: *active,
            masking: false,
            description: edge_description(kind),
            run_id: if late { LATE_RUN } else { RUN },
        })?;
    }
    b.lineage(&EdgeSpec {
        source: (prod, "demo_user.STG_CUSTOMER", "street"),
        target: (prod, "lab.Straße_Kunden", "straße"),
        kind: Kind::Direct,
        confidence: Some("1.00"),
        discovered: DISCOVERED,
        active: true,
        masking: false,
        description: None,
        run_id: RUN,
    })?;
    Ok(())
}

/// The second namespace: one exploration table fed from a prod report.
fn sandbox(b: &mut Builder, prod: &Ns, dev: &Ns) -> DemoResult<()> {
    sandbox_table(b, dev)?;
    let report = "demo_user.RPT_SALES_DAILY";
    for (sf, tf, late) in [
        ("total_net_eur_amt", "total_amt", true),
        ("date_key", "date_key", false),
    ] {
        b.lineage(&EdgeSpec {
            source: (prod, report, sf),
            target: (dev, "sandbox.SALES_EXPLORE", tf),
            kind: Kind::Direct,
            confidence: Some("1.00"),
            discovered: if late { LATE } else { DISCOVERED },
            active: true,
            masking: false,
            description: None,
            run_id: if late { LATE_RUN } else { RUN },
        })?;
    }
    Ok(())
}

/// The sandbox's exploration table, of no source type, its columns nullable.
fn sandbox_table(b: &mut Builder, dev: &Ns) -> DemoResult<()> {
    let cols: Vec<ColumnSpec> = ["date_key", "total_amt", "note"]
        .iter()
        .map(|n| ColumnSpec {
            name: n.to_string(),
            ty: column_type(n).to_string(),
            description: None,
            nullable: Some("Y"),
        })
        .collect();
    b.dataset(&TableSpec {
        ns: dev,
        db: "sandbox",
        table: "SALES_EXPLORE",
        description: None,
        source_type: None,
        view_of: None,
        active: true,
        created: CREATED,
        updated: "2026-01-20 09:00:00",
        columns: &cols,
        row_count: 0,
        ddl_extra: "",
    })?;
    Ok(())
}
