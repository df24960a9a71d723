//! The ODBC lineage source: Teradata in production, PostgreSQL (psqlODBC) in the tests, any
//! DBMS with one of the [`Dialect`]s really. It answers exactly as the embedded source
//! ([`super::sqlite`]) does, with the same statements in the connection's dialect and the
//! same row decoding (see `docs/source.md`).
//!
//! ODBC calls block; callers run source calls off the async runtime. Connections come from
//! a bounded pool ([`pool`]), results are fetched in column batches ([`fetch`]); the
//! statements and everything above a row are the shared [`SqlSource`]'s.
mod error;
mod fetch;
mod pool;
mod rows;

use std::time::Duration;

use super::sql::{Dialect, Query, SqlSource, Statements};
use super::{SourceError, SourceResult};
use crate::config::connstr;
use fetch::{Row, Runner};
use pool::Pool;

pub use fetch::{BATCH_BYTES, BATCH_ROWS, MAX_VALUE_CHARS};

/// How to run an ODBC source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OdbcOptions {
    /// At most this many connections are open at once (at least 1).
    pub pool_size: usize,
    /// A statement that has not answered within this time fails (`SQL_ATTR_QUERY_TIMEOUT`,
    /// whole seconds, at least 1).
    pub query_timeout: Duration,
    /// Opening a connection fails after this time (`SQL_ATTR_LOGIN_TIMEOUT`).
    pub login_timeout: Duration,
    /// The database holding the `OL_*` tables on Teradata (table names are qualified with
    /// it). Other DBMSs read the connection's default schema.
    pub teradata_database: String,
}

impl Default for OdbcOptions {
    fn default() -> Self {
        OdbcOptions {
            pool_size: 4,
            query_timeout: Duration::from_secs(60),
            login_timeout: Duration::from_secs(15),
            teradata_database: "demo_user".to_string(),
        }
    }
}

/// The dialect of a DBMS, from the name its driver reports (`SQLGetInfo(SQL_DBMS_NAME)`).
pub fn dialect_of(dbms_name: &str) -> Option<Dialect> {
    let name = dbms_name.to_ascii_lowercase();
    if name.contains("teradata") {
        Some(Dialect::Teradata)
    } else if name.contains("postgres") {
        Some(Dialect::Postgres)
    } else if name.contains("sqlite") {
        Some(Dialect::Sqlite)
    } else {
        None
    }
}

/// A lineage source reached through ODBC: the shared SQL source over [`OdbcDriver`].
pub type OdbcSource = SqlSource<OdbcDriver>;

/// Runs statements on a bounded pool of ODBC connections, fetching in column batches.
pub struct OdbcDriver {
    pool: Pool,
    dbms: String,
    shown: String,
    timeout_secs: usize,
}

impl SqlSource<OdbcDriver> {
    /// Connect with an ODBC connection string (`Driver={…};…` or `DSN=…`). Its passwords are
    /// registered as secrets first. One connection is opened to learn the DBMS (and so the
    /// dialect); it stays in the pool.
    pub fn connect(conn_str: &str, options: OdbcOptions) -> SourceResult<OdbcSource> {
        connstr::register_secrets(conn_str);
        let pool = Pool::new(conn_str, options.pool_size, options.login_timeout);
        let dbms = {
            let pooled = pool.get()?;
            pooled
                .conn()
                .database_management_system_name()
                .map_err(|e| error::connect_error(&e))?
        };
        let dialect = dialect_of(&dbms).ok_or_else(|| {
            SourceError::Spec(format!(
                "the ODBC data source is {dbms:?}: supported are Teradata, PostgreSQL and SQLite"
            ))
        })?;
        let database = (dialect == Dialect::Teradata).then_some(options.teradata_database.as_str());
        let driver = OdbcDriver {
            pool,
            shown: connstr::redacted(conn_str),
            dbms,
            timeout_secs: options.query_timeout.as_secs().max(1) as usize,
        };
        Ok(SqlSource::new(driver, Statements::new(dialect, database)))
    }

    /// The DBMS name the driver reported.
    pub fn dbms(&self) -> &str {
        &self.driver.dbms
    }

    /// Connections open now (idle or in use); never more than the pool size.
    pub fn open_connections(&self) -> usize {
        self.driver.pool.open_count()
    }
}

impl OdbcDriver {
    fn rows<T>(
        &self,
        what: &str,
        query: &Query,
        map: impl FnMut(&Row) -> SourceResult<T>,
    ) -> SourceResult<Vec<T>> {
        let runner = Runner {
            pool: &self.pool,
            timeout_secs: self.timeout_secs,
        };
        runner.rows(what, query, map)
    }
}

mod source;
