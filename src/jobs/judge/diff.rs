//! How a stale value differs from the API's value now: a short semantic summary (nodes and
//! edges added and removed for graphs; members changed for objects; items added, removed
//! and changed for lists), and the full difference for `--diff`.
use serde_json::{Map, Value};

/// How many names a summary shows per change before "…".
const SHOWN: usize = 3;

/// A line: what changed from `old` to `new` (both canonical JSON of the same kind).
pub(crate) fn summary(old: &[u8], new: &[u8]) -> String {
    match (serde_json::from_slice(old), serde_json::from_slice(new)) {
        (Ok(o), Ok(n)) => describe(&o, &n),
        _ => "the value changed".into(),
    }
}

/// Every changed line of the two values pretty-printed, as a unified diff (cached `-`, the
/// API's value now `+`).
pub(crate) fn full(old: &[u8], new: &[u8]) -> String {
    let pretty = |b: &[u8]| {
        serde_json::from_slice::<Value>(b)
            .ok()
            .and_then(|v| serde_json::to_string_pretty(&v).ok())
            .unwrap_or_else(|| String::from_utf8_lossy(b).into_owned())
            + "\n"
    };
    let (o, n) = (pretty(old), pretty(new));
    similar::TextDiff::from_lines(&o, &n)
        .unified_diff()
        .context_radius(2)
        .header("cached", "current")
        .to_string()
}

fn describe(old: &Value, new: &Value) -> String {
    match (old, new) {
        (Value::Object(o), Value::Object(n)) if o.contains_key("nodes") => graph(o, n),
        (Value::Object(o), Value::Object(n)) if o.contains_key("datasets") => {
            let mut parts = vec![];
            if o.get("total") != n.get("total") {
                parts.push(format!(
                    "total {} → {}",
                    o.get("total").unwrap_or(&Value::Null),
                    n.get("total").unwrap_or(&Value::Null)
                ));
            }
            let empty = Value::Array(vec![]);
            let items = list(
                o.get("datasets").unwrap_or(&empty),
                n.get("datasets").unwrap_or(&empty),
            );
            if !items.is_empty() {
                parts.push(format!("datasets {items}"));
            }
            joined(parts)
        }
        (Value::Object(o), Value::Object(n)) => joined(members(o, n)),
        (Value::Array(_), Value::Array(_)) => {
            let items = list(old, new);
            if items.is_empty() {
                "the order of the items changed".into()
            } else {
                format!("items {items}")
            }
        }
        _ => "the value changed".into(),
    }
}

fn joined(parts: Vec<String>) -> String {
    if parts.is_empty() {
        "the member order changed".into()
    } else {
        parts.join("; ")
    }
}

/// `changed: a, b; added: c; removed: d` over an object's members.
fn members(o: &Map<String, Value>, n: &Map<String, Value>) -> Vec<String> {
    let changed: Vec<&str> = n
        .iter()
        .filter(|(k, v)| o.get(*k).is_some_and(|ov| ov != *v))
        .map(|(k, _)| k.as_str())
        .collect();
    let added: Vec<&str> = n
        .keys()
        .filter(|k| !o.contains_key(*k))
        .map(String::as_str)
        .collect();
    let removed: Vec<&str> = o
        .keys()
        .filter(|k| !n.contains_key(*k))
        .map(String::as_str)
        .collect();
    let mut parts = vec![];
    for (label, names) in [("changed", changed), ("added", added), ("removed", removed)] {
        if !names.is_empty() {
            parts.push(format!("{label}: {}", names.join(", ")));
        }
    }
    parts
}

/// The identity of a list item: its `id`, else its `name`, else the item itself.
fn identity(v: &Value) -> String {
    for member in ["id", "name"] {
        if let Some(Value::String(s)) = v.get(member) {
            return s.clone();
        }
    }
    v.to_string()
}

/// `+2 (a, b) -1 (c) ~1 (d)` over two lists, items matched by identity.
fn list(old: &Value, new: &Value) -> String {
    let (Value::Array(o), Value::Array(n)) = (old, new) else {
        return String::new();
    };
    let olds: Vec<(String, &Value)> = o.iter().map(|v| (identity(v), v)).collect();
    let news: Vec<(String, &Value)> = n.iter().map(|v| (identity(v), v)).collect();
    fn find<'v>(set: &[(String, &'v Value)], id: &str) -> Option<&'v Value> {
        set.iter().find(|(i, _)| i == id).map(|p| p.1)
    }
    let added: Vec<String> = news
        .iter()
        .filter(|(id, _)| find(&olds, id).is_none())
        .map(|p| p.0.clone())
        .collect();
    let removed: Vec<String> = olds
        .iter()
        .filter(|(id, _)| find(&news, id).is_none())
        .map(|p| p.0.clone())
        .collect();
    let changed: Vec<String> = news
        .iter()
        .filter(|(id, v)| find(&olds, id).is_some_and(|ov| ov != *v))
        .map(|p| p.0.clone())
        .collect();
    let mut parts = vec![];
    for (sign, names) in [("+", added), ("-", removed), ("~", changed)] {
        if !names.is_empty() {
            parts.push(format!("{sign}{} ({})", names.len(), shown(&names)));
        }
    }
    parts.join(" ")
}

