//! ODBC connection strings: `KEY=VALUE;` attributes, a value optionally in braces (`{…}`,
//! with `}}` standing for `}`). Only what the configuration and the source need: find the
//! password attributes (to register them as secrets the moment a string is read), write a
//! copy that is safe to show, and quote values for the Teradata string.

/// Attribute names whose values are secrets (compared case-insensitively).
const SECRET_KEYS: [&str; 2] = ["PWD", "PASSWORD"];

/// One `KEY=VALUE` attribute as written: the key, the value without braces, and the raw
/// text of the value (braces included) as it appears in the string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Attribute<'a> {
    pub key: &'a str,
    pub value: String,
    pub raw_value: &'a str,
}

/// Split a connection string into its attributes. Text that is not `KEY=VALUE` (a stray
/// word between semicolons) is kept as an attribute with an empty key, so redaction never
/// loses it silently.
pub(crate) fn attributes(conn: &str) -> Vec<Attribute<'_>> {
    let mut out = Vec::new();
    let mut rest = conn;
    while !rest.is_empty() {
        let (attr, tail) = split_attribute(rest);
        rest = tail;
        if attr.trim().is_empty() {
            continue;
        }
        let (key, raw_value) = match attr.split_once('=') {
            Some((k, v)) => (k.trim(), v),
            None => ("", attr),
        };
        out.push(Attribute {
            key,
            value: unbrace(raw_value.trim()),
            raw_value,
        });
    }
    out
}

/// The first attribute of `s` (up to an unbraced `;`) and the rest after the `;`.
fn split_attribute(s: &str) -> (&str, &str) {
    let bytes = s.as_bytes();
    let mut in_braces = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' if !in_braces => in_braces = true,
            b'}' if in_braces => {
                if bytes.get(i + 1) == Some(&b'}') {
                    i += 1; // `}}` inside braces is a literal `}`
                } else {
                    in_braces = false;
                }
            }
            b';' if !in_braces => return (&s[..i], &s[i + 1..]),
            _ => {}
        }
        i += 1;
    }
    (s, "")
}

/// A value without its braces (`{a}}b}` is `a}b`); an unbraced value is returned as is.
fn unbrace(v: &str) -> String {
    match v.strip_prefix('{').and_then(|v| v.strip_suffix('}')) {
        Some(inner) => inner.replace("}}", "}"),
        None => v.to_string(),
    }
}

/// A value written so that any text survives: in braces when it holds `;`, `{`, `}` or
/// surrounding blanks.
pub(crate) fn brace(v: &str) -> String {
    let plain = !v.contains([';', '{', '}']) && v.trim() == v;
    if plain {
        v.to_string()
    } else {
        format!("{{{}}}", v.replace('}', "}}"))
    }
}

fn is_secret_key(key: &str) -> bool {
    SECRET_KEYS.iter().any(|k| k.eq_ignore_ascii_case(key))
}

/// The password values of the string (`PWD`, `PASSWORD`), unbraced, and in raw form too.
pub(crate) fn secrets(conn: &str) -> Vec<String> {
    let mut out = Vec::new();
    for a in attributes(conn)
        .into_iter()
        .filter(|a| is_secret_key(a.key))
    {
        for s in [a.value, a.raw_value.trim().to_string()] {
            if !s.is_empty() && !out.contains(&s) {
                out.push(s);
            }
        }
    }
    out
}

/// Register the string's passwords so that every message redacts them.
pub(crate) fn register_secrets(conn: &str) {
    for s in secrets(conn) {
        super::register_secret(&s);
    }
}

/// The string with every password value replaced by `***`: safe to print.
pub(crate) fn redacted(conn: &str) -> String {
    attributes(conn)
        .iter()
        .map(|a| match (a.key, is_secret_key(a.key)) {
            (k, true) => format!("{k}=***"),
            ("", false) => a.raw_value.trim().to_string(),
            (k, false) => format!("{k}={}", a.raw_value.trim()),
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// The value of an attribute (the first one named `key`, case-insensitively).
#[cfg(test)]
pub(crate) fn value_of(conn: &str, key: &str) -> Option<String> {
    attributes(conn)
        .into_iter()
        .find(|a| a.key.eq_ignore_ascii_case(key))
        .map(|a| a.value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_honour_braces() {
        let attrs = attributes("Driver={PostgreSQL Unicode};Server=h; PWD={a;b}}c} ;x");
        let pairs: Vec<(&str, &str)> = attrs.iter().map(|a| (a.key, a.value.as_str())).collect();
        assert_eq!(
            pairs,
            vec![
                ("Driver", "PostgreSQL Unicode"),
                ("Server", "h"),
                ("PWD", "a;b}c"),
                ("", "x")
            ]
        );
    }

    #[test]
    fn secrets_found_in_both_forms() {
        assert_eq!(secrets("UID=u;Pwd=s3cret;"), vec!["s3cret"]);
        assert_eq!(
            secrets("password={p;w}}d}"),
            vec!["p;w}d".to_string(), "{p;w}}d}".to_string()]
        );
        assert!(secrets("Driver=x;Uid=pwd").is_empty());
    }

    #[test]
    fn redacted_hides_every_password() {
        let r = redacted("Driver={PostgreSQL Unicode};Uid=u;PWD={a;b};Password=zz;Port=5");
        assert_eq!(
            r,
            "Driver={PostgreSQL Unicode};Uid=u;PWD=***;Password=***;Port=5"
        );
        assert!(!r.contains("a;b") && !r.contains("zz"));
    }

    #[test]
    fn brace_round_trips() {
        for v in ["plain", "a;b", "{x}", "}}", " pad "] {
            let conn = format!("K={};", brace(v));
            assert_eq!(value_of(&conn, "k").as_deref(), Some(v), "{conn}");
        }
    }
}
