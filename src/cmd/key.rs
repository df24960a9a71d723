//! `key`: build, parse, or map an API URL to cache keys.
use serde_json::{json, Map, Value};

use crate::app::report::export::{self, Export};
use crate::cli::{Format, KeyAction, KeyArgs, KeyBuildArgs};
use crate::cmd::convert::{direction_of, kind_of};
use crate::config::Config;
use crate::exit::usage;
use crate::keys::search::search_query;
use crate::keys::{go_atoi, parse, Key, KeyError, Kind, Parsed, DEFAULT_LIMIT};
use crate::source::Direction;

pub fn run(config: &Config, args: KeyArgs) -> anyhow::Result<()> {
    match args.action {
        KeyAction::Build(b) => {
            let format = b.format;
            let key = build_key(&b, config)?;
            let text = key.build()?;
            emit(
                format,
                &[describe_key(&text, &Parsed::Key(key), config)],
                |_| text.clone(),
            )
        }
        KeyAction::Parse(p) => {
            let rows: Vec<Value> = p
                .keys
                .iter()
                .map(|k| describe_key(k, &parse(k), config))
                .collect();
            emit(p.format, &rows, table_row)
        }
        KeyAction::FromUrl(u) => {
            let routed = crate::route::route(&u.url, &config.validation)?;
            if routed.escaped_slash() {
                eprintln!("lineage-cache: note: {ESCAPED_ID_NOTE}");
            }
            let rows: Vec<Value> = resolved(routed, config)?
                .into_iter()
                .map(|k| {
                    let text = k.render();
                    describe_key(&text, &Parsed::Key(k), config)
                })
                .collect();
            emit(u.format, &rows, |r| {
                r["key"].as_str().unwrap_or_default().to_string()
            })
        }
    }
}

/// The keys a routed request reads: for statistics and DDL, the last one under the id the
/// lineage source resolves the dataset parameter to, as the API's service does; without a
/// match the API answers 404 and reads no more (said in a note).
fn resolved(routed: crate::route::Routed, config: &Config) -> anyhow::Result<Vec<Key>> {
    let Some(param) = routed.resolves().map(str::to_string) else {
        return Ok(routed.with_id(None));
    };
    let source = crate::source::open(config)?;
    let dataset = source.dataset(&param)?;
    if dataset.is_none() && !routed.escaped_slash() {
        eprintln!(
            "lineage-cache: note: no dataset has the id or name {param:?} in the lineage source ({}): the API answers 404 and reads no statistics or DDL key",
            source.describe()
        );
    }
    Ok(routed.with_id(dataset.as_ref().map(|d| d.id.as_str())))
}

fn required(v: &Option<String>, flag: &str, kind: Kind) -> anyhow::Result<String> {
    v.clone()
        .ok_or_else(|| usage(format!("a {} key needs --{flag}", kind.name())))
}

fn limit_of(v: &Option<String>) -> anyhow::Result<u32> {
    let Some(s) = v else { return Ok(DEFAULT_LIMIT) };
    let n = go_atoi(s).and_then(|n| u32::try_from(n).ok()).unwrap_or(0);
    crate::keys::check_limit(n).map_err(|_| {
        usage(format!(
            "--limit must be an integer from 1 to 500, got {s:?}"
        ))
    })?;
    Ok(n)
}

/// Turn `key build` arguments into a key, with the API's defaults for what is left out.
fn build_key(b: &KeyBuildArgs, _config: &Config) -> anyhow::Result<Key> {
    let kind = kind_of(b.kind);
    let unused = |flag: &str, v: bool| -> anyhow::Result<()> {
        if v {
            Err(usage(format!(
                "--{flag} does not apply to a {} key",
                kind.name()
            )))
        } else {
            Ok(())
        }
    };
    unused("query", b.query.is_some() && kind != Kind::DatasetSearch)?;
    unused("offset", b.offset.is_some() && kind != Kind::DatasetList)?;
    unused(
        "limit",
        b.limit.is_some() && !matches!(kind, Kind::DatasetList | Kind::DatasetSearch),
    )?;
    unused(
        "direction",
        b.direction.is_some() && kind != Kind::LineageGraph,
    )?;
    unused("field", b.field.is_some() && kind != Kind::LineageGraph)?;
    unused(
        "namespace",
        b.namespace.is_some() && !matches!(kind, Kind::NamespaceGet | Kind::DatasetList),
    )?;
    let dataset_kind = matches!(
        kind,
        Kind::DatasetGet
            | Kind::FieldList
            | Kind::DatasetStatistics
            | Kind::DatasetDdl
            | Kind::LineageGraph
    );
    unused("dataset", b.dataset.is_some() && !dataset_kind)?;
    let key = match kind {
        Kind::NamespaceList => Key::NamespaceList,
        Kind::NamespaceGet => Key::NamespaceGet {
            namespace: required(&b.namespace, "namespace", kind)?,
        },
        Kind::DatasetList => {
            let offset = match &b.offset {
                None => 0,
                Some(o) => go_atoi(o)
                    .and_then(|n| u64::try_from(n).ok())
                    .ok_or_else(|| {
                        usage(format!(
                            "--offset must be a non-negative integer, got {o:?}"
                        ))
                    })?,
            };
            Key::DatasetList {
                namespace: required(&b.namespace, "namespace", kind)?,
                limit: limit_of(&b.limit)?,
                offset,
            }
        }
        Kind::DatasetSearch => {
            let q = required(&b.query, "query", kind)?;
            if q.is_empty() {
                return Err(usage(
                    "--query must not be empty (the API rejects an empty q)",
                ));
            }
            Key::DatasetSearch {
                query: search_query(&q),
                limit: limit_of(&b.limit)?,
            }
        }
        Kind::DatasetGet => Key::DatasetGet {
            dataset: required(&b.dataset, "dataset", kind)?,
        },
        Kind::FieldList => Key::FieldList {
            dataset: required(&b.dataset, "dataset", kind)?,
        },
        Kind::DatasetStatistics => Key::DatasetStatistics {
            dataset: required(&b.dataset, "dataset", kind)?,
        },
        Kind::DatasetDdl => Key::DatasetDdl {
            dataset: required(&b.dataset, "dataset", kind)?,
        },
        Kind::LineageGraph => Key::LineageGraph {
            dataset: required(&b.dataset, "dataset", kind)?,
            field: required(&b.field, "field", kind)?,
            direction: b.direction.map(direction_of).unwrap_or(Direction::Both),
        },
    };
    key.validate()
        .map_err(|e: KeyError| anyhow::Error::from(e))?;
    Ok(key)
}

