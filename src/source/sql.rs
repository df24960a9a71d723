//! The SQL text of every query a lineage source runs, per dialect (see `docs/source.md`).
//!
//! Each builder returns a [`Query`]: the statement with ODBC-style `?` markers and the
//! values to bind, in order. Values are never formatted into the text; the only names
//! written into it are identifiers (the database holding the `OL_*` tables, and the table
//! named by `SHOW TABLE`, which Teradata cannot take as a parameter), quoted per dialect.
//! The column order of each result is fixed by the `*_COLUMNS` constants.
use crate::model::Timestamp;

mod decode;
mod lineage;
pub use decode::*;

/// SQL dialects the sources speak.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    Sqlite,
    Postgres,
    Teradata,
}

/// One value bound to a `?` marker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Param {
    Text(String),
    Int(i64),
}

/// A statement and its parameters, in marker order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub sql: String,
    pub params: Vec<Param>,
}

/// Result columns of the namespace queries.
pub const NAMESPACE_COLUMNS: &str =
    "namespace_id, namespace_uri, description, spec_version, created_at";
/// Result columns of the dataset queries.
pub const DATASET_COLUMNS: &str =
    "dataset_id, namespace_id, name, description, source_type, created_at, updated_at, is_active";
/// Result columns of the field query.
pub const FIELD_COLUMNS: &str = "field_id, dataset_id, field_name, field_type, \
     field_description, ordinal_position, nullable, created_at";
/// Result columns of the lineage queries (the recursive one adds `depth` after them).
pub const LINEAGE_COLUMNS: &str = "lineage_id, source_namespace, source_dataset, source_field, \
     target_namespace, target_dataset, target_field, transformation_type, \
     transformation_subtype, confidence_score";
/// Result columns of [`Statements::table_info`].
pub const TABLE_INFO_COLUMNS: &str =
    "TableKind, CreatorName, CreateTimeStamp, LastAlterTimeStamp, CommentString, RequestText";

/// DDL text longer than this many bytes is cut (at a character boundary) and flagged.
pub const DDL_LIMIT: usize = 64 * 1024;
/// Width of the lineage-id path of the Teradata recursive query.
const TERADATA_PATH: &str = "VARCHAR(8000)";

/// Quote an identifier: `"` doubled inside double quotes (all three dialects).
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A `LIKE` pattern matching names that contain `text` (escape character `\`).
pub fn contains_pattern(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// The statements of one dialect, reading the `OL_*` tables of one database (or schema).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statements {
    dialect: Dialect,
    qualifier: String,
}

fn q(sql: String, params: Vec<Param>) -> Query {
    Query { sql, params }
}

fn text(s: &str) -> Param {
    Param::Text(s.to_string())
}

fn int<T: TryInto<i64>>(n: T) -> Param {
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
    fn t(&self, table: &str) -> String {
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
    fn lock(&self) -> &'static str {
        match self.dialect {
            Dialect::Teradata => "LOCKING ROW FOR ACCESS\n",
            _ => "",
        }
    }

    /// The collation giving byte order (Postgres needs it; SQLite's BINARY is byte order).
    fn bytes(&self) -> &'static str {
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
        let sql = format!(
            "{}SELECT {TABLE_INFO_COLUMNS}\nFROM {}\nWHERE DatabaseName = ? AND TableName = ?",
            self.lock(),
            self.dbc("TablesV")
        );
        q(sql, vec![text(database), text(table)])
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

/// What `DBC.TablesV` says of a dataset's table or view; both sources read it alike.
pub(crate) struct TableInfo {
    pub dataset_id: String,
    pub database: String,
    pub table: String,
    pub kind: String,
    pub creator: String,
    pub created: Option<Timestamp>,
    pub altered: Option<Timestamp>,
    pub comment: String,
    pub request_text: String,
}

impl TableInfo {
    /// A view's DDL is its `RequestText`; a table's comes from `SHOW TABLE`.
    pub(crate) fn is_view(&self) -> bool {
        source_type(&self.kind) == "VIEW"
    }

    /// The DDL value from the full text (cut at [`DDL_LIMIT`]) and the column comments
    /// (blank ones dropped).
    pub(crate) fn into_ddl(
        self,
        full: String,
        comments: Vec<(String, String)>,
    ) -> crate::model::Ddl {
        let view = self.is_view();
        let (text, truncated) = truncate_ddl(full);
        let (view_sql, table_ddl) = if view {
            (text, String::new())
        } else {
            (String::new(), text)
        };
        crate::model::Ddl {
            dataset_id: self.dataset_id,
            database_name: self.database,
            table_name: self.table,
            source_type: source_type(&self.kind).to_string(),
            view_sql,
            table_ddl,
            truncated,
            table_comment: self.comment,
            column_comments: comments
                .into_iter()
                .filter(|(_, c)| !c.trim_end_matches(' ').is_empty())
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests;
