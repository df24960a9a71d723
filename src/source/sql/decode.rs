//! Reading result rows the same way in every source: CHAR columns, flags, timestamps,
//! the dictionary's table kinds and DDL text, and uniting the lineage queries of `both`.
use crate::model::{LineageHit, Timestamp};
use crate::source::engine;
use crate::source::{SourceError, SourceResult};

/// Unite the results of the lineage queries of one seed: distinct (row, depth) pairs,
/// ordered by depth then `lineage_id` (byte order).
///
/// Rows sharing a `lineage_id` at one depth come in no defined order from the database
/// (the statement orders by depth and `lineage_id` only); they are ordered by their
/// remaining members as the engine orders them ([`engine::row_order`]), so every source
/// answers alike and a pair found by both directions of `both` is kept once.
pub fn merge_hits(parts: Vec<Vec<LineageHit>>) -> Vec<LineageHit> {
    let mut all: Vec<LineageHit> = parts.into_iter().flatten().collect();
    all.sort_by(|a, b| {
        a.depth
            .cmp(&b.depth)
            .then_with(|| engine::row_order(&a.row, &b.row))
    });
    all.dedup_by(|a, b| a.depth == b.depth && engine::row_order(&a.row, &b.row).is_eq());
    all
}

/// Split a dataset name `{database}.{table}` at its first dot (table names may hold dots).
pub fn split_name(name: &str) -> Option<(&str, &str)> {
    name.split_once('.')
        .filter(|(d, t)| !d.is_empty() && !t.is_empty())
}

/// `TableKind` to the `sourceType` of statistics and DDL: `V` is a view, anything else a table.
pub fn source_type(table_kind: &str) -> &'static str {
    if table_kind.trim() == "V" {
        "VIEW"
    } else {
        "TABLE"
    }
}

/// A `CHAR(n)` value as text: NULL is `""`, trailing blanks removed.
pub fn char_text(value: Option<&str>) -> String {
    value.unwrap_or("").trim_end_matches(' ').to_string()
}

/// A `CHAR(1)` flag: true only for `Y`.
pub fn flag(value: Option<&str>) -> bool {
    char_text(value) == "Y"
}

/// A timestamp column: NULL is `None`; text that is not a timestamp is bad data.
pub fn timestamp(value: Option<&str>, what: &str) -> SourceResult<Option<Timestamp>> {
    match value {
        None => Ok(None),
        Some(t) => Timestamp::parse(t)
            .map(Some)
            .ok_or_else(|| SourceError::Data {
                what: what.to_string(),
                message: format!("not a timestamp: {t:?}"),
            }),
    }
}
