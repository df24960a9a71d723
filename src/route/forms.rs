//! Every key the API may have written about a dataset or a column, in the forms it writes
//! them (contract §1): the name form, the decoded id form (written by tools and decoding
//! routers) and the id form as an id-form request leaves it, escaped the way the UI's
//! `encodeURIComponent` sends it (`ns%2Fdb.T`). What `invalidate` deletes without a scan.
use crate::keys::{search, Key, Kind, LIMIT_RANGE};
use crate::model::Direction;

/// The (dataset, field) parameters a column's graphs are cached under, for a dataset of
/// name `name` and ids `ids`: the name form, each id, each id escaped (with the field as it
/// is, and escaped too where that changes it).
pub fn column_forms(name: &str, field: &str, ids: &[String]) -> Vec<(String, String)> {
    let mut v = vec![(name.to_string(), field.to_string())];
    for id in ids {
        v.push((id.to_string(), field.to_string()));
        let escaped = super::encode_uri_component(id);
        let escaped_field = super::encode_uri_component(field);
        v.push((escaped.clone(), field.to_string()));
        if escaped_field != field {
            v.push((escaped, escaped_field));
        }
    }
    v
}

/// The graph keys of a column in `directions`, in every form. A parameter holding `|`
/// cannot be keyed unambiguously: the API never builds such a key, and none is returned.
pub fn graph_keys(
    name: &str,
    field: &str,
    ids: &[String],
    directions: &[Direction],
) -> Vec<String> {
    let mut keys = Vec::new();
    for (dataset, field) in column_forms(name, field, ids) {
        for &direction in directions {
            let key = Key::LineageGraph {
                dataset: dataset.clone(),
                field: field.clone(),
                direction,
            };
            if let Ok(k) = key.build() {
                keys.push(k);
            }
        }
    }
    keys
}

/// The dataset's own keys among `kinds` (dataset, field list, statistics, DDL) in every
/// form: the name, each id, each id escaped.
pub fn own_keys(name: &str, ids: &[String], kinds: &[Kind]) -> Vec<String> {
    let mut forms = vec![name.to_string()];
    for id in ids {
        forms.push(id.clone());
        forms.push(super::encode_uri_component(id));
    }
    let mut keys = Vec::new();
    for dataset in forms {
        for kind in kinds {
            let key = match kind {
                Kind::DatasetGet => Key::DatasetGet {
                    dataset: dataset.clone(),
                },
                Kind::FieldList => Key::FieldList {
                    dataset: dataset.clone(),
                },
                Kind::DatasetStatistics => Key::DatasetStatistics {
                    dataset: dataset.clone(),
                },
                Kind::DatasetDdl => Key::DatasetDdl {
                    dataset: dataset.clone(),
                },
                _ => continue,
            };
            if let Ok(k) = key.build() {
                keys.push(k);
            }
        }
    }
    keys
}

/// One Redis glob for list and search pages and no other key: `list:` and `search:` pass,
/// `statistics` fails at its second letter, `get` and `ddl` at their first.
pub const PAGES_PATTERN: &str = "ol:dataset:[ls][ie][sa][tr]*";

/// The page limits looked for: `sizes` (`--page-sizes`) when given, else every limit the API
/// accepts.
pub fn page_limits(sizes: &[u32]) -> Vec<u32> {
    let mut v: Vec<u32> = match sizes.is_empty() {
        true => LIMIT_RANGE.collect(),
        false => sizes
            .iter()
            .copied()
            .filter(|l| LIMIT_RANGE.contains(l))
            .collect(),
    };
    v.sort_unstable();
    v.dedup();
    v
}

/// How many list pages the API can have cached, at `limits`, for a namespace that never
/// held more than `datasets` datasets: every offset below the count (it never caches an
/// empty page).
pub fn list_page_count(limits: &[u32], datasets: u64) -> u64 {
    limits.len() as u64 * datasets
}

/// Those pages' keys, limit by limit (none when the namespace id holds `|`).
pub fn list_pages<'a>(
    namespace: &'a str,
    datasets: u64,
    limits: &'a [u32],
) -> impl Iterator<Item = String> + 'a {
    let usable = !namespace.contains('|');
    let limits = limits.iter().filter(move |_| usable);
    limits.flat_map(move |limit| {
        (0..datasets).map(move |offset| format!("ol:dataset:list:{namespace}|{limit}|{offset}"))
    })
}

