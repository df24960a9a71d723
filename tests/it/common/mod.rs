//! Shared helpers for the integration tests: a private `redis-server` per test (or a
//! cluster of three, and a throw-away CA for TLS), and the built binary run with a clean
//! environment in an empty working directory.
//!
//! Every test module uses a different subset of these helpers. Now that they are compiled
//! once for all modules, an unused helper is a warning again; the few kept for symmetry
//! with their siblings say so with `#[allow(dead_code)]`.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddrV4, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

mod cluster;
pub mod scenarios;
mod target;
mod tls;

pub use cluster::RedisCluster;
pub use target::{Demo, Target};
pub use tls::TlsCerts;
mod postgres;
pub use postgres::Postgres;
mod proxy;
pub use proxy::TcpProxy;
pub mod random_lineage;

/// How long a new server gets to answer PING.
pub(crate) const START_WITHIN: Duration = Duration::from_secs(10);

/// A private `redis-server` on a free loopback port, killed on drop. Never port 6379.
pub struct RedisServer {
    child: Child,
    port: u16,
    tls_port: Option<u16>,
    dir: TempDir,
}

impl RedisServer {
    /// A server with no persistence and no password.
    pub fn start() -> RedisServer {
        Self::start_with(&[])
    }

    /// A server with extra arguments, e.g. `["--maxmemory", "1mb"]` or
    /// `["--requirepass", "pw"]`. Panics (failing the test) if it cannot start.
    pub fn start_with(extra: &[&str]) -> RedisServer {
        Self::start_inner(extra, None)
    }

    /// A server that also listens with TLS (certificates from `certs`) on [`Self::tls_port`];
    /// the plain port stays open for set-up and readiness checks.
    pub fn start_tls(certs: &TlsCerts) -> RedisServer {
        Self::start_inner(&[], Some(certs))
    }

    /// Like [`Self::start_tls`], but clients must present a certificate signed by the CA
    /// (`--tls-auth-clients yes`).
    pub fn start_tls_client_auth(certs: &TlsCerts) -> RedisServer {
        Self::start_inner(&["--tls-auth-clients", "yes"], Some(certs))
    }

    fn start_inner(extra: &[&str], tls: Option<&TlsCerts>) -> RedisServer {
        let mut last = String::new();
        for _ in 0..5 {
            match Self::try_start(extra, tls) {
                Ok(s) => return s,
                Err(e) => last = e,
            }
        }
        panic!("could not start redis-server: {last}");
    }

    fn try_start(extra: &[&str], tls: Option<&TlsCerts>) -> Result<RedisServer, String> {
        let port = free_port();
        let tls_port = tls.map(|_| free_port());
        let mut tls_args: Vec<std::ffi::OsString> = Vec::new();
        if let (Some(certs), Some(p)) = (tls, tls_port) {
            tls_args.extend(["--tls-port".into(), p.to_string().into()]);
            tls_args.extend(["--tls-cert-file".into(), certs.cert().into()]);
            tls_args.extend(["--tls-key-file".into(), certs.key().into()]);
            tls_args.extend(["--tls-ca-cert-file".into(), certs.ca().into()]);
            if !extra.contains(&"--tls-auth-clients") {
                tls_args.extend(["--tls-auth-clients".into(), "no".into()]);
            }
        }
        let dir = tempfile::Builder::new()
            .prefix("lc-redis-")
            .tempdir()
            .map_err(|e| e.to_string())?;
        let log = std::fs::File::create(dir.path().join("redis.log")).map_err(|e| e.to_string())?;
        let child = Command::new("redis-server")
            .args(["--bind", "127.0.0.1", "--port", &port.to_string()])
            .args(["--save", "", "--appendonly", "no", "--daemonize", "no"])
            .arg("--dir")
            .arg(dir.path())
            .args(extra)
            .args(&tls_args)
            .stdin(Stdio::null())
            .stdout(log.try_clone().map_err(|e| e.to_string())?)
            .stderr(log)
            .spawn()
            .map_err(|e| format!("cannot run redis-server (is it installed?): {e}"))?;
        let mut server = RedisServer {
            child,
            port,
            tls_port,
            dir,
        };
        server.wait_ready()?;
        Ok(server)
    }

