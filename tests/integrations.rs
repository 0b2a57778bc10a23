//! Config, suppressions, path lists and human-output flags, through the binary.

mod common;

use common::run_in;
use std::path::Path;
use std::process::Output;

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(p, text).expect("write");
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("JSON: {e}\n{}", out(o)))
}

fn rules_in(v: &serde_json::Value) -> Vec<String> {
    v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            format!(
                "{}:{}",
                d["file"].as_str().unwrap_or(""),
                d["rule"].as_str().unwrap_or("")
            )
        })
        .collect()
}

#[test]
fn config_is_found_above_the_first_path_and_applied() {
    let t = tempfile::tempdir().expect("tempdir");
    let d = t.path();
    write(
        d,
        "preflight.toml",
        r#"
exclude = ["vendor"]
include = ["db/**/*.ddl"]
[rules]
drop-index = "error"
truncate = "off"
[[per-file]]
glob = "db/dev/**"
ignore = ["drop-table"]
"#,
    );
    write(d, "db/a.sql", "DROP INDEX i;\nTRUNCATE t;\n");
    write(d, "db/dev/reset.sql", "DROP TABLE t;\n");
    write(d, "db/schema.ddl", "DELETE FROM t;\n");
    write(d, "vendor/x.sql", "DROP TABLE vendor_t;\n");
    let o = run_in(&d.join("db"), &["check", "--format", "json", "."], b"");
    let v = json(&o);
    assert_eq!(
        rules_in(&v),
        ["./a.sql:drop-index", "./schema.ddl:delete-without-where"],
        "{}",
        out(&o)
    );
    assert_eq!(v["diagnostics"][0]["severity"], "error");
    // from the root, vendor/ is excluded when walking
    let o = run_in(d, &["check", "--format", "json", "."], b"");
    assert!(!out(&o).contains("vendor"), "{}", out(&o));
    // --no-config: everything (vendored code only with --include-vendored)
    let o = run_in(d, &["check", "--no-config", "--format", "json", "."], b"");
    assert!(!out(&o).contains("vendor_t"), "{}", out(&o));
    assert_eq!(json(&o)["summary"]["skipped"]["vendored"], 1);
    let o = run_in(
        d,
        &[
            "check",
            "--no-config",
            "--include-vendored",
            "--format",
            "json",
            ".",
        ],
        b"",
    );
    let all = rules_in(&json(&o));
    assert!(
        all.contains(&"./vendor/x.sql:drop-table".to_string()),
        "{all:?}"
    );
    assert!(all.contains(&"./db/a.sql:truncate".to_string()), "{all:?}");
    assert!(
        all.contains(&"./db/dev/reset.sql:drop-table".to_string()),
        "{all:?}"
    );
    // --config FILE wins over the one found
    write(d, "other.toml", "[rules]\ndrop-table = \"warning\"\n");
    let o = run_in(
        d,
        &[
            "check",
            "--config",
            "other.toml",
            "--format",
            "json",
            "db/dev",
        ],
        b"",
    );
    let v = json(&o);
    assert_eq!(v["diagnostics"][0]["rule"], "drop-table");
    assert_eq!(v["diagnostics"][0]["severity"], "warning");
    assert_eq!(
        o.status.code(),
        Some(0),
        "a warning does not fail by default"
    );
}

#[test]
fn config_mistakes_exit_2_and_point_at_the_key() {
    let t = tempfile::tempdir().expect("tempdir");
    let d = t.path();
    write(d, "a.sql", "SELECT 1;\n");
    for (cfg, needle) in [
        ("dialect = \"postgres\"\nexlcude = []\n", "exlcude"),
        ("[rules]\ndrop-tabel = \"off\"\n", "drop-tabel"),
        ("[rules]\ndrop-table = \"loud\"\n", "\"loud\""),
        ("down-migrations = \"skip\"\n", "\"skip\""),
        ("dialect = \"oracle\"\n", "\"oracle\""),
    ] {
        write(d, "preflight.toml", cfg);
        let o = run_in(d, &["check", "a.sql"], b"");
        let e = err(&o);
        assert_eq!(o.status.code(), Some(2), "{cfg}: {e}");
        assert!(e.contains("preflight.toml"), "names the file: {e}");
        // miette underlines the key: the line with it is quoted and marked
        let line = cfg
            .lines()
            .position(|l| l.contains(needle))
            .expect("needle")
            + 1;
        assert!(
            e.contains(&format!("preflight.toml:{line}:")),
            "points at line {line}: {e}"
        );
        assert!(e.contains(needle), "{e}");
    }
}

#[test]
fn init_writes_a_valid_commented_starter() {
    let t = tempfile::tempdir().expect("tempdir");
    let d = t.path();
    let o = run_in(d, &["init"], b"");
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let text = std::fs::read_to_string(d.join("preflight.toml")).expect("written");
    assert!(
        text.lines().filter(|l| l.starts_with('#')).count() > 10,
        "commented"
    );
    write(d, "a.sql", "DROP TABLE t;\n");
    let o = run_in(d, &["check", "a.sql"], b"");
    assert_eq!(
        o.status.code(),
        Some(1),
        "the starter config loads: {}",
        err(&o)
    );
    let o = run_in(d, &["init"], b"");
    assert_eq!(o.status.code(), Some(2), "does not overwrite");
    assert!(err(&o).contains("--force"));
}

