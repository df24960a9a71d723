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
