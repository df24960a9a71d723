//! Decoding a cached value back into model types, strictly: the members `json.Marshal`
//! always writes must be there, every member must have the JSON type the Go field takes,
//! and `null` is never accepted (the API never writes it: lists are `[]`, nil pointers and
//! empty maps are left out). Members unknown to the model are ignored, as Go ignores them.
use crate::model::{
    Dataset, DatasetPage, Ddl, Edge, Field, Graph, Namespace, Node, Statistics, Timestamp,
};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt;

/// Why a cached value is not what the API writes for its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeProblem {
    /// Where, as a JSON path (`$`, `$.nodes[3].id`).
    pub path: String,
    /// What is wrong there.
    pub message: String,
}

impl DecodeProblem {
    pub(crate) fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        DecodeProblem {
            path: path.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for DecodeProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl std::error::Error for DecodeProblem {}

type Result<T> = std::result::Result<T, DecodeProblem>;

/// Parse the bytes as JSON.
pub(crate) fn parse(bytes: &[u8]) -> Result<Value> {
    serde_json::from_slice(bytes)
        .map_err(|e| DecodeProblem::new("$", format!("not valid JSON: {e}")))
}

/// "a string", "null", ... for messages.
fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn wrong(v: &Value, path: &str, expected: &str) -> DecodeProblem {
    let found = type_name(v);
    DecodeProblem::new(path, format!("expected {expected}, found {found}"))
}

/// The value as a JSON object.
pub(crate) fn object<'v>(v: &'v Value, path: &str) -> Result<&'v Map<String, Value>> {
    v.as_object().ok_or_else(|| wrong(v, path, "an object"))
}

/// The value as a JSON array; `null` gets its own message, as Go writes `[]` for none.
pub(crate) fn array<'v>(v: &'v Value, path: &str) -> Result<&'v [Value]> {
    match v {
        Value::Array(items) => Ok(items),
        Value::Null => Err(DecodeProblem::new(
            path,
            "null where a list belongs (the API writes an empty list as [])",
        )),
        _ => Err(wrong(v, path, "an array")),
    }
}

/// Decode every element of a list with `item`.
pub(crate) fn list<T>(
    v: &Value,
    path: &str,
    item: fn(&Value, &str) -> Result<T>,
) -> Result<Vec<T>> {
    let items = array(v, path)?;
    let mut out = Vec::with_capacity(items.len());
    for (i, v) in items.iter().enumerate() {
        out.push(item(v, &format!("{path}[{i}]"))?);
    }
    Ok(out)
}

fn string(v: &Value, path: &str) -> Result<String> {
    v.as_str()
        .map(str::to_owned)
        .ok_or_else(|| wrong(v, path, "a string"))
}

fn int(v: &Value, path: &str) -> Result<i64> {
    match v {
        Value::Number(n) => n.as_i64().ok_or_else(|| {
            DecodeProblem::new(path, format!("expected a 64-bit integer, found {n}"))
        }),
        _ => Err(wrong(v, path, "an integer")),
    }
}

fn float(v: &Value, path: &str) -> Result<f64> {
    v.as_f64().ok_or_else(|| wrong(v, path, "a number"))
}

fn boolean(v: &Value, path: &str) -> Result<bool> {
    v.as_bool().ok_or_else(|| wrong(v, path, "a boolean"))
}

/// Go's zero time, which a plain time member holds for SQL NULL.
fn zero_time() -> Option<Timestamp> {
    Timestamp::from_parts(1, 1, 1, 0, 0, 0, 0)
}

/// An RFC 3339 time as Go's `Time.UnmarshalJSON` reads it (`T` separator, `Z` or a
/// `±hh:mm` offset, fraction of 1 to 9 digits).
fn time(v: &Value, path: &str) -> Result<Timestamp> {
    let s = v
        .as_str()
        .ok_or_else(|| wrong(v, path, "an RFC 3339 time string"))?;
    let b = s.as_bytes();
    let n = b.len();
    let zone_ok =
        b.last() == Some(&b'Z') || (n >= 25 && matches!(b[n - 6], b'+' | b'-') && b[n - 3] == b':');
    let parsed = if n >= 20 && b[10] == b'T' && zone_ok && s.trim() == s {
        Timestamp::parse(s)
    } else {
        None
    };
    parsed.ok_or_else(|| DecodeProblem::new(path, format!("not an RFC 3339 time: {s:?}")))
}

/// An object's members, read by name with the path kept for messages.
pub(crate) struct Obj<'v, 'p> {
    map: &'v Map<String, Value>,
    path: &'p str,
}

impl<'v, 'p> Obj<'v, 'p> {
    pub(crate) fn new(v: &'v Value, path: &'p str) -> Result<Self> {
        Ok(Obj {
            map: object(v, path)?,
            path,
        })
    }

    fn at(&self, name: &str) -> String {
        format!("{}.{name}", self.path)
    }

    /// A member `json.Marshal` always writes.
    fn req<T>(&self, name: &str, conv: fn(&Value, &str) -> Result<T>) -> Result<T> {
        match self.map.get(name) {
            Some(v) => conv(v, &self.at(name)),
            None => Err(DecodeProblem::new(
                self.path,
                format!("missing member {name:?}"),
            )),
        }
    }

