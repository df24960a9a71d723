//! The embedded lineage source: a SQLite file (the demo warehouse or any file with the
//! same tables), read through `rusqlite`'s bundled SQLite with the statements of
//! [`super::sql`] in the SQLite dialect.
//!
//! `rusqlite::Connection` is `Send` but not `Sync`, so the source keeps a small pool of
//! read-only connections behind a mutex: a call takes one (or opens a new one), uses it
//! and puts it back; at most [`POOL_MAX`] idle connections are kept.
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rusqlite::{Connection, OpenFlags, Row};

use super::sql::{self, Dialect, Query, Statements, TableInfo};
use super::{Direction, LineageSource, SourceError, SourceResult};
use crate::model::{
    Dataset, DatasetPage, Ddl, Field, LineageHit, LineageRow, Namespace, Statistics, Timestamp,
};

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

/// A read-only SQLite lineage source.
pub struct SqliteSource {
    path: PathBuf,
    stmts: Statements,
    pool: Mutex<Vec<Connection>>,
}

impl SqliteSource {
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
        let source = SqliteSource {
            path: path.to_path_buf(),
            stmts: Statements::new(Dialect::Sqlite, None),
            pool: Mutex::new(Vec::new()),
        };
        let conn = source.connect()?;
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
        source.give_back(conn);
        Ok(source)
    }

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

    /// The first column of the first row, as a number (NULL or no row: `None`).
    fn scalar(&self, what: &str, query: &Query) -> SourceResult<Option<f64>> {
        let vals = self.rows(what, query, |r| {
            opt_num(r, 0).map_err(|e| SourceError::query(what, e))
        })?;
        Ok(vals.into_iter().next().flatten())
    }

    /// The dataset whose id, or else name, equals the value.
    fn resolve(&self, id_or_name: &str) -> SourceResult<Option<Dataset>> {
        let q = self.stmts.datasets_by_id_or_name(id_or_name);
        let found = self.rows("dataset by id or name", &q, dataset_row)?;
        let by_id = found.iter().position(|d| d.id == id_or_name);
        Ok(match by_id {
            Some(i) => found.into_iter().nth(i),
            None => found.into_iter().next(),
        })
    }

    /// The dataset, its database and table, and its DBC row.
    fn table_info(&self, id_or_name: &str) -> SourceResult<Option<TableInfo>> {
        let Some(ds) = self.resolve(id_or_name)? else {
            return Ok(None);
        };
        let Some((db, table)) = sql::split_name(&ds.name) else {
            return Ok(None);
        };
        let q = self.stmts.table_info(db, table);
        let infos = self.rows("DBC TablesV", &q, |r| {
            let e = |e| SourceError::query("DBC TablesV", e);
            Ok(TableInfo {
                dataset_id: ds.id.clone(),
                database: db.to_string(),
                table: table.to_string(),
                kind: sql::char_text(opt_text(r, 0).map_err(e)?.as_deref()),
                creator: sql::char_text(opt_text(r, 1).map_err(e)?.as_deref()),
                created: ts(r, 2, "DBC TablesV.CreateTimeStamp")?,
                altered: ts(r, 3, "DBC TablesV.LastAlterTimeStamp")?,
                comment: text(r, 4).map_err(e)?,
                request_text: text(r, 5).map_err(e)?,
            })
        })?;
        Ok(infos.into_iter().next())
    }
}

impl LineageSource for SqliteSource {
    fn describe(&self) -> String {
        format!("sqlite:{}", self.path.display())
    }

    fn namespaces(&self) -> SourceResult<Vec<Namespace>> {
        self.rows("namespaces", &self.stmts.namespaces(), namespace_row)
    }

    fn namespace(&self, id: &str) -> SourceResult<Option<Namespace>> {
        let found = self.rows("namespace", &self.stmts.namespace(id), namespace_row)?;
        Ok(found.into_iter().next())
    }

    fn dataset(&self, id_or_name: &str) -> SourceResult<Option<Dataset>> {
        self.resolve(id_or_name)
    }

    fn dataset_page(
        &self,
        namespace_id: &str,
        limit: u32,
        offset: u64,
    ) -> SourceResult<DatasetPage> {
        let q = self.stmts.dataset_page(namespace_id, limit, offset);
        let datasets = self.rows("dataset page", &q, dataset_row)?;
        let total = self.scalar("dataset count", &self.stmts.dataset_count(namespace_id))?;
        Ok(DatasetPage {
            datasets,
            total: total.unwrap_or(0.0) as i64,
        })
    }

