//! The `warm`, `invalidate`, `inspect` and `stats` scenarios (tests/it/common/scenarios.rs)
//! over TLS: a `rediss://` URL by name and the test CA given with `--tls-ca-file`.
use crate::common;

use common::scenarios::{self, Demo, Target};
use common::{RedisServer, TlsCerts};

fn tls_target(certs: &TlsCerts) -> (RedisServer, Target) {
    let server = RedisServer::start_tls(certs);
    let target = Target::tls(&server, certs);
    (server, target)
}

#[test]
fn warm_over_tls() {
    let (certs, demo) = (TlsCerts::generate(), Demo::create());
    let (_server, t) = tls_target(&certs);
    let (_ref, reference) = scenarios::reference(&demo);
    scenarios::warm(&t, &demo, &reference);
    // The values went through warm's bulk connection, over TLS too.
    scenarios::warm_writes_through_the_bulk_connection(&t, &demo);
}

#[test]
fn invalidate_over_tls() {
    let (certs, demo) = (TlsCerts::generate(), Demo::create());
    let (_server, t) = tls_target(&certs);
    scenarios::invalidate(&t, &demo);
}

#[test]
fn inspect_and_stats_over_tls() {
    let (certs, demo) = (TlsCerts::generate(), Demo::create());
    let (_server, t) = tls_target(&certs);
    let (_ref, reference) = scenarios::reference(&demo);
    scenarios::inspect(&t, &demo, &reference);
    let doc = scenarios::stats(&t, &demo, &reference, true);
    let addr = doc["server"]["address"].as_str().unwrap();
    assert!(addr.starts_with("rediss://localhost:"), "{addr}");
}
