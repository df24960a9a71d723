//! Clap types into the core's types. The core never sees a clap type.
use crate::cli::{DirectionArg, KindArg, SelectionArgs};
use crate::config::Validation;
use crate::keys::Kind;
use crate::model::Direction;
use crate::select::{Selection, SelectionSpec};

pub fn kind_of(arg: KindArg) -> Kind {
    match arg {
        KindArg::NamespaceList => Kind::NamespaceList,
        KindArg::NamespaceGet => Kind::NamespaceGet,
        KindArg::DatasetList => Kind::DatasetList,
        KindArg::DatasetSearch => Kind::DatasetSearch,
        KindArg::DatasetGet => Kind::DatasetGet,
        KindArg::FieldList => Kind::FieldList,
        KindArg::DatasetStatistics => Kind::DatasetStatistics,
        KindArg::DatasetDdl => Kind::DatasetDdl,
        KindArg::LineageGraph => Kind::LineageGraph,
    }
}

pub fn direction_of(arg: DirectionArg) -> Direction {
    match arg {
        DirectionArg::Upstream => Direction::Upstream,
        DirectionArg::Downstream => Direction::Downstream,
        DirectionArg::Both => Direction::Both,
    }
}

/// The selection flags, checked (see [`Selection::check`]).
pub fn selection(args: &SelectionArgs, validation: &Validation) -> anyhow::Result<Selection> {
    let spec = SelectionSpec {
        all: args.all,
        kinds: args.kinds.iter().map(|k| kind_of(*k)).collect(),
        keys: args.keys.clone(),
        pattern: args.pattern.clone(),
        namespaces: args.namespaces.clone(),
        datasets: args.datasets.clone(),
        fields: args.fields.clone(),
        touching: args.touching.clone(),
        changed_since: args.changed_since.clone(),
        keys_file: args.keys_file.clone(),
    };
    Selection::check(&spec, validation)
}

/// The global flags that beat the environment.
pub fn overrides(g: &crate::cli::GlobalArgs) -> crate::config::Overrides {
    crate::config::Overrides {
        redis_url: g.redis_url.clone(),
        source: g.source.clone(),
        cluster: g.cluster,
        tls_ca_file: g.tls_ca_file.clone(),
        tls_cert_file: g.tls_cert_file.clone(),
        tls_key_file: g.tls_key_file.clone(),
        tls_server_name: g.tls_server_name.clone(),
        timeout: g.timeout,
        env_file: g.env_file.clone(),
    }
}
