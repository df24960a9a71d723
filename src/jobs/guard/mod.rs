//! The one write guard every job that writes or deletes goes through: the lock (one writer
//! per cache), the memory headroom (never push Redis into eviction), and the confirmation
//! of a broad change.
pub mod confirm;
pub(crate) mod lock;
pub(crate) mod memory;

pub use lock::LockHeld;
