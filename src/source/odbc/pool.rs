//! A bounded pool of ODBC connections. At most `max` connections are open at once; a caller
//! that finds none idle opens one while under the bound, and otherwise waits for one to be
//! given back. A connection that failed (lost, or in an unknown state) is closed instead of
//! being given back.
use std::sync::{Condvar, Mutex, MutexGuard, OnceLock};
use std::time::Duration;

use odbc_api::{Connection, ConnectionOptions, Environment};

use super::error::connect_error;
use crate::source::{SourceError, SourceResult};

/// The process's ODBC environment (one per process, as ODBC recommends).
fn environment() -> SourceResult<&'static Environment> {
    static ENV: OnceLock<Environment> = OnceLock::new();
    if let Some(env) = ENV.get() {
        return Ok(env);
    }
    let env = Environment::new().map_err(|e| {
        SourceError::Connect(format!("cannot set up ODBC (is unixODBC installed?): {e}"))
    })?;
    Ok(ENV.get_or_init(|| env))
}

struct State {
    idle: Vec<Connection<'static>>,
    open: usize,
}

/// The pool. The connection string is kept here only; it is never shown.
pub(crate) struct Pool {
    conn_str: String,
    login_timeout: Duration,
    max: usize,
    state: Mutex<State>,
    freed: Condvar,
}

impl Pool {
    pub(crate) fn new(conn_str: &str, max: usize, login_timeout: Duration) -> Pool {
        Pool {
            conn_str: conn_str.to_string(),
            login_timeout,
            max: max.max(1),
            state: Mutex::new(State {
                idle: Vec::new(),
                open: 0,
            }),
            freed: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Open a new connection (not counted: the caller counts it).
    fn open(&self) -> SourceResult<Connection<'static>> {
        let options = ConnectionOptions {
            login_timeout_sec: Some(self.login_timeout.as_secs().clamp(1, u32::MAX as u64) as u32),
            packet_size: None,
        };
        environment()?
            .connect_with_connection_string(&self.conn_str, options)
            .map_err(|e| connect_error(&e))
    }

    /// A connection: an idle one, a new one while under the bound, or the next one given back.
    pub(crate) fn get(&self) -> SourceResult<Pooled<'_>> {
        let mut state = self.lock();
        loop {
            if let Some(conn) = state.idle.pop() {
                return Ok(Pooled::new(self, conn));
            }
            if state.open < self.max {
                state.open += 1;
                drop(state);
                return match self.open() {
                    Ok(conn) => Ok(Pooled::new(self, conn)),
                    Err(e) => {
                        self.forget();
                        Err(e)
                    }
                };
            }
            state = self.freed.wait(state).unwrap_or_else(|p| p.into_inner());
        }
    }

    /// One counted connection is gone (closed or never opened).
    fn forget(&self) {
        let mut state = self.lock();
        state.open = state.open.saturating_sub(1);
        drop(state);
        self.freed.notify_one();
    }

    fn give_back(&self, conn: Connection<'static>) {
        self.lock().idle.push(conn);
        self.freed.notify_one();
    }

    /// How many connections are open now (idle or in use).
    pub(crate) fn open_count(&self) -> usize {
        self.lock().open
    }
}

/// A connection taken from the pool. Given back on drop, unless [`Pooled::discard`] was
/// called (then it is closed).
pub(crate) struct Pooled<'p> {
    pool: &'p Pool,
    conn: Option<Connection<'static>>,
    healthy: bool,
}

impl<'p> Pooled<'p> {
    fn new(pool: &'p Pool, conn: Connection<'static>) -> Self {
        Pooled {
            pool,
            conn: Some(conn),
            healthy: true,
        }
    }

    /// The connection.
    pub(crate) fn conn(&self) -> &Connection<'static> {
        self.conn
            .as_ref()
            .expect("a pooled connection is present until dropped")
    }

    /// Close the connection instead of giving it back (after an error that may have left it
    /// broken or mid-result).
    pub(crate) fn discard(&mut self) {
        self.healthy = false;
    }
}

impl Drop for Pooled<'_> {
    fn drop(&mut self) {
        let Some(conn) = self.conn.take() else { return };
        if self.healthy {
            self.pool.give_back(conn);
        } else {
            // odbc-api panics when a disconnect fails (it can, on a broken connection):
            // the connection is gone either way.
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| drop(conn)));
            self.pool.forget();
        }
    }
}
