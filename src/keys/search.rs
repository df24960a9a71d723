//! Go string functions the API applies to search text: `strings.TrimSpace` and
//! `strings.ToUpper` (character by character, simple case mapping, never expanding).

/// Go's `unicode.IsSpace`: the same set as Unicode's White_Space property.
pub fn is_go_space(c: char) -> bool {
    c.is_whitespace()
}

/// Go's `strings.TrimSpace`.
pub fn trim_space(s: &str) -> &str {
    s.trim_matches(is_go_space)
}

/// Go's `unicode.ToUpper` for one character: the simple uppercase mapping of UnicodeData.
///
/// Rust's `char::to_uppercase` applies the full mapping (SpecialCasing). Where that expands
/// to several characters the simple mapping is the character itself (`ß`, `ﬁ`, `ŉ`, ...),
/// except for the Greek letters with ypogegrammeni, whose simple mapping is the matching
/// titlecase letter with prosgegrammeni.
pub fn to_upper_char(c: char) -> char {
    let mut up = c.to_uppercase();
    let first = up.next().unwrap_or(c);
    if up.next().is_none() {
        return first;
    }
    let cp = c as u32;
    let mapped = match cp {
        0x1F80..=0x1F87 | 0x1F90..=0x1F97 | 0x1FA0..=0x1FA7 => cp + 8,
        0x1FB3 => 0x1FBC,
        0x1FC3 => 0x1FCC,
        0x1FF3 => 0x1FFC,
        _ => cp,
    };
    char::from_u32(mapped).unwrap_or(c)
}

/// Go's `strings.ToUpper`.
pub fn to_upper(s: &str) -> String {
    s.chars().map(to_upper_char).collect()
}

/// The search key's `QUERY`: `q` trimmed of Unicode white space, then upper-cased as Go does.
pub fn search_query(q: &str) -> String {
    to_upper(trim_space(q))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_go_to_upper() {
        assert_eq!(to_upper("straße"), "STRAßE");
        assert_eq!(to_upper("ﬁx"), "ﬁX");
        assert_eq!(to_upper("ǆ"), "Ǆ");
        assert_eq!(to_upper("ǅ"), "Ǆ");
        assert_eq!(to_upper("ŉ"), "ŉ");
        assert_eq!(to_upper("ı"), "I");
        assert_eq!(to_upper("ᾳ"), "ᾼ");
        assert_eq!(to_upper("ᾀ"), "ᾈ");
        assert_eq!(to_upper("ΐ"), "ΐ");
        assert_eq!(to_upper("abc.déf_1"), "ABC.DÉF_1");
    }

    #[test]
    fn trims_unicode_space() {
        assert_eq!(search_query("\u{3000} stra\u{df}e\u{a0}\n"), "STRAßE");
        assert_eq!(search_query("   "), "");
        assert_eq!(search_query("\u{200b}x"), "\u{200b}X"); // zero-width space is not white space
    }
}
