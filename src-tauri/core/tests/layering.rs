//! The core's layering, checked on the source: a module may use modules of its own or a lower
//! layer, never a higher one. Lower layers stay testable and reusable on their own (the coming
//! sync and the shredder build on `store` and `registrations` without dragging the board or the
//! exporters along), and no import cycle can sneak back in.
//!
//! Layers, lowest first (see ARCHITECTURE.md):
//! `store`/`error`/`time`/`input`/`municipalities` → `settings`/`backup` → `people` → `events` →
//! `registrations` → `wishes`/`overview`/`statistics` → `exports`/`imports`/`privacy` →
//! `documents` → `reporting`/`mail` (the PDF engine sits below the two that print with it: the
//! Jahresbericht as PDF, the certificate attached to an e-mail) → `sync` → `team`. Test code (`tests.rs` files and `#[cfg(test)]` modules) may reach
//! up, since it sets up whole scenarios.

use std::path::{Path, PathBuf};

const LAYERS: &[&[&str]] = &[
    &["store", "error", "time", "input", "municipalities", "about"],
    &["settings", "backup"],
    &["people"],
    &["events"],
    &["registrations"],
    &["wishes", "overview", "statistics"],
    &["exports", "imports", "privacy"],
    &["documents"],
    &["reporting", "mail"],
    &["sync"],
    &["team"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// The source without test code and comments: everything from the first `#[cfg(test)]` on is
/// dropped (the project keeps test modules at the end of a file or in `tests.rs`), and so are
/// comment lines (a doc link to a higher module is not a dependency).
fn production_code(text: &str) -> String {
    let code = text.find("#[cfg(test)]").map_or(text, |at| &text[..at]);
    code.lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Top-level modules named after `crate::` in `code`, including `use crate::{a, b::c}`.
fn referenced_modules(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                found.push(name);
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            found.push(name);
        }
    }
    found
}

#[test]
fn no_module_imports_a_higher_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut violations = Vec::new();
    for module in LAYERS.iter().flat_map(|layer| layer.iter()) {
        let own = layer_of(module).unwrap();
        let mut files = Vec::new();
        let dir = src.join(module);
        if dir.is_dir() {
            rust_files(&dir, &mut files);
        } else {
            files.push(src.join(format!("{module}.rs")));
        }
        for file in files {
            if file.file_name().is_some_and(|n| n == "tests.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&file).unwrap();
            for used in referenced_modules(&production_code(&text)) {
                if let Some(layer) = layer_of(&used)
                    && layer > own
                {
                    violations.push(format!(
                        "{} ({module}) uses crate::{used}",
                        file.strip_prefix(&src).unwrap().display()
                    ));
                }
            }
        }
    }
    assert!(
        violations.is_empty(),
        "layering broken:\n{}",
        violations.join("\n")
    );
}

#[test]
fn every_top_level_module_has_a_layer() {
    let lib =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap();
    for line in lib.lines() {
        if let Some(name) = line
            .strip_prefix("pub mod ")
            .or_else(|| line.strip_prefix("mod "))
        {
            let name = name.trim_end_matches(';');
            assert!(
                layer_of(name).is_some(),
                "module {name} has no layer in LAYERS"
            );
        }
    }
}

#[test]
fn the_scanner_sees_grouped_and_plain_paths() {
    let code = "use crate::{events::Event, store};\nlet x = crate::wishes::board::f();";
    assert_eq!(referenced_modules(code), ["events", "store", "wishes"]);
}
