//! Keys files: one key, API URL or `DATASET/FIELD` per line.
use std::io::BufRead;

use super::FileItem;
use crate::config::Validation;
use crate::failure::bad_input as usage;
use crate::keys::{parse, split_column, Parsed, PREFIX};

/// Read a keys file (`-` for stdin): one key, API URL or DATASET/FIELD per line; `#`
/// comments and blank lines are skipped. Every bad line is reported with its number.
pub fn read_keys_file(
    path: &std::path::Path,
    validation: &Validation,
) -> anyhow::Result<Vec<FileItem>> {
    let reader: Box<dyn BufRead> = if path.as_os_str() == "-" {
        Box::new(std::io::BufReader::new(std::io::stdin()))
    } else {
        let f = std::fs::File::open(path)
            .map_err(|e| usage(format!("cannot read keys file {}: {e}", path.display())))?;
        Box::new(std::io::BufReader::new(f))
    };
    let mut items = Vec::new();
    let mut bad = Vec::new();
    for (n, line) in reader.lines().enumerate() {
        let line =
            line.map_err(|e| usage(format!("cannot read keys file {}: {e}", path.display())))?;
        let text = line.trim();
        if text.is_empty() || text.starts_with('#') {
            continue;
        }
        match parse_file_line(text, validation) {
            Ok(mut v) => items.append(&mut v),
            Err(e) => bad.push(format!("line {}: {e}", n + 1)),
        }
    }
    if !bad.is_empty() {
        let shown = bad.len().min(5);
        let more = if bad.len() > shown {
            format!(" (and {} more)", bad.len() - shown)
        } else {
            String::new()
        };
        return Err(usage(format!(
            "keys file {}: {}{more}; nothing was done",
            path.display(),
            bad[..shown].join("; ")
        )));
    }
    Ok(items)
}

/// One non-blank, non-comment line of a keys file.
pub fn parse_file_line(text: &str, validation: &Validation) -> Result<Vec<FileItem>, String> {
    if text.starts_with(PREFIX) {
        return match parse(text) {
            Parsed::Key(k) => Ok(vec![FileItem::Key(k)]),
            Parsed::Ambiguous { .. } => {
                Err(format!("{text:?} is ambiguous (a parameter contains '|')"))
            }
            Parsed::Unknown { reason } => Err(format!("{text:?} is no key of the API: {reason}")),
            Parsed::Foreign => Err(format!("{text:?} is outside the {PREFIX} prefix")),
        };
    }
    if text.starts_with('/') || text.contains("://") {
        let routed = crate::route::route(text, validation).map_err(|e| e.to_string())?;
        let keys = routed.keys.into_iter().map(FileItem::Key);
        return Ok(keys.chain(routed.by_id.map(FileItem::ById)).collect());
    }
    match split_column(text) {
        Some((d, f)) => Ok(vec![FileItem::Column(d.into(), f.into())]),
        None => Err(format!(
            "{text:?} is neither a key, an API URL nor DATASET/FIELD"
        )),
    }
}
