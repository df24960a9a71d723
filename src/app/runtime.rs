//! The one tokio runtime every command runs on, and the stop signal of a run.
use std::sync::Arc;

use anyhow::Context;
use tokio_util::sync::CancellationToken;

/// A multi-threaded runtime with two workers (the machines this runs on have few cores, and
/// Redis and the source do the heavy work elsewhere), timers and I/O enabled.
pub fn build() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

/// The stop signal of one run, shared by everything working for it: once asked to stop, a
/// run takes no more work and lets what is in flight finish. Ctrl-C (SIGINT) or SIGTERM (a
/// service manager's stop, a CI job's timeout) asks, and marks the run interrupted (exit
/// code 130); a run may also stop itself (a failure, a budget).
///
/// Two cancellation tokens: `interrupt` (a signal) and its child `run`, so an interruption
/// stops the run while a run stopping itself is no interruption; `term` marks an
/// interruption by SIGTERM, which reaches this process alone (a Ctrl-C on a terminal
/// reaches its whole process group), so that `sync` passes it on to its command.
#[derive(Debug, Clone)]
pub struct Stop {
    interrupt: CancellationToken,
    run: CancellationToken,
    term: CancellationToken,
}

impl Default for Stop {
    fn default() -> Self {
        let interrupt = CancellationToken::new();
        let run = interrupt.child_token();
        let term = CancellationToken::new();
        Stop {
            interrupt,
            run,
            term,
        }
    }
}

impl Stop {
    /// Whether the run should take no more work.
    pub fn stopped(&self) -> bool {
        self.run.is_cancelled()
    }

    /// Ask the run to stop (not an interruption).
    pub fn stop(&self) {
        self.run.cancel();
    }

    /// Whether Ctrl-C or SIGTERM stopped the run.
    pub fn interrupted(&self) -> bool {
        self.interrupt.is_cancelled()
    }

    /// Whether SIGTERM stopped the run.
    pub fn terminated(&self) -> bool {
        self.term.is_cancelled()
    }

    fn interrupt(&self) {
        self.interrupt.cancel();
    }

    pub(crate) fn terminate(&self) {
        self.term.cancel();
        self.interrupt();
    }
}

/// Listens for Ctrl-C and SIGTERM on the current runtime while it lives, and interrupts
/// `stop` when one comes. Dropping it stops listening.
pub struct CtrlC(tokio::task::JoinHandle<()>);

impl CtrlC {
    pub fn watch(stop: Arc<Stop>) -> CtrlC {
        use tokio::signal::unix::{signal, SignalKind};
        CtrlC(tokio::spawn(async move {
            let term = async {
                match signal(SignalKind::terminate()) {
                    Ok(mut s) => s.recv().await,
                    Err(_) => std::future::pending().await,
                }
            };
            tokio::select! {
                r = tokio::signal::ctrl_c() => if r.is_ok() { stop.interrupt() },
                Some(()) = term => stop.terminate(),
            }
        }))
    }
}

impl Drop for CtrlC {
    fn drop(&mut self) {
        self.0.abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_interruption_stops_the_run_and_a_stop_is_no_interruption() {
        let own = Stop::default();
        own.stop();
        assert!(own.stopped() && !own.interrupted());
        let ctrl_c = Stop::default();
        ctrl_c.interrupt();
        assert!(ctrl_c.stopped() && ctrl_c.interrupted());
        let shared = ctrl_c.clone();
        assert!(shared.stopped() && shared.interrupted());
        assert!(!ctrl_c.terminated());
        let term = Stop::default();
        term.terminate();
        assert!(term.stopped() && term.interrupted() && term.clone().terminated());
    }
}
