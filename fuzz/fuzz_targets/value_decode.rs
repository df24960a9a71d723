//! The cached-value decoder: never panics on any bytes; what it decodes re-encodes (as Go
//! would) to bytes that decode to the same data.
#![no_main]
use libfuzzer_sys::fuzz_target;
use lineage_cache::json::{check_value, decode_value, GoJson};
use lineage_cache::keys::Kind;

fuzz_target!(|data: &[u8]| {
    let Some((&first, bytes)) = data.split_first() else { return };
    let kind = Kind::ALL[first as usize % Kind::ALL.len()];
    let checked = check_value(kind, bytes);
    if let Ok(decoded) = decode_value(kind, bytes) {
        assert!(checked.is_ok());
        if let Ok(again) = decoded.try_to_json() {
            assert_eq!(decode_value(kind, &again).ok(), Some(decoded));
        }
    }
});
