//! Reading ODBC rows (every cell fetched as text) into the model types, with the shared
//! helpers of [`crate::source::sql`], exactly as the embedded source reads its rows.
use super::fetch::Row;
use crate::model::{Dataset, Field, LineageHit, LineageRow, Namespace, Timestamp};
use crate::source::sql;
use crate::source::SourceResult;

/// A number cell (integer or decimal text, e.g. `DECIMAL(3,2)` as `0.95`) as `f64`, the
/// nearest double to the decimal text; NULL is `None`; other text is bad data.
pub(super) fn opt_num(row: &Row, col: usize) -> SourceResult<Option<f64>> {
    match row.opt_text(col)? {
        None => Ok(None),
        Some(t) => t
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .map(Some)
            .ok_or_else(|| row.bad(col, format!("not a number: {t:?}"))),
    }
}

/// A whole-number cell: exact when the text is an integer, else the rounded decimal.
pub(super) fn opt_int(row: &Row, col: usize) -> SourceResult<Option<i64>> {
    if let Some(t) = row.opt_text(col)? {
        if let Ok(n) = t.trim().parse::<i64>() {
            return Ok(Some(n));
        }
    }
    Ok(opt_num(row, col)?.map(|f| f.round() as i64))
}

/// A timestamp cell; `what` names the column in errors.
pub(super) fn ts(row: &Row, col: usize, what: &str) -> SourceResult<Option<Timestamp>> {
    sql::timestamp(row.opt_text(col)?.as_deref(), what)
}

/// A `CHAR` cell without its trailing blanks (NULL is `""`).
pub(super) fn chars(row: &Row, col: usize) -> SourceResult<String> {
    Ok(sql::char_text(row.opt_text(col)?.as_deref()))
}

/// A `CHAR(1)` flag cell.
fn flag(row: &Row, col: usize) -> SourceResult<bool> {
    Ok(sql::flag(row.opt_text(col)?.as_deref()))
}

pub(super) fn namespace_row(row: &Row) -> SourceResult<Namespace> {
    Ok(Namespace {
        id: row.text(0)?,
        uri: row.text(1)?,
        description: row.text(2)?,
        spec_version: row.text(3)?,
        created_at: ts(row, 4, "OL_NAMESPACE.created_at")?,
    })
}

pub(super) fn dataset_row(row: &Row) -> SourceResult<Dataset> {
    Ok(Dataset {
        id: row.text(0)?,
        namespace_id: row.text(1)?,
        name: row.text(2)?,
        description: row.text(3)?,
        source_type: row.text(4)?,
        created_at: ts(row, 5, "OL_DATASET.created_at")?,
        updated_at: ts(row, 6, "OL_DATASET.updated_at")?,
        is_active: flag(row, 7)?,
    })
}

pub(super) fn field_row(row: &Row) -> SourceResult<Field> {
    Ok(Field {
        id: row.text(0)?,
        dataset_id: row.text(1)?,
        name: row.text(2)?,
        field_type: row.text(3)?,
        description: row.text(4)?,
        ordinal_position: opt_int(row, 5)?.unwrap_or(0),
        nullable: flag(row, 6)?,
        created_at: ts(row, 7, "OL_DATASET_FIELD.created_at")?,
    })
}

pub(super) fn lineage_row(row: &Row) -> SourceResult<LineageRow> {
    Ok(LineageRow {
        lineage_id: row.text(0)?,
        source_namespace: row.text(1)?,
        source_dataset: row.text(2)?,
        source_field: row.text(3)?,
        target_namespace: row.text(4)?,
        target_dataset: row.text(5)?,
        target_field: row.text(6)?,
        transformation_type: row.text(7)?,
        transformation_subtype: row.text(8)?,
        confidence_score: opt_num(row, 9)?,
    })
}

pub(super) fn hit_row(row: &Row) -> SourceResult<LineageHit> {
    let depth = opt_int(row, 10)?.unwrap_or(0);
    let depth = u32::try_from(depth).map_err(|_| row.bad(10, format!("bad depth {depth}")))?;
    Ok(LineageHit {
        row: lineage_row(row)?,
        depth,
    })
}
