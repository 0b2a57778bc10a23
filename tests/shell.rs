//! Shell front end: exact positions of findings (also for SQL inside heredocs and quoted
//! strings), unwrapping, syntax-error recovery and robustness on hostile input.

use preflight::check::FileFacts;
use preflight::check::shell;
use preflight::run::{Settings, check_text};
use preflight::source::{Dialect, Lang, LineIndex};

/// (rule, line, column, end_line, end_column) of every finding.
fn found(src: &str) -> Vec<(String, usize, usize, usize, usize)> {
    let idx = LineIndex::new(src);
    shell::check(src, Dialect::Postgres)
        .into_iter()
        .map(|d| {
            let a = idx.position(src, d.span.start);
            let b = idx.position(src, d.span.end);
            (d.rule, a.line, a.column, b.line, b.column)
        })
        .collect()
}

fn at(src: &str, rule: &str) -> Vec<(usize, usize)> {
    found(src)
        .into_iter()
        .filter(|f| f.0 == rule)
        .map(|f| (f.1, f.2))
        .collect()
}

fn text_of(src: &str, rule: &str) -> Vec<String> {
    shell::check(src, Dialect::Postgres)
        .into_iter()
        .filter(|d| d.rule == rule)
        .map(|d| src[d.span.start..d.span.end].to_string())
        .collect()
}

const INCIDENT: &str = "rm -rf /var/app/releases/temp ../shared/uploads";

#[test]
fn incident_points_at_the_operand() {
    assert_eq!(at(INCIDENT, "rm-parent-path"), vec![(1, 31)]);
    assert_eq!(
        text_of(INCIDENT, "rm-parent-path"),
        vec!["../shared/uploads"]
    );
}

#[test]
fn incident_through_wrappers_functions_and_strings() {
    let cases = [
        (format!("sudo {INCIDENT}"), 36),
        (
            format!("sudo -u deploy -E env A=1 nice -n 5 {INCIDENT}"),
            67,
        ),
        (format!("bash -c '{INCIDENT}'"), 40),
        (format!("sh -ec \"{INCIDENT}\""), 39),
        (format!("ls | xargs -0 -n1 {INCIDENT}"), 49),
        (format!("deploy() {{\n  {INCIDENT}\n}}"), 33),
        (format!("timeout 60 {INCIDENT}"), 42),
        (format!("eval '{INCIDENT}'"), 37),
        (format!("ssh web1 '{INCIDENT}'"), 41),
        (format!("find . -exec {INCIDENT} {{}} +"), 44),
    ];
    for (src, col) in cases {
        let got = at(&src, "rm-parent-path");
        assert_eq!(got.len(), 1, "{src}: {got:?}");
        assert_eq!(got[0].1, col, "{src}");
        assert_eq!(
            text_of(&src, "rm-parent-path"),
            vec!["../shared/uploads"],
            "{src}"
        );
    }
}

#[test]
fn escaped_quotes_inside_bash_c_map_exactly() {
    // the inner `"` characters are escaped in the file: the span still lands on the operand
    let src = "bash -c \"rm -rf \\\"../x\\\"\"";
    let got = text_of(src, "rm-parent-path");
    assert_eq!(got, vec!["\"../x\\\""]);
}

#[test]
fn sql_in_psql_c_maps_line_and_column() {
    let src = "#!/bin/sh\n  psql -d app -c \"DELETE FROM users\"\n";
    let f = found(src);
    let d: Vec<_> = f.iter().filter(|x| x.0 == "delete-without-where").collect();
    assert_eq!(d.len(), 1, "{f:?}");
    assert_eq!((d[0].1, d[0].2, d[0].3, d[0].4), (2, 19, 2, 36));
    assert_eq!(
        text_of(src, "delete-without-where"),
        vec!["DELETE FROM users"]
    );
}

#[test]
fn sql_in_heredocs_maps_line_and_column() {
    let src = "psql app <<SQL\nBEGIN;\n  DROP TABLE users;\nCOMMIT;\nSQL\n";
    assert_eq!(at(src, "drop-table"), vec![(3, 3)]);
    assert_eq!(text_of(src, "drop-table"), vec!["DROP TABLE users"]);
    // <<- strips leading tabs; a quoted delimiter; several statements on several lines
    let src = "if true; then\n\tpsql <<-'EOF'\n\t\tSELECT 1;\n\t\tTRUNCATE audit;\n\tEOF\nfi\n";
    assert_eq!(at(src, "truncate"), vec![(4, 3)]);
    assert_eq!(text_of(src, "truncate"), vec!["TRUNCATE audit"]);
}

