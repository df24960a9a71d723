//! The direction of imports (docs/architecture.md): `cmd` → `jobs` → `app` → core →
//! `model`. The core never names the command line, a command, a job, the shared plumbing or
//! the exit codes (its errors say what kind of failure they are; `exit.rs` maps kinds to
//! codes); no job names the command line or a command; no command names another; and no
//! two top-level modules, and no two files, import each other (directly or round a
//! circle). Read from the source text, so a new `use` that breaks a rule fails here: code
//! and doc links alike, but for a circle between files, which is one of code (a doc link
//! back is no import).
//!
//! A path is read as Rust resolves it: `crate::a::b`, `super::x` and `self::y` relative to
//! the file's own module, and grouped imports (`use crate::{a::b, c::{d, e}}`) expanded.
//! Test code (`#[cfg(test)]` modules, inline or files) may reach anywhere and is left out.
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The core's top-level modules.
const CORE: [&str; 10] = [
    "answer", "config", "failure", "json", "keys", "model", "route", "select", "source", "store",
];

/// A module path below the crate root: `["jobs", "warm", "exec"]`.
type ModPath = Vec<String>;

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

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every library file under `src/` with its module path (`lib.rs` is the root; `main.rs`,
/// the binary, names the library by its name and is left out), test files too.
fn all_modules(root: &Path) -> BTreeMap<ModPath, PathBuf> {
    let mut files = Vec::new();
    rust_files(root, &mut files);
    let mut out = BTreeMap::new();
    for file in files {
        let rel = file.strip_prefix(root).unwrap();
        let mut parts: ModPath = rel
            .iter()
            .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
            .collect();
        if parts == ["main"] {
            continue;
        }
        if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
            parts.pop();
        }
        out.insert(parts, file);
    }
    out
}

/// The library's files without its test files: those declared `#[cfg(test)] mod NAME;`
/// and everything below them.
fn modules(root: &Path) -> BTreeMap<ModPath, PathBuf> {
    let all = all_modules(root);
    let mut tests: Vec<ModPath> = Vec::new();
    for (module, file) in &all {
        let text = std::fs::read_to_string(file).unwrap();
        for (_, name, inline) in test_modules(&text) {
            if !inline {
                tests.push([module.clone(), vec![name]].concat());
            }
        }
    }
    all.into_iter()
        .filter(|(m, _)| !tests.iter().any(|t| m.starts_with(t)))
        .collect()
}

/// The `#[cfg(test)] mod NAME` declarations of a file: where each starts, its name, and
/// whether its body is inline (`{ … }`) rather than a file of its own.
fn test_modules(text: &str) -> Vec<(usize, String, bool)> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices("#[cfg(test)]") {
        let rest = text[at + 12..].trim_start();
        let Some(rest) = rest.strip_prefix("mod ") else {
            continue;
        };
        let name: String = rest.chars().take_while(|c| is_ident(*c)).collect();
        let inline = rest[name.len()..].trim_start().starts_with('{');
        out.push((at, name, inline));
    }
    out
}

/// A file's text without its inline test modules (from `#[cfg(test)]` to the brace that
/// closes the module, or to the end).
fn without_tests(text: &str) -> String {
    let mut out = String::new();
    let mut from = 0;
    for (at, _, inline) in test_modules(text) {
        if !inline || at < from {
            continue;
        }
        out.push_str(&text[from..at]);
        let open = at + text[at..].find('{').unwrap();
        let mut depth = 0;
        from = text.len();
        for (i, c) in text[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => {}
            }
            if depth == 0 {
                from = open + i + 1;
                break;
            }
        }
    }
    out.push_str(&text[from..]);
    out
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Every path a file in module `module` names through `crate::`, `super::` or `self::`,
/// made absolute (segments below the crate root), groups expanded. A `super` above the
/// crate root is dropped.
fn paths(text: &str, module: &[String]) -> Vec<ModPath> {
    let mut out = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let starts_path = (i == 0
            || !(is_ident(chars[i - 1]) || matches!(chars[i - 1], '$' | ':')))
            && ["crate::", "super::", "self::"]
                .iter()
                .any(|k| chars[i..].starts_with(&k.chars().collect::<Vec<_>>()));
        if !starts_path {
            i += 1;
            continue;
        }
        let (found, end) = parse_path(&chars, i, Some(module));
        out.extend(found);
        i = end.max(i + 1);
    }
    out
}

