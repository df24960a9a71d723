//! Secrets registered the moment they are read, and redacted from every text shown.
use std::sync::{Mutex, OnceLock};

static SECRETS: OnceLock<Mutex<Vec<String>>> = OnceLock::new();

/// Remember a secret so that [`redact_known_secrets`] hides it everywhere.
pub fn register_secret(secret: &str) {
    if secret.len() < 3 {
        return; // too short to search for without mangling every message; see docs/config.md
    }
    let mut list = SECRETS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    for form in [secret.to_string(), pct_encode(secret)] {
        if !list.contains(&form) {
            list.push(form);
        }
    }
    list.sort_by_key(|s| std::cmp::Reverse(s.len()));
}

fn pct_encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// Replace every registered secret in `text` with `***`.
pub fn redact_known_secrets(text: &str) -> String {
    let Some(list) = SECRETS.get() else {
        return text.to_string();
    };
    let list = list.lock().unwrap_or_else(|p| p.into_inner());
    let mut out = text.to_string();
    for s in list.iter() {
        if out.contains(s.as_str()) {
            out = out.replace(s.as_str(), "***");
        }
    }
    out
}
