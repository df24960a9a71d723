//! The lineage source: everything a cached value needs, from Teradata (ODBC) or the
//! embedded SQLite warehouse. Contract §4 is the specification.
pub mod demo;
pub mod engine;
pub(crate) mod fx;
pub mod graph;
pub mod near;
pub mod odbc;
pub mod open;
pub mod snapshot;
pub mod sql;
pub mod sqlite;

pub use open::open;

use crate::model::{
    Dataset, DatasetPage, Ddl, Field, LineageHit, LineageRow, Namespace, Statistics, Timestamp,
};

use crate::failure::Failure;
pub use crate::model::Direction;

/// Which end of a lineage row a read names: the column it comes from, or the one it feeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    Source,
    Target,
}

/// A failure of the lineage source. Messages never carry secrets.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The source could not be reached or the connection was lost.
    #[error("lineage source unreachable: {0}")]
    Connect(String),
    /// A query failed (missing table, syntax, timeout...). `what` names the query.
    #[error("lineage source query failed ({what}): {message}")]
    Query { what: String, message: String },
    /// The source specification (`--source`) is malformed.
    #[error("bad lineage source: {0}")]
    Spec(String),
    /// The data is not as the contract says (e.g. a value too long for its buffer).
    #[error("lineage source returned bad data ({what}): {message}")]
    Data { what: String, message: String },
}

impl SourceError {
    /// What kind of failure this is: a bad specification is a usage error, an unreachable
    /// source a connection failure, a failed query or bad data leaves the work partial.
    pub fn failure(&self) -> Failure {
        match self {
            SourceError::Spec(_) => Failure::Usage,
            SourceError::Connect(_) => Failure::Connection,
            SourceError::Query { .. } | SourceError::Data { .. } => Failure::Partial,
        }
    }

    pub fn query(what: impl Into<String>, message: impl std::fmt::Display) -> Self {
        SourceError::Query {
            what: what.into(),
            message: crate::config::redact_known_secrets(&message.to_string()),
        }
    }
}

pub type SourceResult<T> = Result<T, SourceError>;

/// What every lineage source answers. Calls block (ODBC does); callers run them off the
/// async runtime. Implementations are shared across threads.
pub trait LineageSource: Send + Sync {
    /// A short description for logs (never with secrets).
    fn describe(&self) -> String;
    /// All namespaces, newest `created_at` first.
    fn namespaces(&self) -> SourceResult<Vec<Namespace>>;
    /// One namespace by id.
    fn namespace(&self, id: &str) -> SourceResult<Option<Namespace>>;
    /// The dataset whose `dataset_id` or `name` equals `id_or_name`.
    fn dataset(&self, id_or_name: &str) -> SourceResult<Option<Dataset>>;
    /// Active datasets of a namespace ordered by name, `OFFSET offset` then `limit` rows,
    /// with the total number of active datasets in the namespace.
    fn dataset_page(
        &self,
        namespace_id: &str,
        limit: u32,
        offset: u64,
    ) -> SourceResult<DatasetPage>;
    /// Active datasets whose upper-cased name contains `query_upper`, by name, first `limit`.
    fn search(&self, query_upper: &str, limit: u32) -> SourceResult<Vec<Dataset>>;
    /// Fields whose `dataset_id` equals `dataset_id`, by ordinal position.
    fn fields(&self, dataset_id: &str) -> SourceResult<Vec<Field>>;
    /// The fields of every dataset in one read, each dataset's in [`LineageSource::fields`]
    /// order (planning a warm of many datasets).
    fn all_fields(&self) -> SourceResult<Vec<Field>>;
    /// The (dataset id, field name) of every field, each dataset's in
    /// [`LineageSource::fields`] order: what planning a warm of many datasets needs, read
    /// without building whole [`Field`]s where the source can.
    fn all_field_names(&self) -> SourceResult<Vec<(String, String)>> {
        Ok(self
            .all_fields()?
            .into_iter()
            .map(|f| (f.dataset_id, f.name))
            .collect())
    }
    /// Statistics of the dataset resolved by id or name.
    fn statistics(&self, id_or_name: &str) -> SourceResult<Option<Statistics>>;
    /// DDL of the dataset resolved by id or name.
    fn ddl(&self, id_or_name: &str) -> SourceResult<Option<Ddl>>;
    /// The recursive SQL of the API for one seed: every distinct (row, depth) pair,
    /// ordered by depth then lineage_id. `dataset` is resolved from id to name first.
    fn lineage(
        &self,
        dataset: &str,
        field: &str,
        direction: Direction,
        max_depth: u32,
    ) -> SourceResult<Vec<LineageHit>>;
    /// All active lineage rows (one bulk read), in `lineage_id` order.
    fn active_lineage(&self) -> SourceResult<Vec<LineageRow>>;
    /// The rows of [`LineageSource::active_lineage`], each interned by `loader` as it is
    /// read (the engine's bulk load, which never holds all rows as strings).
    fn active_lineage_interned(
        &self,
        loader: &mut engine::Loader,
    ) -> SourceResult<Vec<engine::LoadedRow>> {
        Ok(self
            .active_lineage()?
            .iter()
            .map(|r| loader.row(r))
            .collect())
    }
    /// Every lineage row, active or not, whose `end` dataset is one of `datasets` (names):
    /// one step of the lineage as it is now and, as far as the rows a change deactivated
    /// are kept, as it was before ([`near`]). A source that keeps no inactive rows answers
    /// its active ones.
    fn lineage_rows_at(&self, end: End, datasets: &[String]) -> SourceResult<Vec<LineageRow>>;
    /// The datasets (any state) whose name is one of `names`, by id.
    fn datasets_named(&self, names: &[String]) -> SourceResult<Vec<Dataset>>;
    /// Every dataset (any state), for selections and warming.
    fn all_datasets(&self) -> SourceResult<Vec<Dataset>>;
    /// Names of datasets changed since `since`: lineage rows discovered since then (both
    /// ends) and datasets updated since then.
    fn changed_since(&self, since: Timestamp) -> SourceResult<Vec<String>>;
}
