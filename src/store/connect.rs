//! Connecting: the client built from parts (never from a URL holding the password), TLS
//! files read and checked up front, standalone first and cluster mode when asked for or
//! when the server says `cluster_enabled:1`.
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use redis::cluster::ClusterClientBuilder;
use redis::io::AsyncDNSResolver;
use redis::{
    AsyncConnectionConfig, Client, ClientTlsConfig, ConnectionAddr, ConnectionInfo,
    IntoConnectionInfo, RedisConnectionInfo, RedisFuture, TlsCertificates,
};

use super::cluster::ClusterConn;
use super::retry::Standalone;
use super::{error, timeout_error, Conn, Store, StoreError};
use crate::config::{redact_known_secrets, register_secret, Config, RedisTarget, RedisTls};

/// Connect as `config` says; see [`Store::connect`].
pub(crate) async fn connect(config: &Config) -> Result<Store, StoreError> {
    let target = &config.redis;
    let addr = target.display();
    if let Some(p) = &target.password {
        register_secret(p);
    }
    let certs = if target.tls {
        // rustls needs a process-wide crypto provider; an earlier call may have set it.
        let _ = rustls::crypto::ring::default_provider().install_default();
        Some(read_certificates(&config.redis_tls)?)
    } else {
        None
    };
    let info = connection_info(target, &config.redis_tls, &addr)?;
    let mut store = Store {
        conn: Conn::Standalone(standalone(config, &info, certs.clone(), &addr).await?),
        addr,
        timeout: config.timeout,
        user: target.username.clone().unwrap_or_else(|| "default".into()),
        health: Default::default(),
    };
    if config.cluster || store.reports_cluster().await {
        if target.db != 0 {
            return Err(StoreError::Config(format!(
                "{} is a Redis Cluster, which has only database 0 (database {} was asked for)",
                store.addr, target.db
            )));
        }
        let conn = cluster(config, info, certs, &store.addr).await?;
        store.conn = Conn::Cluster(ClusterConn::new(conn, &target.host));
        store.fetch_topology().await?;
    }
    if let Conn::Standalone(s) = &store.conn {
        s.learn_run_id(config.timeout).await;
    }
    store.ping().await?;
    Ok(store)
}

impl Store {
    /// Whether the server says it runs in cluster mode (`INFO cluster`). A server that
    /// hides INFO (ACL, renamed command) is taken as standalone: use `--cluster` then.
    async fn reports_cluster(&self) -> bool {
        match self.info("cluster").await {
            Ok(text) => text.lines().any(|l| l.trim() == "cluster_enabled:1"),
            Err(e) => {
                tracing::debug!("cannot tell whether {} is a cluster: {e}", self.addr);
                false
            }
        }
    }
}

/// One multiplexed connection to the configured server, with what it takes to reconnect.
async fn standalone(
    config: &Config,
    info: &ConnectionInfo,
    certs: Option<TlsCertificates>,
    addr: &str,
) -> Result<Arc<Standalone>, StoreError> {
    let bad = |e: redis::RedisError| tls_file_error(e, &config.redis_tls, addr);
    let client = match certs {
        Some(c) => Client::build_with_tls(info.clone(), c).map_err(bad)?,
        None => Client::open(info.clone()).map_err(bad)?,
    };
    let timeout = config.timeout;
    let mut settings = AsyncConnectionConfig::new()
        .set_connection_timeout(Some(timeout))
        .set_response_timeout(Some(timeout));
    let pinned = pinned_resolver(config);
    let blocking_ok = pinned.is_none();
    if let Some(resolver) = pinned {
        settings = settings.set_dns_resolver(resolver);
    }
    let connecting = client.get_multiplexed_async_connection_with_config(&settings);
    match tokio::time::timeout(timeout, connecting).await {
        Err(_) => Err(timeout_error(&format!("connecting to {addr}"), timeout)),
        Ok(Err(e)) => Err(connect_error(e, config, addr)),
        Ok(Ok(c)) => Ok(Arc::new(Standalone::new(client, settings, c, blocking_ok))),
    }
}

/// The crate's cluster connection, seeded with the configured server.
async fn cluster(
    config: &Config,
    info: ConnectionInfo,
    certs: Option<TlsCertificates>,
    addr: &str,
) -> Result<redis::cluster_async::ClusterConnection, StoreError> {
    let timeout = config.timeout;
    let mut builder = ClusterClientBuilder::new(vec![info])
        .connection_timeout(timeout)
        .response_timeout(timeout)
        .retries(6)
        .min_retry_wait(10)
        .max_retry_wait(500);
    if let Some(c) = certs {
        builder = builder.certs(c);
    }
    if let Some(resolver) = pinned_resolver(config) {
        builder = builder.async_dns_resolver(resolver);
    }
    let client = builder
        .build()
        .map_err(|e| tls_file_error(e, &config.redis_tls, addr))?;
    match tokio::time::timeout(timeout, client.get_async_connection()).await {
        Err(_) => Err(timeout_error(&format!("connecting to {addr}"), timeout)),
        Ok(Err(e)) => Err(connect_error(e, config, addr)),
        Ok(Ok(c)) => Ok(c),
    }
}

