//! `rm-root-path`: `rm` of `/`, `/*`, `~`, `$HOME` or a system directory, and
//! `--no-preserve-root`.

use super::{Cmd, Context, PLACEHOLDER, catastrophic, data_var, render, show, via};
use crate::diagnostic::Diagnostic;
use crate::source::lexical;
use std::path::Path;

/// Hook mode, where the working directory is known and inside a git work tree: does `path`
/// remove the repository (`.`, `*`, `..`, `.git`, or the top level by its absolute name)?
fn repository(path: &str, ctx: &Context) -> Option<String> {
    let env = ctx.env;
    let (true, Some(cwd), Some(root)) = (env.hook, env.cwd.as_deref(), env.repo_root.as_deref())
    else {
        return None;
    };
    if ctx.state.cwd_moved || path.contains(PLACEHOLDER) || path.starts_with('~') {
        return None;
    }
    let (dir, all) = match path
        .strip_suffix("/*")
        .or_else(|| (path == "*").then_some("."))
    {
        Some(d) => (if d.is_empty() { "/" } else { d }, true),
        None => (path, false),
    };
    if dir.contains(['*', '?', '[']) {
        return None;
    }
    let resolved = lexical(&cwd.join(dir));
    let root = lexical(root);
    let name = root
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("the repository")
        .to_string();
    if resolved == root.join(".git") && !all {
        return Some(format!(
            "the history of the repository `{name}` (`.git`: every commit not pushed is lost)"
        ));
    }
    if resolved == root {
        return Some(if all {
            format!("every file of the repository `{name}` (the working directory)")
        } else {
            format!("the repository `{name}` (the working directory)")
        });
    }
    (root.starts_with(&resolved) && resolved != Path::new("/"))
        .then(|| format!("a directory that holds the repository `{name}`"))
}

pub fn check(cmd: &Cmd, ctx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(rm) = cmd.rm() else { return };
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
    for &w in &rm.operands {
        let path = render(w, ctx.state, false);
        let what = data_var(w)
            .or_else(|| catastrophic(&path, ctx.state.cwd_root))
            .or_else(|| repository(&path, ctx));
        let Some(what) = what else {
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
        .label("this operand is a root, home, data or system directory")
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
        fires(r, "rm -rf /var/lib/postgresql");
        fires(r, "rm -rf /var/lib/mysql/");
        fires(r, "sudo rm -rf /var/lib/mysql/*");
        fires(r, "rm -rf /var/lib/postgresql/15/main");
        fires(r, "rm -rf /var/lib/docker/volumes/app_db/_data");
        fires(r, "rm -rf /var/lib/mongodb /var/lib/redis");
        fires(r, "rm -rf \"$PGDATA\"");
        fires(r, "rm -rf $PGDATA/*");
        fires(r, "rm -rf /home/alice");
        fires(r, "rm -rf /Users/alice/");
        fires(r, "rm -rf ~/projects");
        fires(r, "rm -rf \"$HOME/work\"");
        fires(r, "rm -rf ~/.ssh");
        fires(r, "rm -rf ~alice");
        silent(r, "rm -rf /var/lib/postgresql/15/main/pg_log/*.old");
        silent(r, "rm -rf /var/lib/mysql/*.err");
        silent(r, "rm -f /var/lib/postgresql/15/main/postmaster.pid");
        silent(r, "rm -rf \"$PGDATA/pg_log/old\"");
        silent(r, "rm -rf ~/.cache");
        silent(r, "rm -rf ~/.npm ~/.oh-my-zsh");
        silent(r, "rm -rf ~/tmp");
        silent(r, "rm -rf /home/alice/projects/app/build");
        silent(r, "rm -rf ./node_modules");
        silent(r, "rm -rf .git");
        silent(r, "rm -rf *");
        // an existence test is no guard against a dangerous target
        fires(r, "[ -d /var/lib/mysql ] && rm -rf /var/lib/mysql");
        fires(r, "if [ -d \"$HOME\" ]; then rm -rf \"$HOME\"; fi");
    }
}
