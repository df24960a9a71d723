//! The value types the API caches (contract §3), as the lineage source yields them.
//!
//! Field order here is the JSON member order. Text columns that may be NULL are `String`
//! (NULL reads as `""`); `(o)` members of the contract are omitted when empty/zero, which
//! the Go-exact encoder (the `json` module) handles.
use std::collections::BTreeMap;

/// A UTC instant with nanosecond precision (Teradata `TIMESTAMP(n)`, always UTC here).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Timestamp {
    /// Seconds since 1970-01-01T00:00:00Z (negative before).
    pub secs: i64,
    /// Nanoseconds within the second, 0..1e9.
    pub nanos: u32,
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// The (year, month, day) of a day count since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719468;
    let era = if z >= 0 { z } else { z - 146096 } / 146097;
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// A run of ASCII digits as a number.
fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// An optional `.f…` (1 to 9 digits) as nanoseconds, and what follows it.
fn fraction(rest: &str) -> Option<(u32, &str)> {
    let Some(frac) = rest.strip_prefix('.') else {
        return Some((0, rest));
    };
    let n: String = frac.chars().take_while(|c| c.is_ascii_digit()).collect();
    if n.is_empty() || n.len() > 9 {
        return None;
    }
    let mut nanos = digits(&n)?;
    for _ in n.len()..9 {
        nanos *= 10;
    }
    Some((nanos, &frac[n.len()..]))
}

/// A zone suffix as seconds east of UTC: none or `Z` (UTC), or `+HH:MM` / `-HH:MM`.
fn utc_offset(rest: &str) -> Option<i64> {
    Some(match rest {
        "" | "Z" | "z" | "+00:00" | "+00" | "-00:00" => 0i64,
        r if (r.starts_with('+') || r.starts_with('-')) && r.len() == 6 && &r[3..4] == ":" => {
            let sign = if r.starts_with('-') { -1 } else { 1 };
            let oh = digits(&r[1..3])? as i64;
            let om = digits(&r[4..6])? as i64;
            sign * (oh * 3600 + om * 60)
        }
        _ => return None,
    })
}

impl Timestamp {
    /// Build from calendar fields (UTC). Returns `None` for an impossible date or time.
    pub fn from_parts(
        y: i64,
        mo: u32,
        d: u32,
        h: u32,
        mi: u32,
        s: u32,
        nanos: u32,
    ) -> Option<Self> {
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        let mdays = [
            31,
            if leap { 29 } else { 28 },
            31,
            30,
            31,
            30,
            31,
            31,
            30,
            31,
            30,
            31,
        ];
        if !(1..=12).contains(&mo) || d == 0 || d > mdays[(mo - 1) as usize] {
            return None;
        }
        if h > 23 || mi > 59 || s > 59 || nanos >= 1_000_000_000 {
            return None;
        }
        let secs = days_from_civil(y, mo, d) * 86400 + (h * 3600 + mi * 60 + s) as i64;
        Some(Timestamp { secs, nanos })
    }

    /// Parse the forms databases and people write: `YYYY-MM-DD HH:MM:SS[.f…]`,
    /// `YYYY-MM-DDTHH:MM:SS[.f…][Z|+00:00]`, or a bare `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim();
        let b = t.as_bytes();
        if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let y = digits(t.get(0..4)?)? as i64;
        let mo = digits(t.get(5..7)?)?;
        let d = digits(t.get(8..10)?)?;
        if b.len() == 10 {
            return Self::from_parts(y, mo, d, 0, 0, 0, 0);
        }
        if (b[10] != b' ' && b[10] != b'T') || b.len() < 19 || b[13] != b':' || b[16] != b':' {
            return None;
        }
        let h = digits(t.get(11..13)?)?;
        let mi = digits(t.get(14..16)?)?;
        let s = digits(t.get(17..19)?)?;
        let (nanos, rest) = fraction(t.get(19..)?)?;
        let offset = utc_offset(rest)?;
        let mut ts = Self::from_parts(y, mo, d, h, mi, s, nanos)?;
        ts.secs -= offset;
        Some(ts)
    }

    /// Calendar fields (UTC): (year, month, day, hour, minute, second).
    pub fn parts(&self) -> (i64, u32, u32, u32, u32, u32) {
        let days = self.secs.div_euclid(86400);
        let sod = self.secs.rem_euclid(86400) as u32;
        let (y, m, d) = civil_from_days(days);
        (y, m, d, sod / 3600, sod / 60 % 60, sod % 60)
    }

    /// RFC 3339 in UTC for reports, milliseconds when there are any
    /// (`2026-12-05T10:00:00Z`, `2026-12-05T10:00:00.250Z`).
    pub fn to_rfc3339(&self) -> String {
        let (y, mo, d, h, mi, s) = self.parts();
        let ms = self.nanos / 1_000_000;
        let frac = if ms == 0 {
            String::new()
        } else {
            format!(".{ms:03}")
        };
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{frac}Z")
    }

    /// `YYYY-MM-DD HH:MM:SS[.fffffffff]` for SQL literals and parameters.
    pub fn to_sql(&self) -> String {
        let (y, mo, d, h, mi, s) = self.parts();
        let mut out = format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}");
        if self.nanos != 0 {
            out.push_str(&format!(".{:09}", self.nanos));
            while out.ends_with('0') {
                out.pop();
            }
        }
        out
    }
}

