//! Reading rows of the SQLite lineage database into the model types.
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Row, ToSql};

use crate::model::{Dataset, Field, LineageHit, LineageRow, Namespace, Timestamp};
use crate::source::sql::{self, Param};
use crate::source::{SourceError, SourceResult};

impl ToSql for Param {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Param::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Param::Int(n) => ToSqlOutput::Borrowed(ValueRef::Integer(*n)),
        })
    }
}

/// A text column: NULL is `None`; numbers are shown as text; a blob is bad data.
pub(super) fn opt_text(row: &Row, i: usize) -> rusqlite::Result<Option<String>> {
    Ok(match row.get_ref(i)? {
        ValueRef::Null => None,
        ValueRef::Text(t) | ValueRef::Blob(t) => Some(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Integer(n) => Some(n.to_string()),
        ValueRef::Real(f) => Some(f.to_string()),
    })
}

/// A text column, NULL as `""`.
pub(super) fn text(row: &Row, i: usize) -> rusqlite::Result<String> {
    Ok(opt_text(row, i)?.unwrap_or_default())
}

/// Lineage rows as read, their nine texts (as [`text`] gives them) in one buffer: what the
/// thread stepping SQLite hands to the thread interning them (see
/// `SqliteSource::active_lineage_interned`).
#[derive(Default)]
pub(super) struct RawRows {
    bytes: Vec<u8>,
    /// The end of each text in `bytes`, nine per row.
    ends: Vec<u32>,
    confidence: Vec<Option<f64>>,
}

impl RawRows {
    /// Rows per batch handed over.
    pub(super) const CHUNK: usize = 4096;

    pub(super) fn push(&mut self, row: &Row) -> rusqlite::Result<()> {
        for i in 0..9 {
            match row.get_ref(i)? {
                ValueRef::Null => {}
                ValueRef::Text(t) | ValueRef::Blob(t) => self.bytes.extend_from_slice(t),
                ValueRef::Integer(n) => self.bytes.extend_from_slice(n.to_string().as_bytes()),
                ValueRef::Real(f) => self.bytes.extend_from_slice(f.to_string().as_bytes()),
            }
            self.ends.push(self.bytes.len() as u32);
        }
        self.confidence.push(opt_num(row, 9)?);
        Ok(())
    }

    pub(super) fn len(&self) -> usize {
        self.confidence.len()
    }

    /// Intern every row into `out`, in order.
    pub(super) fn intern_into(
        &self,
        loader: &mut crate::source::engine::Loader,
        out: &mut Vec<crate::source::engine::LoadedRow>,
    ) {
        let mut start = 0;
        for (r, confidence) in self.confidence.iter().enumerate() {
            let texts: [std::borrow::Cow<str>; 9] = std::array::from_fn(|i| {
                let end = self.ends[r * 9 + i] as usize;
                let t = &self.bytes[start..end];
                start = end;
                utf8(t)
            });
            out.push(loader.row_parts(texts.each_ref().map(|s| &**s), *confidence));
        }
    }
}

/// Bytes as text: borrowed when valid UTF-8 (checked by the fast validator; the lossy one
/// is several times slower on a 300,000-row bulk read), U+FFFD for invalid sequences.
fn utf8(t: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(t) {
        Ok(s) => s.into(),
        Err(_) => String::from_utf8_lossy(t),
    }
}

/// A number column as `f64` (integers, reals, numeric text); NULL is `None`.
pub(super) fn opt_num(row: &Row, i: usize) -> rusqlite::Result<Option<f64>> {
    Ok(match row.get_ref(i)? {
        ValueRef::Null => None,
        ValueRef::Integer(n) => Some(n as f64),
        ValueRef::Real(f) => Some(f),
        ValueRef::Text(t) => std::str::from_utf8(t)
            .ok()
            .and_then(|s| s.trim().parse().ok()),
        ValueRef::Blob(_) => None,
    })
}

/// A timestamp column.
pub(super) fn ts(row: &Row, i: usize, what: &str) -> SourceResult<Option<Timestamp>> {
    let value = opt_text(row, i).map_err(|e| SourceError::query(what, e))?;
    sql::timestamp(value.as_deref(), what)
}

pub(super) fn namespace_row(row: &Row) -> SourceResult<Namespace> {
    let e = |e| SourceError::query("namespace row", e);
    Ok(Namespace {
        id: text(row, 0).map_err(e)?,
        uri: text(row, 1).map_err(e)?,
        description: text(row, 2).map_err(e)?,
        spec_version: text(row, 3).map_err(e)?,
        created_at: ts(row, 4, "OL_NAMESPACE.created_at")?,
    })
}

pub(super) fn dataset_row(row: &Row) -> SourceResult<Dataset> {
    let e = |e| SourceError::query("dataset row", e);
    Ok(Dataset {
        id: text(row, 0).map_err(e)?,
        namespace_id: text(row, 1).map_err(e)?,
        name: text(row, 2).map_err(e)?,
        description: text(row, 3).map_err(e)?,
        source_type: text(row, 4).map_err(e)?,
        created_at: ts(row, 5, "OL_DATASET.created_at")?,
        updated_at: ts(row, 6, "OL_DATASET.updated_at")?,
        is_active: sql::flag(opt_text(row, 7).map_err(e)?.as_deref()),
    })
}

pub(super) fn field_row(row: &Row) -> SourceResult<Field> {
    let e = |e| SourceError::query("field row", e);
    let position = opt_num(row, 5).map_err(e)?.unwrap_or(0.0);
    Ok(Field {
        id: text(row, 0).map_err(e)?,
        dataset_id: text(row, 1).map_err(e)?,
        name: text(row, 2).map_err(e)?,
        field_type: text(row, 3).map_err(e)?,
        description: text(row, 4).map_err(e)?,
        ordinal_position: position as i64,
        nullable: sql::flag(opt_text(row, 6).map_err(e)?.as_deref()),
        created_at: ts(row, 7, "OL_DATASET_FIELD.created_at")?,
    })
}

pub(super) fn lineage_row(row: &Row) -> SourceResult<LineageRow> {
    let e = |e| SourceError::query("lineage row", e);
    let t = |i| text(row, i).map_err(e);
    Ok(LineageRow {
        lineage_id: t(0)?,
        source_namespace: t(1)?,
        source_dataset: t(2)?,
        source_field: t(3)?,
        target_namespace: t(4)?,
        target_dataset: t(5)?,
        target_field: t(6)?,
        transformation_type: t(7)?,
        transformation_subtype: t(8)?,
        confidence_score: opt_num(row, 9).map_err(e)?,
    })
}

pub(super) fn hit_row(row: &Row) -> SourceResult<LineageHit> {
    let depth = opt_num(row, 10)
        .map_err(|e| SourceError::query("lineage depth", e))?
        .unwrap_or(0.0);
    Ok(LineageHit {
        row: lineage_row(row)?,
        depth: depth as u32,
    })
}
