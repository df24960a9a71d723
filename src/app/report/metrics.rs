//! A run's metrics as Prometheus text for node_exporter's textfile collector, written
//! atomically.
use std::io::Write;
use std::path::Path;

use super::prom::{MetricType, PromText};
use super::Tally;

/// The metrics of one run of `command` (`warm`, `invalidate`), written with the one
/// Prometheus text writer ([`PromText`]).
pub fn render(command: &str, tally: &Tally, extra: &[(&str, &str, f64)]) -> String {
    let p = format!("lineage_cache_{command}");
    let mut out = PromText::new();
    let keys = format!("{p}_keys");
    out.family(
        &keys,
        "Keys handled by the last run, by kind and outcome.",
        MetricType::Gauge,
    );
    for (kind, c) in &tally.by_kind {
        for (outcome, n) in &c.outcomes {
            let labels = [("kind", *kind), ("outcome", *outcome)];
            out.sample(&keys, &labels, Some(*n as f64));
        }
    }
    let bytes = format!("{p}_bytes");
    out.family(
        &bytes,
        "Value bytes handled by the last run, by kind.",
        MetricType::Gauge,
    );
    for (kind, c) in &tally.by_kind {
        out.sample(&bytes, &[("kind", kind)], Some(c.bytes as f64));
    }
    for (name, help, value) in extra {
        out.single(
            &format!("{p}_{name}"),
            help,
            MetricType::Gauge,
            Some(*value),
        );
    }
    out.finish()
}

/// Write `text` to `path` atomically: a temporary file in the same directory, then rename.
pub fn write_atomic(path: &Path, text: &str) -> anyhow::Result<()> {
    use anyhow::Context;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.with_context(|| format!("cannot write metrics file {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_and_writes_atomically() {
        let mut t = Tally::default();
        t.add("lineage-graph", "written", 3, 300);
        let text = render("warm", &t, &[("success", "1 when the run completed.", 1.0)]);
        assert!(text
            .contains("lineage_cache_warm_keys{kind=\"lineage-graph\",outcome=\"written\"} 3\n"));
        assert!(text.contains("lineage_cache_warm_bytes{kind=\"lineage-graph\"} 300\n"));
        assert!(text.contains("lineage_cache_warm_success 1\n"));
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("lc.prom");
        write_atomic(&p, &text).unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), text);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        assert!(write_atomic(&dir.path().join("missing/x.prom"), "x").is_err());
    }
}
