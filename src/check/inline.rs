//! Inline code through the rules: what `python3 -c`, `node -e`, `perl -e`, … run (read by
//! the inline front end) is judged as the shell command it amounts to. A delete is the `rm`
//! of its path (`shutil.rmtree('/srv')` is `rm -rf /srv`: same rules, same classification
//! of the target); a shell string goes back through the shell front end and rules; SQL
//! through the SQL front end. Every span points at the code inside the command.

use super::shell::{check_mapped, command_rules, run_items};
use crate::diagnostic::Diagnostic;
use crate::inline::{self, Effect};
use crate::rules::shell::cmd::Gates;
use crate::rules::shell::{Cmd, Context};
use crate::shell::command::{Command, Mapped, Part, Word};
use crate::shell::facts::State;
use crate::source::Span;

/// How many programs deep inline code is followed (`python -c` running `node -e` …).
const MAX_DEPTH: usize = 4;

pub fn check(
    cmd: &Cmd,
    ctx: &Context,
    dialect: crate::source::Dialect,
    depth: usize,
    out: &mut Vec<Diagnostic>,
) {
    if depth >= MAX_DEPTH {
        return;
    }
    // (only an interpreter's inline code is found: the name says so)
    if !cmd.gates().any(Gates::INTERPRETER) {
        return;
    }
    let Some(found) = cmd.name().and_then(|name| inline::find_named(cmd, name)) else {
        return;
    };
    for e in inline::read(&found) {
        match e {
            Effect::Delete {
                call,
                path,
                recursive,
                span,
            } => {
                // no glob expansion outside a shell: `os.remove('/etc/*')` names one file
                if !recursive && path.text.contains(['*', '?', '[']) {
                    continue;
                }
                let path = home_expanded(&path);
                let rm = as_rm(cmd, &path, recursive, span, &found.described());
                let mut found_here = Vec::new();
                command_rules(&rm, ctx, &mut found_here);
                for mut d in found_here {
                    reword(&mut d, &call);
                    out.push(d);
                }
            }
            Effect::Shell { call, text } => {
                let items = crate::shell::analyze_mapped(
                    &text,
                    &format!("`{call}` in {}", found.described()),
                );
                // a new process: nothing the script established carries over but the cwd
                let mut state = State::default();
                state.cwd_root = ctx.state.cwd_root;
                run_items(
                    &items,
                    ctx.src,
                    ctx.env,
                    dialect,
                    &mut state,
                    depth + 1,
                    out,
                );
            }
            Effect::Sql { text, dialect, .. } => {
                // `execute`/`query`/`exec` also name calls that are not SQL (`re.exec`):
                // only a text that starts like SQL is read as SQL
                if looks_like_sql(&text.text) {
                    let mut found_here = Vec::new();
                    check_mapped(&text, dialect, &mut found_here);
                    out.extend(found_here.into_iter().filter(|d| d.rule != "parse-error"));
                }
            }
        }
    }
}

fn looks_like_sql(text: &str) -> bool {
    let first: String = text
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect::<String>()
        .to_ascii_uppercase();
    matches!(
        first.as_str(),
        "SELECT"
            | "INSERT"
            | "UPDATE"
            | "DELETE"
            | "DROP"
            | "TRUNCATE"
            | "ALTER"
            | "CREATE"
            | "WITH"
            | "BEGIN"
            | "REPLACE"
            | "MERGE"
            | "GRANT"
            | "REVOKE"
            | "COPY"
            | "RENAME"
            | "SET"
            | "PRAGMA"
            | "VACUUM"
            | "ATTACH"
            | "DETACH"
            | "USE"
            | "EXEC"
            | "CALL"
    )
}

/// `$HOME` in code a shell handed over unquoted was expanded before the program saw it.
fn home_expanded(path: &Mapped) -> Mapped {
    for v in ["${HOME}", "$HOME"] {
        if let Some(rest) = path.text.strip_prefix(v)
            && (rest.is_empty() || rest.starts_with('/'))
        {
            let mut m = Mapped::default();
            m.push_at("~", path.at(0));
            m.append(&path.slice(v.len(), path.text.len()));
            return m;
        }
    }
    path.clone()
}

/// The `rm` a delete amounts to: `rm -rf PATH` (recursive) or `rm PATH`, its operand spanning
/// the whole call.
fn as_rm(cmd: &Command, path: &Mapped, recursive: bool, span: Span, how: &str) -> Command {
    let lit = |s: &str, quoted: bool| Word {
        span,
        parts: smallvec::smallvec![Part::Lit {
            text: s.into(),
            quoted,
        }],
        src: {
            let mut m = Mapped::default();
            m.push_at(s, span.start);
            m
        },
    };
    let mut words = vec![lit("rm", false)];
    if recursive {
        words.push(lit("-rf", false));
    }
    words.push(Word {
        span,
        parts: smallvec::smallvec![Part::Lit {
            text: path.text.clone(),
            // `~` is the home directory (the code said so); nothing else expands
            quoted: !path.text.starts_with('~'),
        }],
        src: path.clone(),
    });
    let mut via = cmd.via.clone();
    via.push(how.to_string());
    Command {
        words,
        span,
        stdin: None,
        flow: cmd.flow,
        via,
        reparsed: true,
        in_pipeline: cmd.in_pipeline,
        fed_by: Vec::new(),
        bound: cmd.bound,
        redirects: Vec::new(),
    }
}

/// The rm rules speak of `rm`; say which call it was.
fn reword(d: &mut Diagnostic, call: &str) {
    for (from, to) in [
        ("`rm` of ", format!("`{call}` of ")),
        ("recursive rm of ", format!("recursive `{call}` of ")),
    ] {
        if let Some(rest) = d.message.strip_prefix(from) {
            d.message = format!("{to}{rest}");
        }
    }
    for l in &mut d.labels {
        if l.message == "rm" || l.message == "recursive rm" {
            l.message = format!("`{call}`");
        }
    }
}
