//! Map an API request (URL or path, percent-encoded, with its query string) to the cache
//! key(s) it reads, applying the API's defaults and validation (contract §1).
use crate::config::Validation;
use crate::gostr::search_query;
use crate::keys::{go_atoi, Key, KeyError, DEFAULT_LIMIT, LIMIT_RANGE};
use crate::source::Direction;

/// The API's route prefix.
pub const API_BASE: &str = "/api/v2/openlineage";

fn bad(msg: impl Into<String>) -> KeyError {
    KeyError::Other(msg.into())
}

fn decode(seg: &str, what: &str) -> Result<String, KeyError> {
    percent_encoding::percent_decode_str(seg)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| {
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

/// The keys one API request reads, in the order the API reads them.
pub fn keys_for_url(url: &str, validation: &Validation) -> Result<Vec<Key>, KeyError> {
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
    let route = path
        .strip_prefix(API_BASE)
        .filter(|r| r.is_empty() || r.starts_with('/'))
        .ok_or_else(|| bad(format!("the path must start with {API_BASE}/")))?;
    let raw: Vec<&str> = route.trim_start_matches('/').split('/').collect();
    let raw: Vec<&str> = if raw.last() == Some(&"") && raw.len() > 1 {
        raw[..raw.len() - 1].to_vec()
    } else {
        raw
    };
    let segs: Vec<String> = raw
        .iter()
        .map(|s| decode(s, "path"))
        .collect::<Result<_, _>>()?;
    let params = query_params(query)?;
    let s: Vec<&str> = segs.iter().map(String::as_str).collect();
    let nonempty = |v: &str, what: &str| {
        if v.is_empty() {
            Err(bad(format!("empty {what} in the path")))
        } else {
            Ok(())
        }
    };
    let keys = match s.as_slice() {
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
            vec![Key::DatasetStatistics {
                dataset: id.to_string(),
            }]
        }
        ["datasets", id, "ddl"] => {
            nonempty(id, "dataset id")?;
            vec![Key::DatasetDdl {
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
        _ => return Err(bad(format!(
            "no cached API route matches {path:?} (a '/' inside a dataset id must be sent as %2F)"
        ))),
    };
    for k in &keys {
        k.validate()?;
    }
    Ok(keys)
}
