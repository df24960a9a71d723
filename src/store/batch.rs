//! Pipelined batch helpers: one round trip per batch (per primary in a cluster), replies in
//! the order of the keys.
//!
//! Callers bound the batch size (a few thousand keys) so memory stays flat; an empty batch
//! costs no round trip. In a cluster each batch is split by the primary owning each key's
//! slot and redirected items are retried (see `cluster.rs`), so the same calls work there.
use std::collections::BTreeMap;

use redis::{Cmd, Pipeline, Value};

use super::cluster::slot_of;
use super::error::{int, is_loading, item_error, text};
use super::retry::Failed;
use super::{Store, StoreError};

/// An `OBJECT` subcommand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectSub {
    /// Access frequency (only with an LFU `maxmemory-policy`; otherwise the server refuses).
    Freq,
    /// Seconds since last access (refused by the server under an LFU policy).
    IdleTime,
    /// Internal encoding (`raw`, `embstr`, `int`, ...).
    Encoding,
}

impl ObjectSub {
    fn name(self) -> &'static str {
        match self {
            ObjectSub::Freq => "FREQ",
            ObjectSub::IdleTime => "IDLETIME",
            ObjectSub::Encoding => "ENCODING",
        }
    }
}

/// One `OBJECT` reply: a number (FREQ, IDLETIME) or a name (ENCODING).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ObjectValue {
    Int(i64),
    Text(String),
}

impl ObjectValue {
    /// The number, for FREQ and IDLETIME.
    pub fn as_int(&self) -> Option<i64> {
        match self {
            ObjectValue::Int(i) => Some(*i),
            ObjectValue::Text(t) => t.parse().ok(),
        }
    }

    /// The text, for ENCODING.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            ObjectValue::Text(t) => Some(t),
            ObjectValue::Int(_) => None,
        }
    }
}

impl Store {
    /// `GET` each key: `None` for a missing key. A reply that is an error (e.g. `WRONGTYPE`)
    /// fails the batch.
    pub async fn get_many(&self, keys: &[Vec<u8>]) -> Result<Vec<Option<Vec<u8>>>, StoreError> {
        let values = self.per_key("GET", &[], &[], keys).await?;
        values
            .into_iter()
            .map(|v| match v {
                Value::Nil => Ok(None),
                Value::BulkString(b) => Ok(Some(b)),
                other => Err(self.unexpected("GET", &other)),
            })
            .collect()
    }

    /// `PTTL` each key: milliseconds left, `-1` without expiry, `-2` missing.
    pub async fn pttl_many(&self, keys: &[Vec<u8>]) -> Result<Vec<i64>, StoreError> {
        let values = self.per_key("PTTL", &[], &[], keys).await?;
        values
            .iter()
            .map(|v| int(v).ok_or_else(|| self.unexpected("PTTL", v)))
            .collect()
    }

    /// `MEMORY USAGE key SAMPLES 0`: bytes, `None` for a missing key.
    pub async fn memory_usage_many(
        &self,
        keys: &[Vec<u8>],
    ) -> Result<Vec<Option<u64>>, StoreError> {
        let values = self
            .per_key("MEMORY", &["USAGE"], &["SAMPLES", "0"], keys)
            .await?;
        values
            .iter()
            .map(|v| match v {
                Value::Nil => Ok(None),
                v => int(v)
                    .and_then(|n| u64::try_from(n).ok())
                    .map(Some)
                    .ok_or_else(|| self.unexpected("MEMORY USAGE", v)),
            })
            .collect()
    }

    /// `OBJECT sub key` for each key: `None` for a missing key. A server that refuses the
    /// subcommand (FREQ without an LFU policy) fails the batch with a `Command` error.
    pub async fn object_many(
        &self,
        sub: ObjectSub,
        keys: &[Vec<u8>],
    ) -> Result<Vec<Option<ObjectValue>>, StoreError> {
        let values = self.per_key("OBJECT", &[sub.name()], &[], keys).await?;
        values
            .into_iter()
            .map(|v| match v {
                Value::Nil => Ok(None),
                Value::Int(i) => Ok(Some(ObjectValue::Int(i))),
                v => text(&v)
                    .map(|t| Some(ObjectValue::Text(t)))
                    .ok_or_else(|| self.unexpected("OBJECT", &v)),
            })
            .collect()
    }

    /// `EXISTS` each key.
    pub async fn exists_many(&self, keys: &[Vec<u8>]) -> Result<Vec<bool>, StoreError> {
        let values = self.per_key("EXISTS", &[], &[], keys).await?;
        values
            .iter()
            .map(|v| {
                int(v)
                    .map(|n| n > 0)
                    .ok_or_else(|| self.unexpected("EXISTS", v))
            })
            .collect()
    }

