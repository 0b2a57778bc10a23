//! The `.pre-commit-hooks.yaml` of this repository, exercised by the real `pre-commit`:
//! a temporary git repository whose `.pre-commit-config.yaml` points at a clone of this
//! repository's HEAD blocks a commit that adds a `DROP TABLE` migration, and allows it once
//! the statement carries a reasoned suppression.
//!
//! pre-commit builds the hook with `cargo install` (`language: rust`); the build directory
//! and pre-commit's cache live under `target/tmp`, so only the first run pays for a full
//! build (made with debug-like release settings to keep it short). Skipped, loudly, when
//! `pre-commit` is not installed (scripts/test.sh installs it and sets
//! PREFLIGHT_REQUIRE_PRE_COMMIT=1, which turns the skip into a failure).

use std::path::Path;
use std::process::{Command, Output};
use std::time::Instant;

fn run(cmd: &mut Command) -> Output {
    cmd.output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"))
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn skip(reason: &str) {
    if std::env::var_os("PREFLIGHT_REQUIRE_PRE_COMMIT").is_some_and(|v| v == "1") {
        panic!("pre-commit test cannot run: {reason}");
    }
    eprintln!();
    eprintln!("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
    eprintln!("!!! SKIPPED pre-commit hook test: {reason}");
    eprintln!("!!! install it with `pip install pre-commit` (scripts/test.sh does)");
    eprintln!("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
}

#[test]
fn pre_commit_blocks_a_drop_table_migration_until_it_has_a_reason() {
    match Command::new("pre-commit").arg("--version").output() {
        Ok(o) if o.status.success() => {}
        _ => return skip("`pre-commit` is not installed"),
    }
    let me = Path::new(env!("CARGO_MANIFEST_DIR"));
    let head = run(Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(me));
    if !head.status.success() {
        return skip("this checkout is not a git repository");
    }
    let head = String::from_utf8_lossy(&head.stdout).trim().to_string();
    let hooks_committed = run(Command::new("git")
        .args(["cat-file", "-e", &format!("{head}:.pre-commit-hooks.yaml")])
        .current_dir(me));
    assert!(
        hooks_committed.status.success(),
        ".pre-commit-hooks.yaml must be committed at HEAD"
    );

    let cache = Path::new(env!("CARGO_TARGET_TMPDIR")).join("pre-commit");
    let dir = tempfile::tempdir().expect("tempdir");
    let repo = dir.path();
    let git = |args: &[&str]| -> Output {
        run(Command::new("git")
            .args(args)
            .current_dir(repo)
            .env("PRE_COMMIT_HOME", cache.join("home"))
            .env("CARGO_TARGET_DIR", cache.join("build"))
            // `cargo install` builds in release mode: a test needs the hook, not a fast
            // binary, so build it like a debug build (several times quicker to compile)
            .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
            .env("CARGO_PROFILE_RELEASE_DEBUG", "false")
            .env("CARGO_PROFILE_RELEASE_LTO", "false")
            .env("CARGO_PROFILE_RELEASE_INCREMENTAL", "true")
            .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "256")
            .env("NO_COLOR", "1")
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com"))
    };
    // drop the clones and environments of earlier HEADs (their temporary repos are gone)
    let _ = Command::new("pre-commit")
        .arg("gc")
        .env("PRE_COMMIT_HOME", cache.join("home"))
        .output();
    assert!(git(&["init", "-q", "-b", "main"]).status.success());
    // the README's snippet, as a user pastes it: only the repository and the commit change
    let config = readme_pre_commit_config(me, &me.display().to_string(), &head);
    std::fs::write(repo.join(".pre-commit-config.yaml"), config).expect("write config");
    let o = run(Command::new("pre-commit")
        .arg("install")
        .current_dir(repo)
        .env("PRE_COMMIT_HOME", cache.join("home")));
    assert!(o.status.success(), "pre-commit install: {}", text(&o));
    assert!(git(&["add", ".pre-commit-config.yaml"]).status.success());

    std::fs::create_dir_all(repo.join("migrations")).expect("mkdir");
    let migration = repo.join("migrations/0042_drop_sessions.sql");
    std::fs::write(&migration, "DROP TABLE user_sessions;\n").expect("write");
    assert!(git(&["add", "."]).status.success());
    let started = Instant::now();
    let o = git(&["commit", "-q", "-m", "drop sessions"]);
    eprintln!(
        "pre-commit: first commit (hook install + build + run) took {:.1}s",
        started.elapsed().as_secs_f64()
    );
    let out = text(&o);
    assert!(!o.status.success(), "the commit must be blocked:\n{out}");
    assert!(
        out.contains("drop-table"),
        "the hook output names the rule:\n{out}"
    );

    std::fs::write(
        &migration,
        "-- preflight: allow(drop-table) sessions moved to redis in #812\nDROP TABLE user_sessions;\n",
    )
    .expect("write");
    assert!(git(&["add", "."]).status.success());
    let started = Instant::now();
    let o = git(&["commit", "-q", "-m", "drop sessions (reviewed)"]);
    eprintln!(
        "pre-commit: second commit took {:.1}s",
        started.elapsed().as_secs_f64()
    );
    assert!(
        o.status.success(),
        "the reasoned suppression lets it through:\n{}",
        text(&o)
    );

    // a suppression without a reason does not
    std::fs::write(
        repo.join("migrations/0043_drop_audit.sql"),
        "-- preflight: allow(drop-table)\nDROP TABLE audit;\n",
    )
    .expect("write");
    assert!(git(&["add", "."]).status.success());
    let o = git(&["commit", "-q", "-m", "drop audit"]);
    let out = text(&o);
    assert!(!o.status.success(), "no reason, no commit:\n{out}");
    assert!(out.contains("suppression-without-reason"), "{out}");
}

/// The `.pre-commit-config.yaml` block of README.md ("As a pre-commit hook"), with its `repo:`
/// and `rev:` values replaced. Fails when the README has no complete snippet.
fn readme_pre_commit_config(me: &Path, repo: &str, rev: &str) -> String {
    let readme = std::fs::read_to_string(me.join("README.md")).expect("README.md");
    let section = readme
        .split("\n## As a pre-commit hook")
        .nth(1)
        .expect("README has an 'As a pre-commit hook' section");
    let block = section
        .split("```yaml\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("the section starts with a yaml block");
    assert!(
        block.starts_with("repos:\n"),
        "top-level `repos:` key:\n{block}"
    );
    let mut out = String::new();
    let (mut saw_repo, mut saw_rev) = (false, false);
    for line in block.lines() {
        let indent = &line[..line.len() - line.trim_start().len()];
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix("- repo: ") {
            assert!(rest.contains("preflight"), "{line}");
            out.push_str(&format!("{indent}- repo: {repo}\n"));
            saw_repo = true;
        } else if t.starts_with("rev: ") {
            // pinned to a commit until releases are tagged (a tag that does not exist fails)
            assert!(!t.contains("v0.1.0"), "{line}");
            out.push_str(&format!("{indent}rev: {rev}\n"));
            saw_rev = true;
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    assert!(saw_repo && saw_rev, "repo: and rev: lines:\n{block}");
    out
}
