//! What every command shares, between the command line and the core: turning clap types into
//! the core's types, one runtime and one stop signal, the Redis store and its scan
//! connection, output decisions (colour, logging, stdout) and reports (tables, JSON,
//! Prometheus text, progress bars).
//!
//! Imports point one way: `cmd` → `app` → core (`select`, `store`, `source`, `keys`,
//! `route`, `json`, `config`) → `model`. Nothing in the core imports `cli`, `cmd` or `app`.
pub mod connect;
pub mod output;
pub mod report;
pub mod runtime;
