//! Map an API request (URL or path, percent-encoded, with its query string) to the cache
//! key(s) it reads, applying the API's defaults and validation and its router's handling of
//! escaped path segments (contract §1).
pub mod forms;
mod gourl;

pub use gourl::encode_uri_component;

/// The key the UI's request for `key` reads, when it is not `key` itself. The UI escapes
/// every path parameter with `encodeURIComponent`; where that differs from Go's default
/// escaping (a name holding one of `$ & + , / : ; = @ ! * ' ( )`), Go sets `RawPath` and every
/// parameter reaches the API still escaped: the API looks that text up verbatim.
///
/// Statistics and DDL are read under the id after a request by name: the UI's request for
/// them reads another key when its request for the dataset by name does.
pub fn ui_key(key: &Key) -> Option<Key> {
    if let Key::DatasetStatistics { dataset } | Key::DatasetDdl { dataset } = key {
        let name = dataset.split_once('/').map_or(dataset.as_str(), |(_, n)| n);
        return ui_key(&Key::DatasetGet {
            dataset: name.to_string(),
        });
    }
    let params = key.path_params();
    let raw = params
        .iter()
        .any(|p| encode_uri_component(p) != gourl::go_escape_path(p.as_bytes()));
    if !raw {
        return None;
    }
    escaped(key)
}

/// The key with every path parameter escaped by `encodeURIComponent`; `None` for the kinds
/// without one (or read under another key: statistics and DDL).
fn escaped(key: &Key) -> Option<Key> {
    let e = encode_uri_component;
    Some(match key {
        Key::NamespaceGet { namespace } => Key::NamespaceGet {
            namespace: e(namespace),
        },
        Key::DatasetList {
            namespace,
            limit,
            offset,
        } => Key::DatasetList {
            namespace: e(namespace),
            limit: *limit,
            offset: *offset,
        },
        Key::DatasetGet { dataset } => Key::DatasetGet {
            dataset: e(dataset),
        },
        Key::FieldList { dataset } => Key::FieldList {
            dataset: e(dataset),
        },
        Key::LineageGraph {
            dataset,
            field,
            direction,
        } => Key::LineageGraph {
            dataset: e(dataset),
            field: e(field),
            direction: *direction,
        },
        Key::NamespaceList
        | Key::DatasetSearch { .. }
        | Key::DatasetStatistics { .. }
        | Key::DatasetDdl { .. } => return None,
    })
}

/// A path parameter that the router handed over still escaped (`ns%2Fdb.T`), decoded; `None`
/// when it holds no valid escape or does not decode to UTF-8.
pub fn unescaped(param: &str) -> Option<String> {
    if !param.contains('%') {
        return None;
    }
    gourl::go_unescape_path(param)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .filter(|d| d != param)
}

use crate::config::Validation;
use crate::keys::search::search_query;
use crate::keys::{go_atoi, Key, KeyError, DEFAULT_LIMIT, LIMIT_RANGE};
use crate::model::Direction;

/// The API's route prefix.
pub const API_BASE: &str = "/api/v2/openlineage";

fn bad(msg: impl Into<String>) -> KeyError {
    KeyError::Other(msg.into())
}

fn decode(seg: &str, what: &str) -> Result<String, KeyError> {
    // Go's URL parser refuses a `%` not followed by two hex digits (HTTP 400).
    let bytes = gourl::go_unescape_path(seg).map_err(|_| {
        bad(format!(
            "the {what} in the URL has a bad percent escape (the API rejects this request)"
        ))
    })?;
    String::from_utf8(bytes).map_err(|_| {
        bad(format!(
            "the {what} in the URL is not valid percent-encoded UTF-8"
        ))
    })
}

/// Decode a query string as Go's `url.ParseQuery` does (`+` is a space; first value wins).
fn query_params(query: &str) -> Result<Vec<(String, String)>, KeyError> {
    let mut out = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let k = decode(&k.replace('+', " "), "query string")?;
        let v = decode(&v.replace('+', " "), "query string")?;
        out.push((k, v));
    }
    Ok(out)
}

fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn strict_limit(v: Option<&str>) -> Result<u32, KeyError> {
    match v {
        None | Some("") => Ok(DEFAULT_LIMIT),
        Some(s) => go_atoi(s)
            .and_then(|n| u32::try_from(n).ok())
            .filter(|n| LIMIT_RANGE.contains(n))
            .ok_or_else(|| bad(format!("limit must be an integer from 1 to 500, got {s:?} (the API rejects this request)"))),
    }
}

