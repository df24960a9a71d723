//! Turning ODBC errors into [`SourceError`]s: every message names what failed, and passes
//! through [`redact_known_secrets`] (a driver may echo the connection string).
use odbc_api::Error;

use crate::config::redact_known_secrets;
use crate::source::SourceError;

/// What kind of failure an ODBC error is, from its SQLSTATE.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `08xxx`: the connection failed or was lost.
    Connection,
    /// `HYT00`/`HYT01`: the query (or login) timed out.
    Timeout,
    /// Anything else (syntax, missing table, permissions…).
    Other,
}

/// The SQLSTATE of an error, when it has one.
pub(crate) fn sqlstate(e: &Error) -> Option<String> {
    match e {
        Error::Diagnostics { record, .. }
        | Error::UnsupportedOdbcApiVersion(record)
        | Error::InvalidRowArraySize { record, .. }
        | Error::UnableToRepresentNull(record)
        | Error::OracleOdbcDriverDoesNotSupport64Bit(record) => {
            Some(record.state.as_str().to_string())
        }
        _ => None,
    }
}

pub(crate) fn kind(e: &Error) -> Kind {
    match sqlstate(e).as_deref() {
        Some(s) if s.starts_with("08") => Kind::Connection,
        Some("HYT00" | "HYT01") => Kind::Timeout,
        _ => Kind::Other,
    }
}

/// The error's text on one line, secrets redacted.
pub(crate) fn message(e: &Error) -> String {
    let text = e.to_string();
    let one_line: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    redact_known_secrets(&one_line.join(" "))
}

/// A failure to open a connection.
pub(crate) fn connect_error(e: &Error) -> SourceError {
    SourceError::Connect(format!("cannot connect through ODBC: {}", message(e)))
}

/// A failure while running query `what` (with the timeout used, for timeouts).
pub(crate) fn query_error(what: &str, e: &Error, timeout_secs: usize) -> SourceError {
    match kind(e) {
        Kind::Connection => SourceError::Connect(format!(
            "connection lost while running the {what} query: {}",
            message(e)
        )),
        Kind::Timeout => SourceError::Query {
            what: what.to_string(),
            message: format!(
                "no answer within the query timeout of {timeout_secs} s: {}",
                message(e)
            ),
        },
        Kind::Other => SourceError::query(what, message(e)),
    }
}
