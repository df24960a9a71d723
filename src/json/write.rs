//! Low-level writers: Go's `encoding/json` layout of strings, numbers and times.
//!
//! Every function appends to a `Vec<u8>` and allocates nothing beyond its growth.
use super::EncodeError;
use crate::model::Timestamp;
use std::io::Write as _;

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Append `s` as a JSON string exactly as Go's `json.Marshal` writes it (HTML escaping on).
///
/// `"` and `\` are backslash-escaped; `\n \r \t \b \f` use their short forms (Go 1.22+);
/// the other control characters below U+0020 and `<`, `>`, `&` become `\u00xx` with
/// lower-case hex; U+2028 and U+2029 become `\u2028` and `\u2029`; everything else,
/// DEL included, is copied as UTF-8.
pub fn write_str(out: &mut Vec<u8>, s: &str) {
    out.reserve(s.len() + 2);
    out.push(b'"');
    write_str_body(out, s);
    out.push(b'"');
}

/// The escaped characters of `s` without the quotes: `write_str` of a concatenation is
/// the bodies of its parts between one pair of quotes.
pub fn write_str_body(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    if is_plain(s) {
        out.extend_from_slice(bytes);
        return;
    }
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let width = match b {
            0..=0x1f | b'"' | b'\\' | b'<' | b'>' | b'&' => 1,
            // U+2028 is E2 80 A8, U+2029 is E2 80 A9.
            0xe2 if bytes.get(i + 1) == Some(&0x80)
                && matches!(bytes.get(i + 2), Some(0xa8 | 0xa9)) =>
            {
                3
            }
            _ => {
                i += 1;
                continue;
            }
        };
        out.extend_from_slice(&bytes[start..i]);
        if width == 3 {
            out.extend_from_slice(if bytes[i + 2] == 0xa8 {
                b"\\u2028"
            } else {
                b"\\u2029"
            });
        } else {
            write_escape(out, b);
        }
        i += width;
        start = i;
    }
    out.extend_from_slice(&bytes[start..]);
}

/// Whether `s` is its own JSON string body (nothing to escape; a 0xE2 byte, which may
/// start U+2028 or U+2029, counts as something). Most names are: one pass that compiles
/// to vector compares.
pub fn is_plain(s: &str) -> bool {
    let plain = |b: &u8| *b >= 0x20 && !matches!(*b, b'"' | b'\\' | b'<' | b'>' | b'&' | 0xe2);
    s.as_bytes().iter().all(plain)
}

/// The escape of one ASCII byte that `write_str` does not copy.
fn write_escape(out: &mut Vec<u8>, b: u8) {
    let short = match b {
        b'"' => b'"',
        b'\\' => b'\\',
        b'\n' => b'n',
        b'\r' => b'r',
        b'\t' => b't',
        0x08 => b'b',
        0x0c => b'f',
        _ => {
            let (hi, lo) = (HEX[(b >> 4) as usize], HEX[(b & 0xf) as usize]);
            out.extend_from_slice(&[b'\\', b'u', b'0', b'0', hi, lo]);
            return;
        }
    };
    out.extend_from_slice(&[b'\\', short]);
}

/// Append an integer in decimal.
pub fn write_i64(out: &mut Vec<u8>, v: i64) {
    let mut buf = [0u8; 20];
    let mut pos = buf.len();
    let mut n = v.unsigned_abs();
    loop {
        pos -= 1;
        buf[pos] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if v < 0 {
        out.push(b'-');
    }
    out.extend_from_slice(&buf[pos..]);
}

/// Append a `float64` as Go's `encoding/json` writes it: the shortest digits that read back
/// as the same value, plain decimal (`1`, `0.95`, `100000000000000000000`), or exponent form
/// when `0 < |v| < 1e-6` or `|v| >= 1e21`, with a signed, unpadded exponent (`1e-7`,
/// `1.5e-7`, `1e+21`). Negative zero is `-0`.
///
/// NaN and the infinities are refused, as Go refuses them; nothing is written then.
pub fn write_f64(out: &mut Vec<u8>, v: f64) -> Result<(), EncodeError> {
    if !v.is_finite() {
        return Err(EncodeError::NonFiniteFloat(v));
    }
    let abs = v.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        // Rust's `{:e}` gives the shortest digits as `d[.ddd]e[-]x`: Go's layout but for the
        // `+` of a positive exponent (Go pads single-digit exponents to two digits and then
        // strips the pad of negative ones, so only `+` differs).
        let start = out.len();
        let _ = write!(out, "{v:e}");
        if let Some(e) = out[start..].iter().position(|&c| c == b'e') {
            let at = start + e + 1;
            if out.get(at) != Some(&b'-') {
                out.insert(at, b'+');
            }
        }
    } else {
        // Rust's `{}` is the shortest round-trip digits, never in exponent form.
        let _ = write!(out, "{v}");
    }
    Ok(())
}

/// Append a plain `time.Time` member: RFC 3339 in UTC with `Z`, fractional seconds only
/// when non-zero and without trailing zeros (Go's `RFC3339Nano`). `None` (SQL NULL) is Go's
/// zero time, `"0001-01-01T00:00:00Z"`.
///
/// Go refuses years outside 0..=9999; so does this, writing nothing then.
pub fn write_time(out: &mut Vec<u8>, t: Option<Timestamp>) -> Result<(), EncodeError> {
    let Some(t) = t else {
        out.extend_from_slice(b"\"0001-01-01T00:00:00Z\"");
        return Ok(());
    };
    let (y, mo, d, h, mi, s) = t.parts();
    if !(0..=9999).contains(&y) || t.nanos >= 1_000_000_000 {
        return Err(EncodeError::TimeOutOfRange(t));
    }
    let mut buf = *b"\"0000-00-00T00:00:00";
    put_digits(&mut buf[1..5], y as u32);
    put_digits(&mut buf[6..8], mo);
    put_digits(&mut buf[9..11], d);
    put_digits(&mut buf[12..14], h);
    put_digits(&mut buf[15..17], mi);
    put_digits(&mut buf[18..20], s);
    out.extend_from_slice(&buf);
    if t.nanos != 0 {
        let mut frac = *b".000000000";
        put_digits(&mut frac[1..], t.nanos);
        let mut len = frac.len();
        while frac[len - 1] == b'0' {
            len -= 1;
        }
        out.extend_from_slice(&frac[..len]);
    }
    out.extend_from_slice(b"Z\"");
    Ok(())
}

/// Fill `dst` with the low decimal digits of `v`, zero-padded.
fn put_digits(dst: &mut [u8], mut v: u32) {
    for slot in dst.iter_mut().rev() {
        *slot = b'0' + (v % 10) as u8;
        v /= 10;
    }
}

/// Append `true` or `false`.
pub fn write_bool(out: &mut Vec<u8>, v: bool) {
    out.extend_from_slice(if v { b"true" } else { b"false" });
}
