//! What the demo's parts share: the namespaces' URIs, the fixed timestamps and run ids of
//! the two population runs, and the column types, confidences and edge descriptions the
//! population script writes.
use super::builder::Kind;

pub(crate) const PROD_URI: &str = "teradata://prod-td:1025";
pub(crate) const DEV_URI: &str = "teradata://dev-td:1025";
pub(crate) const CREATED: &str = "2025-11-03 08:00:00";
pub(crate) const DISCOVERED: &str = "2026-01-15 02:45:00";
/// The second population run: rows and datasets changed then.
pub(crate) const LATE: &str = "2026-02-01 03:15:42.5";
pub(crate) const RUN: &str = "run-20260115-0200";
pub(crate) const LATE_RUN: &str = "run-20260201-0315";

/// The confidence scores the demo uses (DECIMAL(3,2) literals).
pub(crate) const CONFIDENCES: [&str; 7] = ["1.00", "0.95", "0.90", "0.85", "0.80", "0.75", "0.50"];

/// A column type from the column's name, the way the warehouse names them.
pub(crate) fn column_type(name: &str) -> &'static str {
    let ends = |s: &str| name.ends_with(s);
    let counts = ["quantity", "units_sold", "active_customers"];
    if ["_id", "_key", "_no", "_count", "_qty"]
        .iter()
        .any(|s| ends(s))
        || counts.contains(&name)
    {
        "INTEGER"
    } else if ends("_amt") {
        "DECIMAL(18,2)"
    } else if ends("_ts") {
        "TIMESTAMP(0)"
    } else if ends("_dt") {
        "DATE"
    } else if ends("_cd") {
        "CHAR(3)"
    } else if name == "rate_to_eur" {
        "DECIMAL(18,6)"
    } else {
        "VARCHAR(200)"
    }
}

/// Confidence token to its static literal (`-` is NULL).
pub(crate) fn confidence(token: &str) -> Option<Option<&'static str>> {
    if token == "-" {
        return Some(None);
    }
    CONFIDENCES.iter().find(|c| **c == token).map(|c| Some(*c))
}

/// The `transformation_description` the population script writes for a kind.
pub(crate) fn edge_description(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Direct => None,
        Kind::Calculation => Some("expression over the source columns"),
        Kind::Aggregation => Some("SUM/COUNT over the group"),
        Kind::Join => Some("lookup join on the business key"),
        Kind::Filter => Some("WHERE status_cd <> 'CXL'"),
    }
}
