//! The encoders of the model types: member order and `omitempty` rules of contract §3.
use super::write::{write_bool, write_f64, write_i64, write_str, write_time};
use super::{EncodeError, GoJson};
use crate::model::{
    Dataset, DatasetPage, Ddl, Edge, Field, Graph, Namespace, Node, Statistics, Timestamp,
};
use std::collections::BTreeMap;

/// Writes JSON into a buffer, remembering the first value Go would refuse (written as
/// `null` in its place).
pub struct Encoder<'a> {
    out: &'a mut Vec<u8>,
    err: Option<EncodeError>,
}

impl<'a> Encoder<'a> {
    /// An encoder appending to `out`.
    pub fn new(out: &'a mut Vec<u8>) -> Self {
        Encoder { out, err: None }
    }

    /// The first refused value, if any.
    pub fn finish(self) -> Option<EncodeError> {
        self.err
    }

    fn refuse(&mut self, result: Result<(), EncodeError>) {
        if let Err(e) = result {
            self.out.extend_from_slice(b"null");
            self.err.get_or_insert(e);
        }
    }

    /// Open an object with its first member: `{"name":`. Names are plain ASCII.
    pub fn begin(&mut self, first: &str) {
        self.out.extend_from_slice(b"{\"");
        self.out.extend_from_slice(first.as_bytes());
        self.out.extend_from_slice(b"\":");
    }

    /// Start a further member: `,"name":`.
    pub fn member(&mut self, name: &str) {
        self.out.extend_from_slice(b",\"");
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(b"\":");
    }

    /// Close the object.
    pub fn end(&mut self) {
        self.out.push(b'}');
    }

    /// A string value.
    pub fn str(&mut self, s: &str) {
        write_str(self.out, s);
    }

    /// An integer value.
    pub fn int(&mut self, v: i64) {
        write_i64(self.out, v);
    }

    /// A boolean value.
    pub fn bool(&mut self, v: bool) {
        write_bool(self.out, v);
    }

    /// A `float64` value.
    pub fn float(&mut self, v: f64) {
        let r = write_f64(self.out, v);
        self.refuse(r);
    }

    /// A time value (`None` is the zero time).
    pub fn time(&mut self, t: Option<Timestamp>) {
        let r = write_time(self.out, t);
        self.refuse(r);
    }

    /// A list value: `[a,b]`, and `[]` when empty (never `null`).
    pub fn list<T: GoJson>(&mut self, items: &[T]) {
        self.out.push(b'[');
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.out.push(b',');
            }
            item.encode(self);
        }
        self.out.push(b']');
    }

    /// A `map[string]string` value, keys in byte order.
    pub fn map(&mut self, map: &BTreeMap<String, String>) {
        self.out.push(b'{');
        for (i, (k, v)) in map.iter().enumerate() {
            if i > 0 {
                self.out.push(b',');
            }
            write_str(self.out, k);
            self.out.push(b':');
            write_str(self.out, v);
        }
        self.out.push(b'}');
    }

    /// An `omitempty` string member: left out when `""`.
    pub fn opt_str(&mut self, name: &str, s: &str) {
        if !s.is_empty() {
            self.member(name);
            self.str(s);
        }
    }

    /// An `omitempty` map member: left out when empty.
    pub fn opt_map(&mut self, name: &str, map: &BTreeMap<String, String>) {
        if !map.is_empty() {
            self.member(name);
            self.map(map);
        }
    }
}

impl<T: GoJson> GoJson for [T] {
    fn encode(&self, enc: &mut Encoder<'_>) {
        enc.list(self);
    }
}

impl<T: GoJson> GoJson for Vec<T> {
    fn encode(&self, enc: &mut Encoder<'_>) {
        enc.list(self);
    }
}

impl GoJson for Namespace {
    fn encode(&self, e: &mut Encoder<'_>) {
        e.begin("id");
        e.str(&self.id);
        e.member("uri");
        e.str(&self.uri);
        e.opt_str("description", &self.description);
        e.member("specVersion");
        e.str(&self.spec_version);
        e.member("createdAt");
        e.time(self.created_at);
        e.end();
    }
}

