//! Whether a cached graph value holds a node of a `--touching` target. Read as a stream: only
//! the nodes' `dataset` and `field` strings are kept (borrowed from the value when they hold
//! no escapes), everything else is checked as JSON and skipped, so no tree of a 18 KB graph
//! is built for each of hundreds of thousands of cached graphs. Same answers as reading the
//! value into a `serde_json::Value` (the test below compares the two), except that a number
//! beyond a float's range in a skipped member is skipped, where a tree read would refuse it.
use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::{field_is, DatasetRef};

/// Whether a graph value (JSON bytes) has a node of any `touching` target.
pub fn graph_touches(value: &[u8], touching: &[(DatasetRef, Option<String>)]) -> bool {
    let Some(nodes) = node_columns(value) else {
        return false;
    };
    nodes.iter().any(|(ds, f)| {
        touching.iter().any(|(d, field)| {
            d.matches(ds) && field.as_deref().is_none_or(|want| field_is(f, want))
        })
    })
}

/// A node's (dataset, field): each the member's string, or empty when missing or not a
/// string (also for a node that is not an object).
type Column<'de> = (Cow<'de, str>, Cow<'de, str>);

/// The (dataset, field) of every node, or `None` when the value is not JSON, not an
/// object, or its `nodes` is not an array. A member given twice counts by its last value,
/// as when the value is read into a map.
fn node_columns(value: &[u8]) -> Option<Vec<Column<'_>>> {
    let mut de = serde_json::Deserializer::from_slice(value);
    let nodes = Top.deserialize(&mut de).ok()?;
    de.end().ok()?;
    nodes
}

/// The scalar `visit_*` methods of a visitor whose answer for any scalar is `$v`.
macro_rules! scalars_give {
    ($v:expr) => {
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok($v)
        }
        fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
            Ok($v)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
            Ok($v)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok($v)
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok($v)
        }
    };
}

/// A string, or nothing for any other JSON value (which is checked and skipped).
struct Text;

impl<'de> DeserializeSeed<'de> for Text {
    type Value = Option<Cow<'de, str>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Text {
    type Value = Option<Cow<'de, str>>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v.to_string())))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v)))
    }
    scalars_give!(None);
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

/// The top-level object: its last `nodes` member.
struct Top;

