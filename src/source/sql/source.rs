//! One SQL lineage source over a small driver trait. [`SqlSource`] holds everything the
//! SQLite and ODBC sources share: the statements in the connection's dialect, resolving a
//! dataset by id or name, assembling statistics and DDL, merging the recursive lineage's
//! parts. A [`Driver`] only runs one statement and decodes its rows into the model's types.
use std::sync::atomic::{AtomicBool, Ordering};

use super::{merge_hits, source_type, split_name, Query, Statements, TableInfo};
use crate::model::{
    Dataset, DatasetPage, Ddl, Direction, Field, LineageHit, LineageRow, Namespace, Statistics,
    Timestamp,
};
use crate::source::engine::{LoadedRow, Loader};
use crate::source::{End, LineageSource, SourceError, SourceResult};

/// Values per `IN (...)` list: few statements, and well inside every database's limit on
/// parameters (Teradata takes 2,048 per request).
const IN_LIST: usize = 200;

/// What one kind of connection provides: run a statement, decode each row. `what` names the
/// statement in errors. Every decoding rule (NULL, `CHAR` padding, numbers, timestamps) is
/// the driver's; nothing else is.
pub trait Driver: Send + Sync {
    /// The source as shown to people (no secrets).
    fn describe(&self) -> String;
    fn namespaces(&self, what: &str, q: &Query) -> SourceResult<Vec<Namespace>>;
    fn datasets(&self, what: &str, q: &Query) -> SourceResult<Vec<Dataset>>;
    fn fields(&self, what: &str, q: &Query) -> SourceResult<Vec<Field>>;
    fn lineage_rows(&self, what: &str, q: &Query) -> SourceResult<Vec<LineageRow>>;
    /// Lineage rows with their depth in column 10.
    fn hits(&self, what: &str, q: &Query) -> SourceResult<Vec<LineageHit>>;
    /// The first column of every row as text (NULL as `""`).
    fn texts(&self, what: &str, q: &Query) -> SourceResult<Vec<String>>;
    /// (column 0 as `CHAR` without its trailing blanks, column 1 as text) of every row.
    fn char_text_pairs(&self, what: &str, q: &Query) -> SourceResult<Vec<(String, String)>>;
    /// The first column of the first row as a whole number (NULL or no row: `None`).
    fn whole_number(&self, what: &str, q: &Query) -> SourceResult<Option<i64>>;
    /// The `DBC.TablesV` rows of one table, for the dataset `dataset_id`; with `overflow`,
    /// the statement also reads [`super::OVERFLOW_COLUMN`] (column 6). `at` is (database, table).
    fn table_info(
        &self,
        q: &Query,
        dataset_id: &str,
        at: (&str, &str),
        overflow: bool,
    ) -> SourceResult<Vec<TableInfo>>;
    /// (dataset id, field name) of every field, each dataset's in `fields` order.
    fn field_names(&self, stmts: &Statements) -> SourceResult<Vec<(String, String)>>;
    /// The active lineage rows, each interned by `loader` as it is read.
    fn interned_lineage(&self, q: &Query, loader: &mut Loader) -> SourceResult<Vec<LoadedRow>>;
}

/// A lineage source: the statements of one dialect, run by one driver.
pub struct SqlSource<D> {
    pub(crate) driver: D,
    pub(crate) stmts: Statements,
    /// Set once a DDL read found that the dictionary has no `RequestTxtOverFlow`.
    no_overflow_column: AtomicBool,
}

impl<D: Driver> SqlSource<D> {
    pub(crate) fn new(driver: D, stmts: Statements) -> Self {
        SqlSource {
            driver,
            stmts,
            no_overflow_column: AtomicBool::new(false),
        }
    }

    /// The dialect of the statements.
    pub fn dialect(&self) -> super::Dialect {
        self.stmts.dialect()
    }

