//! `rm-unguarded-variable`: `rm -rf "$DIR/"*`, `"$DIR"/`, `$A/$B` where a variable the script
//! never proved non-empty would turn the operand into `/`, `/*`, `~` or a system directory.

use super::{Cmd, Context, catastrophic, empty_vars, render, show, via};
use crate::diagnostic::Diagnostic;

pub fn check(cmd: &Cmd, ctx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(rm) = cmd.rm() else { return };
    for &w in &rm.operands {
        if !w.has_expansion() {
            continue;
        }
        let full = render(w, ctx.state, false);
        if catastrophic(&full, ctx.state.cwd_root).is_some() {
            continue; // rm-root-path
        }
        let worst = render(w, ctx.state, true);
        let Some(what) = catastrophic(&worst, ctx.state.cwd_root) else {
            continue;
        };
        if !rm.recursive && !worst.ends_with('*') {
            continue;
        }
        let vars = empty_vars(w, ctx.state);
        let names = if vars.is_empty() {
            "an expansion".to_string()
        } else {
            format!("`{}`", vars.join("` or `"))
        };
        let first = vars.first().cloned().unwrap_or_else(|| "$DIR".to_string());
        let bare = first.trim_start_matches('$');
        out.push(
            Diagnostic::new(
                "rm-unguarded-variable",
                w.span,
                format!(
                    "if {names} is empty, `rm {}` deletes {what}{}",
                    show(w),
                    via(cmd)
                ),
            )
            .label("nothing proves this variable is non-empty here")
            .with_label(cmd.name_span(), "rm")
            .help(format!(
                "write `\"${{{bare}:?}}\"` so the script stops when it is empty or unset, or \
                 check it first (`[ -n \"${first}\" ] || exit 1`)"
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::shell::testing::{fires, silent};

    #[test]
    fn vectors() {
        let r = "rm-unguarded-variable";
        fires(r, "rm -rf \"$DIR/\"*");
        fires(r, "rm -rf \"$DIR\"/");
        fires(r, "rm -rf $A/$B");
        fires(r, "rm -rf \"$STEAMROOT/\"*");
        fires(r, "rm -rf \"$HOME/$SUB\"");
        fires(r, "rm -rf \"/opt/$APP\"");
        fires(r, "DIR=$(dirname \"$0\")\nrm -rf \"$DIR/\"*");
        fires(r, "DIR=\nrm -rf \"$DIR/\"*");
        fires(r, "rm -f \"$DIR/\"*");
        fires(r, "rm -rf \"${DIR%/}/\"*");
        silent(r, "rm -rf \"${BUILD:?}/\"*");
        silent(r, "rm -rf \"${BUILD:-build}/\"*");
        silent(r, "DIR=/opt/app/build\nrm -rf \"$DIR/\"*");
        silent(r, "DIR=$(mktemp -d)\nrm -rf \"$DIR/\"*");
        silent(r, "tmp=$(mktemp -d); trap 'rm -rf \"$tmp\"' EXIT");
        silent(r, "rm -rf \"$(mktemp -d)\"");
        silent(r, ": \"${DIR:?}\"\nrm -rf \"$DIR/\"*");
        silent(r, "[ -n \"$DIR\" ] || exit 1\nrm -rf \"$DIR/\"*");
        silent(r, "[ -z \"$DIR\" ] && exit 1\nrm -rf \"$DIR/\"*");
        silent(
            r,
            "if [ -z \"$DIR\" ]; then\n  echo no; exit 1\nfi\nrm -rf \"$DIR/\"*",
        );
        silent(
            r,
            "test -d \"$DIR\" || { echo missing; exit 1; }\nrm -rf \"$DIR\"/*",
        );
        silent(r, "set -u\nrm -rf \"$DIR/\"*");
        silent(r, "rm -rf \"$DIR\"");
        silent(r, "rm -rf \"$DIR/build\"");
        silent(r, "for d in a b; do rm -rf \"$d/\"*; done");
        silent(r, "rm -rf \"${DIR:?}\"/*");
        // issue 13: an existence test proves the path non-empty for what it guards
        silent(r, "[ -d \"$TMP\" ] && rm -f \"$TMP\"/*");
        silent(r, "if [[ -f \"$p\" ]]; then rm -rf \"$p\"/*; fi");
        silent(r, "if [ -n \"$DIR\" ]; then\n  rm -rf \"$DIR/\"*\nfi");
        silent(
            r,
            "[ -e \"$A\" ] && [ -d \"$B\" ] && rm -rf \"$A/\"* \"$B/\"*",
        );
        // …and only there
        fires(r, "[ -d \"$TMP\" ] && echo ok\nrm -f \"$TMP\"/*");
        fires(r, "[ -d \"$TMP\" ] || rm -f \"$TMP\"/*");
        fires(
            r,
            "if [ -d \"$TMP\" ]; then echo; else rm -rf \"$TMP/\"*; fi",
        );
        fires(r, "if [ -d \"$TMP\" ]; then echo; fi\nrm -rf \"$TMP/\"*");
        fires(r, "if [ ! -d \"$TMP\" ]; then rm -rf \"$TMP/\"*; fi");
        fires(r, "[ -d \"$A\" ] && rm -rf \"$B/\"*");
    }
}
