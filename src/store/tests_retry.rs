//! Unit tests of the retry policy: which errors are retried, and what the final error says.
use super::*;

#[test]
fn only_connection_errors_and_timeouts_are_retried() {
    let connect = StoreError::Connect {
        addr: "a".into(),
        message: "refused".into(),
    };
    let timeout = StoreError::Timeout {
        what: "GET".into(),
        secs: 1.0,
    };
    assert!(transient(&connect) && transient(&timeout));
    for e in [
        StoreError::OutOfMemory {
            addr: "a".into(),
            message: "OOM".into(),
        },
        StoreError::Command {
            what: "GET".into(),
            message: "WRONGTYPE".into(),
        },
        StoreError::Auth {
            addr: "a".into(),
            message: "WRONGPASS".into(),
        },
        StoreError::Config("x".into()),
    ] {
        assert!(!transient(&e), "{e:?}");
    }
}

#[test]
fn the_final_error_says_how_long_it_was_retried() {
    let mut a = Attempts {
        what: "GET".into(),
        started: Instant::now(),
        deadline: Instant::now(),
        retries: 0,
    };
    let e = StoreError::Connect {
        addr: "redis://h:1/0".into(),
        message: "refused".into(),
    };
    assert_eq!(gave_up(e.clone(), &a).to_string(), e.to_string());
    a.retries = 4;
    let text = gave_up(e, &a).to_string();
    assert!(
        text.contains("refused (gave up after 4 retries over"),
        "{text}"
    );
    let t = StoreError::Timeout {
        what: "GET at x".into(),
        secs: 1.0,
    };
    assert!(gave_up(t, &a)
        .to_string()
        .contains("GET at x; gave up after 4"));
}
