//! Tests of the demo warehouse.
