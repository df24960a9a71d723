//! Rows of a warehouse from table and edge specifications, with the identifiers the
//! population script computes (contract §4) and the DBC stand-in rows of every dataset.
use md5::{Digest, Md5};

use super::schema::{self, Sink, Val};
use super::{DemoResult, Summary};
use crate::source::sql::quote_ident;

/// Lower-case hex of the MD5 of `text`, first `n` digits.
fn md5_hex(text: &str, n: usize) -> String {
    let digest = Md5::digest(text.as_bytes());
    let mut hex = String::with_capacity(32);
    for b in digest.iter() {
        hex.push_str(&format!("{b:02x}"));
    }
    hex.truncate(n);
    hex
}

/// `namespace_id`: the first 16 hex digits of MD5(namespace_uri).
pub fn namespace_id(uri: &str) -> String {
    md5_hex(uri, 16)
}

/// `field_id`: `{dataset_id}/{field_name}`.
pub fn field_id(dataset_id: &str, field: &str) -> String {
    format!("{dataset_id}/{field}")
}

/// `lineage_id`: the first 24 hex digits of MD5(`{src db.table.column}->{tgt db.table.column}`),
/// where `db.table` is the dataset name.
pub fn lineage_id(
    src_dataset: &str,
    src_field: &str,
    tgt_dataset: &str,
    tgt_field: &str,
) -> String {
    md5_hex(
        &format!("{src_dataset}.{src_field}->{tgt_dataset}.{tgt_field}"),
        24,
    )
}

/// A namespace: id and URI.
#[derive(Debug, Clone)]
pub(crate) struct Ns {
    pub id: String,
    pub uri: String,
}

/// One column of a table.
#[derive(Debug, Clone)]
pub(crate) struct ColumnSpec {
    pub name: String,
    pub ty: String,
    pub description: Option<String>,
    /// `OL_DATASET_FIELD.nullable` as stored (`Y`, `N` or NULL).
    pub nullable: Option<&'static str>,
}

/// One table or view.
pub(crate) struct TableSpec<'a> {
    pub ns: &'a Ns,
    pub db: &'a str,
    pub table: &'a str,
    pub description: Option<&'a str>,
    /// `OL_DATASET.source_type` as stored.
    pub source_type: Option<&'a str>,
    /// `Some(base table)` for a view.
    pub view_of: Option<&'a str>,
    pub active: bool,
    pub created: &'a str,
    pub updated: &'a str,
    pub columns: &'a [ColumnSpec],
    pub row_count: i64,
    /// Appended to the `SHOW TABLE` text, or a view's `RequestText`, before its final `;`.
    pub ddl_extra: &'a str,
}

/// The transformation kinds of the population script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Direct,
    Calculation,
    Aggregation,
    Join,
    Filter,
}

impl Kind {
    /// (transformation_type, transformation_subtype) as stored.
    pub fn stored(self) -> (&'static str, &'static str) {
        match self {
            Kind::Direct => ("DIRECT", "IDENTITY"),
            Kind::Calculation => ("DIRECT", "TRANSFORMATION"),
            Kind::Aggregation => ("DIRECT", "AGGREGATION"),
            Kind::Join => ("INDIRECT", "JOIN"),
            Kind::Filter => ("INDIRECT", "FILTER"),
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Some(match s {
            "DIRECT" => Kind::Direct,
            "CALCULATION" => Kind::Calculation,
            "AGGREGATION" => Kind::Aggregation,
            "JOIN" => Kind::Join,
            "FILTER" => Kind::Filter,
            _ => return None,
        })
    }
}

/// One end of a lineage edge: namespace, dataset name, field.
pub(crate) type End<'a> = (&'a Ns, &'a str, &'a str);

/// One lineage row.
pub(crate) struct EdgeSpec<'a> {
    pub source: End<'a>,
    pub target: End<'a>,
    pub kind: Kind,
    pub confidence: Option<&'static str>,
    pub discovered: &'a str,
    pub active: bool,
    pub masking: bool,
    pub description: Option<&'a str>,
    pub run_id: &'a str,
}

