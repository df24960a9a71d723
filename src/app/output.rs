//! Output decisions made once: colour, logging (to stderr, redacted), stdout writing.
use std::io::{IsTerminal, Write};

use crate::cli::{ColorChoice, GlobalArgs};

/// Whether to colour output: `--color`, then `NO_COLOR`, then whether stdout is a terminal.
pub fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}

/// Whether progress bars may be drawn (stderr is a terminal).
pub fn stderr_is_terminal() -> bool {
    std::io::stderr().is_terminal()
}

/// A stderr writer that redacts known secrets from every line it is given.
struct RedactingStderr;

impl Write for RedactingStderr {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        std::io::stderr().write_all(crate::config::redact_known_secrets(&text).as_bytes())?;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stderr().flush()
    }
}

/// Install the tracing subscriber: level from `-v` or `LINEAGE_CACHE_LOG`, to stderr, redacted.
pub fn init_logging(global: &GlobalArgs) {
    use tracing::Level;
    let from_env = std::env::var("LINEAGE_CACHE_LOG").ok().and_then(|v| {
        match v.trim().to_ascii_lowercase().as_str() {
            "error" => Some(Level::ERROR),
            "warn" => Some(Level::WARN),
            "info" => Some(Level::INFO),
            "debug" => Some(Level::DEBUG),
            "trace" => Some(Level::TRACE),
            _ => None,
        }
    });
    let level = match global.verbose {
        0 => from_env.unwrap_or(Level::WARN),
        1 => Level::INFO,
        2 => Level::DEBUG,
        _ => Level::TRACE,
    };
    let color = match global.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && stderr_is_terminal()
        }
    };
    let _ = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_ansi(color)
        .with_target(false)
        .with_writer(|| RedactingStderr)
        .try_init();
}

/// Write `text` to stdout. A broken pipe surfaces as an io error the exit handler treats
/// as success.
pub fn print(text: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()
}

static COLOR: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Record the colour decision once (from `--color`, `NO_COLOR` and the terminal).
pub fn set_color(on: bool) {
    COLOR.store(on, std::sync::atomic::Ordering::Relaxed);
}

/// Tones for status text in reports for people (never in JSON or Prometheus output).
#[derive(Debug, Clone, Copy)]
pub enum Tone {
    Good,
    Warn,
    Bad,
}

/// `text` in the tone's colour when colour is on; unchanged otherwise.
pub fn paint(tone: Tone, text: &str) -> String {
    if !COLOR.load(std::sync::atomic::Ordering::Relaxed) {
        return text.to_string();
    }
    let code = match tone {
        Tone::Good => "32",
        Tone::Warn => "33",
        Tone::Bad => "31",
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}