impl GoJson for Dataset {
    fn encode(&self, e: &mut Encoder<'_>) {
        e.begin("id");
        e.str(&self.id);
        e.member("namespaceId");
        e.str(&self.namespace_id);
        e.member("name");
        e.str(&self.name);
        e.opt_str("description", &self.description);
        e.opt_str("sourceType", &self.source_type);
        e.member("createdAt");
        e.time(self.created_at);
        e.member("updatedAt");
        e.time(self.updated_at);
        e.member("isActive");
        e.bool(self.is_active);
        e.end();
    }
}

impl GoJson for Field {
    fn encode(&self, e: &mut Encoder<'_>) {
        e.begin("id");
        e.str(&self.id);
        e.member("datasetId");
        e.str(&self.dataset_id);
        e.member("name");
        e.str(&self.name);
        e.opt_str("type", &self.field_type);
        e.opt_str("description", &self.description);
        e.member("ordinalPosition");
        e.int(self.ordinal_position);
        e.member("nullable");
        e.bool(self.nullable);
        e.member("createdAt");
        e.time(self.created_at);
        e.end();
    }
}

impl GoJson for DatasetPage {
    fn encode(&self, e: &mut Encoder<'_>) {
        e.begin("datasets");
        e.list(&self.datasets);
        e.member("total");
        e.int(self.total);
        e.end();
    }
}

impl GoJson for Node {
    fn encode(&self, e: &mut Encoder<'_>) {
        e.begin("id");
        e.str(&self.id);
        e.member("type");
        e.str("field");
        e.member("namespace");
        e.str(&self.namespace);
        e.member("dataset");
        e.str(&self.dataset);
        e.opt_str("field", &self.field);
        e.opt_map("metadata", &self.metadata);
        e.end();
    }
}

impl GoJson for Edge {
    fn encode(&self, e: &mut Encoder<'_>) {
        e.begin("id");
        e.str(&self.id);
        e.member("source");
        e.str(&self.source);
        e.member("target");
        e.str(&self.target);
        e.member("transformationType");
        e.str(&self.transformation_type);
        e.member("transformationSubtype");
        e.str(&self.transformation_subtype);
        // A plain float64 with omitempty: NULL and 0 (either sign) are both left out.
        if let Some(score) = self.confidence_score.filter(|s| *s != 0.0) {
            e.member("confidenceScore");
            e.float(score);
        }
        e.end();
    }
}

impl GoJson for Graph {
    fn encode(&self, e: &mut Encoder<'_>) {
        e.begin("nodes");
        e.list(&self.nodes);
        e.member("edges");
        e.list(&self.edges);
        e.end();
    }
}

impl GoJson for Statistics {
    fn encode(&self, e: &mut Encoder<'_>) {
        e.begin("datasetId");
        e.str(&self.dataset_id);
        e.member("databaseName");
        e.str(&self.database_name);
        e.member("tableName");
        e.str(&self.table_name);
        e.member("sourceType");
        e.str(&self.source_type);
        e.opt_str("creatorName", &self.creator_name);
        // Pointer members: left out when nil, kept whatever the pointee.
        let times = [
            ("createTimestamp", self.create_timestamp),
            ("lastAlterTimestamp", self.last_alter_timestamp),
        ];
        for (name, t) in times {
            if let Some(t) = t {
                e.member(name);
                e.time(Some(t));
            }
        }
        for (name, n) in [("rowCount", self.row_count), ("sizeBytes", self.size_bytes)] {
            if let Some(n) = n {
                e.member(name);
                e.int(n);
            }
        }
        e.opt_str("tableComment", &self.table_comment);
        e.end();
    }
}

impl GoJson for Ddl {
    fn encode(&self, e: &mut Encoder<'_>) {
        e.begin("datasetId");
        e.str(&self.dataset_id);
        e.member("databaseName");
        e.str(&self.database_name);
        e.member("tableName");
        e.str(&self.table_name);
        e.member("sourceType");
        e.str(&self.source_type);
        e.opt_str("viewSql", &self.view_sql);
        e.opt_str("tableDdl", &self.table_ddl);
        e.member("truncated");
        e.bool(self.truncated);
        e.opt_str("tableComment", &self.table_comment);
        e.opt_map("columnComments", &self.column_comments);
        e.end();
    }
}
