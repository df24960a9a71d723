//! Opening the lineage source named by the configuration (provisional: sqlite and the
//! embedded default; ODBC lands with the ODBC source).
use std::path::PathBuf;
use std::sync::Arc;

use crate::config::Config;
use crate::source::{sqlite::SqliteSource, LineageSource, SourceError};

/// The embedded default's path: `$LINEAGE_CACHE_DEMO_DB`, else the XDG data directory.
pub fn default_demo_path() -> PathBuf {
    if let Some(p) = std::env::var_os("LINEAGE_CACHE_DEMO_DB") {
        return PathBuf::from(p);
    }
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            std::env::var_os("HOME")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from("."))
                .join(".local/share")
        });
    base.join("lineage-cache").join("demo.sqlite")
}

/// Open the source of `config.source`.
pub fn open(config: &Config) -> anyhow::Result<Arc<dyn LineageSource>> {
    match config.source.as_deref() {
        Some(spec) if spec.starts_with("sqlite:") => Ok(Arc::new(SqliteSource::open(
            spec["sqlite:".len()..].as_ref(),
        )?)),
        Some(_) => Err(SourceError::Spec("accepted sources: sqlite:PATH".into()).into()),
        None => {
            let path = default_demo_path();
            if !path.exists() {
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir)?;
                }
                crate::source::demo::create_demo(&path, false)?;
                tracing::info!("created the embedded demo warehouse at {}", path.display());
            }
            Ok(Arc::new(SqliteSource::open(&path)?))
        }
    }
}
