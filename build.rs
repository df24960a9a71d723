//! Generates shell completions and the man page from `src/cli/` into `completions/` and
//! `docs/`, which are committed; a test fails when they are stale.
use std::path::Path;

#[path = "src/cli/mod.rs"]
#[allow(dead_code)]
mod cli;

fn main() -> std::io::Result<()> {
    use clap::CommandFactory;
    use clap_complete::Shell;
    println!("cargo:rerun-if-changed=src/cli");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let dir = Path::new(&out).join("generated");
    std::fs::create_dir_all(&dir)?;
    let mut cmd = cli::Cli::command();
    for shell in [
        Shell::Bash,
        Shell::Zsh,
        Shell::Fish,
        Shell::PowerShell,
        Shell::Elvish,
    ] {
        clap_complete::generate_to(shell, &mut cmd, "lineage-cache", &dir)?;
    }
    let mut man = Vec::new();
    clap_mangen::Man::new(cmd).render(&mut man)?;
    std::fs::write(dir.join("lineage-cache.1"), man)?;
    Ok(())
}
