//! The hook's audit trail (`--log PATH`, `[hook] log`) and `preflight hook --replay LOG`.

mod common;

use common::run_in;
use serde_json::Value;
use std::path::Path;
use std::process::Output;

fn payload(tool: &str, input: Value) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "tool_name": tool,
        "tool_input": input,
        "cwd": "/home/dev/app",
    }))
    .expect("json")
}

fn bash(cmd: &str) -> Vec<u8> {
    payload("Bash", serde_json::json!({ "command": cmd }))
}

fn hook(dir: &Path, args: &[&str], input: &[u8]) -> Output {
    run_in(dir, &[&["hook"], args].concat(), input)
}

fn lines(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .expect("log written")
        .lines()
        .map(|l| serde_json::from_str(l).expect("every line is one JSON object"))
        .collect()
}

#[test]
fn every_decision_appends_one_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let log = dir.path().join("audit.jsonl");
    let log_arg = log.to_str().expect("utf-8 path");
    let args = ["--no-config", "--log", log_arg];
    let deny = hook(dir.path(), &args, &bash("wipe(){ rm -rf \"$1\"; }; wipe ~"));
    assert_eq!(deny.status.code(), Some(2));
    let allow = hook(dir.path(), &args, &bash("ls -la"));
    assert_eq!(allow.status.code(), Some(0));
    assert!(allow.stderr.is_empty(), "{allow:?}");
    let write = payload(
        "Write",
        serde_json::json!({"file_path": "db/0042.sql", "content": "DROP TABLE users;\n"}),
    );
    assert_eq!(hook(dir.path(), &args, &write).status.code(), Some(2));
    assert_eq!(hook(dir.path(), &args, b"{not json").status.code(), Some(2));

    let l = lines(&log);
    assert_eq!(l.len(), 4, "{l:#?}");
    for x in &l {
        let t = x["time"].as_str().expect("time");
        // RFC 3339, UTC
        assert_eq!(t.len(), 24, "{t}");
        assert!(t.ends_with('Z') && t.as_bytes()[10] == b'T', "{t}");
        assert_eq!(x["version"], env!("CARGO_PKG_VERSION"));
    }
    assert_eq!(l[0]["tool"], "Bash");
    assert_eq!(l[0]["command"], "wipe(){ rm -rf \"$1\"; }; wipe ~");
    assert_eq!(l[0]["cwd"], "/home/dev/app");
    assert_eq!(l[0]["decision"], "deny");
    assert_eq!(l[0]["rules"][0]["rule"], "rm-root-path");
    assert_eq!(l[0]["rules"][0]["severity"], "error");
    assert!(
        l[0]["rules"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("your home directory")),
        "{:#?}",
        l[0]
    );
    assert_eq!(l[1]["decision"], "allow");
    assert_eq!(l[1]["rules"], serde_json::json!([]));
    assert_eq!(l[2]["tool"], "Write");
    assert_eq!(l[2]["file"], "db/0042.sql");
    assert_eq!(l[2]["tool_input"]["content"], "DROP TABLE users;\n");
    assert_eq!(l[2]["rules"][0]["rule"], "drop-table");
    assert_eq!(l[3]["decision"], "deny");
    assert!(
        l[3]["error"]
            .as_str()
            .is_some_and(|e| e.contains("not valid JSON"))
    );
    assert_eq!(l[3]["input"], "{not json");
}

#[test]
fn the_config_names_the_log_relative_to_itself() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("preflight.toml"),
        "[hook]\nlog = \"logs/hook.jsonl\"\n",
    )
    .expect("config");
    std::fs::create_dir(dir.path().join("logs")).expect("mkdir");
    std::fs::create_dir(dir.path().join("sub")).expect("mkdir");
    let o = hook(&dir.path().join("sub"), &[], &bash("cargo test"));
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let l = lines(&dir.path().join("logs/hook.jsonl"));
    assert_eq!(l.len(), 1);
    assert_eq!(l[0]["command"], "cargo test");
    // an unknown key in [hook] is a config error (the hook blocks: fail closed)
    std::fs::write(dir.path().join("preflight.toml"), "[hook]\nlogs = \"x\"\n").expect("config");
    let o = hook(dir.path(), &[], &bash("ls"));
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown key in [hook]"));
}