    /// The dataset whose id, or else name, equals the value.
    fn resolve(&self, id_or_name: &str) -> SourceResult<Option<Dataset>> {
        let q = self.stmts.datasets_by_id_or_name(id_or_name);
        let found = self.driver.datasets("dataset by id or name", &q)?;
        let by_id = found.iter().position(|d| d.id == id_or_name);
        Ok(match by_id {
            Some(i) => found.into_iter().nth(i),
            None => found.into_iter().next(),
        })
    }

    /// The dataset resolved by id or name, split into its database and table.
    fn located(&self, id_or_name: &str) -> SourceResult<Option<(Dataset, String, String)>> {
        let Some(ds) = self.resolve(id_or_name)? else {
            return Ok(None);
        };
        let Some((db, table)) = split_name(&ds.name).map(|(d, t)| (d.to_string(), t.to_string()))
        else {
            return Ok(None);
        };
        Ok(Some((ds, db, table)))
    }

    /// The DBC row of a dataset's table or view; for DDL with `RequestTxtOverFlow` where the
    /// dictionary has it. As the API does, a failing read with the column is tried again
    /// without it; once that worked, the source stops asking for the column.
    fn table_info(&self, id_or_name: &str, for_ddl: bool) -> SourceResult<Option<TableInfo>> {
        let Some((ds, db, table)) = self.located(id_or_name)? else {
            return Ok(None);
        };
        let at = (db.as_str(), table.as_str());
        let d = &self.driver;
        let infos = if for_ddl && !self.no_overflow_column.load(Ordering::Relaxed) {
            match d.table_info(&self.stmts.ddl_info(&db, &table), &ds.id, at, true) {
                Err(SourceError::Query { .. }) => {
                    let found =
                        d.table_info(&self.stmts.table_info(&db, &table), &ds.id, at, false)?;
                    self.no_overflow_column.store(true, Ordering::Relaxed);
                    found
                }
                other => other?,
            }
        } else {
            d.table_info(&self.stmts.table_info(&db, &table), &ds.id, at, false)?
        };
        Ok(infos.into_iter().next())
    }

    /// The row count as the API reads it: the largest in `DBC.TableStatsV`, else `COUNT(*)`
    /// of the table or view itself, whose failure (no such object, no right to read it) the
    /// API ignores, leaving the count out.
    fn row_count(&self, db: &str, table: &str) -> SourceResult<Option<i64>> {
        let d = &self.driver;
        if let Some(n) = d.whole_number("DBC TableStatsV", &self.stmts.row_count(db, table))? {
            return Ok(Some(n));
        }
        match d.whole_number("COUNT(*) of the table", &self.stmts.count_rows(db, table)) {
            Err(SourceError::Query { what, message }) => {
                tracing::debug!("{what}: {message}: the row count is left out, as the API does");
                Ok(None)
            }
            other => other,
        }
    }
}

impl<D: Driver> LineageSource for SqlSource<D> {
    fn describe(&self) -> String {
        self.driver.describe()
    }

    fn namespaces(&self) -> SourceResult<Vec<Namespace>> {
        self.driver
            .namespaces("namespaces", &self.stmts.namespaces())
    }

    fn namespace(&self, id: &str) -> SourceResult<Option<Namespace>> {
        let found = self
            .driver
            .namespaces("namespace", &self.stmts.namespace(id))?;
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
        let datasets = self.driver.datasets("dataset page", &q)?;
        let count = self.stmts.dataset_count(namespace_id);
        let total = self.driver.whole_number("dataset count", &count)?;
        Ok(DatasetPage {
            datasets,
            total: total.unwrap_or(0),
        })
    }

    fn search(&self, query_upper: &str, limit: u32) -> SourceResult<Vec<Dataset>> {
        // The database's UPPER differs from Go's outside ASCII (SQLite's is ASCII-only):
        // filter with Go's upper-casing here.
        let all = self
            .driver
            .datasets("search", &self.stmts.active_datasets())?;
        Ok(all
            .into_iter()
            .filter(|d| crate::keys::search::to_upper(&d.name).contains(query_upper))
            .take(limit as usize)
            .collect())
    }

