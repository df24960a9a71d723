//! The demo warehouse: a retail medallion in `demo_user` (SRC → STG → DIM → FACT → RPT),
//! the shapes that break naive code in `lab` (a cycle, a diamond, a self-loop, names with
//! dots, quotes, `<&>` and non-ASCII characters, a DDL longer than the DDL limit), and a
//! small `sandbox` in a second namespace fed across namespaces. Fixed timestamps only.
use std::collections::{BTreeMap, BTreeSet};

use super::builder::{Builder, ColumnSpec, EdgeSpec, Kind, Ns, TableSpec};
use super::vocab::{
    column_type, confidence, edge_description, CREATED, DEV_URI, DISCOVERED, LATE, LATE_RUN,
    PROD_URI, RUN,
};
use super::{DemoError, DemoResult};

/// A medallion table: name, base table when a view, description, columns, row count.
type Def = (
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    &'static [&'static str],
    i64,
);

#[rustfmt::skip]
const MEDALLION: &[Def] = &[
    ("SRC_CRM_CUSTOMER", None, Some("Customers as exported by the CRM"), &["customer_id", "first_name", "last_name", "email", "phone", "street", "city", "postal_code", "country_code", "created_ts", "updated_ts"], 120_000),
    ("SRC_ERP_ORDER", None, Some("Order headers from the ERP"), &["order_id", "customer_id", "order_ts", "status_cd", "currency_cd", "channel_cd", "store_id"], 2_400_000),
    ("SRC_ERP_ORDER_LINE", None, Some("Order lines from the ERP"), &["order_id", "line_no", "product_id", "quantity", "unit_price_amt", "discount_amt", "tax_amt"], 9_100_000),
    ("SRC_PIM_PRODUCT", None, Some("Products from the PIM"), &["product_id", "sku", "product_name", "category_cd", "brand_name", "list_price_amt", "launch_dt"], 15_000),
    ("SRC_POS_STORE", None, None, &["store_id", "store_name", "region_cd", "city", "opened_dt"], 240),
    ("SRC_FX_RATE", None, Some("Daily exchange rates"), &["currency_cd", "rate_dt", "rate_to_eur"], 36_500),
    ("SRC_LEGACY_ORDERS", None, Some("Retired order feed (inactive)"), &["order_id", "customer_id", "amount_amt"], 0),
    ("STG_CUSTOMER", None, Some("Cleansed customers"), &["customer_id", "full_name", "email", "phone", "street", "city", "postal_code", "country_code", "load_ts"], 119_500),
    ("STG_ORDER", None, Some("Cleansed order headers"), &["order_id", "customer_id", "order_ts", "order_dt", "status_cd", "currency_cd", "channel_cd", "store_id", "load_ts"], 2_399_000),
    ("STG_ORDER_LINE", None, Some("Cleansed order lines with net amount"), &["order_id", "line_no", "product_id", "quantity", "unit_price_amt", "discount_amt", "tax_amt", "net_amt", "load_ts"], 9_090_000),
    ("STG_PRODUCT", None, Some("Cleansed products"), &["product_id", "sku", "product_name", "category_cd", "brand_name", "list_price_amt", "launch_dt", "load_ts"], 15_000),
    ("STG_STORE", None, None, &["store_id", "store_name", "region_cd", "city", "opened_dt", "load_ts"], 240),
    ("STG_FX_RATE", None, Some("Exchange rates, one per currency and day"), &["currency_cd", "rate_dt", "rate_to_eur"], 36_500),
    ("DIM_CUSTOMER", None, Some("Customer dimension (SCD2)"), &["customer_key", "customer_id", "full_name", "email_masked", "city", "country_code", "customer_segment", "valid_from_ts", "valid_to_ts"], 131_000),
    ("DIM_PRODUCT", None, Some("Product dimension"), &["product_key", "product_id", "sku", "product_name", "category_name", "brand_name", "list_price_eur_amt"], 15_000),
    ("DIM_STORE", None, Some("Store dimension"), &["store_key", "store_id", "store_name", "region_name", "city"], 240),
    ("DIM_DATE", None, Some("Calendar"), &["date_key", "calendar_dt", "year_no", "quarter_no", "month_no", "day_of_week"], 7_305),
    ("DIM_CURRENCY", None, None, &["currency_key", "currency_cd", "rate_to_eur"], 30),
    ("FACT_SALES", None, Some("Sales at order-line grain"), &["sales_key", "order_id", "line_no", "customer_key", "product_key", "store_key", "date_key", "quantity", "gross_amt", "discount_amt", "net_amt", "net_eur_amt", "tax_amt"], 9_050_000),
    ("FACT_ORDER", None, Some("Sales at order grain"), &["order_key", "order_id", "customer_key", "store_key", "date_key", "line_count", "order_total_eur_amt", "status_cd"], 2_390_000),
    ("RPT_SALES_DAILY", Some("FACT_SALES"), Some("Daily sales per store"), &["date_key", "calendar_dt", "store_name", "total_qty", "total_net_eur_amt", "order_count"], 0),
    ("RPT_CUSTOMER_360", Some("DIM_CUSTOMER"), Some("One row per customer with lifetime value"), &["customer_key", "full_name", "email_masked", "lifetime_value_eur_amt", "order_count", "last_order_dt", "customer_segment"], 0),
    ("RPT_PRODUCT_PERFORMANCE", Some("DIM_PRODUCT"), Some("Units and revenue per product"), &["product_key", "product_name", "category_name", "units_sold", "revenue_eur_amt", "avg_discount_amt"], 0),
    ("RPT_REGION_SUMMARY", Some("DIM_STORE"), None, &["region_name", "revenue_eur_amt", "customer_count", "order_count"], 0),
    ("RPT_EXEC_KPI", Some("FACT_ORDER"), Some("Executive KPIs"), &["kpi_dt", "total_revenue_eur_amt", "active_customers", "avg_order_value_eur_amt"], 0),
];

