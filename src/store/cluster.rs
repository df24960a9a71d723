//! Redis Cluster: the cached topology, commands sent to one node by address, and batches
//! routed by slot.
//!
//! The `redis` crate routes single-key commands by slot and follows `MOVED`/`ASK`, but it
//! sends a whole pipeline to the node of its first key. So a batch is split here: keys are
//! grouped by the primary that owns their slot (from our cached `CLUSTER SLOTS`), each group
//! goes to its primary as one pipeline (all groups concurrently), and any item answered
//! with a redirect (`MOVED`, `ASK`, `TRYAGAIN`, `CLUSTERDOWN`: a reshard in progress) is sent
//! again alone through the crate, which follows the redirect. A `MOVED` also refreshes the
//! cached topology so later batches go to the right node.
use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

use futures_util::future::join_all;
use redis::cluster_async::ClusterConnection;
use redis::cluster_routing::{RoutingInfo, SingleNodeRoutingInfo};
use redis::{Cmd, Pipeline, ServerError, Value};

use super::error;
pub(crate) use super::topology::{migrations_in, slot_of, Node, Topology};
use super::{Conn, Store, StoreError};

/// A cluster connection and our cached view of its topology.
#[derive(Clone)]
pub(crate) struct ClusterConn {
    pub(crate) conn: ClusterConnection,
    topology: Arc<RwLock<Arc<Topology>>>,
    /// The host we connected to: where a `CLUSTER SLOTS` entry without a host points.
    seed_host: String,
}

impl ClusterConn {
    pub(crate) fn new(conn: ClusterConnection, seed_host: &str) -> Self {
        ClusterConn {
            conn,
            topology: Arc::new(RwLock::new(Arc::new(Topology::default()))),
            seed_host: seed_host.to_string(),
        }
    }

    fn cached(&self) -> Arc<Topology> {
        self.topology
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn store_topology(&self, t: Arc<Topology>) {
        *self.topology.write().unwrap_or_else(|p| p.into_inner()) = t;
    }
}

/// Error codes that mean "route this again" (a reshard or failover in progress).
const REDIRECTS: [&str; 4] = ["MOVED", "ASK", "TRYAGAIN", "CLUSTERDOWN"];

/// How many times a redirected item is sent again before its redirect is the answer.
const REDIRECT_ROUNDS: usize = 5;

/// The node an `ASK` reply (`ASK 4242 host:port`) sends the command to.
fn ask_target(v: &Value) -> Option<Node> {
    let Value::ServerError(e) = v else {
        return None;
    };
    if e.code() != "ASK" {
        return None;
    }
    let addr = e.details()?.split_whitespace().nth(1)?;
    let (host, port) = addr.rsplit_once(':')?;
    Some(Node {
        host: host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string(),
        port: port.parse().ok()?,
    })
}

/// Whether an error reply asks for the command to be routed again.
fn is_redirect(v: &Value) -> bool {
    matches!(v, Value::ServerError(e) if REDIRECTS.contains(&e.code()))
}

impl Store {
    /// The cluster connection, if this is one.
    fn cluster(&self) -> Option<&ClusterConn> {
        match &self.conn {
            Conn::Cluster(c) => Some(c),
            Conn::Standalone(_) => None,
        }
    }

    /// The topology as last fetched (empty for a standalone server).
    pub(crate) fn cached_topology(&self) -> Arc<Topology> {
        self.cluster().map(ClusterConn::cached).unwrap_or_default()
    }

    /// Fetch the topology now (`CLUSTER SLOTS`, then `CLUSTER NODES` on every primary for
    /// migrations under way), remember it and return it.
    pub(crate) async fn fetch_topology(&self) -> Result<Arc<Topology>, StoreError> {
        let Some(cc) = self.cluster() else {
            return Ok(Arc::default());
        };
        let mut cmd = redis::cmd("CLUSTER");
        cmd.arg("SLOTS");
        let reply: Value = self.query(&cmd, "CLUSTER SLOTS").await?;
        let mut topo = Topology::from_slots(&reply, &cc.seed_host)
            .map_err(|why| self.command_error("CLUSTER SLOTS", why))?;
        if topo.primaries.is_empty() {
            return Err(self.command_error("CLUSTER SLOTS", "no slot is served".into()));
        }
        let mut nodes_cmd = redis::cmd("CLUSTER");
        nodes_cmd.arg("NODES");
        for node in &topo.primaries {
            let nodes: String = self.query_node(node, &nodes_cmd, "CLUSTER NODES").await?;
            topo.migrating.extend(migrations_in(&nodes));
        }
        let topo = Arc::new(topo);
        cc.store_topology(topo.clone());
        Ok(topo)
    }