    /// How many keys of each group exist: one multi-key `EXISTS` per group, pipelined.
    /// Far cheaper per key than one `EXISTS` each, for looking up many keys of which few
    /// exist. In a cluster (where the keys of one `EXISTS` must share a slot) each group
    /// is counted key by key instead.
    pub async fn exists_counts(&self, groups: &[&[Vec<u8>]]) -> Result<Vec<u64>, StoreError> {
        if self.is_cluster() {
            let mut counts = Vec::with_capacity(groups.len());
            for g in groups {
                let there = self.exists_many(g).await?;
                counts.push(there.into_iter().filter(|e| *e).count() as u64);
            }
            return Ok(counts);
        }
        let cmds = groups
            .iter()
            .filter(|g| !g.is_empty())
            .map(|g| {
                let mut c = redis::cmd("EXISTS");
                for k in g.iter() {
                    c.arg(k.as_slice());
                }
                (0, c)
            })
            .collect();
        let mut values = self.run_routed(cmds, "EXISTS").await?.into_iter();
        let mut counts = Vec::with_capacity(groups.len());
        for g in groups {
            if g.is_empty() {
                counts.push(0);
                continue;
            }
            let v = values.next().unwrap_or(Value::Nil);
            let n = int(&v).ok_or_else(|| self.unexpected("EXISTS", &v))?;
            counts.push(u64::try_from(n).unwrap_or(0));
        }
        Ok(counts)
    }

    /// `UNLINK` the keys: how many existed and were removed. One command on a standalone
    /// server; in a cluster one `UNLINK` per slot, pipelined per primary.
    pub async fn unlink_many(&self, keys: &[Vec<u8>]) -> Result<u64, StoreError> {
        Ok(self
            .unlink_groups(std::slice::from_ref(&keys))
            .await?
            .into_iter()
            .sum())
    }

    /// `UNLINK` each group of keys, all in one round trip (one pipeline; per primary in a
    /// cluster, one `UNLINK` per slot): how many of each group existed and were removed.
    pub async fn unlink_groups<K: AsRef<[Vec<u8>]>>(
        &self,
        groups: &[K],
    ) -> Result<Vec<u64>, StoreError> {
        Ok(self.measure_and_unlink(&[], groups).await?.1)
    }

    /// `MEMORY USAGE` of each `sample` key, then [`Store::unlink_groups`], in the same round
    /// trip: each key is measured before it goes (a key's two commands reach its server in
    /// that order), and the server has the deletes queued without waiting for the client to
    /// read the sizes. A size the server refuses to give (an ACL without `MEMORY`) is `None`.
    pub async fn measure_and_unlink<K: AsRef<[Vec<u8>]>>(
        &self,
        sample: &[Vec<u8>],
        groups: &[K],
    ) -> Result<(Vec<Option<u64>>, Vec<u64>), StoreError> {
        let mut items = measure_cmds(sample);
        let (unlinks, owner) = unlink_cmds(groups, self.is_cluster());
        items.extend(unlinks);
        let mut removed = vec![0u64; groups.len()];
        if items.is_empty() {
            return Ok((Vec::new(), removed));
        }
        let mut values = self.run_routed(items, "UNLINK").await?.into_iter();
        let sizes = values
            .by_ref()
            .take(sample.len())
            .map(|v| int(&v).and_then(|n| u64::try_from(n).ok()))
            .collect();
        for (v, g) in values.zip(owner) {
            match v {
                Value::ServerError(e) => return Err(self.own(item_error(e, "UNLINK", &self.addr))),
                v => {
                    let n = int(&v).ok_or_else(|| self.unexpected("UNLINK", &v))?;
                    removed[g] += u64::try_from(n).unwrap_or(0);
                }
            }
        }
        Ok((sizes, removed))
    }

    /// `SET key value EX ttl` for each item, pipelined. The outer error is the batch's
    /// (connection, timeout); each item has its own result, so an `OOM` reply shows up as
    /// [`StoreError::OutOfMemory`] for exactly the items the server refused.
    pub async fn set_ex_many<K: AsRef<[u8]>, V: AsRef<[u8]>>(
        &self,
        items: &[(K, V, u64)],
    ) -> Result<Vec<Result<(), StoreError>>, StoreError> {
        if items.is_empty() {
            return Ok(Vec::new());
        }
        let cmds = items
            .iter()
            .map(|(key, value, ttl)| {
                let (key, value) = (key.as_ref(), value.as_ref());
                // Sized up front: a value is copied once, not regrown.
                let mut c = redis::Cmd::with_capacity(5, key.len() + value.len() + 32);
                c.arg("SET").arg(key).arg(value).arg("EX").arg(*ttl);
                (slot_of(key), c)
            })
            .collect();
        let values = self.run_routed(cmds, "SET").await?;
        Ok(values.into_iter().map(|v| self.set_reply(v)).collect())
    }