fn shown(names: &[String]) -> String {
    let mut s = names
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        s.push_str(&format!(", … {} more", names.len() - SHOWN));
    }
    s
}

/// Nodes by id and edges as a multiset of (id, source, target): what was added and removed.
fn graph(o: &Map<String, Value>, n: &Map<String, Value>) -> String {
    let ids = |m: &Map<String, Value>, member: &str, f: &dyn Fn(&Value) -> String| -> Vec<String> {
        match m.get(member) {
            Some(Value::Array(items)) => items.iter().map(f).collect(),
            _ => vec![],
        }
    };
    let node = |v: &Value| identity(v);
    let edge = |v: &Value| {
        let s = |m: &str| v.get(m).and_then(Value::as_str).unwrap_or("").to_string();
        format!("{} {}→{}", s("id"), s("source"), s("target"))
    };
    let mut parts = vec![];
    for (label, f) in [
        ("nodes", &node as &dyn Fn(&Value) -> String),
        ("edges", &edge),
    ] {
        let (added, removed) = multiset_diff(ids(o, label, f), ids(n, label, f));
        if added.is_empty() && removed.is_empty() {
            continue;
        }
        let mut p = format!("{label} +{} -{}", added.len(), removed.len());
        let mut names: Vec<String> = added.iter().map(|a| format!("+{a}")).collect();
        names.extend(removed.iter().map(|r| format!("-{r}")));
        p.push_str(&format!(" ({})", shown(&names)));
        parts.push(p);
    }
    if parts.is_empty() {
        return "same nodes and edges, other order or attributes".into();
    }
    parts.join("; ")
}

/// What `new` has more of than `old` (added) and less of (removed), counting repeats.
fn multiset_diff(old: Vec<String>, new: Vec<String>) -> (Vec<String>, Vec<String>) {
    let mut counts: std::collections::BTreeMap<String, i64> = Default::default();
    for o in old {
        *counts.entry(o).or_default() -= 1;
    }
    for n in new {
        *counts.entry(n).or_default() += 1;
    }
    let (mut added, mut removed) = (vec![], vec![]);
    for (k, c) in counts {
        for _ in 0..c.max(0) {
            added.push(k.clone());
        }
        for _ in 0..(-c).max(0) {
            removed.push(k.clone());
        }
    }
    (added, removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graphs_name_the_nodes_and_edges_added_and_removed() {
        let old = br#"{"nodes":[{"id":"a/x"},{"id":"b/y"}],"edges":[{"id":"e1","source":"b/y","target":"a/x"}]}"#;
        let new = br#"{"nodes":[{"id":"a/x"},{"id":"c/z"}],"edges":[{"id":"e2","source":"c/z","target":"a/x"},{"id":"e2","source":"c/z","target":"a/x"}]}"#;
        assert_eq!(
            summary(old, new),
            "nodes +1 -1 (+c/z, -b/y); edges +2 -1 (+e2 c/z→a/x, +e2 c/z→a/x, -e1 b/y→a/x)"
        );
    }

    #[test]
    fn objects_name_their_changed_members_and_lists_their_items() {
        let old = br#"{"id":"d","isActive":true,"description":"x"}"#;
        let new = br#"{"id":"d","isActive":false}"#;
        assert_eq!(summary(old, new), "changed: isActive; removed: description");
        let old = br#"[{"id":"a","n":1},{"id":"b"}]"#;
        let new = br#"[{"id":"a","n":2},{"id":"c"}]"#;
        assert_eq!(summary(old, new), "items +1 (c) -1 (b) ~1 (a)");
        let old = br#"{"datasets":[{"id":"a"}],"total":1}"#;
        let new = br#"{"datasets":[{"id":"a"},{"id":"b"}],"total":2}"#;
        assert_eq!(summary(old, new), "total 1 → 2; datasets +1 (b)");
    }

    #[test]
    fn the_full_diff_marks_cached_lines_minus_and_current_lines_plus() {
        let d = full(
            br#"{"id":"d","isActive":true}"#,
            br#"{"id":"d","isActive":false}"#,
        );
        assert!(d.contains("-  \"isActive\": true"), "{d}");
        assert!(d.contains("+  \"isActive\": false"), "{d}");
    }
}
