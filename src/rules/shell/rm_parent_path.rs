//! `rm-parent-path`: a recursive `rm` whose operand climbs above the directory it starts in
//! (`../shared/uploads`, `a/../../b`).

use super::{Cmd, Context, escapes, show, via};
use crate::diagnostic::Diagnostic;

pub fn check(cmd: &Cmd, _ctx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(rm) = cmd.rm() else { return };
    if !rm.recursive {
        return;
    }
    for &w in &rm.operands {
        // literal text up to the last `/` before an expansion: `../$X` still climbs
        let path = match w.lit() {
            Some(l) => l,
            None => {
                let p = w.lit_prefix();
                match p.rfind('/') {
                    Some(i) => p[..=i].to_string(),
                    None => continue,
                }
            }
        };
        if !escapes(&path) {
            continue;
        }
        out.push(
            Diagnostic::new(
                "rm-parent-path",
                w.span,
                format!(
                    "recursive rm of `{}` reaches outside the directory the script runs in{}",
                    show(w),
                    via(cmd)
                ),
            )
            .label("this operand climbs above the current directory")
            .with_label(cmd.name_span(), "recursive rm")
            .help(
                "name the directory absolutely from a checked variable \
                 (`rm -rf \"${APP_ROOT:?}/shared/uploads\"`) or `cd` into a known directory \
                 with `|| exit 1` first; check the operand list: a stray space turns one path \
                 into two",
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::shell::testing::{fires, silent};

    #[test]
    fn vectors() {
        let r = "rm-parent-path";
        fires(r, "rm -rf /var/app/releases/temp ../shared/uploads");
        fires(r, "rm -fr a/../../b");
        fires(r, "rm -r -f ..");
        fires(r, "rm --recursive --force ../x");
        fires(r, "rm -Rfv -- ../x");
        fires(r, "rm ../x -rf");
        fires(r, "sudo rm -rf ../x");
        fires(r, "bash -c 'rm -rf ../x'");
        fires(r, "echo x | xargs rm -rf ../x");
        fires(r, "f() { rm -rf ../x; }");
        fires(r, "rm -rf \"../$NAME\"");
        silent(r, "rm -rf ./build node_modules");
        silent(r, "rm -f ../one.log");
        silent(r, "rm -rf ./a/../b");
        silent(r, "echo \"rm -rf ../x\"");
        silent(r, "# rm -rf ../x");
        silent(r, "rm -rf \"$DIR/../x\"");
        silent(r, "rm -rf -- -x");
    }
}
