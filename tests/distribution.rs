//! What a team meets first: `--format concise`, streamed machine output (the same bytes as
//! the whole-document renderers), SARIF valid against the official 2.1.0 schema, shell
//! completions and the man page.

mod common;

use common::run_in;
use preflight::check::FileFacts;
use preflight::discover::discover;
use preflight::report::{self, stream::Kind};
use preflight::run::{self, FileError, Outcome, Settings, check_text};
use preflight::source::Lang;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn concise_is_one_line_per_finding_and_the_summary_last() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("a.sql"), "DROP TABLE users;\n").expect("write");
    let out = run_in(dir.path(), &["check", "--format", "concise", "a.sql"], b"");
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines,
        [
            "a.sql:1:1: error[drop-table] DROP TABLE deletes table `users` and all of its rows",
            "Checked 1 file: 1 error, 0 warnings",
        ]
    );
    insta::assert_snapshot!(text);
}

#[test]
fn concise_on_the_fixtures() {
    let out = run_in(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &[
            "check",
            "--no-config",
            "--format",
            "concise",
            "fixtures/incidents",
        ],
        b"",
    );
    let text = stdout(&out);
    let mut lines: Vec<&str> = text.lines().collect();
    let summary = lines.pop().expect("a summary line");
    assert!(summary.starts_with("Checked "), "{summary}");
    assert!(lines.len() >= 3, "{text}");
    // path:line:col: severity[rule] message, sorted by path then line
    let mut keys = Vec::new();
    for l in &lines {
        let mut parts = l.splitn(4, ':');
        let path = parts.next().expect("path");
        let line: usize = parts.next().expect("line").parse().expect("line number");
        let col: usize = parts.next().expect("col").parse().expect("column number");
        let rest = parts.next().expect("rest");
        assert!(
            rest.starts_with(" error[")
                || rest.starts_with(" warning[")
                || rest.starts_with(" info["),
            "{l}"
        );
        assert!(line >= 1 && col >= 1);
        keys.push((path.to_string(), line, col));
    }
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "stable order: path, then line");
    insta::assert_snapshot!(text);
}

const MIGRATION: &str = "\
CREATE TABLE scratch (id int);
DROP TABLE scratch;
DROP TABLE user_sessions;
DELETE FROM users WHERE last_login IS NULL;
-- preflight: allow(drop-index) rebuilt concurrently in 0043, see #77
DROP INDEX idx_users_email;
UPDATE accounts SET balance = 0;
DROP TABLE user_sessions;
ALTER TABLE orders
  ADD COLUMN region text,
  DROP COLUMN legacy_note;
";

fn sample(with_error: bool) -> Outcome {
    let mut out = Outcome::default();
    for (path, text, lang) in [
        ("db/0042_cleanup.sql", MIGRATION, Lang::Sql),
        (
            "deploy.sh",
            "rm -rf \"$DIR/\"*\npsql -c 'TRUNCATE t'\n",
            Lang::Shell,
        ),
        ("clean.sql", "SELECT 1;\n", Lang::Sql),
    ] {
        let f = check_text(
            path,
            text.as_bytes().to_vec(),
            lang,
            FileFacts::default(),
            &Settings::default(),
        )
        .expect("text");
        out.files_checked += 1;
        out.suppressed += f.suppressed.len();
        out.files.push(f);
    }
    if with_error {
        out.errors.push(FileError {
            file: "db/broken.sql".to_string(),
            message: "cannot read: permission denied".to_string(),
        });
    }
    out.sort();
    out
}

fn streamed(kind: Kind, o: &Outcome) -> String {
    let mut buf = Vec::new();
    report::stream::write_outcome(kind, o, &mut buf).expect("write");
    String::from_utf8(buf).expect("UTF-8")
}

fn whole(kind: Kind, o: &Outcome) -> String {
    match kind {
        Kind::Json => report::json::render(o),
        Kind::Sarif => report::sarif::render(o),
        Kind::Gitlab => report::gitlab::render(o),
        Kind::Github => report::github::render(o),
        Kind::Concise => report::concise::render(o),
    }
}

const KINDS: [Kind; 5] = [
    Kind::Json,
    Kind::Sarif,
    Kind::Gitlab,
    Kind::Github,
    Kind::Concise,
];

#[test]
fn streamed_output_is_byte_identical_to_the_whole_document() {
    for with_error in [false, true] {
        let o = sample(with_error);
        assert!(o.count(preflight::diagnostic::Severity::Error) >= 3);
        for kind in KINDS {
            assert_eq!(
                streamed(kind, &o),
                whole(kind, &o),
                "{kind:?}, errors: {with_error}"
            );
        }
    }
    // nothing at all: empty arrays
    let empty = Outcome::default();
    for kind in KINDS {
        assert_eq!(
            streamed(kind, &empty),
            whole(kind, &empty),
            "{kind:?}, empty"
        );
    }
}

#[test]
fn streamed_output_spills_to_disk_and_stays_identical() {
    // more than the 1 MiB kept in memory before the spool moves to a temporary file
    let text = "DROP TABLE a;\nDELETE FROM b;\n".repeat(3000);
    let mut o = Outcome::default();
    for i in 0..3 {
        let f = check_text(
            &format!("big{i}.sql"),
            text.as_bytes().to_vec(),
            Lang::Sql,
            FileFacts::default(),
            &Settings::default(),
        )
        .expect("text");
        o.files_checked += 1;
        o.files.push(f);
    }
    o.sort();
    for kind in [Kind::Json, Kind::Sarif] {
        let s = streamed(kind, &o);
        assert!(s.len() > 2 << 20, "{kind:?}: {} bytes", s.len());
        assert_eq!(s, whole(kind, &o), "{kind:?}");
    }
}

