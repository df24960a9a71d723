//! The statements of one dialect: the SQL text of every query, with its parameters.
use super::{
    contains_pattern, quote_ident, Dialect, Param, Query, DATASET_COLUMNS, FIELD_COLUMNS,
    LINEAGE_COLUMNS, NAMESPACE_COLUMNS, OVERFLOW_COLUMN, TABLE_INFO_COLUMNS,
};
use crate::model::Timestamp;
use crate::source::End;

/// The statements of one dialect, reading the `OL_*` tables of one database (or schema).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statements {
    dialect: Dialect,
    qualifier: String,
}

pub(super) fn q(sql: String, params: Vec<Param>) -> Query {
    Query { sql, params }
}

pub(super) fn text(s: &str) -> Param {
    Param::Text(s.to_string())
}

pub(super) fn int<T: TryInto<i64>>(n: T) -> Param {
    Param::Int(n.try_into().unwrap_or(i64::MAX))
}

impl Statements {
    /// Statements for `dialect`, with the `OL_*` tables in `database` (`None`: unqualified,
    /// as in the embedded SQLite file). The DBC views are `DBC.*` on Teradata and the
    /// `DBC_*` stand-in tables next to the `OL_*` tables elsewhere.
    pub fn new(dialect: Dialect, database: Option<&str>) -> Self {
        let qualifier = database
            .map(|d| format!("{}.", quote_ident(d)))
            .unwrap_or_default();
        Statements { dialect, qualifier }
    }

    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// A table of the lineage database, qualified.
    pub(super) fn t(&self, table: &str) -> String {
        format!("{}{}", self.qualifier, table)
    }

    /// A DBC view (Teradata) or its stand-in table.
    fn dbc(&self, view: &str) -> String {
        match self.dialect {
            Dialect::Teradata => format!("DBC.{view}"),
            _ => self.t(&format!("DBC_{view}")),
        }
    }

