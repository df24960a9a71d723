//! The tables of a lineage warehouse (the `OL_*` tables and the `DBC_*` stand-ins for
//! Teradata's dictionary views), and the two places rows go: a SQLite database through
//! prepared statements, or SQL text with batched multi-row INSERTs.
use std::collections::BTreeMap;
use std::io::Write;

use super::DemoResult;

/// A table: name and (column, type) pairs; the first column is the primary key for the
/// `OL_*` tables.
pub(crate) struct TableDef {
    pub name: &'static str,
    pub columns: &'static [(&'static str, &'static str)],
    pub primary_key: bool,
}

const TS: &str = "TIMESTAMP(6)";

pub(crate) const NAMESPACE: TableDef = TableDef {
    name: "OL_NAMESPACE",
    columns: &[
        ("namespace_id", "VARCHAR(64)"),
        ("namespace_uri", "VARCHAR(512)"),
        ("description", "VARCHAR(2000)"),
        ("spec_version", "VARCHAR(20)"),
        ("created_at", TS),
    ],
    primary_key: true,
};

pub(crate) const DATASET: TableDef = TableDef {
    name: "OL_DATASET",
    columns: &[
        ("dataset_id", "VARCHAR(256)"),
        ("namespace_id", "VARCHAR(64)"),
        ("name", "VARCHAR(256)"),
        ("description", "VARCHAR(2000)"),
        ("source_type", "VARCHAR(50)"),
        ("created_at", TS),
        ("updated_at", TS),
        ("is_active", "CHAR(1)"),
    ],
    primary_key: true,
};

pub(crate) const FIELD: TableDef = TableDef {
    name: "OL_DATASET_FIELD",
    columns: &[
        ("field_id", "VARCHAR(512)"),
        ("dataset_id", "VARCHAR(256)"),
        ("field_name", "VARCHAR(256)"),
        ("field_type", "VARCHAR(256)"),
        ("field_description", "VARCHAR(2000)"),
        ("ordinal_position", "INTEGER"),
        ("nullable", "CHAR(1)"),
        ("created_at", TS),
    ],
    primary_key: true,
};

pub(crate) const LINEAGE: TableDef = TableDef {
    name: "OL_COLUMN_LINEAGE",
    columns: &[
        ("lineage_id", "VARCHAR(64)"),
        ("run_id", "VARCHAR(64)"),
        ("source_namespace", "VARCHAR(512)"),
        ("source_dataset", "VARCHAR(256)"),
        ("source_field", "VARCHAR(256)"),
        ("target_namespace", "VARCHAR(512)"),
        ("target_dataset", "VARCHAR(256)"),
        ("target_field", "VARCHAR(256)"),
        ("transformation_type", "VARCHAR(20)"),
        ("transformation_subtype", "VARCHAR(50)"),
        ("transformation_description", "VARCHAR(2000)"),
        ("masking", "CHAR(1)"),
        ("confidence_score", "DECIMAL(3,2)"),
        ("discovered_at", TS),
        ("is_active", "CHAR(1)"),
    ],
    primary_key: true,
};

const DB: (&str, &str) = ("DatabaseName", "VARCHAR(128)");
const TB: (&str, &str) = ("TableName", "VARCHAR(256)");

pub(crate) const TABLES_V: TableDef = TableDef {
    name: "DBC_TablesV",
    columns: &[
        DB,
        TB,
        ("TableKind", "CHAR(1)"),
        ("CreatorName", "VARCHAR(128)"),
        ("CreateTimeStamp", TS),
        ("LastAlterTimeStamp", TS),
        ("CommentString", "VARCHAR(2000)"),
        ("RequestText", "TEXT"),
    ],
    primary_key: false,
};

pub(crate) const TABLE_STATS_V: TableDef = TableDef {
    name: "DBC_TableStatsV",
    columns: &[
        DB,
        TB,
        ("ColumnName", "VARCHAR(256)"),
        ("RowCount", "BIGINT"),
    ],
    primary_key: false,
};

pub(crate) const TABLE_SIZE_V: TableDef = TableDef {
    name: "DBC_TableSizeV",
    columns: &[DB, TB, ("Vproc", "INTEGER"), ("CurrentPerm", "BIGINT")],
    primary_key: false,
};

pub(crate) const COLUMNS_JQV: TableDef = TableDef {
    name: "DBC_ColumnsJQV",
    columns: &[
        DB,
        TB,
        ("ColumnName", "VARCHAR(256)"),
        ("CommentString", "VARCHAR(2000)"),
    ],
    primary_key: false,
};

pub(crate) const SHOW_TABLE: TableDef = TableDef {
    name: "DBC_ShowTable",
    columns: &[DB, TB, ("LineNo", "INTEGER"), ("RequestText", "TEXT")],
    primary_key: false,
};

/// Every table, in creation order.
pub(crate) const ALL: [&TableDef; 9] = [
    &NAMESPACE,
    &DATASET,
    &FIELD,
    &LINEAGE,
    &TABLES_V,
    &TABLE_STATS_V,
    &TABLE_SIZE_V,
    &COLUMNS_JQV,
    &SHOW_TABLE,
];

/// `CREATE TABLE` for every table (types are portable between SQLite and PostgreSQL).
pub(crate) fn create_tables() -> String {
    let mut out = String::new();
    for t in ALL {
        let cols: Vec<String> = t
            .columns
            .iter()
            .enumerate()
            .map(|(i, (c, ty))| {
                let pk = if i == 0 && t.primary_key {
                    " PRIMARY KEY"
                } else {
                    ""
                };
                format!("  {c} {ty}{pk}")
            })
            .collect();
        out.push_str(&format!(
            "CREATE TABLE {} (\n{}\n);\n",
            t.name,
            cols.join(",\n")
        ));
    }
    out
}