/// Every query a search key can hold that the upper-cased `name` contains: each distinct
/// substring of it (Go's upper-casing), with no white space at either end (the API trims
/// `q`), including the empty query of a `q` of white space alone.
pub fn search_queries(name: &str) -> Vec<String> {
    let upper = search::to_upper(name);
    let bounds: Vec<usize> = upper
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(upper.len()))
        .collect();
    let mut out = std::collections::BTreeSet::new();
    out.insert(String::new());
    for (a, &start) in bounds.iter().enumerate() {
        for &end in &bounds[a + 1..] {
            let s = &upper[start..end];
            if search::trim_space(s).len() == s.len() {
                out.insert(s.to_string());
            }
        }
    }
    out.into_iter().collect()
}

/// How many search pages the API can have cached for `queries` queries at `limits`.
pub fn search_page_count(limits: &[u32], queries: usize) -> u64 {
    limits.len() as u64 * queries as u64
}

/// The search keys of `queries` at `limits` (the API caches only limits it accepts: any
/// other becomes 100): the key written verbatim, as the API does, also when a query holds
/// `|`.
pub fn search_pages<'a>(
    queries: &'a [String],
    limits: &'a [u32],
) -> impl Iterator<Item = String> + 'a {
    queries.iter().flat_map(move |q| {
        limits
            .iter()
            .map(move |limit| format!("ol:dataset:search:{q}|{limit}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{parse, Parsed};

    #[test]
    fn search_queries_are_the_trimmed_distinct_substrings() {
        let q = search_queries("a b");
        assert_eq!(q, vec!["", "A", "A B", "B"]);
        // Go's upper-casing: ß stays, ı does not become I twice.
        assert!(search_queries("straße").contains(&"STRAßE".to_string()));
        assert!(search_queries(" x ").contains(&"X".to_string()));
        assert!(!search_queries(" x ").contains(&" X".to_string()));
        assert_eq!(search_queries("aa"), vec!["", "A", "AA"]);
    }

    #[test]
    fn enumerated_keys_parse_back_to_what_they_name() {
        let every = page_limits(&[]);
        assert_eq!(every.len(), 500);
        let pages: Vec<String> = list_pages("ns", 3, &every).collect();
        assert_eq!(pages.len() as u64, list_page_count(&every, 3));
        assert_eq!(pages[0], "ol:dataset:list:ns|1|0");
        assert!(pages.contains(&"ol:dataset:list:ns|500|2".to_string()));
        for p in &pages {
            assert!(
                matches!(parse(p), Parsed::Key(Key::DatasetList { .. })),
                "{p}"
            );
        }
        assert_eq!(list_pages("n|s", 3, &every).count(), 0);
        let q = vec!["DB.T".to_string()];
        let s: Vec<String> = search_pages(&q, &every).collect();
        assert_eq!(s.len() as u64, search_page_count(&every, 1));
        assert!(matches!(
            parse(&s[99]),
            Parsed::Key(Key::DatasetSearch { .. })
        ));
        // `--page-sizes`: only those limits, each once, in order.
        let some = page_limits(&[100, 20, 100]);
        assert_eq!(some, vec![20, 100]);
        let pages: Vec<String> = list_pages("ns", 2, &some).collect();
        assert_eq!(
            pages,
            [
                "ol:dataset:list:ns|20|0",
                "ol:dataset:list:ns|20|1",
                "ol:dataset:list:ns|100|0",
                "ol:dataset:list:ns|100|1"
            ]
        );
        let s: Vec<String> = search_pages(&q, &some).collect();
        assert_eq!(
            s,
            ["ol:dataset:search:DB.T|20", "ol:dataset:search:DB.T|100"]
        );
        let own = own_keys("db.T", &["ns/db.T".to_string()], &[Kind::DatasetGet]);
        assert_eq!(
            own,
            vec![
                "ol:dataset:get:db.T",
                "ol:dataset:get:ns/db.T",
                "ol:dataset:get:ns%2Fdb.T"
            ]
        );
    }
}
