//! What a newcomer trips on, each pinned by a test: the license, Cargo.toml metadata and the
//! minimum Rust version, "did you mean" on the command line, stdin flags without `-`, the
//! unknown-extension message, a `migrations` entry that names nothing, and the live
//! blast-radius doc against the queries the code sends.

mod common;

use common::run_in;
use std::path::Path;
use std::process::Command;

fn me() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn manifest() -> toml::Table {
    std::fs::read_to_string(me().join("Cargo.toml"))
        .expect("Cargo.toml")
        .parse()
        .expect("TOML")
}

#[test]
fn dual_license_files_and_cargo_metadata() {
    let m = manifest();
    let pkg = m["package"].as_table().expect("[package]");
    assert_eq!(pkg["license"].as_str(), Some("MIT OR Apache-2.0"));
    let mit = std::fs::read_to_string(me().join("LICENSE-MIT")).expect("LICENSE-MIT");
    assert!(mit.starts_with("MIT License") && mit.contains("WITHOUT WARRANTY OF ANY KIND"));
    let apache = std::fs::read_to_string(me().join("LICENSE-APACHE")).expect("LICENSE-APACHE");
    assert!(apache.contains("Apache License") && apache.contains("Version 2.0, January 2004"));
    assert!(
        apache.contains("END OF TERMS AND CONDITIONS"),
        "the full license text"
    );
    assert!(pkg["description"].as_str().is_some_and(|d| !d.is_empty()));
    // a repository URL only once one is known: SARIF's helpUri/informationUri derive from it
    if let Some(repo) = pkg.get("repository") {
        assert!(
            repo.as_str().is_some_and(|r| r.starts_with("https://")),
            "{repo}"
        );
    }
    // packaged files include the licenses
    let include: Vec<&str> = pkg["include"]
        .as_array()
        .expect("include")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    for f in ["/LICENSE-MIT", "/LICENSE-APACHE", "/src", "/rules"] {
        assert!(include.contains(&f), "include lists {f}");
    }
}

fn version(s: &str) -> Vec<u64> {
    s.split('.').map(|p| p.parse().unwrap_or(0)).collect()
}

/// `rust-version` is at least every dependency's own `rust-version` (what the resolver
/// enforces on users), and the README says the same. With the toolchain of that version
/// installed (`rustup toolchain install 1.90`), the crate is checked with it too.
#[test]
fn rust_version_covers_the_dependencies() {
    let m = manifest();
    let ours = m["package"]["rust-version"]
        .as_str()
        .expect("rust-version in Cargo.toml");
    let meta = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--locked"])
        .current_dir(me())
        .output()
        .expect("cargo metadata");
    assert!(meta.status.success(), "{}", stderr(&meta));
    let doc: serde_json::Value = serde_json::from_slice(&meta.stdout).expect("metadata JSON");
    // the packages a build of preflight uses (normal and build dependencies)
    let resolve = &doc["resolve"]["nodes"];
    let root = doc["resolve"]["root"].as_str().expect("root");
    let nodes: std::collections::HashMap<&str, &serde_json::Value> = resolve
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| (n["id"].as_str().unwrap_or_default(), n))
        .collect();
    let mut seen = std::collections::HashSet::new();
    let mut stack = vec![root];
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        for dep in nodes[id]["deps"].as_array().into_iter().flatten() {
            let normal = dep["dep_kinds"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|k| k["kind"].is_null() || k["kind"] == "build");
            if normal {
                stack.push(dep["pkg"].as_str().unwrap_or_default());
            }
        }
    }
    let mut newest = (vec![1, 85], "edition 2024".to_string());
    for p in doc["packages"].as_array().expect("packages") {
        let id = p["id"].as_str().unwrap_or_default();
        if id == root || !seen.contains(id) {
            continue;
        }
        if let Some(rv) = p["rust_version"].as_str()
            && version(rv) > newest.0
        {
            newest = (version(rv), format!("{} {}", p["name"], p["version"]));
        }
    }
    assert!(
        version(ours) >= newest.0,
        "rust-version {ours} is older than {:?} required by {}",
        newest.0,
        newest.1
    );
    let readme = std::fs::read_to_string(me().join("README.md")).expect("README");
    assert!(
        readme.contains(&format!("Rust {ours} or newer")),
        "README names the minimum Rust version {ours}"
    );
    let toolchains = Command::new("rustup")
        .args(["toolchain", "list"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    if toolchains
        .lines()
        .any(|l| l.starts_with(&format!("{ours}-")))
    {
        let o = Command::new("cargo")
            .args([&format!("+{ours}"), "check", "--locked", "--bins"])
            .current_dir(me())
            .env(
                "CARGO_TARGET_DIR",
                Path::new(env!("CARGO_TARGET_TMPDIR")).join("msrv"),
            )
            .output()
            .expect("cargo +msrv check");
        assert!(o.status.success(), "cargo +{ours} check:\n{}", stderr(&o));
    } else {
        eprintln!("note: toolchain {ours} not installed; only the dependency bound was checked");
    }
}

#[test]
fn did_you_mean_on_the_command_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("a.sql"), "SELECT 1;\n").expect("write");
    let o = run_in(
        dir.path(),
        &["check", "--select", "drop-tabel", "a.sql"],
        b"",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean `drop-table`?"),
        "{}",
        stderr(&o)
    );
    let o = run_in(
        dir.path(),
        &["check", "--ignore", "shel,trunacte", "a.sql"],
        b"",
    );
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("`shell`") && e.contains("`truncate`"), "{e}");
    let o = run_in(dir.path(), &["explain", "rm-rot-path"], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean `rm-root-path`?"),
        "{}",
        stderr(&o)
    );
    // nothing close: no guess
    let o = run_in(dir.path(), &["explain", "xyzzy-plugh-frobnicate"], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(!stderr(&o).contains("did you mean"), "{}", stderr(&o));
    // valid ids and groups still work
    let o = run_in(
        dir.path(),
        &[
            "check",
            "--select",
            "sql,shell",
            "--ignore",
            "truncate",
            "a.sql",
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn stdin_flags_without_dash_are_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("a.sql"), "SELECT 1;\n").expect("write");
    for args in [
        vec!["check", "--lang", "sql"],
        vec!["check", "--stdin-filename", "x.sql", "a.sql"],
    ] {
        let o = run_in(dir.path(), &args, b"DROP TABLE users;\n");
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains("'-'"), "{args:?}: {}", stderr(&o));
    }
    // with '-' it reads stdin
    let o = run_in(
        dir.path(),
        &["check", "-", "--lang", "sql"],
        b"DROP TABLE users;\n",
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
}

#[test]
fn unknown_extension_says_how_to_check_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("notes.txt"), "DROP TABLE users;\n").expect("write");
    let o = run_in(dir.path(), &["check", "notes.txt"], b"");
    assert_eq!(o.status.code(), Some(2));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("`include`") && out.contains("preflight check - --lang"),
        "{out}"
    );
    assert!(
        !out.contains("pass --lang,"),
        "--lang alone does nothing for a file: {out}"
    );
}