/// Emits rows into a sink and counts them.
pub(crate) struct Builder<'s> {
    sink: &'s mut dyn Sink,
    summary: Summary,
}

fn yn(b: bool) -> Val {
    Val::text(if b { "Y" } else { "N" })
}

/// `SHOW TABLE` text is stored in chunks of at most this many bytes (as Teradata returns
/// long text in several rows).
const SHOW_CHUNK: usize = 30_000;

impl<'s> Builder<'s> {
    pub fn new(sink: &'s mut dyn Sink) -> Self {
        Builder {
            sink,
            summary: Summary::default(),
        }
    }

    pub fn summary(&self) -> Summary {
        self.summary
    }

    pub fn namespace(
        &mut self,
        uri: &str,
        description: Option<&str>,
        spec_version: &str,
        created: &str,
    ) -> DemoResult<Ns> {
        let ns = Ns {
            id: namespace_id(uri),
            uri: uri.to_string(),
        };
        let row = [
            Val::text(&ns.id),
            Val::text(uri),
            Val::opt(description),
            Val::text(spec_version),
            Val::text(created),
        ];
        self.sink.row(&schema::NAMESPACE, &row)?;
        self.summary.namespaces += 1;
        Ok(ns)
    }

    /// A dataset with its fields and DBC rows; returns its name.
    pub fn dataset(&mut self, t: &TableSpec) -> DemoResult<String> {
        let name = format!("{}.{}", t.db, t.table);
        let id = format!("{}/{}", t.ns.id, name);
        let row = [
            Val::text(&id),
            Val::text(&t.ns.id),
            Val::text(&name),
            Val::opt(t.description),
            Val::opt(t.source_type),
            Val::text(t.created),
            Val::text(t.updated),
            yn(t.active),
        ];
        self.sink.row(&schema::DATASET, &row)?;
        self.summary.datasets += 1;
        for (i, c) in t.columns.iter().enumerate() {
            let row = [
                Val::text(field_id(&id, &c.name)),
                Val::text(&id),
                Val::text(&c.name),
                Val::text(&c.ty),
                Val::opt(c.description.as_deref()),
                Val::Int(i as i64 + 1),
                Val::opt(c.nullable),
                Val::text(t.created),
            ];
            self.sink.row(&schema::FIELD, &row)?;
            self.summary.fields += 1;
        }
        self.dbc_rows(t)?;
        Ok(name)
    }

    /// The table's rows in the DBC views: the table or view and its columns, and for a
    /// table its statistics, sizes and `SHOW TABLE` text.
    fn dbc_rows(&mut self, t: &TableSpec) -> DemoResult<()> {
        let (db, tb) = (Val::text(t.db), Val::text(t.table));
        let row = [
            db.clone(),
            tb.clone(),
            Val::text(if t.view_of.is_some() { "V" } else { "T" }),
            Val::text("etl_svc"),
            Val::text(t.created),
            Val::text(t.updated),
            Val::opt(t.description),
            Val::opt(t.view_of.map(|base| view_sql(t, base))),
        ];
        self.sink.row(&schema::TABLES_V, &row)?;
        for c in t.columns {
            let row = [
                db.clone(),
                tb.clone(),
                Val::text(&c.name),
                Val::opt(c.description.as_deref()),
            ];
            self.sink.row(&schema::COLUMNS_JQV, &row)?;
        }
        if t.view_of.is_some() {
            return Ok(());
        }
        self.table_stats(t, (&db, &tb))
    }

