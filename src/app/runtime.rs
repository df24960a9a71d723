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
/// run takes no more work and lets what is in flight finish. Ctrl-C asks, and marks the run
/// interrupted (exit code 130); a run may also stop itself (a failure, a budget).
///
/// Two cancellation tokens: `interrupt` (Ctrl-C) and its child `run`, so an interruption
/// stops the run while a run stopping itself is no interruption.
#[derive(Debug, Clone)]
pub struct Stop {
    interrupt: CancellationToken,
    run: CancellationToken,
}

impl Default for Stop {
    fn default() -> Self {
        let interrupt = CancellationToken::new();
        let run = interrupt.child_token();
        Stop { interrupt, run }
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

    /// Whether Ctrl-C stopped the run.
    pub fn interrupted(&self) -> bool {
        self.interrupt.is_cancelled()
    }

    fn interrupt(&self) {
        self.interrupt.cancel();
    }
}

/// Listens for Ctrl-C on the current runtime while it lives, and interrupts `stop` when it
/// comes. Dropping it stops listening.
pub struct CtrlC(tokio::task::JoinHandle<()>);

impl CtrlC {
    pub fn watch(stop: Arc<Stop>) -> CtrlC {
        CtrlC(tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                stop.interrupt();
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
    }
}
