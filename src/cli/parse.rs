//! Value parsers for clap: a duration, a size, a percentage or a timeout is a typed value
//! from the command line on, never a string parsed later. Each error is one short clause;
//! clap says which flag and which value (`invalid value 'soon' for '--min-ttl <DURATION>':
//! …`). No `crate::` imports: `build.rs` includes this folder.
use std::time::Duration;

/// The largest `--timeout`, in seconds: an hour.
const MAX_TIMEOUT_SECS: f64 = 3600.0;

/// A duration such as `90s`, `10m`, `1h30m` (humantime's syntax).
pub fn duration(s: &str) -> Result<Duration, String> {
    humantime::parse_duration(s.trim())
        .map_err(|e| format!("not a duration like 90s, 10m or 1h ({e})"))
}

/// A [`duration`] longer than zero.
pub fn positive_duration(s: &str) -> Result<Duration, String> {
    match duration(s)? {
        d if d.is_zero() => Err("must be longer than zero".into()),
        d => Ok(d),
    }
}

/// A number of seconds above 0 and at most an hour, fractions allowed (`0.5`).
pub fn timeout(s: &str) -> Result<Duration, String> {
    let secs: f64 = s.trim().parse().map_err(|e| format!("{e}"))?;
    if !(secs.is_finite() && secs > 0.0 && secs <= MAX_TIMEOUT_SECS) {
        return Err(format!(
            "must be a number of seconds above 0 and at most {MAX_TIMEOUT_SECS}"
        ));
    }
    Ok(Duration::from_secs_f64(secs))
}

/// A percentage from 0 to 100.
pub fn percent(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(p) if (0.0..=100.0).contains(&p) => Ok(p),
        _ => Err("must be a percentage from 0 to 100".into()),
    }
}

/// A size in bytes: `512MB`, `1.5GiB`, `100k`, `4096` (decimal units, and binary ones with
/// `i`).
pub fn size(s: &str) -> Result<u64, String> {
    bytes(s).ok_or_else(|| "not a size like 512MB".into())
}

fn bytes(s: &str) -> Option<u64> {
    let t = s.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let v: f64 = num.parse().ok()?;
    let mult: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "k" | "kb" => 1e3,
        "kib" => 1024.0,
        "m" | "mb" => 1e6,
        "mib" => 1024.0 * 1024.0,
        "g" | "gb" => 1e9,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        _ => return None,
    };
    let bytes = v * mult;
    (bytes.is_finite() && bytes >= 0.0).then_some(bytes as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(size("512MB"), Ok(512_000_000));
        assert_eq!(size("1KiB"), Ok(1024));
        assert_eq!(size("4096"), Ok(4096));
        assert!(size("x").is_err());
        assert!(size("5 parsecs").is_err());
    }

    #[test]
    fn durations() {
        assert_eq!(duration("10m").unwrap().as_secs(), 600);
        assert_eq!(duration(" 90s ").unwrap().as_secs(), 90);
        assert!(duration("soon").unwrap_err().contains("90s, 10m or 1h"));
        assert_eq!(duration("0s"), Ok(Duration::ZERO));
        assert!(positive_duration("0s").is_err());
        assert_eq!(positive_duration("5s").unwrap().as_secs(), 5);
    }

    #[test]
    fn timeouts_and_percentages() {
        assert_eq!(timeout("0.5"), Ok(Duration::from_millis(500)));
        assert_eq!(timeout("5"), Ok(Duration::from_secs(5)));
        for bad in ["0", "-1", "nan", "inf", "3601", "abc"] {
            assert!(timeout(bad).is_err(), "{bad}");
        }
        assert_eq!(percent("10"), Ok(10.0));
        for bad in ["120", "-5", "NaN", "x"] {
            assert!(percent(bad).is_err(), "{bad}");
        }
    }
}
