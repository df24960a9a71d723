//! Asking before a broad change: on a terminal the question goes to stderr and the answer
//! comes from the keyboard (dialoguer's confirmation, `y` or `n` then Enter, no by default);
//! without a terminal nothing is asked and the answer is no (the caller tells the user to
//! pass `--yes`).
use std::io::IsTerminal;

use dialoguer::console::Term;
use dialoguer::Confirm;

/// Print `lines`, then `question [y/N]`; true only for a yes typed on a terminal.
pub fn ask(lines: &[String], question: &str) -> anyhow::Result<bool> {
    Ok(ask_on_terminal(lines, question)?.unwrap_or(false))
}

/// [`ask`] where somebody can answer: `None` without a terminal (nothing asked).
pub fn ask_on_terminal(lines: &[String], question: &str) -> anyhow::Result<Option<bool>> {
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return Ok(None);
    }
    let term = Term::stderr();
    for l in lines {
        term.write_line(l)?;
    }
    let answer = Confirm::new()
        .with_prompt(question)
        .default(false)
        .wait_for_newline(true)
        .interact_on(&term);
    match answer {
        Ok(yes) => Ok(Some(yes)),
        Err(dialoguer::Error::IO(e)) => {
            // The prompt hides the cursor and leaves it hidden when it fails.
            let _ = term.show_cursor();
            match e.kind() {
                // Ctrl-C (the prompt raised SIGINT for the run's stop signal): no.
                std::io::ErrorKind::Interrupted => Ok(Some(false)),
                _ => Err(e.into()),
            }
        }
    }
}
