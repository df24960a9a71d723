//! The demo lineage warehouse (a medallion SRC → STG → DIM → FACT → RPT with the shapes
//! that break naive code) and a synthetic generator for scale, written to a SQLite file or
//! printed as SQL for another database. Identifiers are computed exactly as the population
//! script computes them (contract §4); everything is deterministic (fixed timestamps, a
//! seeded generator).
mod builder;
mod lab;
mod schema;
mod synth;
mod vocab;
mod warehouse;

use std::io::Write;
use std::path::{Path, PathBuf};

pub use builder::{field_id, lineage_id, namespace_id};
use schema::{Sink, SqlTextSink, SqliteSink};

pub use super::sql::Dialect;

/// A failure while writing a demo warehouse.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// The target file exists and `force` was not given.
    #[error("{0} already exists (use --force to replace it)")]
    Exists(PathBuf),
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The requested output is not available (e.g. `demo sql` for Teradata).
    #[error("{0}")]
    Unsupported(String),
}

pub type DemoResult<T> = Result<T, DemoError>;

/// What a warehouse holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Summary {
    pub namespaces: usize,
    pub datasets: usize,
    pub fields: usize,
    pub lineage_rows: usize,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} namespaces, {} datasets, {} fields, {} lineage rows",
            self.namespaces, self.datasets, self.fields, self.lineage_rows
        )
    }
}

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Content {
    Demo,
    Synthetic { columns: usize, seed: u64 },
}

impl Content {
    fn of(scale: Option<usize>, seed: u64) -> Content {
        match scale {
            Some(columns) => Content::Synthetic { columns, seed },
            None => Content::Demo,
        }
    }

    fn generate(self, sink: &mut dyn Sink) -> DemoResult<Summary> {
        let mut b = builder::Builder::new(sink);
        match self {
            Content::Demo => {
                let (prod, dev) = warehouse::namespaces(&mut b)?;
                warehouse::build(&mut b, &prod)?;
                lab::build(&mut b, &prod, &dev)?;
            }
            Content::Synthetic { columns, seed } => synth::build(&mut b, columns, seed)?,
        }
        Ok(b.summary())
    }
}

/// Write the demo warehouse to a new SQLite file at `path`.
pub fn create_demo(path: &Path, force: bool) -> DemoResult<Summary> {
    create(path, force, Content::Demo)
}

/// Write a synthetic layered warehouse of about `columns` columns, deterministic from
/// `seed`, to a new SQLite file at `path`.
pub fn create_synthetic(
    path: &Path,
    columns: usize,
    seed: u64,
    force: bool,
) -> DemoResult<Summary> {
    create(path, force, Content::Synthetic { columns, seed })
}

/// Build into a temporary file next to `path`, then move it into place, so a failed run
/// never leaves a half-written warehouse (nor destroys the old one).
fn create(path: &Path, force: bool, content: Content) -> DemoResult<Summary> {
    if path.exists() && !force {
        return Err(DemoError::Exists(path.to_path_buf()));
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".tmp-{}", std::process::id()));
    let tmp = PathBuf::from(tmp);
    let _ = std::fs::remove_file(&tmp);
    let result = write_sqlite(&tmp, content);
    match result {
        Ok(summary) => {
            std::fs::rename(&tmp, path)?;
            Ok(summary)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

fn write_sqlite(path: &Path, content: Content) -> DemoResult<Summary> {
    let mut conn = rusqlite::Connection::open(path)?;
    conn.execute_batch("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;")?;
    let tx = conn.transaction()?;
    tx.execute_batch(&schema::create_tables())?;
    let summary = {
        let mut sink = SqliteSink::new(&tx);
        content.generate(&mut sink)?
    };
    tx.execute_batch(&schema::create_indexes())?;
    tx.commit()?;
    conn.execute_batch("PRAGMA journal_mode=DELETE; ANALYZE;")?;
    Ok(summary)
}

/// The demo warehouse (or a synthetic one with `scale`) as SQL: drop and create the
/// tables, batched multi-row INSERTs, indexes, in one transaction.
pub fn write_demo_sql(
    out: &mut dyn Write,
    dialect: Dialect,
    scale: Option<usize>,
    seed: u64,
) -> DemoResult<Summary> {
    if dialect == Dialect::Teradata {
        return Err(DemoError::Unsupported(
            "demo SQL is available for SQLite and PostgreSQL only".into(),
        ));
    }
    if dialect == Dialect::Postgres {
        out.write_all(b"SET client_encoding = 'UTF8';\nSET standard_conforming_strings = on;\n")?;
    }
    out.write_all(b"BEGIN;\n")?;
    out.write_all(schema::drop_tables().as_bytes())?;
    out.write_all(schema::create_tables().as_bytes())?;
    let summary = {
        let mut sink = SqlTextSink::new(out);
        let summary = Content::of(scale, seed).generate(&mut sink)?;
        sink.flush_all()?;
        summary
    };
    out.write_all(schema::create_indexes().as_bytes())?;
    out.write_all(b"COMMIT;\n")?;
    Ok(summary)
}

/// [`write_demo_sql`] into a string (for the SQLite and PostgreSQL dialects).
pub fn demo_sql(dialect: Dialect, scale: Option<usize>, seed: u64) -> DemoResult<String> {
    let mut out = Vec::new();
    write_demo_sql(&mut out, dialect, scale, seed)?;
    String::from_utf8(out).map_err(|e| DemoError::Unsupported(e.to_string()))
}

#[cfg(test)]
mod tests;
