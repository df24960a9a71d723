//! One inspected key: its kind and parameters, TTL against its class, size, access, a
//! summary of the value, and the anomalies found (contract §1 and §3).
use serde_json::{json, Map, Value};

use crate::config::Ttls;
use crate::json::{decode_value, Decoded};
use crate::keys::{parse, Key, Kind, Parsed};
use crate::store::probe::{Facts, ValueFact};

/// Something the API would never have written, by a stable code (counted per code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Anomaly {
    pub code: &'static str,
    pub detail: String,
}

impl Anomaly {
    fn new(code: &'static str, detail: impl Into<String>) -> Self {
        Anomaly {
            code,
            detail: detail.into(),
        }
    }
}

/// Every anomaly code, in report order.
pub(crate) const CODES: [&str; 11] = [
    "no-ttl",
    "ttl-above-class",
    "unknown-key",
    "ambiguous-key",
    "unreachable",
    "wrong-type",
    "bad-value",
    "null-list",
    "seed-missing",
    "non-canonical",
    "suspect-value",
];

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

/// What the value of a key is, once looked at.
pub(crate) struct Examined {
    pub decoded: Option<Decoded>,
    pub summary: Option<String>,
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

fn key_anomalies(parsed: &Parsed) -> Vec<Anomaly> {
    match parsed {
        Parsed::Key(k) => k
            .unreachable()
            .map(|why| vec![Anomaly::new("unreachable", why)])
            .unwrap_or_default(),
        Parsed::Ambiguous { readings, .. } => vec![Anomaly::new(
            "ambiguous-key",
            format!(
                "a parameter contains '|': {} readings; the API never builds such a key",
                readings.len()
            ),
        )],
        Parsed::Unknown { reason } => vec![Anomaly::new("unknown-key", reason.clone())],
        Parsed::Foreign => vec![Anomaly::new("unknown-key", "outside the ol: prefix")],
    }
}

/// `no-ttl` (PTTL -1) and `ttl-above-class` (remaining TTL above the configured class).
pub(crate) fn ttl_anomalies(ttl_ms: i64, kind: Option<Kind>, ttls: &Ttls) -> Vec<Anomaly> {
    if ttl_ms == -1 {
        return vec![Anomaly::new(
            "no-ttl",
            "no TTL (PTTL -1): the API always sets one, so this key never expires",
        )];
    }
    let Some(kind) = kind else { return vec![] };
    let class = kind.ttl_class();
    let secs = class.seconds(ttls);
    if ttl_ms > 0 && ttl_ms as u64 > secs.saturating_mul(1000) {
        return vec![Anomaly::new(
            "ttl-above-class",
            format!(
                "remaining TTL {}s is above the {} class TTL ({secs}s)",
                ttl_ms / 1000,
                class.name()
            ),
        )];
    }
    vec![]
}

/// Decode and check a value against its key.
pub(crate) fn examine(parsed: &Parsed, value: &ValueFact) -> Examined {
    let mut out = Examined {
        decoded: None,
        summary: None,
        anomalies: vec![],
    };
    let bytes = match value {
        ValueFact::Bytes(b) => b,
        ValueFact::WrongType => {
            out.anomalies.push(Anomaly::new(
                "wrong-type",
                "not a string (GET answers WRONGTYPE): the API only writes strings",
            ));
            out.summary = Some("not a string".into());
            return out;
        }
        ValueFact::NotAsked | ValueFact::Missing => return out,
    };
    let Some(kind) = parsed.kind() else {
        out.summary = Some(crate::app::report::human_bytes(bytes.len() as u64));
        return out;
    };
    let decoded = match decode_value(kind, bytes) {
        Ok(d) => d,
        Err(p) => {
            let code = if p.message.starts_with("null where a list belongs") {
                "null-list"
            } else {
                "bad-value"
            };
            out.anomalies.push(Anomaly::new(
                code,
                format!("not a {} value: {p}", kind.name()),
            ));
            out.summary = Some(format!(
                "{}, undecodable",
                crate::app::report::human_bytes(bytes.len() as u64)
            ));
            return out;
        }
    };
    out.summary = Some(decoded.summary().to_string());
    if let Decoded::Graph(g) = &decoded {
        out.anomalies.extend(seed_anomaly(parsed, g));
    }
    if !decoded.is_canonical(bytes) {
        out.anomalies.push(Anomaly::new(
            "non-canonical",
            "the bytes differ from what the API (Go's json.Marshal) writes for this data",
        ));
    }
    for a in decoded.anomalies() {
        out.anomalies.push(Anomaly::new("suspect-value", a));
    }
    out.decoded = Some(decoded);
    out
}

/// The seeds a lineage key's graph may start with: `{dataset name}/{field}` (the name is the
/// part after the first `/` of an id), or the dataset as given when the API found no row
/// to resolve it (contract §4: "unchanged if no row matches").
pub(crate) fn seeds(key: &Key) -> Vec<String> {
    let Key::LineageGraph { dataset, field, .. } = key else {
        return vec![];
    };
    let mut v = vec![];
    if let Some((_, name)) = dataset.split_once('/') {
        v.push(format!("{name}/{field}"));
    }
    v.push(format!("{dataset}/{field}"));
    v
}

fn seed_anomaly(parsed: &Parsed, g: &crate::model::Graph) -> Option<Anomaly> {
    let readings: Vec<&Key> = match parsed {
        Parsed::Key(k) => vec![k],
        Parsed::Ambiguous { readings, .. } => readings.iter().collect(),
        _ => return None,
    };
    let expected: Vec<String> = readings.iter().flat_map(|k| seeds(k)).collect();
    let first = g.nodes.first().map(|n| n.id.as_str());
    if first.is_some_and(|f| expected.iter().any(|s| s == f)) {
        return None;
    }
    let want = expected.first().cloned().unwrap_or_default();
    Some(Anomaly::new(
        "seed-missing",
        match first {
            None => format!("the graph has no nodes; its first node must be the seed {want}"),
            Some(f) => format!("the first node is {f}, not the seed {want}"),
        },
    ))
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
