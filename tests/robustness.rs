//! Hostile input: nothing panics, nothing is skipped silently, the rest of the run goes on.

use std::path::Path;
use std::process::{Command, Output};

fn check_json(paths: &[&Path]) -> (Output, serde_json::Value) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_preflight"));
    cmd.arg("check").args(paths).args(["--format", "json"]);
    let o = cmd.output().expect("binary runs");
    let v = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}); exit {:?}; stderr: {}",
            o.status.code(),
            String::from_utf8_lossy(&o.stderr)
        )
    });
    (o, v)
}

fn rules_of(v: &serde_json::Value, file_suffix: &str) -> Vec<String> {
    v["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["file"].as_str().is_some_and(|f| f.ends_with(file_suffix)))
        .filter_map(|d| d["rule"].as_str().map(String::from))
        .collect()
}

#[test]
fn odd_but_valid_files_are_checked_without_panics() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty.sql", vec![]),
        (
            "only_comments.sql",
            b"-- nothing here\n/* still /* nested */ nothing */\n".to_vec(),
        ),
        (
            "unterminated_quote.sql",
            b"DROP TABLE a;\nSELECT 'never closed;\nDROP TABLE b;".to_vec(),
        ),
        (
            "unterminated_dollar.sql",
            b"DROP TABLE a;\nDO $$ BEGIN DELETE FROM x;".to_vec(),
        ),
        (
            "unterminated_comment.sql",
            b"DROP TABLE a;\n/* open".to_vec(),
        ),
        (
            "deep.sql",
            format!(
                "SELECT {}1{};\nDELETE FROM t WHERE {}1{} = 1;\nDROP TABLE z;",
                "(".repeat(10_000),
                ")".repeat(10_000),
                "(".repeat(10_000),
                ")".repeat(10_000)
            )
            .into_bytes(),
        ),
        ("crlf.sql", b"-- windows\r\nDROP TABLE crlf_t;\r\n".to_vec()),
    ];
    for (name, bytes) in &cases {
        std::fs::write(d.join(name), bytes).expect("write");
    }
    let (o, v) = check_json(&[d]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "stderr: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(v["summary"]["files_checked"], cases.len() as u64);
    assert!(rules_of(&v, "empty.sql").is_empty());
    assert!(rules_of(&v, "only_comments.sql").is_empty());
    // the statement before the broken quote is still found, and the broken one is reported
    let uq = rules_of(&v, "unterminated_quote.sql");
    assert!(
        uq.contains(&"drop-table".to_string()) && uq.contains(&"parse-error".to_string()),
        "{uq:?}"
    );
    assert!(rules_of(&v, "unterminated_dollar.sql").contains(&"drop-table".to_string()));
    assert!(rules_of(&v, "unterminated_comment.sql").contains(&"drop-table".to_string()));
    let deep = rules_of(&v, "deep.sql");
    assert!(deep.contains(&"drop-table".to_string()), "{deep:?}");
    assert!(deep.contains(&"parse-error".to_string()), "{deep:?}");
    assert_eq!(rules_of(&v, "crlf.sql"), vec!["drop-table"]);
}

#[test]
fn invalid_utf8_is_reported_and_the_rest_checked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = dir.path().join("latin1.sql");
    std::fs::write(&f, b"-- caf\xe9\nDROP TABLE t;\n").expect("write");
    let (_, v) = check_json(&[&f]);
    let rules = rules_of(&v, "latin1.sql");
    assert!(rules.contains(&"parse-error".to_string()), "{rules:?}");
    assert!(rules.contains(&"drop-table".to_string()), "{rules:?}");
    let pe = v["diagnostics"]
        .as_array()
        .and_then(|a| a.iter().find(|d| d["rule"] == "parse-error"))
        .expect("parse-error");
    assert!(
        pe["message"]
            .as_str()
            .is_some_and(|m| m.contains("not valid UTF-8"))
    );
}

#[test]
fn binary_file_is_an_error_entry_and_others_continue() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("dump.sql"), b"PGDMP\x00\x01\x02binary").expect("write");
    std::fs::write(dir.path().join("real.sql"), b"TRUNCATE t;\n").expect("write");
    let (o, v) = check_json(&[dir.path()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        v["errors"][0]["file"]
            .as_str()
            .is_some_and(|f| f.ends_with("dump.sql"))
    );
    assert!(
        v["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("binary"))
    );
    assert_eq!(rules_of(&v, "real.sql"), vec!["truncate"]);
}

#[test]
fn unreadable_paths_are_error_entries() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    std::fs::write(d.join("ok.sql"), b"DELETE FROM t;\n").expect("write");
    // a dangling symlink is unreadable for everyone, root included
    std::os::unix::fs::symlink(d.join("missing-target.sql"), d.join("dangling.sql"))
        .expect("symlink");
    // permission bits stop everyone but root
    let locked = d.join("locked.sql");
    std::fs::write(&locked, b"DROP TABLE t;\n").expect("write");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let root_can_read = std::fs::read(&locked).is_ok();

    let (o, v) = check_json(&[d]);
    assert_eq!(o.status.code(), Some(2));
    let errors: Vec<String> = v["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["file"].as_str().map(String::from))
        .collect();
    assert!(
        errors.iter().any(|f| f.ends_with("dangling.sql")),
        "{errors:?}"
    );
    if root_can_read {
        eprintln!(
            "running as root: permission bits do not stop reads, so locked.sql is checked normally"
        );
        assert!(rules_of(&v, "locked.sql").contains(&"drop-table".to_string()));
    } else {
        assert!(
            errors.iter().any(|f| f.ends_with("locked.sql")),
            "{errors:?}"
        );
    }
    assert_eq!(rules_of(&v, "ok.sql"), vec!["delete-without-where"]);
}

#[test]
fn directory_symlink_loop_terminates() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    std::fs::create_dir(d.join("a")).expect("mkdir");
    std::fs::write(d.join("a/x.sql"), b"DROP TABLE t;\n").expect("write");
    std::os::unix::fs::symlink(d, d.join("a/loop")).expect("symlink");
    let (_, v) = check_json(&[d]);
    assert_eq!(v["summary"]["files_checked"], 1);
}

#[test]
fn fifty_megabyte_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = dir.path().join("big.sql");
    let row = "INSERT INTO events (id, payload) VALUES (1, 'some payload text that is fairly long ........');\n";
    let mut text = String::with_capacity(51 * 1024 * 1024);
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(row);
    }
    text.push_str("DROP TABLE events;\n");
    std::fs::write(&f, &text).expect("write");
    let (o, v) = check_json(&[&f]);
    assert_eq!(o.status.code(), Some(1));
    let d = &v["diagnostics"][0];
    assert_eq!(d["rule"], "drop-table");
    assert_eq!(d["line"].as_u64(), Some(text.lines().count() as u64));
}