/// `OL_NAMESPACE` row.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Namespace {
    pub id: String,
    pub uri: String,
    /// (o)
    pub description: String,
    pub spec_version: String,
    /// Plain time: NULL is written as the zero time.
    pub created_at: Option<Timestamp>,
}

/// `OL_DATASET` row.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Dataset {
    pub id: String,
    pub namespace_id: String,
    pub name: String,
    /// (o)
    pub description: String,
    /// (o)
    pub source_type: String,
    pub created_at: Option<Timestamp>,
    pub updated_at: Option<Timestamp>,
    /// `is_active = 'Y'`.
    pub is_active: bool,
}

/// `OL_DATASET_FIELD` row.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Field {
    pub id: String,
    pub dataset_id: String,
    pub name: String,
    /// (o) JSON member `type`.
    pub field_type: String,
    /// (o)
    pub description: String,
    pub ordinal_position: i64,
    /// `nullable = 'Y'`.
    pub nullable: bool,
    pub created_at: Option<Timestamp>,
}

/// One page of a namespace's active datasets.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DatasetPage {
    pub datasets: Vec<Dataset>,
    pub total: i64,
}

/// A lineage graph node (always a field).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Node {
    /// `{dataset}/{field}`.
    pub id: String,
    pub namespace: String,
    pub dataset: String,
    /// (o)
    pub field: String,
    /// (o) omitted when empty. Values are JSON strings.
    pub metadata: BTreeMap<String, String>,
}

/// A lineage graph edge.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Edge {
    pub id: String,
    pub source: String,
    pub target: String,
    pub transformation_type: String,
    pub transformation_subtype: String,
    /// (o) a plain float64 with omitempty: NULL and 0 are both omitted.
    pub confidence_score: Option<f64>,
}

/// A lineage graph.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Graph {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

/// Table statistics.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Statistics {
    pub dataset_id: String,
    pub database_name: String,
    pub table_name: String,
    pub source_type: String,
    /// (o)
    pub creator_name: String,
    /// (o) pointer: omitted when NULL.
    pub create_timestamp: Option<Timestamp>,
    /// (o) pointer: omitted when NULL.
    pub last_alter_timestamp: Option<Timestamp>,
    /// (o) pointer: kept when 0, omitted when NULL.
    pub row_count: Option<i64>,
    /// (o) pointer: kept when 0, omitted when NULL.
    pub size_bytes: Option<i64>,
    /// (o)
    pub table_comment: String,
}

/// Table or view DDL.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Ddl {
    pub dataset_id: String,
    pub database_name: String,
    pub table_name: String,
    pub source_type: String,
    /// (o)
    pub view_sql: String,
    /// (o)
    pub table_ddl: String,
    pub truncated: bool,
    /// (o)
    pub table_comment: String,
    /// (o) column name to comment; written in byte order of the names.
    pub column_comments: BTreeMap<String, String>,
}

/// One active row of `OL_COLUMN_LINEAGE` (the columns a graph needs).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LineageRow {
    pub lineage_id: String,
    pub source_namespace: String,
    /// A dataset **name** (`db.table`).
    pub source_dataset: String,
    pub source_field: String,
    pub target_namespace: String,
    pub target_dataset: String,
    pub target_field: String,
    pub transformation_type: String,
    pub transformation_subtype: String,
    pub confidence_score: Option<f64>,
}

impl LineageRow {
    /// The text members in declaration order, `lineage_id` first.
    pub fn texts(&self) -> [&str; 9] {
        [
            &self.lineage_id,
            &self.source_namespace,
            &self.source_dataset,
            &self.source_field,
            &self.target_namespace,
            &self.target_dataset,
            &self.target_field,
            &self.transformation_type,
            &self.transformation_subtype,
        ]
    }
}

/// A lineage row reached at a depth (1-based), as the recursive SQL returns it.
#[derive(Debug, Clone, PartialEq)]
pub struct LineageHit {
    pub row: LineageRow,
    pub depth: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamp_round_trips_calendar() {
        let t = Timestamp::parse("2026-01-15 10:00:00").unwrap();
        assert_eq!(t.secs, 1768471200);
        assert_eq!(t.to_sql(), "2026-01-15 10:00:00");
        let t = Timestamp::parse("2026-01-15T10:00:00.250Z").unwrap();
        assert_eq!(t.nanos, 250_000_000);
        assert_eq!(t.to_sql(), "2026-01-15 10:00:00.25");
        assert_eq!(
            Timestamp::parse("0001-01-01 00:00:00").unwrap().parts(),
            (1, 1, 1, 0, 0, 0)
        );
        assert!(Timestamp::parse("2026-02-30 00:00:00").is_none());
        assert!(Timestamp::parse("2026-01-15 25:00:00").is_none());
        assert_eq!(
            Timestamp::parse("2026-01-15T12:00:00+02:00").unwrap(),
            Timestamp::parse("2026-01-15 10:00:00").unwrap()
        );
    }
}

/// Lineage directions (contract §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Direction {
    Upstream,
    Downstream,
    Both,
}

impl Direction {
    pub const ALL: [Direction; 3] = [Direction::Upstream, Direction::Downstream, Direction::Both];

    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Upstream => "upstream",
            Direction::Downstream => "downstream",
            Direction::Both => "both",
        }
    }

    pub fn parse(s: &str) -> Option<Direction> {
        match s {
            "upstream" => Some(Direction::Upstream),
            "downstream" => Some(Direction::Downstream),
            "both" => Some(Direction::Both),
            _ => None,
        }
    }
}
