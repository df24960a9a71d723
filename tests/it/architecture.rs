//! The direction of imports (docs/architecture.md): `cmd` → `app` → core → `model`. The core
//! never names the command line, a command, the shared plumbing or the exit codes (its
//! errors say what kind of failure they are; `exit.rs` maps kinds to codes), and no command
//! names another. Read from the source text, so a new `use` that breaks the rule fails here.
use std::path::{Path, PathBuf};

/// The core's top-level modules.
const CORE: [&str; 10] = [
    "answer", "config", "failure", "json", "keys", "model", "route", "select", "source", "store",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every `crate::NAME` a file refers to (code and doc links alike).
fn crate_refs(text: &str) -> Vec<String> {
    let mut refs = Vec::new();
    for (i, _) in text.match_indices("crate::") {
        let rest = &text[i + 7..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
            .collect();
        refs.push(name);
    }
    refs
}

/// (top-level module, second-level module) of a file under `src/`.
fn place(root: &Path, file: &Path) -> (String, Option<String>) {
    let rel = file.strip_prefix(root).unwrap();
    let parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    (parts[0].clone(), parts.get(1).cloned())
}

#[test]
fn the_core_never_imports_the_cli_a_command_the_plumbing_or_exit_codes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let mut broken = Vec::new();
    for file in &files {
        let (top, _) = place(&root, file);
        if !CORE.contains(&top.as_str()) {
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap();
        for r in crate_refs(&text) {
            if ["cli", "cmd", "app"]
                .iter()
                .any(|m| r == *m || r.starts_with(&format!("{m}::")))
            {
                broken.push(format!("{} uses crate::{r}", file.display()));
            }
        }
    }
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn no_command_imports_another() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&root.join("cmd"), &mut files);
    let mut broken = Vec::new();
    for file in &files {
        let (_, own) = place(&root, file);
        let own = own.unwrap_or_default();
        if own == "mod" {
            continue; // the dispatcher names every command
        }
        if own == "convert" {
            continue; // clap types into the core's, shared by every command
        }
        let text = std::fs::read_to_string(file).unwrap();
        for r in crate_refs(&text) {
            if let Some(other) = r.strip_prefix("cmd::") {
                let other = other.split("::").next().unwrap_or("");
                if other != own && other != "convert" {
                    broken.push(format!("{} uses crate::{r}", file.display()));
                }
            }
        }
    }
    assert!(broken.is_empty(), "{broken:#?}");
}

/// Every top-level module and the top-level modules it names.
fn top_level_graph(
    root: &Path,
) -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
    let mut files = Vec::new();
    rust_files(root, &mut files);
    let mut graph = std::collections::BTreeMap::new();
    for file in &files {
        let (top, _) = place(root, file);
        let text = std::fs::read_to_string(file).unwrap();
        let targets: &mut std::collections::BTreeSet<String> =
            graph.entry(top.clone()).or_default();
        for r in crate_refs(&text) {
            let t = r.split("::").next().unwrap_or("").to_string();
            if !t.is_empty() && t != top {
                targets.insert(t);
            }
        }
    }
    graph
}

#[test]
fn no_import_circle_between_top_level_modules() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let graph = top_level_graph(&root);
    // Depth-first search for a path back to where it started.
    fn reaches(
        graph: &std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
        from: &str,
        to: &str,
        seen: &mut std::collections::BTreeSet<String>,
    ) -> bool {
        for next in graph.get(from).into_iter().flatten() {
            if next == to || (seen.insert(next.clone()) && reaches(graph, next, to, seen)) {
                return true;
            }
        }
        false
    }
    let circles: Vec<&String> = graph
        .keys()
        .filter(|m| reaches(&graph, m, m, &mut Default::default()))
        .collect();
    assert!(
        circles.is_empty(),
        "modules on an import circle: {circles:?}\n{graph:#?}"
    );
}

#[test]
fn the_rules_can_fail() {
    // The scanner sees what it must see.
    assert_eq!(
        crate_refs("use crate::cli::Format; x crate::cmd::warm::run"),
        ["cli::Format", "cmd::warm::run"]
    );
}
