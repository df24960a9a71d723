//! Configuration shared with the API (contract §2): environment, then `.env` in the working
//! directory or its parent (environment wins), then defaults; flags beat all of them.
//! Secrets are registered for redaction the moment they are read.
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use crate::cli::GlobalArgs;

/// A configuration value that cannot be used. Never carries a secret's value.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{file}:{line}: cannot read this .env line (expected NAME=VALUE)")]
    EnvLine { file: String, line: usize },
    #[error("cannot read {file}: {message}")]
    EnvFile { file: String, message: String },
    #[error("{name} must be {expected}, got {value:?}")]
    Invalid {
        name: String,
        expected: String,
        value: String,
    },
    #[error("bad Redis URL: {0}")]
    RedisUrl(String),
}

static SECRETS: OnceLock<Mutex<Vec<String>>> = OnceLock::new();

/// Remember a secret so that [`redact_known_secrets`] hides it everywhere.
pub fn register_secret(secret: &str) {
    if secret.len() < 3 {
        return; // too short to search for without mangling every message; see docs/config.md
    }
    let mut list = SECRETS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    for form in [secret.to_string(), pct_encode(secret)] {
        if !list.contains(&form) {
            list.push(form);
        }
    }
    list.sort_by_key(|s| std::cmp::Reverse(s.len()));
}

fn pct_encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// Replace every registered secret in `text` with `***`.
pub fn redact_known_secrets(text: &str) -> String {
    let Some(list) = SECRETS.get() else {
        return text.to_string();
    };
    let list = list.lock().unwrap_or_else(|p| p.into_inner());
    let mut out = text.to_string();
    for s in list.iter() {
        if out.contains(s.as_str()) {
            out = out.replace(s.as_str(), "***");
        }
    }
    out
}

/// Name/value lookup over the environment layered on the `.env` files.
#[derive(Debug, Default, Clone)]
pub struct Vars {
    env: HashMap<String, String>,
    dotenv: HashMap<String, String>,
}

impl Vars {
    /// The process environment plus `.env` (the given file, or `./.env` then `../.env`).
    pub fn load(env_file: Option<&Path>) -> Result<Self, ConfigError> {
        let env: HashMap<String, String> = std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
            .collect();
        let mut dotenv = HashMap::new();
        let files: Vec<PathBuf> = match env_file {
            Some(p) => vec![p.to_path_buf()],
            None => vec![PathBuf::from(".env"), PathBuf::from("../.env")],
        };
        for (i, file) in files.iter().enumerate() {
            let text = match std::fs::read_to_string(file) {
                Ok(t) => t,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound && env_file.is_none() => {
                    continue
                }
                Err(e) => {
                    return Err(ConfigError::EnvFile {
                        file: file.display().to_string(),
                        message: e.to_string(),
                    })
                }
            };
            // The working directory's file wins over its parent's.
            for (k, v) in parse_dotenv(&text, &file.display().to_string())? {
                if i == 0 || !dotenv.contains_key(&k) {
                    dotenv.entry(k).or_insert(v);
                }
            }
        }
        Ok(Vars { env, dotenv })
    }

    /// A lookup over explicit maps (tests).
    pub fn from_maps(env: HashMap<String, String>, dotenv: HashMap<String, String>) -> Self {
        Vars { env, dotenv }
    }

    /// The value of `name`: environment first, then `.env`. Empty counts as unset.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.env
            .get(name)
            .or_else(|| self.dotenv.get(name))
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// `TERADATA_X`, or the legacy `TD_X` when `TERADATA_X` is unset.
    pub fn teradata(&self, suffix: &str) -> Option<&str> {
        self.get(&format!("TERADATA_{suffix}"))
            .or_else(|| self.get(&format!("TD_{suffix}")))
    }

    fn number<T: std::str::FromStr>(
        &self,
        name: &str,
        default: T,
        expected: &str,
    ) -> Result<T, ConfigError> {
        match self.get(name) {
            None => Ok(default),
            Some(v) => v.trim().parse().map_err(|_| ConfigError::Invalid {
                name: name.into(),
                expected: expected.into(),
                value: v.into(),
            }),
        }
    }
}

