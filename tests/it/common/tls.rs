//! A throw-away certificate authority for the TLS tests.
use std::path::PathBuf;
use std::process::Command;

use tempfile::TempDir;

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