    /// [`Store::set_ex_many`] on a standalone server, after the batch's first attempt on the
    /// bulk connection failed: its retries keep that attempt's budget.
    pub(crate) async fn set_ex_many_after(
        &self,
        items: &[(&[u8], &[u8], u64)],
        first: Failed,
    ) -> Result<Vec<Result<(), StoreError>>, StoreError> {
        let mut pipe = Pipeline::with_capacity(items.len());
        for (key, value, ttl) in items {
            pipe.cmd("SET").arg(*key).arg(*value).arg("EX").arg(*ttl);
        }
        let values = self
            .run_pipe_after(&mut pipe, items.len(), "SET", Some(first))
            .await?;
        Ok(values.into_iter().map(|v| self.set_reply(v)).collect())
    }

    /// `CMD pre.. key post..` for each key; an error reply in any slot fails the batch.
    async fn per_key(
        &self,
        cmd: &str,
        pre: &[&str],
        post: &[&str],
        keys: &[Vec<u8>],
    ) -> Result<Vec<Value>, StoreError> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let what = std::iter::once(cmd)
            .chain(pre.iter().copied())
            .collect::<Vec<_>>()
            .join(" ");
        let cmds = keys
            .iter()
            .map(|k| {
                let mut c = redis::cmd(cmd);
                for p in pre {
                    c.arg(*p);
                }
                c.arg(k.as_slice());
                for p in post {
                    c.arg(*p);
                }
                (slot_of(k), c)
            })
            .collect();
        let values = self.run_routed(cmds, &what).await?;
        values
            .into_iter()
            .map(|v| match v {
                Value::ServerError(e) => Err(self.own(item_error(e, &what, &self.addr))),
                v => Ok(v),
            })
            .collect()
    }

    /// Send the pipeline with per-item error replies kept in their slots; check the count.
    /// Retried like [`Store::query`], also when the server answers `LOADING` (restarted,
    /// still reading its data set).
    pub(crate) async fn run_pipe(
        &self,
        pipe: &mut Pipeline,
        n: usize,
        what: &str,
    ) -> Result<Vec<Value>, StoreError> {
        self.run_pipe_after(pipe, n, what, None).await
    }

    /// As [`Store::run_pipe`], after a failed first attempt elsewhere ([`Failed`]).
    async fn run_pipe_after(
        &self,
        pipe: &mut Pipeline,
        n: usize,
        what: &str,
        first: Option<Failed>,
    ) -> Result<Vec<Value>, StoreError> {
        pipe.ignore_errors();
        let pipe = &*pipe;
        let values = self
            .retrying_after(what, first, || async {
                let values: Vec<Value> = self.query_pipe_once(pipe, what).await?;
                match values.iter().find(|v| is_loading(v)) {
                    Some(Value::ServerError(e)) => {
                        Err(self.own(item_error(e.clone(), what, &self.addr)))
                    }
                    _ => Ok(values),
                }
            })
            .await?;
        if values.len() != n {
            return Err(
                self.command_error(what, format!("expected {n} replies, got {}", values.len()))
            );
        }
        Ok(values)
    }

    fn unexpected(&self, what: &str, v: &Value) -> StoreError {
        self.command_error(what, format!("unexpected reply {v:?}"))
    }
}

/// `MEMORY USAGE key SAMPLES 0` for each key, with its slot.
fn measure_cmds(sample: &[Vec<u8>]) -> Vec<(u16, Cmd)> {
    sample
        .iter()
        .map(|k| {
            let mut c = redis::cmd("MEMORY");
            c.arg("USAGE").arg(k.as_slice()).arg("SAMPLES").arg(0);
            (slot_of(k), c)
        })
        .collect()
}

/// One `UNLINK` per group and slot (one slot outside a cluster), and the group of each.
fn unlink_cmds<K: AsRef<[Vec<u8>]>>(groups: &[K], cluster: bool) -> (Vec<(u16, Cmd)>, Vec<usize>) {
    let mut items = Vec::new();
    let mut owner: Vec<usize> = Vec::new();
    for (g, keys) in groups.iter().enumerate() {
        let mut by_slot: BTreeMap<u16, Cmd> = BTreeMap::new();
        for k in keys.as_ref() {
            let slot = if cluster { slot_of(k) } else { 0 };
            by_slot
                .entry(slot)
                .or_insert_with(|| redis::cmd("UNLINK"))
                .arg(k.as_slice());
        }
        owner.extend(std::iter::repeat_n(g, by_slot.len()));
        items.extend(by_slot);
    }
    (items, owner)
}
