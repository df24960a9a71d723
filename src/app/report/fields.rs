//! Fields the reports share, serialized as every report shows them: a key's parameters as
//! one JSON object, a key kind by its name.
use serde::{Serialize, Serializer};

use crate::keys::Kind;

/// A key's parameters, `(name, value)` in the key's order: one JSON object.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Params(pub Vec<(&'static str, String)>);

impl Serialize for Params {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

impl Params {
    /// `dataset=x field=y`.
    pub(crate) fn text(&self) -> String {
        self.0
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// A kind by its name (`lineage-graph`); `null` for none.
pub(crate) fn kind_name<S: Serializer>(kind: &Option<Kind>, s: S) -> Result<S::Ok, S::Error> {
    kind.map(Kind::name).serialize(s)
}