    /// The primaries to talk to: each cluster primary, or `None` for a standalone server.
    pub(crate) async fn primaries(&self) -> Result<Option<Vec<Node>>, StoreError> {
        if self.cluster().is_none() {
            return Ok(None);
        }
        let cached = self.cached_topology();
        let topo = if cached.primaries.is_empty() {
            self.fetch_topology().await?
        } else {
            cached
        };
        Ok(Some(topo.primaries.clone()))
    }

    /// Send the idempotent `cmd` to one node by address (a standalone server ignores
    /// `node`), retried on connection errors and timeouts.
    pub(crate) async fn query_node<T: redis::FromRedisValue>(
        &self,
        node: &Node,
        cmd: &Cmd,
        what: &str,
    ) -> Result<T, StoreError> {
        self.retrying(what, || self.query_node_once(node, cmd, what))
            .await
    }

    /// Send `cmd` to one node by address, once.
    pub(crate) async fn query_node_once<T: redis::FromRedisValue>(
        &self,
        node: &Node,
        cmd: &Cmd,
        what: &str,
    ) -> Result<T, StoreError> {
        let Some(cc) = self.cluster() else {
            return self.query_once(cmd, what).await;
        };
        let mut c = cc.conn.clone();
        let routing = RoutingInfo::SingleNode(SingleNodeRoutingInfo::ByAddress {
            host: node.host.clone(),
            port: node.port,
        });
        let what = format!("{what} on {node}");
        let cmd = cmd.clone();
        let value = self
            .bounded(&what, async move { c.route_command(cmd, routing).await })
            .await?;
        redis::from_redis_value(value).map_err(|e| self.command_error(&what, e.to_string()))
    }

    /// Run `items` (each command with the slot of its key), replies in their order, per-item
    /// error replies kept as `Value::ServerError`. Standalone: one pipeline. Cluster: one
    /// pipeline per primary, concurrently, then redirected items again one by one.
    pub(crate) async fn run_routed(
        &self,
        items: Vec<(u16, Cmd)>,
        what: &str,
    ) -> Result<Vec<Value>, StoreError> {
        let Some(cc) = self.cluster() else {
            let n = items.len();
            let mut pipe = Pipeline::with_capacity(n);
            for (_, cmd) in items {
                pipe.add_command(cmd);
            }
            return self.run_pipe(&mut pipe, n, what).await;
        };
        if self.cached_topology().primaries.is_empty() {
            self.fetch_topology().await?;
        }
        let topo = cc.cached();
        let mut groups: BTreeMap<Option<&Node>, Vec<usize>> = BTreeMap::new();
        for (i, (slot, _)) in items.iter().enumerate() {
            groups.entry(topo.owner(*slot)).or_default().push(i);
        }
        let (mut out, again) = self.send_by_owner(&items, &groups, what).await?;
        self.rerun_redirected(&items, &again, &mut out, what)
            .await?;
        Ok(out)
    }

    /// One pipeline per primary of the items it owns, concurrently: the replies in item
    /// order, and the items to send again (redirected, or of no known owner).
    async fn send_by_owner(
        &self,
        items: &[(u16, Cmd)],
        groups: &BTreeMap<Option<&Node>, Vec<usize>>,
        what: &str,
    ) -> Result<(Vec<Value>, Vec<usize>), StoreError> {
        let mut out = vec![Value::Nil; items.len()];
        let mut again: Vec<usize> = Vec::new();
        let sends = groups.iter().map(|(node, idx)| async move {
            let Some(node) = node else {
                return Ok((idx, None)); // no known owner: the crate routes each item
            };
            let mut pipe = Pipeline::with_capacity(idx.len());
            for &i in idx {
                pipe.add_command(items[i].1.clone());
            }
            self.retrying(what, || self.pipe_to(node, pipe.clone(), idx.len(), what))
                .await
                .map(|v| (idx, v))
        });
        for result in join_all(sends).await {
            let (idx, values) = result?;
            let Some(values) = values else {
                again.extend(idx);
                continue;
            };
            for (&i, v) in idx.iter().zip(values) {
                if is_redirect(&v) {
                    again.push(i);
                }
                out[i] = v;
            }
        }
        Ok((out, again))
    }

