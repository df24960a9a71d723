//! Golden and property tests of the low-level writers: hand-checked bytes of Go's
//! `encoding/json` for strings, integers, floats and times.
use super::*;
use crate::model::Timestamp;
use proptest::prelude::*;

fn s(v: &str) -> String {
    let mut out = Vec::new();
    write_str(&mut out, v);
    String::from_utf8(out).expect("write_str writes UTF-8")
}

fn f(v: f64) -> String {
    let mut out = Vec::new();
    write_f64(&mut out, v).expect("finite");
    String::from_utf8(out).expect("ASCII")
}

fn t(v: Option<Timestamp>) -> String {
    let mut out = Vec::new();
    write_time(&mut out, v).expect("in range");
    String::from_utf8(out).expect("ASCII")
}

/// A timestamp from calendar fields (UTC).
pub(super) fn ts(
    y: i64,
    mo: u32,
    d: u32,
    h: u32,
    mi: u32,
    sec: u32,
    nanos: u32,
) -> Option<Timestamp> {
    Some(Timestamp::from_parts(y, mo, d, h, mi, sec, nanos).expect("valid date"))
}

#[test]
fn strings_escape_like_go() {
    assert_eq!(s(""), r#""""#);
    assert_eq!(s("plain"), r#""plain""#);
    assert_eq!(s(r#"a"b\c"#), r#""a\"b\\c""#);
    assert_eq!(s("\n\r\t\u{8}\u{c}"), r#""\n\r\t\b\f""#);
    assert_eq!(
        s("\u{0}\u{1}\u{b}\u{e}\u{1b}\u{1f}"),
        r#""\u0000\u0001\u000b\u000e\u001b\u001f""#
    );
    assert_eq!(
        s("<a href=x>&amp;</a>"),
        r#""\u003ca href=x\u003e\u0026amp;\u003c/a\u003e""#
    );
    assert_eq!(s("x\u{2028}y\u{2029}z"), r#""x\u2028y\u2029z""#);
    // The neighbours of U+2028/9 (E2 80 A7, E2 80 AA) and other E2 sequences stay raw.
    assert_eq!(
        s("\u{2027}\u{202a}\u{20ac}"),
        "\"\u{2027}\u{202a}\u{20ac}\""
    );
    assert_eq!(s("é日本🦀 \u{7f}'/"), "\"é日本🦀 \u{7f}'/\"");
    assert_eq!(s("SALES.ORDERS/amount"), r#""SALES.ORDERS/amount""#);
}

#[test]
fn integers_in_decimal() {
    let w = |v| {
        let mut out = Vec::new();
        write_i64(&mut out, v);
        String::from_utf8(out).expect("ASCII")
    };
    assert_eq!(w(0), "0");
    assert_eq!(w(7), "7");
    assert_eq!(w(-1), "-1");
    assert_eq!(w(1234567890), "1234567890");
    assert_eq!(w(i64::MAX), "9223372036854775807");
    assert_eq!(w(i64::MIN), "-9223372036854775808");
}

#[test]
fn floats_like_go() {
    let cases: &[(f64, &str)] = &[
        (1.0, "1"),
        (0.95, "0.95"),
        (1e-7, "1e-7"),
        (1e21, "1e+21"),
        (1e20, "100000000000000000000"),
        (0.000001, "0.000001"),
        (1.5e-7, "1.5e-7"),
        (-1.5e-7, "-1.5e-7"),
        (9.99e-7, "9.99e-7"),
        (1e-10, "1e-10"),
        (100.0, "100"),
        (0.1 + 0.2, "0.30000000000000004"),
        (123456789.0, "123456789"),
        (0.0, "0"),
        (-0.0, "-0"),
        (-2.5, "-2.5"),
        (1.2345e25, "1.2345e+25"),
        (999999999999999868928.0, "999999999999999900000"),
        (5e-324, "5e-324"),
        (f64::MAX, "1.7976931348623157e+308"),
    ];
    for (v, want) in cases {
        assert_eq!(f(*v), *want, "{v:?}");
    }
}

#[test]
fn non_finite_floats_are_refused_and_write_nothing() {
    for v in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let mut out = b"x".to_vec();
        assert!(matches!(
            write_f64(&mut out, v),
            Err(EncodeError::NonFiniteFloat(_))
        ));
        assert_eq!(out, b"x");
    }
}

#[test]
fn times_like_go_rfc3339nano() {
    assert_eq!(t(None), r#""0001-01-01T00:00:00Z""#);
    assert_eq!(t(ts(2026, 1, 15, 10, 0, 0, 0)), r#""2026-01-15T10:00:00Z""#);
    assert_eq!(
        t(ts(2026, 1, 15, 10, 0, 0, 250_000_000)),
        r#""2026-01-15T10:00:00.25Z""#
    );
    assert_eq!(
        t(ts(2026, 1, 15, 10, 0, 0, 100_000)),
        r#""2026-01-15T10:00:00.0001Z""#
    );
    assert_eq!(
        t(ts(2024, 2, 29, 23, 59, 59, 1)),
        r#""2024-02-29T23:59:59.000000001Z""#
    );
    assert_eq!(
        t(ts(1999, 12, 31, 1, 2, 3, 123456789)),
        r#""1999-12-31T01:02:03.123456789Z""#
    );
    assert_eq!(
        t(ts(1969, 12, 31, 23, 59, 59, 500_000_000)),
        r#""1969-12-31T23:59:59.5Z""#
    );
    assert_eq!(t(ts(1, 1, 1, 0, 0, 0, 0)), r#""0001-01-01T00:00:00Z""#);
    assert_eq!(t(ts(0, 1, 1, 0, 0, 0, 0)), r#""0000-01-01T00:00:00Z""#);
    assert_eq!(
        t(ts(9999, 12, 31, 23, 59, 59, 0)),
        r#""9999-12-31T23:59:59Z""#
    );
    for y in [-1, 10000] {
        let mut out = Vec::new();
        let r = write_time(&mut out, ts(y, 1, 1, 0, 0, 0, 0));
        assert!(matches!(r, Err(EncodeError::TimeOutOfRange(_))), "{y}");
        assert!(out.is_empty());
    }
}

/// A straightforward, char-by-char statement of Go's escaping, as the oracle.
fn reference_escape(v: &str) -> String {
    let mut out = String::from("\"");
    for c in v.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{0}'..='\u{1f}' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Strings rich in what needs escaping, plus arbitrary Unicode.
pub(super) fn text() -> impl Strategy<Value = String> {
    let special = prop::sample::select(vec![
        '"', '\\', '<', '>', '&', '\u{2028}', '\u{2029}', '\u{2027}', '\u{7f}', 'é', '🦀',
    ]);
    let ch = prop_oneof![
        any::<char>(),
        (0u8..0x20).prop_map(char::from),
        special,
        prop::char::range('a', 'z'),
    ];
    prop::collection::vec(ch, 0..16).prop_map(String::from_iter)
}

/// Finite floats from every part of the range.
pub(super) fn finite() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<u64>().prop_map(f64::from_bits),
        (0u32..1000).prop_map(|n| n as f64 / 100.0),
        (-400i32..400, 1u32..10).prop_map(|(e, m)| m as f64 * 10f64.powi(e)),
    ]
    .prop_filter("finite", |v| v.is_finite())
}

proptest! {
    #[test]
    fn strings_match_the_reference_and_parse_back(v in text()) {
        let out = s(&v);
        prop_assert_eq!(&out, &reference_escape(&v));
        prop_assert_eq!(serde_json::from_str::<String>(&out).ok(), Some(v));
    }

    #[test]
    fn floats_round_trip_shortest_in_go_layout(v in finite()) {
        let out = f(v);
        prop_assert_eq!(out.parse::<f64>().ok(), Some(v));
        let abs = v.abs();
        let exp_form = abs != 0.0 && !(1e-6..1e21).contains(&abs);
        prop_assert_eq!(out.contains('e'), exp_form);
        if let Some((mantissa, exp)) = out.split_once('e') {
            prop_assert!(exp.starts_with('+') || exp.starts_with('-'));
            prop_assert!(!exp[1..].starts_with('0'));
            prop_assert!(!mantissa.ends_with('0') && !mantissa.ends_with('.'));
        } else {
            prop_assert!(!(out.contains('.') && out.ends_with('0')));
        }
        // Shortest: one significant digit fewer, correctly rounded, no longer reads back.
        let mantissa: String = out.split('e').next().unwrap_or("").chars()
            .filter(char::is_ascii_digit).collect();
        let sig = mantissa.trim_start_matches('0').trim_end_matches('0').len();
        if sig > 1 {
            let shorter = format!("{:.*e}", sig - 2, v);
            prop_assert_ne!(shorter.parse::<f64>().ok(), Some(v), "{} also reads back", shorter);
        }
    }

    #[test]
    fn times_round_trip(secs in -62_167_219_200i64..253_402_300_800, nanos in prop_oneof![Just(0u32), 0u32..1_000_000_000]) {
        let t0 = Timestamp { secs, nanos };
        let out = t(Some(t0));
        let inner = out.trim_matches('"');
        prop_assert_eq!(Timestamp::parse(inner), Some(t0));
        prop_assert!(inner.ends_with('Z') && inner.as_bytes()[10] == b'T');
        if let Some((_, frac)) = inner.trim_end_matches('Z').split_once('.') {
            prop_assert!(nanos != 0 && !frac.ends_with('0') && frac.len() <= 9);
        } else {
            prop_assert_eq!(nanos, 0);
        }
    }
}
