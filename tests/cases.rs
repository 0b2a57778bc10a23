//! Rule case files: `tests/cases/<rule-id>/fire.*` must produce the rule exactly on the lines
//! marked `expect: <rule-id>` (in a trailing comment); `ok.*` are near misses that must stay
//! silent for that rule. Each fire file's rendered diagnostics are snapshotted.

use preflight::check::FileFacts;
use preflight::report::human::{Style, render_diagnostic};
use preflight::rules::{Check, RULES};
use preflight::run::{Settings, check_text};
use preflight::source::{Lang, LineIndex};
use std::path::{Path, PathBuf};

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases")
}

fn lang_of(path: &Path) -> Lang {
    preflight::discover::lang_by_name(path).unwrap_or(Lang::Shell)
}

/// (line, rule) pairs produced for `rule` by the file.
fn findings(path: &Path, rule: &str) -> (Vec<usize>, String) {
    let bytes = std::fs::read(path).expect("case file readable");
    let out = check_text(
        &format!(
            "tests/cases/{rule}/{}",
            path.file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
        ),
        bytes,
        lang_of(path),
        FileFacts::default(),
        &Settings::default(),
    )
    .expect("case file is text");
    let idx = LineIndex::new(&out.text);
    let mut lines = Vec::new();
    let mut rendered = String::new();
    // a rule folded into another's finding (one finding per problem) still fires: it is
    // reported in that finding's `related` notes
    for d in out
        .diagnostics
        .iter()
        .filter(|d| d.rule == rule || preflight::fold::related_rules(d).iter().any(|r| r == rule))
    {
        // a finding about one action of a multi-action ALTER TABLE is marked on that
        // action's line (where the human label points), others on the statement's first line
        let at = d.action.unwrap_or(d.span);
        lines.push(idx.position(&out.text, at.start).line);
        rendered.push_str(&render_diagnostic(&out.path, &out.text, d, Style::plain()));
        rendered.push('\n');
    }
    (lines, rendered)
}

fn expected_lines(text: &str, rule: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| {
            l.split("expect:").nth(1).is_some_and(|ids| {
                ids.split(|c: char| c == ',' || c.is_whitespace())
                    .any(|id| id == rule)
            })
        })
        .map(|(i, _)| i + 1)
        .collect()
}

fn case_files(rule: &str, prefix: &str) -> Vec<PathBuf> {
    let dir = cases_dir().join(rule);
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.is_file()
                        && p.file_name()
                            .and_then(|n| n.to_str())
                            .is_some_and(|n| n.starts_with(prefix))
                })
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn every_rule_has_firing_and_near_miss_cases() {
    let mut missing = Vec::new();
    // live rules need a database: tests/live.rs covers them against a real server
    for r in RULES.iter().filter(|r| !matches!(r.check, Check::Live)) {
        if case_files(r.id, "fire").is_empty() {
            missing.push(format!("tests/cases/{}/fire.*", r.id));
        }
        if case_files(r.id, "ok").is_empty() {
            missing.push(format!("tests/cases/{}/ok.*", r.id));
        }
    }
    assert!(
        missing.is_empty(),
        "missing case files:\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_case_dir_is_a_rule() {
    for entry in std::fs::read_dir(cases_dir()).expect("tests/cases exists") {
        let path = entry.expect("readable").path();
        if path.is_dir() {
            let id = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_string();
            assert!(
                RULES.iter().any(|r| r.id == id),
                "tests/cases/{id} names no rule"
            );
        }
    }
}

#[test]
fn firing_cases_fire_exactly_on_marked_lines() {
    let mut failures = Vec::new();
    let mut snapshots = Vec::new();
    for r in RULES {
        for f in case_files(r.id, "fire") {
            let text = String::from_utf8_lossy(&std::fs::read(&f).expect("readable")).into_owned();
            let expected = expected_lines(&text, r.id);
            assert!(
                !expected.is_empty(),
                "{} has no `expect: {}` marker",
                f.display(),
                r.id
            );
            let (got, rendered) = findings(&f, r.id);
            if got != expected {
                failures.push(format!(
                    "{}: expected {} on lines {expected:?}, got {got:?}",
                    f.display(),
                    r.id
                ));
            }
            let name = format!(
                "{}__{}",
                r.id,
                f.file_name().and_then(|n| n.to_str()).unwrap_or_default()
            );
            snapshots.push((name, rendered));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    for (name, rendered) in snapshots {
        insta::with_settings!({snapshot_path => "snapshots/cases", prepend_module_to_snapshot => false}, {
            insta::assert_snapshot!(name, rendered);
        });
    }
}

#[test]
fn near_miss_cases_stay_silent() {
    let mut failures = Vec::new();
    for r in RULES {
        for f in case_files(r.id, "ok") {
            let (got, rendered) = findings(&f, r.id);
            if !got.is_empty() {
                failures.push(format!(
                    "{}: {} fired on lines {got:?}\n{rendered}",
                    f.display(),
                    r.id
                ));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// Every file under `dir`, recursively.
fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.filter_map(Result::ok) {
        let p = e.path();
        if p.is_dir() {
            files_under(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[test]
fn no_statement_carries_two_findings_for_one_problem() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    files_under(&root.join("tests/cases"), &mut files);
    files_under(&root.join("fixtures"), &mut files);
    let loss = [
        "drop-database",
        "drop-schema",
        "drop-table",
        "drop-recreate",
        "truncate",
        "delete-without-where",
        "update-without-where",
        "drop-column",
        "tautological-where",
        "delete-null-predicate",
        "drop-index",
        "cascade",
        "drop-if-exists",
    ];
    let mut checked = 0;
    let mut failures = Vec::new();
    for f in files {
        let Some(lang) = preflight::discover::lang_by_name(&f) else {
            continue;
        };
        let bytes = std::fs::read(&f).expect("readable");
        let Ok(out) = check_text(
            &f.display().to_string(),
            bytes,
            lang,
            FileFacts::default(),
            &Settings::default(),
        ) else {
            continue;
        };
        checked += 1;
        let d = &out.diagnostics;
        for (i, a) in d.iter().enumerate() {
            for b in &d[i + 1..] {
                let same_rule = a.rule == b.rule;
                let same_family =
                    loss.contains(&a.rule.as_str()) && loss.contains(&b.rule.as_str());
                // two actions of one ALTER TABLE (`DROP COLUMN a, DROP COLUMN b`) are two
                // problems
                let other_action = matches!((a.action, b.action), (Some(x), Some(y)) if x != y);
                if a.span.start == b.span.start && (same_rule || same_family) && !other_action {
                    failures.push(format!(
                        "{}: {} and {} at {}",
                        f.display(),
                        a.rule,
                        b.rule,
                        a.span.start
                    ));
                }
            }
        }
    }
    assert!(checked > 50, "only {checked} files checked");
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
