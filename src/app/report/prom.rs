//! Prometheus text exposition (format 0.0.4) built family by family: `# HELP`, `# TYPE`,
//! then the samples with escaped label values.
use std::fmt::Write;

/// A metric family's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricType {
    Gauge,
    Counter,
}

/// Prometheus text under construction.
#[derive(Debug, Default)]
pub struct PromText {
    out: String,
}

/// Escape a label value: `\`, `"` and newlines.
pub fn escape_label(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// A sample value as Prometheus prints it (`NaN` for a missing value).
fn number(v: Option<f64>) -> String {
    match v {
        None => "NaN".into(),
        Some(v) if v.is_nan() => "NaN".into(),
        Some(v) if v.is_infinite() => (if v > 0.0 { "+Inf" } else { "-Inf" }).into(),
        Some(v) if v.fract() == 0.0 && v.abs() < 1e15 => format!("{}", v as i64),
        Some(v) => format!("{v}"),
    }
}

impl PromText {
    pub fn new() -> Self {
        PromText::default()
    }

    /// Start a family: its help line and type.
    pub fn family(&mut self, name: &str, help: &str, t: MetricType) -> &mut Self {
        let t = match t {
            MetricType::Gauge => "gauge",
            MetricType::Counter => "counter",
        };
        let help = help.replace('\\', "\\\\").replace('\n', "\\n");
        let _ = writeln!(self.out, "# HELP {name} {help}\n# TYPE {name} {t}");
        self
    }

    /// One sample of the current family.
    pub fn sample(&mut self, name: &str, labels: &[(&str, &str)], v: Option<f64>) -> &mut Self {
        self.out.push_str(name);
        if !labels.is_empty() {
            let parts: Vec<String> = labels
                .iter()
                .map(|(k, v)| format!("{k}=\"{}\"", escape_label(v)))
                .collect();
            let _ = write!(self.out, "{{{}}}", parts.join(","));
        }
        let _ = writeln!(self.out, " {}", number(v));
        self
    }

    /// A family with one unlabelled sample.
    pub fn single(&mut self, name: &str, help: &str, t: MetricType, v: Option<f64>) -> &mut Self {
        self.family(name, help, t).sample(name, &[], v)
    }

    pub fn finish(self) -> String {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_and_samples_in_exposition_format() {
        let mut p = PromText::new();
        p.single("x_total", "A count.", MetricType::Counter, Some(3.0));
        p.family("y", "Sizes\nby kind.", MetricType::Gauge)
            .sample("y", &[("kind", "a\"b\\c")], Some(0.25))
            .sample("y", &[("kind", "k"), ("q", "p50")], None);
        assert_eq!(
            p.finish(),
            "# HELP x_total A count.\n# TYPE x_total counter\nx_total 3\n\
             # HELP y Sizes\\nby kind.\n# TYPE y gauge\n\
             y{kind=\"a\\\"b\\\\c\"} 0.25\ny{kind=\"k\",q=\"p50\"} NaN\n"
        );
    }
}