    /// Wait until the server answers PING (any reply, `-NOAUTH` included).
    fn wait_ready(&mut self) -> Result<(), String> {
        let deadline = Instant::now() + START_WITHIN;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("redis-server exited ({status}): {}", self.log()));
            }
            if answers_ping(self.port) {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        Err(format!("no answer within {START_WITHIN:?}: {}", self.log()))
    }

    /// The server's log so far (for failure messages).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("redis.log")).unwrap_or_default()
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The TLS port of a server started with [`Self::start_tls`].
    pub fn tls_port(&self) -> u16 {
        self.tls_port.expect("the server was started without TLS")
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// `redis://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// `127.0.0.1:PORT`, the form of `REDIS_ADDR`.
    pub fn addr(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// The server's working directory.
    #[allow(dead_code)] // no test reads it today; kept beside `log`
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Freeze the server (SIGSTOP): connections stay open, nothing answers.
    pub fn pause(&self) {
        signal(self.pid(), "STOP");
    }

    /// Thaw a paused server (SIGCONT).
    pub fn resume(&self) {
        signal(self.pid(), "CONT");
    }

    /// Stop the server gracefully (SIGTERM), killing it if it does not exit within 5 s.
    #[allow(dead_code)] // no test stops a shared-helper server gently today; kept beside `kill`
    pub fn stop(&mut self) {
        signal(self.pid(), "CONT");
        signal(self.pid(), "TERM");
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        self.kill();
    }

    /// Kill the server at once (SIGKILL) and reap it.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Run `redis-cli` against this server (for setting up data); returns its stdout.
    pub fn cli(&self, args: &[&str]) -> String {
        let out = Command::new("redis-cli")
            .args(["-h", "127.0.0.1", "-p", &self.port.to_string()])
            .args(args)
            .output()
            .expect("run redis-cli");
        assert!(out.status.success(), "redis-cli {args:?} failed");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A loopback port nobody listens on right now (bound to port 0, then released).
pub fn free_port() -> u16 {
    for _ in 0..50 {
        let listener = TcpListener::bind(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0))
            .expect("bind a loopback port");
        let port = listener.local_addr().expect("local address").port();
        if port != 6379 {
            return port;
        }
    }
    panic!("no free loopback port");
}

fn answers_ping(port: u16) -> bool {
    let addr = SocketAddrV4::new(Ipv4Addr::LOCALHOST, port).into();
    let Ok(mut s) = TcpStream::connect_timeout(&addr, Duration::from_millis(200)) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_millis(500)));
    if s.write_all(b"PING\r\n").is_err() {
        return false;
    }
    let mut buf = [0u8; 64];
    matches!(s.read(&mut buf), Ok(n) if n > 0 && (buf[0] == b'+' || buf[0] == b'-'))
}

fn signal(pid: u32, sig: &str) {
    let status = Command::new("kill")
        .arg(format!("-{sig}"))
        .arg(pid.to_string())
        .status()
        .expect("run kill");
    assert!(status.success(), "kill -{sig} {pid} failed");
}

/// Prefixes of the variables that configure the tool (and the API); `bin()` removes them.
pub const CONFIG_PREFIXES: &[&str] = &[
    "REDIS_",
    "CACHE_TTL_",
    "VALIDATION_",
    "TERADATA_",
    "TD_",
    "LINEAGE_CACHE_",
];

/// The one `lineage-cache: ` error line of a run that stopped on a Redis failure: the last
/// line of its standard error (retry warnings may come before it), naming `server`.
pub fn the_error_line<'a>(stderr: &'a str, server: &str) -> &'a str {
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("lineage-cache: "))
        .collect();
    assert_eq!(errors.len(), 1, "one error line: {stderr}");
    assert_eq!(stderr.lines().last(), Some(errors[0]), "{stderr}");
    assert!(errors[0].contains(server), "{}", errors[0]);
    errors[0]
}

/// The built `lineage-cache` binary, ready to run: configuration variables removed and an
/// empty working directory (whose parent is empty too), so no stray `.env` is read.
/// Derefs to `assert_cmd::Command`; the directory lives as long as this value.
pub struct Bin {
    cmd: assert_cmd::Command,
    dir: TempDir,
}

impl Bin {
    /// The working directory the command runs in.
    pub fn dir(&self) -> PathBuf {
        self.dir.path().join("work")
    }
}

impl std::ops::Deref for Bin {
    type Target = assert_cmd::Command;
    fn deref(&self) -> &assert_cmd::Command {
        &self.cmd
    }
}

impl std::ops::DerefMut for Bin {
    fn deref_mut(&mut self) -> &mut assert_cmd::Command {
        &mut self.cmd
    }
}

/// The binary with a clean environment, in a fresh empty directory. See [`Bin`].
pub fn bin() -> Bin {
    let dir = tempfile::Builder::new()
        .prefix("lc-cwd-")
        .tempdir()
        .expect("make a temporary directory");
    // `.env` is looked for in the working directory and its parent: both stay empty.
    let work = dir.path().join("work");
    std::fs::create_dir(&work).expect("make the working directory");
    let mut cmd = assert_cmd::Command::new(env!("CARGO_BIN_EXE_lineage-cache"));
    for (name, _) in std::env::vars_os() {
        let Some(name) = name.to_str() else { continue };
        if CONFIG_PREFIXES.iter().any(|p| name.starts_with(p)) {
            cmd.env_remove(name);
        }
    }
    cmd.env("NO_COLOR", "1").current_dir(&work);
    Bin { cmd, dir }
}
