//! The plumbing jobs and commands share, above the core: one runtime and the stop signal
//! of a run, the connection a scan runs ahead on, output decisions (colour, logging,
//! stdout) and reports (the exporter seam, tables, JSON, Prometheus text, metrics files,
//! progress bars).
//!
//! Imports point one way: `cmd` → `jobs` → `app` → core (`select`, `store`, `source`,
//! `keys`, `route`, `json`, `config`) → `model`. Nothing in the core imports `cli`, `cmd`,
//! `jobs` or `app`.
pub mod connect;
pub mod output;
pub mod report;
pub mod runtime;
