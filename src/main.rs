//! `lineage-cache`: a thin entry point; everything lives in the library.
use std::process::ExitCode;

fn main() -> ExitCode {
    lineage_cache::exit::handle(lineage_cache::run())
}