    fn search(&self, query_upper: &str, limit: u32) -> SourceResult<Vec<Dataset>> {
        // SQLite's UPPER is ASCII-only: filter with Go's upper-casing here.
        let all = self.rows("search", &self.stmts.active_datasets(), dataset_row)?;
        Ok(all
            .into_iter()
            .filter(|d| crate::gostr::to_upper(&d.name).contains(query_upper))
            .take(limit as usize)
            .collect())
    }

    fn fields(&self, dataset_id: &str) -> SourceResult<Vec<Field>> {
        self.rows("fields", &self.stmts.fields(dataset_id), field_row)
    }

    fn all_fields(&self) -> SourceResult<Vec<Field>> {
        self.rows("all fields", &self.stmts.all_fields(), field_row)
    }

    fn all_field_names(&self) -> SourceResult<Vec<(String, String)>> {
        let q = self.stmts.all_field_names();
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

    fn statistics(&self, id_or_name: &str) -> SourceResult<Option<Statistics>> {
        let Some(info) = self.table_info(id_or_name)? else {
            return Ok(None);
        };
        let (db, table) = (&info.database, &info.table);
        let rows = self.scalar("DBC TableStatsV", &self.stmts.row_count(db, table))?;
        let size = self.scalar("DBC TableSizeV", &self.stmts.size_bytes(db, table))?;
        Ok(Some(Statistics {
            source_type: sql::source_type(&info.kind).to_string(),
            creator_name: info.creator,
            create_timestamp: info.created,
            last_alter_timestamp: info.altered,
            row_count: rows.map(|n| n.round() as i64),
            size_bytes: size.map(|n| n.round() as i64),
            table_comment: info.comment,
            dataset_id: info.dataset_id,
            database_name: info.database,
            table_name: info.table,
        }))
    }

    fn ddl(&self, id_or_name: &str) -> SourceResult<Option<Ddl>> {
        let Some(info) = self.table_info(id_or_name)? else {
            return Ok(None);
        };
        let (db, table) = (&info.database, &info.table);
        let q = self.stmts.column_comments(db, table);
        let comments = self.rows("DBC ColumnsJQV", &q, |r| {
            let e = |e| SourceError::query("DBC ColumnsJQV", e);
            Ok((
                sql::char_text(opt_text(r, 0).map_err(e)?.as_deref()),
                text(r, 1).map_err(e)?,
            ))
        })?;
        let full = if info.is_view() {
            info.request_text.clone()
        } else {
            let q = self.stmts.show_table(db, table);
            let parts = self.rows("SHOW TABLE", &q, |r| {
                text(r, 0).map_err(|e| SourceError::query("SHOW TABLE", e))
            })?;
            parts.concat()
        };
        Ok(Some(info.into_ddl(full, comments)))
    }

    fn lineage(
        &self,
        dataset: &str,
        field: &str,
        direction: Direction,
        max_depth: u32,
    ) -> SourceResult<Vec<LineageHit>> {
        let name = match self.resolve(dataset)? {
            Some(ds) => ds.name,
            None => dataset.to_string(),
        };
        let mut parts = Vec::new();
        for q in self.stmts.lineage(&name, field, direction, max_depth) {
            parts.push(self.rows("recursive lineage", &q, hit_row)?);
        }
        Ok(sql::merge_hits(parts))
    }

    fn active_lineage(&self) -> SourceResult<Vec<LineageRow>> {
        self.rows("active lineage", &self.stmts.active_lineage(), lineage_row)
    }

    fn active_lineage_interned(
        &self,
        loader: &mut crate::source::engine::Loader,
    ) -> SourceResult<Vec<crate::source::engine::LoadedRow>> {
        let q = self.stmts.active_lineage_unordered();
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
                let read = (|| {
                    let mut chunk = rows::RawRows::default();
                    while let Some(row) = rows.next()? {
                        chunk.push(row)?;
                        if chunk.len() == rows::RawRows::CHUNK
                            && tx.send(std::mem::take(&mut chunk)).is_err()
                        {
                            return Ok(());
                        }
                    }
                    let _ = tx.send(chunk);
                    Ok(())
                })();
                drop(tx);
                let out = interning
                    .join()
                    .map_err(|_| SourceError::query(what, "the interning thread panicked"))?;
                read.map_err(err)?;
                Ok(out)
            })
        })
    }

    fn all_datasets(&self) -> SourceResult<Vec<Dataset>> {
        self.rows("all datasets", &self.stmts.all_datasets(), dataset_row)
    }

    fn changed_since(&self, since: Timestamp) -> SourceResult<Vec<String>> {
        let q = self.stmts.changed_since(since);
        let mut names = self.rows("changed since", &q, |r| {
            text(r, 0).map_err(|e| SourceError::query("changed since", e))
        })?;
        names.sort();
        names.dedup();
        names.retain(|n| !n.is_empty());
        Ok(names)
    }
}

#[cfg(test)]
mod tests;
