//! The embedded lineage source: a SQLite file (the demo warehouse or any file with the
//! same tables), read through `rusqlite`'s bundled SQLite: the shared SQL source
//! ([`super::sql::SqlSource`]) in the SQLite dialect over the driver here.
//!
//! `rusqlite::Connection` is `Send` but not `Sync`, so the source keeps a small pool of
//! read-only connections behind a mutex: a call takes one (or opens a new one), uses it
//! and puts it back; at most [`POOL_MAX`] idle connections are kept.
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rusqlite::{Connection, OpenFlags, Row};

use super::engine::{LoadedRow, Loader};
use super::sql::{self, Dialect, Driver, Query, SqlSource, Statements, TableInfo};
use super::{SourceError, SourceResult};
use crate::model::{Dataset, Field, LineageHit, LineageRow, Namespace};

mod rows;
use rows::{
    dataset_row, field_row, hit_row, lineage_row, namespace_row, opt_num, opt_text, text, ts,
};

/// Idle connections kept for reuse.
pub const POOL_MAX: usize = 8;
/// The tables a lineage database must have.
pub const REQUIRED_TABLES: [&str; 4] = [
    "OL_NAMESPACE",
    "OL_DATASET",
    "OL_DATASET_FIELD",
    "OL_COLUMN_LINEAGE",
];

/// The embedded lineage source: the shared SQL source over [`SqliteDriver`].
pub type SqliteSource = SqlSource<SqliteDriver>;

/// Runs statements on a pool of read-only connections to one SQLite file.
pub struct SqliteDriver {
    path: PathBuf,
    pool: Mutex<Vec<Connection>>,
}

impl SqlSource<SqliteDriver> {
    /// Open a lineage database read-only. A missing file or a missing `OL_*` table is an
    /// error naming what is missing.
    pub fn open(path: &Path) -> SourceResult<SqliteSource> {
        if !path.is_file() {
            return Err(SourceError::Spec(format!(
                "no SQLite lineage database at {} (create one with `lineage-cache demo create {}`)",
                path.display(),
                path.display()
            )));
        }
        let driver = SqliteDriver {
            path: path.to_path_buf(),
            pool: Mutex::new(Vec::new()),
        };
        let conn = driver.connect()?;
        check_tables(&conn, path)?;
        driver.give_back(conn);
        Ok(SqlSource::new(
            driver,
            Statements::new(Dialect::Sqlite, None),
        ))
    }
}

/// Every `OL_*` table the source reads is in the database (a table or a view).
fn check_tables(conn: &Connection, path: &Path) -> SourceResult<()> {
    let mut missing = Vec::new();
    for table in REQUIRED_TABLES {
        let found: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?",
                [table],
                |r| r.get(0),
            )
            .map_err(|e| SourceError::query(format!("read {}", path.display()), e))?;
        if found == 0 {
            missing.push(table);
        }
    }
    if !missing.is_empty() {
        return Err(SourceError::Query {
            what: format!("open {}", path.display()),
            message: format!(
                "not a lineage database: missing table {}",
                missing.join(", ")
            ),
        });
    }
    Ok(())
}

impl SqliteDriver {
    fn connect(&self) -> SourceResult<Connection> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(&self.path, flags).map_err(|e| {
            SourceError::Connect(format!("cannot open {}: {e}", self.path.display()))
        })?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(|e| SourceError::Connect(format!("{}: {e}", self.path.display())))?;
        Ok(conn)
    }

    fn give_back(&self, conn: Connection) {
        if let Ok(mut pool) = self.pool.lock() {
            if pool.len() < POOL_MAX {
                pool.push(conn);
            }
        }
    }

    /// Run `f` with a pooled connection.
    fn with_conn<T>(&self, f: impl FnOnce(&Connection) -> SourceResult<T>) -> SourceResult<T> {
        let pooled = self.pool.lock().ok().and_then(|mut p| p.pop());
        let conn = match pooled {
            Some(c) => c,
            None => self.connect()?,
        };
        let out = f(&conn);
        self.give_back(conn);
        out
    }

    /// Run a query and map every row.
    fn rows<T>(
        &self,
        what: &str,
        query: &Query,
        mut map: impl FnMut(&Row) -> SourceResult<T>,
    ) -> SourceResult<Vec<T>> {
        self.with_conn(|conn| {
            let err = |e| SourceError::query(what, e);
            let mut stmt = conn.prepare_cached(&query.sql).map_err(err)?;
            let params = rusqlite::params_from_iter(query.params.iter());
            let mut rows = stmt.query(params).map_err(err)?;
            let mut out = Vec::new();
            while let Some(row) = rows.next().map_err(err)? {
                out.push(map(row)?);
            }
            Ok(out)
        })
    }
}

impl Driver for SqliteDriver {
    fn describe(&self) -> String {
        format!("sqlite:{}", self.path.display())
    }

    fn namespaces(&self, what: &str, q: &Query) -> SourceResult<Vec<Namespace>> {
        self.rows(what, q, namespace_row)
    }

    fn datasets(&self, what: &str, q: &Query) -> SourceResult<Vec<Dataset>> {
        self.rows(what, q, dataset_row)
    }

