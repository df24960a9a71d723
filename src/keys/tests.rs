//! Key builder tests.
