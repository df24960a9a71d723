//! Shared helpers for the integration tests: a private `redis-server` per test, and the
//! built binary run with a clean environment in an empty working directory.
//!
//! Every test file uses a different subset of these helpers.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddrV4, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// How long a new server gets to answer PING.
const START_WITHIN: Duration = Duration::from_secs(10);

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

/// A throw-away CA and a server certificate for `localhost` and `127.0.0.1`, made with
/// `openssl`.
pub struct TlsCerts {
    dir: TempDir,
}

impl TlsCerts {
    pub fn generate() -> TlsCerts {
        let dir = tempfile::Builder::new()
            .prefix("lc-tls-")
            .tempdir()
            .expect("make a temporary directory");
        std::fs::write(
            dir.path().join("ext.cnf"),
            "subjectAltName=DNS:localhost,DNS:cache.lineage.test,IP:127.0.0.1\n",
        )
        .expect("write ext.cnf");
        let steps: [&[&str]; 3] = [
            &[
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key",
            ],
            &[
                "req",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "server.key",
            ],
            &[
                "x509",
                "-req",
                "-in",
                "server.csr",
                "-CA",
                "ca.crt",
                "-CAkey",
                "ca.key",
            ],
        ];
        let tails: [&[&str]; 3] = [
            &[
                "-out",
                "ca.crt",
                "-days",
                "2",
                "-subj",
                "/CN=lineage-cache test CA",
            ],
            &["-out", "server.csr", "-subj", "/CN=localhost"],
            &[
                "-CAcreateserial",
                "-out",
                "server.crt",
                "-days",
                "2",
                "-extfile",
                "ext.cnf",
            ],
        ];
        for (args, tail) in steps.iter().zip(tails) {
            let out = Command::new("openssl")
                .args(*args)
                .args(tail)
                .current_dir(dir.path())
                .output()
                .expect("run openssl");
            assert!(
                out.status.success(),
                "openssl {args:?} failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::fs::write(
            dir.path().join("client.cnf"),
            "extendedKeyUsage=clientAuth\n",
        )
        .expect("write client.cnf");
        let certs = TlsCerts { dir };
        certs.openssl(&[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "client.key",
            "-out",
            "client.csr",
            "-subj",
            "/CN=lineage-cache test client",
        ]);
        certs.openssl(&[
            "x509",
            "-req",
            "-in",
            "client.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "client.crt",
            "-days",
            "2",
            "-extfile",
            "client.cnf",
        ]);
        certs
    }

    fn openssl(&self, args: &[&str]) {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .expect("run openssl");
        assert!(
            out.status.success(),
            "openssl {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// A client certificate signed by the CA, for `--tls-auth-clients yes` servers.
    pub fn client_cert(&self) -> PathBuf {
        self.dir.path().join("client.crt")
    }

    pub fn client_key(&self) -> PathBuf {
        self.dir.path().join("client.key")
    }

    /// The CA's own key: a PEM file that is not a certificate.
    pub fn ca_key(&self) -> PathBuf {
        self.dir.path().join("ca.key")
    }

    pub fn ca(&self) -> PathBuf {
        self.dir.path().join("ca.crt")
    }

    pub fn cert(&self) -> PathBuf {
        self.dir.path().join("server.crt")
    }

    pub fn key(&self) -> PathBuf {
        self.dir.path().join("server.key")
    }
}

/// Three private cluster primaries on loopback ports, joined with `redis-cli --cluster
/// create` and ready (`cluster_state:ok` everywhere); all stopped on drop.
pub struct RedisCluster {
    nodes: Vec<RedisServer>,
}

impl RedisCluster {
    pub fn start() -> RedisCluster {
        let nodes: Vec<RedisServer> = (0..3)
            .map(|_| {
                let bus = free_port().to_string();
                RedisServer::start_with(&[
                    "--cluster-enabled",
                    "yes",
                    "--cluster-config-file",
                    "nodes.conf",
                    "--cluster-port",
                    &bus,
                    "--cluster-node-timeout",
                    "5000",
                ])
            })
            .collect();
        let addrs: Vec<String> = nodes.iter().map(RedisServer::addr).collect();
        let out = Command::new("redis-cli")
            .args(["--cluster", "create"])
            .args(&addrs)
            .args(["--cluster-replicas", "0", "--cluster-yes"])
            .output()
            .expect("run redis-cli --cluster create");
        assert!(
            out.status.success(),
            "cluster create failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let cluster = RedisCluster { nodes };
        cluster.wait_ok();
        cluster
    }

    /// Wait until every node sees all three nodes, every slot served, and state ok.
    pub fn wait_ok(&self) {
        let deadline = Instant::now() + START_WITHIN;
        loop {
            let ready = self.nodes.iter().all(|n| {
                let info = n.cli(&["CLUSTER", "INFO"]);
                info.contains("cluster_state:ok")
                    && info.contains("cluster_slots_ok:16384")
                    && info.contains("cluster_known_nodes:3")
            });
            if ready {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the cluster did not become ready"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn nodes(&self) -> &[RedisServer] {
        &self.nodes
    }

    /// The node at `i` (in start order).
    pub fn node(&self, i: usize) -> &RedisServer {
        &self.nodes[i]
    }

    /// `redis://127.0.0.1:PORT` of the first node: a seed for clients.
    pub fn url(&self) -> String {
        self.nodes[0].url()
    }

    pub fn node_id(&self, i: usize) -> String {
        self.nodes[i].cli(&["CLUSTER", "MYID"]).trim().to_string()
    }

    /// The slot of `key`, as the server computes it.
    pub fn keyslot(&self, key: &str) -> u16 {
        let out = self.nodes[0].cli(&["CLUSTER", "KEYSLOT", key]);
        out.trim()
            .parse()
            .expect("CLUSTER KEYSLOT answers a number")
    }

    /// The index of the node that says it owns `slot` (its own `CLUSTER NODES` line).
    pub fn owner_of(&self, slot: u16) -> usize {
        for (i, node) in self.nodes.iter().enumerate() {
            let line = node
                .cli(&["CLUSTER", "NODES"])
                .lines()
                .find(|l| l.contains("myself"))
                .unwrap_or_default()
                .to_string();
            for range in line.split_whitespace().skip(8) {
                if range.starts_with('[') {
                    continue;
                }
                let (a, b) = range.split_once('-').unwrap_or((range, range));
                let (a, b): (u16, u16) = (a.parse().unwrap(), b.parse().unwrap());
                if (a..=b).contains(&slot) {
                    return i;
                }
            }
        }
        panic!("no node owns slot {slot}");
    }

    /// Open a migration of `slot` from node `from` to node `to` (IMPORTING, MIGRATING).
    pub fn begin_migration(&self, slot: u16, from: usize, to: usize) {
        let s = slot.to_string();
        let (from_id, to_id) = (self.node_id(from), self.node_id(to));
        let ok = |out: String| assert_eq!(out.trim(), "OK", "SETSLOT failed: {out}");
        ok(self.nodes[to].cli(&["CLUSTER", "SETSLOT", &s, "IMPORTING", &from_id]));
        ok(self.nodes[from].cli(&["CLUSTER", "SETSLOT", &s, "MIGRATING", &to_id]));
    }

    /// Move up to `max` keys of `slot` from node `from` to node `to` (`MIGRATE`); returns
    /// how many were moved.
    pub fn move_keys(&self, slot: u16, from: usize, to: usize, max: usize) -> usize {
        let out = self.nodes[from].cli(&[
            "CLUSTER",
            "GETKEYSINSLOT",
            &slot.to_string(),
            &max.to_string(),
        ]);
        let keys: Vec<&str> = out.lines().filter(|l| !l.is_empty()).collect();
        if keys.is_empty() {
            return 0;
        }
        let port = self.nodes[to].port().to_string();
        let mut args = vec!["MIGRATE", "127.0.0.1", &port, "", "0", "5000", "KEYS"];
        args.extend(keys.iter().copied());
        let reply = self.nodes[from].cli(&args);
        assert_eq!(reply.trim(), "OK", "MIGRATE failed: {reply}");
        keys.len()
    }

    /// Give `slot` to node `to` on every node (the end of a migration).
    pub fn finish_migration(&self, slot: u16, to: usize) {
        let id = self.node_id(to);
        for n in &self.nodes {
            let out = n.cli(&["CLUSTER", "SETSLOT", &slot.to_string(), "NODE", &id]);
            assert_eq!(out.trim(), "OK", "SETSLOT NODE failed: {out}");
        }
    }

    /// Migrate `slot` with all its keys from node `from` to node `to`.
    pub fn migrate_slot(&self, slot: u16, from: usize, to: usize) {
        self.begin_migration(slot, from, to);
        while self.move_keys(slot, from, to, 100) > 0 {}
        self.finish_migration(slot, to);
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
const CONFIG_PREFIXES: &[&str] = &[
    "REDIS_",
    "CACHE_TTL_",
    "VALIDATION_",
    "TERADATA_",
    "TD_",
    "LINEAGE_CACHE_",
];

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
