//! `--source` / `LINEAGE_CACHE_SOURCE`, read with the rest of the configuration (before any
//! connection): `sqlite:PATH`, `odbc:CONNECTION-STRING`, `teradata`, or nothing. Opening
//! the source it names is `source::open`'s business (docs/source.md).
use std::path::PathBuf;

use super::{connstr, ConfigError};

/// The accepted `--source` forms, for error messages.
const FORMS: &str = "sqlite:PATH, odbc:CONNECTION-STRING or teradata";

/// What `--source` asks for.
#[derive(Clone, PartialEq, Eq)]
pub enum SourceSpec {
    Sqlite(PathBuf),
    Odbc(String),
    Teradata,
    /// No `--source`: Teradata when configured, else the embedded demo.
    Default,
}

impl std::fmt::Debug for SourceSpec {
    /// A connection string is shown with its passwords as `***`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SourceSpec::Sqlite(path) => f.debug_tuple("Sqlite").field(path).finish(),
            SourceSpec::Odbc(conn) => f
                .debug_tuple("Odbc")
                .field(&connstr::redacted(conn))
                .finish(),
            SourceSpec::Teradata => f.write_str("Teradata"),
            SourceSpec::Default => f.write_str("Default"),
        }
    }
}

impl SourceSpec {
    /// Parse the spec; blank is [`SourceSpec::Default`]. The passwords of a connection
    /// string are registered as secrets first, and the error never repeats the text after
    /// the kind (it may be a connection string with a password).
    pub fn parse(spec: Option<&str>) -> Result<SourceSpec, ConfigError> {
        let Some(spec) = spec.map(str::trim).filter(|s| !s.is_empty()) else {
            return Ok(SourceSpec::Default);
        };
        if spec.eq_ignore_ascii_case("teradata") {
            return Ok(SourceSpec::Teradata);
        }
        if let Some(path) = spec.strip_prefix("sqlite:") {
            if path.is_empty() {
                return Err(bad(format!("sqlite: needs a path ({FORMS})")));
            }
            return Ok(SourceSpec::Sqlite(PathBuf::from(path)));
        }
        if let Some(conn) = spec.strip_prefix("odbc:") {
            connstr::register_secrets(conn);
            if conn.trim().is_empty() {
                return Err(bad(format!("odbc: needs a connection string ({FORMS})")));
            }
            return Ok(SourceSpec::Odbc(conn.to_string()));
        }
        connstr::register_secrets(spec);
        Err(unknown(spec))
    }

    /// Whether a source is named (`--source`, `LINEAGE_CACHE_SOURCE`).
    pub fn is_given(&self) -> bool {
        *self != SourceSpec::Default
    }
}

fn bad(message: String) -> ConfigError {
    ConfigError::Source(message)
}

/// An unknown kind of source, shown only by a leading word, if there is one.
fn unknown(spec: &str) -> ConfigError {
    let word: String = spec
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .take(20)
        .collect();
    let shown = if word.is_empty() {
        String::new()
    } else {
        format!(" (starting {word:?})")
    };
    bad(format!("unknown lineage source{shown}: use {FORMS}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(s: &str) -> Result<SourceSpec, ConfigError> {
        SourceSpec::parse(Some(s))
    }

    #[test]
    fn specs_parse() {
        assert_eq!(SourceSpec::parse(None).unwrap(), SourceSpec::Default);
        assert_eq!(spec("  ").unwrap(), SourceSpec::Default);
        assert_eq!(spec("teradata").unwrap(), SourceSpec::Teradata);
        assert_eq!(
            spec("sqlite:/tmp/x.db").unwrap(),
            SourceSpec::Sqlite("/tmp/x.db".into())
        );
        assert_eq!(
            spec("odbc:DSN=td;PWD=pw").unwrap(),
            SourceSpec::Odbc("DSN=td;PWD=pw".into())
        );
        assert!(matches!(spec("sqlite:"), Err(ConfigError::Source(_))));
        assert!(matches!(spec("odbc: "), Err(ConfigError::Source(_))));
    }

    #[test]
    fn bad_spec_never_echoes_the_string() {
        for bad in [
            "mysql://u:hunter2-secret@h/db",
            "Driver={X};PWD=hunter2-secret",
            "odbc;PWD=hunter2-secret",
        ] {
            let msg = spec(bad).unwrap_err().to_string();
            assert!(!msg.contains("hunter2"), "{msg}");
            assert!(msg.starts_with("bad lineage source: "), "{msg}");
            assert!(
                msg.contains("sqlite:PATH") && msg.contains("teradata"),
                "{msg}"
            );
        }
        assert!(spec("mysql://x")
            .unwrap_err()
            .to_string()
            .contains("\"mysql\""));
    }

    #[test]
    fn debug_hides_the_password() {
        let shown = format!("{:?}", spec("odbc:DSN=td;PWD=hunter2-secret").unwrap());
        assert!(!shown.contains("hunter2"), "{shown}");
    }
}