    /// Send the items at `again` one after another: an `ASK` as `ASKING` and the command in
    /// one pipeline to the node named, anything else through the crate's routing (it
    /// follows MOVED); then refresh the cached topology.
    async fn rerun_redirected(
        &self,
        items: &[(u16, Cmd)],
        again: &[usize],
        out: &mut [Value],
        what: &str,
    ) -> Result<(), StoreError> {
        if again.is_empty() {
            return Ok(());
        }
        tracing::debug!("{} {what} replies redirected: resending them", again.len());
        // `ASKING` covers only the next command on a connection. The crate sends it and the
        // command separately over the node's shared multiplexed connection, where other
        // batches' pipelines can slip in between (the command then bounces between MOVED
        // and ASK until the crate gives up), so an ASK is answered here with both in one
        // pipeline, which is written in one piece. One item at a time.
        for &i in again {
            let cmd = &items[i].1;
            // The crate's own retries can end on an ASK (see above): answer it here.
            for _ in 0..REDIRECT_ROUNDS {
                out[i] = match ask_target(&out[i]) {
                    Some(node) => match self.asking(&node, cmd, what).await? {
                        Some(v) => v,
                        None => self.retrying(what, || self.query_item(cmd, what)).await?,
                    },
                    None => self.retrying(what, || self.query_item(cmd, what)).await?,
                };
                if !is_redirect(&out[i]) {
                    break;
                }
            }
        }
        self.fetch_topology().await?;
        Ok(())
    }

    /// `ASKING` then `cmd` in one pipeline to `node`: the command's reply (`None` when the
    /// pipeline itself was redirected).
    async fn asking(
        &self,
        node: &Node,
        cmd: &Cmd,
        what: &str,
    ) -> Result<Option<Value>, StoreError> {
        let mut pipe = Pipeline::with_capacity(2);
        pipe.cmd("ASKING");
        pipe.add_command(cmd.clone());
        let values = self.pipe_to(node, pipe, 2, what).await?;
        Ok(values.and_then(|v| v.into_iter().nth(1)))
    }

    /// One command through the crate's routing; an error reply comes back as
    /// `Value::ServerError` (like a pipeline item), other failures as errors.
    async fn query_item(&self, cmd: &Cmd, what: &str) -> Result<Value, StoreError> {
        let Some(cc) = self.cluster() else {
            return self.query_once(cmd, what).await;
        };
        let mut c = cc.conn.clone();
        let label = format!("{what} at {}", self.addr);
        let fut = async move { cmd.query_async::<Value>(&mut c).await };
        match tokio::time::timeout(self.timeout, fut).await {
            Err(_) => Err(super::timeout_error(&label, self.timeout)),
            Ok(Ok(v)) => Ok(v),
            Ok(Err(e)) => match ServerError::try_from(e) {
                Ok(reply) => Ok(Value::ServerError(reply)),
                Err(e) => Err(self.own(error::map(e, &label, &self.addr, self.timeout))),
            },
        }
    }

    /// One pipeline to one primary, with error replies kept in their slots; `None` when
    /// the crate turned a redirect in it into an error for the whole pipeline (a slot of
    /// the group is being resharded): the caller then sends the items one by one.
    async fn pipe_to(
        &self,
        node: &Node,
        mut pipe: Pipeline,
        n: usize,
        what: &str,
    ) -> Result<Option<Vec<Value>>, StoreError> {
        let Some(cc) = self.cluster() else {
            return self.run_pipe(&mut pipe, n, what).await.map(Some);
        };
        pipe.ignore_errors();
        let mut c = cc.conn.clone();
        let route = SingleNodeRoutingInfo::ByAddress {
            host: node.host.clone(),
            port: node.port,
        };
        let label = format!("{what} on {node} at {}", self.addr);
        let fut = async move { c.route_pipeline(pipe, 0, n, route).await };
        let values = match tokio::time::timeout(self.timeout, fut).await {
            Err(_) => return Err(super::timeout_error(&label, self.timeout)),
            Ok(Err(e)) if matches!(e.code(), Some(c) if REDIRECTS.contains(&c)) => return Ok(None),
            Ok(Err(e)) => return Err(self.own(error::map(e, &label, &self.addr, self.timeout))),
            Ok(Ok(v)) => v,
        };
        if values.len() != n {
            let msg = format!("expected {n} replies, got {}", values.len());
            return Err(self.command_error(&label, msg));
        }
        if let Some(Value::ServerError(e)) = values.iter().find(|v| error::is_loading(v)) {
            return Err(self.own(error::item_error(e.clone(), what, &self.addr)));
        }
        Ok(Some(values))
    }
}