#[test]
fn sql_through_pipes_herestrings_and_other_clients() {
    assert_eq!(
        at("echo 'DROP TABLE t;' | psql", "drop-table"),
        vec![(1, 7)]
    );
    assert_eq!(at("psql <<< 'DROP TABLE t'", "drop-table"), vec![(1, 11)]);
    assert_eq!(
        at("cat <<EOF | psql -X\nDROP TABLE t;\nEOF\n", "drop-table"),
        vec![(2, 1)]
    );
    assert_eq!(
        at("mysql -e 'DROP TABLE t' db", "drop-table"),
        vec![(1, 11)]
    );
    assert_eq!(
        at("mysql --execute='DROP TABLE t'", "drop-table"),
        vec![(1, 18)]
    );
    assert_eq!(
        at("sqlite3 app.db 'DROP TABLE t'", "drop-table"),
        vec![(1, 17)]
    );
    assert_eq!(
        at(
            "docker exec -i db psql -U app -c 'DROP TABLE t'",
            "drop-table"
        ),
        vec![(1, 35)]
    );
}

#[test]
fn shell_variables_in_sql_are_opaque() {
    assert!(
        at(
            "psql -c \"DELETE FROM $TABLE WHERE $CONDITION\"",
            "delete-without-where"
        )
        .is_empty()
    );
    assert_eq!(
        at("psql -c \"DELETE FROM $TABLE\"", "delete-without-where"),
        vec![(1, 10)]
    );
    assert!(at("psql -c 'SELECT count(*) FROM users'", "drop-table").is_empty());
}

#[test]
fn psql_f_notes_the_file_and_does_not_guess() {
    let f = found("psql -f migrations/0042.sql\npsql --file=x.sql");
    assert!(f.is_empty(), "{f:?}");
}

#[test]
fn syntax_errors_keep_recovered_commands_and_warn_once() {
    let src = "if [ -d /x ; then\n  echo\nfi\nesac )\nfoo() {\n";
    let src = format!("{src}{INCIDENT}\n");
    let f = found(&src);
    let errors: Vec<_> = f.iter().filter(|x| x.0 == "parse-error").collect();
    assert_eq!(errors.len(), 1, "{f:?}");
    assert_eq!(at(&src, "rm-parent-path"), vec![(6, 31)]);
}

#[test]
fn heredoc_weaknesses_do_not_lose_commands_or_invent_them() {
    let src = "cat <<'EOF'; rm -rf ../x\nrm -rf ../text-only\nEOF\n";
    assert_eq!(at(src, "rm-parent-path"), vec![(1, 21)]);
    let src = "cat <<A <<B; rm -rf ../y\na\nA\nrm -rf ../text\nB\nrm -rf ../z\n";
    assert_eq!(at(src, "rm-parent-path"), vec![(1, 21), (6, 8)]);
}

#[test]
fn text_that_only_mentions_commands_is_silent() {
    for src in [
        "echo \"rm -rf /\"",
        "grep 'DROP TABLE' x.log",
        "cat <<'EOF'\nrm -rf /\nDROP TABLE users;\nEOF\n",
        "# rm -rf /\n# terraform destroy -auto-approve",
        "printf '%s\\n' 'git push --force origin main'",
        "x='rm -rf /'",
    ] {
        let f = found(src);
        assert!(f.is_empty(), "{src}: {f:?}");
    }
}

#[test]
fn variable_facts_in_straight_line_order() {
    let r = "rm-unguarded-variable";
    // assigned after the rm: still unguarded at the rm
    assert_eq!(at("rm -rf \"$D/\"*\nD=/opt/x", r).len(), 1);
    // re-assigned to something unknown: guarded no more
    assert_eq!(at("D=/opt/x\nD=$(cat f)\nrm -rf \"$D/\"*", r).len(), 1);
    // local in a function, from mktemp
    assert!(
        at(
            "f() {\n  local d\n  d=$(mktemp -d)\n  rm -rf \"$d/\"*\n}",
            r
        )
        .is_empty()
    );
    // a subshell's assignment does not leak out
    assert_eq!(at("(D=/opt/x)\nrm -rf \"$D/\"*", r).len(), 1);
    // `[ -n … -o … ]` proves only one of them
    assert_eq!(
        at("[ -n \"$A\" -o -n \"$B\" ] || exit 1\nrm -rf \"$A/\"*", r).len(),
        1
    );
}

