//! Tests of the SQLite source.
