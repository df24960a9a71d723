//! One tokio runtime and one stop signal for every command.
