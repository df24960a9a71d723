//! The jobs, clap-free and typed: each takes checked options and returns a typed report.
//! `warm` fills the cache, `stale` finds and drops the keys a change made stale (invalidate),
//! `judge` audits cached values against the source (verify), and `guard` is the one write
//! guard (lock, memory headroom, confirmation) shared by every job that writes or deletes.
//! `resolve` completes a selection from the lineage source.
//!
//! Imports point one way: `cmd` → `jobs` → `app` and the core → `model`. Nothing here names
//! `cli` or `cmd`.
pub mod guard;
pub mod judge;
pub mod resolve;
pub mod rewrite;
pub mod saved;
pub mod stale;
pub mod sync;
pub mod warm;

/// How a job ended. A normal result, never an error: only `exit.rs` turns it into an exit
/// code (docs/exit-codes.md), and says its line on stderr.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Everything asked was done.
    Complete,
    /// Finished, but some items failed and were skipped, or a budget stopped it: why.
    Partial(String),
    /// `verify` found keys that are not what the API would write now: what.
    Drift(String),
    /// Refused to protect the server (memory limits): why.
    Refused(String),
    /// Stopped by Ctrl-C once the work in flight was finished: what was done.
    Interrupted(String),
}

impl Outcome {
    /// The line said on stderr, if any.
    pub fn message(&self) -> Option<&str> {
        match self {
            Outcome::Complete => None,
            Outcome::Partial(m)
            | Outcome::Drift(m)
            | Outcome::Refused(m)
            | Outcome::Interrupted(m) => Some(m),
        }
    }
}

/// What a job hands back: the report of what it did (none when it stopped before doing
/// anything) and how it ended: an [`Outcome`], or the error that stopped it after the
/// report's work (a lost connection), which the command says after showing the report.
pub struct Done<R> {
    pub report: Option<R>,
    pub end: anyhow::Result<Outcome>,
}

impl<R> Done<R> {
    /// A job that ran: its report and how it ended.
    pub fn ran(report: R, end: anyhow::Result<Outcome>) -> Self {
        Done {
            report: Some(report),
            end,
        }
    }

    /// A job that stopped before doing anything: no report.
    pub fn early(outcome: Outcome) -> Self {
        Done {
            report: None,
            end: Ok(outcome),
        }
    }
}