/// Medallion lineage, in `demo_user`: `TARGETS <- SOURCES KIND CONFIDENCE [flags]`.
/// Lists are comma-separated `TABLE.column`; `TABLE.*` is every column of the table, and
/// `T.* <- S.*` pairs the columns of the same name. `-` is a NULL confidence. Flags:
/// `inactive`, `masked`, `late` (discovered in the second run). A pair already listed is
/// skipped.
const MEDALLION_LINEAGE: &str = "
STG_CUSTOMER.* <- SRC_CRM_CUSTOMER.* DIRECT 1.00
STG_CUSTOMER.full_name <- SRC_CRM_CUSTOMER.first_name,SRC_CRM_CUSTOMER.last_name CALCULATION 0.95
STG_CUSTOMER.load_ts <- SRC_CRM_CUSTOMER.updated_ts CALCULATION -
STG_ORDER.* <- SRC_ERP_ORDER.* DIRECT 1.00
STG_ORDER.order_dt <- SRC_ERP_ORDER.order_ts CALCULATION 1.00
STG_ORDER_LINE.* <- SRC_ERP_ORDER_LINE.* DIRECT 1.00
STG_ORDER_LINE.net_amt <- SRC_ERP_ORDER_LINE.quantity,SRC_ERP_ORDER_LINE.unit_price_amt,SRC_ERP_ORDER_LINE.discount_amt CALCULATION 0.95
STG_PRODUCT.* <- SRC_PIM_PRODUCT.* DIRECT 1.00
STG_STORE.* <- SRC_POS_STORE.* DIRECT 1.00
STG_FX_RATE.* <- SRC_FX_RATE.* DIRECT 1.00
STG_ORDER.order_id <- SRC_LEGACY_ORDERS.order_id DIRECT 0.50 inactive late
STG_ORDER.customer_id <- SRC_LEGACY_ORDERS.customer_id DIRECT 0.50 inactive
DIM_CUSTOMER.* <- STG_CUSTOMER.* DIRECT 1.00
DIM_CUSTOMER.customer_key <- STG_CUSTOMER.customer_id CALCULATION 1.00
DIM_CUSTOMER.email_masked <- STG_CUSTOMER.email CALCULATION 0.90 masked
DIM_CUSTOMER.customer_segment <- STG_ORDER.customer_id,STG_ORDER_LINE.net_amt AGGREGATION 0.85
DIM_CUSTOMER.valid_from_ts <- STG_CUSTOMER.load_ts CALCULATION -
DIM_PRODUCT.* <- STG_PRODUCT.* DIRECT 1.00
DIM_PRODUCT.product_key <- STG_PRODUCT.product_id CALCULATION 1.00
DIM_PRODUCT.category_name <- STG_PRODUCT.category_cd JOIN 0.95
DIM_PRODUCT.list_price_eur_amt <- STG_PRODUCT.list_price_amt,STG_FX_RATE.rate_to_eur CALCULATION 0.95
DIM_STORE.* <- STG_STORE.* DIRECT 1.00
DIM_STORE.store_key <- STG_STORE.store_id CALCULATION 1.00
DIM_STORE.region_name <- STG_STORE.region_cd JOIN 0.95
DIM_DATE.calendar_dt <- STG_ORDER.order_dt DIRECT 1.00
DIM_DATE.date_key,DIM_DATE.year_no,DIM_DATE.quarter_no,DIM_DATE.month_no,DIM_DATE.day_of_week <- DIM_DATE.calendar_dt CALCULATION 1.00
DIM_CURRENCY.* <- STG_FX_RATE.* DIRECT 1.00
DIM_CURRENCY.currency_key <- STG_FX_RATE.currency_cd CALCULATION 1.00
FACT_SALES.* <- STG_ORDER_LINE.* DIRECT 1.00
FACT_SALES.sales_key <- STG_ORDER_LINE.order_id,STG_ORDER_LINE.line_no CALCULATION 1.00
FACT_SALES.customer_key <- DIM_CUSTOMER.customer_key,STG_ORDER.customer_id JOIN 0.95
FACT_SALES.product_key <- DIM_PRODUCT.product_key,STG_ORDER_LINE.product_id JOIN 0.95
FACT_SALES.store_key <- DIM_STORE.store_key,STG_ORDER.store_id JOIN 0.95
FACT_SALES.date_key <- DIM_DATE.date_key,STG_ORDER.order_dt JOIN 0.95
FACT_SALES.gross_amt <- STG_ORDER_LINE.quantity,STG_ORDER_LINE.unit_price_amt CALCULATION 1.00
FACT_SALES.net_eur_amt <- STG_ORDER_LINE.net_amt,DIM_CURRENCY.rate_to_eur CALCULATION 0.95
FACT_ORDER.* <- STG_ORDER.* DIRECT 1.00
FACT_ORDER.order_key <- STG_ORDER.order_id CALCULATION 1.00
FACT_ORDER.customer_key <- DIM_CUSTOMER.customer_key JOIN 0.95
FACT_ORDER.store_key <- DIM_STORE.store_key JOIN 0.95
FACT_ORDER.date_key <- DIM_DATE.date_key JOIN 0.95
FACT_ORDER.line_count <- FACT_SALES.line_no AGGREGATION 1.00
FACT_ORDER.order_total_eur_amt <- FACT_SALES.net_eur_amt AGGREGATION 1.00
FACT_SALES.*,FACT_ORDER.* <- STG_ORDER.status_cd FILTER 0.80
RPT_SALES_DAILY.date_key <- FACT_SALES.date_key DIRECT 1.00
RPT_SALES_DAILY.calendar_dt <- DIM_DATE.calendar_dt JOIN 1.00
RPT_SALES_DAILY.store_name <- DIM_STORE.store_name JOIN 1.00
RPT_SALES_DAILY.total_qty <- FACT_SALES.quantity AGGREGATION 1.00
RPT_SALES_DAILY.total_net_eur_amt <- FACT_SALES.net_eur_amt AGGREGATION 1.00
RPT_SALES_DAILY.order_count <- FACT_SALES.order_id AGGREGATION 1.00
RPT_CUSTOMER_360.* <- DIM_CUSTOMER.* DIRECT 1.00
RPT_CUSTOMER_360.lifetime_value_eur_amt <- FACT_SALES.net_eur_amt AGGREGATION 0.90
RPT_CUSTOMER_360.order_count <- FACT_ORDER.order_id AGGREGATION 1.00
RPT_CUSTOMER_360.last_order_dt <- DIM_DATE.calendar_dt AGGREGATION -
RPT_PRODUCT_PERFORMANCE.* <- DIM_PRODUCT.* DIRECT 1.00
RPT_PRODUCT_PERFORMANCE.units_sold <- FACT_SALES.quantity AGGREGATION 1.00
RPT_PRODUCT_PERFORMANCE.revenue_eur_amt <- FACT_SALES.net_eur_amt AGGREGATION 1.00
RPT_PRODUCT_PERFORMANCE.avg_discount_amt <- FACT_SALES.discount_amt AGGREGATION 0.95
RPT_REGION_SUMMARY.region_name <- DIM_STORE.region_name DIRECT 1.00
RPT_REGION_SUMMARY.revenue_eur_amt <- FACT_SALES.net_eur_amt AGGREGATION 1.00
RPT_REGION_SUMMARY.customer_count <- FACT_SALES.customer_key AGGREGATION 0.90
RPT_REGION_SUMMARY.order_count <- FACT_ORDER.order_id AGGREGATION 1.00
RPT_EXEC_KPI.kpi_dt <- DIM_DATE.calendar_dt DIRECT 1.00
RPT_EXEC_KPI.total_revenue_eur_amt <- FACT_SALES.*,FACT_ORDER.* AGGREGATION 0.90
RPT_EXEC_KPI.active_customers <- DIM_CUSTOMER.customer_key,FACT_ORDER.customer_key AGGREGATION 0.85
RPT_EXEC_KPI.avg_order_value_eur_amt <- FACT_ORDER.order_total_eur_amt,FACT_ORDER.order_id AGGREGATION 0.90
";

