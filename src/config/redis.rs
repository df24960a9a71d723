//! Where and how to reach Redis: the target (from `REDIS_*`; a URL is read in
//! `redis_url.rs`) and the TLS settings.
use std::path::PathBuf;

use super::{ConfigError, Overrides, Vars};

/// Where and how to reach Redis.
#[derive(Clone, PartialEq, Eq)]
pub struct RedisTarget {
    pub tls: bool,
    pub host: String,
    pub port: u16,
    pub username: Option<String>,
    pub password: Option<String>,
    pub db: i64,
}

impl std::fmt::Debug for RedisTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RedisTarget({})", self.display())
    }
}

impl RedisTarget {
    /// `redis://host:port/db` without any credentials: safe to print.
    pub fn display(&self) -> String {
        let scheme = if self.tls { "rediss" } else { "redis" };
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        format!("{scheme}://{host}:{}/{}", self.port, self.db)
    }
}

/// TLS settings for a `rediss://` connection (paths are read when connecting).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RedisTls {
    /// PEM CA bundle that signed the server's certificate; `None`: the system trust store.
    pub ca_file: Option<PathBuf>,
    /// PEM client certificate (with `key_file`), for `tls-auth-clients yes` servers.
    pub cert_file: Option<PathBuf>,
    /// PEM private key of `cert_file`.
    pub key_file: Option<PathBuf>,
    /// The name the server certificate must carry when it differs from the host connected to.
    pub server_name: Option<String>,
}

impl RedisTls {
    /// `--tls-*` flags beat `REDIS_TLS_*` variables; a certificate needs its key and back.
    pub(super) fn resolve(args: &Overrides, vars: &Vars) -> Result<Self, ConfigError> {
        let path = |flag: &Option<PathBuf>, name: &str| {
            flag.clone().or_else(|| vars.get(name).map(PathBuf::from))
        };
        let tls = RedisTls {
            ca_file: path(&args.tls_ca_file, "REDIS_TLS_CA_FILE"),
            cert_file: path(&args.tls_cert_file, "REDIS_TLS_CERT_FILE"),
            key_file: path(&args.tls_key_file, "REDIS_TLS_KEY_FILE"),
            server_name: args
                .tls_server_name
                .clone()
                .or_else(|| vars.get("REDIS_TLS_SERVER_NAME").map(str::to_string))
                .filter(|n| !n.is_empty()),
        };
        let missing = |have: &str, need: &str| ConfigError::Invalid {
            name: have.into(),
            expected: format!("given together with {need}"),
            value: "set alone".into(),
        };
        match (&tls.cert_file, &tls.key_file) {
            (Some(_), None) => Err(missing("--tls-cert-file", "--tls-key-file")),
            (None, Some(_)) => Err(missing("--tls-key-file", "--tls-cert-file")),
            _ => Ok(tls),
        }
    }

    /// Whether any TLS setting is given.
    pub fn is_set(&self) -> bool {
        *self != RedisTls::default()
    }
}

/// A database number, 0 to 65535.
pub(super) fn parse_db(text: &str, name: &str) -> Result<i64, ConfigError> {
    text.trim()
        .parse::<i64>()
        .ok()
        .filter(|d| (0..=65535).contains(d))
        .ok_or_else(|| ConfigError::Invalid {
            name: name.into(),
            expected: "a database number from 0".into(),
            value: text.into(),
        })
}

/// `REDIS_ADDR` (host:port), `REDIS_USERNAME`, `REDIS_PASSWORD`, `REDIS_DB`.
pub(super) fn redis_from_vars(vars: &Vars) -> Result<RedisTarget, ConfigError> {
    let addr = vars.get("REDIS_ADDR").unwrap_or("localhost:6379");
    let (host, port) = split_host_port(addr).ok_or_else(|| ConfigError::Invalid {
        name: "REDIS_ADDR".into(),
        expected: "HOST:PORT".into(),
        value: addr.into(),
    })?;
    Ok(RedisTarget {
        tls: false,
        host,
        port,
        username: vars.get("REDIS_USERNAME").map(str::to_string),
        password: vars.get("REDIS_PASSWORD").map(str::to_string),
        db: match vars.get("REDIS_DB") {
            Some(d) => parse_db(d, "REDIS_DB")?,
            None => 0,
        },
    })
}

fn split_host_port(addr: &str) -> Option<(String, u16)> {
    let addr = addr.trim();
    if let Some(rest) = addr.strip_prefix('[') {
        let (host, port) = rest.split_once("]:")?;
        return Some((host.to_string(), port.parse().ok()?));
    }
    match addr.rsplit_once(':') {
        Some((h, p)) if !h.is_empty() && !h.contains(':') => Some((h.to_string(), p.parse().ok()?)),
        None if !addr.is_empty() => Some((addr.to_string(), 6379)),
        _ => None,
    }
}