/// Parse the path starting at `i`: its full forms and where it ends. `base` is the module
/// `super`/`self` are relative to at the start of a path; inside a group the prefix so far
/// is the base and `self` means the prefix itself.
fn parse_path(chars: &[char], mut i: usize, module: Option<&[String]>) -> (Vec<ModPath>, usize) {
    let mut prefix: Option<ModPath> = module.is_none().then(Vec::new);
    let mut first = true;
    loop {
        skip_blank(chars, &mut i);
        if chars.get(i) == Some(&'{') {
            let (items, end) = parse_group(chars, i + 1);
            let base = prefix.unwrap_or_default();
            let full = items
                .into_iter()
                .map(|item| [base.clone(), item].concat())
                .collect();
            return (full, end);
        }
        let start = i;
        while i < chars.len() && is_ident(chars[i]) {
            i += 1;
        }
        let word: String = chars[start..i].iter().collect();
        if word.is_empty() {
            return (prefix.into_iter().collect(), i);
        }
        prefix = match (first, module, word.as_str()) {
            (true, Some(_), "crate") => Some(Vec::new()),
            (true, Some(m), "self") => Some(m.to_vec()),
            (true, Some(m), "super") => m.split_last().map(|(_, up)| up.to_vec()),
            (false, Some(_), "super") => {
                prefix.and_then(|p| p.split_last().map(|(_, up)| up.to_vec()))
            }
            (_, _, "as") => return (prefix.into_iter().collect(), start),
            (_, None, "self") if first => Some(Vec::new()),
            _ => prefix.map(|mut p| {
                p.push(word);
                p
            }),
        };
        first = false;
        if chars[i..].starts_with(&[':', ':']) {
            i += 2;
        } else {
            return (prefix.into_iter().collect(), i);
        }
    }
}

/// The items of a group up to its closing brace, each relative to the group's prefix
/// (`self` is the prefix itself, the empty path), and where the group ends.
fn parse_group(chars: &[char], mut i: usize) -> (Vec<ModPath>, usize) {
    let mut items = Vec::new();
    loop {
        skip_blank(chars, &mut i);
        match chars.get(i) {
            None => return (items, i),
            Some('}') => return (items, i + 1),
            Some(',') => i += 1,
            Some('*') => {
                items.push(Vec::new());
                i += 1;
            }
            Some(_) => {
                let (found, end) = parse_path(chars, i, None);
                items.extend(found);
                i = end.max(i + 1);
                // `x as y`: skip the alias.
                skip_blank(chars, &mut i);
                if chars[i..].starts_with(&['a', 's'])
                    && !chars.get(i + 2).is_some_and(|c| is_ident(*c))
                {
                    i += 2;
                    skip_blank(chars, &mut i);
                    while i < chars.len() && is_ident(chars[i]) {
                        i += 1;
                    }
                }
            }
        }
    }
}

fn skip_blank(chars: &[char], i: &mut usize) {
    while *i < chars.len() && chars[*i].is_whitespace() {
        *i += 1;
    }
}

/// A file's code: its text without comment lines (doc comments included).
fn code(text: &str) -> String {
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every file with the absolute paths it names, in its code only or in its doc comments
/// too.
fn references(root: &Path, docs: bool) -> Vec<(ModPath, PathBuf, Vec<ModPath>)> {
    modules(root)
        .into_iter()
        .map(|(module, file)| {
            let text = without_tests(&std::fs::read_to_string(&file).unwrap());
            let text = if docs { text } else { code(&text) };
            let found = paths(&text, &module);
            (module, file, found)
        })
        .collect()
}

/// The module a path lands in: its longest prefix that is a file of the crate.
fn file_of<'a>(modules: &'a BTreeMap<ModPath, PathBuf>, path: &[String]) -> &'a [String] {
    (0..=path.len())
        .rev()
        .find_map(|n| modules.get_key_value(&path[..n]).map(|(k, _)| k.as_slice()))
        .unwrap_or(&[])
}

fn names(path: &[String], module: &str) -> bool {
    path.first().is_some_and(|t| t == module)
}

/// Files of the `tops` modules that name one of `forbidden`.
fn naming(tops: &[&str], forbidden: &[&str]) -> Vec<String> {
    let mut broken = Vec::new();
    for (module, file, found) in references(&src(), true) {
        if !module.first().is_some_and(|t| tops.contains(&t.as_str())) {
            continue;
        }
        for p in found {
            if forbidden.iter().any(|m| names(&p, m)) {
                broken.push(format!("{} names crate::{}", file.display(), p.join("::")));
            }
        }
    }
    broken
}