/// A client for one node (`host:port`) with the configured credentials, database and TLS:
/// what a listener's connection of its own is opened from.
pub(crate) fn node_client(config: &Config, host: &str, port: u16) -> Result<Client, StoreError> {
    let mut target = config.redis.clone();
    target.host = host.to_string();
    target.port = port;
    let addr = target.display();
    let info = connection_info(&target, &config.redis_tls, &addr)?;
    let bad = |e: redis::RedisError| tls_file_error(e, &config.redis_tls, &addr);
    if target.tls {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let certs = read_certificates(&config.redis_tls)?;
        Client::build_with_tls(info, certs).map_err(bad)
    } else {
        Client::open(info).map_err(bad)
    }
}

/// A connection error; a cluster asked for a database other than 0 says so plainly, and
/// TLS files the TLS library refuses (a v1 or malformed certificate) are named.
fn connect_error(e: redis::RedisError, config: &Config, addr: &str) -> StoreError {
    let target = &config.redis;
    if e.kind() == redis::ErrorKind::InvalidClientConfig && config.redis_tls.is_set() {
        return tls_file_error(e, &config.redis_tls, addr);
    }
    let text = e.to_string();
    if target.db != 0 && text.contains("cluster mode") {
        return StoreError::Config(format!(
            "{addr} is a Redis Cluster, which has only database 0 (database {} was asked for)",
            target.db
        ));
    }
    error::connect_error(e, addr, config.timeout)
}

/// The connection parameters. With a TLS server name, the name is what the connection
/// "dials" (so the certificate is checked against it) and [`PinnedResolver`] sends that
/// name to the configured host.
fn connection_info(
    target: &RedisTarget,
    tls: &RedisTls,
    addr: &str,
) -> Result<ConnectionInfo, StoreError> {
    let conn_addr = if target.tls {
        ConnectionAddr::TcpTls {
            host: tls
                .server_name
                .clone()
                .unwrap_or_else(|| target.host.clone()),
            port: target.port,
            insecure: false,
            tls_params: None,
        }
    } else {
        ConnectionAddr::Tcp(target.host.clone(), target.port)
    };
    let mut settings = RedisConnectionInfo::default().set_db(target.db);
    if let Some(u) = &target.username {
        settings = settings.set_username(u);
    }
    if let Some(p) = &target.password {
        settings = settings.set_password(p);
    }
    let info = conn_addr.into_connection_info().map_err(|e| {
        StoreError::Config(format!("{addr}: {}", redact_known_secrets(&e.to_string())))
    })?;
    Ok(info.set_redis_settings(settings))
}

/// Read the CA, certificate and key files, naming the file that cannot be used.
fn read_certificates(tls: &RedisTls) -> Result<TlsCertificates, StoreError> {
    let root_cert = tls
        .ca_file
        .as_deref()
        .map(|p| read_pem(p, "--tls-ca-file", "CERTIFICATE"))
        .transpose()?;
    let client_tls = match (&tls.cert_file, &tls.key_file) {
        (Some(cert), Some(key)) => Some(ClientTlsConfig {
            client_cert: read_pem(cert, "--tls-cert-file", "CERTIFICATE")?,
            client_key: read_pem(key, "--tls-key-file", "PRIVATE KEY")?,
        }),
        (None, None) => None,
        _ => {
            return Err(StoreError::Config(
                "--tls-cert-file and --tls-key-file must be given together".into(),
            ))
        }
    };
    Ok(TlsCertificates {
        client_tls,
        root_cert,
    })
}

/// A PEM file's bytes, refused early when it is unreadable or holds no `kind` block.
fn read_pem(path: &Path, setting: &str, kind: &str) -> Result<Vec<u8>, StoreError> {
    let bad = |why: String| StoreError::Config(format!("{setting} {}: {why}", path.display()));
    let bytes = std::fs::read(path).map_err(|e| bad(format!("cannot read it ({e})")))?;
    let text = String::from_utf8_lossy(&bytes);
    let has_block = text
        .lines()
        .any(|l| l.starts_with("-----BEGIN ") && l.contains(kind));
    if !has_block {
        return Err(bad(format!("not a PEM file with a {kind} block")));
    }
    Ok(bytes)
}

/// A client build failure: with TLS files, the crate's PEM parsing names what failed.
fn tls_file_error(e: redis::RedisError, tls: &RedisTls, addr: &str) -> StoreError {
    let files: Vec<String> = [&tls.ca_file, &tls.cert_file, &tls.key_file]
        .into_iter()
        .flatten()
        .map(|p| p.display().to_string())
        .collect();
    let text = redact_known_secrets(&e.to_string());
    if files.is_empty() {
        StoreError::Config(format!("{addr}: {text}"))
    } else {
        StoreError::Config(format!("{addr}: {text} (TLS files: {})", files.join(", ")))
    }
}

/// With `--tls-server-name`, a resolver that sends that name to the configured host.
fn pinned_resolver(config: &Config) -> Option<PinnedResolver> {
    let name = config.redis_tls.server_name.clone()?;
    config.redis.tls.then(|| PinnedResolver {
        name,
        host: config.redis.host.clone(),
    })
}

/// Resolves `name` as `host` (and every other name normally).
#[derive(Clone)]
struct PinnedResolver {
    name: String,
    host: String,
}

impl AsyncDNSResolver for PinnedResolver {
    fn resolve<'a, 'b: 'a>(
        &'a self,
        host: &'b str,
        port: u16,
    ) -> RedisFuture<'a, Box<dyn Iterator<Item = SocketAddr> + Send + 'a>> {
        let real = if host == self.name {
            self.host.clone()
        } else {
            host.to_string()
        };
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((real.as_str(), port))
                .await?
                .collect();
            Ok(Box::new(found.into_iter()) as Box<dyn Iterator<Item = SocketAddr> + Send>)
        })
    }
}
