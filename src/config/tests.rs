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
