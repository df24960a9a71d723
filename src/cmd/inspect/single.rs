//! `inspect KEY`: one key in full — kind and parameters, TTL, size, encoding, access, the
//! anomalies, and the value pretty-printed (or, with `--raw`, the stored bytes as they are).
use std::io::Write;

use serde::Serialize;
use serde_json::Value;

use super::cells::{access_cell, ttl_cell};
use super::row::{self, Access, Row};
use crate::app::report::export::{self, Export};
use crate::app::report::human_bytes;
use crate::cli::Format;
use crate::config::Config;
use crate::failure::bad_input;
use crate::store::probe::{self as fetch, Facts, Probe, ValueFact};
use crate::store::{ObjectSub, Store};

/// One key in full; its JSON is the row's, with the key's note, Redis type, encoding and
/// value (or its raw text).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct OneKey {
    #[serde(flatten)]
    row: Row,
    /// What a user should know of the key beyond its anomalies (a `both` graph's).
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'static str>,
    #[serde(rename = "type")]
    redis_type: String,
    encoding: Option<String>,
    #[serde(flatten)]
    value: Shown,
    /// The stored bytes, when the key holds a string.
    #[serde(skip)]
    bytes: Option<Vec<u8>>,
}

/// The value in JSON: parsed (`null` when it is not JSON), or with `--raw` as text.
#[derive(Debug, Clone, Serialize)]
enum Shown {
    #[serde(rename = "value")]
    Parsed(Value),
    #[serde(rename = "raw")]
    Raw(Option<String>),
}

/// Show `key` in `format` (`--raw`: its stored bytes as they are, in a table).
pub(crate) async fn show(
    config: &Config,
    store: &Store,
    key: &str,
    access: ObjectSub,
    format: Format,
    raw: bool,
) -> anyhow::Result<()> {
    let not_cached = || anyhow::anyhow!("{key} is not cached");
    let facts = probe(store, key, access).await?.ok_or_else(not_cached)?;
    let encoding = encoding(store, key).await?;
    let redis_type: String = store.query(redis::cmd("TYPE").arg(key), "TYPE").await?;
    let row = row::build(&facts, &config.ttls, access).ok_or_else(not_cached)?;
    let bytes = match facts.value {
        ValueFact::Bytes(b) => Some(b),
        _ => None,
    };
    if raw && format == Format::Table {
        let Some(bytes) = bytes else {
            anyhow::bail!("{key} holds a Redis {redis_type}, not a string: no bytes to print");
        };
        let mut out = std::io::stdout().lock();
        out.write_all(&bytes)?;
        out.flush()?;
        return Ok(());
    }
    let one = OneKey::new(row, redis_type, encoding, bytes, raw);
    crate::app::output::print(&export::render(format, &one)?)?;
    Ok(())
}

/// Everything about one key under the prefix; `None` when it does not exist.
async fn probe(store: &Store, key: &str, access: ObjectSub) -> anyhow::Result<Option<Facts>> {
    if !key.starts_with(crate::keys::PREFIX) {
        return Err(bad_input(format!(
            "{key:?} is outside the {} prefix; inspect shows only the API's keys",
            crate::keys::PREFIX
        )));
    }
    let probe = Probe::everything(access);
    let facts = fetch::probe(store, vec![(key.as_bytes().to_vec(), probe)]).await?;
    Ok(facts.into_iter().next().filter(|f| !f.missing()))
}

/// The key's internal encoding (`OBJECT ENCODING`).
async fn encoding(store: &Store, key: &str) -> anyhow::Result<Option<String>> {
    let kb = key.as_bytes().to_vec();
    Ok(store
        .object_many(ObjectSub::Encoding, std::slice::from_ref(&kb))
        .await?
        .into_iter()
        .next()
        .flatten()
        .and_then(|e| e.as_text().map(str::to_string)))
}

impl OneKey {
    fn new(
        row: Row,
        redis_type: String,
        encoding: Option<String>,
        bytes: Option<Vec<u8>>,
        raw: bool,
    ) -> OneKey {
        let value = if raw {
            Shown::Raw(
                bytes
                    .as_deref()
                    .map(|b| String::from_utf8_lossy(b).into_owned()),
            )
        } else {
            Shown::Parsed(parsed(bytes.as_deref()).unwrap_or(Value::Null))
        };
        OneKey {
            note: note(&row),
            row,
            redis_type,
            encoding,
            value,
            bytes,
        }
    }
}

impl Export for OneKey {
    fn table(&self) -> String {
        table_text(self)
    }

    fn json(&self) -> Value {
        serde_json::to_value(self).expect("an inspected key serializes to JSON")
    }

    /// One key has no metrics: its JSON document stands.
    fn prometheus(&self) -> anyhow::Result<String> {
        Ok(serde_json::to_string_pretty(&self.json())? + "\n")
    }
}

/// What a user should know of the key beyond its anomalies (a `both` graph's).
fn note(r: &Row) -> Option<&'static str> {
    match crate::keys::parse(&r.key) {
        crate::keys::Parsed::Key(k) => k.note(),
        _ => None,
    }
}

/// The value as JSON, when it is JSON.
fn parsed(bytes: Option<&[u8]>) -> Option<Value> {
    bytes.and_then(|b| serde_json::from_slice(b).ok())
}

/// The key's facts, one `name value` line each.
fn fact_lines(k: &OneKey) -> Vec<(&'static str, String)> {
    let r = &k.row;
    let mut lines: Vec<(&str, String)> = vec![
        ("key", r.key.clone()),
        ("kind", r.kind.map_or("-", |k| k.name()).to_string()),
        ("status", r.status.to_string()),
    ];
    if !r.readings.is_empty() {
        lines.push(("params", r.readings.text()));
    }
    let ttl = match r.ttl_class {
        Some(c) => format!("{} (class {c})", ttl_cell(r)),
        None => ttl_cell(r),
    };
    lines.push(("ttl", ttl));
    let size = match r.size {
        None => "-".into(),
        Some(s) if s < 1000 => human_bytes(s),
        Some(s) => format!("{} ({s} B)", human_bytes(s)),
    };
    lines.push(("size", size));
    lines.push(("type", k.redis_type.clone()));
    lines.push(("encoding", k.encoding.clone().unwrap_or_else(|| "-".into())));
    let measure = match r.access {
        Access::Freq(_) => "freq",
        Access::Idle(_) => "idle",
    };
    lines.push((measure, access_cell(r.access)));
    if let Some(s) = &r.summary {
        lines.push(("value", s.clone()));
    }
    lines
}

/// The facts, the anomalies, the note, then the value pretty-printed when it is JSON.
fn table_text(k: &OneKey) -> String {
    let mut out = String::new();
    for (name, v) in fact_lines(k) {
        out.push_str(&format!("{name:<10}{v}\n"));
    }
    if k.row.anomalies.is_empty() {
        out.push_str("anomalies none\n");
    }
    for a in &k.row.anomalies {
        out.push_str(&format!("anomaly   {}: {}\n", a.code, a.detail));
    }
    if let Some(note) = k.note {
        out.push_str(&format!("note      {note}\n"));
    }
    if let Some(b) = &k.bytes {
        out.push('\n');
        match parsed(Some(b)).and_then(|v| serde_json::to_string_pretty(&v).ok()) {
            Some(pretty) => out.push_str(&pretty),
            None => out.push_str(&String::from_utf8_lossy(b)),
        }
        out.push('\n');
    }
    out
}
