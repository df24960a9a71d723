//! Running the populate command: its standard input and error are the tool's, its standard
//! output goes to the tool's standard error (the tool's own standard output carries the
//! report). A Ctrl-C on a terminal reaches the command too (it is in the same process
//! group); a SIGTERM sent to the tool alone is passed on to the command. The tool waits
//! for it to end before it cleans up.
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use crate::app::runtime::Stop;

use serde::Serialize;

/// How the populate command ended.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Ran {
    /// The program and its arguments, as given.
    pub argv: Vec<String>,
    /// Its exit code; `None` when a signal ended it.
    pub exit_code: Option<i32>,
    /// The signal that ended it, if one did.
    pub signal: Option<i32>,
    pub seconds: f64,
}

impl Ran {
    /// Whether it succeeded (exit code 0).
    pub fn ok(&self) -> bool {
        self.exit_code == Some(0)
    }

    /// Its status for people: `exit 0`, `exit 2`, `signal 9`.
    pub fn status(&self) -> String {
        match (self.exit_code, self.signal) {
            (Some(c), _) => format!("exit {c}"),
            (None, Some(s)) => format!("signal {s}"),
            (None, None) => "unknown status".into(),
        }
    }
}

/// Run `argv` to its end; a SIGTERM that stops this run is passed on to it. A program that
/// cannot be started is an error (nothing ran).
pub fn run(argv: &[String], stop: &Stop) -> anyhow::Result<Ran> {
    let (program, args) = argv
        .split_first()
        .ok_or_else(|| crate::failure::bad_input("sync needs a command after `--`"))?;
    let started = Instant::now();
    let stdout = stderr_as_stdout()?;
    let child = Command::new(program)
        .args(args)
        .stdin(Stdio::inherit())
        .stdout(stdout)
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| crate::failure::bad_input(format!("cannot run {program:?}: {e}")))?;
    let status = wait(child, stop)?;
    Ok(Ran {
        argv: argv.to_vec(),
        exit_code: status.code(),
        signal: signal_of(&status),
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Wait for `child` to end, sending it SIGTERM once if this run is terminated meanwhile.
fn wait(mut child: Child, stop: &Stop) -> std::io::Result<ExitStatus> {
    let mut passed_on = false;
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(status);
        }
        if !passed_on && stop.terminated() {
            terminate(child.id());
            passed_on = true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Send SIGTERM to the process `pid` (a child not yet waited for, so not reused).
fn terminate(pid: u32) {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return;
    };
    // SAFETY: kill(2) takes plain integers and touches no memory of ours.
    unsafe {
        libc::kill(pid, libc::SIGTERM);
    }
}

/// The tool's standard error, for the command's standard output.
fn stderr_as_stdout() -> anyhow::Result<Stdio> {
    use std::os::fd::AsFd;
    let fd = std::io::stderr().as_fd().try_clone_to_owned()?;
    Ok(Stdio::from(fd))
}

fn signal_of(status: &std::process::ExitStatus) -> Option<i32> {
    use std::os::unix::process::ExitStatusExt;
    status.signal()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str) -> Ran {
        run(&["sh".into(), "-c".into(), script.into()], &Stop::default()).unwrap()
    }

    #[test]
    fn exit_codes_and_signals_are_reported() {
        assert!(sh("exit 0").ok());
        let failed = sh("exit 3");
        assert_eq!((failed.ok(), failed.exit_code), (false, Some(3)));
        assert_eq!(failed.status(), "exit 3");
        let killed = sh("kill -9 $$");
        assert_eq!((killed.exit_code, killed.signal), (None, Some(9)));
        assert_eq!(killed.status(), "signal 9");
    }

    #[test]
    fn a_program_that_cannot_start_is_bad_input() {
        let stop = Stop::default();
        let err = run(&["/nonexistent/populate".into()], &stop).unwrap_err();
        assert!(err.to_string().contains("cannot run"), "{err}");
        assert!(run(&[], &stop).is_err());
    }

    #[test]
    fn a_sigterm_that_stops_the_run_is_passed_on() {
        let stop = Stop::default();
        let later = stop.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            later.terminate();
        });
        // The command's own handler runs (exit 7), unless the signal came before the shell
        // set it (then SIGTERM ends it): either way it ends long before its 30 s.
        let script = "trap 'exit 7' TERM; sleep 30 & wait";
        let started = Instant::now();
        let ran = run(&["sh".into(), "-c".into(), script.into()], &stop).unwrap();
        let passed_on = ran.exit_code == Some(7) || ran.signal == Some(libc::SIGTERM);
        assert!(passed_on, "{}", ran.status());
        assert!(started.elapsed() < Duration::from_secs(20));
    }
}
