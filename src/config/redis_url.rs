//! A Redis URL, `redis[s]://[user[:password]@]host[:port][/db][?db=N]`, read by the `url`
//! crate (IPv6 hosts in brackets, percent-encoded user and password). Nothing in it is
//! dropped: a query parameter the tool does not know, or a `#fragment`, is an error that
//! names it, and no message ever repeats the password.
use url::{Host, Url};

use super::redis::{parse_db, RedisTarget};
use super::{register_secret, ConfigError, Vars};

/// The form every message about a bad URL shows.
const FORM: &str = "redis://[user[:password]@]host[:port][/db]";

/// A bad Redis URL: why, and the form expected.
fn bad_url(why: &str) -> ConfigError {
    ConfigError::RedisUrl(format!("{why} (expected {FORM})"))
}

/// Read a `redis://` or `rediss://` URL. A user name or password missing from the URL falls
/// back to `REDIS_USERNAME` / `REDIS_PASSWORD` (so a password need not be on the command
/// line), a database missing from it to `REDIS_DB`.
pub fn parse_redis_url(text: &str, vars: &Vars) -> Result<RedisTarget, ConfigError> {
    register_raw_password(text);
    let url = Url::parse(text).map_err(|e| bad_url(&why_unparsed(e)))?;
    let tls = match url.scheme() {
        "redis" => false,
        "rediss" => true,
        _ => return Err(bad_url("the scheme must be redis:// or rediss://")),
    };
    if url.fragment().is_some() {
        return Err(bad_url(
            "a Redis URL has no #fragment (write a # in a password as %23)",
        ));
    }
    let (username, password) = credentials(&url, vars)?;
    Ok(RedisTarget {
        tls,
        host: host(&url)?,
        port: url.port().unwrap_or(6379),
        username,
        password,
        db: db(&url, vars)?,
    })
}

/// Why the `url` crate refused the text, in the words of the other messages. Its errors
/// never repeat the text.
fn why_unparsed(e: url::ParseError) -> String {
    use url::ParseError as E;
    match e {
        E::RelativeUrlWithoutBase => "the scheme must be redis:// or rediss://".into(),
        E::InvalidPort => "the port is not a number from 1 to 65535".into(),
        E::EmptyHost => "no host".into(),
        E::InvalidIpv6Address => "the host is not an IPv6 address in brackets".into(),
        e => format!("not a URL ({e})"),
    }
}

/// Before anything can go wrong: whatever stands where a password would (after the first
/// `:` of the text before the last `@`) is registered as a secret, as written and decoded.
fn register_raw_password(text: &str) {
    let Some((_, rest)) = text.split_once("://") else {
        return;
    };
    let authority = rest.split(['/', '?']).next().unwrap_or("");
    let authority = authority.rsplit_once('@').map_or("", |(info, _)| info);
    if let Some((_, password)) = authority.split_once(':') {
        register_secret(password);
        register_secret(&decode(password).unwrap_or_default());
    }
}

fn decode(s: &str) -> Result<String, std::str::Utf8Error> {
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .map(|c| c.into_owned())
}

/// The host: a name, an IPv4 address, or an IPv6 address without its brackets.
fn host(url: &Url) -> Result<String, ConfigError> {
    match url.host() {
        Some(Host::Ipv6(a)) => Ok(a.to_string()),
        Some(Host::Ipv4(a)) => Ok(a.to_string()),
        Some(Host::Domain(d)) if !d.is_empty() => Ok(d.to_string()),
        _ => Err(bad_url("no host")),
    }
}

/// The user name and password of the URL, percent-decoded (the password registered as a
/// secret); `REDIS_USERNAME` and `REDIS_PASSWORD` fill what is missing.
fn credentials(url: &Url, vars: &Vars) -> Result<(Option<String>, Option<String>), ConfigError> {
    let password = match url.password() {
        Some(p) => {
            let p = decode(p)
                .map_err(|_| bad_url("the password is not valid percent-encoded UTF-8"))?;
            register_secret(&p);
            Some(p).filter(|p| !p.is_empty())
        }
        None => None,
    };
    let username = decode(url.username())
        .map_err(|_| bad_url("the user name is not valid percent-encoded UTF-8"))?;
    let username = Some(username).filter(|u| !u.is_empty());
    Ok((
        username.or_else(|| vars.get("REDIS_USERNAME").map(str::to_string)),
        password.or_else(|| vars.get("REDIS_PASSWORD").map(str::to_string)),
    ))
}

/// The database: the path (`/3`) or the query (`?db=3`), not both at odds; else `REDIS_DB`,
/// else 0. Any other query parameter is an error that names it.
fn db(url: &Url, vars: &Vars) -> Result<i64, ConfigError> {
    let number = |d: &str| {
        parse_db(d, "the Redis URL's database")
            .map_err(|_| bad_url("the database must be a number"))
    };
    let in_path = match url.path().trim_start_matches('/') {
        "" => None,
        d => Some(number(d)?),
    };
    let mut in_query = None;
    for (name, value) in url.query_pairs() {
        match name.as_ref() {
            "db" if in_query.is_none() => in_query = Some(number(&value)?),
            "db" => return Err(bad_url("the query gives db more than once")),
            other => return Err(unknown_parameter(other)),
        }
    }
    match (in_path, in_query) {
        (Some(p), Some(q)) if p != q => Err(bad_url(&format!(
            "the path says database {p} and the query db={q}"
        ))),
        (Some(d), _) | (None, Some(d)) => Ok(d),
        (None, None) => match vars.get("REDIS_DB") {
            Some(d) => parse_db(d, "REDIS_DB"),
            None => Ok(0),
        },
    }
}

/// A query parameter the tool does not know: named when its name is a plain word (a name
/// that is not could be a misplaced secret).
fn unknown_parameter(name: &str) -> ConfigError {
    let plain = !name.is_empty()
        && name.len() <= 30
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    let shown = if plain {
        format!("query parameter {name:?}")
    } else {
        "query parameter".to_string()
    };
    bad_url(&format!("unknown {shown} (only db=N is understood)"))
}
