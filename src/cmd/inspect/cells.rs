//! Table cells both views of `inspect` show: a TTL next to its class, durations, access.
use super::row::{Access, Row};

/// `12m3s / 30m`: remaining TTL next to the class TTL.
pub(crate) fn ttl_cell(r: &Row) -> String {
    let left = if r.ttl_ms < 0 {
        "none".to_string()
    } else {
        fmt_secs((r.ttl_ms as u64).div_ceil(1000))
    };
    match r.class_secs {
        Some(c) => format!("{left} / {}", fmt_secs(c)),
        None => left,
    }
}

/// The access figure: an LFU frequency as it is, idle seconds as a duration; `-` for none.
pub(crate) fn access_cell(access: Access) -> String {
    match access {
        Access::Idle(None) | Access::Freq(None) => "-".into(),
        Access::Freq(Some(n)) => n.to_string(),
        Access::Idle(Some(n)) => fmt_secs(n.max(0) as u64),
    }
}

/// `45s`, `12m3s`, `30m`, `2h5m`, `3d4h`.
pub(crate) fn fmt_secs(s: u64) -> String {
    let (d, h, m, sec) = (s / 86400, s / 3600 % 24, s / 60 % 60, s % 60);
    let pair = |a: u64, ua: &str, b: u64, ub: &str| {
        if b == 0 {
            format!("{a}{ua}")
        } else {
            format!("{a}{ua}{b}{ub}")
        }
    };
    if d > 0 {
        pair(d, "d", h, "h")
    } else if h > 0 {
        pair(h, "h", m, "m")
    } else if m > 0 {
        pair(m, "m", sec, "s")
    } else {
        format!("{sec}s")
    }
}
