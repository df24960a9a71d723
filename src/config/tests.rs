//! Configuration tests: layering, aliases, Redis URLs, TLS settings, `.env` syntax.
use super::*;

fn vars(env: &[(&str, &str)], dot: &[(&str, &str)]) -> Vars {
    let m = |p: &[(&str, &str)]| {
        p.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    Vars::from_maps(m(env), m(dot))
}

fn args() -> Overrides {
    Overrides::default()
}

#[test]
fn environment_beats_dotenv_beats_defaults() {
    let v = vars(
        &[("CACHE_TTL_LINEAGE", "60")],
        &[("CACHE_TTL_LINEAGE", "70"), ("CACHE_TTL_DDL", "80")],
    );
    let c = Config::resolve(&args(), &v).unwrap();
    assert_eq!(c.ttls.lineage, 60);
    assert_eq!(c.ttls.ddl, 80);
    assert_eq!(c.ttls.search, 300);
    assert_eq!(c.redis.display(), "redis://localhost:6379/0");
    assert_eq!(c.teradata.database, "demo_user");
    assert_eq!(c.teradata.port, 1025);
}

#[test]
fn legacy_teradata_aliases_apply_when_unset() {
    let v = vars(
        &[("TD_HOST", "old"), ("TD_DATABASE", "lin")],
        &[("TERADATA_DATABASE", "new")],
    );
    let c = Config::resolve(&args(), &v).unwrap();
    assert_eq!(c.teradata.host.as_deref(), Some("old"));
    assert_eq!(c.teradata.database, "new");
}

#[test]
fn bad_values_name_the_variable() {
    let e = Config::resolve(&args(), &vars(&[("REDIS_DB", "x")], &[])).unwrap_err();
    assert_eq!(
        e.to_string(),
        "REDIS_DB must be a database number from 0, got \"x\""
    );
    assert!(Config::resolve(&args(), &vars(&[("CACHE_TTL_SEARCH", "0")], &[])).is_err());
    assert!(Config::resolve(&args(), &vars(&[("REDIS_ADDR", "h:notaport")], &[])).is_err());
}

#[test]
fn redis_urls() {
    let v = vars(&[("REDIS_PASSWORD", "fromenv")], &[]);
    let t = parse_redis_url("rediss://app:s%40cret@cache.local:6380/3", &v).unwrap();
    assert!(t.tls);
    assert_eq!((t.host.as_str(), t.port, t.db), ("cache.local", 6380, 3));
    assert_eq!(t.username.as_deref(), Some("app"));
    assert_eq!(t.password.as_deref(), Some("s@cret"));
    assert_eq!(t.display(), "rediss://cache.local:6380/3");
    let t = parse_redis_url("redis://127.0.0.1", &v).unwrap();
    assert_eq!(t.password.as_deref(), Some("fromenv"));
    assert_eq!(t.port, 6379);
    assert!(parse_redis_url("http://x", &v).is_err());
    assert!(parse_redis_url("redis://h:99999", &v).is_err());
    assert!(parse_redis_url("redis://h/abc", &v).is_err());
}

#[test]
fn redis_urls_by_the_url_crate() {
    let v = vars(&[("REDIS_DB", "7")], &[]);
    // IPv6 in brackets, a user without a password, REDIS_DB for a URL without a database.
    let t = parse_redis_url("redis://ops@[::1]:6390", &v).unwrap();
    assert_eq!((t.host.as_str(), t.port, t.db), ("::1", 6390, 7));
    assert_eq!(t.username.as_deref(), Some("ops"));
    assert_eq!(t.display(), "redis://[::1]:6390/7");
    // Percent-encoded user and password, an `@` in the password unencoded too.
    let t = parse_redis_url("redis://a%20b:p@ss%3Aw0rd-url@h", &v).unwrap();
    assert_eq!(t.username.as_deref(), Some("a b"));
    assert_eq!(t.password.as_deref(), Some("p@ss:w0rd-url"));
    // The database in the query, or in the path and the query alike.
    assert_eq!(parse_redis_url("redis://h?db=3", &v).unwrap().db, 3);
    assert_eq!(parse_redis_url("redis://h/3?db=3", &v).unwrap().db, 3);
}

#[test]
fn redis_url_errors_name_what_is_wrong_and_never_the_password() {
    let v = vars(&[], &[]);
    let bad = |url: &str| parse_redis_url(url, &v).unwrap_err().to_string();
    assert!(bad("redis://h/2?db=3").contains("database 2 and the query db=3"));
    assert!(bad("redis://h?db=x").contains("the database must be a number"));
    assert!(bad("redis://h?db=1&db=1").contains("more than once"));
    // A query parameter the tool does not know is named, never dropped.
    let e = bad("redis://h:6379/0?protocol=resp3");
    assert!(e.contains("unknown query parameter \"protocol\""), "{e}");
    // A name that is not a plain word may be a misplaced secret: not shown.
    let e = bad("redis://h?s3cr%3Dt-query-name=1");
    assert!(!e.contains("s3cr"), "{e}");
    assert!(bad("rediss://h#insecure").contains("#fragment"));
    assert!(bad("redis://").contains("no host"));
    assert!(bad("redis://[::1").contains("IPv6"));
    assert!(bad("localhost:6379").contains("scheme"));
    // No message repeats the password, whatever went wrong.
    for url in [
        "redis://:Hunter2-url-pw@h:notaport",
        "redis://:Hunter2-url-pw@h?x=1",
        "redis://u:Hunter2-url-pw@h#frag",
    ] {
        let e = bad(url);
        assert!(!e.contains("Hunter2"), "{e}");
        assert!(
            !redact_known_secrets(url).contains("Hunter2"),
            "{url} not registered"
        );
    }
}

#[test]
fn tls_settings_flags_beat_variables_and_need_pairs() {
    let v = vars(
        &[("REDIS_TLS_CA_FILE", "/env/ca.pem")],
        &[("REDIS_TLS_SERVER_NAME", "cache.internal")],
    );
    let c = Config::resolve(&args(), &v).unwrap();
    assert_eq!(c.redis_tls.ca_file, Some(PathBuf::from("/env/ca.pem")));
    assert_eq!(c.redis_tls.server_name.as_deref(), Some("cache.internal"));
    assert!(c.redis.tls, "a TLS setting turns TLS on for REDIS_ADDR");
    let mut a = args();
    a.tls_ca_file = Some(PathBuf::from("/flag/ca.pem"));
    let c = Config::resolve(&a, &v).unwrap();
    assert_eq!(c.redis_tls.ca_file, Some(PathBuf::from("/flag/ca.pem")));

    let e = Config::resolve(&args(), &vars(&[("REDIS_TLS_CERT_FILE", "c.pem")], &[]));
    assert!(e.unwrap_err().to_string().contains("--tls-key-file"));
    let mut a = args();
    a.redis_url = Some("redis://h:1".into());
    let e = Config::resolve(&a, &v).unwrap_err();
    assert!(e.to_string().contains("rediss://"), "{e}");
    let c = Config::resolve(&args(), &vars(&[], &[])).unwrap();
    assert!(!c.redis.tls && !c.redis_tls.is_set());
}

#[test]
fn dotenv_syntax() {
    let got = parse_dotenv("# c\nexport A=1\nB=\"x y\" \nC='q#' \nD=v # note\n\n", "f").unwrap();
    let got: Vec<_> = got.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(got, [("A", "1"), ("B", "x y"), ("C", "q#"), ("D", "v")]);
    let e = parse_dotenv("A=1\nnot a line\n", ".env").unwrap_err();
    assert_eq!(
        e.to_string(),
        ".env:2: cannot read this .env line (expected NAME=VALUE)"
    );
}

#[test]
fn secrets_are_redacted() {
    register_secret("hunter2-pw");
    assert_eq!(
        redact_known_secrets("auth hunter2-pw failed"),
        "auth *** failed"
    );
}