    /// An `omitempty` member: `None` when left out.
    fn opt<T>(&self, name: &str, conv: fn(&Value, &str) -> Result<T>) -> Result<Option<T>> {
        self.map
            .get(name)
            .map(|v| conv(v, &self.at(name)))
            .transpose()
    }

    fn str(&self, name: &str) -> Result<String> {
        self.req(name, string)
    }

    fn opt_str(&self, name: &str) -> Result<String> {
        Ok(self.opt(name, string)?.unwrap_or_default())
    }

    /// A plain time member; the zero time reads as NULL (it is what NULL encodes to).
    fn time(&self, name: &str) -> Result<Option<Timestamp>> {
        let t = self.req(name, time)?;
        Ok(Some(t).filter(|t| Some(*t) != zero_time()))
    }

    fn str_map(&self, name: &str) -> Result<BTreeMap<String, String>> {
        let Some(v) = self.map.get(name) else {
            return Ok(BTreeMap::new());
        };
        let path = self.at(name);
        let mut out = BTreeMap::new();
        for (k, v) in object(v, &path)? {
            out.insert(k.clone(), string(v, &format!("{path}[{k:?}]"))?);
        }
        Ok(out)
    }
}

pub(crate) fn namespace(v: &Value, path: &str) -> Result<Namespace> {
    let o = Obj::new(v, path)?;
    Ok(Namespace {
        id: o.str("id")?,
        uri: o.str("uri")?,
        description: o.opt_str("description")?,
        spec_version: o.str("specVersion")?,
        created_at: o.time("createdAt")?,
    })
}

pub(crate) fn dataset(v: &Value, path: &str) -> Result<Dataset> {
    let o = Obj::new(v, path)?;
    Ok(Dataset {
        id: o.str("id")?,
        namespace_id: o.str("namespaceId")?,
        name: o.str("name")?,
        description: o.opt_str("description")?,
        source_type: o.opt_str("sourceType")?,
        created_at: o.time("createdAt")?,
        updated_at: o.time("updatedAt")?,
        is_active: o.req("isActive", boolean)?,
    })
}

pub(crate) fn field(v: &Value, path: &str) -> Result<Field> {
    let o = Obj::new(v, path)?;
    Ok(Field {
        id: o.str("id")?,
        dataset_id: o.str("datasetId")?,
        name: o.str("name")?,
        field_type: o.opt_str("type")?,
        description: o.opt_str("description")?,
        ordinal_position: o.req("ordinalPosition", int)?,
        nullable: o.req("nullable", boolean)?,
        created_at: o.time("createdAt")?,
    })
}

pub(crate) fn page(v: &Value, path: &str) -> Result<DatasetPage> {
    let o = Obj::new(v, path)?;
    Ok(DatasetPage {
        datasets: o.req("datasets", |v, p| list(v, p, dataset))?,
        total: o.req("total", int)?,
    })
}

fn node(v: &Value, path: &str) -> Result<Node> {
    let o = Obj::new(v, path)?;
    let id = o.str("id")?;
    let kind = o.str("type")?;
    if kind != "field" {
        let at = o.at("type");
        return Err(DecodeProblem::new(
            at,
            format!("expected \"field\", found {kind:?}"),
        ));
    }
    Ok(Node {
        id,
        namespace: o.str("namespace")?,
        dataset: o.str("dataset")?,
        field: o.opt_str("field")?,
        metadata: o.str_map("metadata")?,
    })
}

fn edge(v: &Value, path: &str) -> Result<Edge> {
    let o = Obj::new(v, path)?;
    Ok(Edge {
        id: o.str("id")?,
        source: o.str("source")?,
        target: o.str("target")?,
        transformation_type: o.str("transformationType")?,
        transformation_subtype: o.str("transformationSubtype")?,
        confidence_score: o.opt("confidenceScore", float)?,
    })
}

pub(crate) fn graph(v: &Value, path: &str) -> Result<Graph> {
    let o = Obj::new(v, path)?;
    Ok(Graph {
        nodes: o.req("nodes", |v, p| list(v, p, node))?,
        edges: o.req("edges", |v, p| list(v, p, edge))?,
    })
}

pub(crate) fn statistics(v: &Value, path: &str) -> Result<Statistics> {
    let o = Obj::new(v, path)?;
    Ok(Statistics {
        dataset_id: o.str("datasetId")?,
        database_name: o.str("databaseName")?,
        table_name: o.str("tableName")?,
        source_type: o.str("sourceType")?,
        creator_name: o.opt_str("creatorName")?,
        create_timestamp: o.opt("createTimestamp", time)?,
        last_alter_timestamp: o.opt("lastAlterTimestamp", time)?,
        row_count: o.opt("rowCount", int)?,
        size_bytes: o.opt("sizeBytes", int)?,
        table_comment: o.opt_str("tableComment")?,
    })
}

pub(crate) fn ddl(v: &Value, path: &str) -> Result<Ddl> {
    let o = Obj::new(v, path)?;
    Ok(Ddl {
        dataset_id: o.str("datasetId")?,
        database_name: o.str("databaseName")?,
        table_name: o.str("tableName")?,
        source_type: o.str("sourceType")?,
        view_sql: o.opt_str("viewSql")?,
        table_ddl: o.opt_str("tableDdl")?,
        truncated: o.req("truncated", boolean)?,
        table_comment: o.opt_str("tableComment")?,
        column_comments: o.str_map("columnComments")?,
    })
}