    fn fields(&self, what: &str, q: &Query) -> SourceResult<Vec<Field>> {
        self.rows(what, q, field_row)
    }

    fn lineage_rows(&self, what: &str, q: &Query) -> SourceResult<Vec<LineageRow>> {
        self.rows(what, q, lineage_row)
    }

    fn hits(&self, what: &str, q: &Query) -> SourceResult<Vec<LineageHit>> {
        self.rows(what, q, hit_row)
    }

    fn texts(&self, what: &str, q: &Query) -> SourceResult<Vec<String>> {
        self.rows(what, q, |r| {
            text(r, 0).map_err(|e| SourceError::query(what, e))
        })
    }

    fn char_text_pairs(&self, what: &str, q: &Query) -> SourceResult<Vec<(String, String)>> {
        self.rows(what, q, |r| {
            let e = |e| SourceError::query(what, e);
            Ok((
                sql::char_text(opt_text(r, 0).map_err(e)?.as_deref()),
                text(r, 1).map_err(e)?,
            ))
        })
    }

    fn whole_number(&self, what: &str, q: &Query) -> SourceResult<Option<i64>> {
        let vals = self.rows(what, q, |r| {
            opt_num(r, 0).map_err(|e| SourceError::query(what, e))
        })?;
        Ok(vals.into_iter().next().flatten().map(|n| n.round() as i64))
    }

    fn table_info(
        &self,
        q: &Query,
        dataset_id: &str,
        (database, table): (&str, &str),
        overflow: bool,
    ) -> SourceResult<Vec<TableInfo>> {
        self.rows("DBC TablesV", q, |r| {
            let e = |e| SourceError::query("DBC TablesV", e);
            Ok(TableInfo {
                dataset_id: dataset_id.to_string(),
                database: database.to_string(),
                table: table.to_string(),
                kind: sql::char_text(opt_text(r, 0).map_err(e)?.as_deref()),
                creator: sql::char_text(opt_text(r, 1).map_err(e)?.as_deref()),
                created: ts(r, 2, "DBC TablesV.CreateTimeStamp")?,
                altered: ts(r, 3, "DBC TablesV.LastAlterTimeStamp")?,
                comment: text(r, 4).map_err(e)?,
                request_text: text(r, 5).map_err(e)?,
                overflow: match overflow {
                    true => Some(sql::char_text(opt_text(r, 6).map_err(e)?.as_deref())),
                    false => None,
                },
            })
        })
    }

    fn field_names(&self, stmts: &Statements) -> SourceResult<Vec<(String, String)>> {
        let q = stmts.all_field_names();
        let mut all = self.rows("all field names", &q, |r| {
            let e = |e| SourceError::query("field row", e);
            let position = opt_num(r, 2).map_err(e)?;
            Ok((text(r, 0).map_err(e)?, position, text(r, 1).map_err(e)?))
        })?;
        // As `fields` orders them: by position (NULL first, as SQLite does), then name.
        all.sort_unstable_by(|a, b| {
            a.0.cmp(&b.0)
                .then_with(|| a.1.partial_cmp(&b.1).unwrap_or(std::cmp::Ordering::Equal))
                .then_with(|| a.2.cmp(&b.2))
        });
        Ok(all.into_iter().map(|(d, _, f)| (d, f)).collect())
    }

    fn interned_lineage(&self, q: &Query, loader: &mut Loader) -> SourceResult<Vec<LoadedRow>> {
        let what = "active lineage";
        let err = |e| SourceError::query(what, e);
        self.with_conn(|conn| {
            let mut stmt = conn.prepare_cached(&q.sql).map_err(err)?;
            let mut rows = stmt
                .query(rusqlite::params_from_iter(q.params.iter()))
                .map_err(err)?;
            // The bulk load is on the critical path of a warm: one thread steps SQLite
            // while another interns what it read (each about half the work).
            std::thread::scope(|s| {
                let (tx, rx) = std::sync::mpsc::sync_channel::<rows::RawRows>(4);
                let interning = s.spawn(move || {
                    let mut out = Vec::new();
                    for chunk in rx {
                        chunk.intern_into(loader, &mut out);
                    }
                    out
                });
                let read = send_chunks(&mut rows, &tx);
                drop(tx);
                let out = interning
                    .join()
                    .map_err(|_| SourceError::query(what, "the interning thread panicked"))?;
                read.map_err(err)?;
                Ok(out)
            })
        })
    }
}

/// Read the rows in chunks and send each to the interning thread (which may have stopped:
/// then stop reading).
fn send_chunks(
    rows: &mut rusqlite::Rows<'_>,
    tx: &std::sync::mpsc::SyncSender<rows::RawRows>,
) -> rusqlite::Result<()> {
    let mut chunk = rows::RawRows::default();
    while let Some(row) = rows.next()? {
        chunk.push(row)?;
        if chunk.len() == rows::RawRows::CHUNK && tx.send(std::mem::take(&mut chunk)).is_err() {
            return Ok(());
        }
    }
    let _ = tx.send(chunk);
    Ok(())
}

#[cfg(test)]
mod tests;