    fn fields(&self, dataset_id: &str) -> SourceResult<Vec<Field>> {
        self.driver.fields("fields", &self.stmts.fields(dataset_id))
    }

    fn all_fields(&self) -> SourceResult<Vec<Field>> {
        self.driver.fields("all fields", &self.stmts.all_fields())
    }

    fn all_field_names(&self) -> SourceResult<Vec<(String, String)>> {
        self.driver.field_names(&self.stmts)
    }

    fn statistics(&self, id_or_name: &str) -> SourceResult<Option<Statistics>> {
        let Some(info) = self.table_info(id_or_name, false)? else {
            return Ok(None);
        };
        let (db, table) = (&info.database, &info.table);
        let rows = self.row_count(db, table)?;
        // The API reads the size of tables only.
        let size = match info.is_view() {
            true => None,
            false => self
                .driver
                .whole_number("DBC TableSizeV", &self.stmts.size_bytes(db, table))?,
        };
        Ok(Some(Statistics {
            source_type: source_type(&info.kind).to_string(),
            creator_name: info.creator,
            create_timestamp: info.created,
            last_alter_timestamp: info.altered,
            row_count: rows,
            size_bytes: size,
            table_comment: info.comment,
            dataset_id: info.dataset_id,
            database_name: info.database,
            table_name: info.table,
        }))
    }

    fn ddl(&self, id_or_name: &str) -> SourceResult<Option<Ddl>> {
        let Some(info) = self.table_info(id_or_name, true)? else {
            return Ok(None);
        };
        let (db, table) = (&info.database, &info.table);
        let q = self.stmts.column_comments(db, table);
        let comments = self.driver.char_text_pairs("DBC ColumnsJQV", &q)?;
        let show_rows = match info.is_view() {
            true => Vec::new(),
            false => self
                .driver
                .texts("SHOW TABLE", &self.stmts.show_table(db, table))?,
        };
        Ok(Some(info.into_ddl(show_rows, comments)))
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
            parts.push(self.driver.hits("recursive lineage", &q)?);
        }
        Ok(merge_hits(parts))
    }

    fn active_lineage(&self) -> SourceResult<Vec<LineageRow>> {
        let q = self.stmts.active_lineage();
        self.driver.lineage_rows("active lineage", &q)
    }

    fn active_lineage_interned(&self, loader: &mut Loader) -> SourceResult<Vec<LoadedRow>> {
        let q = self.stmts.active_lineage_unordered();
        self.driver.interned_lineage(&q, loader)
    }

    fn lineage_rows_at(&self, end: End, datasets: &[String]) -> SourceResult<Vec<LineageRow>> {
        let mut rows = Vec::new();
        for chunk in datasets.chunks(IN_LIST) {
            let q = self.stmts.lineage_rows_at(end, chunk);
            rows.extend(self.driver.lineage_rows("lineage rows at datasets", &q)?);
        }
        Ok(rows)
    }

    fn datasets_named(&self, names: &[String]) -> SourceResult<Vec<Dataset>> {
        let mut found = Vec::new();
        for chunk in names.chunks(IN_LIST) {
            let q = self.stmts.datasets_named(chunk);
            found.extend(self.driver.datasets("datasets by name", &q)?);
        }
        Ok(found)
    }

    fn all_datasets(&self) -> SourceResult<Vec<Dataset>> {
        self.driver
            .datasets("all datasets", &self.stmts.all_datasets())
    }

    fn changed_since(&self, since: Timestamp) -> SourceResult<Vec<String>> {
        let q = self.stmts.changed_since(since);
        let mut names = self.driver.texts("changed since", &q)?;
        names.sort();
        names.dedup();
        names.retain(|n| !n.is_empty());
        Ok(names)
    }
}
