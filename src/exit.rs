//! The exit codes, and the one place where a job's outcome or an error becomes one (printing
//! the error, or the outcome's line, once).
use std::io::Write;
use std::process::ExitCode;

use crate::failure::Failure;
use crate::jobs::Outcome;

/// The process exit codes (docs/exit-codes.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Code {
    /// Everything went as asked.
    Success = 0,
    /// An unexpected internal failure.
    Failure = 1,
    /// Bad command line, bad input, bad configuration: nothing was done.
    Usage = 2,
    /// The run completed only in part (some items failed and were skipped).
    Partial = 3,
    /// Redis or the lineage source could not be reached or stopped answering.
    Connection = 4,
    /// Another run holds the lock (warm).
    Locked = 5,
    /// The run was refused to protect the server (memory limits).
    Refused = 6,
    /// `verify` found drift: keys that are not what the API would write now.
    Drift = 7,
    /// Interrupted by Ctrl-C.
    Interrupted = 130,
}

impl From<Code> for ExitCode {
    fn from(code: Code) -> ExitCode {
        ExitCode::from(code as u8)
    }
}

impl From<&Outcome> for Code {
    fn from(outcome: &Outcome) -> Code {
        match outcome {
            Outcome::Complete => Code::Success,
            Outcome::Partial(_) => Code::Partial,
            Outcome::Drift(_) => Code::Drift,
            Outcome::Refused(_) => Code::Refused,
            Outcome::Interrupted(_) => Code::Interrupted,
        }
    }
}

/// Everything went as asked.
pub const SUCCESS: u8 = Code::Success as u8;
/// An unexpected internal failure.
pub const FAILURE: u8 = Code::Failure as u8;
/// Bad command line, bad input, bad configuration: nothing was done.
pub const USAGE: u8 = Code::Usage as u8;
/// The run completed only in part (some items failed and were skipped).
pub const PARTIAL: u8 = Code::Partial as u8;
/// Redis or the lineage source could not be reached or stopped answering.
pub const CONNECTION: u8 = Code::Connection as u8;
/// Another run holds the lock (warm).
pub const LOCKED: u8 = Code::Locked as u8;
/// The run was refused to protect the server (memory limits).
pub const REFUSED: u8 = Code::Refused as u8;
/// `verify` found drift: keys that are not what the API would write now.
pub const DRIFT: u8 = Code::Drift as u8;
/// Interrupted by Ctrl-C.
pub const INTERRUPTED: u8 = Code::Interrupted as u8;

/// Errors that map to the usage exit code.
#[derive(Debug, thiserror::Error)]
pub enum UsageError {
    #[error("{0}")]
    Clap(clap::Error),
    #[error("{0}")]
    Invalid(String),
}

/// The exit code of each kind of failure: the one place the mapping is written.
pub fn code_for(failure: Failure) -> u8 {
    match failure {
        Failure::Usage => USAGE,
        Failure::Connection => CONNECTION,
        Failure::Partial => PARTIAL,
        Failure::Refused => REFUSED,
        Failure::Locked => LOCKED,
        Failure::Interrupted => INTERRUPTED,
    }
}

/// The exit code a core error stands for.
pub trait ExitCodeOf {
    fn exit_code(&self) -> u8;
}

impl ExitCodeOf for crate::store::StoreError {
    fn exit_code(&self) -> u8 {
        code_for(self.failure())
    }
}

impl ExitCodeOf for crate::source::SourceError {
    fn exit_code(&self) -> u8 {
        code_for(self.failure())
    }
}

/// An error that carries its own exit code.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct CodedError {
    pub code: u8,
    pub message: String,
}

impl CodedError {
    pub fn new(code: u8, message: impl Into<String>) -> Self {
        CodedError {
            code,
            message: message.into(),
        }
    }
}

/// Shorthand: a usage error with a message.
pub fn usage(msg: impl Into<String>) -> anyhow::Error {
    UsageError::Invalid(msg.into()).into()
}

/// Shorthand: an error with an explicit exit code.
pub fn coded(code: u8, msg: impl Into<String>) -> anyhow::Error {
    CodedError::new(code, msg).into()
}

/// The exit code an error chain stands for.
pub fn code_of(err: &anyhow::Error) -> u8 {
    for cause in err.chain() {
        if let Some(n) = cause.downcast_ref::<crate::failure::Noted>() {
            return code_of(&n.cause);
        }
        if let Some(c) = cause.downcast_ref::<CodedError>() {
            return c.code;
        }
        if let Some(f) = cause.downcast_ref::<crate::failure::Failed>() {
            return code_for(f.kind);
        }
        if cause.downcast_ref::<UsageError>().is_some()
            || cause.downcast_ref::<crate::failure::BadInput>().is_some()
        {
            return USAGE;
        }
        if let Some(e) = cause.downcast_ref::<std::io::Error>() {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                return SUCCESS;
            }
        }
        if let Some(e) = cause.downcast_ref::<crate::store::StoreError>() {
            return e.exit_code();
        }
        if let Some(e) = cause.downcast_ref::<crate::source::SourceError>() {
            return e.exit_code();
        }
        if cause.downcast_ref::<crate::config::ConfigError>().is_some() {
            return USAGE;
        }
        if cause.downcast_ref::<crate::keys::KeyError>().is_some() {
            return USAGE;
        }
    }
    FAILURE
}

/// Say the outcome's line or the error (once, with its cause chain) on stderr and turn it
/// into the process exit code.
pub fn handle(result: anyhow::Result<Outcome>) -> ExitCode {
    let err = match result {
        Ok(outcome) => {
            if let Some(line) = outcome.message() {
                let line = crate::config::redact_known_secrets(&format!("lineage-cache: {line}"));
                let _ = writeln!(std::io::stderr(), "{line}");
            }
            return Code::from(&outcome).into();
        }
        Err(e) => e,
    };
    if let Some(UsageError::Clap(e)) = err.downcast_ref::<UsageError>() {
        use clap::error::ErrorKind;
        let help_asked = e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand;
        if !e.use_stderr() || help_asked {
            // Help and version (and help for a bare command) as clap renders them.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { USAGE } else { SUCCESS });
        }
        let _ = writeln!(std::io::stderr(), "lineage-cache: {}", clap_one_line(e));
        return ExitCode::from(USAGE);
    }
    let code = code_of(&err);
    if code == SUCCESS {
        return ExitCode::from(SUCCESS); // broken pipe on stdout
    }
    let mut line = String::from("lineage-cache: ");
    let mut first = true;
    for cause in err.chain() {
        let text = cause.to_string();
        if !first {
            if line.ends_with(&text) {
                continue;
            }
            line.push_str(": ");
        }
        line.push_str(&text);
        first = false;
    }
    let line = crate::config::redact_known_secrets(&line);
    let _ = writeln!(std::io::stderr(), "{line}");
    ExitCode::from(code)
}

/// A clap usage error as one line: its message and details, without the usage and the
/// "For more information" hint.
fn clap_one_line(e: &clap::Error) -> String {
    let text = e.render().to_string();
    let parts: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| {
            !l.is_empty() && !l.starts_with("Usage:") && !l.starts_with("For more information")
        })
        .collect();
    let line = parts.join(" ");
    line.strip_prefix("error: ").unwrap_or(&line).to_string()
}
