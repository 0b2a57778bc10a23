//! `rm-unguarded-variable`: `rm -rf "$DIR/"*`, `"$DIR"/`, `$A/$B` where a variable the script
//! never proved non-empty would turn the operand into `/`, `/*`, `~` or a system directory.

use super::{Cmd, Context, catastrophic, empty_vars, render, show, via};
use crate::diagnostic::Diagnostic;
use crate::shell::command::{Part, Word};
use crate::shell::facts::State;

/// Can the worst case of the operand ([`render`] with `empty`) differ from the operand as
/// written: has it an expansion that may be empty here? When not, the two are the same
/// text and rm-root-path reports what there is to report.
fn may_render_empty(w: &Word, state: &State) -> bool {
    w.parts
        .iter()
        .any(|p| !matches!(p, Part::Lit { .. }) && state.part_may_be_empty(p))
}

pub fn check(cmd: &Cmd, ctx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(rm) = cmd.rm() else { return };
    for &w in &rm.operands {
        if !may_render_empty(w, ctx.state) {
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
    use super::*;
    use crate::rules::shell::testing::{fires, silent};

    /// The operands skipped as unable to be empty render the same in the worst case.
    #[test]
    fn an_operand_that_cannot_be_empty_renders_the_same_at_worst() {
        use crate::shell::command::Item;
        let (mut skipped, mut kept) = (0, 0);
        for before in ["", "set -u\n", "DIR=/opt\nHOME=\n", "X=$(mktemp -d)\n"] {
            for op in [
                "/x",
                "\"$DIR\"",
                "\"${DIR:?}/x\"",
                "$HOME/x",
                "~/x",
                "\"$X\"/*",
                "${A:-b}/c",
                "${A:+b}",
                "$(pwd)/x",
                "$((1+2))",
                "\"$@\"",
                "$RANDOM/x",
                "${DIR%/}/x",
            ] {
                let text = format!("{before}rm -rf {op}\n");
                let a = crate::shell::analyze(&text);
                let mut state = State::default();
                for item in &a.items {
                    match item {
                        Item::Assign { name, value, .. } => state.assign(name, value.as_ref()),
                        Item::Cmd(c) if c.name() == Some("rm") => {
                            for w in c.args().iter().skip(1) {
                                if may_render_empty(w, &state) {
                                    kept += 1;
                                } else {
                                    skipped += 1;
                                    assert_eq!(
                                        render(w, &state, true),
                                        render(w, &state, false),
                                        "{text}"
                                    );
                                }
                            }
                        }
                        Item::Cmd(c) => state.after(c),
                        _ => {}
                    }
                }
            }
        }
        assert!(skipped > 10 && kept > 10, "{skipped} {kept}");
    }

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
