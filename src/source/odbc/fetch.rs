//! Running one [`Query`] over ODBC and reading its rows in column batches.
//!
//! Every value is bound as a parameter (text as UTF-16, integers as `BIGINT`) and every
//! column is read as UTF-16 text into a bounded buffer: at most [`BATCH_ROWS`] rows and
//! about [`BATCH_BYTES`] bytes per batch. A value longer than its buffer is never cut: the
//! query runs again with a buffer large enough (the driver reports the full length), up to
//! [`MAX_VALUE_CHARS`] characters; longer is [`SourceError::Data`] naming the column. Rows
//! are handed to the caller's mapper batch by batch, and the result is returned only when
//! the whole result set was read: any error (connection lost mid-read included) discards
//! everything read so far.
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

use odbc_api::buffers::{ColumnarBuffer, WCharColumn};
use odbc_api::handles::StatementRef;
use odbc_api::parameter::{InputParameter, VarWCharBox};
use odbc_api::{BlockCursor, CursorImpl};
use odbc_api::{Connection, Cursor, Error, ResultSetMetadata, RowSetBuffer, TruncationInfo};

use super::error::query_error;
use super::pool::Pool;
use crate::source::sql::{Param, Query};
use crate::source::{SourceError, SourceResult};

/// Rows per batch, at most.
pub const BATCH_ROWS: usize = 1000;
/// Rows of the first batch of a result; each full batch makes the next one [`GROWTH`] times
/// larger (most results are small, and a large buffer costs time to set up).
const FIRST_BATCH_ROWS: usize = 16;
const GROWTH: usize = 8;
/// Bytes of buffer per batch, about (fewer rows when columns are wide).
pub const BATCH_BYTES: usize = 16 << 20;
/// Width (characters) of a column buffer before the driver's own size is known.
const DEFAULT_CHARS: usize = 256;
/// The first buffer of a column is at most this wide; longer values cost a second read.
const FIRST_MAX_CHARS: usize = 8192;
/// The longest value read, in UTF-16 units.
pub const MAX_VALUE_CHARS: usize = 8 << 20;

type Batch = ColumnarBuffer<WCharColumn>;

/// One row of the current batch: text cells by 0-based column.
pub(crate) struct Row<'a> {
    batch: &'a Batch,
    index: usize,
    names: &'a [String],
    what: &'a str,
}

impl Row<'_> {
    /// A cell as text; NULL is `None`. Text that is not valid UTF-16 is bad data.
    pub(crate) fn opt_text(&self, col: usize) -> SourceResult<Option<String>> {
        if col >= self.names.len() {
            return Err(self.bad(col, "the result has too few columns"));
        }
        match self.batch.column(col).get(self.index) {
            None => Ok(None),
            Some(units) => String::from_utf16(units)
                .map(Some)
                .map_err(|_| self.bad(col, "not valid UTF-16 text")),
        }
    }

    /// A cell as text, NULL as `""`.
    pub(crate) fn text(&self, col: usize) -> SourceResult<String> {
        Ok(self.opt_text(col)?.unwrap_or_default())
    }

    /// A `SourceError::Data` about a column of this query.
    pub(crate) fn bad(&self, col: usize, message: impl Into<String>) -> SourceError {
        let name = self.names.get(col).map(String::as_str).unwrap_or("?");
        SourceError::Data {
            what: format!("{}, column {name}", self.what),
            message: message.into(),
        }
    }
}

/// Why one attempt at a query stopped.
enum Stop {
    /// A value of this column was longer than its buffer (`needed` units, when known).
    Truncated {
        col: usize,
        name: String,
        needed: Option<usize>,
    },
    Failed(SourceError),
}

impl From<SourceError> for Stop {
    fn from(e: SourceError) -> Self {
        Stop::Failed(e)
    }
}

/// Runs queries on connections of a pool, with a statement timeout.
pub(crate) struct Runner<'p> {
    pub pool: &'p Pool,
    pub timeout_secs: usize,
}

