//! Asking before a broad change: on a terminal the question goes to stderr and the answer
//! comes from stdin; without a terminal nothing is asked and the answer is no (the caller
//! tells the user to pass `--yes`).
use std::io::{BufRead, IsTerminal, Write};

/// Print `lines`, then `question [y/N]`; true only for a yes typed on a terminal.
pub fn ask(lines: &[String], question: &str) -> anyhow::Result<bool> {
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return Ok(false);
    }
    let mut err = std::io::stderr().lock();
    for l in lines {
        writeln!(err, "{l}")?;
    }
    write!(err, "{question} [y/N] ")?;
    err.flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "YES" | "Yes"))
}

/// [`ask`] where somebody can answer: `None` without a terminal (nothing asked).
pub fn ask_on_terminal(lines: &[String], question: &str) -> anyhow::Result<Option<bool>> {
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return Ok(None);
    }
    ask(lines, question).map(Some)
}