/// What the API does with one request: the keys it reads, in the order it reads them, and
/// whether its router handed the handlers the path segments as sent (Go set `RawPath`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Routed {
    pub keys: Vec<Key>,
    /// The path parameters hold the segments as sent, still escaped.
    pub raw: bool,
    /// Statistics and DDL: the key read after `keys`, once the service has resolved the
    /// dataset parameter (by id or name) to a dataset: of this kind, under that dataset's
    /// id. Until then its dataset holds the parameter as received ([`Routed::with_id`]).
    pub by_id: Option<Key>,
}

impl Routed {
    /// The dataset parameter the API resolves before its last read, if any.
    pub fn resolves(&self) -> Option<&str> {
        self.by_id.as_ref().and_then(Key::dataset)
    }

    /// Every key the request reads, given the id its dataset parameter resolves to; `None`:
    /// no dataset has that id or name, the API answers 404 and reads nothing more.
    pub fn with_id(self, id: Option<&str>) -> Vec<Key> {
        let mut keys = self.keys;
        if let (Some(key), Some(id)) = (self.by_id, id) {
            keys.push(key.with_dataset(id));
        }
        keys
    }

    /// Whether a path parameter holds an escaped `/` (`%2F`): the id form of a dataset,
    /// which the API looks up verbatim and never finds.
    pub fn escaped_slash(&self) -> bool {
        self.raw && self.keys.iter().any(escaped_id)
    }
}

/// Whether a key's dataset parameter holds an escaped `/`: the key of an id-form request.
pub fn escaped_id(key: &Key) -> bool {
    key.dataset()
        .is_some_and(|d| d.contains("%2F") || d.contains("%2f"))
}

/// Route one API request as the API's router does and map it to the keys it reads.
pub fn route(url: &str, validation: &Validation) -> Result<Routed, KeyError> {
    let (path, query) = split_url(url)?;
    let (segs, raw) = route_segments(path)?;
    let params = query_params(query)?;
    let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
    let (keys, by_id) = keys_of(&segs, &params, validation, path)?;
    for k in keys.iter().chain(&by_id) {
        k.validate()?;
    }
    Ok(Routed { keys, raw, by_id })
}

/// The path and the query string of a URL or path (scheme, authority and fragment dropped).
fn split_url(url: &str) -> Result<(&str, &str), KeyError> {
    let url = url.trim();
    if url.is_empty() {
        return Err(bad("empty URL"));
    }
    // Drop scheme://authority when present.
    let rest = match url.find("://") {
        Some(i) => {
            let after = &url[i + 3..];
            match after.find('/') {
                Some(j) => &after[j..],
                None => return Err(bad("the URL has no path")),
            }
        }
        None => url,
    };
    let rest = rest.split('#').next().unwrap_or(rest);
    Ok(rest.split_once('?').unwrap_or((rest, "")))
}

/// The path's segments under [`API_BASE`] as the router matches them (a trailing `/`
/// dropped), and whether they reach the handlers still escaped (Go set `RawPath`).
fn route_segments(path: &str) -> Result<(Vec<String>, bool), KeyError> {
    let sent = gourl::as_sent_by_browser(path);
    let routed = gourl::route_path(&sent).map_err(|_| {
        bad("the path in the URL has a bad percent escape (the API rejects this request)")
    })?;
    let route_path = String::from_utf8(routed.path)
        .map_err(|_| bad("the path in the URL is not valid percent-encoded UTF-8"))?;
    let route = route_path
        .strip_prefix(API_BASE)
        .filter(|r| r.is_empty() || r.starts_with('/'))
        .ok_or_else(|| bad(format!("the path must start with {API_BASE}/")))?;
    let mut segs: Vec<String> = route
        .trim_start_matches('/')
        .split('/')
        .map(str::to_string)
        .collect();
    if segs.last().is_some_and(String::is_empty) && segs.len() > 1 {
        segs.pop();
    }
    Ok((segs, routed.raw))
}

/// The keys a request reads, and for statistics and DDL the key read after them under the
/// resolved id (see [`Routed::by_id`]).
type Reads = (Vec<Key>, Option<Key>);