/// The warehouse's two namespaces: production, and the development one of the sandbox.
pub(crate) fn namespaces(b: &mut Builder) -> DemoResult<(Ns, Ns)> {
    let prod = b.namespace(
        PROD_URI,
        Some("Production Teradata warehouse (EU)"),
        "2-0-2",
        "2025-11-03 08:00:00",
    )?;
    let dev = b.namespace(DEV_URI, None, "2-0-2", "2026-01-12 14:30:00.125")?;
    Ok((prod, dev))
}

/// Build the medallion of the demo warehouse in `prod`.
pub(crate) fn build(b: &mut Builder, prod: &Ns) -> DemoResult<()> {
    let mut columns = BTreeMap::new();
    for def in MEDALLION {
        columns.insert(def.0, medallion_table(b, prod, def)?);
    }
    let mut seen = BTreeSet::new();
    for line in MEDALLION_LINEAGE.lines().filter(|l| !l.trim().is_empty()) {
        medallion_edges(b, prod, &columns, line, &mut seen)?;
    }
    Ok(())
}

/// The column's description: its name in words, except every third (NULL), and a few
/// with characters JSON must escape.
fn column_description(table: &str, i: usize, name: &str) -> Option<String> {
    match (table, name) {
        ("SRC_CRM_CUSTOMER", "email") => Some("E-mail <primary> & \"verified\"".into()),
        ("STG_CUSTOMER", "street") => Some("Straße, as typed by the customer".into()),
        _ if i % 3 == 2 => None,
        _ => Some(name.replace('_', " ")),
    }
}

