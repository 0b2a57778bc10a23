//! `db-file-truncate`: a database file emptied in place (`: > app.sqlite3`, `> prod.db`,
//! `truncate -s 0 prod.db`, `cp /dev/null x.db`).

use super::{Cmd, Context, render, show, under_data_dir, via};
use crate::diagnostic::Diagnostic;
use crate::shell::command::{Command, Word};

const DB_EXTENSIONS: &[&str] = &["db", "sqlite", "sqlite3", "db3", "mdb", "accdb"];
/// Files in a data directory that are not the data (logs, pid files).
const NOT_DATA: &[&str] = &["log", "err", "pid", "txt", "conf", "cnf"];

/// What the file is, when it holds a database.
fn database_file(path: &str) -> Option<String> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let ext = name
        .rsplit_once('.')
        .map(|(stem, e)| (stem, e.to_ascii_lowercase()));
    if let Some((stem, e)) = &ext
        && !stem.is_empty()
        && DB_EXTENSIONS.contains(&e.as_str())
    {
        return Some("a database file".to_string());
    }
    if ext
        .as_ref()
        .is_some_and(|(_, e)| NOT_DATA.contains(&e.as_str()))
    {
        return None;
    }
    under_data_dir(path).map(|what| format!("a file of the {what} data directory"))
}

/// Does the command write nothing to its stdout (so `> file` only empties the file)?
fn writes_nothing(cmd: &Cmd) -> bool {
    if !matches!(cmd.name(), Some(":" | "true" | "cat" | "echo" | "printf")) {
        return false;
    }
    let args: Vec<Option<String>> = cmd.lit_args();
    let lits = |v: &[&str]| {
        args.len() == v.len()
            && args
                .iter()
                .zip(v)
                .all(|(a, want)| a.as_deref() == Some(*want))
    };
    match cmd.name() {
        Some(":" | "true") => true,
        Some("cat") => lits(&["/dev/null"]),
        Some("echo") => lits(&["-n"]) || lits(&["-n", ""]),
        Some("printf") => lits(&[""]),
        _ => false,
    }
}

fn finding(cmd: &Command, w: &Word, what: &str, how: &str) -> Diagnostic {
    Diagnostic::new(
        "db-file-truncate",
        w.span,
        format!(
            "{how} empties `{}`, {what}: its data is gone{}",
            show(w),
            via(cmd)
        ),
    )
    .label("this file holds a database")
    .help(
        "remove the rows you mean with SQL, or move the file aside first \
         (`mv prod.db prod.db.bak`, `sqlite3 prod.db '.backup prod.bak'`)",
    )
}

pub fn check(cmd: &Cmd, ctx: &Context, out: &mut Vec<Diagnostic>) {
    // (the redirections first: most commands have none to truncate)
    if cmd.redirects.iter().any(|r| r.truncates()) && writes_nothing(cmd) {
        for r in cmd.redirects.iter().filter(|r| r.truncates()) {
            let path = render(&r.target, ctx.state, false);
            if let Some(what) = database_file(&path) {
                out.push(finding(cmd, &r.target, &what, "the redirection"));
            }
        }
    }
    match cmd.name() {
        Some("truncate") => {
            let args = cmd.args();
            let mut zero = false;
            let mut files = Vec::new();
            let mut i = 0;
            while i < args.len() {
                let l = args[i].lit().unwrap_or_default();
                match l.as_str() {
                    "-s" | "--size" => {
                        zero |= args.get(i + 1).and_then(Word::lit).as_deref() == Some("0");
                        i += 2;
                        continue;
                    }
                    "-s0" | "--size=0" => zero = true,
                    "-r" | "--reference" => i += 1,
                    o if o.starts_with('-') => {}
                    _ => files.push(&args[i]),
                }
                i += 1;
            }
            if zero {
                for w in files {
                    if let Some(what) = database_file(&render(w, ctx.state, false)) {
                        out.push(finding(cmd, w, &what, "`truncate -s 0`"));
                    }
                }
            }
        }
        Some("cp") => {
            let ops: Vec<&Word> = cmd
                .args()
                .iter()
                .filter(|w| !w.lit_cow().is_some_and(|l| l.starts_with('-')))
                .collect();
            if let [src, dst] = ops.as_slice()
                && src.is("/dev/null")
                && let Some(what) = database_file(&render(dst, ctx.state, false))
            {
                out.push(finding(cmd, dst, &what, "`cp /dev/null`"));
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::shell::testing::{fires, silent};

    #[test]
    fn vectors() {
        let r = "db-file-truncate";
        fires(r, ": > app.sqlite3");
        fires(r, "> prod.db");
        fires(r, "true > \"$DATA/app.db\"");
        fires(r, "cat /dev/null > data/users.sqlite");
        fires(r, "truncate -s 0 prod.db");
        fires(r, "truncate --size 0 prod.db");
        fires(r, "truncate --size=0 /srv/app.mdb");
        fires(
            r,
            "sudo truncate -s 0 /var/lib/postgresql/15/main/base/16384/2619",
        );
        fires(r, "cp /dev/null app.db");
        silent(r, "truncate -s 0 app.log");
        silent(r, ": > app.log");
        silent(r, "> out.txt");
        silent(r, ": >> app.db");
        silent(r, "sqlite3 old.db .dump > dump.db");
        silent(r, "gunzip -c backup.gz > prod.db");
        silent(r, "truncate -s 10M disk.db");
        silent(r, ": > /var/lib/mysql/mysql.err");
        silent(r, "echo 'x' > .db");
        silent(r, "cmd 2> errors.db");
    }
}
