//! Progress bars: drawn only when stderr is a terminal and the output is not machine-read.
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A progress bar for `total` items (0: unknown), hidden unless `visible`.
pub fn bar(total: u64, what: &str, visible: bool) -> ProgressBar {
    if !visible {
        return ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
    }
    let pb = if total > 0 {
        ProgressBar::new(total)
    } else {
        ProgressBar::new_spinner()
    };
    let template = if total > 0 {
        format!("{what} {{bar:30}} {{pos}}/{{len}} {{per_sec}} ETA {{eta}}")
    } else {
        format!("{what} {{spinner}} {{pos}} {{per_sec}}")
    };
    if let Ok(style) = ProgressStyle::with_template(&template) {
        pb.set_style(style);
    }
    pb.set_draw_target(ProgressDrawTarget::stderr_with_hz(10));
    pb
}

/// Whether bars may be drawn: stderr is a terminal and the format is for people.
pub fn visible(format: crate::cli::Format) -> bool {
    format == crate::cli::Format::Table && crate::app::output::stderr_is_terminal()
}