/// The binary streams `check` over a directory; the result equals the library's whole run
/// rendered at once (order, dedup, totals, exit code).
#[test]
fn the_binary_streams_the_same_bytes_as_a_whole_run() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let inputs = [PathBuf::from("fixtures")];
    let cwd = std::env::current_dir().expect("cwd");
    std::env::set_current_dir(root).expect("cd");
    let (files, errs) = discover(&inputs, &|_: &Path| None, &|_: &Path| false);
    let outcome = run::run(&files, &Settings::default());
    std::env::set_current_dir(cwd).expect("cd back");
    assert!(errs.is_empty());
    assert!(
        outcome
            .files
            .iter()
            .map(|f| f.diagnostics.len())
            .sum::<usize>()
            > 20
    );
    for (kind, name) in [
        (Kind::Json, "json"),
        (Kind::Sarif, "sarif"),
        (Kind::Gitlab, "gitlab"),
        (Kind::Github, "github"),
        (Kind::Concise, "concise"),
    ] {
        let out = run_in(
            root,
            &["check", "--no-config", "--format", name, "fixtures"],
            b"",
        );
        assert_eq!(out.status.code(), Some(1), "{name}");
        assert_eq!(stdout(&out), whole(kind, &outcome), "{name}");
    }
}

fn sarif_validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(include_str!("fixtures/sarif-schema-2.1.0.json"))
        .expect("schema JSON");
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles")
}

fn schema_errors(v: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    v.iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn sarif_validates_against_the_official_schema_with_formats() {
    let v = sarif_validator();
    for with_error in [false, true] {
        let doc: Value =
            serde_json::from_str(&report::sarif::render(&sample(with_error))).expect("JSON");
        assert_eq!(schema_errors(&v, &doc), Vec::<String>::new());
        // every rule carries its doc; helpUri only when it is an absolute URL
        for r in doc["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .expect("rules")
        {
            assert!(
                r["help"]["markdown"]
                    .as_str()
                    .is_some_and(|s| s.contains("## "))
            );
            assert!(!r["help"]["text"].as_str().unwrap_or_default().is_empty());
            if let Some(u) = r.get("helpUri") {
                assert!(u.as_str().is_some_and(|u| u.starts_with("https://")), "{u}");
            }
        }
    }
    // the binary's streamed SARIF over the fixtures too
    let out = run_in(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &["check", "--no-config", "--format", "sarif", "fixtures"],
        b"",
    );
    let doc: Value = serde_json::from_slice(&out.stdout).expect("SARIF JSON");
    assert_eq!(schema_errors(&v, &doc), Vec::<String>::new());
}

#[test]
fn the_schema_check_checks_formats() {
    // a relative helpUri (what preflight emitted before) fails the `uri` format
    let v = sarif_validator();
    let mut doc: Value =
        serde_json::from_str(&report::sarif::render(&sample(false))).expect("JSON");
    doc["runs"][0]["tool"]["driver"]["rules"][0]["helpUri"] = Value::from("rules/drop-table.md");
    let errs = schema_errors(&v, &doc);
    assert!(errs.iter().any(|e| e.contains("uri")), "{errs:?}");
    let mut doc2: Value =
        serde_json::from_str(&report::sarif::render(&sample(false))).expect("JSON");
    doc2["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!schema_errors(&v, &doc2).is_empty());
}

#[test]
fn completions_for_every_shell() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (shell, marker) in [
        ("bash", "complete -F _preflight"),
        ("zsh", "#compdef preflight"),
        ("fish", "complete -c preflight"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = run_in(here, &["completions", shell], b"");
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let text = stdout(&out);
        assert!(
            text.contains(marker),
            "{shell}: {}",
            &text[..text.len().min(300)]
        );
        // subcommands and check's flags are completed
        assert!(
            text.contains("explain") && text.contains("fail-on"),
            "{shell}"
        );
        if shell != "powershell" {
            assert!(text.contains("concise"), "{shell}: format values");
        }
    }
    let out = run_in(here, &["completions", "tcsh"], b"");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn bash_completion_script_is_valid_bash() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = run_in(here, &["completions", "bash"], b"");
    let dir = tempfile::tempdir().expect("tempdir");
    let script = dir.path().join("preflight.bash");
    std::fs::write(&script, &out.stdout).expect("write");
    let check = std::process::Command::new("bash")
        .arg("-n")
        .arg(&script)
        .output()
        .expect("bash runs");
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn man_page() {
    let out = run_in(Path::new(env!("CARGO_MANIFEST_DIR")), &["man"], b"");
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(
        text.contains(".TH preflight 1"),
        "{}",
        &text[..text.len().min(300)]
    );
    for sub in ["check", "rules", "explain", "completions", "hook"] {
        assert!(text.contains(sub), "man page lists {sub}");
    }
}

#[test]
fn github_annotations_name_files_relative_to_the_repository() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("a.sql"), "DROP TABLE users;\n").expect("write");
    let out = run_in(dir.path(), &["check", "--format", "github", "."], b"");
    let text = stdout(&out);
    assert!(
        text.starts_with("::error file=a.sql,line=1,col=1,"),
        "{text}"
    );
}
