//! The report of `key`: each key described (kind, parameters, TTL class and seconds, and
//! whether the API reads it), one per line for people, an array in JSON, a line each in
//! NDJSON.
use serde::Serialize;

use crate::app::report::export::Export;
use crate::app::report::fields::Params;
use crate::config::Config;
use crate::failure::bad_input;
use crate::keys::{Key, Parsed};

/// One key described.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Described {
    pub key: String,
    #[serde(flatten)]
    pub reading: Reading,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ttl_class: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ttl_seconds: Option<u64>,
}

/// What the key reads as, by its `status`.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "status", rename_all = "lowercase")]
pub(crate) enum Reading {
    /// A key of a kind, with its parameters.
    Ok {
        kind: &'static str,
        params: Params,
        /// Whether the API ever reads it.
        reachable: bool,
        #[serde(skip_serializing_if = "Option::is_none")]
        note: Option<&'static str>,
    },
    /// A key with several readings (a parameter holds `|`).
    Ambiguous {
        kind: &'static str,
        readings: Vec<Params>,
    },
    /// Under the prefix, but of no kind.
    Unknown { reason: String },
    /// Outside the prefix.
    Foreign { reason: &'static str },
}

/// The note on a key whose dataset parameter holds an escaped `/`.
pub(super) const ESCAPED_ID_NOTE: &str = "the key of an id-form request: the API's router passes '%2F' through and the API looks the id up verbatim (dataset, statistics and DDL answer 404 and are never cached; lineage caches a graph of the seed alone); the name form is the one the API serves";

impl Described {
    /// Describe the key `text` as parsed.
    pub(crate) fn new(text: &str, parsed: &Parsed, config: &Config) -> Described {
        let class = parsed.kind().map(|k| k.ttl_class());
        Described {
            key: text.to_string(),
            reading: Reading::of(parsed),
            ttl_class: class.map(|c| c.name()),
            ttl_seconds: class.map(|c| c.seconds(&config.ttls)),
        }
    }

    /// The key, a tab, and what it reads as.
    fn line(&self) -> String {
        let detail = match &self.reading {
            Reading::Ok {
                kind, params, note, ..
            } => {
                let note = note.map(|n| format!("  NOTE: {n}")).unwrap_or_default();
                format!(
                    "{kind}  ttl={}({}s)  {}{note}",
                    self.ttl_class.unwrap_or(""),
                    self.ttl_seconds.unwrap_or(0),
                    params.text()
                )
            }
            Reading::Ambiguous { kind, readings } => {
                let readings: Vec<String> =
                    readings.iter().map(|p| format!("[{}]", p.text())).collect();
                format!(
                    "{kind}  AMBIGUOUS (a parameter contains '|'): {}",
                    readings.join(" or ")
                )
            }
            Reading::Unknown { reason } => format!("UNKNOWN: {reason}"),
            Reading::Foreign { reason } => format!("FOREIGN: {reason}"),
        };
        format!("{}\t{detail}", self.key)
    }
}

impl Reading {
    fn of(parsed: &Parsed) -> Reading {
        match parsed {
            Parsed::Key(k) => Reading::Ok {
                kind: k.kind().name(),
                params: Params(k.params()),
                reachable: k.unreachable().is_none(),
                note: k
                    .unreachable()
                    .or_else(|| escaped_id_note(k))
                    .or_else(|| k.note()),
            },
            Parsed::Ambiguous { kind, readings } => Reading::Ambiguous {
                kind: kind.name(),
                readings: readings.iter().map(|k| Params(k.params())).collect(),
            },
            Parsed::Unknown { reason } => Reading::Unknown {
                reason: reason.clone(),
            },
            Parsed::Foreign => Reading::Foreign {
                reason: "outside the ol: prefix; not a key of the API",
            },
        }
    }
}

/// The note on a key whose dataset parameter holds an escaped `/`: the key of an id-form
/// request, which the API looks up verbatim.
fn escaped_id_note(k: &Key) -> Option<&'static str> {
    crate::route::escaped_id(k).then_some(ESCAPED_ID_NOTE)
}

/// How a table shows each key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lines {
    /// The key alone (`build`, `from-url`).
    Keys,
    /// The key and what it reads as (`parse`).
    Described,
}

/// The keys described: one JSON array.
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub(crate) struct KeyReport {
    pub keys: Vec<Described>,
    #[serde(skip)]
    pub lines: Lines,
}

impl Export for KeyReport {
    fn table(&self) -> String {
        let line = |d: &Described| match self.lines {
            Lines::Keys => d.key.clone(),
            Lines::Described => d.line(),
        };
        self.keys.iter().map(|d| line(d) + "\n").collect()
    }

    fn json(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("a key report serializes to JSON")
    }

    fn ndjson(&self) -> String {
        let line = |d| serde_json::to_string(d).expect("a described key serializes to JSON");
        self.keys.iter().map(|d| line(d) + "\n").collect()
    }

    fn prometheus(&self) -> anyhow::Result<String> {
        Err(bad_input("--format prometheus does not apply to `key`"))
    }
}
