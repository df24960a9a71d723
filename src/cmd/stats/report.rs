//! The stats report: the server's health and the keyspace by kind, as figures every output
//! reads (the table, Prometheus text) and whose JSON is their serialization.
use std::time::Duration;

use serde::{Serialize, Serializer};

use super::agg::{Estimate, Keyspace, FOREIGN, OTHER, TTL_BUCKETS};
use super::server::{Health, NodeHealth, Servers};
use crate::keys::Kind;

/// One report: the server's health and the keyspace as scanned.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct StatsReport {
    pub server: Server,
    /// Memory settings to fix, and keys the user could not size.
    pub warnings: Vec<String>,
    pub keyspace: KeyspaceFigures,
    #[serde(rename = "elapsedMs", serialize_with = "millis")]
    pub elapsed: Duration,
    /// Each primary of a cluster, sorted by address (none for a standalone server).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub nodes: Vec<NodeHealth>,
}

/// The server's health; in a cluster, the primaries added up.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Server {
    pub address: String,
    #[serde(flatten)]
    pub health: Health,
    /// Keys in the database (in a cluster, on every primary).
    pub dbsize: u64,
    pub cluster: bool,
    /// Primaries: 1 for a standalone server.
    pub primaries: usize,
}

/// The keyspace by group of keys, and how the figures were obtained.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct KeyspaceFigures {
    /// Whether sizes and TTLs come from a sample (scaled up).
    pub estimate: bool,
    /// Scans thrown away because the cluster's slots moved while they ran.
    pub rescans: u32,
    pub unsized_keys: u64,
    pub scanned: u64,
    pub sampled: u64,
    pub sample_every: u64,
    pub kinds: Vec<KindFigures>,
    /// `ol:` keys of no kind of the contract.
    pub other_prefix: Figures,
    /// Every key under the prefix.
    pub prefix_total: Figures,
    /// Keys outside the prefix: no TTL figures.
    pub foreign: Figures,
}

/// The figures of one kind of key.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct KindFigures {
    pub kind: &'static str,
    #[serde(flatten)]
    pub figures: Figures,
}

/// A group's figures, scaled to every counted key.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Figures {
    pub keys: u64,
    pub bytes: u64,
    /// With sampling: the 95 % margin of `bytes`, relative (0.01 = ±1 %).
    #[serde(rename = "bytesMargin95", skip_serializing_if = "Option::is_none")]
    pub margin: Option<f64>,
    #[serde(rename = "avgBytes")]
    pub avg: u64,
    #[serde(rename = "p50Bytes")]
    pub p50: u64,
    #[serde(rename = "p95Bytes")]
    pub p95: u64,
    #[serde(rename = "maxBytes")]
    pub max: u64,
    /// Keys by remaining TTL ([`TTL_BUCKETS`]); none for foreign keys.
    #[serde(flatten)]
    pub ttl: Option<TtlFigures>,
}

/// Keys by remaining TTL bucket, the last one holding keys without a TTL.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TtlFigures {
    #[serde(serialize_with = "buckets")]
    pub ttl: [u64; 7],
    pub no_ttl: u64,
}

/// What a scan found, before it becomes a report.
pub(crate) struct Scanned {
    pub addr: String,
    pub servers: Servers,
    pub dbsize: u64,
    pub keyspace: Keyspace,
    pub rescans: u32,
    pub elapsed: Duration,
}

impl StatsReport {
    pub(crate) fn new(s: Scanned) -> StatsReport {
        let keyspace = KeyspaceFigures::new(&s.keyspace, s.rescans);
        let mut warnings = s.servers.warnings();
        warnings.extend(unsized_warning(keyspace.unsized_keys));
        StatsReport {
            server: Server {
                address: s.addr,
                health: s.servers.total,
                dbsize: s.dbsize,
                cluster: !s.servers.nodes.is_empty(),
                primaries: s.servers.nodes.len().max(1),
            },
            warnings,
            keyspace,
            elapsed: s.elapsed,
            nodes: s.servers.nodes,
        }
    }

    /// Every group of the breakdown by its label in Prometheus text: each kind, `other`
    /// and `foreign`.
    pub(crate) fn groups(&self) -> Vec<(&'static str, &Figures)> {
        let ks = &self.keyspace;
        let mut groups: Vec<(&'static str, &Figures)> =
            ks.kinds.iter().map(|k| (k.kind, &k.figures)).collect();
        groups.push(("other", &ks.other_prefix));
        groups.push(("foreign", &ks.foreign));
        groups
    }
}

impl KeyspaceFigures {
    fn new(ks: &Keyspace, rescans: u32) -> KeyspaceFigures {
        let g = &ks.groups;
        KeyspaceFigures {
            estimate: ks.every > 1,
            rescans,
            unsized_keys: ks.unsized_keys(),
            scanned: ks.scanned(),
            sampled: ks.probed(),
            sample_every: ks.every,
            kinds: Kind::ALL
                .iter()
                .zip(g)
                .map(|(k, g)| KindFigures {
                    kind: k.name(),
                    figures: Figures::new(g.estimate(), true),
                })
                .collect(),
            other_prefix: Figures::new(g[OTHER].estimate(), true),
            prefix_total: Figures::new(ks.prefix_total().estimate(), true),
            foreign: Figures::new(g[FOREIGN].estimate(), false),
        }
    }
}

impl Figures {
    fn new(e: Estimate, with_ttl: bool) -> Figures {
        Figures {
            keys: e.keys,
            bytes: e.bytes,
            margin: e.margin,
            avg: e.avg,
            p50: e.p50,
            p95: e.p95,
            max: e.max,
            ttl: with_ttl.then(|| TtlFigures {
                ttl: e.ttl,
                no_ttl: e.ttl[TTL_BUCKETS.len() - 1],
            }),
        }
    }
}

/// Said when keys could not be sized.
fn unsized_warning(unsized_keys: u64) -> Option<String> {
    (unsized_keys > 0).then(|| {
        format!(
            "{unsized_keys} keys could not be sized: the ACL user may not read them (MEMORY USAGE \
             refused); they are counted, their bytes are not (grant %R~* to size them; see \
             docs/redis.md)"
        )
    })
}

fn millis<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(d.as_millis() as u64)
}

/// The TTL histogram as an object by bucket name, in bucket order.
fn buckets<S: Serializer>(ttl: &[u64; 7], s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(TTL_BUCKETS.iter().zip(ttl))
}
