//! The one tokio runtime every command runs on.
use anyhow::Context;

/// A multi-threaded runtime with two workers (the machines this runs on have few cores, and
/// Redis and the source do the heavy work elsewhere), timers and I/O enabled.
pub fn build() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// The stop signal of one run, shared by everything working for it: once asked to stop, a
/// run takes no more work and lets what is in flight finish. Ctrl-C asks, and marks the run
/// interrupted (exit code 130); a run may also stop itself (a failure, a budget).
#[derive(Debug, Default)]
pub struct Stop {
    requested: AtomicBool,
    interrupted: AtomicBool,
}

impl Stop {
    /// Whether the run should take no more work.
    pub fn stopped(&self) -> bool {
        self.requested.load(Ordering::Relaxed)
    }

    /// Ask the run to stop (not an interruption).
    pub fn stop(&self) {
        self.requested.store(true, Ordering::Relaxed);
    }

    /// Whether Ctrl-C stopped the run.
    pub fn interrupted(&self) -> bool {
        self.interrupted.load(Ordering::Relaxed)
    }

    fn interrupt(&self) {
        self.interrupted.store(true, Ordering::Relaxed);
        self.stop();
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
