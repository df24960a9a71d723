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
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
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
    let segs: Vec<&str> = route.trim_start_matches('/').split('/').collect();
    let segs: Vec<&str> = if segs.last() == Some(&"") && segs.len() > 1 {
        segs[..segs.len() - 1].to_vec()
    } else {
        segs
    };
    let params = query_params(query)?;
    let nonempty = |v: &str, what: &str| {
        if v.is_empty() {
            Err(bad(format!("empty {what} in the path")))
        } else {
            Ok(())
        }
    };
    let mut by_id = None;
    let keys = match segs.as_slice() {
        ["namespaces"] => vec![Key::NamespaceList],
        ["namespaces", ns] => {
            nonempty(ns, "namespace id")?;
            vec![Key::NamespaceGet {
                namespace: ns.to_string(),
            }]
        }
        ["namespaces", ns, "datasets"] => {
            nonempty(ns, "namespace id")?;
            let limit = strict_limit(param(&params, "limit"))?;
            let offset = match param(&params, "offset") {
                None | Some("") => 0,
                Some(o) => go_atoi(o)
                    .and_then(|n| u64::try_from(n).ok())
                    .ok_or_else(|| bad(format!("offset must be a non-negative integer, got {o:?} (the API rejects this request)")))?,
            };
            vec![Key::DatasetList {
                namespace: ns.to_string(),
                limit,
                offset,
            }]
        }
        ["datasets", "search"] => {
            let q = param(&params, "q").unwrap_or("");
            if q.is_empty() {
                return Err(bad(
                    "search needs a non-empty q (the API rejects this request)",
                ));
            }
            let limit = param(&params, "limit")
                .and_then(go_atoi)
                .and_then(|n| u32::try_from(n).ok())
                .filter(|n| LIMIT_RANGE.contains(n))
                .unwrap_or(DEFAULT_LIMIT);
            vec![Key::DatasetSearch {
                query: search_query(q),
                limit,
            }]
        }
        ["datasets", id] => {
            nonempty(id, "dataset id")?;
            vec![
                Key::DatasetGet {
                    dataset: id.to_string(),
                },
                Key::FieldList {
                    dataset: id.to_string(),
                },
            ]
        }
        ["datasets", id, "statistics"] => {
            nonempty(id, "dataset id")?;
            by_id = Some(Key::DatasetStatistics {
                dataset: id.to_string(),
            });
            vec![Key::DatasetGet {
                dataset: id.to_string(),
            }]
        }
        ["datasets", id, "ddl"] => {
            nonempty(id, "dataset id")?;
            by_id = Some(Key::DatasetDdl {
                dataset: id.to_string(),
            });
            vec![Key::DatasetGet {
                dataset: id.to_string(),
            }]
        }
        ["lineage", id, field] => {
            nonempty(id, "dataset id")?;
            nonempty(field, "field name")?;
            let direction = match param(&params, "direction") {
                None | Some("") => Direction::Both,
                Some(d) => Direction::parse(d).ok_or_else(|| {
                    bad(format!("direction must be upstream, downstream or both, got {d:?} (the API rejects this request)"))
                })?,
            };
            if let Some(d) = param(&params, "maxDepth").filter(|d| !d.is_empty()) {
                let ok = go_atoi(d)
                    .filter(|n| {
                        *n >= validation.min_max_depth as i64
                            && *n <= validation.max_depth_limit as i64
                    })
                    .is_some();
                if !ok {
                    return Err(bad(format!(
                        "maxDepth must be an integer from {} to {}, got {d:?} (the API rejects this request)",
                        validation.min_max_depth, validation.max_depth_limit
                    )));
                }
            }
            vec![Key::LineageGraph {
                dataset: id.to_string(),
                field: field.to_string(),
                direction,
            }]
        }
        _ => {
            return Err(bad(format!(
            "no cached API route matches {path:?} (a '/' inside a dataset id splits the path: address the dataset by its name)"
        )))
        }
    };
    for k in keys.iter().chain(&by_id) {
        k.validate()?;
    }
    Ok(Routed {
        keys,
        raw: routed.raw,
        by_id,
    })
}

#[cfg(test)]
mod tests;
