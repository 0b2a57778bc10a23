//! `rm-root-path`: `rm` of `/`, `/*`, `~`, `$HOME` or a system directory, and
//! `--no-preserve-root`.

use super::{Context, catastrophic, render, rm_args, show, via};
use crate::diagnostic::Diagnostic;
use crate::shell::command::Command;

pub fn check(cmd: &Command, ctx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(rm) = rm_args(cmd) else { return };
    if let Some(span) = rm.no_preserve_root {
        out.push(
            Diagnostic::new(
                "rm-root-path",
                span,
                format!(
                    "`rm --no-preserve-root` turns off the safeguard against deleting `/`{}",
                    via(cmd)
                ),
            )
            .label("safeguard disabled")
            .help("remove `--no-preserve-root`; no script needs to delete `/`"),
        );
    }
    for w in rm.operands {
        let path = render(w, ctx.state, false);
        let Some(what) = catastrophic(&path, ctx.state.cwd_root) else {
            continue;
        };
        if !rm.recursive && !path.ends_with('*') {
            continue;
        }
        let mut d = Diagnostic::new(
            "rm-root-path",
            w.span,
            format!("`rm` of `{}` deletes {what}{}", show(w), via(cmd)),
        )
        .label("this operand is a root, home or system directory")
        .with_label(cmd.name_span(), "rm")
        .help(
            "delete the specific directory the script owns, named from a checked variable \
             (`rm -rf \"${APP_DIR:?}/cache\"`)",
        );
        if ctx.state.cwd_root && !path.starts_with(['/', '~']) {
            d = d.help(
                "the script changed to `/` before this: a relative glob here deletes top-level \
                 directories; `cd` into the directory the script owns (with `|| exit 1`)",
            );
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::shell::testing::{fires, silent};

    #[test]
    fn vectors() {
        let r = "rm-root-path";
        fires(r, "rm -rf /");
        fires(r, "rm -rf /*");
        fires(r, "rm -rf ~");
        fires(r, "rm -rf ~/");
        fires(r, "rm -rf \"$HOME\"");
        fires(r, "rm -rf \"${HOME}/\"*");
        fires(r, "sudo rm -rf /etc");
        fires(r, "rm -rf /usr/");
        fires(r, "rm -rf /var/app/../..");
        fires(r, "rm --no-preserve-root -rf /tmp/x");
        fires(r, "cd /\nrm -rf *");
        fires(r, "rm -f /etc/*");
        silent(r, "rm -rf /var/app/releases/temp");
        silent(r, "rm -rf ~/.cache/app");
        silent(r, "echo \"rm -rf /\"");
        silent(r, "cat <<'EOF'\nrm -rf /\nEOF");
        silent(r, "rm -rf \"${BUILD:?}/\"*");
        silent(r, "rm /etc");
        silent(r, "cd /tmp\nrm -rf *");
    }
}