fn medallion_table(b: &mut Builder, prod: &Ns, def: &Def) -> DemoResult<Vec<String>> {
    let (table, view_of, description, names, rows) = *def;
    let long_filter = excluded_days();
    let cols = medallion_columns(table, names);
    b.dataset(&TableSpec {
        ns: prod,
        db: "demo_user",
        table,
        description,
        source_type: Some(if view_of.is_some() { "VIEW" } else { "TABLE" }),
        view_of,
        active: table != "SRC_LEGACY_ORDERS",
        created: CREATED,
        updated: layer_updated(table),
        columns: &cols,
        row_count: rows,
        ddl_extra: if table == "RPT_EXEC_KPI" {
            &long_filter
        } else {
            ""
        },
    })?;
    Ok(names.iter().map(|s| s.to_string()).collect())
}

/// The columns of a medallion table: the first is NOT NULL, one is of unknown nullability.
fn medallion_columns(table: &str, names: &[&str]) -> Vec<ColumnSpec> {
    names
        .iter()
        .enumerate()
        .map(|(i, n)| ColumnSpec {
            name: n.to_string(),
            ty: column_type(n).to_string(),
            description: column_description(table, i, n),
            nullable: match (table, i) {
                (_, 0) => Some("N"),
                ("STG_CUSTOMER", 3) => None,
                _ => Some("Y"),
            },
        })
        .collect()
}