#[test]
fn deep_nesting_does_not_overflow() {
    for (open, close) in [
        ("(", ")"),
        ("{ ", "; }"),
        ("$(", ")"),
        ("if true; then ", "; fi"),
    ] {
        let mut s = String::new();
        for _ in 0..10_000 {
            s.push_str(open);
        }
        s.push_str("rm -rf ../x");
        for _ in 0..10_000 {
            s.push_str(close);
        }
        let d = shell::check(&s, Dialect::Postgres);
        // either found, or a clear "too deep" note: never silence
        assert!(
            d.iter()
                .any(|d| d.rule == "rm-parent-path" || d.rule == "parse-error"),
            "{open}: {:?}",
            d.iter().map(|d| &d.rule).collect::<Vec<_>>()
        );
    }
    // a long && chain is flat, not deep
    let chain = vec!["true"; 20_000].join(" && ") + " && rm -rf ../x";
    assert_eq!(at(&chain, "rm-parent-path").len(), 1);
    let mut nested = String::from("echo ");
    for _ in 0..5_000 {
        nested.push_str("\"${a:-");
    }
    for _ in 0..5_000 {
        nested.push_str("}\"");
    }
    shell::check(&nested, Dialect::Postgres);
}

#[test]
fn hostile_bytes_do_not_panic() {
    // NUL bytes straight into the front end
    let d = shell::check("rm -rf ../x\0\0\nrm -rf /\n\0", Dialect::Postgres);
    assert!(d.iter().any(|d| d.rule == "rm-root-path"));
    // invalid UTF-8 through the pipeline: reported, and the rest still checked
    let mut bytes = b"echo \xff\xfe\n".to_vec();
    bytes.extend_from_slice(INCIDENT.as_bytes());
    let out = check_text(
        "bad.sh",
        bytes,
        Lang::Shell,
        FileFacts::default(),
        &Settings::default(),
    )
    .expect("text");
    let rules: Vec<&str> = out.diagnostics.iter().map(|d| d.rule.as_str()).collect();
    assert!(rules.contains(&"parse-error"), "{rules:?}");
    assert!(rules.contains(&"rm-parent-path"), "{rules:?}");
    // multi-byte text around findings keeps character columns
    let src = "echo 'héllo wörld' && rm -rf ../ü";
    assert_eq!(at(src, "rm-parent-path"), vec![(1, 30)]);
    // unterminated quotes, lone heredoc operators, garbage
    for src in [
        "rm -rf '../x",
        "cat <<",
        "<<<<<<",
        "$(((((",
        "\"${",
        "`",
        "case in esac )))",
    ] {
        shell::check(src, Dialect::Postgres);
    }
}

#[test]
fn huge_file_is_checked() {
    let line = "echo \"building $TARGET\" && make -j4 all || exit 1\n";
    let mut s = line.repeat(200_000); // ~10 MB
    s.push_str(INCIDENT);
    let f = at(&s, "rm-parent-path");
    assert_eq!(f, vec![(200_001, 31)]);
}

#[test]
fn truncated_and_spliced_scripts_do_not_panic() {
    // every case script, cut at many points and with a chunk removed: the front end must
    // cope with any prefix (unterminated quotes, heredocs, substitutions, option lists)
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut texts = Vec::new();
    for rule in std::fs::read_dir(&dir).expect("cases") {
        for f in std::fs::read_dir(rule.expect("entry").path()).expect("rule dir") {
            let p = f.expect("entry").path();
            if p.extension().is_some_and(|e| e == "sh") {
                texts.push(std::fs::read_to_string(&p).expect("utf-8 case"));
            }
        }
    }
    assert!(texts.len() > 20);
    let extra = [
        "find / -D",
        "find -D",
        "xargs -I",
        "sudo -u",
        "timeout",
        "bash -c",
        "psql -c",
        "git push",
        "dd of=",
        "ssh",
        "env -u",
        "rm --",
        "trap",
        "eval",
    ];
    for t in extra {
        texts.push(t.to_string());
    }
    for t in &texts {
        let cuts: Vec<usize> = (0..t.len())
            .step_by(5)
            .filter(|i| t.is_char_boundary(*i))
            .collect();
        for &i in &cuts {
            shell::check(&t[..i], Dialect::Postgres);
            if let Some(&j) = cuts.iter().find(|&&j| j > i + 7) {
                let spliced = format!("{}{}", &t[..i], &t[j..]);
                shell::check(&spliced, Dialect::Postgres);
            }
        }
    }
}

