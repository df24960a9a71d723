//! The keys-file reader: never panics on any line; accepted lines give valid keys.
#![no_main]
use libfuzzer_sys::fuzz_target;
use lineage_cache::config::Validation;
use lineage_cache::select::{parse_file_line, FileItem};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Ok(items) = parse_file_line(line, &Validation::default()) {
            for item in items {
                match item {
                    FileItem::Key(k) => assert!(k.build().is_ok()),
                    FileItem::Column(d, f) => assert!(!d.is_empty() && !f.is_empty()),
                    // The statistics/DDL key of a dataset parameter, before the source
                    // resolves it to the dataset's id: still a key the builder accepts.
                    FileItem::ById(k) => assert!(k.build().is_ok()),
                }
            }
        }
    }
});