/// `DROP TABLE IF EXISTS` for every table.
pub(crate) fn drop_tables() -> String {
    ALL.iter()
        .map(|t| format!("DROP TABLE IF EXISTS {};\n", t.name))
        .collect()
}

/// The indexes the queries of `sql.rs` use (created after loading).
pub(crate) fn create_indexes() -> String {
    [
        "ix_dataset_name ON OL_DATASET (name)",
        "ix_dataset_ns ON OL_DATASET (namespace_id, name)",
        "ix_field_dataset ON OL_DATASET_FIELD (dataset_id, ordinal_position)",
        "ix_lineage_target ON OL_COLUMN_LINEAGE (target_dataset, target_field)",
        "ix_lineage_source ON OL_COLUMN_LINEAGE (source_dataset, source_field)",
        "ix_tablesv ON DBC_TablesV (DatabaseName, TableName)",
        "ix_tablestatsv ON DBC_TableStatsV (DatabaseName, TableName)",
        "ix_tablesizev ON DBC_TableSizeV (DatabaseName, TableName)",
        "ix_columnsjqv ON DBC_ColumnsJQV (DatabaseName, TableName)",
        "ix_showtable ON DBC_ShowTable (DatabaseName, TableName)",
    ]
    .iter()
    .map(|ix| format!("CREATE INDEX {ix};\n"))
    .collect()
}

/// One value of a row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Val {
    Null,
    Text(String),
    Int(i64),
    /// A decimal number, as its literal (`0.95`).
    Num(&'static str),
}

impl Val {
    pub fn text(s: impl Into<String>) -> Val {
        Val::Text(s.into())
    }

    pub fn opt(s: Option<impl Into<String>>) -> Val {
        s.map_or(Val::Null, |s| Val::Text(s.into()))
    }

    /// The SQL literal (strings quoted with `'` doubled).
    fn literal(&self, out: &mut String) {
        match self {
            Val::Null => out.push_str("NULL"),
            Val::Int(n) => out.push_str(&n.to_string()),
            Val::Num(n) => out.push_str(n),
            Val::Text(s) => {
                out.push('\'');
                out.push_str(&s.replace('\'', "''"));
                out.push('\'');
            }
        }
    }
}

impl rusqlite::ToSql for Val {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match self {
            Val::Null => ValueRef::Null,
            Val::Int(n) => ValueRef::Integer(*n),
            // Bound as text: the DECIMAL column's NUMERIC affinity stores the number, exactly
            // as it stores the literal of the SQL text.
            Val::Num(n) => ValueRef::Text(n.as_bytes()),
            Val::Text(s) => ValueRef::Text(s.as_bytes()),
        }))
    }
}

/// Where generated rows go.
pub(crate) trait Sink {
    fn row(&mut self, table: &'static TableDef, values: &[Val]) -> DemoResult<()>;
}

fn insert_head(t: &TableDef) -> String {
    let cols: Vec<&str> = t.columns.iter().map(|c| c.0).collect();
    format!("INSERT INTO {} ({}) VALUES", t.name, cols.join(", "))
}

/// Rows inserted into SQLite with cached prepared statements.
pub(crate) struct SqliteSink<'c> {
    conn: &'c rusqlite::Connection,
    sql: BTreeMap<&'static str, String>,
}

impl<'c> SqliteSink<'c> {
    pub fn new(conn: &'c rusqlite::Connection) -> Self {
        let sql = ALL
            .iter()
            .map(|t| {
                let marks = vec!["?"; t.columns.len()].join(", ");
                (t.name, format!("{} ({marks})", insert_head(t)))
            })
            .collect();
        SqliteSink { conn, sql }
    }
}

impl Sink for SqliteSink<'_> {
    fn row(&mut self, table: &'static TableDef, values: &[Val]) -> DemoResult<()> {
        let sql = self.sql.get(table.name).map(String::as_str).unwrap_or("");
        let mut stmt = self.conn.prepare_cached(sql)?;
        stmt.execute(rusqlite::params_from_iter(values.iter()))?;
        Ok(())
    }
}

/// Rows written as SQL text, in multi-row INSERTs of up to [`BATCH`] rows per table.
pub(crate) struct SqlTextSink<'w> {
    out: &'w mut dyn Write,
    pending: BTreeMap<&'static str, (usize, String)>,
}

/// Rows per INSERT statement.
pub(crate) const BATCH: usize = 500;

impl<'w> SqlTextSink<'w> {
    pub fn new(out: &'w mut dyn Write) -> Self {
        SqlTextSink {
            out,
            pending: BTreeMap::new(),
        }
    }

    /// Write every pending batch, in table order.
    pub fn flush_all(&mut self) -> DemoResult<()> {
        for t in ALL {
            if let Some((n, text)) = self.pending.remove(t.name) {
                if n > 0 {
                    self.out.write_all(text.as_bytes())?;
                    self.out.write_all(b";\n")?;
                }
            }
        }
        Ok(())
    }
}

impl Sink for SqlTextSink<'_> {
    fn row(&mut self, table: &'static TableDef, values: &[Val]) -> DemoResult<()> {
        let (n, text) = self.pending.entry(table.name).or_default();
        text.push_str(if *n == 0 { "" } else { ",\n" });
        if *n == 0 {
            text.push_str(&insert_head(table));
            text.push('\n');
        }
        text.push('(');
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                text.push_str(", ");
            }
            v.literal(text);
        }
        text.push(')');
        *n += 1;
        if *n >= BATCH {
            self.out.write_all(text.as_bytes())?;
            self.out.write_all(b";\n")?;
            text.clear();
            *n = 0;
        }
        Ok(())
    }
}
