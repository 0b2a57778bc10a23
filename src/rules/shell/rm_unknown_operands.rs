//! `rm-unknown-operands`: a recursive `rm` whose operands `xargs` reads from stdin or a file
//! (`cat dirs.txt | xargs rm -rf`, `xargs -a dirs.txt rm -rf`): what it deletes is not in
//! the command. `find DIR … | xargs rm` is read like `find -exec rm` (bounded by `DIR`), and
//! text the script itself pipes in (`echo build | xargs rm -rf`) is checked as operands.

use super::{Cmd, Context, command_span};
use crate::diagnostic::{Diagnostic, Severity};

pub fn check(cmd: &Cmd, _ctx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(rm) = cmd.rm() else { return };
    if !rm.recursive {
        return;
    }
    let from = match cmd
        .via
        .iter()
        .rev()
        .find(|v| v.starts_with("xargs") || *v == "find | xargs")
    {
        Some(v) if v == "xargs -a" => "the file given to `xargs -a`",
        Some(v) if v == "xargs" && cmd.stdin.is_none() => "its input",
        _ => return,
    };
    out.push(
        Diagnostic::new(
            "rm-unknown-operands",
            command_span(cmd),
            format!(
                "recursive `rm` deletes the paths `xargs` reads from {from} at run time: \
                 preflight cannot see which"
            ),
        )
        .severity(Severity::Warning)
        .label("operands read at run time")
        .help(
            "look at the list first (`xargs -a dirs.txt echo rm -rf`), then delete the named \
             directories under a checked root (`rm -rf \"${ROOT:?}/build\"`), or select them \
             with `find \"${ROOT:?}\" … -delete`",
        ),
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::shell::testing::{fires, silent};

    #[test]
    fn vectors() {
        let r = "rm-unknown-operands";
        fires(r, "cat dirs.txt | xargs rm -rf");
        fires(r, "xargs -a dirs.txt rm -rf");
        fires(r, "xargs --arg-file=dirs.txt rm -r");
        fires(r, "xargs rm -rf < dirs.txt");
        fires(r, "ls -d */ | sudo xargs rm -rf");
        fires(r, "git ls-files -o | xargs -I{} rm -rf {}");
        silent(r, "find . -name '*.pyc' | xargs rm -rf");
        silent(r, "find build -type d -empty -print0 | xargs -0 rm -rf");
        silent(r, "cat files.txt | xargs rm -f");
        silent(r, "cat list | xargs echo");
        silent(r, "git ls-files | xargs grep -n TODO");
        silent(r, "echo build dist | xargs rm -rf");
        silent(r, "rm -rf build");
    }
}