/// Parse `.env` text: `NAME=VALUE`, optional `export `, `#` comments, single or double quotes.
pub fn parse_dotenv(text: &str, file: &str) -> Result<Vec<(String, String)>, ConfigError> {
    let mut out = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line);
        let bad = || ConfigError::EnvLine {
            file: file.to_string(),
            line: n + 1,
        };
        let (name, value) = line.split_once('=').ok_or_else(bad)?;
        let name = name.trim();
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
        {
            return Err(bad());
        }
        let value = value.trim();
        let value = if let Some(q) = value.strip_prefix('"') {
            let end = q.rfind('"').ok_or_else(bad)?;
            q[..end]
                .replace("\\n", "\n")
                .replace("\\\"", "\"")
                .replace("\\\\", "\\")
        } else if let Some(q) = value.strip_prefix('\'') {
            let end = q.rfind('\'').ok_or_else(bad)?;
            q[..end].to_string()
        } else {
            // An unquoted value ends at ` #`.
            match value.find(" #") {
                Some(i) => value[..i].trim_end().to_string(),
                None => value.to_string(),
            }
        };
        out.push((name.to_string(), value));
    }
    Ok(out)
}

/// TTL classes (contract §1), in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ttls {
    pub lineage: u64,
    pub assets: u64,
    pub statistics: u64,
    pub ddl: u64,
    pub search: u64,
}

impl Default for Ttls {
    fn default() -> Self {
        Ttls {
            lineage: 1800,
            assets: 900,
            statistics: 900,
            ddl: 1800,
            search: 300,
        }
    }
}

/// The API's `VALIDATION_*` depth settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Validation {
    pub default_max_depth: u32,
    pub min_max_depth: u32,
    pub max_depth_limit: u32,
}

impl Default for Validation {
    fn default() -> Self {
        Validation {
            default_max_depth: 5,
            min_max_depth: 1,
            max_depth_limit: 20,
        }
    }
}

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
    fn resolve(args: &GlobalArgs, vars: &Vars) -> Result<Self, ConfigError> {
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

/// Teradata connection settings (`TERADATA_*` or legacy `TD_*`).
#[derive(Clone, Default)]
pub struct Teradata {
    pub host: Option<String>,
    pub user: Option<String>,
    pub password: Option<String>,
    pub database: String,
    pub port: u16,
}

impl std::fmt::Debug for Teradata {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Teradata")
            .field("host", &self.host)
            .field("user", &self.user)
            .field("database", &self.database)
            .field("port", &self.port)
            .finish_non_exhaustive()
    }
}

/// The checked configuration every command starts from.
#[derive(Debug, Clone)]
pub struct Config {
    pub redis: RedisTarget,
    pub ttls: Ttls,
    pub validation: Validation,
    pub teradata: Teradata,
    /// `--source` / `LINEAGE_CACHE_SOURCE`, unparsed.
    pub source: Option<String>,
    pub cluster: bool,
    pub timeout: Duration,
    /// TLS files and server name for `rediss://` (empty: system trust store, no client cert).
    pub redis_tls: RedisTls,
}

impl Default for Config {
    /// `localhost:6379`, database 0, the API's default TTLs and depths, 5 s timeout, no TLS.
    fn default() -> Self {
        Config {
            redis: RedisTarget {
                tls: false,
                host: "localhost".into(),
                port: 6379,
                username: None,
                password: None,
                db: 0,
            },
            ttls: Ttls::default(),
            validation: Validation::default(),
            teradata: Teradata::default(),
            source: None,
            cluster: false,
            timeout: Duration::from_secs(5),
            redis_tls: RedisTls::default(),
        }
    }
}

impl Config {
    /// Build the configuration from flags and the layered variables.
    pub fn from_args(args: &GlobalArgs) -> Result<Self, ConfigError> {
        let vars = Vars::load(args.env_file.as_deref())?;
        Self::resolve(args, &vars)
    }

