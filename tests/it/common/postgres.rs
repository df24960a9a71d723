//! A private PostgreSQL server for a test: `initdb` into a temporary directory, started on a
//! free loopback port with its socket in that directory, stopped (`pg_ctl stop -m
//! immediate`) and removed on drop. `initdb` refuses to run as root, so as root the server
//! runs as the `postgres` user (`runuser`). Local (socket) connections are trusted; TCP
//! connections need the password, so ODBC tests go through real password authentication.
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// How long a new server gets to accept connections.
const START_WITHIN: Duration = Duration::from_secs(30);

/// A running private PostgreSQL. See the module documentation.
pub struct Postgres {
    bin: PathBuf,
    dir: TempDir,
    port: u16,
    password: String,
    as_postgres: bool,
}

/// The newest `/usr/lib/postgresql/*/bin` holding `initdb`.
fn bin_dir() -> PathBuf {
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL server binaries in /usr/lib/postgresql (run scripts/install-deps.sh)")
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").is_file().then_some((version, bin))
        })
        .collect();
    found.sort();
    found.pop().expect("no /usr/lib/postgresql/*/bin/initdb").1
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

impl Postgres {
    /// Start a server (retrying on another port if one was taken meanwhile) with an empty
    /// database `lineage`. Panics (failing the test) if it cannot start.
    pub fn start() -> Postgres {
        let mut last = String::new();
        for _ in 0..3 {
            match Self::try_start() {
                Ok(pg) => {
                    pg.create_database("lineage");
                    return pg;
                }
                Err(e) => last = e,
            }
        }
        panic!("could not start PostgreSQL: {last}");
    }

    fn try_start() -> Result<Postgres, String> {
        let dir = tempfile::Builder::new()
            .prefix("lc-pg-")
            .tempdir()
            .map_err(|e| e.to_string())?;
        let as_postgres = is_root();
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let pg = Postgres {
            bin: bin_dir(),
            port: super::free_port(),
            password: format!("pg-secret-{}-{nanos}", std::process::id()),
            as_postgres,
            dir,
        };
        std::fs::write(pg.dir().join("pwfile"), format!("{}\n", pg.password))
            .map_err(|e| e.to_string())?;
        if as_postgres {
            let status = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(pg.dir())
                .status()
                .map_err(|e| e.to_string())?;
            if !status.success() {
                return Err("chown to postgres failed".into());
            }
        }
        pg.initdb()?;
        pg.pg_ctl_start()?;
        Ok(pg)
    }

    fn dir(&self) -> &Path {
        self.dir.path()
    }

    fn data(&self) -> PathBuf {
        self.dir().join("data")
    }

    /// A server binary, run as `postgres` when we are root.
    fn server_cmd(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(path);
            c
        } else {
            Command::new(path)
        }
    }

    fn initdb(&self) -> Result<(), String> {
        let out = self
            .server_cmd("initdb")
            .arg("-D")
            .arg(self.data())
            .args(["-U", "postgres", "-E", "UTF8", "--locale=C"])
            .args(["--auth-local=trust", "--auth-host=scram-sha-256"])
            .arg(format!("--pwfile={}", self.dir().join("pwfile").display()))
            .output()
            .map_err(|e| format!("cannot run initdb: {e}"))?;
        check("initdb", &out)
    }

    fn pg_ctl_start(&self) -> Result<(), String> {
        let options = format!(
            "-p {} -k {} -h 127.0.0.1 -c fsync=off -c synchronous_commit=off \
             -c full_page_writes=off -c max_connections=40 -c jit=off",
            self.port,
            self.dir().display()
        );
        let out = self
            .server_cmd("pg_ctl")
            .arg("start")
            .arg("-D")
            .arg(self.data())
            .arg("-l")
            .arg(self.dir().join("server.log"))
            .args(["-w", "-t", &START_WITHIN.as_secs().to_string()])
            .args(["-o", &options])
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run pg_ctl: {e}"))?;
        check("pg_ctl start", &out).map_err(|e| format!("{e}\n{}", self.log()))?;
        let deadline = Instant::now() + START_WITHIN;
        while Instant::now() < deadline {
            if self
                .psql_output("postgres", &["-c", "SELECT 1"])
                .status
                .success()
            {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Err(format!("no answer within {START_WITHIN:?}: {}", self.log()))
    }

    /// The server's log so far (for failure messages).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir().join("server.log")).unwrap_or_default()
    }

    #[allow(dead_code)] // the tests connect through the connection strings; kept for debugging
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The `postgres` role's password (TCP connections need it).
    pub fn password(&self) -> &str {
        &self.password
    }

    fn psql_output(&self, db: &str, args: &[&str]) -> Output {
        Command::new(self.bin.join("psql"))
            .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-U", "postgres"])
            .arg("-h")
            .arg(self.dir())
            .args(["-p", &self.port.to_string(), "-d", db])
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("run psql")
    }

    /// Run `psql` on database `db` (over the trusted socket); panics on failure; returns
    /// the output.
    pub fn psql(&self, db: &str, args: &[&str]) -> String {
        let out = self.psql_output(db, args);
        check(&format!("psql {args:?}"), &out).unwrap_or_else(|e| panic!("{e}"));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// A `psql` session on database `db` reading SQL from its standard input (piped), for
    /// holding locks or transactions open while a test runs. Kill it to end the session.
    pub fn psql_session(&self, db: &str) -> std::process::Child {
        Command::new(self.bin.join("psql"))
            .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-U", "postgres"])
            .arg("-h")
            .arg(self.dir())
            .args(["-p", &self.port.to_string(), "-d", db])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("run psql")
    }

    /// The command line of a `psql` session on database `db` (over the trusted socket,
    /// stopping at the first error), for a program that pipes statements to it.
    pub fn psql_argv(&self, db: &str) -> Vec<String> {
        let mut argv = vec![self.bin.join("psql").display().to_string()];
        argv.extend(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-U", "postgres"].map(String::from));
        argv.extend(["-h".into(), self.dir().display().to_string()]);
        argv.extend([
            "-p".into(),
            self.port.to_string(),
            "-d".into(),
            db.to_string(),
        ]);
        argv
    }

    /// Run SQL text on database `db` (written to a file and loaded with `psql -f`).
    pub fn load_sql(&self, db: &str, sql: &str) {
        let file = self.dir().join(format!("load-{db}.sql"));
        std::fs::write(&file, sql).expect("write the SQL file");
        self.psql(db, &["-f", &file.display().to_string()]);
    }

    /// Create an empty database.
    pub fn create_database(&self, db: &str) {
        self.psql("postgres", &["-c", &format!("CREATE DATABASE \"{db}\"")]);
    }

    /// The psqlODBC connection string for database `db` with the right password.
    pub fn odbc_connection_string_for(&self, db: &str) -> String {
        format!(
            "Driver={{PostgreSQL Unicode}};Server=127.0.0.1;Port={};Database={db};\
             Uid=postgres;Pwd={};",
            self.port, self.password
        )
    }

    /// The psqlODBC connection string for database `lineage`.
    pub fn odbc_connection_string(&self) -> String {
        self.odbc_connection_string_for("lineage")
    }

    /// Stop the server at once (`pg_ctl stop -m immediate`).
    pub fn stop(&self) {
        let _ = self
            .server_cmd("pg_ctl")
            .arg("stop")
            .arg("-D")
            .arg(self.data())
            .args(["-m", "immediate", "-w", "-t", "10"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        self.stop();
    }
}

fn check(what: &str, out: &Output) -> Result<(), String> {
    if out.status.success() {
        return Ok(());
    }
    Err(format!(
        "{what} failed ({}): {}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    ))
}
