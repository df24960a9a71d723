//! The API URL mapper: never panics; every key it yields is a valid, unambiguous key.
#![no_main]
use libfuzzer_sys::fuzz_target;
use lineage_cache::config::Validation;
use lineage_cache::keys::{parse, Parsed};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for url in [text.to_string(), format!("/api/v2/openlineage/{text}")] {
        if let Ok(routed) = lineage_cache::route::route(&url, &Validation::default()) {
            for k in routed.keys.into_iter().chain(routed.by_id) {
                let built = k.build().expect("mapped keys are valid");
                assert_eq!(parse(&built), Parsed::Key(k));
            }
        }
    }
});