    /// Flags beat `vars` (environment, then `.env`), which beat defaults.
    pub fn resolve(args: &GlobalArgs, vars: &Vars) -> Result<Self, ConfigError> {
        for name in ["REDIS_PASSWORD", "TERADATA_PASSWORD", "TD_PASSWORD"] {
            if let Some(p) = vars.get(name) {
                register_secret(p);
            }
        }
        let redis_tls = RedisTls::resolve(args, vars)?;
        if let Some(level) = vars.get("LINEAGE_CACHE_LOG") {
            let known = ["error", "warn", "info", "debug", "trace"];
            if !known.contains(&level.trim().to_ascii_lowercase().as_str()) {
                return Err(ConfigError::Invalid {
                    name: "LINEAGE_CACHE_LOG".into(),
                    expected: "one of error, warn, info, debug, trace".into(),
                    value: level.into(),
                });
            }
        }
        let redis = match args
            .redis_url
            .as_deref()
            .or(vars.get("LINEAGE_CACHE_REDIS_URL"))
        {
            Some(url) => {
                let target = parse_redis_url(url, vars)?;
                if redis_tls.is_set() && !target.tls {
                    return Err(ConfigError::RedisUrl(
                        "TLS settings (--tls-* or REDIS_TLS_*) are given but the URL is \
                         redis://, not rediss://"
                            .into(),
                    ));
                }
                target
            }
            // REDIS_ADDR has no scheme: a TLS setting asks for TLS.
            None => RedisTarget {
                tls: redis_tls.is_set(),
                ..redis_from_vars(vars)?
            },
        };
        let ttl = |name, d| {
            vars.number::<u64>(name, d, "a whole number of seconds")
                .and_then(|v| positive(name, v))
        };
        let def = Ttls::default();
        let ttls = Ttls {
            lineage: ttl("CACHE_TTL_LINEAGE", def.lineage)?,
            assets: ttl("CACHE_TTL_ASSETS", def.assets)?,
            statistics: ttl("CACHE_TTL_STATISTICS", def.statistics)?,
            ddl: ttl("CACHE_TTL_DDL", def.ddl)?,
            search: ttl("CACHE_TTL_SEARCH", def.search)?,
        };
        let dv = Validation::default();
        let depth = |name, d| vars.number::<u32>(name, d, "a whole number");
        let validation = Validation {
            default_max_depth: depth("VALIDATION_DEFAULT_MAX_DEPTH", dv.default_max_depth)?,
            min_max_depth: depth("VALIDATION_MIN_MAX_DEPTH", dv.min_max_depth)?,
            max_depth_limit: depth("VALIDATION_MAX_DEPTH_LIMIT", dv.max_depth_limit)?,
        };
        if validation.min_max_depth > validation.max_depth_limit {
            return Err(ConfigError::Invalid {
                name: "VALIDATION_MIN_MAX_DEPTH".into(),
                expected: "at most VALIDATION_MAX_DEPTH_LIMIT".into(),
                value: validation.min_max_depth.to_string(),
            });
        }
        let teradata = Teradata {
            host: vars.teradata("HOST").map(str::to_string),
            user: vars.teradata("USER").map(str::to_string),
            password: vars.teradata("PASSWORD").map(str::to_string),
            database: vars.teradata("DATABASE").unwrap_or("demo_user").to_string(),
            port: match vars.teradata("PORT") {
                None => 1025,
                Some(p) => p.trim().parse().map_err(|_| ConfigError::Invalid {
                    name: "TERADATA_PORT".into(),
                    expected: "a port number".into(),
                    value: p.into(),
                })?,
            },
        };
        if !(args.timeout.is_finite() && args.timeout > 0.0 && args.timeout <= 3600.0) {
            return Err(ConfigError::Invalid {
                name: "--timeout".into(),
                expected: "a number of seconds above 0 and at most 3600".into(),
                value: args.timeout.to_string(),
            });
        }
        Ok(Config {
            redis,
            ttls,
            validation,
            teradata,
            source: args
                .source
                .clone()
                .or_else(|| vars.get("LINEAGE_CACHE_SOURCE").map(str::to_string)),
            cluster: args.cluster
                || vars
                    .get("LINEAGE_CACHE_CLUSTER")
                    .is_some_and(|v| v == "1" || v == "true"),
            timeout: Duration::from_secs_f64(args.timeout),
            redis_tls,
        })
    }
}

