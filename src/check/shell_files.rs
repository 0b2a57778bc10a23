//! Files a shell command runs or writes (issue 13, item 5): `psql -f FILE`, `psql < FILE`,
//! `mysql < FILE`, `sqlite3 DB < FILE` / `".read FILE"`, `bash FILE`, `sh FILE`,
//! `source FILE`, `. FILE`; and `cat > f.sql <<'EOF'` / `tee f.sh <<EOF`.
//!
//! A file that exists is checked as SQL or shell and its findings are reported at the
//! command, naming the file and line. A file the same run checks on its own is not repeated
//! at the command (one finding per problem). In hook mode a file that cannot be read is an
//! `unchecked-file` warning (the hook blocks at its threshold: fail closed); `check` notes a
//! relative SQL file it cannot find (info) and says nothing of missing shell files (where a
//! script runs is not known there).

use super::shell::{check_in, check_mapped};
use super::{SqlOptions, check_sql};
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::shell::cmd::Gates;
use crate::rules::shell::{Cmd, command_span};
use crate::shell::command::{Command, Mapped, Word};
use crate::shell::env::Env;
use crate::shell::sql::dialect_of;
use crate::source::{Dialect, Lang, LineIndex, Span};
use std::path::Path;

/// Nesting limit for files run by files.
const MAX_DEPTH: usize = 3;

/// The commands [`runs`] names: a database client, `source` / `.`, a shell.
pub(super) const RUNS_FILES: Gates = Gates::SQL_CLIENT.union(Gates::SOURCE).union(Gates::SHELL);

/// What the command runs: (path as written, where it is written, language).
pub(super) fn runs(cmd: &Cmd) -> Vec<(String, Span, Lang)> {
    let mut v = Vec::new();
    let Some(name) = cmd.name() else { return v };
    let lit = |w: &Word| w.lit().filter(|l| !l.is_empty() && !w.has_glob());
    match name {
        "psql" | "mysql" | "mariadb" | "sqlite3" | "sqlite" => {
            // (read once for the command: `extract`)
            let files = cmd.sql().map_or(&[][..], |(found, _)| &found.files);
            // a literal path only: `-f "$MIGRATION"` names no file we can read
            for (f, span) in files {
                if !f.is_empty() && !f.contains(['$', '`', '*', '?', '[']) {
                    v.push((f.clone(), *span, Lang::Sql));
                }
            }
            for r in cmd.redirects.iter().filter(|r| r.reads()) {
                if let Some(l) = lit(&r.target) {
                    v.push((l, r.target.span, Lang::Sql));
                }
            }
            if matches!(name, "sqlite3" | "sqlite") {
                for w in cmd.args() {
                    if let Some(f) = w
                        .lit()
                        .as_deref()
                        .and_then(|l| l.trim().strip_prefix(".read "))
                    {
                        let f = f.trim().trim_matches(['"', '\'']);
                        if !f.is_empty() {
                            v.push((f.to_string(), w.span, Lang::Sql));
                        }
                    }
                }
            }
        }
        "source" | "." => {
            if let Some(l) = cmd.args().first().and_then(lit) {
                v.push((l, cmd.args()[0].span, Lang::Shell));
            }
        }
        "bash" | "sh" | "dash" | "ksh" => {
            // the first operand is the script, unless the code comes from `-c` or stdin (`-s`)
            let args = cmd.args();
            let mut i = 0;
            while let Some(w) = args.get(i) {
                let l = w.lit();
                match l.as_deref() {
                    Some("-c" | "-s") => return v,
                    Some("-o" | "+o" | "-O" | "+O" | "--rcfile" | "--init-file") => i += 2,
                    Some(o) if o.starts_with('-') || o.starts_with('+') => {
                        if o.contains('c') && !o.starts_with("--") {
                            return v;
                        }
                        i += 1
                    }
                    _ => {
                        if let Some(l) = lit(w) {
                            v.push((l, w.span, Lang::Shell));
                        }
                        break;
                    }
                }
            }
        }
        _ => {}
    }
    v
}

/// `cat > f.sql <<EOF`, `tee f.sh <<EOF`: the file written from the heredoc and its language.
fn writes(cmd: &Cmd) -> Option<(String, Lang)> {
    let body = cmd.stdin.as_ref()?;
    if body.text.trim().is_empty() {
        return None;
    }
    let target = match cmd.name()? {
        "cat" if cmd.args().is_empty() => cmd
            .redirects
            .iter()
            .find(|r| r.op == ">" || r.op == ">>" || r.op == ">|")
            .map(|r| &r.target)?,
        "tee" => cmd
            .args()
            .iter()
            .find(|w| !w.lit_cow().is_some_and(|l| l.starts_with('-')))?,
        _ => return None,
    };
    let name = target.src.text.to_string();
    let lang = crate::discover::lang_by_name(Path::new(&name))?;
    matches!(lang, Lang::Sql | Lang::Shell).then_some((name, lang))
}

