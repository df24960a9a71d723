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
mod source;
mod statements;
pub use decode::*;
pub use source::{Driver, SqlSource};
pub use statements::Statements;
use statements::{int, q, text};

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

/// The column of `DBC.TablesV` that says a view's text overflowed `RequestText` (`Y`); the
/// DDL read asks for it first and does without it where the dictionary lacks it, as the API
/// does.
pub const OVERFLOW_COLUMN: &str = "RequestTxtOverFlow";
/// Without [`OVERFLOW_COLUMN`], the API takes a view's text as cut when `RequestText` holds this
/// many bytes or more (Go's `len`; the column holds 12,500 characters).
pub const VIEW_TEXT_FULL: usize = 12_500;
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

/// What `DBC.TablesV` says of a dataset's table or view; both sources read it alike.
pub struct TableInfo {
    pub dataset_id: String,
    pub database: String,
    pub table: String,
    pub kind: String,
    pub creator: String,
    pub created: Option<Timestamp>,
    pub altered: Option<Timestamp>,
    pub comment: String,
    pub request_text: String,
    /// [`OVERFLOW_COLUMN`] (NULL as `""`), when the statement asked for it.
    pub overflow: Option<String>,
}

impl TableInfo {
    /// A view's DDL is its `RequestText`; a table's comes from `SHOW TABLE`.
    pub fn is_view(&self) -> bool {
        source_type(&self.kind) == "VIEW"
    }

    /// Whether the API marks this view's text as cut: `RequestTxtOverFlow` is `Y` where the
    /// dictionary has the column, else the text fills `RequestText` ([`VIEW_TEXT_FULL`]).
    fn view_text_cut(&self) -> bool {
        if self.request_text.is_empty() {
            return false;
        }
        match &self.overflow {
            Some(flag) => crate::keys::search::trim_space(flag) == "Y",
            None => self.request_text.len() >= VIEW_TEXT_FULL,
        }
    }

    /// The DDL value as the API builds it: a view's text trimmed (Go's `strings.TrimSpace`)
    /// and flagged when cut; a table's `SHOW TABLE` rows joined with `"\n"`, never cut; the
    /// column comments, blank ones dropped.
    pub fn into_ddl(
        self,
        show_rows: Vec<String>,
        comments: Vec<(String, String)>,
    ) -> crate::model::Ddl {
        let view = self.is_view();
        let truncated = view && self.view_text_cut();
        let (view_sql, table_ddl) = if view {
            let text = crate::keys::search::trim_space(&self.request_text).to_string();
            (text, String::new())
        } else {
            (String::new(), show_rows.join("\n"))
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
