//! One inspected key: its kind and parameters, TTL against its class, size, access, a
//! summary of the value, and the anomalies found (contract §1 and §3).
use serde::{Serialize, Serializer};

use crate::app::report::fields::{kind_name, Params};
use crate::config::Ttls;
use crate::jobs::judge::check::{examine, key_anomalies, ttl_anomalies, Anomaly};
use crate::keys::{parse, Kind, Parsed};
use crate::store::probe::{Facts, ValueFact};
use crate::store::ObjectSub;

/// One row of `inspect`; its JSON is its serialization.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Row {
    /// The key as text (invalid UTF-8 replaced; such a key is an `unknown-key`).
    pub key: String,
    /// `ok`, `ambiguous` or `unknown`.
    pub status: &'static str,
    #[serde(serialize_with = "kind_name")]
    pub kind: Option<Kind>,
    /// The parameters of each reading (one for a plain key, several when ambiguous).
    #[serde(flatten)]
    pub readings: Readings,
    /// Milliseconds left; -1 without expiry.
    pub ttl_ms: i64,
    /// The TTL class of the key's kind.
    pub ttl_class: Option<&'static str>,
    /// The class TTL in seconds, for a key of a known kind.
    #[serde(rename = "classTtlSeconds")]
    pub class_secs: Option<u64>,
    #[serde(rename = "sizeBytes")]
    pub size: Option<u64>,
    /// Idle seconds or LFU frequency, whichever the server keeps.
    #[serde(flatten)]
    pub access: Access,
    #[serde(rename = "valueBytes")]
    pub value_len: Option<usize>,
    pub summary: Option<String>,
    #[serde(serialize_with = "anomalies")]
    pub anomalies: Vec<Anomaly>,
}

/// The parameters a key reads as: `params` for a plain key, `readings` otherwise (several
/// for an ambiguous key, none for a key of no kind).
#[derive(Debug, Clone, Serialize)]
pub(crate) enum Readings {
    #[serde(rename = "params")]
    One(Params),
    #[serde(rename = "readings")]
    Many(Vec<Params>),
}

/// How recently or how often a key was read, whichever the server keeps: named
/// `idleSeconds` or `freq` in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub(crate) enum Access {
    /// Seconds since the last access (LRU policies).
    #[serde(rename = "idleSeconds")]
    Idle(Option<i64>),
    /// The access frequency counter (LFU policies).
    #[serde(rename = "freq")]
    Freq(Option<i64>),
}

impl Access {
    /// The figure under `sub` (`OBJECT FREQ` or `OBJECT IDLETIME`).
    pub(crate) fn of(sub: ObjectSub, value: Option<i64>) -> Access {
        match sub {
            ObjectSub::Freq => Access::Freq(value),
            _ => Access::Idle(value),
        }
    }

    pub(crate) fn value(self) -> Option<i64> {
        match self {
            Access::Idle(v) | Access::Freq(v) => v,
        }
    }
}

/// Build the row of a probed key, its access read with `access`; `None` when the key
/// vanished meanwhile.
pub(crate) fn build(facts: &Facts, ttls: &Ttls, access: ObjectSub) -> Option<Row> {
    if facts.missing() {
        return None;
    }
    let (key, parsed) = parsed_key(&facts.key);
    let ttl_ms = facts.pttl.unwrap_or(-1);
    let class = parsed.kind().map(|k| k.ttl_class());
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
        ttl_class: class.map(|c| c.name()),
        class_secs: class.map(|c| c.seconds(ttls)),
        size: facts.memory,
        access: Access::of(access, facts.object),
        summary: examined.summary,
        value_len: match &facts.value {
            ValueFact::Bytes(b) => Some(b.len()),
            _ => None,
        },
        anomalies,
    })
}

/// The key as text and as parsed; a key that is not UTF-8 is of no kind.
fn parsed_key(key: &[u8]) -> (String, Parsed) {
    match std::str::from_utf8(key) {
        Ok(k) => (k.to_string(), parse(k)),
        Err(_) => (
            String::from_utf8_lossy(key).into_owned(),
            Parsed::Unknown {
                reason: "the key is not valid UTF-8".into(),
            },
        ),
    }
}

fn readings_of(parsed: &Parsed) -> (&'static str, Readings) {
    match parsed {
        Parsed::Key(k) => ("ok", Readings::One(Params(k.params()))),
        Parsed::Ambiguous { readings, .. } => (
            "ambiguous",
            Readings::Many(readings.iter().map(|k| Params(k.params())).collect()),
        ),
        Parsed::Unknown { .. } | Parsed::Foreign => ("unknown", Readings::Many(vec![])),
    }
}

impl Readings {
    pub(crate) fn len(&self) -> usize {
        match self {
            Readings::One(_) => 1,
            Readings::Many(v) => v.len(),
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `dataset=x field=y`, readings joined by ` or `.
    pub(crate) fn text(&self) -> String {
        match self {
            Readings::One(p) => p.text(),
            Readings::Many(v) => v.iter().map(Params::text).collect::<Vec<_>>().join(" or "),
        }
    }
}

/// The anomalies as objects: `{"code": ..., "detail": ...}`.
fn anomalies<S: Serializer>(list: &[Anomaly], s: S) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Shown<'a> {
        code: &'a str,
        detail: &'a str,
    }
    s.collect_seq(list.iter().map(|a| Shown {
        code: a.code,
        detail: &a.detail,
    }))
}

#[cfg(test)]
#[path = "tests_row.rs"]
mod tests;
