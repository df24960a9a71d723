//! Redis's own glob matching, so a selection decides as the server's `SCAN MATCH` would.

/// Redis's glob matching (`stringmatchlen`): `*`, `?`, `[...]` with ranges and `^`, `\`.
pub fn glob_match(p: &[u8], s: &[u8]) -> bool {
    match p.first() {
        None => s.is_empty(),
        Some(b'*') => {
            let rest = &p[1..];
            if rest.is_empty() {
                return true;
            }
            (0..=s.len()).any(|i| glob_match(rest, &s[i..]))
        }
        Some(b'?') => !s.is_empty() && glob_match(&p[1..], &s[1..]),
        Some(b'[') => match (s.first(), class_end(p)) {
            (Some(&c), Some(end)) => {
                class_matches(&p[1..end], c) && glob_match(&p[end + 1..], &s[1..])
            }
            (Some(&c), None) => class_matches(&p[1..], c) && s.len() == 1,
            (None, _) => false,
        },
        Some(b'\\') if p.len() >= 2 => s.first() == Some(&p[1]) && glob_match(&p[2..], &s[1..]),
        Some(&c) => s.first() == Some(&c) && glob_match(&p[1..], &s[1..]),
    }
}

fn class_end(p: &[u8]) -> Option<usize> {
    let mut i = 1;
    while i < p.len() {
        match p[i] {
            b'\\' => i += 2,
            b']' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

fn class_matches(class: &[u8], c: u8) -> bool {
    let (negate, class) = match class.first() {
        Some(b'^') => (true, &class[1..]),
        _ => (false, class),
    };
    let mut i = 0;
    let mut hit = false;
    while i < class.len() {
        if class[i] == b'\\' && i + 1 < class.len() {
            hit |= class[i + 1] == c;
            i += 2;
        } else if i + 2 < class.len() && class[i + 1] == b'-' {
            let (lo, hi) = (class[i].min(class[i + 2]), class[i].max(class[i + 2]));
            hit |= (lo..=hi).contains(&c);
            i += 3;
        } else {
            hit |= class[i] == c;
            i += 1;
        }
    }
    hit != negate
}
