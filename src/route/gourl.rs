//! The parts of Go's `net/url` and of the chi router that decide which string a path
//! parameter holds (contract §1, "Path parameters").
//!
//! Go's `url.URL.setPath(p)` stores the decoded path in `Path` and sets `RawPath = p` only
//! when `p` differs from `escape(Path, encodePath)`, the default escaping of the decoded
//! path. chi routes on `RawPath` whenever it is set and hands the matched segment to the
//! handler as it is; the API's handlers never unescape. So a parameter holds the segment as
//! sent when the request's path is not in Go's default escaping, and the decoded segment
//! otherwise.

/// Whether Go's `shouldEscape(c, encodePath)` escapes this byte.
pub(crate) fn go_path_escapes(c: u8) -> bool {
    !(c.is_ascii_alphanumeric()
        || matches!(
            c,
            b'-' | b'_'
                | b'.'
                | b'~'
                | b'$'
                | b'&'
                | b'+'
                | b','
                | b'/'
                | b':'
                | b';'
                | b'='
                | b'@'
        ))
}

/// Go's `escape(s, encodePath)`: every byte `shouldEscape` names becomes `%XX`, upper-case.
pub(crate) fn go_escape_path(s: &[u8]) -> String {
    let mut out = String::with_capacity(s.len());
    for &c in s {
        if go_path_escapes(c) {
            out.push_str(&format!("%{c:02X}"));
        } else {
            out.push(c as char);
        }
    }
    out
}

/// Go's `unescape(s, encodePath)`: `%XX` becomes the byte, `+` stays `+`; a `%` not followed
/// by two hex digits is an error (the server answers 400).
pub(crate) fn go_unescape_path(s: &str) -> Result<Vec<u8>, String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = b
                .get(i + 1..i + 3)
                .filter(|h| h.iter().all(u8::is_ascii_hexdigit));
            let Some(h) = hex else {
                let end = (i + 3).min(b.len());
                return Err(String::from_utf8_lossy(&b[i..end]).into_owned());
            };
            out.push(hex_val(h[0]) << 4 | hex_val(h[1]));
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Ok(out)
}

fn hex_val(h: u8) -> u8 {
    match h {
        b'0'..=b'9' => h - b'0',
        b'a'..=b'f' => h - b'a' + 10,
        _ => h - b'A' + 10,
    }
}

/// What a browser sends for a path typed with characters a request line cannot carry: the
/// WHATWG path percent-encode set (C0 controls, space, `"`, `<`, `>`, `` ` ``, `{`, `}`, DEL
/// and every non-ASCII byte) becomes `%XX`; everything else, `%` included, is sent as typed.
pub(crate) fn as_sent_by_browser(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for &c in path.as_bytes() {
        let encode = c <= 0x20 || c >= 0x7F || matches!(c, b'"' | b'<' | b'>' | b'`' | b'{' | b'}');
        if encode {
            out.push_str(&format!("%{c:02X}"));
        } else {
            out.push(c as char);
        }
    }
    out
}

/// The path chi routes on, as Go's server leaves it in the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RoutePath {
    /// The string chi matches routes against: the raw path when Go sets `RawPath`, else the
    /// decoded path (as bytes: Go does not check UTF-8).
    pub path: Vec<u8>,
    /// Whether `RawPath` is set, so that every path parameter holds its segment as sent.
    pub raw: bool,
}

/// Apply `setPath` and chi's `routeHTTP` choice to a request path as sent.
pub(crate) fn route_path(sent: &str) -> Result<RoutePath, String> {
    let decoded = go_unescape_path(sent)?;
    if go_escape_path(&decoded) == sent {
        Ok(RoutePath {
            path: decoded,
            raw: false,
        })
    } else {
        Ok(RoutePath {
            path: sent.as_bytes().to_vec(),
            raw: true,
        })
    }
}

/// JavaScript's `encodeURIComponent`, as the UI applies it to every path parameter: all but
/// `A-Z a-z 0-9 - _ . ! ~ * ' ( )` becomes `%XX` of its UTF-8 bytes.
pub fn encode_uri_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &c in s.as_bytes() {
        let keep = c.is_ascii_alphanumeric()
            || matches!(
                c,
                b'-' | b'_' | b'.' | b'!' | b'~' | b'*' | b'\'' | b'(' | b')'
            );
        if keep {
            out.push(c as char);
        } else {
            out.push_str(&format!("%{c:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected values written from Go's rules by hand, not from this module.
    #[test]
    fn set_path_sets_raw_path_only_when_the_default_escaping_differs() {
        let cases = [
            ("/a/b", false),
            ("/a%2Fb", true),        // a slash inside a segment
            ("/a%2fb", true),        // lower-case hex is not Go's escaping
            ("/stra%C3%9Fe", false), // exactly Go's escaping of ß
            ("/stra%c3%9fe", true),
            ("/a%20b", false),
            ("/a+b", false),   // '+' is not escaped in a path
            ("/a%2Bb", true),  // ... so escaping it is not the default
            ("/a%7Cb", false), // '|' is escaped by default
            ("/a%25b", false), // '%' likewise
            ("/a%41", true),   // an escaped letter
            ("/a(b)", true),   // '(' is escaped by default
            ("/a$b", false),
            ("/a%24b", true),
            ("/a%3Fb", false), // '?' is escaped in a path
        ];
        for (sent, raw) in cases {
            assert_eq!(route_path(sent).map(|r| r.raw), Ok(raw), "{sent}");
        }
    }

    #[test]
    fn bad_escapes_are_refused_as_go_refuses_them() {
        for sent in ["/a%", "/a%2", "/a%zz", "/%g0"] {
            assert!(route_path(sent).is_err(), "{sent}");
        }
    }

    #[test]
    fn encode_uri_component_matches_javascript() {
        assert_eq!(
            encode_uri_component("e2ee0f524246c957/demo_user.T"),
            "e2ee0f524246c957%2Fdemo_user.T"
        );
        assert_eq!(encode_uri_component("naïve col"), "na%C3%AFve%20col");
        assert_eq!(encode_uri_component("a(b)!*'~|$"), "a(b)!*'~%7C%24");
    }

    #[test]
    fn a_browser_encodes_spaces_and_non_ascii_only() {
        assert_eq!(as_sent_by_browser("/a b/ß%2F"), "/a%20b/%C3%9F%2F");
        assert_eq!(as_sent_by_browser("/a|b+c"), "/a|b+c");
    }
}
