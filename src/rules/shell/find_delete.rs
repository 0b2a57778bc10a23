//! `find-delete`: `find` from `/`, `~`, a system directory or a variable that may be empty,
//! with `-delete` or `-exec rm`.

use super::{Cmd, Context, catastrophic, empty_vars, render, show, via};
use crate::diagnostic::{Diagnostic, Severity};
use crate::shell::command::basename;

pub fn check(cmd: &Cmd, ctx: &Context, out: &mut Vec<Diagnostic>) {
    if cmd.name() != Some("find") {
        return;
    }
    let args = cmd.args();
    let deletes = args
        .iter()
        .enumerate()
        .any(|(i, w)| match w.lit_cow().as_deref() {
            Some("-delete") => true,
            Some("-exec" | "-execdir" | "-ok" | "-okdir") => args
                .get(i + 1)
                .and_then(|w| w.lit())
                .is_some_and(|l| matches!(basename(&l), "rm" | "unlink" | "shred")),
            _ => false,
        });
    if !deletes {
        return;
    }
    // global options, then the starting points
    let mut i = 0;
    while i < args.len() {
        match args[i].lit_cow().as_deref() {
            Some("-H" | "-L" | "-P") => i += 1,
            Some("-D") => i += 2,
            Some(l) if l.starts_with("-O") => i += 1,
            _ => break,
        }
    }
    for w in args.get(i..).unwrap_or_default() {
        if w.lit()
            .is_some_and(|l| l.starts_with('-') || l == "(" || l == "!")
        {
            break;
        }
        let full = render(w, ctx.state, false);
        if let Some(what) = catastrophic(&full, false) {
            out.push(
                Diagnostic::new(
                    "find-delete",
                    w.span,
                    format!(
                        "`find {} … -delete` deletes matching files across {what}{}",
                        show(w),
                        via(cmd)
                    ),
                )
                .severity(Severity::Error)
                .label("search starts here")
                .with_label(crate::rules::shell::command_span(cmd), "deleting find")
                .help(
                    "start from the directory the script owns (`find \"${APP_DIR:?}/logs\" …`) \
                     and run it once with `-print` instead of `-delete` to see what matches",
                ),
            );
            continue;
        }
        if !w.has_expansion() {
            continue;
        }
        let worst = render(w, ctx.state, true);
        // `find ""` fails (GNU find: no such file or directory); only an unquoted empty
        // expansion leaves find without a start, and then it searches `.`
        let quoted = ctx
            .src
            .get(w.span.start..w.span.end)
            .is_some_and(|t| t.starts_with('"') || t.starts_with('\''));
        if worst.is_empty() && quoted {
            continue;
        }
        let what = if worst.is_empty() {
            Some("the current directory".to_string())
        } else {
            catastrophic(&worst, false)
        };
        if let Some(what) = what {
            let vars = empty_vars(w, ctx.state);
            out.push(
                Diagnostic::new(
                    "find-delete",
                    w.span,
                    format!(
                        "if `{}` is empty, `find … -delete` runs from {what}{}",
                        vars.join("` or `"),
                        via(cmd)
                    ),
                )
                .label("nothing proves this is non-empty here")
                .with_label(crate::rules::shell::command_span(cmd), "deleting find")
                .help("write the start as `\"${DIR:?}\"` so the script stops when it is empty"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::shell::testing::{fires, silent};

    #[test]
    fn vectors() {
        let r = "find-delete";
        fires(r, "find / -name '*.tmp' -delete");
        fires(r, "find ~ -name '*.bak' -exec rm {} +");
        silent(r, "find \"$DIR\" -mtime +7 -delete");
        fires(r, "find $DIR -mtime +7 -delete");
        fires(r, "find \"$DIR/\" -mtime +7 -delete");
        fires(r, "find $DIR/ -type f -exec rm -f {} \\;");
        fires(r, "sudo find /var -name '*.log' -delete");
        silent(r, "find /var/log/app -name '*.gz' -mtime +30 -delete");
        silent(r, "find / -name '*.tmp' -print");
        silent(r, "find \"${DIR:?}\" -delete");
        silent(r, "DIR=$(mktemp -d); find \"$DIR\" -delete");
        silent(r, "find . -name '*.pyc' -delete");
    }
}
