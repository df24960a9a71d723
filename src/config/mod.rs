//! Configuration shared with the API (contract §2): environment, then `.env` in the working
//! directory or its parent (environment wins), then defaults; flags beat all of them.
//! Secrets are registered for redaction the moment they are read.
use std::path::PathBuf;
use std::time::Duration;

pub(crate) mod connstr;
mod redis;
mod redis_url;
mod secrets;
mod source;
mod vars;

use redis::redis_from_vars;
pub use redis::{RedisTarget, RedisTls};
pub use redis_url::parse_redis_url;
pub use secrets::{redact_known_secrets, register_secret};
pub use source::SourceSpec;
pub use vars::{parse_dotenv, Vars};

/// The command line's global settings that beat the environment (the command line's
/// `Overrides`, converted at the edge).
#[derive(Debug, Clone)]
pub struct Overrides {
    pub redis_url: Option<String>,
    pub source: Option<String>,
    pub cluster: bool,
    pub tls_ca_file: Option<PathBuf>,
    pub tls_cert_file: Option<PathBuf>,
    pub tls_key_file: Option<PathBuf>,
    pub tls_server_name: Option<String>,
    /// `--timeout`, checked by the command line (above 0, at most an hour).
    pub timeout: Duration,
    pub env_file: Option<PathBuf>,
}

impl Default for Overrides {
    fn default() -> Self {
        Overrides {
            redis_url: None,
            source: None,
            cluster: false,
            tls_ca_file: None,
            tls_cert_file: None,
            tls_key_file: None,
            tls_server_name: None,
            timeout: Duration::from_secs(5),
            env_file: None,
        }
    }
}

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
    #[error("bad lineage source: {0}")]
    Source(String),
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
    /// `--source` / `LINEAGE_CACHE_SOURCE`.
    pub source: SourceSpec,
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
            source: SourceSpec::Default,
            cluster: false,
            timeout: Duration::from_secs(5),
            redis_tls: RedisTls::default(),
        }
    }
}

impl Config {
    /// Build the configuration from flags and the layered variables.
    pub fn from_args(args: &Overrides) -> Result<Self, ConfigError> {
        let vars = Vars::load(args.env_file.as_deref())?;
        Self::resolve(args, &vars)
    }

    /// Flags beat `vars` (environment, then `.env`), which beat defaults.
    pub fn resolve(args: &Overrides, vars: &Vars) -> Result<Self, ConfigError> {
        register_secrets(vars);
        let redis_tls = RedisTls::resolve(args, vars)?;
        check_log_level(vars)?;
        let redis = redis_target(args, vars, &redis_tls)?;
        let ttls = Ttls::from_vars(vars)?;
        let validation = Validation::from_vars(vars)?;
        let teradata = Teradata::from_vars(vars)?;
        let source = args.source.as_deref().or(vars.get("LINEAGE_CACHE_SOURCE"));
        let source = SourceSpec::parse(source)?;
        Ok(Config {
            redis,
            ttls,
            validation,
            teradata,
            source,
            cluster: args.cluster
                || vars
                    .get("LINEAGE_CACHE_CLUSTER")
                    .is_some_and(|v| v == "1" || v == "true"),
            timeout: args.timeout,
            redis_tls,
        })
    }
}

/// Register the passwords among `vars` for redaction, before anything can print them.
fn register_secrets(vars: &Vars) {
    for name in ["REDIS_PASSWORD", "TERADATA_PASSWORD", "TD_PASSWORD"] {
        if let Some(p) = vars.get(name) {
            register_secret(p);
        }
    }
}

/// `LINEAGE_CACHE_LOG`, when set, names a level.
fn check_log_level(vars: &Vars) -> Result<(), ConfigError> {
    let Some(level) = vars.get("LINEAGE_CACHE_LOG") else {
        return Ok(());
    };
    let known = ["error", "warn", "info", "debug", "trace"];
    if known.contains(&level.trim().to_ascii_lowercase().as_str()) {
        return Ok(());
    }
    Err(ConfigError::Invalid {
        name: "LINEAGE_CACHE_LOG".into(),
        expected: "one of error, warn, info, debug, trace".into(),
        value: level.into(),
    })
}

/// The Redis server: `--redis-url` or `LINEAGE_CACHE_REDIS_URL`, else the API's
/// `REDIS_*` variables; TLS settings need a `rediss://` URL.
fn redis_target(
    args: &Overrides,
    vars: &Vars,
    redis_tls: &RedisTls,
) -> Result<RedisTarget, ConfigError> {
    let url = args
        .redis_url
        .as_deref()
        .or(vars.get("LINEAGE_CACHE_REDIS_URL"));
    let Some(url) = url else {
        // REDIS_ADDR has no scheme: a TLS setting asks for TLS.
        return Ok(RedisTarget {
            tls: redis_tls.is_set(),
            ..redis_from_vars(vars)?
        });
    };
    let target = parse_redis_url(url, vars)?;
    if redis_tls.is_set() && !target.tls {
        return Err(ConfigError::RedisUrl(
            "TLS settings (--tls-* or REDIS_TLS_*) are given but the URL is \
             redis://, not rediss://"
                .into(),
        ));
    }
    Ok(target)
}

impl Ttls {
    /// The API's `CACHE_TTL_*` settings, each a positive number of seconds.
    fn from_vars(vars: &Vars) -> Result<Ttls, ConfigError> {
        let ttl = |name, d| {
            vars.number::<u64>(name, d, "a whole number of seconds")
                .and_then(|v| positive(name, v))
        };
        let def = Ttls::default();
        Ok(Ttls {
            lineage: ttl("CACHE_TTL_LINEAGE", def.lineage)?,
            assets: ttl("CACHE_TTL_ASSETS", def.assets)?,
            statistics: ttl("CACHE_TTL_STATISTICS", def.statistics)?,
            ddl: ttl("CACHE_TTL_DDL", def.ddl)?,
            search: ttl("CACHE_TTL_SEARCH", def.search)?,
        })
    }
}

impl Validation {
    /// The API's `VALIDATION_*` settings; the least depth may not pass the limit.
    fn from_vars(vars: &Vars) -> Result<Validation, ConfigError> {
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
        Ok(validation)
    }
}

impl Teradata {
    /// `TERADATA_*` (or legacy `TD_*`): database `demo_user` and port 1025 by default.
    fn from_vars(vars: &Vars) -> Result<Teradata, ConfigError> {
        Ok(Teradata {
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

#[cfg(test)]
mod tests;
