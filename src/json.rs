//! Go-compatible JSON encoding (contract §3): the bytes `encoding/json` writes.