#[test]
fn an_unwritable_log_changes_no_decision() {
    let dir = tempfile::tempdir().expect("tempdir");
    let log = dir.path().join("missing-dir/audit.jsonl");
    let log_arg = log.to_str().expect("utf-8 path");
    let args = ["--no-config", "--log", log_arg];
    let allow = hook(dir.path(), &args, &bash("git status"));
    assert_eq!(allow.status.code(), Some(0));
    assert!(allow.stdout.is_empty());
    let err = String::from_utf8_lossy(&allow.stderr);
    assert!(
        err.contains("cannot write the audit log") && err.contains("decision is not affected"),
        "{err}"
    );
    let deny = hook(dir.path(), &args, &bash("rm -rf /srv"));
    assert_eq!(deny.status.code(), Some(2));
    let err = String::from_utf8_lossy(&deny.stderr);
    assert!(err.contains("error[rm-root-path]"), "{err}");
    assert!(err.contains("cannot write the audit log"), "{err}");
    // json mode: the answer on stdout is unchanged
    let deny = hook(
        dir.path(),
        &[&args[..], &["--format", "json"]].concat(),
        &bash("rm -rf /srv"),
    );
    assert_eq!(deny.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&deny.stdout).expect("json answer");
    assert_eq!(v["hookSpecificOutput"]["permissionDecision"], "deny");
}

#[test]
fn long_lines_from_concurrent_hooks_never_interleave() {
    let dir = tempfile::tempdir().expect("tempdir");
    let log = dir.path().join("audit.jsonl");
    let log_arg = log.to_str().expect("utf-8 path").to_string();
    // content well past PIPE_BUF: the writer takes the lock
    let content = format!("-- {}\nSELECT 1;\n", "x".repeat(20_000));
    let input = payload(
        "Write",
        serde_json::json!({"file_path": "db/big.sql", "content": content}),
    );
    let threads: Vec<_> = (0..6)
        .map(|_| {
            let (dir, log_arg, input) = (dir.path().to_path_buf(), log_arg.clone(), input.clone());
            std::thread::spawn(move || {
                hook(&dir, &["--no-config", "--log", &log_arg], &input)
                    .status
                    .code()
            })
        })
        .collect();
    for t in threads {
        assert_eq!(t.join().expect("thread"), Some(0));
    }
    let l = lines(&log);
    assert_eq!(l.len(), 6);
    assert!(
        l.iter()
            .all(|x| x["tool_input"]["content"] == content.as_str())
    );
}

#[test]
fn replay_shows_what_the_current_rules_decide_differently() {
    let dir = tempfile::tempdir().expect("tempdir");
    let log = dir.path().join("old.jsonl");
    // what an older version decided: the function call allowed, a harmless write denied
    let old = [
        r#"{"time":"2026-11-01T10:00:00.000Z","tool":"Bash","command":"wipe(){ rm -rf \"$1\"; }; wipe ~","cwd":"/app","decision":"allow","rules":[],"version":"0.0.9"}"#,
        r#"{"time":"2026-11-01T10:00:01.000Z","tool":"Bash","command":"ls -la","cwd":"/app","decision":"allow","rules":[],"version":"0.0.9"}"#,
        r#"{"time":"2026-11-01T10:00:02.000Z","tool":"Write","file":"db/1.sql","tool_input":{"file_path":"db/1.sql","content":"SELECT 1;\n"},"cwd":"/app","decision":"deny","rules":[{"rule":"drop-table","severity":"error","message":"…"}],"version":"0.0.9"}"#,
        r#"{"time":"2026-11-01T10:00:03.000Z","tool":"Bash","command":"rm -rf /srv","cwd":"/app","decision":"deny","rules":[{"rule":"rm-root-path","severity":"error","message":"…"}],"version":"0.0.9"}"#,
    ];
    std::fs::write(&log, old.join("\n") + "\n").expect("log");
    let log_arg = log.to_str().expect("utf-8 path");
    let o = hook(dir.path(), &["--no-config", "--replay", log_arg], b"");
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains(
            "line 1: Bash `wipe(){ rm -rf \"$1\"; }; wipe ~`: allow → deny (rm-root-path)"
        ),
        "{out}"
    );
    assert!(
        out.contains("line 3: Write `db/1.sql`: deny (drop-table) → allow"),
        "{out}"
    );
    assert!(!out.contains("line 2") && !out.contains("line 4"), "{out}");
    assert!(
        out.contains(
            "replayed 4 decisions: 2 unchanged, 1 now denied, 1 now allowed, 0 with other rules"
        ),
        "{out}"
    );
    // replaying writes nothing to the log
    assert_eq!(
        std::fs::read_to_string(&log).expect("log").lines().count(),
        4
    );

    // nothing changed: exit 0
    std::fs::write(&log, format!("{}\n", old[3])).expect("log");
    let o = hook(dir.path(), &["--no-config", "--replay", log_arg], b"");
    assert_eq!(o.status.code(), Some(0));
    // a line that is not a decision: reported, exit 2
    std::fs::write(&log, format!("{}\nnot json\n", old[3])).expect("log");
    let o = hook(dir.path(), &["--no-config", "--replay", log_arg], b"");
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(2), "{out}");
    assert!(out.contains("line 2: not a hook decision"), "{out}");
    // a log that cannot be read: exit 2
    let o = hook(
        dir.path(),
        &["--no-config", "--replay", "/nonexistent/log"],
        b"",
    );
    assert_eq!(o.status.code(), Some(2));
}
