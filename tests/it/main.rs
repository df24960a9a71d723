//! The integration tests, in one binary: each module was once its own test binary, and
//! every extra binary costs seconds of linking after any change in `src/` (docs/benchmarks.md,
//! "Test rebuild after a one-line change"). `common` holds the helpers they share: private
//! servers (Redis, a Redis Cluster, TLS Redis, PostgreSQL), a fault proxy and the built CLI.
//!
//! The modules run on parallel threads of one process, so a test must not change
//! process-wide state (environment variables, the working directory) and must own its
//! resources: its own servers on free ports, its own temporary directories.
//!
//! What they do share is the library's own process-wide state, for the tests that call it
//! in-process rather than through the built CLI: the secrets registry (every password a
//! `Config` or a connection string names is redacted from every later message of the
//! process, so each module uses secrets of its own and none asserts on another's), the one
//! ODBC environment, and the rustls crypto provider (installed once, idempotently).
//!
//! Run one module with `cargo test --test it MODULE::`, e.g. `cargo test --test it warm::`.

mod common;

mod architecture;
mod bad_input;
mod cli_key;
mod commands_acl;
mod commands_cluster;
mod commands_tls;
mod completions;
mod engine_sql;
mod faults_redis;
mod faults_source;
mod inspect;
mod invalidate;
mod invalidate_computed;
mod secrets;
mod source_odbc;
mod stats;
mod store;
mod store_acl;
mod store_cluster;
mod store_tls;
mod sync;
mod teradata_sqlglot;
mod ui_urls;
mod verify;
mod warm;
mod warm_odbc;
