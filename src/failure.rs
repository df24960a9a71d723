//! What kind of failure an error stands for. The core's error types say which kind they
//! are; only `exit.rs` turns a kind into the process exit code, so nothing below the
//! command layer imports `exit`.

/// The kinds of failure, each one exit code (docs/exit-codes.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// Bad command line, bad input, bad configuration: nothing was done.
    Usage,
    /// Redis or the lineage source could not be reached or stopped answering.
    Connection,
    /// The run completed only in part.
    Partial,
    /// Refused to protect the server (memory limits).
    Refused,
}

/// Bad input, said in one line: nothing was done ([`Failure::Usage`]).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BadInput(pub String);

/// Shorthand: bad input with a message.
pub fn bad_input(msg: impl Into<String>) -> anyhow::Error {
    BadInput(msg.into()).into()
}

/// An error said with a note after it, `{cause}; {note}`, of the cause's kind of failure: a
/// job that stopped after its report was made says so.
#[derive(Debug, thiserror::Error)]
#[error("{cause:#}; {note}")]
pub struct Noted {
    pub cause: anyhow::Error,
    pub note: String,
}

/// Shorthand: `cause` said with `note` after it.
pub fn noted(cause: anyhow::Error, note: impl Into<String>) -> anyhow::Error {
    Noted {
        cause,
        note: note.into(),
    }
    .into()
}
