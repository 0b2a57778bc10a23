//! The layering ARCHITECTURE.md describes, checked on the source: front ends (`src/sql`,
//! `src/shell`, `src/python`, `src/inline`) only read text into facts; they never reach up into rules, the pipeline,
//! reports, configuration, suppressions, the live check or the hook.

use std::path::{Path, PathBuf};

/// Front-end directories under `src/`.
const FRONT_ENDS: &[&str] = &["sql", "shell", "python", "js", "php", "ruby", "inline"];

/// Top-level modules a front end must not use.
const FORBIDDEN: &[&str] = &[
    "check",
    "config",
    "hook",
    "live",
    "migrations",
    "outcome",
    "report",
    "rules",
    "run",
    "settings",
    "suppress",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable source dir") {
        let path = entry.expect("readable entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The first segment of every `crate::…` path in `code` (also inside `use crate::{a, b}`).
fn crate_modules(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in code.match_indices("crate::") {
        if code[..i]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
        {
            continue;
        }
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for part in group[..end].split(',') {
                let first = part.trim().split("::").next().unwrap_or("");
                out.push(first.to_string());
            }
        } else {
            let first: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            out.push(first);
        }
    }
    out
}

#[test]
fn front_ends_import_no_rules_pipeline_report_or_config() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut violations = Vec::new();
    for fe in FRONT_ENDS {
        let mut files = Vec::new();
        rust_files(&src.join(fe), &mut files);
        assert!(!files.is_empty(), "src/{fe} has no Rust files");
        for f in files {
            let text = std::fs::read_to_string(&f).expect("readable file");
            for (n, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or("");
                if code.contains("super::super::") {
                    violations.push(format!("{}:{}: super::super", f.display(), n + 1));
                }
                for m in crate_modules(code) {
                    if FORBIDDEN.contains(&m.as_str()) {
                        violations.push(format!("{}:{}: crate::{m}", f.display(), n + 1));
                    }
                }
            }
        }
    }
    assert!(
        violations.is_empty(),
        "front ends must only read (see ARCHITECTURE.md):\n{}",
        violations.join("\n")
    );
}

#[test]
fn no_source_file_is_over_700_lines() {
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    let mut long = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("readable file");
        let n = text.lines().count();
        if n > 700 {
            long.push(format!("{}: {n} lines", f.display()));
        }
        assert!(
            text.starts_with("//!"),
            "{} does not start with a `//!` doc comment saying its job",
            f.display()
        );
    }
    assert!(
        long.is_empty(),
        "split these (one job per module):\n{}",
        long.join("\n")
    );
}

#[test]
fn the_import_scanner_sees_every_spelling() {
    assert_eq!(crate_modules("use crate::rules::RULES;"), ["rules"]);
    assert_eq!(
        crate_modules("use crate::{check::x, source::Span};"),
        ["check", "source"]
    );
    assert_eq!(crate_modules("f(crate::run::looks_binary(b))"), ["run"]);
    assert!(crate_modules("use preflight::rules;").is_empty());
    assert!(crate_modules("use mycrate::rules;").is_empty());
}