impl Runner<'_> {
    /// Run `query` and map every row; `what` names the query in errors.
    pub(crate) fn rows<T>(
        &self,
        what: &str,
        query: &Query,
        mut map: impl FnMut(&Row) -> SourceResult<T>,
    ) -> SourceResult<Vec<T>> {
        let mut widths: HashMap<usize, usize> = HashMap::new();
        loop {
            match self.attempt(what, query, &widths, &mut map) {
                Ok(rows) => return Ok(rows),
                Err(Stop::Failed(e)) => return Err(e),
                Err(Stop::Truncated { col, name, needed }) => {
                    let old = widths.get(&col).copied().unwrap_or(DEFAULT_CHARS);
                    if old >= MAX_VALUE_CHARS {
                        return Err(SourceError::Data {
                            what: format!("{what}, column {name}"),
                            message: format!("a value is longer than {MAX_VALUE_CHARS} characters"),
                        });
                    }
                    let grown = needed.unwrap_or(0).max(old.saturating_mul(2));
                    widths.insert(col, grown.min(MAX_VALUE_CHARS));
                }
            }
        }
    }

    /// One execution on one pooled connection. A connection whose state is in doubt after
    /// a failure is closed rather than given back.
    fn attempt<T>(
        &self,
        what: &str,
        query: &Query,
        widths: &HashMap<usize, usize>,
        map: &mut impl FnMut(&Row) -> SourceResult<T>,
    ) -> Result<Vec<T>, Stop> {
        let mut pooled = self.pool.get()?;
        let conn = pooled.conn();
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            self.read(conn, what, query, widths, map)
        }));
        let outcome = match outcome {
            Ok(o) => o,
            Err(_) => Err(Stop::Failed(SourceError::Connect(format!(
                "the ODBC driver failed while closing the {what} query"
            )))),
        };
        match outcome {
            Err(Stop::Failed(e)) => {
                // A driver may report a lost connection with a state of its own (PostgreSQL:
                // 57P01 when the server ends the session): ask the connection itself.
                let dead = !matches!(conn.is_dead(), Ok(false));
                if dead || matches!(e, SourceError::Connect(_)) {
                    pooled.discard();
                }
                Err(Stop::Failed(match e {
                    SourceError::Query { message, .. } if dead => SourceError::Connect(format!(
                        "connection lost while running the {what} query: {message}"
                    )),
                    other => other,
                }))
            }
            other => other,
        }
    }

    fn read<T>(
        &self,
        conn: &Connection<'static>,
        what: &str,
        query: &Query,
        widths: &HashMap<usize, usize>,
        map: &mut impl FnMut(&Row) -> SourceResult<T>,
    ) -> Result<Vec<T>, Stop> {
        let err = |e: Error| Stop::Failed(query_error(what, &e, self.timeout_secs));
        let mut stmt = conn.preallocate().map_err(err)?;
        stmt.set_query_timeout_sec(self.timeout_secs).map_err(err)?;
        let params: Vec<Box<dyn InputParameter>> = query.params.iter().map(parameter).collect();
        let Some(mut cursor) = stmt.execute(&query.sql, params.as_slice()).map_err(err)? else {
            return Err(Stop::Failed(SourceError::query(
                what,
                "the statement returned no rows",
            )));
        };
        let (names, chars) = columns(&mut cursor, widths).map_err(err)?;
        fetch_all(cursor, (&names, &chars), what, map, err)
    }
}

/// Read every row of `cursor` and map it. Small results (most of them) get a small buffer;
/// the buffer grows while batches come back full, up to what [`BATCH_BYTES`] allows.
fn fetch_all<T>(
    mut cursor: CursorImpl<StatementRef<'_>>,
    (names, chars): (&[String], &[usize]),
    what: &str,
    map: &mut impl FnMut(&Row) -> SourceResult<T>,
    err: impl Fn(Error) -> Stop,
) -> Result<Vec<T>, Stop> {
    let max_rows = rows_for(chars);
    let mut rows = FIRST_BATCH_ROWS.min(max_rows);
    let mut out = Vec::new();
    loop {
        let mut block = cursor
            .bind_buffer(batch_buffer(chars, rows))
            .map_err(&err)?;
        let grow = rows < max_rows;
        let drained = drain(&mut block, names, what, grow, map, &mut out);
        // The cursor is never closed on its own (`SQLCloseCursor` fails on a lost
        // connection, and odbc-api panics then): freeing the statement handle at the
        // end of [`Runner::read`] discards it.
        let again = match block.unbind() {
            Ok((cursor, _)) => cursor,
            Err(e) => return Err(drained.err().map_or_else(|| err(e), |d| d.or_query(&err))),
        };
        match drained {
            Ok(false) => {}
            Ok(true) => {
                let _ = again.into_stmt();
                return Ok(out);
            }
            Err(e) => {
                let _ = again.into_stmt();
                return Err(e.or_query(&err));
            }
        }
        cursor = again;
        rows = rows.saturating_mul(GROWTH).min(max_rows);
    }
}

/// An error while draining: a [`Stop`], or an ODBC error still to be named.
enum DrainError {
    Stop(Stop),
    Odbc(Error),
}

