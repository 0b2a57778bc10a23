//! `data-dir-move`: `mv` of a database data directory, a home or a system directory to
//! `/tmp` or `/dev/null` (as good as deleted, without the safeguards of `rm`).

use super::{Cmd, Context, catastrophic, data_var, normalize, render, show, via};
use crate::diagnostic::Diagnostic;
use crate::shell::command::Word;

/// Is the destination somewhere data does not survive?
fn trash(w: &Word) -> Option<&'static str> {
    let l = w.lit()?;
    match normalize(&l)?.as_slice() {
        ["tmp", ..] | ["var", "tmp", ..] if l.starts_with('/') => {
            Some("`/tmp` (emptied at reboot)")
        }
        ["dev", "null"] if l.starts_with('/') => Some("`/dev/null`"),
        _ => None,
    }
}

pub fn check(cmd: &Cmd, ctx: &Context, out: &mut Vec<Diagnostic>) {
    if cmd.name() != Some("mv") {
        return;
    }
    let mut target: Option<&Word> = None;
    let mut ops: Vec<&Word> = Vec::new();
    let args = cmd.args();
    let mut i = 0;
    let mut options_done = false;
    while i < args.len() {
        let w = &args[i];
        let l = w.lit();
        match l.as_deref() {
            Some("--") if !options_done => options_done = true,
            Some("-t" | "--target-directory") if !options_done => {
                target = args.get(i + 1);
                i += 1;
            }
            Some(o) if !options_done && o.starts_with("--target-directory=") => {}
            Some(o) if !options_done && o.starts_with('-') && o.len() > 1 => {}
            _ => ops.push(w),
        }
        i += 1;
    }
    let (dest, sources) = match target {
        Some(t) => (t, ops.as_slice()),
        None => match ops.split_last() {
            Some((d, s)) if !s.is_empty() => (*d, s),
            _ => return,
        },
    };
    let Some(where_) = trash(dest) else { return };
    for w in sources {
        let what =
            data_var(w).or_else(|| catastrophic(&render(w, ctx.state, false), ctx.state.cwd_root));
        let Some(what) = what else { continue };
        out.push(
            Diagnostic::new(
                "data-dir-move",
                w.span,
                format!(
                    "`mv` of `{}` to {where_} throws away {what}{}",
                    show(w),
                    via(cmd)
                ),
            )
            .label("this holds data")
            .with_label(dest.span, "data does not survive here")
            .help(
                "stop the service and move the directory to a backup place on the same disk \
                 (`mv /var/lib/mysql /var/lib/mysql.bak`), or archive it first",
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::shell::testing::{fires, silent};

    #[test]
    fn vectors() {
        let r = "data-dir-move";
        fires(r, "mv /var/lib/mysql /tmp/");
        fires(r, "sudo mv /var/lib/postgresql/15/main /tmp/old-main");
        fires(r, "mv \"$PGDATA\" /tmp");
        fires(r, "mv /home/alice /dev/null");
        fires(r, "mv -t /tmp /var/lib/redis");
        fires(r, "mv ~/projects /tmp");
        silent(r, "mv build /tmp/");
        silent(r, "mv /var/lib/mysql /var/lib/mysql.bak");
        silent(r, "mv app.log /tmp/");
        silent(r, "mv ~/.cache/pip /tmp/pip-cache");
        silent(r, "mv /tmp/x /var/lib/mysql");
    }
}
