//! The layered variables: the environment, then `.env` in the working directory or its
//! parent (environment wins); and the `.env` syntax.
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::ConfigError;

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

    pub(super) fn number<T: std::str::FromStr>(
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
        let value = dotenv_value(value.trim()).ok_or_else(bad)?;
        out.push((name.to_string(), value));
    }
    Ok(out)
}

/// A `.env` value: double-quoted (with `\n`, `\"` and `\\` escapes), single-quoted (as it
/// is), or bare up to a ` #` comment; `None` for an unclosed quote.
fn dotenv_value(value: &str) -> Option<String> {
    Some(if let Some(q) = value.strip_prefix('"') {
        let end = q.rfind('"')?;
        q[..end]
            .replace("\\n", "\n")
            .replace("\\\"", "\"")
            .replace("\\\\", "\\")
    } else if let Some(q) = value.strip_prefix('\'') {
        let end = q.rfind('\'')?;
        q[..end].to_string()
    } else {
        // An unquoted value ends at ` #`.
        match value.find(" #") {
            Some(i) => value[..i].trim_end().to_string(),
            None => value.to_string(),
        }
    })
}
