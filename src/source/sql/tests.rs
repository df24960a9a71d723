//! Tests of the SQL text.