/// Check what the command runs or writes; findings go to `out`.
pub fn check(cmd: &Cmd, env: &Env, dialect: Dialect, out: &mut Vec<Diagnostic>) {
    if let Some((name, lang)) = writes(cmd)
        && let Some(body) = &cmd.stdin
    {
        written(body, &name, lang, env, dialect, out);
    }
    // (the name says whether the command can run a file at all)
    if env.depth >= MAX_DEPTH || (env.dirs.is_empty() && !env.hook) || !cmd.gates().any(RUNS_FILES)
    {
        return;
    }
    for (file, at, lang) in runs(cmd) {
        run_file(cmd, &file, at, lang, env, out);
    }
}

/// The heredoc written to `name`, checked like the agent's Write of that content; spans
/// point into the heredoc.
fn written(
    body: &Mapped,
    name: &str,
    lang: Lang,
    env: &Env,
    dialect: Dialect,
    out: &mut Vec<Diagnostic>,
) {
    match lang {
        Lang::Sql => {
            let before = out.len();
            check_mapped(body, dialect, out);
            for d in &mut out[before..] {
                d.message = format!("{} (in the `{name}` this command writes)", d.message);
            }
        }
        Lang::Shell if env.depth < MAX_DEPTH => {
            let inner = Env {
                depth: env.depth + 1,
                ..env.clone()
            };
            for mut d in check_in(&body.text, dialect, &inner) {
                if d.rule == "parse-error" {
                    continue;
                }
                d.map_spans(|s| body.span(s));
                d.message = format!("{} (in the `{name}` this command writes)", d.message);
                out.push(d);
            }
        }
        _ => {}
    }
}

fn run_file(cmd: &Command, file: &str, at: Span, lang: Lang, env: &Env, out: &mut Vec<Diagnostic>) {
    let shown = display(cmd);
    let Some(path) = env.locate(file) else {
        // `check` cannot know where a script runs: scripts `cd` to their repository's top
        // first, and absolute paths (`/opt/bitnami/scripts/liblog.sh`) exist only in the
        // image. It notes only a relative SQL file a client runs (`psql -f db/x.sql`); the
        // hook, which knows the working directory, blocks on every file it cannot see.
        if !env.hook && (lang != Lang::Sql || Path::new(file).is_absolute()) {
            return;
        }
        // `~/…` and files nowhere to be found
        out.push(unchecked(
            cmd,
            at,
            env,
            &format!(
                "`{shown}` runs `{file}`, which {}: it was not checked",
                if env.hook {
                    "does not exist in the working directory"
                } else {
                    "was not found next to the script or in the working directory"
                }
            ),
        ));
        return;
    };
    if env
        .in_run
        .as_ref()
        .is_some_and(|set| std::fs::canonicalize(&path).is_ok_and(|c| set.contains(&c)))
    {
        return; // checked on its own in this run: its findings are reported there
    }
    let text = match std::fs::read(&path) {
        Ok(b) if crate::run::looks_binary(&b) => {
            out.push(unchecked(
                cmd,
                at,
                env,
                &format!("`{shown}` runs `{file}`, which is not a text file: it was not checked"),
            ));
            return;
        }
        Ok(b) => String::from_utf8_lossy(&b).into_owned(),
        Err(e) => {
            out.push(unchecked(
                cmd,
                at,
                env,
                &format!("`{shown}` runs `{file}`, which cannot be read ({e}): it was not checked"),
            ));
            return;
        }
    };
    let dialect = dialect_of(cmd);
    let diags = match lang {
        Lang::Sql => check_sql(
            &text,
            dialect,
            &SqlOptions {
                down: crate::discover::is_down_migration(&path),
                shell_vars: false,
            },
        ),
        _ => {
            let inner = Env {
                depth: env.depth + 1,
                ..env.clone()
            };
            check_in(&text, dialect, &inner)
        }
    };
    let kept = crate::suppress::apply(&text, lang, dialect, diags).kept;
    let idx = LineIndex::new(&text);
    for d in kept {
        if d.rule == "parse-error" || d.severity == Severity::Info {
            continue;
        }
        let line = idx.position(&text, d.span.start).line;
        let mut n = Diagnostic::new(
            &d.rule,
            span_with(cmd, at),
            format!("{} ({file}, line {line}, run by `{shown}`)", d.message),
        )
        .severity(d.severity)
        .with_label(at, format!("runs {file}"))
        .help(d.help.clone());
        n.extra = d.extra.clone();
        out.push(n);
    }
}

/// The command with the file it names (`psql < x.sql`: the redirection is outside the
/// command node).
fn span_with(cmd: &Command, at: Span) -> Span {
    let s = command_span(cmd);
    if at.start >= s.start {
        Span::new(s.start, s.end.max(at.end))
    } else {
        s
    }
}

fn unchecked(cmd: &Command, at: Span, env: &Env, msg: &str) -> Diagnostic {
    Diagnostic::new("unchecked-file", span_with(cmd, at), msg.to_string())
        .severity(if env.hook {
            Severity::Warning
        } else {
            Severity::Info
        })
        .with_label(at, "this file")
        .help(if env.hook {
            "run the command from the directory that holds the file (or give its path), so \
             preflight can read what it runs"
        } else {
            "check the file with preflight too, or run the command where preflight can see it"
        })
}

fn display(cmd: &Command) -> String {
    let s: Vec<&str> = cmd.words.iter().map(|w| w.src.text.trim()).collect();
    let s = s.join(" ");
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(59).collect::<String>())
    } else {
        s
    }
}
