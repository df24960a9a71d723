//! The store over TLS (`rediss://`) against a private redis-server with a throw-away CA.
//!
//! The CA is trusted through `SSL_CERT_FILE` (read by the system-roots loader), which is
//! set for this whole test binary: keep it the only test in this file.
mod common;

use std::time::Duration;

use common::{RedisServer, TlsCerts};
use lineage_cache::config::{Config, RedisTarget, Teradata, Ttls, Validation};
use lineage_cache::store::{Store, StoreError};

fn tls_config(host: &str, port: u16) -> Config {
    Config {
        redis: RedisTarget {
            tls: true,
            host: host.into(),
            port,
            username: None,
            password: None,
            db: 0,
        },
        ttls: Ttls::default(),
        validation: Validation::default(),
        teradata: Teradata::default(),
        source: None,
        cluster: false,
        timeout: Duration::from_secs(3),
    }
}

#[tokio::test]
async fn connects_over_tls_and_refuses_an_untrusted_or_plain_server() {
    let certs = TlsCerts::generate();
    let server = RedisServer::start_tls(&certs);

    // Not trusted yet: the handshake fails with a connection error, not a panic or a hang.
    std::env::set_var("SSL_CERT_FILE", certs.cert());
    let err = Store::connect(&tls_config("localhost", server.tls_port()))
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Connect { .. } | StoreError::Timeout { .. }),
        "{err:?}"
    );

    std::env::set_var("SSL_CERT_FILE", certs.ca());
    let store = Store::connect(&tls_config("localhost", server.tls_port()))
        .await
        .unwrap();
    assert_eq!(
        store.addr(),
        format!("rediss://localhost:{}/0", server.tls_port())
    );
    store.ping().await.unwrap();
    let items = vec![(b"ol:namespace:list".to_vec(), b"[]".to_vec(), 60)];
    assert!(store.set_ex_many(&items).await.unwrap()[0].is_ok());
    assert_eq!(server.cli(&["GET", "ol:namespace:list"]).trim(), "[]");

    // TLS spoken to the plain port fails within the timeout.
    let err = Store::connect(&tls_config("127.0.0.1", server.port()))
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Connect { .. } | StoreError::Timeout { .. }),
        "{err:?}"
    );
}
