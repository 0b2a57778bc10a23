//! Suppression comments (DESIGN.md):
//!
//! ```text
//! -- preflight: allow(drop-table) legacy sessions moved to redis in #812
//! # preflight: allow(rm-parent-path, rm-unguarded-variable) release dir is created above
//! -- preflight: allow-file(drop-index) reason…
//! ```
//!
//! A comment on its own line covers the next statement (SQL) or command (shell); at the end
//! of a line it covers that line's statements/commands; `allow-file` covers the whole file.
//! A reason is mandatory: without one the suppression does not apply and
//! `suppression-without-reason` is reported. A suppression that matched nothing, or names a
//! rule that does not exist, is reported as `unused-suppression`.
//!
//! Comments are found by lexers that know strings: SQL uses [`crate::sql::lexer`]; shell
//! uses a small scanner that knows quotes, backslashes and heredocs (SQL comments inside a
//! heredoc body are read with the SQL lexer, so `-- preflight: …` works there too).

use crate::diagnostic::Diagnostic;
use crate::source::{Dialect, Lang, Span};
use crate::sql::lexer::{Lexer, TokenKind};

mod shell_scan;
use shell_scan::scan_shell;

/// Diagnostics after suppressions: what remains (including the meta findings) and what was
/// suppressed.
#[derive(Debug, Default)]
pub struct Applied {
    pub kept: Vec<Diagnostic>,
    pub suppressed: Vec<Diagnostic>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Scope {
    File,
    /// Diagnostics whose primary span starts inside one of these ranges.
    Ranges(Vec<Span>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Directive {
    /// The comment (for meta findings).
    comment: Span,
    rules: Vec<String>,
    reason: String,
    file: bool,
}

#[derive(Debug, Clone)]
struct Suppression {
    directive: Directive,
    scope: Scope,
}

/// What a `preflight:` comment says. `None`: not a preflight comment at all.
/// `Some(Err(..))`: it starts with `preflight:` but is not a valid directive.
/// `(allow-file?, rule ids, reason)`.
type Parsed = (bool, Vec<String>, String);

fn parse_directive(body: &str) -> Option<Result<Parsed, String>> {
    let rest = body.trim_start().strip_prefix("preflight:")?.trim_start();
    let (file, rest) = if let Some(r) = rest.strip_prefix("allow-file") {
        (true, r)
    } else if let Some(r) = rest.strip_prefix("allow") {
        (false, r)
    } else {
        return Some(Err(
            "not a preflight directive: expected `allow(rule, …) reason` or \
             `allow-file(rule, …) reason`"
                .to_string(),
        ));
    };
    let Some(rest) = rest.trim_start().strip_prefix('(') else {
        return Some(Err(
            "expected `(` and a list of rule ids after `allow`".to_string()
        ));
    };
    let Some(close) = rest.find(')') else {
        return Some(Err("the rule list is not closed with `)`".to_string()));
    };
    let rules: Vec<String> = rest[..close]
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    if rules.is_empty() {
        return Some(Err("the rule list is empty".to_string()));
    }
    let reason = rest[close + 1..].trim();
    // punctuation alone (`:`, `-`, `—`) is not a reason
    let reason = if reason.chars().any(char::is_alphanumeric) {
        reason.to_string()
    } else {
        String::new()
    };
    Some(Ok((file, rules, reason)))
}

/// The text of a comment token without its markers.
fn comment_body(text: &str) -> &str {
    if let Some(b) = text.strip_prefix("--") {
        b
    } else if let Some(b) = text.strip_prefix('#') {
        b
    } else if let Some(b) = text.strip_prefix("/*") {
        b.strip_suffix("*/").unwrap_or(b)
    } else {
        text
    }
}

/// Is there only whitespace between the start of `at`'s line and `at`?
fn own_line(text: &str, at: usize) -> bool {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    text[line_start..at].trim().is_empty()
}

fn line_bounds(text: &str, at: usize) -> (usize, usize) {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    (start, end)
}

/// A comment found in the text, plus how to resolve its coverage.
struct Found {
    span: Span,
    body_start: usize,
}

// ---------------------------------------------------------------- SQL

fn sql_comments(text: &str, dialect: Dialect) -> Vec<Found> {
    Lexer::new(text, dialect)
        .filter(|t| t.kind == TokenKind::Comment)
        .map(|t| Found {
            span: t.span,
            body_start: t.span.start,
        })
        .collect()
}

/// Statement spans of a SQL text (offset by `base`).
fn sql_statements(text: &str, dialect: Dialect, base: usize) -> Vec<Span> {
    crate::sql::split::split(text, dialect)
        .into_iter()
        .map(|s| s.span.shift(base))
        .collect()
}

/// The statements a SQL comment at `c` covers.
fn sql_cover(text: &str, stmts: &[Span], c: Span) -> Vec<Span> {
    if own_line(text, c.start) {
        // inside a statement (a comment line in the middle of it): that statement
        if let Some(s) = stmts.iter().find(|s| s.start < c.start && c.start < s.end) {
            return vec![*s];
        }
        stmts
            .iter()
            .find(|s| s.start >= c.end)
            .map(|s| vec![*s])
            .unwrap_or_default()
    } else {
        let (line_start, _) = line_bounds(text, c.start);
        stmts
            .iter()
            .filter(|s| s.start < c.start && s.end >= line_start)
            .copied()
            .collect()
    }
}

// ---------------------------------------------------------------- apply

/// Collect every directive with its scope; malformed ones become meta diagnostics.
fn collect(
    text: &str,
    lang: Lang,
    dialect: Dialect,
    meta: &mut Vec<Diagnostic>,
) -> Vec<Suppression> {
    let mut out = Vec::new();
    let mut push = |found: &Found, cover: &dyn Fn() -> Vec<Span>, meta: &mut Vec<Diagnostic>| {
        let raw = &text[found.body_start..found.span.end];
        let Some(parsed) = parse_directive(comment_body(raw)) else {
            return;
        };
        match parsed {
            Err(why) => meta.push(
                Diagnostic::new("unused-suppression", found.span, format!("{why}; this comment suppresses nothing"))
                    .label("not understood")
                    .help("write `preflight: allow(rule-id) reason` (see `preflight explain unused-suppression`)"),
            ),
            Ok((file, rules, reason)) => {
                let directive = Directive {
                    comment: found.span,
                    rules,
                    reason,
                    file,
                };
                let scope = if file {
                    Scope::File
                } else {
                    Scope::Ranges(cover())
                };
                out.push(Suppression { directive, scope });
            }
        }
    };
    match lang {
        Lang::Sql => {
            let stmts = sql_statements(text, dialect, 0);
            for c in sql_comments(text, dialect) {
                push(&c, &|| sql_cover(text, &stmts, c.span), meta);
            }
        }
        Lang::Js | Lang::Php => {
            let covers = if lang == Lang::Js {
                crate::js::comment_covers(text)
            } else {
                crate::php::comment_covers(text)
            };
            for (comment, cover) in covers {
                // `// …`: the body follows the slashes (`#` and `/* … */` are read as
                // for SQL and Python)
                let slashes = text[comment.start..].starts_with("//");
                let c = Found {
                    span: comment,
                    body_start: comment.start + if slashes { 2 } else { 0 },
                };
                push(&c, &|| vec![cover], meta);
            }
        }
        Lang::Python => {
            for (comment, cover) in crate::python::comment_covers(text) {
                let c = Found {
                    span: comment,
                    body_start: comment.start,
                };
                push(&c, &|| vec![cover], meta);
            }
        }
        Lang::Ruby => {
            for (comment, cover) in crate::ruby::comment_covers(text) {
                let c = Found {
                    span: comment,
                    body_start: comment.start,
                };
                push(&c, &|| vec![cover], meta);
            }
        }
        Lang::Shell => {
            let scan = scan_shell(text);
            for c in &scan.comments {
                let cover = || {
                    let next = if own_line(text, c.span.start) {
                        scan.lines.iter().find(|l| l.span.start >= c.span.end)
                    } else {
                        scan.lines
                            .iter()
                            .find(|l| l.span.start <= c.span.start && c.span.start < l.span.end)
                    };
                    next.map(|l| vec![l.span]).unwrap_or_default()
                };
                push(c, &cover, meta);
            }
            // SQL comments inside heredoc bodies (psql <<SQL … SQL)
            for h in &scan.heredocs {
                let body = &text[h.start..h.end];
                let stmts = sql_statements(body, dialect, h.start);
                for mut c in sql_comments(body, dialect) {
                    c.span = c.span.shift(h.start);
                    c.body_start += h.start;
                    push(&c, &|| sql_cover(text, &stmts, c.span), meta);
                }
            }
        }
    }
    out
}

/// Rules whose findings are added after [`apply`] ran (the live database check); [`apply`]
/// does not call their suppressions unused, [`apply_late`] applies them.
fn is_late(rule: &str) -> bool {
    matches!(
        crate::rules::group_of(rule),
        Some(crate::rules::Group::Live | crate::rules::Group::DryRun)
    )
}

/// Apply the suppression comments of `text` to findings produced after [`apply`] (the live
/// check): coverage only; malformed or unused comments were reported by [`apply`].
pub fn apply_late(text: &str, lang: Lang, dialect: Dialect, diags: Vec<Diagnostic>) -> Applied {
    if !text.contains("preflight:") {
        return Applied {
            kept: diags,
            suppressed: Vec::new(),
        };
    }
    let mut ignored = Vec::new();
    let sups = collect(text, lang, dialect, &mut ignored);
    let mut out = Applied::default();
    for d in diags {
        if sups.iter().any(|s| covers(s, &d)) {
            out.suppressed.push(d);
        } else {
            out.kept.push(d);
        }
    }
    out
}

/// Does this (reasoned) suppression silence `d`?
fn covers(s: &Suppression, d: &Diagnostic) -> bool {
    !s.directive.reason.is_empty()
        && s.directive.rules.contains(&d.rule)
        && match &s.scope {
            Scope::File => true,
            Scope::Ranges(rs) => rs
                .iter()
                .any(|r| r.start <= d.span.start && d.span.start < r.end.max(r.start + 1)),
        }
}

/// Apply the suppression comments of `text` to `diags`.
pub fn apply(text: &str, lang: Lang, dialect: Dialect, diags: Vec<Diagnostic>) -> Applied {
    // most files have no directive: skip the lexing
    if !text.contains("preflight:") {
        return Applied {
            kept: diags,
            suppressed: Vec::new(),
        };
    }
    let mut meta = Vec::new();
    let sups = collect(text, lang, dialect, &mut meta);
    // (suppression index, rule index) → used
    let mut used: Vec<Vec<bool>> = sups
        .iter()
        .map(|s| vec![false; s.directive.rules.len()])
        .collect();
    let mut out = Applied::default();
    for d in diags {
        let mut hit = false;
        for (si, s) in sups.iter().enumerate() {
            if s.directive.reason.is_empty() {
                continue;
            }
            let Some(ri) = s.directive.rules.iter().position(|r| *r == d.rule) else {
                continue;
            };
            let covers = match &s.scope {
                Scope::File => true,
                Scope::Ranges(rs) => rs
                    .iter()
                    .any(|r| r.start <= d.span.start && d.span.start < r.end.max(r.start + 1)),
            };
            if covers {
                used[si][ri] = true;
                hit = true;
            }
        }
        if hit {
            out.suppressed.push(d);
        } else {
            out.kept.push(d);
        }
    }
    for (s, used) in sups.iter().zip(&used) {
        let d = &s.directive;
        let kind = if d.file { "allow-file" } else { "allow" };
        if d.reason.is_empty() {
            meta.push(
                Diagnostic::new(
                    "suppression-without-reason",
                    d.comment,
                    format!(
                        "`{kind}({})` has no reason, so it does not apply",
                        d.rules.join(", ")
                    ),
                )
                .label("reason missing")
                .help(format!(
                    "say why this is safe after the parenthesis: `preflight: {kind}({}) <reason, e.g. a ticket>`",
                    d.rules.join(", ")
                )),
            );
            continue;
        }
        let unknown: Vec<&str> = d
            .rules
            .iter()
            .filter(|r| crate::rules::meta(r).is_none())
            .map(String::as_str)
            .collect();
        let unused: Vec<&str> = d
            .rules
            .iter()
            .zip(used)
            .filter(|(r, u)| !**u && crate::rules::meta(r).is_some() && !is_late(r))
            .map(|(r, _)| r.as_str())
            .collect();
        if !unknown.is_empty() {
            meta.push(
                Diagnostic::new(
                    "unused-suppression",
                    d.comment,
                    format!(
                        "`{kind}` names unknown rule{} {}",
                        if unknown.len() == 1 { "" } else { "s" },
                        quoted(&unknown)
                    ),
                )
                .label("unknown rule id")
                .help(
                    match unknown.iter().find_map(|u| crate::config::closest(u)) {
                        Some(c) => {
                            format!("did you mean `{c}`? `preflight rules` lists every rule id")
                        }
                        None => "`preflight rules` lists every rule id".to_string(),
                    },
                ),
            );
        }
        if !unused.is_empty() {
            let scope = if d.file {
                "in this file"
            } else if matches!(&s.scope, Scope::Ranges(r) if r.is_empty()) {
                "(there is no statement or command after it)"
            } else if own_line(text, d.comment.start) {
                "on the next statement or command"
            } else {
                "on this line"
            };
            meta.push(
                Diagnostic::new(
                    "unused-suppression",
                    d.comment,
                    format!("`{kind}({})` suppresses nothing {scope}", unused.join(", ")),
                )
                .label("matched no finding")
                .help("remove the suppression, or move it to the line before the statement or command it is for"),
            );
        }
    }
    out.kept.extend(meta);
    out.kept
        .sort_by(|a, b| (a.span.start, &a.rule).cmp(&(b.span.start, &b.rule)));
    out
}

fn quoted(ids: &[&str]) -> String {
    ids.iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(rule: &str, text: &str, needle: &str) -> Diagnostic {
        let at = text.find(needle).expect("needle in text");
        Diagnostic::new(rule, Span::new(at, at + needle.len()), "x")
    }

    fn rules_of(v: &[Diagnostic]) -> Vec<&str> {
        v.iter().map(|d| d.rule.as_str()).collect()
    }

    #[test]
    fn directive_parsing() {
        assert_eq!(parse_directive(" not ours"), None);
        assert_eq!(
            parse_directive(" preflight: allow(a, b) because #12"),
            Some(Ok((
                false,
                vec!["a".into(), "b".into()],
                "because #12".into()
            )))
        );
        assert_eq!(
            parse_directive("preflight: allow-file(a)   "),
            Some(Ok((true, vec!["a".into()], String::new())))
        );
        assert_eq!(
            parse_directive("preflight: allow(a) -"),
            Some(Ok((false, vec!["a".into()], String::new())))
        );
        assert!(matches!(
            parse_directive("preflight: alow(a) x"),
            Some(Err(_))
        ));
        assert!(matches!(
            parse_directive("preflight: allow() x"),
            Some(Err(_))
        ));
        assert!(matches!(
            parse_directive("preflight: allow(a x"),
            Some(Err(_))
        ));
    }

    #[test]
    fn sql_own_line_covers_the_next_multiline_statement_only() {
        let t = "-- preflight: allow(drop-table) moved to redis in #812\nDROP TABLE\n  a;\nDROP TABLE b;\n";
        let diags = vec![
            d("drop-table", t, "DROP TABLE\n"),
            d("drop-table", t, "DROP TABLE b"),
        ];
        let a = apply(t, Lang::Sql, Dialect::Postgres, diags);
        assert_eq!(a.suppressed.len(), 1);
        assert_eq!(rules_of(&a.kept), ["drop-table"]);
        assert!(a.kept[0].span.start > t.find("a;").unwrap_or(0));
    }

    #[test]
    fn sql_same_line_and_strings() {
        let t = "DROP TABLE a; -- preflight: allow(drop-table) scratch\nSELECT '-- preflight: allow(drop-table) x';\nDROP TABLE b;\n";
        let diags = vec![
            d("drop-table", t, "DROP TABLE a"),
            d("drop-table", t, "DROP TABLE b"),
        ];
        let a = apply(t, Lang::Sql, Dialect::Postgres, diags);
        assert_eq!(a.suppressed.len(), 1);
        assert_eq!(
            rules_of(&a.kept),
            ["drop-table"],
            "the one in a string is not a comment"
        );
    }

    #[test]
    fn missing_reason_does_not_apply() {
        let t = "-- preflight: allow(drop-table)\nDROP TABLE a;\n";
        let a = apply(
            t,
            Lang::Sql,
            Dialect::Postgres,
            vec![d("drop-table", t, "DROP TABLE a")],
        );
        assert!(a.suppressed.is_empty());
        let mut got = rules_of(&a.kept);
        got.sort();
        assert_eq!(got, ["drop-table", "suppression-without-reason"]);
    }

    #[test]
    fn unused_and_unknown() {
        let t = "-- preflight: allow(drop-table, no-such-rule) why\nSELECT 1;\n";
        let a = apply(t, Lang::Sql, Dialect::Postgres, vec![]);
        assert_eq!(
            rules_of(&a.kept),
            ["unused-suppression", "unused-suppression"]
        );
        assert!(a.kept[0].message.contains("no-such-rule"));
        assert!(a.kept[1].message.contains("drop-table"));
    }

    #[test]
    fn live_rules_are_applied_late_and_never_unused() {
        let t = "-- preflight: allow(live-blast-radius) archived first, see #9\nDELETE FROM u WHERE x IS NULL;\nDELETE FROM v WHERE x IS NULL;\n";
        let a = apply(t, Lang::Sql, Dialect::Postgres, vec![]);
        assert!(a.kept.is_empty(), "not unused: {:?}", a.kept);
        let late = vec![
            d("live-blast-radius", t, "DELETE FROM u"),
            d("live-blast-radius", t, "DELETE FROM v"),
        ];
        let a = apply_late(t, Lang::Sql, Dialect::Postgres, late);
        assert_eq!(a.suppressed.len(), 1);
        assert_eq!(a.kept.len(), 1);
        assert!(a.kept[0].span.start == t.find("DELETE FROM v").unwrap_or(0));
    }

    #[test]
    fn allow_file() {
        let t = "SELECT 1;\nDROP INDEX a;\n-- preflight: allow-file(drop-index) indexes are rebuilt nightly\nDROP INDEX b;\n";
        let diags = vec![
            d("drop-index", t, "DROP INDEX a"),
            d("drop-index", t, "DROP INDEX b"),
        ];
        let a = apply(t, Lang::Sql, Dialect::Postgres, diags);
        assert_eq!(a.suppressed.len(), 2);
        assert!(a.kept.is_empty());
    }

    #[test]
    fn shell_comments_know_quotes_and_continuations() {
        let t = "echo '# preflight: allow(truncate) nope'\n# preflight: allow(truncate) release dir is ours\nrm -rf \\\n  ../x\nrm -rf ../y # preflight: allow(truncate) also ours\nrm -rf ../z\n";
        let diags = vec![
            d("truncate", t, "../x"),
            d("truncate", t, "../y"),
            d("truncate", t, "../z"),
        ];
        let a = apply(t, Lang::Shell, Dialect::Postgres, diags);
        assert_eq!(a.suppressed.len(), 2);
        assert_eq!(rules_of(&a.kept), ["truncate"]);
        assert!(a.kept[0].span.start == t.find("../z").unwrap_or(0));
    }

    #[test]
    fn shell_hash_inside_word_is_not_a_comment() {
        let s = scan_shell("echo a#b \"#c\" $# ${x#y} # real\n");
        assert_eq!(s.comments.len(), 1);
    }

    #[test]
    fn shell_own_line_covers_heredoc_body() {
        let t = "# preflight: allow(drop-table) sessions moved, see #812\npsql <<'SQL'\nSELECT 1;\nDROP TABLE s;\nSQL\nDROP_AGAIN=1\n";
        let a = apply(
            t,
            Lang::Shell,
            Dialect::Postgres,
            vec![d("drop-table", t, "DROP TABLE s")],
        );
        assert_eq!(a.suppressed.len(), 1);
        assert!(a.kept.is_empty(), "{:?}", a.kept);
    }

    #[test]
    fn sql_comment_inside_shell_heredoc() {
        let t = "psql <<SQL\n-- preflight: allow(drop-table) scratch copy\nDROP TABLE s;\nDROP TABLE t;\nSQL\n";
        let diags = vec![
            d("drop-table", t, "DROP TABLE s"),
            d("drop-table", t, "DROP TABLE t"),
        ];
        let a = apply(t, Lang::Shell, Dialect::Postgres, diags);
        assert_eq!(a.suppressed.len(), 1);
        assert_eq!(rules_of(&a.kept), ["drop-table"]);
    }

    #[test]
    fn shifts_and_here_strings_are_not_heredocs() {
        let s = scan_shell("x=$((1 << 2))\ny=$(( a<<b ))\ncat <<< \"$x\"\n# c\nls\n");
        assert_eq!(s.comments.len(), 1, "the comment after them is still found");
        assert!(s.heredocs.is_empty());
        assert_eq!(s.lines.len(), 4);
    }

    #[test]
    fn heredoc_body_hash_is_not_a_shell_comment() {
        let s = scan_shell("cat <<EOF\n# preflight: allow(x) y\nEOF\nls\n");
        assert!(s.comments.is_empty());
        assert_eq!(s.lines.len(), 2);
    }

    #[test]
    fn never_panics_on_odd_text() {
        let pieces = [
            "# preflight: allow(drop-table) r\n",
            "-- preflight: allow(drop-table) r\n",
            "-- preflight: allow-file(x)",
            "/* preflight: allow(drop-table) y */",
            "\\",
            "\\é",
            "'",
            "\"",
            "`",
            "<<",
            "<<-'E'\n",
            "E\n",
            "$'",
            "é",
            "😀",
            "\n",
            " ",
            ";",
            "DROP TABLE t",
            "#",
            "preflight:",
            "allow(",
            ")",
            "$$",
            "\r\n",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..3000 {
            let mut t = String::new();
            for _ in 0..12 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                t.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            }
            let diags: Vec<Diagnostic> = t
                .char_indices()
                .step_by(3)
                .map(|(i, _)| Diagnostic::new("drop-table", Span::new(i, t.len()), "x"))
                .collect();
            for lang in [Lang::Sql, Lang::Shell] {
                let n = diags.len();
                let a = apply(&t, lang, Dialect::Postgres, diags.clone());
                let metas = a.kept.iter().filter(|d| d.rule != "drop-table").count();
                assert_eq!(a.kept.len() - metas + a.suppressed.len(), n, "{t:?}");
            }
        }
    }
}
