//! [`Driver`] for ODBC: every cell is fetched as text and decoded by [`super::rows`],
//! exactly as the embedded driver decodes its rows (`src/source/sqlite/mod.rs`).
use super::rows::{
    chars, dataset_row, field_row, hit_row, lineage_row, namespace_row, opt_int, ts,
};
use super::OdbcDriver;
use crate::model::{Dataset, Field, LineageHit, LineageRow, Namespace};
use crate::source::engine::{LoadedRow, Loader};
use crate::source::sql::{Driver, Query, Statements, TableInfo};
use crate::source::SourceResult;

impl Driver for OdbcDriver {
    fn describe(&self) -> String {
        format!("odbc:{} ({})", self.shown, self.dbms)
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
        self.rows(what, q, |r| r.text(0))
    }

    fn char_text_pairs(&self, what: &str, q: &Query) -> SourceResult<Vec<(String, String)>> {
        self.rows(what, q, |r| Ok((chars(r, 0)?, r.text(1)?)))
    }

    fn whole_number(&self, what: &str, q: &Query) -> SourceResult<Option<i64>> {
        let vals = self.rows(what, q, |r| opt_int(r, 0))?;
        Ok(vals.into_iter().next().flatten())
    }

    fn table_info(
        &self,
        q: &Query,
        dataset_id: &str,
        (database, table): (&str, &str),
        overflow: bool,
    ) -> SourceResult<Vec<TableInfo>> {
        self.rows("DBC TablesV", q, |r| {
            Ok(TableInfo {
                dataset_id: dataset_id.to_string(),
                database: database.to_string(),
                table: table.to_string(),
                kind: chars(r, 0)?,
                creator: chars(r, 1)?,
                created: ts(r, 2, "DBC TablesV.CreateTimeStamp")?,
                altered: ts(r, 3, "DBC TablesV.LastAlterTimeStamp")?,
                comment: r.text(4)?,
                request_text: r.text(5)?,
                overflow: match overflow {
                    true => Some(chars(r, 6)?),
                    false => None,
                },
            })
        })
    }

    fn field_names(&self, stmts: &Statements) -> SourceResult<Vec<(String, String)>> {
        let fields = self.fields("all fields", &stmts.all_fields())?;
        Ok(fields.into_iter().map(|f| (f.dataset_id, f.name)).collect())
    }

    fn interned_lineage(&self, q: &Query, loader: &mut Loader) -> SourceResult<Vec<LoadedRow>> {
        self.rows("active lineage", q, |r| Ok(loader.row(&lineage_row(r)?)))
    }
}
