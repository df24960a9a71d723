//! The one seam between a command's report and `--format`: a report says how it reads as a
//! table, as JSON, as NDJSON and as Prometheus text, and [`render`] picks by the format.
use crate::cli::Format;

/// A finished report.
pub trait Export {
    /// For people: a table and a few lines.
    fn table(&self) -> String;
    /// One JSON document (`--format json` prints it indented).
    fn json(&self) -> serde_json::Value;
    /// `--format ndjson`: by default the JSON document on one line.
    fn ndjson(&self) -> String {
        self.json().to_string() + "\n"
    }
    /// `--format prometheus`: by default the command offers none.
    fn prometheus(&self) -> anyhow::Result<String> {
        Err(crate::failure::bad_input(
            "--format prometheus does not apply to this command",
        ))
    }
}

/// The report's text in `format`.
pub fn render(format: Format, report: &dyn Export) -> anyhow::Result<String> {
    Ok(match format {
        Format::Table => report.table(),
        Format::Json => serde_json::to_string_pretty(&report.json())? + "\n",
        Format::Ndjson => report.ndjson(),
        Format::Prometheus => report.prometheus()?,
    })
}
