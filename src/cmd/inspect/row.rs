//! One inspected key: its kind and parameters, TTL against its class, size, access, a
//! summary of the value, and the anomalies found (contract §1 and §3).
use serde_json::{json, Map, Value};

use crate::config::Ttls;
use crate::jobs::judge::check::{examine, key_anomalies, ttl_anomalies, Anomaly};
use crate::keys::{parse, Key, Kind, Parsed};
use crate::store::probe::{Facts, ValueFact};

/// One row of `inspect`.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    /// The key as text (invalid UTF-8 replaced; such a key is an `unknown-key`).
    pub key: String,
    /// `ok`, `ambiguous` or `unknown`.
    pub status: &'static str,
    pub kind: Option<Kind>,
    /// The parameters of each reading (one for a plain key, several when ambiguous).
    pub readings: Vec<Vec<(&'static str, String)>>,
    /// Milliseconds left; -1 without expiry.
    pub ttl_ms: i64,
    /// The class TTL in seconds, for a key of a known kind.
    pub class_secs: Option<u64>,
    pub size: Option<u64>,
    /// Idle seconds or LFU frequency, whichever the server keeps.
    pub access: Option<i64>,
    pub summary: Option<String>,
    pub value_len: Option<usize>,
    pub anomalies: Vec<Anomaly>,
}

/// Build the row of a probed key; `None` when the key vanished meanwhile.
pub(crate) fn build(facts: &Facts, ttls: &Ttls) -> Option<Row> {
    if facts.missing() {
        return None;
    }
    let (key, parsed) = match std::str::from_utf8(&facts.key) {
        Ok(k) => (k.to_string(), parse(k)),
        Err(_) => (
            String::from_utf8_lossy(&facts.key).into_owned(),
            Parsed::Unknown {
                reason: "the key is not valid UTF-8".into(),
            },
        ),
    };
    let ttl_ms = facts.pttl.unwrap_or(-1);
    let class_secs = parsed.kind().map(|k| k.ttl_class().seconds(ttls));
    let mut anomalies = key_anomalies(&parsed);
    anomalies.extend(ttl_anomalies(ttl_ms, parsed.kind(), ttls));
    let examined = examine(&parsed, &facts.value);
    anomalies.extend(examined.anomalies);
    let (status, readings) = readings_of(&parsed);
    Some(Row {
        key,
        status,
        kind: parsed.kind(),
        readings,
        ttl_ms,
        class_secs,
        size: facts.memory,
        access: facts.object,
        summary: examined.summary,
        value_len: match &facts.value {
            ValueFact::Bytes(b) => Some(b.len()),
            _ => None,
        },
        anomalies,
    })
}

fn readings_of(parsed: &Parsed) -> (&'static str, Vec<Vec<(&'static str, String)>>) {
    match parsed {
        Parsed::Key(k) => ("ok", vec![k.params()]),
        Parsed::Ambiguous { readings, .. } => {
            ("ambiguous", readings.iter().map(Key::params).collect())
        }
        Parsed::Unknown { .. } | Parsed::Foreign => ("unknown", vec![]),
    }
}

impl Row {
    /// The row as JSON (`idleSeconds` or `freq` per `access_name`).
    pub(crate) fn to_json(&self, access_name: &str) -> Value {
        let mut m = Map::new();
        m.insert("key".into(), json!(self.key));
        m.insert("status".into(), json!(self.status));
        m.insert("kind".into(), json!(self.kind.map(Kind::name)));
        let obj = |r: &Vec<(&'static str, String)>| -> Value {
            Value::Object(r.iter().map(|(k, v)| ((*k).into(), json!(v))).collect())
        };
        match self.readings.as_slice() {
            [one] if self.status == "ok" => {
                m.insert("params".into(), obj(one));
            }
            many => {
                m.insert("readings".into(), many.iter().map(obj).collect());
            }
        }
        m.insert("ttlMs".into(), json!(self.ttl_ms));
        let class = self.kind.map(|k| k.ttl_class().name());
        m.insert("ttlClass".into(), json!(class));
        m.insert("classTtlSeconds".into(), json!(self.class_secs));
        m.insert("sizeBytes".into(), json!(self.size));
        m.insert(access_name.into(), json!(self.access));
        m.insert("valueBytes".into(), json!(self.value_len));
        m.insert("summary".into(), json!(self.summary));
        let anomalies: Vec<Value> = self
            .anomalies
            .iter()
            .map(|a| json!({"code": a.code, "detail": a.detail}))
            .collect();
        m.insert("anomalies".into(), Value::Array(anomalies));
        Value::Object(m)
    }

    /// `dataset=x field=y`, readings joined by ` or `.
    pub(crate) fn params_text(&self) -> String {
        self.readings
            .iter()
            .map(|r| {
                r.iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect::<Vec<_>>()
            .join(" or ")
    }
}

#[cfg(test)]
#[path = "tests_row.rs"]
mod tests;
