//! The store over TLS (`rediss://`) against private redis-servers with a throw-away CA.
//!
//! Trust comes from the `--tls-ca-file` setting, never from the environment, so the tests
//! of this binary can run in parallel.
use crate::common;

use std::path::PathBuf;
use std::time::Duration;

use common::{RedisServer, TlsCerts};
use lineage_cache::config::{Config, RedisTarget, RedisTls};
use lineage_cache::exit::ExitCodeOf;
use lineage_cache::store::{Store, StoreError};

fn tls_config(host: &str, port: u16, tls: RedisTls) -> Config {
    Config {
        redis: RedisTarget {
            tls: true,
            host: host.into(),
            port,
            username: None,
            password: None,
            db: 0,
        },
        timeout: Duration::from_secs(3),
        redis_tls: tls,
        ..Config::default()
    }
}

fn with_ca(ca: PathBuf) -> RedisTls {
    RedisTls {
        ca_file: Some(ca),
        ..RedisTls::default()
    }
}

#[tokio::test]
async fn a_ca_file_is_trusted_and_writes_go_through() {
    let certs = TlsCerts::generate();
    let server = RedisServer::start_tls(&certs);
    let config = tls_config("localhost", server.tls_port(), with_ca(certs.ca()));
    let store = Store::connect(&config).await.unwrap();
    assert_eq!(
        store.addr(),
        format!("rediss://localhost:{}/0", server.tls_port())
    );
    let items = vec![(b"ol:namespace:list".to_vec(), b"[]".to_vec(), 60)];
    assert!(store.set_ex_many(&items).await.unwrap()[0].is_ok());
    assert_eq!(server.cli(&["GET", "ol:namespace:list"]).trim(), "[]");
    // By IP: the certificate lists 127.0.0.1 too.
    let by_ip = tls_config("127.0.0.1", server.tls_port(), with_ca(certs.ca()));
    Store::connect(&by_ip).await.unwrap().ping().await.unwrap();
}

#[tokio::test]
async fn an_unknown_ca_is_refused_with_a_clear_error() {
    let certs = TlsCerts::generate();
    let other = TlsCerts::generate();
    let server = RedisServer::start_tls(&certs);
    for tls in [with_ca(other.ca()), RedisTls::default()] {
        let config = tls_config("localhost", server.tls_port(), tls);
        let err = Store::connect(&config).await.unwrap_err();
        assert!(matches!(err, StoreError::Tls { .. }), "{err:?}");
        let text = err.to_string();
        assert!(text.contains("not signed by a trusted CA"), "{text}");
        assert!(text.contains(&server.tls_port().to_string()), "{text}");
        assert_eq!(err.exit_code(), lineage_cache::exit::Code::Connection);
    }
    // TLS spoken to the plain port fails within the timeout.
    let plain = tls_config("127.0.0.1", server.port(), with_ca(certs.ca()));
    let err = Store::connect(&plain).await.unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Connect { .. } | StoreError::Timeout { .. } | StoreError::Tls { .. }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn unusable_tls_files_are_named() {
    let certs = TlsCerts::generate();
    let missing = certs.ca().with_file_name("nope.pem");
    let config = tls_config("localhost", 1, with_ca(missing.clone()));
    let err = Store::connect(&config).await.unwrap_err();
    assert!(matches!(err, StoreError::Config(_)), "{err:?}");
    assert!(
        err.to_string().contains(&missing.display().to_string()),
        "{err}"
    );
    // A key where a certificate belongs.
    let config = tls_config("localhost", 1, with_ca(certs.ca_key()));
    let err = Store::connect(&config).await.unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("--tls-ca-file") && text.contains("ca.key"),
        "{text}"
    );
    assert_eq!(err.exit_code(), lineage_cache::exit::Code::Usage);
}

#[tokio::test]
async fn a_required_client_certificate_is_presented_or_clearly_missing() {
    let certs = TlsCerts::generate();
    let server = RedisServer::start_tls_client_auth(&certs);
    let mut tls = with_ca(certs.ca());
    tls.cert_file = Some(certs.client_cert());
    tls.key_file = Some(certs.client_key());
    let store = Store::connect(&tls_config("localhost", server.tls_port(), tls))
        .await
        .unwrap();
    store.ping().await.unwrap();

    let config = tls_config("localhost", server.tls_port(), with_ca(certs.ca()));
    let err = Store::connect(&config).await.unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, StoreError::Tls { .. }), "{err:?}");
    assert!(text.contains("client certificate"), "{text}");
}

#[tokio::test]
async fn the_server_name_is_checked() {
    let certs = TlsCerts::generate();
    let server = RedisServer::start_tls(&certs);
    // By IP, checking a name the certificate lists: accepted.
    let mut tls = with_ca(certs.ca());
    tls.server_name = Some("cache.lineage.test".into());
    let store = Store::connect(&tls_config("127.0.0.1", server.tls_port(), tls.clone()))
        .await
        .unwrap();
    store.ping().await.unwrap();
    assert_eq!(
        store.addr(),
        format!("rediss://127.0.0.1:{}/0", server.tls_port())
    );
    // A name the certificate does not list: refused, by IP or by that name.
    tls.server_name = Some("other.lineage.test".into());
    let err = Store::connect(&tls_config("127.0.0.1", server.tls_port(), tls))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Tls { .. }), "{err:?}");
    assert!(err.to_string().contains("does not carry the name"), "{err}");
}
