//! `inspect KEY`: one key in full — kind and parameters, TTL, size, encoding, access, the
//! anomalies, and the value pretty-printed (or, with `--raw`, the stored bytes as they are).
use serde_json::{json, Value};

use super::render::{fmt_secs, ttl_cell};
use super::row::{self, Row};
use crate::app::report::export::{self, Export};
use crate::app::report::human_bytes;
use crate::cli::{Format, InspectArgs};
use crate::config::Config;
use crate::exit::{coded, usage, FAILURE};
use crate::keys::PREFIX;
use crate::store::probe::{self as fetch, Probe, ValueFact};
use crate::store::{ObjectSub, Store};

pub(crate) async fn show(
    config: &Config,
    store: &Store,
    key: &str,
    access: ObjectSub,
    args: &InspectArgs,
) -> anyhow::Result<()> {
    if !key.starts_with(PREFIX) {
        return Err(usage(format!(
            "{key:?} is outside the {PREFIX} prefix; inspect shows only the API's keys"
        )));
    }
    let probe = Probe::everything(access);
    let kb = key.as_bytes().to_vec();
    let facts = fetch::probe(store, vec![(kb.clone(), probe)]).await?;
    let Some(f) = facts.into_iter().next().filter(|f| !f.missing()) else {
        return Err(coded(FAILURE, format!("{key} is not cached")));
    };
    let encoding = store
        .object_many(ObjectSub::Encoding, std::slice::from_ref(&kb))
        .await?
        .into_iter()
        .next()
        .flatten()
        .and_then(|e| e.as_text().map(str::to_string));
    let redis_type: String = store.query(redis::cmd("TYPE").arg(key), "TYPE").await?;
    let Some(row) = row::build(&f, &config.ttls) else {
        return Err(coded(FAILURE, format!("{key} is not cached")));
    };
    let bytes = match &f.value {
        ValueFact::Bytes(b) => Some(b.as_slice()),
        _ => None,
    };
    if args.raw && args.format == Format::Table {
        use std::io::Write;
        let Some(bytes) = bytes else {
            let msg = format!("{key} holds a Redis {redis_type}, not a string: no bytes to print");
            return Err(coded(FAILURE, msg));
        };
        let mut out = std::io::stdout().lock();
        out.write_all(bytes)?;
        out.flush()?;
        return Ok(());
    }
    let info = Extra {
        encoding,
        redis_type,
        lfu: access == ObjectSub::Freq,
    };
    let one = OneKey {
        row: &row,
        info: &info,
        bytes,
        raw: args.raw,
    };
    let text = export::render(args.format, &one)?;
    crate::app::output::print(&text)?;
    Ok(())
}

/// One key in full.
struct OneKey<'a> {
    row: &'a Row,
    info: &'a Extra,
    bytes: Option<&'a [u8]>,
    raw: bool,
}

impl Export for OneKey<'_> {
    fn table(&self) -> String {
        table_text(self.row, self.info, self.bytes)
    }

    fn json(&self) -> Value {
        json_doc(self.row, self.info, self.bytes, self.raw)
    }

    /// One key has no metrics: its JSON document stands.
    fn prometheus(&self) -> anyhow::Result<String> {
        Ok(serde_json::to_string_pretty(&self.json())? + "\n")
    }
}

struct Extra {
    encoding: Option<String>,
    redis_type: String,
    lfu: bool,
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

fn json_doc(r: &Row, x: &Extra, bytes: Option<&[u8]>, raw: bool) -> Value {
    let mut doc = r.to_json(super::access_name(if x.lfu {
        ObjectSub::Freq
    } else {
        ObjectSub::IdleTime
    }));
    if let Value::Object(m) = &mut doc {
        if let Some(note) = note(r) {
            m.insert("note".into(), json!(note));
        }
        m.insert("type".into(), json!(x.redis_type));
        m.insert("encoding".into(), json!(x.encoding));
        if raw {
            let text = bytes.map(|b| String::from_utf8_lossy(b).into_owned());
            m.insert("raw".into(), json!(text));
        } else {
            m.insert("value".into(), parsed(bytes).unwrap_or(Value::Null));
        }
    }
    doc
}

fn table_text(r: &Row, x: &Extra, bytes: Option<&[u8]>) -> String {
    let mut lines: Vec<(&str, String)> = vec![
        ("key", r.key.clone()),
        ("kind", r.kind.map_or("-", |k| k.name()).to_string()),
        ("status", r.status.to_string()),
    ];
    if !r.readings.is_empty() {
        lines.push(("params", r.params_text()));
    }
    let class = r.kind.map(|k| k.ttl_class().name());
    let ttl = match class {
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
    lines.push(("type", x.redis_type.clone()));
    lines.push(("encoding", x.encoding.clone().unwrap_or_else(|| "-".into())));
    let access = match r.access {
        None => "-".into(),
        Some(n) if x.lfu => n.to_string(),
        Some(n) => fmt_secs(n.max(0) as u64),
    };
    lines.push((if x.lfu { "freq" } else { "idle" }, access));
    if let Some(s) = &r.summary {
        lines.push(("value", s.clone()));
    }
    let mut out = String::new();
    for (k, v) in &lines {
        out.push_str(&format!("{k:<10}{v}\n"));
    }
    if r.anomalies.is_empty() {
        out.push_str("anomalies none\n");
    }
    for a in &r.anomalies {
        out.push_str(&format!("anomaly   {}: {}\n", a.code, a.detail));
    }
    if let Some(note) = note(r) {
        out.push_str(&format!("note      {note}\n"));
    }
    if let Some(b) = bytes {
        out.push('\n');
        match parsed(Some(b)).and_then(|v| serde_json::to_string_pretty(&v).ok()) {
            Some(pretty) => out.push_str(&pretty),
            None => out.push_str(&String::from_utf8_lossy(b)),
        }
        out.push('\n');
    }
    out
}
