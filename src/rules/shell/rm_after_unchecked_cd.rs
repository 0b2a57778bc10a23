//! `rm-after-unchecked-cd`: `cd x; rm -rf *` where a failed `cd` leaves the script in
//! another directory and the glob deletes the wrong files.

use super::{Cmd, Context, show, via};
use crate::diagnostic::Diagnostic;
use crate::shell::command::Part;

pub fn check(cmd: &Cmd, ctx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(cd) = ctx.state.unchecked_cd else {
        return;
    };
    if ctx.state.errexit {
        return;
    }
    let Some(rm) = cmd.rm() else { return };
    let Some(w) = rm.operands.iter().copied().find(|w| {
        let relative = matches!(w.parts.first(), Some(Part::Lit { text, .. })
            if !text.starts_with('/') && !text.starts_with('~'));
        let lit = w.lit_prefix();
        let broad = w.has_glob() || matches!(lit.trim_end_matches('/'), "." | "..");
        relative && broad
    }) else {
        return;
    };
    if !rm.recursive && !w.has_glob() {
        return;
    }
    out.push(
        Diagnostic::new(
            "rm-after-unchecked-cd",
            w.span,
            format!(
                "`rm {}` runs in whatever directory the script is in when the `cd` before it fails{}",
                show(w),
                via(cmd)
            ),
        )
        .label("relative to the current directory")
        .with_label(cd, "if this cd fails, the script carries on where it was")
        .help(
            "write `cd dir || exit 1` (or `cd dir && rm …`, or `set -e` at the top), or give rm \
             an absolute path from a checked variable",
        ),
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::shell::testing::{fires, silent};

    #[test]
    fn vectors() {
        let r = "rm-after-unchecked-cd";
        fires(r, "cd build; rm -rf *");
        fires(r, "cd \"$DIR\"\necho cleaning\nrm -rf ./*");
        fires(r, "cd /var/www/cache\nrm -f *.html");
        fires(r, "f() {\n  cd \"$1\"\n  rm -rf *\n}");
        silent(r, "cd build || exit 1\nrm -rf *");
        silent(r, "cd build && rm -rf *");
        silent(r, "set -e\ncd build\nrm -rf *");
        silent(r, "#!/bin/bash -e\ncd build\nrm -rf *");
        silent(r, "set -euo pipefail\ncd build\nrm -rf *");
        silent(r, "set -o errexit\ncd build\nrm -rf *");
        silent(r, "cd build || { echo no; exit 1; }\nrm -rf *");
        silent(r, "if cd build; then rm -rf *; fi");
        silent(r, "(cd build; make)\nrm -rf /tmp/x");
        silent(r, "cd build\nrm -rf /tmp/x");
        silent(r, "rm -rf *");
    }
}