#[test]
fn migrations_entry_that_names_nothing_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::create_dir_all(root.join("services/billing/migrations")).expect("mkdir");
    std::fs::write(
        root.join("services/billing/migrations/0001_x.sql"),
        "SELECT 1;\n",
    )
    .expect("write");
    std::fs::write(
        root.join("preflight.toml"),
        "migrations = [\"missing/dir\"]\n",
    )
    .expect("write");
    let o = run_in(root, &["check", "."], b"");
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("`missing/dir` matches no directory"), "{e}");
    assert!(e.contains("preflight.toml:1:"), "points at the entry: {e}");
    // existing directories and globs that match are fine
    for ok in [
        "[\"services/billing/migrations\"]",
        "[\"services/*/migrations\"]",
        "[\"migrations\"]",
    ] {
        std::fs::write(root.join("preflight.toml"), format!("migrations = {ok}\n")).expect("write");
        let o = run_in(root, &["check", "."], b"");
        assert_eq!(o.status.code(), Some(0), "{ok}: {}", stderr(&o));
    }
}

/// The rule doc describes the queries src/live/db.rs sends for DELETE/UPDATE.
#[test]
fn live_blast_radius_doc_matches_the_queries() {
    let doc = std::fs::read_to_string(me().join("rules/live-blast-radius.md")).expect("doc");
    let code = std::fs::read_to_string(me().join("src/live/db.rs")).expect("db.rs");
    assert!(
        !doc.contains("FILTER"),
        "the code counts with two queries, not FILTER"
    );
    for (in_doc, in_code) in [
        (
            "`SELECT count(*) FROM table`",
            "\"SELECT count(*) FROM {from}\"",
        ),
        (
            "`SELECT count(*) FROM table WHERE (p)`",
            "\"SELECT count(*) FROM {from} WHERE {c}\"",
        ),
        (
            "`WHERE EXISTS (SELECT 1 FROM … WHERE (p))`",
            "\"EXISTS (SELECT 1 FROM {j} WHERE ({p}))\"",
        ),
        (
            "`EXPLAIN (FORMAT JSON) SELECT 1 FROM table WHERE (p)`",
            "\"EXPLAIN (FORMAT JSON) {query}\"",
        ),
    ] {
        assert!(doc.contains(in_doc), "doc: {in_doc}");
        assert!(code.contains(in_code), "code: {in_code}");
    }
}
