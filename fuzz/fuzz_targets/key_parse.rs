//! The key parser: never panics; every key it accepts renders back to itself, and every
//! key the builder accepts parses back to its parameters.
#![no_main]
use libfuzzer_sys::fuzz_target;
use lineage_cache::keys::{parse, Parsed};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match parse(text) {
        Parsed::Key(k) => {
            assert_eq!(k.render(), text);
            assert_eq!(k.build().as_deref(), Ok(text));
        }
        Parsed::Ambiguous { readings, .. } => {
            for k in readings {
                assert_eq!(k.render(), text);
                assert!(k.build().is_err(), "an ambiguous key is never built: {text:?}");
            }
        }
        Parsed::Unknown { .. } => assert!(text.starts_with("ol:")),
        Parsed::Foreign => assert!(!text.starts_with("ol:")),
    }
});