impl DrainError {
    fn or_query(self, err: impl Fn(Error) -> Stop) -> Stop {
        match self {
            DrainError::Stop(s) => s,
            DrainError::Odbc(e) => err(e),
        }
    }
}

/// Fetch batches and map their rows into `out`. `Ok(true)` at the end of the result set;
/// `Ok(false)` after a full batch when `grow` asks to come back for a larger buffer.
fn drain<C: Cursor, T>(
    block: &mut BlockCursor<C, Batch>,
    names: &[String],
    what: &str,
    grow: bool,
    map: &mut impl FnMut(&Row) -> SourceResult<T>,
    out: &mut Vec<T>,
) -> Result<bool, DrainError> {
    loop {
        let Some(batch) = next_batch(block, names)? else {
            return Ok(true);
        };
        for index in 0..batch.num_rows() {
            let row = Row {
                batch,
                index,
                names,
                what,
            };
            out.push(map(&row).map_err(|e| DrainError::Stop(Stop::Failed(e)))?);
        }
        if grow && batch.num_rows() == batch.row_array_size() {
            return Ok(false);
        }
    }
}

/// The next batch, `None` at the end of the result set; a value cut to fit its buffer stops.
fn next_batch<'b, C: Cursor>(
    block: &'b mut BlockCursor<C, Batch>,
    names: &[String],
) -> Result<Option<&'b Batch>, DrainError> {
    // The driver flags a cut value with a warning; the indicators are checked too, so
    // that a driver forgetting the warning cannot slip a cut value through.
    let batch = match block.fetch_with_truncation_check(true) {
        Ok(batch) => batch,
        Err(Error::TooLargeValueForBuffer {
            indicator,
            buffer_index,
        }) => {
            let info = TruncationInfo {
                indicator,
                buffer_index,
            };
            return Err(DrainError::Stop(truncated(info, names)));
        }
        Err(e) => return Err(DrainError::Odbc(e)),
    };
    if let Some(info) = batch.and_then(|b| b.find_truncation()) {
        return Err(DrainError::Stop(truncated(info, names)));
    }
    Ok(batch)
}

/// The stop for a value cut to fit its buffer.
fn truncated(info: TruncationInfo, names: &[String]) -> Stop {
    Stop::Truncated {
        col: info.buffer_index,
        name: names.get(info.buffer_index).cloned().unwrap_or_default(),
        // The indicator counts bytes of UTF-16; one more unit for good measure.
        needed: info.indicator.map(|bytes| bytes.div_ceil(2) + 1),
    }
}

/// A bound parameter for a value.
fn parameter(p: &Param) -> Box<dyn InputParameter> {
    match p {
        Param::Text(s) => Box::new(VarWCharBox::from_str_slice(s)),
        Param::Int(n) => Box::new(*n),
    }
}

/// Column names and buffer widths (characters) of the cursor's columns: each as wide as the
/// driver says (at most [`FIRST_MAX_CHARS`]) or as `widths` asks after a truncation.
fn columns(
    cursor: &mut impl ResultSetMetadata,
    widths: &HashMap<usize, usize>,
) -> Result<(Vec<String>, Vec<usize>), Error> {
    let count = usize::try_from(cursor.num_result_cols()?).unwrap_or(0);
    let mut names = Vec::with_capacity(count);
    let mut chars = Vec::with_capacity(count);
    for i in 0..count {
        let number = u16::try_from(i + 1).unwrap_or(u16::MAX);
        names.push(cursor.col_name(number)?);
        let reported = cursor
            .col_display_size(number)?
            .map_or(DEFAULT_CHARS, |n| n.get().min(FIRST_MAX_CHARS));
        chars.push(widths.get(&i).copied().unwrap_or(reported).max(1));
    }
    Ok((names, chars))
}

/// Rows per batch for columns this wide: [`BATCH_ROWS`], fewer to stay near [`BATCH_BYTES`].
fn rows_for(chars: &[usize]) -> usize {
    let row_bytes: usize = chars.iter().map(|c| (c + 1) * 2 + 8).sum();
    (BATCH_BYTES / row_bytes.max(1)).clamp(1, BATCH_ROWS)
}

/// A buffer of `rows` rows for columns of these widths.
fn batch_buffer(chars: &[usize], rows: usize) -> Batch {
    let columns = chars
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let number = u16::try_from(i + 1).unwrap_or(u16::MAX);
            (number, WCharColumn::new(rows, c))
        })
        .collect();
    ColumnarBuffer::new(columns)
}
