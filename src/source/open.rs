//! Opening the lineage source the configuration names (`--source` /
//! `LINEAGE_CACHE_SOURCE`, read into a [`SourceSpec`] with the rest of the configuration;
//! see `docs/source.md`):
//!
//! - `sqlite:PATH`: the embedded source on a SQLite file;
//! - `odbc:CONNECTION-STRING`: ODBC, the dialect detected from the DBMS name;
//! - `teradata`: ODBC with the Teradata driver, built from the `TERADATA_*` settings;
//! - nothing: `teradata` when `TERADATA_HOST` is set, else the embedded demo warehouse
//!   (created on first use).
//!
//! A connection string can hold a password: its `PWD`/`PASSWORD` values are registered as
//! secrets before anything is attempted, and no message ever echoes the string.
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::odbc::{OdbcOptions, OdbcSource};
use super::sqlite::SqliteSource;
use super::{LineageSource, SourceError, SourceResult};
use crate::config::{connstr, Config, Teradata};

/// Connections an ODBC source keeps at most, unless the caller asks otherwise.
pub const DEFAULT_POOL_SIZE: usize = 8;
/// The Teradata ODBC driver's name, unless `LINEAGE_CACHE_TERADATA_DRIVER` says otherwise.
pub const TERADATA_DRIVER: &str = "Teradata Database ODBC Driver 17.20";

pub use crate::config::SourceSpec;

/// Open the source the configuration names, with [`DEFAULT_POOL_SIZE`] ODBC connections.
pub fn open(config: &Config) -> anyhow::Result<Arc<dyn LineageSource>> {
    open_with_pool(config, DEFAULT_POOL_SIZE)
}

/// Open the source the configuration names; an ODBC source keeps at most `pool_size`
/// connections (give it the number of threads that will query it).
pub fn open_with_pool(config: &Config, pool_size: usize) -> anyhow::Result<Arc<dyn LineageSource>> {
    let source: Arc<dyn LineageSource> = match &config.source {
        SourceSpec::Sqlite(path) => Arc::new(SqliteSource::open(path)?),
        SourceSpec::Odbc(conn) => Arc::new(odbc(conn, config, pool_size)?),
        SourceSpec::Teradata => Arc::new(teradata(config, pool_size)?),
        SourceSpec::Default if config.teradata.host.is_some() => {
            Arc::new(teradata(config, pool_size)?)
        }
        SourceSpec::Default => Arc::new(embedded_default()?),
    };
    tracing::debug!("lineage source: {}", source.describe());
    Ok(source)
}

fn odbc(conn: &str, config: &Config, pool_size: usize) -> SourceResult<OdbcSource> {
    let options = OdbcOptions {
        pool_size,
        teradata_database: config.teradata.database.clone(),
        ..OdbcOptions::default()
    };
    OdbcSource::connect(conn, options)
}

fn teradata(config: &Config, pool_size: usize) -> SourceResult<OdbcSource> {
    let driver = std::env::var("LINEAGE_CACHE_TERADATA_DRIVER")
        .ok()
        .filter(|d| !d.trim().is_empty())
        .unwrap_or_else(|| TERADATA_DRIVER.to_string());
    let conn = teradata_connection_string(&config.teradata, &driver)?;
    odbc(&conn, config, pool_size)
}

/// The Teradata connection string: driver, `DBCNAME`, `PORT`, `UID`, `PWD` (when set),
/// `DATABASE`, and a UTF-8 session character set. Host and user are required.
pub fn teradata_connection_string(td: &Teradata, driver: &str) -> SourceResult<String> {
    let missing = |name: &str| {
        SourceError::Spec(format!(
            "the teradata source needs {name} (or the legacy TD_ name) to be set"
        ))
    };
    let host = td.host.as_deref().ok_or_else(|| missing("TERADATA_HOST"))?;
    let user = td.user.as_deref().ok_or_else(|| missing("TERADATA_USER"))?;
    let b = connstr::brace;
    let mut conn = format!(
        "DRIVER={{{}}};DBCNAME={};PORT={};UID={};",
        driver.replace('}', "}}"),
        b(host),
        td.port,
        b(user)
    );
    if let Some(pw) = td.password.as_deref() {
        crate::config::register_secret(pw);
        conn.push_str(&format!("PWD={};", b(pw)));
    }
    conn.push_str(&format!("DATABASE={};CHARSET=UTF8;", b(&td.database)));
    connstr::register_secrets(&conn);
    Ok(conn)
}

