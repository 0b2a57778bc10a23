//! The shell pipeline: the shell front end's commands and variable facts run through the
//! shell rules, and the SQL a database client command runs is checked through the SQL front
//! end, its spans mapped back into the script.

use super::{SqlOptions, check_sql};
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::shell::{Cmd, Context};
use crate::shell::command::{Command, Item, Mapped};
use crate::shell::env::Env;
use crate::shell::sql::{dialect_of, is_one_expansion};
use crate::shell::{analyze, facts};
use crate::source::{Dialect, Span, floor_char_boundary};

/// Check a shell script. Diagnostic spans point into `text`.
pub fn check(text: &str, dialect: Dialect) -> Vec<Diagnostic> {
    check_in(text, dialect, &Env::default())
}

/// [`check`] where the script runs in `env` (files it runs are read; the hook's working
/// directory is known).
pub fn check_in(text: &str, dialect: Dialect, env: &Env) -> Vec<Diagnostic> {
    let a = analyze(text);
    let mut out = Vec::new();
    if a.unparsed {
        out.push(
            Diagnostic::new(
                "parse-error",
                Span::new(0, text.len().min(1)),
                "the shell parser could not read this file",
            )
            .severity(Severity::Warning)
            .help("the file was not checked; report it to preflight"),
        );
        return out;
    }
    match a.foreign {
        Some((lang, 0)) if a.syntax_error.is_some() => out.push(
            Diagnostic::new(
                "parse-error",
                a.syntax_error.unwrap_or_default(),
                format!(
                    "not a bash script: {lang}; the commands the bash parser could read were \
                     checked"
                ),
            )
            .severity(Severity::Info)
            .label("bash does not read this")
            .help("preflight reads shell as bash; checks of this file are best-effort"),
        ),
        Some((lang, off)) if off > 0 => out.push(
            Diagnostic::new(
                "parse-error",
                Span::new(
                    off,
                    text.get(off..)
                        .and_then(|t| t.find('\n'))
                        .map_or(text.len(), |i| off + i),
                ),
                format!(
                    "not a bash script from here on: {lang} (the script runs itself with another \
                     interpreter above); this part was not checked"
                ),
            )
            .severity(Severity::Info)
            .label(format!("{lang} from here"))
            .help("check this part with a linter for that language"),
        ),
        _ => {}
    }
    if let Some(s) = a
        .syntax_error
        .filter(|_| !matches!(a.foreign, Some((_, 0))))
    {
        out.push(
            Diagnostic::new(
                "parse-error",
                s,
                "the shell parser could not read part of this script; the rest was checked",
            )
            .severity(Severity::Warning)
            .label("the parser could not read this")
            .help(
                "commands around this point were still checked (the broken lines were read again \
                 one by one); if `bash -n` accepts the script, this is a limitation of the \
                 parser (tree-sitter-bash), not an error in the script",
            ),
        );
    }
    if let Some(s) = a.too_deep {
        out.push(
            Diagnostic::new(
                "parse-error",
                s,
                "shell nesting is too deep: commands nested below this point were not checked",
            )
            .severity(Severity::Warning)
            .help("flatten the script; preflight stops following nesting this deep"),
        );
    }
    let mut state = facts::State::from_shebang(text);
    state.errexit |= env.errexit;
    state.nounset |= env.nounset;
    run_items(&a.items, text, env, dialect, &mut state, 0, &mut out);
    // spans on character boundaries of the file
    for d in &mut out {
        d.map_spans(|s| clamp(text, s));
    }
    out.sort_by(|x, y| (x.span.start, &x.rule).cmp(&(y.span.start, &y.rule)));
    out.dedup_by(|x, y| x.rule == y.rule && x.span == y.span && x.message == y.message);
    out
}

/// Run the shell rules over commands in order, with what the script established so far;
/// `depth` counts how many programs deep the commands were found (inline code in a shell
/// string in inline code …).
pub(crate) fn run_items(
    items: &[Item],
    text: &str,
    env: &Env,
    dialect: Dialect,
    state: &mut facts::State,
    depth: usize,
    out: &mut Vec<Diagnostic>,
) {
    for item in items {
        match item {
            Item::Cmd(cmd) => {
                let ctx = Context {
                    state,
                    src: text,
                    env,
                };
                let before = out.len();
                // the command's name (and `rm`'s operands) read once for every check below
                let c = Cmd::new(cmd);
                command_rules_of(&c, &ctx, out);
                embedded_sql(&c, out);
                super::shell_files::check(&c, env, dialect, out);
                super::inline::check(&c, &ctx, dialect, depth, out);
                // a function body walked again at a call: what it says where it is written
                // was reported there; only what the call's arguments bring is new
                if let Some(def) = cmd.bound {
                    let mut k = before;
                    while k < out.len() {
                        if out[k].span.start >= def.start && out[k].span.end <= def.end {
                            out.remove(k);
                        } else {
                            k += 1;
                        }
                    }
                }
                state.after_named(cmd, c.name());
            }
            item => step(state, item),
        }
    }
}

/// What an item other than a command changes in the state.
fn step(state: &mut facts::State, item: &Item) {
    match item {
        Item::Cmd(_) => {}
        Item::Assign { name, value, .. } => state.assign(name, value.as_ref()),
        Item::LoopVar { name, non_empty } => state.set_fact(
            name,
            if *non_empty {
                facts::VarFact::NonEmpty
            } else {
                facts::VarFact::MaybeEmpty
            },
        ),
        Item::Enter => state.enter(),
        Item::Exit => state.exit(),
        Item::GuardStart => state.guard_start(),
        Item::GuardEnd => state.guard_end(),
    }
}

/// Every shell rule (code and `rules/commands.toml`) on one command.
pub(crate) fn command_rules(cmd: &Command, ctx: &Context, out: &mut Vec<Diagnostic>) {
    command_rules_of(&Cmd::new(cmd), ctx, out);
}

/// [`command_rules`] of a command read once: only the checks its name lets fire (the others
/// return without a finding; `tests::gated_rules_find_what_every_rule_finds`).
fn command_rules_of(cmd: &Cmd, ctx: &Context, out: &mut Vec<Diagnostic>) {
    cmd.each_check(|f| f(cmd, ctx, out));
    crate::rules::shell::commands::check(cmd, ctx, out);
}

fn clamp(text: &str, s: Span) -> Span {
    let start = floor_char_boundary(text, s.start);
    let mut end = s.end.max(start).min(text.len());
    while end < text.len() && !text.is_char_boundary(end) {
        end += 1;
    }
    Span::new(start, end)
}

/// Run the SQL rules on `text` and map every span into the shell file.
pub fn check_mapped(text: &Mapped, dialect: Dialect, out: &mut Vec<Diagnostic>) {
    if text.text.trim().is_empty() || is_one_expansion(&text.text) {
        return;
    }
    let diags = check_sql(
        &text.text,
        dialect,
        &SqlOptions {
            down: false,
            shell_vars: true,
        },
    );
    for mut d in diags {
        d.map_spans(|s| text.span(s));
        out.push(d);
    }
}

#[cfg(test)]
#[path = "shell_gates_tests.rs"]
mod gates_tests;

/// Check the SQL a database client command runs.
fn embedded_sql(cmd: &Cmd, out: &mut Vec<Diagnostic>) {
    // (a command that is not a client: nothing found, nothing checked)
    let Some((found, owned)) = cmd.sql() else {
        return;
    };
    let dialect = dialect_of(cmd);
    for s in &found.sql {
        check_mapped(s.text, s.dialect, out);
    }
    for m in owned {
        check_mapped(m, dialect, out);
    }
}
