//! What is wrong with a cached key or value, by stable anomaly codes: what `inspect`
//! reports and `verify` classifies (contract §1 and §3).
use crate::config::Ttls;
use crate::json::{decode_value, DecodeProblem, Decoded};
use crate::keys::{Key, Kind, Parsed};
use crate::store::probe::ValueFact;

/// Something the API would never have written, by a stable code (counted per code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Anomaly {
    pub code: &'static str,
    pub detail: String,
}

impl Anomaly {
    pub(crate) fn new(code: &'static str, detail: impl Into<String>) -> Self {
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

pub(crate) fn key_anomalies(parsed: &Parsed) -> Vec<Anomaly> {
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
    let size = crate::app::report::human_bytes(bytes.len() as u64);
    let Some(kind) = parsed.kind() else {
        out.summary = Some(size);
        return out;
    };
    let decoded = match decode_value(kind, bytes) {
        Ok(d) => d,
        Err(p) => {
            out.anomalies.push(undecodable(kind, &p));
            out.summary = Some(format!("{size}, undecodable"));
            return out;
        }
    };
    out.summary = Some(decoded.summary().to_string());
    out.anomalies = value_anomalies(parsed, &decoded, bytes);
    out.decoded = Some(decoded);
    out
}

/// `null-list` (a JSON null where the API writes a list) or `bad-value`.
fn undecodable(kind: Kind, p: &DecodeProblem) -> Anomaly {
    let code = if p.message.starts_with("null where a list belongs") {
        "null-list"
    } else {
        "bad-value"
    };
    Anomaly::new(code, format!("not a {} value: {p}", kind.name()))
}

/// What is wrong with a decoded value: `seed-missing`, `non-canonical`, `suspect-value`.
fn value_anomalies(parsed: &Parsed, decoded: &Decoded, bytes: &[u8]) -> Vec<Anomaly> {
    let mut anomalies = vec![];
    if let Decoded::Graph(g) = decoded {
        anomalies.extend(seed_anomaly(parsed, g));
    }
    if !decoded.is_canonical(bytes) {
        anomalies.push(Anomaly::new(
            "non-canonical",
            "the bytes differ from what the API (Go's json.Marshal) writes for this data",
        ));
    }
    for a in decoded.anomalies() {
        anomalies.push(Anomaly::new("suspect-value", a));
    }
    anomalies
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

pub(crate) fn seed_anomaly(parsed: &Parsed, g: &crate::model::Graph) -> Option<Anomaly> {
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

/// What the value of a key is, once looked at.
pub(crate) struct Examined {
    pub decoded: Option<Decoded>,
    pub summary: Option<String>,
    pub anomalies: Vec<Anomaly>,
}