    /// A table's statistics (a row count on its first two columns), its size on two AMPs,
    /// and its DDL in `SHOW TABLE` chunks.
    fn table_stats(&mut self, t: &TableSpec, (db, tb): (&Val, &Val)) -> DemoResult<()> {
        for c in t.columns.iter().take(2) {
            let row = [
                db.clone(),
                tb.clone(),
                Val::text(&c.name),
                Val::Int(t.row_count),
            ];
            self.sink.row(&schema::TABLE_STATS_V, &row)?;
        }
        let perm = t.row_count.saturating_mul(96).saturating_add(8192);
        for (vproc, part) in [(0, perm / 2), (1, perm - perm / 2)] {
            let row = [db.clone(), tb.clone(), Val::Int(vproc), Val::Int(part)];
            self.sink.row(&schema::TABLE_SIZE_V, &row)?;
        }
        let ddl = table_ddl(t);
        for (i, chunk) in chunks(&ddl, SHOW_CHUNK).into_iter().enumerate() {
            let row = [
                db.clone(),
                tb.clone(),
                Val::Int(i as i64 + 1),
                Val::text(chunk),
            ];
            self.sink.row(&schema::SHOW_TABLE, &row)?;
        }
        Ok(())
    }

    /// One lineage row; returns its id.
    pub fn lineage(&mut self, e: &EdgeSpec) -> DemoResult<String> {
        let (sns, sds, sf) = e.source;
        let (tns, tds, tf) = e.target;
        let id = lineage_id(sds, sf, tds, tf);
        let (ty, sub) = e.kind.stored();
        let row = [
            Val::text(&id),
            Val::text(e.run_id),
            Val::text(&sns.uri),
            Val::text(sds),
            Val::text(sf),
            Val::text(&tns.uri),
            Val::text(tds),
            Val::text(tf),
            Val::text(ty),
            Val::text(sub),
            Val::opt(e.description),
            yn(e.masking),
            e.confidence.map_or(Val::Null, Val::Num),
            Val::text(e.discovered),
            yn(e.active),
        ];
        self.sink.row(&schema::LINEAGE, &row)?;
        self.summary.lineage_rows += 1;
        Ok(id)
    }
}

/// `text` cut into pieces of at most `max` bytes at character boundaries.
fn chunks(text: &str, max: usize) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while rest.len() > max {
        let mut end = max;
        while !rest.is_char_boundary(end) {
            end -= 1;
        }
        out.push(&rest[..end]);
        rest = &rest[end..];
    }
    out.push(rest);
    out
}

fn qualified(db: &str, table: &str) -> String {
    format!("{}.{}", quote_ident(db), quote_ident(table))
}

/// What `SHOW TABLE` prints for the table.
fn table_ddl(t: &TableSpec) -> String {
    let cols: Vec<String> = t
        .columns
        .iter()
        .map(|c| {
            let nn = if c.nullable == Some("N") {
                " NOT NULL"
            } else {
                ""
            };
            format!("      {} {}{nn}", quote_ident(&c.name), c.ty)
        })
        .collect();
    let pi = t.columns.first().map_or(String::new(), |c| {
        format!("\nPRIMARY INDEX ( {} )", quote_ident(&c.name))
    });
    format!(
        "CREATE MULTISET TABLE {} ,FALLBACK ,\n     NO BEFORE JOURNAL,\n     NO AFTER JOURNAL,\n     \
         CHECKSUM = DEFAULT,\n     DEFAULT MERGEBLOCKRATIO\n     (\n{}){pi}{};",
        qualified(t.db, t.table),
        cols.join(",\n"),
        t.ddl_extra
    )
}

/// The `RequestText` of a view selecting its columns from `base` (same database).
fn view_sql(t: &TableSpec, base: &str) -> String {
    let cols: Vec<String> = t
        .columns
        .iter()
        .map(|c| format!("  {}", quote_ident(&c.name)))
        .collect();
    format!(
        "REPLACE VIEW {} AS\nLOCKING ROW FOR ACCESS\nSELECT\n{}\nFROM {}{};",
        qualified(t.db, t.table),
        cols.join(",\n"),
        qualified(t.db, base),
        t.ddl_extra
    )
}
