//! How the command scenarios reach Redis: the CLI's flags for each transport (cluster, TLS,
//! ACL user, plain), and an admin connection (the default user on a plain port) through
//! which the tests set up and check data.
use std::collections::{BTreeMap, BTreeSet};
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use lineage_cache::config::{Config, RedisTarget};
use lineage_cache::source::sqlite::SqliteSource;
use lineage_cache::store::Store;
use serde_json::Value;

use super::scenarios::FOREIGN;
use super::{bin, RedisCluster, RedisServer, TlsCerts};

/// What a run of the CLI printed and how it ended.
#[derive(Debug)]
pub struct Out {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

impl Out {
    /// The run succeeded; its stdout.
    pub fn ok(self) -> String {
        assert_eq!(self.code, 0, "{}{}", self.stdout, self.stderr);
        self.stdout
    }

    pub fn json(self) -> Value {
        serde_json::from_str(&self.ok()).expect("JSON output")
    }
}

/// The demo warehouse in a temporary directory.
pub struct Demo {
    _dir: tempfile::TempDir,
    pub path: PathBuf,
}

impl Demo {
    pub fn create() -> Demo {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("demo.sqlite");
        lineage_cache::source::demo::create_demo(&path, false).expect("create the demo");
        Demo { _dir: dir, path }
    }

    /// A warehouse written elsewhere (e.g. a random one) at `path` inside `dir`.
    pub fn from_file(dir: tempfile::TempDir, path: PathBuf) -> Demo {
        Demo { _dir: dir, path }
    }

    pub fn spec(&self) -> String {
        format!("sqlite:{}", self.path.display())
    }

    pub fn source(&self) -> SqliteSource {
        SqliteSource::open(&self.path).expect("open the demo")
    }
}

/// How the CLI reaches Redis (its global flags), and an admin connection for the test.
pub struct Target {
    /// Global flags of the CLI: `--redis-url`, `--cluster`, TLS files.
    pub flags: Vec<String>,
    /// `redis-cli` port for set-up (a plain port, default user).
    cli_port: u16,
    cluster: bool,
    admin: Store,
    rt: tokio::runtime::Runtime,
}

fn admin_config(port: u16, cluster: bool) -> Config {
    Config {
        redis: RedisTarget {
            tls: false,
            host: "127.0.0.1".into(),
            port,
            username: None,
            password: None,
            db: 0,
        },
        cluster,
        timeout: Duration::from_secs(10),
        ..Config::default()
    }
}

impl Target {
    fn new(flags: Vec<String>, cli_port: u16, cluster: bool) -> Target {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let admin = rt
            .block_on(Store::connect(&admin_config(cli_port, cluster)))
            .expect("admin connection");
        Target {
            flags,
            cli_port,
            cluster,
            admin,
            rt,
        }
    }

    /// A plain standalone server (the reference the other transports are compared with).
    pub fn standalone(server: &RedisServer) -> Target {
        Self::new(
            vec!["--redis-url".into(), server.url()],
            server.port(),
            false,
        )
    }

    /// A Redis Cluster, seeded with its first node, `--cluster` given.
    pub fn cluster(cluster: &RedisCluster) -> Target {
        let flags = vec!["--redis-url".into(), cluster.url(), "--cluster".into()];
        Self::new(flags, cluster.node(0).port(), true)
    }

    /// A server's TLS port by name, trusting the test CA.
    pub fn tls(server: &RedisServer, certs: &TlsCerts) -> Target {
        let url = format!("rediss://localhost:{}", server.tls_port());
        let ca = certs.ca().display().to_string();
        let flags = vec!["--redis-url".into(), url, "--tls-ca-file".into(), ca];
        Self::new(flags, server.port(), false)
    }

    /// A server as the ACL user `user` (credentials in the URL).
    pub fn acl(server: &RedisServer, user: &str, password: &str) -> Target {
        let url = format!("redis://{user}:{password}@127.0.0.1:{}", server.port());
        Self::new(vec!["--redis-url".into(), url], server.port(), false)
    }

    /// Run the CLI with the target's flags, then `args`.
    pub fn run(&self, demo: &Demo, args: &[&str]) -> Out {
        let out = bin()
            .args(&self.flags)
            .args(["--source", &demo.spec()])
            .args(args)
            .output()
            .expect("run lineage-cache");
        Out {
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            code: out.status.code().unwrap_or(-1),
        }
    }