impl<'de> DeserializeSeed<'de> for Top {
    type Value = Option<Vec<Column<'de>>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Top {
    type Value = Option<Vec<Column<'de>>>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a graph")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut nodes = None;
        while let Some(key) = map.next_key_seed(Text)? {
            if key.as_deref() == Some("nodes") {
                nodes = map.next_value_seed(Nodes)?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(nodes)
    }
    // Anything but an object: no nodes (the value is still checked as JSON).
    scalars_give!(None);
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

/// The `nodes` array: each element's column (`None` when `nodes` is not an array).
struct Nodes;

impl<'de> DeserializeSeed<'de> for Nodes {
    type Value = Option<Vec<Column<'de>>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Nodes {
    type Value = Option<Vec<Column<'de>>>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of nodes")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(node) = seq.next_element_seed(Node)? {
            out.push(node);
        }
        Ok(Some(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    scalars_give!(None);
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }
}

/// One node: its `dataset` and `field` strings (empty when missing or not strings).
struct Node;

impl<'de> DeserializeSeed<'de> for Node {
    type Value = Column<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

const NONE: Column<'static> = (Cow::Borrowed(""), Cow::Borrowed(""));

impl<'de> Visitor<'de> for Node {
    type Value = Column<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a node")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut ds, mut f) = (None, None);
        while let Some(key) = map.next_key_seed(Text)? {
            match key.as_deref() {
                Some("dataset") => ds = Some(map.next_value_seed(Text)?),
                Some("field") => f = Some(map.next_value_seed(Text)?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let text = |v: Option<Option<Cow<'de, str>>>| v.flatten().unwrap_or(Cow::Borrowed(""));
        Ok((text(ds), text(f)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(NONE)
    }
    scalars_give!(NONE);
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(NONE)
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse_touching;
    use super::*;
    use proptest::prelude::*;

    /// The reference: the value read into a `serde_json::Value`.
    fn by_value(value: &[u8], touching: &[(DatasetRef, Option<String>)]) -> bool {
        let Ok(v) = serde_json::from_slice::<serde_json::Value>(value) else {
            return false;
        };
        let Some(nodes) = v.get("nodes").and_then(|n| n.as_array()) else {
            return false;
        };
        nodes.iter().any(|n| {
            let ds = n.get("dataset").and_then(|x| x.as_str()).unwrap_or("");
            let f = n.get("field").and_then(|x| x.as_str()).unwrap_or("");
            touching.iter().any(|(d, field)| {
                d.matches(ds) && field.as_deref().is_none_or(|want| field_is(f, want))
            })
        })
    }

    fn targets() -> Vec<Vec<(DatasetRef, Option<String>)>> {
        ["a.b", "a.b/c", "ns/a.b", "a.b/d", "x.y"]
            .iter()
            .map(|t| vec![parse_touching(t).unwrap()])
            .collect()
    }

    #[test]
    fn odd_values_answer_as_a_parsed_tree_does() {
        let cases: &[&[u8]] = &[
            br#"{"nodes":[{"id":"a.b/c","dataset":"a.b","field":"c"}],"edges":[]}"#,
            br#"{"nodes":[{"dataset":"a.\u0062","field":"\u0063"}]}"#,
            br#"{"nodes":[{"dataset":"x.y"},{"dataset":"a.b","dataset":"x.y"}]}"#,
            br#"{"nodes":[{"dataset":"x.y","dataset":"a.b"}]}"#,
            br#"{"nodes":[1,"a.b",null,[{"dataset":"a.b"}],{"dataset":5,"field":"c"}]}"#,
            br#"{"nodes":{"dataset":"a.b"}}"#,
            br#"{"nodes":[{"dataset":"a.b"}],"nodes":[]}"#,
            br#"{"nodes":[],"nodes":[{"dataset":"a.b","field":"c"}]}"#,
            br#"[{"nodes":[{"dataset":"a.b"}]}]"#,
            br#"{"nodes":[{"dataset":"a.b"}]} trailing"#,
            br#"{"nodes":[{"dataset":"a.b"}]"#,
            br#"{"edges":[{"dataset":"a.b"}]}"#,
            br#"{"nodes":[{"dataset":"ns%2Fa.b","field":"c"}]}"#,
            br#"{"nodes":[{"dataset":"a.b","field":"c","metadata":{"k":[1,2,{"x":null}]}}]}"#,
            b"",
            b"null",
        ];
        for value in cases {
            for t in targets() {
                assert_eq!(
                    graph_touches(value, &t),
                    by_value(value, &t),
                    "{} with {t:?}",
                    String::from_utf8_lossy(value)
                );
            }
        }
    }

    fn json_value() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i32>().prop_map(serde_json::Value::from),
            prop_oneof![
                Just("a.b".to_string()),
                Just("c".to_string()),
                Just("ns/a.b".to_string()),
                "[a-z.%/]{0,6}"
            ]
            .prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(serde_json::Value::from),
                prop::collection::vec(
                    (
                        prop_oneof![
                            Just("nodes".to_string()),
                            Just("dataset".to_string()),
                            Just("field".to_string()),
                            "[a-z]{1,3}"
                        ],
                        inner
                    ),
                    0..5
                )
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn random_values_answer_as_a_parsed_tree_does(v in json_value()) {
            let bytes = serde_json::to_vec(&serde_json::json!({ "nodes": v })).unwrap();
            for t in targets() {
                prop_assert_eq!(graph_touches(&bytes, &t), by_value(&bytes, &t));
            }
            let bytes = serde_json::to_vec(&v).unwrap();
            for t in targets() {
                prop_assert_eq!(graph_touches(&bytes, &t), by_value(&bytes, &t));
            }
        }
    }
}