#[test]
fn suppressions_are_counted_listed_and_checked() {
    let t = tempfile::tempdir().expect("tempdir");
    let d = t.path();
    write(
        d,
        "m.sql",
        "-- preflight: allow(drop-table) moved to redis in #812\nDROP TABLE sessions;\nDROP TABLE users; -- preflight: allow(drop-table)\n",
    );
    let o = run_in(
        d,
        &["check", "--no-config", "--format", "json", "m.sql"],
        b"",
    );
    let v = json(&o);
    assert_eq!(v["summary"]["suppressed"], 1);
    assert_eq!(
        rules_in(&v),
        ["m.sql:drop-table", "m.sql:suppression-without-reason"]
    );
    assert!(
        v.get("suppressed_diagnostics").is_none(),
        "v1 stays as it was"
    );
    let o = run_in(
        d,
        &[
            "check",
            "--no-config",
            "--format",
            "json",
            "--show-suppressed",
            "m.sql",
        ],
        b"",
    );
    let v = json(&o);
    assert_eq!(v["suppressed_diagnostics"][0]["line"], 2);
    let o = run_in(
        d,
        &["check", "--no-config", "--show-suppressed", "m.sql"],
        b"",
    );
    assert!(
        out(&o).contains(
            "suppressed: m.sql:2:1: error[drop-table]: DROP TABLE deletes table `sessions`"
        ),
        "{}",
        out(&o)
    );
}

#[test]
fn quiet_statistics_and_hint() {
    let t = tempfile::tempdir().expect("tempdir");
    let d = t.path();
    write(d, "a.sql", "DROP TABLE a;\nDROP TABLE b;\nDELETE FROM c;\n");
    let o = run_in(d, &["check", "--no-config", "-q", "a.sql"], b"");
    assert_eq!(out(&o), "Checked 1 file: 3 errors, 0 warnings\n");
    assert_eq!(o.status.code(), Some(1));
    let o = run_in(
        d,
        &["check", "--no-config", "--statistics", "-q", "a.sql"],
        b"",
    );
    assert_eq!(
        out(&o),
        "     2  drop-table                     error\n     1  delete-without-where           error\n\nChecked 1 file: 3 errors, 0 warnings\n"
    );
    let o = run_in(d, &["check", "--no-config", "a.sql"], b"");
    let text = out(&o);
    assert!(
        text.ends_with("hint: `preflight explain drop-table` says why and what to do instead; to allow a reviewed case: `-- preflight: allow(drop-table) <reason>`\n"),
        "{text}"
    );
    assert!(!text.contains('\u{1b}'), "NO_COLOR: no escapes");
    let o = run_in(
        d,
        &["check", "--no-config", "--color", "always", "a.sql"],
        b"",
    );
    assert!(out(&o).contains('\u{1b}'), "--color always wins");
}

/// A report over several files: each file's findings under a `==> path (counts) <==`
/// heading; the per-rule count has one row per rule, with each severity's count when a rule
/// reported at several.
#[test]
fn long_reports_are_grouped_by_file_and_counted_per_rule() {
    let t = tempfile::tempdir().expect("tempdir");
    let d = t.path();
    write(
        d,
        "a.sql",
        "ALTER TABLE orders ADD COLUMN n text;\nALTER TABLE orders ALTER COLUMN n SET NOT NULL;\n\
         ALTER TABLE users ALTER COLUMN email SET NOT NULL;\n",
    );
    write(d, "b.sql", "DROP TABLE b;\n");
    let o = run_in(d, &["check", "--no-config", "--statistics", "."], b"");
    let text = out(&o);
    let a = text.find("==> ./a.sql (1 error, 1 warning) <==\n");
    let b = text.find("==> ./b.sql (1 error) <==\n");
    assert!(a.is_some() && b.is_some() && a < b, "{text}");
    assert!(
        text.contains("     2  set-not-null                   1 error, 1 warning\n"),
        "{text}"
    );
    assert!(
        text.contains("     1  drop-table                     error\n"),
        "{text}"
    );
    // near miss: findings from one file get no heading
    let o = run_in(d, &["check", "--no-config", "b.sql"], b"");
    assert!(!out(&o).contains("==>"), "{}", out(&o));
}

#[test]
fn files_from_reads_a_path_list() {
    let t = tempfile::tempdir().expect("tempdir");
    let d = t.path();
    write(d, "a.sql", "DROP TABLE a;\n");
    write(d, "b.sql", "SELECT 1;\n");
    write(d, "README.md", "DROP TABLE not_sql;\n");
    write(d, "ignored.sql", "DROP TABLE ignored;\n");
    // a `git diff --name-only` style list: other files are skipped, not errors
    let o = run_in(
        d,
        &[
            "check",
            "--no-config",
            "--format",
            "json",
            "--files-from",
            "-",
        ],
        b"a.sql\nb.sql\n\nREADME.md\n",
    );
    let v = json(&o);
    assert_eq!(v["summary"]["files_checked"], 2, "{}", out(&o));
    assert_eq!(rules_in(&v), ["a.sql:drop-table"]);
    // an empty list checks nothing (not the current directory)
    let o = run_in(d, &["check", "--no-config", "--files-from", "-"], b"");
    assert_eq!(o.status.code(), Some(0));
    assert!(out(&o).starts_with("Checked 0 files"), "{}", out(&o));
    // a listed file that is gone is an error
    let o = run_in(
        d,
        &["check", "--no-config", "--files-from", "-"],
        b"gone.sql\n",
    );
    assert_eq!(o.status.code(), Some(2));
    // from a file, too
    write(d, "list.txt", "b.sql\n");
    let o = run_in(
        d,
        &["check", "--no-config", "--files-from", "list.txt"],
        b"",
    );
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
}
