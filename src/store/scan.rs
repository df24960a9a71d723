//! `SCAN` with `MATCH` and a large `COUNT`, delivered batch by batch so memory stays flat.
//!
//! Keys are raw bytes (they need not be UTF-8). Like every `SCAN`, a key present for the
//! whole scan is delivered at least once; a key can be delivered twice while the server
//! rehashes, so callers that count must tolerate (or remove) duplicates within reason.
use std::ops::ControlFlow;

use redis::Value;

use super::error::{int, text};
use super::{Store, StoreError};

/// The `COUNT` hint used when a caller has no reason to choose another.
pub const DEFAULT_SCAN_COUNT: usize = 2000;

/// A running scan of one keyspace: call [`Scanner::next_batch`] until it returns `None`.
#[derive(Debug)]
pub struct Scanner<'a> {
    store: &'a Store,
    pattern: String,
    count: usize,
    cursor: u64,
    done: bool,
}

impl<'a> Scanner<'a> {
    /// The next non-empty batch of keys, or `None` once the scan is complete.
    pub async fn next_batch(&mut self) -> Result<Option<Vec<Vec<u8>>>, StoreError> {
        while !self.done {
            let mut cmd = redis::cmd("SCAN");
            cmd.arg(self.cursor.to_string())
                .arg("MATCH")
                .arg(self.pattern.as_bytes())
                .arg("COUNT")
                .arg(self.count);
            let reply: Value = self.store.query(&cmd, "SCAN").await?;
            let (cursor, keys) = self.parse(reply)?;
            self.cursor = cursor;
            self.done = cursor == 0;
            if !keys.is_empty() {
                return Ok(Some(keys));
            }
        }
        Ok(None)
    }

    fn parse(&self, reply: Value) -> Result<(u64, Vec<Vec<u8>>), StoreError> {
        let bad = |why: &str| self.store.command_error("SCAN", why.to_string());
        let Value::Array(mut parts) = reply else {
            return Err(bad("the reply is not an array"));
        };
        if parts.len() != 2 {
            return Err(bad("the reply does not have two parts"));
        }
        let keys = parts.pop().unwrap_or(Value::Nil);
        let cursor = parts
            .pop()
            .as_ref()
            .and_then(cursor_of)
            .ok_or_else(|| bad("the cursor is not a number"))?;
        let Value::Array(keys) = keys else {
            return Err(bad("the key list is not an array"));
        };
        let keys = keys
            .into_iter()
            .map(|k| match k {
                Value::BulkString(b) => Ok(b),
                _ => Err(bad("a key is not a string")),
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok((cursor, keys))
    }
}

/// A cursor: an unsigned 64-bit number, normally sent as a bulk string.
fn cursor_of(v: &Value) -> Option<u64> {
    match text(v) {
        Some(t) => t.parse().ok(),
        None => int(v).and_then(|i| u64::try_from(i).ok()),
    }
}

impl Store {
    /// Start a scan for keys matching the glob `pattern`, `count` keys per round trip
    /// (a hint; 0 means [`DEFAULT_SCAN_COUNT`]).
    pub fn scanner(&self, pattern: &str, count: usize) -> Scanner<'_> {
        Scanner {
            store: self,
            pattern: pattern.to_string(),
            count: if count == 0 {
                DEFAULT_SCAN_COUNT
            } else {
                count
            },
            cursor: 0,
            done: false,
        }
    }

    /// Scan for `pattern`, handing each batch to `on_batch` until the scan completes or
    /// `on_batch` breaks. Returns how many keys were delivered.
    pub async fn scan(
        &self,
        pattern: &str,
        count: usize,
        mut on_batch: impl FnMut(Vec<Vec<u8>>) -> ControlFlow<()>,
    ) -> Result<u64, StoreError> {
        let mut scanner = self.scanner(pattern, count);
        let mut delivered = 0u64;
        while let Some(batch) = scanner.next_batch().await? {
            delivered += batch.len() as u64;
            if on_batch(batch).is_break() {
                break;
            }
        }
        Ok(delivered)
    }
}
