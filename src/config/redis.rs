//! Where and how to reach Redis: `REDIS_*`, a `redis://`/`rediss://` URL, TLS settings.
use std::path::PathBuf;

use super::{register_secret, ConfigError, Overrides, Vars};

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

fn parse_db(text: &str, name: &str) -> Result<i64, ConfigError> {
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

/// A bad Redis URL: why, and the form expected.
fn bad_url(why: &str) -> ConfigError {
    ConfigError::RedisUrl(format!(
        "{why} (expected redis://[user[:password]@]host[:port][/db])"
    ))
}

/// `redis[s]://[user[:password]@]host[:port][/db]`. A password missing from the URL falls back
/// to `REDIS_PASSWORD` (so it need not be on the command line).
pub fn parse_redis_url(url: &str, vars: &Vars) -> Result<RedisTarget, ConfigError> {
    let (tls, rest) = if let Some(r) = url.strip_prefix("redis://") {
        (false, r)
    } else if let Some(r) = url.strip_prefix("rediss://") {
        (true, r)
    } else {
        return Err(bad_url("the scheme must be redis:// or rediss://"));
    };
    let (authority, path) = match rest.find(['/', '?']) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let (userinfo, hostport) = match authority.rfind('@') {
        Some(i) => (Some(&authority[..i]), &authority[i + 1..]),
        None => (None, authority),
    };
    let (username, password) = credentials(userinfo, vars)?;
    if hostport.is_empty() {
        return Err(bad_url("no host"));
    }
    let (host, port) = split_host_port(hostport)
        .ok_or_else(|| bad_url("the port is not a number from 1 to 65535"))?;
    Ok(RedisTarget {
        tls,
        host,
        port,
        username,
        password,
        db: url_db(path, vars)?,
    })
}

/// The user name and password of the URL's `user[:password]`, percent-decoded (the password
/// registered as a secret); `REDIS_USERNAME` and `REDIS_PASSWORD` fill what is missing.
fn credentials(
    userinfo: Option<&str>,
    vars: &Vars,
) -> Result<(Option<String>, Option<String>), ConfigError> {
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8()
            .map(|c| c.into_owned())
    };
    let (mut username, mut password) = (None, None);
    if let Some(info) = userinfo {
        let (u, p) = match info.split_once(':') {
            Some((u, p)) => (u, Some(p)),
            None => (info, None),
        };
        if let Some(p) = p {
            let p = decode(p)
                .map_err(|_| bad_url("the password is not valid percent-encoded UTF-8"))?;
            register_secret(&p);
            password = Some(p).filter(|p| !p.is_empty());
        }
        let u =
            decode(u).map_err(|_| bad_url("the user name is not valid percent-encoded UTF-8"))?;
        username = Some(u).filter(|u| !u.is_empty());
    }
    if password.is_none() {
        password = vars.get("REDIS_PASSWORD").map(str::to_string);
    }
    if username.is_none() {
        username = vars.get("REDIS_USERNAME").map(str::to_string);
    }
    Ok((username, password))
}

/// The database of the URL's path, else `REDIS_DB`, else 0.
fn url_db(path: &str, vars: &Vars) -> Result<i64, ConfigError> {
    let path = path.split('?').next().unwrap_or("");
    Ok(match path.trim_start_matches('/') {
        "" => match vars.get("REDIS_DB") {
            Some(d) => parse_db(d, "REDIS_DB")?,
            None => 0,
        },
        d => parse_db(d, "the Redis URL's database")
            .map_err(|_| bad_url("the database must be a number"))?,
    })
}