    /// Start the CLI in the background (stdout and stderr piped); see [`finish`].
    pub fn spawn(&self, demo: &Demo, args: &[&str]) -> Child {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_lineage-cache"));
        for (name, _) in std::env::vars() {
            if ["REDIS_", "LINEAGE_CACHE_", "CACHE_TTL_", "VALIDATION_"]
                .iter()
                .any(|p| name.starts_with(p))
            {
                cmd.env_remove(name);
            }
        }
        cmd.args(&self.flags)
            .args(["--source", &demo.spec()])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start lineage-cache")
    }

    /// `redis-cli` as the default user on the plain port (`-c` in a cluster).
    pub fn cli(&self, args: &[&str]) -> String {
        let mut cmd = Command::new("redis-cli");
        cmd.args(["-h", "127.0.0.1", "-p", &self.cli_port.to_string()]);
        if self.cluster {
            cmd.arg("-c");
        }
        let out = cmd.args(args).output().expect("run redis-cli");
        assert!(out.status.success(), "redis-cli {args:?} failed");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Write many keys with a TTL through the admin connection.
    pub fn put(&self, items: &[(Vec<u8>, Vec<u8>, u64)]) {
        for chunk in items.chunks(500) {
            let results = self
                .rt
                .block_on(self.admin.set_ex_many(chunk))
                .expect("SET");
            results.into_iter().for_each(|r| r.expect("SET item"));
        }
    }

    /// Every key.
    pub fn keys(&self) -> BTreeSet<String> {
        let mut keys = BTreeSet::new();
        let scan = self.admin.scan("*", 1000, |batch| {
            keys.extend(
                batch
                    .iter()
                    .map(|k| String::from_utf8_lossy(k).into_owned()),
            );
            ControlFlow::Continue(())
        });
        self.rt.block_on(scan).expect("SCAN");
        keys
    }

    /// Every (string) key with its value and remaining TTL in milliseconds, but the tool's
    /// own (`lineage-cache:`: the warm lock, the lineage snapshot `warm` and `sync` save),
    /// which are not cache entries.
    pub fn dump(&self) -> BTreeMap<String, (Vec<u8>, i64)> {
        let keys: Vec<Vec<u8>> = self
            .keys()
            .into_iter()
            .filter(|k| !k.starts_with("lineage-cache:"))
            .map(String::into_bytes)
            .collect();
        let values = self.rt.block_on(self.admin.get_many(&keys)).expect("GET");
        let ttls = self.rt.block_on(self.admin.pttl_many(&keys)).expect("PTTL");
        keys.into_iter()
            .zip(values.into_iter().zip(ttls))
            .filter_map(|(k, (v, t))| Some((String::from_utf8(k).ok()?, (v?, t))))
            .collect()
    }

    /// The value of one key (any key, the tool's own too), if it is set.
    pub fn get(&self, key: &str) -> Option<Vec<u8>> {
        let keys = [key.as_bytes().to_vec()];
        let mut values = self.rt.block_on(self.admin.get_many(&keys)).expect("GET");
        values.pop().flatten()
    }

    /// `MEMORY USAGE` of each key, added up.
    pub fn memory(&self, keys: &[String]) -> u64 {
        let keys: Vec<Vec<u8>> = keys.iter().map(|k| k.clone().into_bytes()).collect();
        let sizes = self.rt.block_on(self.admin.memory_usage_many(&keys));
        sizes.expect("MEMORY USAGE").into_iter().flatten().sum()
    }

    /// Plant the foreign keys (no TTL).
    pub fn plant_foreign(&self) {
        for k in FOREIGN {
            self.cli(&["SET", k, "foreign"]);
        }
    }

    pub fn assert_foreign_intact(&self, after: &str) {
        let dump = self.dump();
        for k in FOREIGN {
            let (v, ttl) = dump.get(k).unwrap_or_else(|| panic!("{k} gone {after}"));
            assert_eq!((v.as_slice(), *ttl), (&b"foreign"[..], -1), "{k} {after}");
        }
    }
}

/// Wait for a background run to end; its output.
pub fn finish(child: Child) -> Out {
    let out = child.wait_with_output().expect("wait for lineage-cache");
    Out {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code().unwrap_or(-1),
    }
}
