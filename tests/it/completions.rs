//! The committed completions and man page are what `build.rs` generates from `src/cli.rs`.
//! Run with `UPDATE_GENERATED=1` to refresh them.
use std::path::Path;

const FILES: [(&str, &str); 6] = [
    ("lineage-cache.bash", "completions/lineage-cache.bash"),
    ("_lineage-cache", "completions/_lineage-cache"),
    ("lineage-cache.fish", "completions/lineage-cache.fish"),
    ("_lineage-cache.ps1", "completions/_lineage-cache.ps1"),
    ("lineage-cache.elv", "completions/lineage-cache.elv"),
    ("lineage-cache.1", "docs/lineage-cache.1"),
];

#[test]
fn committed_completions_and_man_page_are_fresh() {
    let generated = Path::new(env!("OUT_DIR")).join("generated");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let update = std::env::var_os("UPDATE_GENERATED").is_some();
    let mut stale = Vec::new();
    for (name, committed) in FILES {
        let fresh = std::fs::read(generated.join(name)).expect("build.rs generates every file");
        let path = root.join(committed);
        if std::fs::read(&path).ok().as_deref() != Some(fresh.as_slice()) {
            if update {
                std::fs::write(&path, &fresh).expect("write generated file");
            } else {
                stale.push(committed);
            }
        }
    }
    assert!(
        stale.is_empty(),
        "stale generated files {stale:?}: run `UPDATE_GENERATED=1 cargo test --test it completions::`"
    );
}