/// The keys a route reads.
fn keys_of(
    segs: &[&str],
    params: &[(String, String)],
    validation: &Validation,
    path: &str,
) -> Result<Reads, KeyError> {
    let one = |k: Key| -> Result<Reads, KeyError> { Ok((vec![k], None)) };
    match *segs {
        ["namespaces"] => one(Key::NamespaceList),
        ["namespaces", ns] => one(Key::NamespaceGet {
            namespace: nonempty(ns, "namespace id")?,
        }),
        ["namespaces", ns, "datasets"] => one(dataset_list(ns, params)?),
        ["datasets", "search"] => one(dataset_search(params)?),
        ["datasets", id] => {
            let dataset = nonempty(id, "dataset id")?;
            let fields = Key::FieldList {
                dataset: dataset.clone(),
            };
            Ok((vec![Key::DatasetGet { dataset }, fields], None))
        }
        ["datasets", id, "statistics"] => by_id(id, |dataset| Key::DatasetStatistics { dataset }),
        ["datasets", id, "ddl"] => by_id(id, |dataset| Key::DatasetDdl { dataset }),
        ["lineage", id, field] => one(lineage(id, field, params, validation)?),
        _ => Err(bad(format!(
            "no cached API route matches {path:?} (a '/' inside a dataset id splits the path: address the dataset by its name)"
        ))),
    }
}

/// A path parameter, refused empty.
fn nonempty(v: &str, what: &str) -> Result<String, KeyError> {
    if v.is_empty() {
        Err(bad(format!("empty {what} in the path")))
    } else {
        Ok(v.to_string())
    }
}

/// Statistics or DDL: the dataset read first by the parameter, then `last` under its id.
fn by_id(id: &str, last: fn(String) -> Key) -> Result<Reads, KeyError> {
    let dataset = nonempty(id, "dataset id")?;
    Ok((
        vec![Key::DatasetGet {
            dataset: dataset.clone(),
        }],
        Some(last(dataset)),
    ))
}

/// `namespaces/{ns}/datasets`: a page of datasets, `limit` and `offset` checked strictly.
fn dataset_list(ns: &str, params: &[(String, String)]) -> Result<Key, KeyError> {
    let namespace = nonempty(ns, "namespace id")?;
    let limit = strict_limit(param(params, "limit"))?;
    let offset = match param(params, "offset") {
        None | Some("") => 0,
        Some(o) => go_atoi(o)
            .and_then(|n| u64::try_from(n).ok())
            .ok_or_else(|| bad(format!("offset must be a non-negative integer, got {o:?} (the API rejects this request)")))?,
    };
    Ok(Key::DatasetList {
        namespace,
        limit,
        offset,
    })
}

/// `datasets/search`: `q` required, a bad `limit` falls back to the default.
fn dataset_search(params: &[(String, String)]) -> Result<Key, KeyError> {
    let q = param(params, "q").unwrap_or("");
    if q.is_empty() {
        return Err(bad(
            "search needs a non-empty q (the API rejects this request)",
        ));
    }
    let limit = param(params, "limit")
        .and_then(go_atoi)
        .and_then(|n| u32::try_from(n).ok())
        .filter(|n| LIMIT_RANGE.contains(n))
        .unwrap_or(DEFAULT_LIMIT);
    Ok(Key::DatasetSearch {
        query: search_query(q),
        limit,
    })
}

/// `lineage/{id}/{field}`: `direction` and `maxDepth` checked as the API does.
fn lineage(
    id: &str,
    field: &str,
    params: &[(String, String)],
    validation: &Validation,
) -> Result<Key, KeyError> {
    let dataset = nonempty(id, "dataset id")?;
    let field = nonempty(field, "field name")?;
    let direction = match param(params, "direction") {
        None | Some("") => Direction::Both,
        Some(d) => Direction::parse(d).ok_or_else(|| {
            bad(format!("direction must be upstream, downstream or both, got {d:?} (the API rejects this request)"))
        })?,
    };
    if let Some(d) = param(params, "maxDepth").filter(|d| !d.is_empty()) {
        check_depth(d, validation)?;
    }
    Ok(Key::LineageGraph {
        dataset,
        field,
        direction,
    })
}

/// `maxDepth` within the API's configured bounds.
fn check_depth(d: &str, validation: &Validation) -> Result<(), KeyError> {
    let ok = go_atoi(d)
        .filter(|n| {
            *n >= validation.min_max_depth as i64 && *n <= validation.max_depth_limit as i64
        })
        .is_some();
    if ok {
        return Ok(());
    }
    Err(bad(format!(
        "maxDepth must be an integer from {} to {}, got {d:?} (the API rejects this request)",
        validation.min_max_depth, validation.max_depth_limit
    )))
}

#[cfg(test)]
mod tests;
