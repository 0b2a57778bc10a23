//! SQL inside shell: `psql -c '…'`, `psql <<EOF`, `psql -f file.sql`, `mysql -e '…'`,
//! `sqlite3 DB 'SQL'`, `echo '…' | psql`: the SQL texts a command runs, each with the span
//! map back into the shell file (the pipeline checks them through the SQL front end).

use super::command::{Command, Mapped, Word};
use crate::source::{Dialect, Span};

pub struct Sql<'c> {
    pub text: &'c Mapped,
    pub dialect: Dialect,
}

/// What a database client command runs.
#[derive(Default)]
pub struct Found<'c> {
    pub sql: Vec<Sql<'c>>,
    /// `psql -f file.sql`: the file the command runs (checked on its own when it is part of
    /// the run).
    pub files: Vec<(String, Span)>,
}

/// The value attached to the first of `opts` that `w` carries: `--command=SQL` for a
/// long option, `-cSQL` for a short one.
fn attached_any(w: &Word, opts: &[&str]) -> Option<Mapped> {
    opts.iter().find_map(|o| {
        if o.starts_with("--") {
            // the String only for a word that has the option's `--name=` (most have not)
            let has = w
                .src
                .text
                .strip_prefix(o)
                .is_some_and(|r| r.starts_with('='));
            has.then(|| attached(w, &format!("{o}="))).flatten()
        } else if o.len() == 2 {
            attached(w, o)
        } else {
            None
        }
    })
}

/// `-cSQL`, `--command=SQL` → the value part of the word.
fn attached(w: &Word, prefix: &str) -> Option<Mapped> {
    let l = w.src.text.as_str();
    if l.starts_with(prefix) && l.len() > prefix.len() {
        let v = &l[prefix.len()..];
        let v = v.strip_prefix('=').unwrap_or(v);
        let skip = l.len() - v.len();
        return Some(w.src.slice(skip, l.len()));
    }
    None
}

/// A database client whose SQL [`extract`] reads: its dialect, the options that carry SQL,
/// the options that name a SQL file, and the other options that take a value.
type Client = (
    Dialect,
    &'static [&'static str],
    &'static [&'static str],
    &'static [&'static str],
);

fn client(name: &str) -> Option<Client> {
    Some(match name {
        "psql" => (
            Dialect::Postgres,
            &["-c", "--command"],
            &["-f", "--file"],
            &[
                "-d",
                "--dbname",
                "-h",
                "--host",
                "-p",
                "--port",
                "-U",
                "--username",
                "-v",
                "--set",
                "--variable",
                "-o",
                "--output",
                "-P",
                "--pset",
                "-L",
                "--log-file",
                "-T",
                "-F",
                "-R",
            ],
        ),
        "mysql" | "mariadb" => (
            Dialect::Mysql,
            &["-e", "--execute"],
            &[],
            &[
                "-h",
                "--host",
                "-P",
                "--port",
                "-u",
                "--user",
                "-D",
                "--database",
                "-S",
                "--socket",
            ],
        ),
        "sqlite3" | "sqlite" => (
            Dialect::Sqlite,
            &["-cmd"],
            &["-init"],
            &["-separator", "-newline", "-nullvalue"],
        ),
        _ => return None,
    })
}

/// Is `name` a database client [`extract`] reads?
pub fn is_client(name: &str) -> bool {
    client(name).is_some()
}

pub fn extract(cmd: &Command) -> (Found<'_>, Vec<Mapped>) {
    let mut found = Found::default();
    let mut owned = Vec::new();
    let Some(name) = cmd.name() else {
        return (found, owned);
    };
    let args = cmd.args();
    let Some((dialect, cmd_opts, file_opts, with_arg)) = client(name) else {
        return (found, owned);
    };
    let mut has_command = false;
    let mut positional = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let w = &args[i];
        let lit = w.lit();
        let l = lit.as_deref().unwrap_or("");
        if cmd_opts.contains(&l) {
            if let Some(v) = args.get(i + 1) {
                owned.push(v.src.clone());
                has_command = true;
            }
            i += 2;
            continue;
        }
        if file_opts.contains(&l) {
            if let Some(v) = args.get(i + 1) {
                found.files.push((v.src.text.to_string(), v.span));
                has_command = true;
            }
            i += 2;
            continue;
        }
        if with_arg.contains(&l) {
            i += 2;
            continue;
        }
        // attached values: -cSQL, --command=SQL, -fFILE, --file=FILE
        if let Some(m) = attached_any(w, cmd_opts) {
            owned.push(m);
            has_command = true;
            i += 1;
            continue;
        }
        if let Some(m) = attached_any(w, file_opts) {
            found.files.push((m.text.to_string(), w.span));
            has_command = true;
            i += 1;
            continue;
        }
        if w.src.text.starts_with('-') {
            i += 1;
            continue;
        }
        positional.push(w);
        i += 1;
    }
    // sqlite3 DB 'SQL' …
    if dialect == Dialect::Sqlite && positional.len() > 1 {
        for w in &positional[1..] {
            owned.push(w.src.clone());
            has_command = true;
        }
    }
    if !has_command && let Some(stdin) = &cmd.stdin {
        found.sql.push(Sql {
            text: stdin,
            dialect,
        });
    }
    // the dialect of owned texts is the client's
    found.sql.iter_mut().for_each(|s| s.dialect = dialect);
    (found, owned)
}

/// The client's dialect (for texts returned by [`extract`]).
pub fn dialect_of(cmd: &Command) -> Dialect {
    match cmd.name() {
        Some("mysql" | "mariadb") => Dialect::Mysql,
        Some("sqlite3" | "sqlite") => Dialect::Sqlite,
        _ => Dialect::Postgres,
    }
}

/// `$sql`, `${SQL}`, `"$query"`: SQL held in a variable we cannot see (not a parse error).
pub fn is_one_expansion(t: &str) -> bool {
    let t = t.trim();
    let t = t
        .strip_prefix('"')
        .and_then(|x| x.strip_suffix('"'))
        .unwrap_or(t);
    let Some(rest) = t.strip_prefix('$') else {
        return false;
    };
    let name = rest
        .strip_prefix('{')
        .and_then(|x| x.strip_suffix('}'))
        .unwrap_or(rest);
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}
