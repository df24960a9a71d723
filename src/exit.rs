//! The exit codes, and the one place where a job's outcome or an error becomes one (printing
//! the error, or the outcome's line, once).
use std::io::Write;
use std::process::ExitCode;

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

/// The command line could not be parsed (or help or the version was asked for): clap's
/// error, said by [`handle`] as clap renders it or in one line.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ClapError(pub clap::Error);

impl From<crate::failure::Failure> for Code {
    /// The exit code of each kind of failure: the one place the mapping is written.
    fn from(failure: crate::failure::Failure) -> Code {
        use crate::failure::Failure;
        match failure {
            Failure::Usage => Code::Usage,
            Failure::Connection => Code::Connection,
            Failure::Partial => Code::Partial,
            Failure::Refused => Code::Refused,
        }
    }
}

/// The exit code a core error stands for.
pub trait ExitCodeOf {
    fn exit_code(&self) -> Code;
}

impl ExitCodeOf for crate::store::StoreError {
    fn exit_code(&self) -> Code {
        self.failure().into()
    }
}

impl ExitCodeOf for crate::source::SourceError {
    fn exit_code(&self) -> Code {
        self.failure().into()
    }
}

/// The exit code an error chain stands for: that of the first cause that says one.
pub fn code_of(err: &anyhow::Error) -> Code {
    err.chain().find_map(code_of_cause).unwrap_or(Code::Failure)
}

/// The exit code one error stands for, if it says one.
fn code_of_cause(cause: &(dyn std::error::Error + 'static)) -> Option<Code> {
    use crate::failure::{BadInput, Noted};
    if let Some(n) = cause.downcast_ref::<Noted>() {
        return Some(code_of(&n.cause));
    }
    if let Some(e) = cause.downcast_ref::<std::io::Error>() {
        // A broken pipe on stdout: the reader has seen enough.
        return (e.kind() == std::io::ErrorKind::BrokenPipe).then_some(Code::Success);
    }
    if let Some(e) = cause.downcast_ref::<crate::store::StoreError>() {
        return Some(e.exit_code());
    }
    if let Some(e) = cause.downcast_ref::<crate::source::SourceError>() {
        return Some(e.exit_code());
    }
    if cause.is::<crate::jobs::guard::LockHeld>() {
        return Some(Code::Locked);
    }
    let usage = cause.is::<ClapError>()
        || cause.is::<BadInput>()
        || cause.is::<crate::config::ConfigError>()
        || cause.is::<crate::keys::KeyError>();
    usage.then_some(Code::Usage)
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
    if let Some(ClapError(e)) = err.downcast_ref::<ClapError>() {
        return clap_exit(e);
    }
    let code = code_of(&err);
    if code == Code::Success {
        return code.into(); // broken pipe on stdout
    }
    let _ = writeln!(std::io::stderr(), "{}", error_line(&err));
    code.into()
}

/// Help and version (and help for a bare command) as clap renders them; a usage error in
/// one line.
fn clap_exit(e: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    let help_asked = e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand;
    if !e.use_stderr() || help_asked {
        let _ = e.print();
        let code = if e.use_stderr() {
            Code::Usage
        } else {
            Code::Success
        };
        return code.into();
    }
    let _ = writeln!(std::io::stderr(), "lineage-cache: {}", clap_one_line(e));
    Code::Usage.into()
}

/// `lineage-cache: ` and the error's chain of causes, each said once, secrets redacted.
fn error_line(err: &anyhow::Error) -> String {
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
    crate::config::redact_known_secrets(&line)
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
