//! The binary as users run it: output formats, exit codes, stdin, discovery.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn preflight(args: &[&str]) -> Output {
    run_with_stdin(args, None)
}

fn run_with_stdin(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_preflight"));
    cmd.args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("binary runs");
    if let Some(mut pipe) = child.stdin.take() {
        let _ = pipe.write_all(stdin.unwrap_or_default());
    }
    child.wait_with_output().expect("binary finishes")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn incidents_human_output() {
    let o = preflight(&["check", "fixtures/incidents", "--color", "never"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    insta::assert_snapshot!(stdout(&o));
}

#[test]
fn incidents_json_output() {
    let o = preflight(&["check", "fixtures/incidents", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    // the v1 shape
    assert_eq!(v["version"], 1);
    assert_eq!(v["tool"]["name"], "preflight");
    for key in ["files_checked", "errors", "warnings", "suppressed"] {
        assert!(v["summary"][key].is_u64(), "summary.{key}");
    }
    let diags = v["diagnostics"].as_array().expect("diagnostics array");
    assert!(!diags.is_empty());
    for d in diags {
        for key in [
            "rule", "severity", "message", "help", "file", "snippet", "url",
        ] {
            assert!(d[key].is_string(), "{key} in {d}");
        }
        for key in ["line", "column", "end_line", "end_column"] {
            assert!(d[key].as_u64().is_some_and(|n| n >= 1), "{key} in {d}");
        }
    }
    assert!(v["errors"].as_array().is_some_and(|e| e.is_empty()));
    insta::assert_snapshot!(stdout(&o));
}

#[test]
fn seed_drop_if_exists_position_and_snippet() {
    let o = preflight(&[
        "check",
        "fixtures/incidents/cleanup_sessions.sql",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    let d = v["diagnostics"]
        .as_array()
        .and_then(|a| a.iter().find(|d| d["rule"] == "drop-table"))
        .expect("drop-table reported");
    assert_eq!(d["file"], "fixtures/incidents/cleanup_sessions.sql");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(3), Some(1))
    );
    assert_eq!(d["end_column"].as_u64(), Some(35));
    assert_eq!(d["snippet"], "DROP TABLE IF EXISTS user_sessions");
    assert!(
        d["message"]
            .as_str()
            .is_some_and(|m| m.contains("user_sessions"))
    );
}

#[test]
fn output_order_is_deterministic_across_thread_counts() {
    let run = |threads: &str| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_preflight"));
        cmd.args(["check", "fixtures", "--format", "json"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("RAYON_NUM_THREADS", threads);
        cmd.output().expect("runs").stdout
    };
    assert_eq!(run("1"), run("2"));
    assert_eq!(run("1"), run("7"));
}

#[test]
fn clean_input_exits_zero_and_fail_on_controls_exit() {
    let clean = preflight(&["check", "fixtures/app/db/migrate/0001_create_users.sql"]);
    assert_eq!(clean.status.code(), Some(0));
    assert!(stdout(&clean).contains("Checked 1 file: 0 errors, 0 warnings"));

    let warn_only = "fixtures/incidents/purge_inactive_users.sql";
    assert_eq!(preflight(&["check", warn_only]).status.code(), Some(0));
    assert_eq!(
        preflight(&["check", warn_only, "--fail-on", "warning"])
            .status
            .code(),
        Some(1)
    );
    let errs = "fixtures/incidents/cleanup_sessions.sql";
    assert_eq!(
        preflight(&["check", errs, "--fail-on", "never"])
            .status
            .code(),
        Some(0)
    );
}

/// The rule ids of a `--format json` run's diagnostics, in output order.
fn json_rules(o: &Output) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    v["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["rule"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn select_and_ignore() {
    let f = "fixtures/incidents/cleanup_sessions.sql";
    let o = preflight(&["check", f, "--format", "json", "--ignore", "drop-table"]);
    let rules = json_rules(&o);
    assert_eq!(rules, vec!["drop-if-exists"]);
    let o = preflight(&["check", f, "--format", "json", "--select", "drop-table"]);
    let rules = json_rules(&o);
    assert_eq!(rules, vec!["drop-table"]);
    let o = preflight(&["check", f, "--select", "no-such-rule"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no-such-rule"));
}

/// A finding about one action of a multi-action ALTER TABLE: JSON keeps `line`/`column` at the
/// statement and adds `action`; concise and GitHub point at the action; human labels it.
#[test]
fn multi_action_alter_points_at_the_action() {
    let sql = b"ALTER TABLE accounts\n  ADD COLUMN region text,\n  DROP COLUMN legacy_email;\nALTER TABLE orders DROP COLUMN note;\n";
    let run = |format: &str| {
        stdout(&run_with_stdin(
            &[
                "check",
                "-",
                "--stdin-filename",
                "m.sql",
                "--format",
                format,
            ],
            Some(sql),
        ))
    };
    let v: serde_json::Value = serde_json::from_str(&run("json")).expect("json");
    let d = &v["diagnostics"][0];
    assert_eq!(d["rule"], "drop-column");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(
        d["action"],
        serde_json::json!({"line": 3, "column": 3, "end_line": 3, "end_column": 27})
    );
    // near miss: a single-action ALTER has no `action`
    let single = &v["diagnostics"][1];
    assert_eq!(single["line"].as_u64(), Some(4));
    assert!(single.get("action").is_none(), "{single}");
    let concise = run("concise");
    assert!(
        concise.starts_with("m.sql:3:3: error[drop-column]"),
        "{concise}"
    );
    assert!(
        concise.contains("\nm.sql:4:1: error[drop-column]"),
        "{concise}"
    );
    assert!(run("github").contains("file=m.sql,line=3,col=3,endLine=3,endColumn=27,"));
    let human = run("human");
    assert!(human.contains("─[m.sql:3:3]"), "{human}");
    assert!(human.contains("─[m.sql:4:1]"), "{human}");
}

#[test]
fn stdin_with_filename_and_lang() {
    let sql = b"DELETE FROM accounts;\n";
    let o = run_with_stdin(
        &[
            "check",
            "-",
            "--stdin-filename",
            "db/x.sql",
            "--format",
            "json",
        ],
        Some(sql),
    );
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["diagnostics"][0]["file"], "db/x.sql");
    assert_eq!(v["diagnostics"][0]["rule"], "delete-without-where");
    let o = run_with_stdin(&["check", "-", "--lang", "sql"], Some(sql));
    assert_eq!(o.status.code(), Some(1));
    let o = run_with_stdin(&["check", "-"], Some(sql));
    assert_eq!(
        o.status.code(),
        Some(2),
        "stdin without a language is a usage error"
    );
}

#[test]
fn explicit_unknown_file_is_an_error_not_a_skip() {
    let o = preflight(&[
        "check",
        "README.md",
        "fixtures/incidents/cleanup_sessions.sql",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["errors"][0]["file"], "README.md");
    // the other file was still checked
    assert_eq!(v["summary"]["files_checked"], 1);
    let o = preflight(&["check", "does/not/exist.sql"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).contains("does/not/exist.sql: cannot read: no such file or directory"));
}

#[test]
fn rules_and_explain() {
    let o = preflight(&["rules"]);
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    for r in preflight::rules::RULES {
        assert!(
            text.contains(r.id),
            "{} missing from `preflight rules`",
            r.id
        );
    }
    let o = preflight(&["rules", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(
        v.as_array().map(Vec::len),
        Some(preflight::rules::RULES.len())
    );
    let o = preflight(&["explain", "drop-table"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).starts_with("# drop-table"));
    assert_eq!(preflight(&["explain", "nope"]).status.code(), Some(2));
}

#[test]
fn walk_skips_gitignored_and_build_dirs_but_explicit_files_are_taken() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::create_dir_all(root.join("target")).expect("mkdir");
    std::fs::create_dir_all(root.join("node_modules/x")).expect("mkdir");
    std::fs::create_dir_all(root.join("gen")).expect("mkdir");
    std::fs::write(root.join(".gitignore"), "gen/\n").expect("write");
    for p in [
        "target/a.sql",
        "node_modules/x/b.sql",
        "gen/c.sql",
        "real.sql",
    ] {
        std::fs::write(root.join(p), "DROP TABLE t;\n").expect("write");
    }
    let o = preflight(&[
        "check",
        root.to_str().expect("utf8 path"),
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["summary"]["files_checked"], 1, "{v}");
    let ignored = root.join("gen/c.sql");
    let o = preflight(&["check", ignored.to_str().expect("utf8"), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["summary"]["files_checked"], 1);
    assert!(Path::new(&ignored).exists());
}

#[test]
fn readme_rule_table_lists_every_rule() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    for r in preflight::rules::RULES {
        assert!(
            readme.contains(&format!("| `{}` |", r.id)),
            "README rule table lacks {}",
            r.id
        );
    }
}
