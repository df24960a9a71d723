//! [`LineageSource`] for [`OdbcSource`]: the same answers as the embedded source, call for
//! call (`src/source/sqlite.rs` is the reference).
use super::rows::{chars, dataset_row, field_row, hit_row, lineage_row, namespace_row};
use super::{sql, OdbcSource};
use crate::model::{
    Dataset, DatasetPage, Ddl, Field, LineageHit, LineageRow, Namespace, Statistics, Timestamp,
};
use crate::source::{Direction, LineageSource, SourceResult};

impl LineageSource for OdbcSource {
    fn describe(&self) -> String {
        format!("odbc:{} ({})", self.shown, self.dbms)
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
            total: total.unwrap_or(0),
        })
    }

    fn search(&self, query_upper: &str, limit: u32) -> SourceResult<Vec<Dataset>> {
        // The database's UPPER differs from Go's outside ASCII: filter with Go's upper-casing
        // here, as the embedded source does.
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
            row_count: rows,
            size_bytes: size,
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
        let comments = self.rows("DBC ColumnsJQV", &q, |r| Ok((chars(r, 0)?, r.text(1)?)))?;
        let full = if info.is_view() {
            info.request_text.clone()
        } else {
            let q = self.stmts.show_table(db, table);
            self.rows("SHOW TABLE", &q, |r| r.text(0))?.concat()
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
        self.rows("active lineage", &q, |r| Ok(loader.row(&lineage_row(r)?)))
    }

    fn all_datasets(&self) -> SourceResult<Vec<Dataset>> {
        self.rows("all datasets", &self.stmts.all_datasets(), dataset_row)
    }

    fn changed_since(&self, since: Timestamp) -> SourceResult<Vec<String>> {
        let q = self.stmts.changed_since(since);
        let mut names = self.rows("changed since", &q, |r| r.text(0))?;
        names.sort();
        names.dedup();
        names.retain(|n| !n.is_empty());
        Ok(names)
    }
}
