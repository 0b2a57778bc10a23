//! `preflight hook` decisions for recorded Claude Code PreToolUse payloads (`tests/hook/`).
//!
//! File names say what must happen:
//! - `allow--<what>.json`: exit 0, no output;
//! - `deny--<rule>--<what>.json`: exit 2, the reason on stderr names `<rule>`;
//! - `deny-shell--<rule>--<what>.json`: the same, through the shell front end's rules
//!   (`rm-parent-path`, `terraform-destroy`, SQL inside `psql -c`/heredocs), including the
//!   seed commands;
//! - `malformed--<what>.json`: exit 2 (fail closed) with a message.

mod common;

use common::run_in;
use std::path::{Path, PathBuf};
use std::process::Output;

fn hook(args: &[&str], input: &[u8]) -> Output {
    let args = [&["hook", "--no-config"], args].concat();
    run_in(Path::new(env!("CARGO_MANIFEST_DIR")), &args, input)
}

fn payloads(prefix: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hook");
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("tests/hook exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&format!("{prefix}--")) && n.ends_with(".json"))
        })
        .collect();
    v.sort();
    v
}

fn name(p: &Path) -> String {
    p.file_stem()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_string()
}

fn check_denials(prefix: &str) {
    let files = payloads(prefix);
    assert!(!files.is_empty());
    let mut failures = Vec::new();
    for f in files {
        let n = name(&f);
        let rule = n.split("--").nth(1).unwrap_or_default().to_string();
        let o = hook(&[], &std::fs::read(&f).expect("readable"));
        let err = String::from_utf8_lossy(&o.stderr);
        if o.status.code() != Some(2) || !err.contains(&format!("[{rule}]")) {
            failures.push(format!(
                "{n}: expected a block naming {rule}, got exit {:?}\nstderr: {err}",
                o.status.code()
            ));
        } else if !o.stdout.is_empty() {
            failures.push(format!("{n}: text mode printed to stdout"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn harmless_calls_pass_silently() {
    let files = payloads("allow");
    assert!(files.len() >= 10, "at least ten harmless payloads");
    let mut failures = Vec::new();
    for f in files {
        let o = hook(&[], &std::fs::read(&f).expect("readable"));
        if o.status.code() != Some(0) || !o.stdout.is_empty() || !o.stderr.is_empty() {
            failures.push(format!(
                "{}: exit {:?}\nstdout: {}\nstderr: {}",
                name(&f),
                o.status.code(),
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn destructive_sql_writes_are_blocked() {
    check_denials("deny");
}

#[test]
fn destructive_commands_are_blocked() {
    check_denials("deny-shell");
}

#[test]
fn the_reason_names_rule_snippet_and_alternative() {
    let f = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/hook/deny--drop-table--write-migration.json");
    let o = hook(&[], &std::fs::read(f).expect("readable"));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2));
    assert!(err.contains("/home/dev/app/migrations/0042.sql"), "{err}");
    assert!(err.contains("error[drop-table]"), "{err}");
    assert!(err.contains("> line 1: DROP TABLE users"), "{err}");
    assert!(err.contains("instead: rename it"), "{err}");
    assert!(err.lines().count() <= 8, "short: {err}");
}

#[test]
fn malformed_input_fails_closed() {
    let files = payloads("malformed");
    assert!(files.len() >= 3);
    for f in files {
        for args in [&[][..], &["--format", "json"][..]] {
            let o = hook(args, &std::fs::read(&f).expect("readable"));
            let err = String::from_utf8_lossy(&o.stderr);
            assert_eq!(o.status.code(), Some(2), "{}: {err}", name(&f));
            assert!(err.starts_with("preflight hook: "), "{}: {err}", name(&f));
        }
    }
    let o = hook(&[], b"");
    assert_eq!(o.status.code(), Some(2), "empty stdin blocks");
}

#[test]
fn json_format_prints_a_permission_decision() {
    let f = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hook/deny--truncate--edit-sql.json");
    let o = hook(&["--format", "json"], &std::fs::read(f).expect("readable"));
    assert_eq!(o.status.code(), Some(0), "JSON answers are read on exit 0");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON on stdout");
    let out = &v["hookSpecificOutput"];
    assert_eq!(out["hookEventName"], "PreToolUse");
    assert_eq!(out["permissionDecision"], "deny");
    assert!(
        out["permissionDecisionReason"]
            .as_str()
            .is_some_and(|r| r.contains("[truncate]")),
        "{v}"
    );
    // allowed: nothing at all
    let ok = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hook/allow--ls.json");
    let o = hook(&["--format", "json"], &std::fs::read(ok).expect("readable"));
    assert_eq!(o.status.code(), Some(0));
    assert!(o.stdout.is_empty());
}

#[test]
fn fail_on_controls_what_blocks() {
    let f = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/hook/deny--delete-null-predicate--write.json");
    let input = std::fs::read(f).expect("readable");
    assert_eq!(
        hook(&[], &input).status.code(),
        Some(2),
        "warnings block by default"
    );
    assert_eq!(hook(&["--fail-on", "error"], &input).status.code(), Some(0));
    let drop = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/hook/deny--drop-table--write-migration.json"),
    )
    .expect("readable");
    assert_eq!(hook(&["--fail-on", "never"], &drop).status.code(), Some(0));
}

#[test]
fn the_config_applies_to_the_hook() {
    let t = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        t.path().join("preflight.toml"),
        "exclude = [\"vendor\"]\n[rules]\ntruncate = \"off\"\n",
    )
    .expect("write");
    let run = |payload: &str| {
        run_in(t.path(), &["hook"], payload.as_bytes())
            .status
            .code()
    };
    let write = |path: &str, sql: &str| {
        serde_json::json!({"tool_name": "Write", "tool_input": {"file_path": path, "content": sql}})
            .to_string()
    };
    assert_eq!(
        run(&write("vendor/x.sql", "DROP TABLE t;")),
        Some(0),
        "excluded"
    );
    assert_eq!(run(&write("db/x.sql", "TRUNCATE t;")), Some(0), "rule off");
    assert_eq!(run(&write("db/x.sql", "DROP TABLE t;")), Some(2));
    std::fs::write(
        t.path().join("preflight.toml"),
        "[rules]\nno-such = \"off\"\n",
    )
    .expect("write");
    assert_eq!(
        run(&write("db/x.sql", "SELECT 1;")),
        Some(2),
        "a broken config blocks"
    );
}

/// Issue 13, item 5: a file the command runs is read from the payload's `cwd` and checked.
fn bash_in(cwd: &Path, command: &str) -> Output {
    let payload = serde_json::json!({
        "tool_name": "Bash",
        "tool_input": {"command": command},
        "cwd": cwd,
    });
    hook(&[], payload.to_string().as_bytes())
}

fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(dir.path().join(".git")).expect("mkdir");
    std::fs::create_dir_all(dir.path().join("migrations")).expect("mkdir");
    std::fs::write(dir.path().join("migrations/001.sql"), "DROP TABLE users;\n").expect("write");
    std::fs::write(
        dir.path().join("migrations/002.sql"),
        "CREATE TABLE audit (id bigint PRIMARY KEY);\n",
    )
    .expect("write");
    std::fs::write(dir.path().join("wipe.sh"), "#!/bin/sh\nrm -rf \"$HOME\"\n").expect("write");
    std::fs::write(dir.path().join("build.sh"), "#!/bin/sh\nrm -rf ./dist\n").expect("write");
    dir
}

#[test]
fn files_a_command_runs_are_checked_in_the_payload_cwd() {
    let d = repo();
    let blocked = |cmd: &str, rule: &str, file: &str| {
        let o = bash_in(d.path(), cmd);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{cmd}: {err}");
        assert!(err.contains(&format!("[{rule}]")), "{cmd}: {err}");
        assert!(err.contains(file), "{cmd} names the file: {err}");
    };
    blocked(
        "psql \"$DATABASE_URL\" -f migrations/001.sql",
        "drop-table",
        "migrations/001.sql, line 1",
    );
    blocked("psql --file=migrations/001.sql", "drop-table", "001.sql");
    blocked("psql app < migrations/001.sql", "drop-table", "001.sql");
    blocked("mysql app < migrations/001.sql", "drop-table", "001.sql");
    blocked(
        "sqlite3 app.db \".read migrations/001.sql\"",
        "drop-table",
        "001.sql",
    );
    blocked("bash wipe.sh", "rm-root-path", "wipe.sh, line 2");
    blocked(". ./wipe.sh", "rm-root-path", "wipe.sh");
    blocked("source wipe.sh", "rm-root-path", "wipe.sh");
    blocked(
        "psql -f migrations/404.sql",
        "unchecked-file",
        "migrations/404.sql",
    );
    blocked("bash missing.sh", "unchecked-file", "missing.sh");
    blocked(
        "cat > migrations/003.sql <<'EOF'\nDROP TABLE users;\nEOF",
        "drop-table",
        "migrations/003.sql",
    );
    blocked(
        "tee cleanup.sh <<'EOF'\nrm -rf ~\nEOF",
        "rm-root-path",
        "cleanup.sh",
    );
    for ok in [
        "psql \"$DATABASE_URL\" -f migrations/002.sql",
        "psql < migrations/002.sql",
        "bash build.sh",
        "bash -c 'echo hi'",
        "cat > notes.sql <<'EOF'\nSELECT 1;\nEOF",
        "cat > README.md <<'EOF'\nDROP TABLE users;\nEOF",
    ] {
        let o = bash_in(d.path(), ok);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{ok}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

/// Issue 13, item 6: in a git work tree the hook protects the repository itself.
#[test]
fn the_repository_itself_is_protected_in_hook_mode() {
    let d = repo();
    for cmd in [
        "rm -rf .",
        "rm -rf *",
        "rm -rf .git",
        "rm -rf ..",
        "rm -rf ./*",
    ] {
        let o = bash_in(d.path(), cmd);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{cmd}: {err}");
        assert!(err.contains("[rm-root-path]"), "{cmd}: {err}");
    }
    for ok in [
        "rm -rf ./node_modules",
        "rm -rf build dist",
        "rm -rf target/*",
        "cd /tmp/scratch && rm -rf *",
        "rm -f *.log",
    ] {
        let o = bash_in(d.path(), ok);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{ok}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    // outside a git work tree `rm -rf *` is the user's call
    let plain = tempfile::tempdir().expect("temp dir");
    let o = bash_in(plain.path(), "rm -rf *");
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn downloads_are_warnings_decoded_programs_errors() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hook");
    let read = |n: &str| std::fs::read(dir.join(n)).expect("readable");
    // `--fail-on error` lets a download through, never a decoded or generated program
    let curl = read("deny-shell--opaque-execution--curl-sh.json");
    assert_eq!(hook(&[], &curl).status.code(), Some(2));
    assert_eq!(hook(&["--fail-on", "error"], &curl).status.code(), Some(0));
    for n in [
        "deny-shell--opaque-execution--base64-decode-bash.json",
        "deny-shell--opaque-execution--sh-c-var.json",
        "deny-shell--opaque-execution--python-c-var.json",
    ] {
        let o = hook(&["--fail-on", "error"], &read(n));
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{n}: {err}");
        assert!(err.contains("error[opaque-execution]"), "{n}: {err}");
    }
    // the reason names what it saw
    let o = hook(
        &[],
        &read("deny-shell--opaque-execution--base64-decode-bash.json"),
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("decoded at run time (`base64 --decode`)"),
        "{err}"
    );
}

#[test]
fn outside_the_hook_a_decoded_program_is_a_warning() {
    let t = tempfile::tempdir().expect("tempdir");
    let f = t.path().join("x.sh");
    std::fs::write(&f, "#!/bin/sh\necho cm0= | base64 -d | sh\n").expect("write");
    let o = run_in(
        t.path(),
        &["check", "--no-config", "--format", "json", "x.sh"],
        b"",
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let d = &v["diagnostics"][0];
    assert_eq!(d["rule"], "opaque-execution", "{v}");
    assert_eq!(d["severity"], "warning", "{v}");
}