/// A JSON description of a key: kind, parameters, TTL class and seconds, status.
pub(crate) fn describe_key(text: &str, parsed: &Parsed, config: &Config) -> Value {
    let mut m = Map::new();
    m.insert("key".into(), json!(text));
    let params = |k: &Key| -> Value {
        let mut p = Map::new();
        for (name, v) in k.params() {
            p.insert(name.into(), json!(v));
        }
        Value::Object(p)
    };
    match parsed {
        Parsed::Key(k) => {
            m.insert("status".into(), json!("ok"));
            m.insert("kind".into(), json!(k.kind().name()));
            m.insert("params".into(), params(k));
            m.insert("reachable".into(), json!(k.unreachable().is_none()));
            let note = k.unreachable().or_else(|| escaped_id_note(k));
            if let Some(note) = note.or_else(|| k.note()) {
                m.insert("note".into(), json!(note));
            }
        }
        Parsed::Ambiguous { kind, readings } => {
            m.insert("status".into(), json!("ambiguous"));
            m.insert("kind".into(), json!(kind.name()));
            m.insert(
                "readings".into(),
                Value::Array(readings.iter().map(params).collect()),
            );
        }
        Parsed::Unknown { reason } => {
            m.insert("status".into(), json!("unknown"));
            m.insert("reason".into(), json!(reason));
        }
        Parsed::Foreign => {
            m.insert("status".into(), json!("foreign"));
            m.insert(
                "reason".into(),
                json!("outside the ol: prefix; not a key of the API"),
            );
        }
    }
    if let Some(kind) = parsed.kind() {
        let class = kind.ttl_class();
        m.insert("ttlClass".into(), json!(class.name()));
        m.insert("ttlSeconds".into(), json!(class.seconds(&config.ttls)));
    }
    Value::Object(m)
}

/// The note on a key whose dataset parameter holds an escaped `/`: the key of an id-form
/// request, which the API looks up verbatim.
fn escaped_id_note(k: &Key) -> Option<&'static str> {
    crate::route::escaped_id(k).then_some(ESCAPED_ID_NOTE)
}

const ESCAPED_ID_NOTE: &str = "the key of an id-form request: the API's router passes '%2F' through and the API looks the id up verbatim (dataset, statistics and DDL answer 404 and are never cached; lineage caches a graph of the seed alone); the name form is the one the API serves";

fn table_row(r: &Value) -> String {
    let s = |k: &str| r[k].as_str().unwrap_or("").to_string();
    let params = |p: &Value| -> String {
        p.as_object()
            .map(|o| {
                o.iter()
                    .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or("")))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default()
    };
    let detail = match s("status").as_str() {
        "ok" => {
            let note = r["note"]
                .as_str()
                .map(|n| format!("  NOTE: {n}"))
                .unwrap_or_default();
            format!(
                "{}  ttl={}({}s)  {}{note}",
                s("kind"),
                s("ttlClass"),
                r["ttlSeconds"],
                params(&r["params"])
            )
        }
        "ambiguous" => {
            let readings: Vec<String> = r["readings"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| format!("[{}]", params(p)))
                .collect();
            format!(
                "{}  AMBIGUOUS (a parameter contains '|'): {}",
                s("kind"),
                readings.join(" or ")
            )
        }
        other => format!("{}: {}", other.to_uppercase(), s("reason")),
    };
    format!("{}\t{}", s("key"), detail)
}

/// Described keys, one per table line (`line`) or NDJSON line, or one JSON array.
struct KeyRows<'a, F: Fn(&Value) -> String> {
    rows: &'a [Value],
    line: F,
}

impl<F: Fn(&Value) -> String> Export for KeyRows<'_, F> {
    fn table(&self) -> String {
        self.rows.iter().map(|r| (self.line)(r) + "\n").collect()
    }

    fn json(&self) -> Value {
        Value::Array(self.rows.to_vec())
    }

    fn ndjson(&self) -> String {
        self.rows.iter().map(|r| r.to_string() + "\n").collect()
    }

    fn prometheus(&self) -> anyhow::Result<String> {
        Err(usage("--format prometheus does not apply to `key`"))
    }
}

fn emit(format: Format, rows: &[Value], line: impl Fn(&Value) -> String) -> anyhow::Result<()> {
    let text = export::render(format, &KeyRows { rows, line })?;
    crate::app::output::print(&text)?;
    Ok(())
}