#[test]
fn the_core_never_imports_the_cli_a_command_a_job_the_plumbing_or_exit_codes() {
    let broken = naming(&CORE, &["cli", "cmd", "jobs", "app", "exit"]);
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn no_job_imports_the_cli_or_a_command() {
    let broken = naming(&["jobs"], &["cli", "cmd"]);
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn no_command_imports_another() {
    let mut broken = Vec::new();
    for (module, file, found) in references(&src(), true) {
        let [top, own, ..] = module.as_slice() else {
            continue; // cmd/mod.rs, the dispatcher, names every command
        };
        if top != "cmd" || own == "convert" {
            continue; // convert: clap types into the core's, shared by every command
        }
        for p in found {
            if let [cmd, other, ..] = p.as_slice() {
                if cmd == "cmd" && other != own && other != "convert" {
                    broken.push(format!("{} names crate::{}", file.display(), p.join("::")));
                }
            }
        }
    }
    assert!(broken.is_empty(), "{broken:#?}");
}

/// Every top-level module and the top-level modules it names (in code and doc links).
fn top_level_graph(root: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, _, found) in references(root, true) {
        let Some(top) = module.first() else {
            continue; // lib.rs names every module
        };
        let targets = graph.entry(top.clone()).or_default();
        for p in found {
            match p.first() {
                Some(t) if t != top => targets.insert(t.clone()),
                _ => false,
            };
        }
    }
    graph
}

/// The nodes of `graph` that lie on a circle.
fn on_a_circle(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    fn reaches(
        graph: &BTreeMap<String, BTreeSet<String>>,
        from: &str,
        to: &str,
        seen: &mut BTreeSet<String>,
    ) -> bool {
        for next in graph.get(from).into_iter().flatten() {
            if next == to || (seen.insert(next.clone()) && reaches(graph, next, to, seen)) {
                return true;
            }
        }
        false
    }
    graph
        .keys()
        .filter(|m| reaches(graph, m, m, &mut BTreeSet::new()))
        .cloned()
        .collect()
}

#[test]
fn no_import_circle_between_top_level_modules() {
    let top = top_level_graph(&src());
    let circles = on_a_circle(&top);
    assert!(
        circles.is_empty(),
        "modules on an import circle: {circles:?}\n{top:#?}"
    );
}

/// Every file and the files it names, but for its own folder's `mod.rs` and the files
/// below it (a folder and its children are one room: a child naming its parent, or the
/// parent a child, is no edge).
fn file_graph(root: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let modules = modules(root);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, _, found) in references(root, false) {
        let targets = graph.entry(module.join("::")).or_default();
        for p in found {
            let target = file_of(&modules, &p);
            if !(module.starts_with(target) || target.starts_with(&module)) {
                targets.insert(target.join("::"));
            }
        }
    }
    graph
}

/// Folders whose files still import each other, left to the branch that works there.
const CIRCLES_LEFT_IN: [&str; 1] = ["jobs::sync"];

#[test]
fn no_import_circle_between_files() {
    let graph = file_graph(&src());
    let circles: Vec<String> = on_a_circle(&graph)
        .into_iter()
        .filter(|f| {
            !CIRCLES_LEFT_IN
                .iter()
                .any(|d| f.starts_with(&format!("{d}::")))
        })
        .map(|f| format!("{f} names {:?}", graph[&f]))
        .collect();
    assert!(
        circles.is_empty(),
        "files on an import circle: {circles:#?}"
    );
}

#[test]
fn the_rules_can_fail() {
    let m = |s: &str| -> ModPath { s.split("::").map(String::from).collect() };
    let found = |text: &str, module: &str| -> Vec<String> {
        paths(text, &m(module))
            .iter()
            .map(|p| p.join("::"))
            .collect()
    };
    // Plain and doc-link paths.
    assert_eq!(
        found(
            "use crate::cli::Format; x crate::cmd::warm::run",
            "jobs::warm"
        ),
        ["cli::Format", "cmd::warm::run"]
    );
    // Grouped imports, nested, with `self`, globs and aliases.
    assert_eq!(
        found(
            "use crate::{cli::{self, Format as F}, cmd::{warm, *},\n    jobs::Outcome};",
            "app"
        ),
        ["cli", "cli::Format", "cmd::warm", "cmd", "jobs::Outcome"]
    );
    // `super::` and `self::` from a file and from a folder's mod.rs.
    assert_eq!(
        found(
            "use super::writer::Writer; use super::super::cli::X;",
            "jobs::warm::exec"
        ),
        ["jobs::warm::writer::Writer", "jobs::cli::X"]
    );
    assert_eq!(
        found(
            "use super::{Run, plan::Plan}; self::exec::go()",
            "jobs::warm"
        ),
        ["jobs::Run", "jobs::plan::Plan", "jobs::warm::exec::go"]
    );
    // Not paths of this crate.
    assert!(found("lineage_cache::cli::X; $crate::y; a::super::b", "jobs").is_empty());
    // A circle between two files is found, and so is one between two folders.
    let graph: BTreeMap<String, BTreeSet<String>> = [
        ("exec".to_string(), BTreeSet::from(["writer".to_string()])),
        ("writer".to_string(), BTreeSet::from(["exec".to_string()])),
        ("plan".to_string(), BTreeSet::new()),
    ]
    .into();
    assert_eq!(on_a_circle(&graph), ["exec", "writer"]);
    // Test modules are left out, inline or not.
    let text = "use crate::a;\n#[cfg(test)]\nmod tests {\n    fn f() { crate::cli::x() }\n}\nuse crate::b;\n#[cfg(test)]\nmod tests_more;\n";
    assert_eq!(
        without_tests(text),
        "use crate::a;\n\nuse crate::b;\n#[cfg(test)]\nmod tests_more;\n"
    );
    assert_eq!(test_modules(text)[1].1, "tests_more");
}