    /// `LOCKING ROW FOR ACCESS` on Teradata reads, nothing elsewhere.
    pub(super) fn lock(&self) -> &'static str {
        match self.dialect {
            Dialect::Teradata => "LOCKING ROW FOR ACCESS\n",
            _ => "",
        }
    }

    /// The collation giving byte order (Postgres needs it; SQLite's BINARY is byte order).
    pub(super) fn bytes(&self) -> &'static str {
        match self.dialect {
            Dialect::Postgres => " COLLATE \"C\"",
            _ => "",
        }
    }

    /// A timestamp parameter marker.
    fn ts_marker(&self) -> &'static str {
        match self.dialect {
            Dialect::Sqlite => "?",
            _ => "CAST(? AS TIMESTAMP(6))",
        }
    }

    /// `SELECT … ORDER BY order` with at most `limit` rows after skipping `offset`.
    fn paged(&self, select: String, order: &str, limit: u32, offset: u64) -> (String, Vec<Param>) {
        match self.dialect {
            Dialect::Teradata => {
                let rn = format!("ROW_NUMBER() OVER (ORDER BY {order})");
                let sql = format!("{select}\nQUALIFY {rn} > ? AND {rn} <= ?\nORDER BY {order}");
                let end = offset.saturating_add(u64::from(limit));
                (sql, vec![int(offset), int(end)])
            }
            _ => {
                let sql = format!("{select}\nORDER BY {order}\nLIMIT ? OFFSET ?");
                (sql, vec![int(limit), int(offset)])
            }
        }
    }

    /// All namespaces, newest `created_at` first (ties by id).
    pub fn namespaces(&self) -> Query {
        let nulls = if self.dialect == Dialect::Postgres {
            " NULLS LAST"
        } else {
            ""
        };
        let sql = format!(
            "{}SELECT {NAMESPACE_COLUMNS}\nFROM {}\nORDER BY created_at DESC{nulls}, namespace_id{}",
            self.lock(),
            self.t("OL_NAMESPACE"),
            self.bytes()
        );
        q(sql, vec![])
    }

    /// One namespace by id.
    pub fn namespace(&self, id: &str) -> Query {
        let sql = format!(
            "{}SELECT {NAMESPACE_COLUMNS}\nFROM {}\nWHERE namespace_id = ?",
            self.lock(),
            self.t("OL_NAMESPACE")
        );
        q(sql, vec![text(id)])
    }

    /// Datasets whose `dataset_id` or `name` equals the value, by `dataset_id` (the caller
    /// prefers the row whose id matches).
    pub fn datasets_by_id_or_name(&self, id_or_name: &str) -> Query {
        let sql = format!(
            "{}SELECT {DATASET_COLUMNS}\nFROM {}\nWHERE dataset_id = ? OR name = ?\nORDER BY dataset_id{}",
            self.lock(),
            self.t("OL_DATASET"),
            self.bytes()
        );
        q(sql, vec![text(id_or_name), text(id_or_name)])
    }

    /// One page of a namespace's active datasets, by name.
    pub fn dataset_page(&self, namespace_id: &str, limit: u32, offset: u64) -> Query {
        let select = format!(
            "{}SELECT {DATASET_COLUMNS}\nFROM {}\nWHERE namespace_id = ? AND is_active = 'Y'",
            self.lock(),
            self.t("OL_DATASET")
        );
        let order = format!("name{0}, dataset_id{0}", self.bytes());
        let (sql, mut params) = self.paged(select, &order, limit, offset);
        params.insert(0, text(namespace_id));
        q(sql, params)
    }

    /// The number of active datasets of a namespace (one row, one column).
    pub fn dataset_count(&self, namespace_id: &str) -> Query {
        let sql = format!(
            "{}SELECT COUNT(*)\nFROM {}\nWHERE namespace_id = ? AND is_active = 'Y'",
            self.lock(),
            self.t("OL_DATASET")
        );
        q(sql, vec![text(namespace_id)])
    }

    /// Server-side search: active datasets whose `UPPER(name)` contains `query_upper`, by
    /// name, first `limit`. The database's `UPPER` may differ from Go's outside ASCII; a
    /// source wanting Go's exact semantics reads [`Self::active_datasets`] and filters.
    pub fn search(&self, query_upper: &str, limit: u32) -> Query {
        let select = format!(
            "{}SELECT {DATASET_COLUMNS}\nFROM {}\nWHERE is_active = 'Y' AND UPPER(name) LIKE ? ESCAPE '\\'",
            self.lock(),
            self.t("OL_DATASET")
        );
        let order = format!("name{0}, dataset_id{0}", self.bytes());
        let (sql, mut params) = self.paged(select, &order, limit, 0);
        params.insert(0, Param::Text(contains_pattern(query_upper)));
        q(sql, params)
    }

    /// Every active dataset, by name (for a search filtered by the caller).
    pub fn active_datasets(&self) -> Query {
        let sql = format!(
            "{}SELECT {DATASET_COLUMNS}\nFROM {}\nWHERE is_active = 'Y'\nORDER BY name{2}, dataset_id{2}",
            self.lock(),
            self.t("OL_DATASET"),
            self.bytes()
        );
        q(sql, vec![])
    }

    /// Every dataset, by id.
    pub fn all_datasets(&self) -> Query {
        let sql = format!(
            "{}SELECT {DATASET_COLUMNS}\nFROM {}\nORDER BY dataset_id{}",
            self.lock(),
            self.t("OL_DATASET"),
            self.bytes()
        );
        q(sql, vec![])
    }

    /// Fields of a dataset (by id), by ordinal position (ties by name).
    pub fn fields(&self, dataset_id: &str) -> Query {
        let sql = format!(
            "{}SELECT {FIELD_COLUMNS}\nFROM {}\nWHERE dataset_id = ?\nORDER BY ordinal_position, field_name{}",
            self.lock(),
            self.t("OL_DATASET_FIELD"),
            self.bytes()
        );
        q(sql, vec![text(dataset_id)])
    }

    /// Fields of every dataset: by dataset, then as [`Statements::fields`] orders them.
    pub fn all_fields(&self) -> Query {
        let sql = format!(
            "{}SELECT {FIELD_COLUMNS}\nFROM {}\nORDER BY dataset_id, ordinal_position, field_name{}",
            self.lock(),
            self.t("OL_DATASET_FIELD"),
            self.bytes()
        );
        q(sql, vec![])
    }

    /// `dataset_id, field_name, ordinal_position` of every field, unordered (a table scan;
    /// the caller orders each dataset's fields as [`Statements::fields`] does).
    pub fn all_field_names(&self) -> Query {
        let sql = format!(
            "{}SELECT dataset_id, field_name, ordinal_position\nFROM {}",
            self.lock(),
            self.t("OL_DATASET_FIELD"),
        );
        q(sql, vec![])
    }

    /// Every active lineage row, by `lineage_id`.
    pub fn active_lineage(&self) -> Query {
        let mut query = self.active_lineage_unordered();
        query.sql.push_str("\nORDER BY lineage_id");
        query.sql.push_str(self.bytes());
        query
    }

    /// Every lineage row, active or not (a source that deactivates rows keeps them),
    /// whose `end` dataset is one of `datasets` (names), in no particular order: one step
    /// of the lineage as it is and as it was before a change, for `invalidate --touching`
    /// (docs/invalidate.md). Both ends are indexed (`ix_lineage_source`/`_target`).
    pub fn lineage_rows_at(&self, end: End, datasets: &[String]) -> Query {
        let column = match end {
            End::Source => "source_dataset",
            End::Target => "target_dataset",
        };
        let sql = format!(
            "{}SELECT {LINEAGE_COLUMNS}\nFROM {}\nWHERE {column} IN ({})",
            self.lock(),
            self.t("OL_COLUMN_LINEAGE"),
            markers(datasets.len()),
        );
        q(sql, datasets.iter().map(|d| text(d)).collect())
    }

    /// The datasets (any state) whose name is one of `names`, by id.
    pub fn datasets_named(&self, names: &[String]) -> Query {
        let sql = format!(
            "{}SELECT {DATASET_COLUMNS}\nFROM {}\nWHERE name IN ({})\nORDER BY dataset_id{}",
            self.lock(),
            self.t("OL_DATASET"),
            markers(names.len()),
            self.bytes()
        );
        q(sql, names.iter().map(|n| text(n)).collect())
    }

    /// [`Statements::active_lineage`] in no particular order: the engine's bulk load sorts
    /// the rows itself, and a table scan is much cheaper than reading by the key's order
    /// (on SQLite, 300,000 rows: one pass over the table instead of a lookup per row).
    pub fn active_lineage_unordered(&self) -> Query {
        let sql = format!(
            "{}SELECT {LINEAGE_COLUMNS}\nFROM {}\nWHERE is_active = 'Y'",
            self.lock(),
            self.t("OL_COLUMN_LINEAGE"),
        );
        q(sql, vec![])
    }

    /// Names of datasets at either end of lineage rows discovered at or after `since`, and
    /// of datasets updated at or after it (one column; distinct, unordered).
    pub fn changed_since(&self, since: Timestamp) -> Query {
        let (lin, ds, m) = (
            self.t("OL_COLUMN_LINEAGE"),
            self.t("OL_DATASET"),
            self.ts_marker(),
        );
        let sql = format!(
            "{}SELECT source_dataset FROM {lin} WHERE discovered_at >= {m}\n\
             UNION SELECT target_dataset FROM {lin} WHERE discovered_at >= {m}\n\
             UNION SELECT name FROM {ds} WHERE updated_at >= {m}",
            self.lock()
        );
        let at = since.to_sql();
        q(sql, vec![text(&at), text(&at), text(&at)])
    }

    /// The DBC row of a table or view: [`TABLE_INFO_COLUMNS`].
    pub fn table_info(&self, database: &str, table: &str) -> Query {
        self.tables_v(database, table, "")
    }

    /// The DBC row of a table or view for its DDL: [`TABLE_INFO_COLUMNS`] and
    /// [`OVERFLOW_COLUMN`], which older dictionaries lack (then [`Statements::table_info`]).
    pub fn ddl_info(&self, database: &str, table: &str) -> Query {
        self.tables_v(database, table, &format!(", {OVERFLOW_COLUMN}"))
    }

    fn tables_v(&self, database: &str, table: &str, more: &str) -> Query {
        let sql = format!(
            "{}SELECT {TABLE_INFO_COLUMNS}{more}\nFROM {}\nWHERE DatabaseName = ? AND TableName = ?",
            self.lock(),
            self.dbc("TablesV")
        );
        q(sql, vec![text(database), text(table)])
    }

    /// The API's row count where the dictionary has none (no statistics collected, or a
    /// view): `COUNT(*)` of the table or view itself, named as quoted identifiers.
    pub fn count_rows(&self, database: &str, table: &str) -> Query {
        let sql = format!(
            "SELECT COUNT(*) FROM {}.{}",
            quote_ident(database),
            quote_ident(table)
        );
        q(sql, vec![])
    }

    /// The table's row count from its statistics (one row; NULL without statistics).
    /// `TableStatsV` has a row per collected statistic, each with the table's row count:
    /// the largest is taken.
    pub fn row_count(&self, database: &str, table: &str) -> Query {
        let sql = format!(
            "{}SELECT MAX(RowCount)\nFROM {}\nWHERE DatabaseName = ? AND TableName = ?",
            self.lock(),
            self.dbc("TableStatsV")
        );
        q(sql, vec![text(database), text(table)])
    }

    /// The table's permanent space in bytes, summed over AMPs (one row; NULL without rows).
    pub fn size_bytes(&self, database: &str, table: &str) -> Query {
        let sql = format!(
            "{}SELECT SUM(CurrentPerm)\nFROM {}\nWHERE DatabaseName = ? AND TableName = ?",
            self.lock(),
            self.dbc("TableSizeV")
        );
        q(sql, vec![text(database), text(table)])
    }

    /// Column comments of a table or view: (ColumnName, CommentString), by column name.
    pub fn column_comments(&self, database: &str, table: &str) -> Query {
        let sql = format!(
            "{}SELECT ColumnName, CommentString\nFROM {}\n\
             WHERE DatabaseName = ? AND TableName = ? AND CommentString IS NOT NULL\n\
             ORDER BY ColumnName{}",
            self.lock(),
            self.dbc("ColumnsJQV"),
            self.bytes()
        );
        q(sql, vec![text(database), text(table)])
    }

    /// The `SHOW TABLE` text of a table (one or more rows of one column, concatenated in
    /// order). Teradata takes no parameter here: the names are quoted identifiers.
    pub fn show_table(&self, database: &str, table: &str) -> Query {
        match self.dialect {
            Dialect::Teradata => q(
                format!("SHOW TABLE {}.{}", quote_ident(database), quote_ident(table)),
                vec![],
            ),
            _ => q(
                format!(
                    "SELECT RequestText\nFROM {}\nWHERE DatabaseName = ? AND TableName = ?\nORDER BY LineNo",
                    self.dbc("ShowTable")
                ),
                vec![text(database), text(table)],
            ),
        }
    }
}

/// `n` comma-separated `?` markers (an `IN` list).
fn markers(n: usize) -> String {
    vec!["?"; n].join(", ")
}
