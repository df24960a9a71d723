//! The Redis store: connecting (standalone now, cluster behind the same seam), SCAN with a
//! large COUNT, pipelined batches, and timeouts so a dead or paused server fails fast.

/// A failure talking to Redis. Messages never carry secrets.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot connect to Redis at {addr}: {message}")]
    Connect { addr: String, message: String },
    #[error("Redis did not answer within {secs}s ({what})")]
    Timeout { what: String, secs: f64 },
    #[error("Redis refused {what}: {message}")]
    Command { what: String, message: String },
    #[error("bad Redis configuration: {0}")]
    Config(String),
}

impl StoreError {
    pub fn exit_code(&self) -> u8 {
        match self {
            StoreError::Config(_) => crate::exit::USAGE,
            StoreError::Connect { .. } | StoreError::Timeout { .. } => crate::exit::CONNECTION,
            StoreError::Command { .. } => crate::exit::CONNECTION,
        }
    }
}