fn positive(name: &str, v: u64) -> Result<u64, ConfigError> {
    if v == 0 {
        return Err(ConfigError::Invalid {
            name: name.into(),
            expected: "a whole number of seconds above 0".into(),
            value: "0".into(),
        });
    }
    Ok(v)
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
fn redis_from_vars(vars: &Vars) -> Result<RedisTarget, ConfigError> {
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

/// `redis[s]://[user[:password]@]host[:port][/db]`. A password missing from the URL falls back
/// to `REDIS_PASSWORD` (so it need not be on the command line).
pub fn parse_redis_url(url: &str, vars: &Vars) -> Result<RedisTarget, ConfigError> {
    let bad = |why: &str| {
        ConfigError::RedisUrl(format!(
            "{why} (expected redis://[user[:password]@]host[:port][/db])"
        ))
    };
    let (tls, rest) = if let Some(r) = url.strip_prefix("redis://") {
        (false, r)
    } else if let Some(r) = url.strip_prefix("rediss://") {
        (true, r)
    } else {
        return Err(bad("the scheme must be redis:// or rediss://"));
    };
    let (authority, path) = match rest.find(['/', '?']) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let (userinfo, hostport) = match authority.rfind('@') {
        Some(i) => (Some(&authority[..i]), &authority[i + 1..]),
        None => (None, authority),
    };
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
            let p =
                decode(p).map_err(|_| bad("the password is not valid percent-encoded UTF-8"))?;
            register_secret(&p);
            password = Some(p).filter(|p| !p.is_empty());
        }
        let u = decode(u).map_err(|_| bad("the user name is not valid percent-encoded UTF-8"))?;
        username = Some(u).filter(|u| !u.is_empty());
    }
    if password.is_none() {
        password = vars.get("REDIS_PASSWORD").map(str::to_string);
    }
    if username.is_none() {
        username = vars.get("REDIS_USERNAME").map(str::to_string);
    }
    if hostport.is_empty() {
        return Err(bad("no host"));
    }
    let (host, port) =
        split_host_port(hostport).ok_or_else(|| bad("the port is not a number from 1 to 65535"))?;
    let path = path.split('?').next().unwrap_or("");
    let db = match path.trim_start_matches('/') {
        "" => match vars.get("REDIS_DB") {
            Some(d) => parse_db(d, "REDIS_DB")?,
            None => 0,
        },
        d => parse_db(d, "the Redis URL's database")
            .map_err(|_| bad("the database must be a number"))?,
    };
    Ok(RedisTarget {
        tls,
        host,
        port,
        username,
        password,
        db,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(env: &[(&str, &str)], dot: &[(&str, &str)]) -> Vars {
        let m = |p: &[(&str, &str)]| {
            p.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        Vars::from_maps(m(env), m(dot))
    }

    fn args() -> GlobalArgs {
        use clap::Parser;
        crate::cli::Cli::parse_from(["lineage-cache", "stats"]).global
    }

    #[test]
    fn environment_beats_dotenv_beats_defaults() {
        let v = vars(
            &[("CACHE_TTL_LINEAGE", "60")],
            &[("CACHE_TTL_LINEAGE", "70"), ("CACHE_TTL_DDL", "80")],
        );
        let c = Config::resolve(&args(), &v).unwrap();
        assert_eq!(c.ttls.lineage, 60);
        assert_eq!(c.ttls.ddl, 80);
        assert_eq!(c.ttls.search, 300);
        assert_eq!(c.redis.display(), "redis://localhost:6379/0");
        assert_eq!(c.teradata.database, "demo_user");
        assert_eq!(c.teradata.port, 1025);
    }

    #[test]
    fn legacy_teradata_aliases_apply_when_unset() {
        let v = vars(
            &[("TD_HOST", "old"), ("TD_DATABASE", "lin")],
            &[("TERADATA_DATABASE", "new")],
        );
        let c = Config::resolve(&args(), &v).unwrap();
        assert_eq!(c.teradata.host.as_deref(), Some("old"));
        assert_eq!(c.teradata.database, "new");
    }

    #[test]
    fn bad_values_name_the_variable() {
        let e = Config::resolve(&args(), &vars(&[("REDIS_DB", "x")], &[])).unwrap_err();
        assert_eq!(
            e.to_string(),
            "REDIS_DB must be a database number from 0, got \"x\""
        );
        assert!(Config::resolve(&args(), &vars(&[("CACHE_TTL_SEARCH", "0")], &[])).is_err());
        assert!(Config::resolve(&args(), &vars(&[("REDIS_ADDR", "h:notaport")], &[])).is_err());
    }

    #[test]
    fn redis_urls() {
        let v = vars(&[("REDIS_PASSWORD", "fromenv")], &[]);
        let t = parse_redis_url("rediss://app:s%40cret@cache.local:6380/3", &v).unwrap();
        assert!(t.tls);
        assert_eq!((t.host.as_str(), t.port, t.db), ("cache.local", 6380, 3));
        assert_eq!(t.username.as_deref(), Some("app"));
        assert_eq!(t.password.as_deref(), Some("s@cret"));
        assert_eq!(t.display(), "rediss://cache.local:6380/3");
        let t = parse_redis_url("redis://127.0.0.1", &v).unwrap();
        assert_eq!(t.password.as_deref(), Some("fromenv"));
        assert_eq!(t.port, 6379);
        assert!(parse_redis_url("http://x", &v).is_err());
        assert!(parse_redis_url("redis://h:99999", &v).is_err());
        assert!(parse_redis_url("redis://h/abc", &v).is_err());
    }

    #[test]
    fn tls_settings_flags_beat_variables_and_need_pairs() {
        let v = vars(
            &[("REDIS_TLS_CA_FILE", "/env/ca.pem")],
            &[("REDIS_TLS_SERVER_NAME", "cache.internal")],
        );
        let c = Config::resolve(&args(), &v).unwrap();
        assert_eq!(c.redis_tls.ca_file, Some(PathBuf::from("/env/ca.pem")));
        assert_eq!(c.redis_tls.server_name.as_deref(), Some("cache.internal"));
        assert!(c.redis.tls, "a TLS setting turns TLS on for REDIS_ADDR");
        let mut a = args();
        a.tls_ca_file = Some(PathBuf::from("/flag/ca.pem"));
        let c = Config::resolve(&a, &v).unwrap();
        assert_eq!(c.redis_tls.ca_file, Some(PathBuf::from("/flag/ca.pem")));

        let e = Config::resolve(&args(), &vars(&[("REDIS_TLS_CERT_FILE", "c.pem")], &[]));
        assert!(e.unwrap_err().to_string().contains("--tls-key-file"));
        let mut a = args();
        a.redis_url = Some("redis://h:1".into());
        let e = Config::resolve(&a, &v).unwrap_err();
        assert!(e.to_string().contains("rediss://"), "{e}");
        let c = Config::resolve(&args(), &vars(&[], &[])).unwrap();
        assert!(!c.redis.tls && !c.redis_tls.is_set());
    }

    #[test]
    fn dotenv_syntax() {
        let got =
            parse_dotenv("# c\nexport A=1\nB=\"x y\" \nC='q#' \nD=v # note\n\n", "f").unwrap();
        let got: Vec<_> = got.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(got, [("A", "1"), ("B", "x y"), ("C", "q#"), ("D", "v")]);
        let e = parse_dotenv("A=1\nnot a line\n", ".env").unwrap_err();
        assert_eq!(
            e.to_string(),
            ".env:2: cannot read this .env line (expected NAME=VALUE)"
        );
    }

    #[test]
    fn secrets_are_redacted() {
        register_secret("hunter2-pw");
        assert_eq!(
            redact_known_secrets("auth hunter2-pw failed"),
            "auth *** failed"
        );
    }
}