/// `[[per-file]] shell-options`: errexit set by the caller makes an unchecked `cd` safe for
/// the scripts the glob matches, and only for those.
#[test]
fn per_file_shell_options_apply_to_matching_scripts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let script = "#!/bin/bash\ncd build\nrm -rf *\n";
    std::fs::create_dir_all(dir.path().join("pkgs")).expect("mkdir");
    std::fs::write(dir.path().join("pkgs/build.sh"), script).expect("write");
    std::fs::write(dir.path().join("other.sh"), script).expect("write");
    std::fs::write(
        dir.path().join("preflight.toml"),
        "[[per-file]]\nglob = \"pkgs/**\"\nshell-options = [\"errexit\"]\n",
    )
    .expect("write");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_preflight"))
        .args(["check", ".", "--format", "concise"])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("other.sh:3:"), "{text}");
    assert!(!text.contains("build.sh"), "{text}");
}

/// Forms tree-sitter-bash rejects and bash accepts (input repair, `src/shell/repair.rs`),
/// from real scripts: no parse-error, and the command after each is still read.
#[test]
fn repaired_forms_keep_the_code_after_them() {
    for form in [
        // dehydrated: a here-string after a file redirection
        "cat > \"${csrfile}\" <<< \"${csr}\"",
        "cat >x 2>&1 <<< \"$(printf '%s' \"$a\" | tr a b)\"",
        // ruby-build: a heredoc's redirection, then a pipe
        "cc -xc -E - <<EOF 2>/dev/null | sed -n 's/\"\\{0,1\\}OpenSSL \\([0-9][0-9.]*\\).*/\\1/p'\n#include <openssl/opensslv.h>\nEOF",
        // ruby-build: the read-write operator
        "exec 4<> \"$LOG_PATH\"",
        // neofetch: `$` before `)` in an arithmetic command
        "has kpm-pkg && ((packages+=$(kpm  --get-selections | grep -cv deinstall$)))",
        // neofetch: an unbalanced `)` in a pattern, a quoted `/` in a pattern
        "de_ver=${de_ver/)*}",
        "theme=\"${theme/ '[GTK2/3]'}\"",
        // neofetch: subscripts in a C-style for header
        "for ((block_range[0]; block_range[0]<=block_range[1]; block_range[0]++)); do :; done",
    ] {
        let src = format!("{form}\nrm -rf /\n");
        let f = found(&src);
        assert!(!f.iter().any(|x| x.0 == "parse-error"), "{src}\n{f:?}");
        let line = src.lines().count();
        assert_eq!(at(&src, "rm-root-path"), vec![(line, 8)], "{src}\n{f:?}");
    }
    // the here-string is still what the command reads: SQL in it is checked
    let src = "psql \"$URL\" > /tmp/out.log <<< \"DROP TABLE users;\"\n";
    assert!(
        found(src).iter().any(|x| x.0 == "drop-table"),
        "{:?}",
        found(src)
    );
}

/// The same shapes broken as bash rejects them keep their parse-error.
#[test]
fn repaired_forms_broken_keep_parse_error() {
    for src in [
        "cat > \"$f\" <<< \n",
        "cat <<EOF 2>/dev/null | | sed p\nhi\nEOF\n",
        "exec 4<>\n",
        "has k && ((p+=$(grep -cv deinstall$))\n",
        "x=${v/)*\n",
        "x=\"${t/ '[GTK2/3]'\"\n",
        "for ((a[0]; a[0]<=a[1]; a[0]++)); do :;\n",
    ] {
        let f = found(src);
        assert!(f.iter().any(|x| x.0 == "parse-error"), "{src}\n{f:?}");
    }
}