/// When the first run updated a table: each layer a little after the one it reads.
fn layer_updated(table: &str) -> &'static str {
    match table.split('_').next().unwrap_or("") {
        "STG" => "2026-01-15 02:10:00.25",
        "DIM" => "2026-01-15 02:20:00",
        "FACT" => "2026-01-15 02:30:00.125",
        "RPT" => "2026-01-15 02:40:00",
        _ => "2026-01-15 02:00:00",
    }
}

/// A filter long enough to fill a view's `RequestText` (12,500 characters): the API marks
/// such a view's DDL as cut.
fn excluded_days() -> String {
    let mut out = String::from("\nWHERE kpi_dt NOT IN (");
    for day in 0..700 {
        let sep = if day == 0 { "" } else { "," };
        out.push_str(&format!("{sep}\n  DATE '2025-01-01' + {day:>3}"));
    }
    out.push(')');
    out
}

fn bad(line: &str) -> DemoError {
    DemoError::Unsupported(format!("bad demo lineage line: {line}"))
}

/// Expand `A.x,B.*` into (table, column) pairs; `None` names an unknown table or column.
fn expand(list: &str, columns: &BTreeMap<&str, Vec<String>>) -> Option<Vec<(String, String)>> {
    let mut out = Vec::new();
    for item in list.split(',') {
        let (table, col) = item.split_once('.')?;
        let cols = columns.get(table)?;
        if col == "*" {
            out.extend(cols.iter().map(|c| (table.to_string(), c.clone())));
        } else if cols.iter().any(|c| c == col) {
            out.push((table.to_string(), col.to_string()));
        } else {
            return None;
        }
    }
    Some(out)
}

fn medallion_edges(
    b: &mut Builder,
    prod: &Ns,
    columns: &BTreeMap<&str, Vec<String>>,
    line: &str,
    seen: &mut BTreeSet<(String, String, String, String)>,
) -> DemoResult<()> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let [targets, "<-", sources, kind, conf, flags @ ..] = words.as_slice() else {
        return Err(bad(line));
    };
    let kind = Kind::parse(kind).ok_or_else(|| bad(line))?;
    let conf = confidence(conf).ok_or_else(|| bad(line))?;
    let same_names = targets.ends_with(".*") && sources.ends_with(".*") && !targets.contains(',');
    let tgts = expand(targets, columns).ok_or_else(|| bad(line))?;
    let srcs = expand(sources, columns).ok_or_else(|| bad(line))?;
    let late = flags.contains(&"late");
    for (tt, tc) in &tgts {
        for (st, sc) in srcs.iter().filter(|(_, sc)| !same_names || sc == tc) {
            if !seen.insert((st.clone(), sc.clone(), tt.clone(), tc.clone())) {
                continue;
            }
            let (sds, tds) = (format!("demo_user.{st}"), format!("demo_user.{tt}"));
            b.lineage(&EdgeSpec {
                source: (prod, &sds, sc),
                target: (prod, &tds, tc),
                kind,
                confidence: conf,
                discovered: if late { LATE } else { DISCOVERED },
                active: !flags.contains(&"inactive"),
                masking: flags.contains(&"masked"),
                description: edge_description(kind),
                run_id: if late { LATE_RUN } else { RUN },
            })?;
        }
    }
    Ok(())
}
