//! Redis glob patterns built from values, and `DATASET/FIELD` arguments.
use super::PREFIX;

/// Escape Redis glob metacharacters (`* ? [ ] \`) in a literal value.
pub fn glob_escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Whether every key a Redis glob can match starts with `ol:`: the pattern's literal
/// beginning (before any metacharacter) must start with the prefix.
pub fn glob_within_prefix(pattern: &str) -> bool {
    let mut literal = String::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '*' | '?' | '[' => break,
            '\\' => match chars.next() {
                Some(n) => literal.push(n),
                None => break,
            },
            _ => literal.push(c),
        }
        if literal.len() >= PREFIX.len() {
            break;
        }
    }
    literal.starts_with(PREFIX)
}

/// Split `DATASET/FIELD` at the last `/` (dataset ids contain `/`, field names rarely do).
pub fn split_column(s: &str) -> Option<(&str, &str)> {
    let (d, f) = s.rsplit_once('/')?;
    (!d.is_empty() && !f.is_empty()).then_some((d, f))
}