/// Where the embedded demo warehouse lives: `$LINEAGE_CACHE_DEMO_DB`, else
/// `$XDG_DATA_HOME/lineage-cache/demo.sqlite`, else `~/.local/share/lineage-cache/demo.sqlite`.
pub fn default_demo_path() -> SourceResult<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(p) = var("LINEAGE_CACHE_DEMO_DB") {
        return Ok(PathBuf::from(p));
    }
    let data = match (var("XDG_DATA_HOME"), var("HOME")) {
        (Some(x), _) => PathBuf::from(x),
        (None, Some(home)) => Path::new(&home).join(".local/share"),
        (None, None) => {
            return Err(SourceError::Spec(
                "no lineage source: set --source, LINEAGE_CACHE_DEMO_DB or HOME".into(),
            ))
        }
    };
    Ok(data.join("lineage-cache").join("demo.sqlite"))
}

/// The embedded demo warehouse, created first if missing.
fn embedded_default() -> SourceResult<SqliteSource> {
    let path = default_demo_path()?;
    ensure_demo(&path)?;
    SqliteSource::open(&path)
}

/// Create the demo warehouse at `path` unless a file is there.
pub fn ensure_demo(path: &Path) -> SourceResult<()> {
    if path.exists() {
        return Ok(());
    }
    let cannot = |e: &dyn std::fmt::Display| {
        SourceError::Spec(format!(
            "cannot create the demo lineage warehouse at {}: {e}",
            path.display()
        ))
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| cannot(&e))?;
    }
    match super::demo::create_demo(path, false) {
        Ok(summary) => {
            tracing::info!(
                "created the demo lineage warehouse at {} ({summary})",
                path.display()
            );
            Ok(())
        }
        // Another process created it meanwhile: use theirs.
        Err(super::demo::DemoError::Exists(_)) => Ok(()),
        Err(e) => Err(cannot(&e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn td() -> Teradata {
        Teradata {
            host: Some("td.example".into()),
            user: Some("etl".into()),
            password: Some("p;w}d-secret".into()),
            database: "lineage db".into(),
            port: 1025,
        }
    }

    #[test]
    fn teradata_string_is_built_and_quoted() {
        let conn = teradata_connection_string(&td(), TERADATA_DRIVER).unwrap();
        assert_eq!(
            conn,
            "DRIVER={Teradata Database ODBC Driver 17.20};DBCNAME=td.example;PORT=1025;\
             UID=etl;PWD={p;w}}d-secret};DATABASE=lineage db;CHARSET=UTF8;"
        );
        assert_eq!(
            connstr::value_of(&conn, "PWD").as_deref(),
            Some("p;w}d-secret")
        );
        assert!(!crate::config::redact_known_secrets(&conn).contains("p;w}d-secret"));
    }

    #[test]
    fn teradata_needs_host_and_user() {
        let mut t = td();
        t.user = None;
        let e = teradata_connection_string(&t, "D").unwrap_err();
        assert!(e.to_string().contains("TERADATA_USER"), "{e}");
        assert_eq!(e.failure(), crate::failure::Failure::Usage);
        t.host = None;
        let e = teradata_connection_string(&t, "D").unwrap_err();
        assert!(e.to_string().contains("TERADATA_HOST"), "{e}");
    }

    #[test]
    fn ensure_demo_creates_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b/demo.sqlite");
        ensure_demo(&path).unwrap();
        let first = std::fs::metadata(&path).unwrap().modified().unwrap();
        ensure_demo(&path).unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().modified().unwrap(), first);
        let source = SqliteSource::open(&path).unwrap();
        assert_eq!(source.namespaces().unwrap().len(), 2);
    }
}
