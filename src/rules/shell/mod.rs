//! Rules that read one resolved shell command, with what the script established before it.

pub mod cmd;
pub mod commands;
pub mod data_dir_move;
pub mod db_file_truncate;
pub mod find_delete;
pub mod opaque_execution;
pub mod rm_after_unchecked_cd;
pub mod rm_parent_path;
pub mod rm_root_path;
pub mod rm_unguarded_variable;
pub mod rm_unknown_operands;

use crate::diagnostic::Diagnostic;
use crate::shell::command::{Command, Guard, Part, Word};
use crate::shell::env::Env;
use crate::shell::facts::State;
use crate::source::Span;

/// Everything a shell rule may look at besides the command.
pub struct Context<'a> {
    pub state: &'a State,
    /// The file text spans point into.
    pub src: &'a str,
    /// Where the script runs (the hook's working directory, the script's directory).
    pub env: &'a Env,
}

pub use cmd::Cmd;

/// A check run on every resolved command (read once for all of them: [`Cmd`]).
pub type ShellCheck = fn(&Cmd, &Context, &mut Vec<Diagnostic>);

/// `rm` with its flags read in every spelling: `-rf`, `-fr`, `-r -f`, `-R`,
/// `--recursive --force`, `-rfv`, options after operands, `--`.
pub struct Rm<'c> {
    pub recursive: bool,
    pub no_preserve_root: Option<Span>,
    pub operands: Vec<&'c Word>,
}

pub fn rm_args(cmd: &Command) -> Option<Rm<'_>> {
    if cmd.name()? != "rm" {
        return None;
    }
    let mut rm = Rm {
        recursive: false,
        no_preserve_root: None,
        operands: Vec::new(),
    };
    let mut options_done = false;
    for w in cmd.args() {
        let lit = w.lit_cow();
        match lit.as_deref() {
            Some("--") if !options_done => options_done = true,
            Some(l) if !options_done && l.starts_with("--") => match l {
                "--recursive" => rm.recursive = true,
                "--no-preserve-root" => rm.no_preserve_root = Some(w.span),
                _ => {}
            },
            Some(l) if !options_done && l.starts_with('-') && l.len() > 1 => {
                if l.contains(['r', 'R']) {
                    rm.recursive = true;
                }
            }
            _ => rm.operands.push(w),
        }
    }
    Some(rm)
}

pub const PLACEHOLDER: &str = "\u{1}v\u{1}";

/// The operand as a path string. Expansions the script cannot prove non-empty become `""`
/// when `empty` is set (the worst case) and an opaque placeholder otherwise; `$HOME` is `~`.
pub fn render(w: &Word, state: &State, empty: bool) -> String {
    let mut s = String::new();
    for (i, p) in w.parts.iter().enumerate() {
        match p {
            Part::Lit { text, .. } => s.push_str(text),
            Part::Var { name, guard } if name == "HOME" && *guard != Guard::Derived => {
                if i == 0 {
                    s.push('~');
                } else {
                    s.push_str(PLACEHOLDER);
                }
            }
            _ => {
                if !(empty && state.part_may_be_empty(p)) {
                    s.push_str(PLACEHOLDER);
                }
            }
        }
    }
    s
}

/// The variables of the word that may be empty here (for messages).
pub fn empty_vars(w: &Word, state: &State) -> Vec<String> {
    w.parts
        .iter()
        .filter(|p| state.part_may_be_empty(p))
        .filter_map(|p| match p {
            Part::Var { name, .. } => Some(format!("${name}")),
            Part::Subst { .. } => Some("$(…)".to_string()),
            _ => None,
        })
        .collect()
}

const SYSTEM_DIRS: &[&str] = &[
    "bin", "boot", "dev", "etc", "home", "lib", "lib32", "lib64", "media", "mnt", "opt", "proc",
    "root", "run", "sbin", "snap", "srv", "sys", "usr", "var", "Users",
];

/// Database data directories (absolute, as components) and what keeps its data there.
const DATA_DIRS: &[(&[&str], &str)] = &[
    (&["var", "lib", "postgresql"], "PostgreSQL"),
    (&["var", "lib", "pgsql"], "PostgreSQL"),
    (&["var", "lib", "mysql"], "MySQL"),
    (&["var", "lib", "mariadb"], "MariaDB"),
    (&["var", "lib", "mongodb"], "MongoDB"),
    (&["var", "lib", "mongo"], "MongoDB"),
    (&["var", "lib", "redis"], "Redis"),
    (&["var", "lib", "docker", "volumes"], "Docker volume"),
    (&["var", "lib", "elasticsearch"], "Elasticsearch"),
    (&["var", "lib", "opensearch"], "OpenSearch"),
    (&["var", "lib", "etcd"], "etcd"),
    (&["var", "lib", "cassandra"], "Cassandra"),
    (&["var", "lib", "clickhouse"], "ClickHouse"),
    (&["var", "lib", "influxdb"], "InfluxDB"),
    (&["var", "lib", "rabbitmq"], "RabbitMQ"),
    (&["var", "lib", "couchdb"], "CouchDB"),
    (&["var", "lib", "neo4j"], "Neo4j"),
    (&["usr", "local", "var", "postgres"], "PostgreSQL"),
    (&["usr", "local", "var", "mysql"], "MySQL"),
];

/// Directories in a home that hold keys and settings (not reinstallable tool state).
const HOME_KEEP: &[&str] = &[
    ".ssh",
    ".gnupg",
    ".aws",
    ".kube",
    ".config",
    ".local",
    ".password-store",
    ".docker",
];

/// Names at the top of a home that are scratch space, not the user's files.
const HOME_SCRATCH: &[&str] = &["tmp", "temp", "Downloads"];

fn has_glob(c: &str) -> bool {
    c.contains(['*', '?', '['])
}

/// A database data directory, or one of the two levels below it (a version, a cluster, a
/// database), or their contents (`/*`). Deeper paths and name patterns (`pg_log/*.old`,
/// `*.err`) are files inside a cluster: not the data directory.
pub fn data_dir(comps: &[&str]) -> Option<String> {
    // every entry of DATA_DIRS starts so (a test keeps them in step)
    if !matches!(comps, ["var", "lib", ..] | ["usr", "local", "var", ..]) {
        return None;
    }
    for (dir, what) in DATA_DIRS {
        let Some(rest) = comps.strip_prefix(*dir) else {
            continue;
        };
        let rest = match rest {
            [r @ .., "*" | ".*"] => r,
            r => r,
        };
        if rest.len() <= 2 && !rest.iter().any(|c| has_glob(c)) {
            return Some(format!("the {what} data directory `/{}`", dir.join("/")));
        }
    }
    None
}

/// The data directory a file lies under (at any depth), e.g. `PostgreSQL`.
pub fn under_data_dir(path: &str) -> Option<&'static str> {
    if !path.starts_with('/') {
        return None;
    }
    let comps = normalize(path)?;
    DATA_DIRS
        .iter()
        .find(|(d, _)| comps.len() > d.len() && comps.starts_with(d))
        .map(|(_, what)| *what)
}

/// `/home/<user>`, `/Users/<user>` (or their contents).
fn home_dir(comps: &[&str]) -> Option<String> {
    match comps {
        [h @ ("home" | "Users"), u] | [h @ ("home" | "Users"), u, "*" | ".*"] if !has_glob(u) => {
            Some(if u.contains(PLACEHOLDER) {
                format!("a home directory under `/{h}`")
            } else {
                format!("the home directory `/{h}/{u}`")
            })
        }
        _ => None,
    }
}

/// `$PGDATA`, `${PGDATA}/`, `"$PGDATA"/*`: the PostgreSQL data directory by its variable.
pub fn data_var(w: &Word) -> Option<String> {
    let (first, rest) = w.parts.split_first()?;
    let Part::Var { name, guard } = first else {
        return None;
    };
    if name != "PGDATA" || *guard == Guard::Derived {
        return None;
    }
    let mut tail = String::new();
    for p in rest {
        match p {
            Part::Lit { text, .. } => tail.push_str(text),
            _ => return None,
        }
    }
    matches!(normalize(&tail)?.as_slice(), [] | ["*"] | [".*"])
        .then(|| "the PostgreSQL data directory (`$PGDATA`)".to_string())
}
const SYSTEM_SUBDIRS: &[(&str, &str)] = &[
    ("usr", "bin"),
    ("usr", "lib"),
    ("usr", "local"),
    ("usr", "share"),
    ("usr", "sbin"),
    ("var", "lib"),
];

/// Components of a path after removing `.`, empty components and resolving `..`
/// (never above the start). `None` when `..` climbs above the start of a relative path.
pub fn normalize(path: &str) -> Option<Vec<&str>> {
    let mut out: Vec<&str> = Vec::new();
    let absolute = path.starts_with('/');
    for c in path.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                if out.pop().is_none() && !absolute {
                    return None;
                }
            }
            c => out.push(c),
        }
    }
    Some(out)
}

/// What a path destroys when it is the root, a home directory or a system directory
/// (also as `dir/*`); `cwd_root` reads relative paths as relative to `/`.
pub fn catastrophic(path: &str, cwd_root: bool) -> Option<String> {
    if path.is_empty() {
        return None;
    }
    if let Some(rest) = path.strip_prefix('~') {
        if rest.is_empty() || rest.starts_with('/') {
            let comps = normalize(rest)?;
            return match comps.as_slice() {
                [] => Some("your home directory".to_string()),
                ["*"] | [".*"] => Some("everything in your home directory".to_string()),
                [d] | [d, "*" | ".*"]
                    if !has_glob(d)
                        && !d.contains(PLACEHOLDER)
                        && ((!d.starts_with('.') && !HOME_SCRATCH.contains(d))
                            || HOME_KEEP.contains(d)) =>
                {
                    Some(format!("`~/{d}` in your home directory (your own files)"))
                }
                _ => None,
            };
        }
        // `~alice`
        let user = rest.split('/').next().unwrap_or("");
        if !user.is_empty()
            && !user.starts_with(['+', '-'])
            && !has_glob(user)
            && !user.contains(PLACEHOLDER)
        {
            let comps = normalize(&rest[user.len()..])?;
            if matches!(comps.as_slice(), [] | ["*"] | [".*"]) {
                return Some(format!("the home directory of `{user}`"));
            }
        }
        return None;
    }
    let absolute = path.starts_with('/');
    if !absolute && !cwd_root {
        return None;
    }
    let rooted = if absolute {
        path.to_string()
    } else {
        format!("/{path}")
    };
    let comps = normalize(&rooted)?;
    if let Some(what) = data_dir(&comps).or_else(|| home_dir(&comps)) {
        return Some(what);
    }
    match comps.as_slice() {
        [] => Some("the whole filesystem (`/`)".to_string()),
        ["*"] => Some("every top-level directory (`/*`)".to_string()),
        [d] | [d, "*"] if SYSTEM_DIRS.contains(d) => Some(format!("the system directory `/{d}`")),
        [a, b] | [a, b, "*"] if SYSTEM_SUBDIRS.contains(&(*a, *b)) => {
            Some(format!("the system directory `/{a}/{b}`"))
        }
        // `/srv` holds the data this machine serves, one directory per service
        ["srv", d] | ["srv", d, "*"] if *d != "*" => {
            Some(format!("the service data directory `/srv/{d}`"))
        }
        _ => None,
    }
}

/// Does a relative path climb above its start (`../x`, `a/../../b`, `..`)?
pub fn escapes(path: &str) -> bool {
    !path.starts_with('/') && !path.starts_with('~') && normalize(path).is_none()
}

/// The primary span of a command finding: from the command name to the command's end.
pub fn command_span(cmd: &Command) -> Span {
    let n = cmd.name_span();
    if cmd.span.start <= n.start && cmd.span.end >= n.end {
        Span::new(n.start, cmd.span.end)
    } else {
        n
    }
}

/// ` (run through sudo)` for messages.
pub fn via(cmd: &Command) -> String {
    if cmd.via.is_empty() {
        String::new()
    } else {
        format!(" (run through {})", cmd.via.join(", "))
    }
}

/// A printable operand: `$DIR/`*, `../shared/uploads`.
pub fn show(w: &Word) -> String {
    let t = w.src.text.trim();
    let t: String = t.chars().take(80).collect();
    if t.is_empty() { "\"\"".to_string() } else { t }
}

#[cfg(test)]
pub mod testing {
    //! `fires` / `silent` vectors for the shell rules' own tests.
    use crate::rules::testing::{fires_in, silent_in};
    use crate::source::Lang;

    pub fn fires(rule: &str, src: &str) {
        fires_in(Lang::Shell, rule, src)
    }
    pub fn silent(rule: &str, src: &str) {
        silent_in(Lang::Shell, rule, src)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_dirs_start_where_data_dir_looks() {
        for (dir, _) in DATA_DIRS {
            assert!(
                matches!(dir, ["var", "lib", ..] | ["usr", "local", "var", ..]),
                "{dir:?}"
            );
            assert!(data_dir(dir).is_some(), "{dir:?}");
        }
        assert!(data_dir(&["var", "log", "mysql"]).is_none());
    }

    #[test]
    fn paths() {
        assert!(catastrophic("/", false).is_some());
        assert!(catastrophic("//", false).is_some());
        assert!(catastrophic("/*", false).is_some());
        assert!(catastrophic("/etc/", false).is_some());
        assert!(catastrophic("/var/app/../..", false).is_some());
        assert!(catastrophic("~", false).is_some());
        assert!(catastrophic("~/", false).is_some());
        assert!(catastrophic("*", true).is_some());
        assert!(catastrophic("*", false).is_none());
        assert!(catastrophic("/var/app/releases", false).is_none());
        // issue 13: a directory at the top of a home is the user's own files
        assert!(catastrophic("~/build", false).is_some());
        assert!(catastrophic("~/build/out", false).is_none());
        assert!(catastrophic("~/.cache", false).is_none());
        assert!(catastrophic("/var/lib/mysql", false).is_some());
        assert!(catastrophic("/var/lib/mysql/db1/*", false).is_some());
        assert!(catastrophic("/var/lib/mysql/db1/t1/x.ibd", false).is_none());
        assert!(catastrophic("/home/alice", false).is_some());
        assert!(catastrophic("/home/alice/src", false).is_none());
        assert!(under_data_dir("/var/lib/postgresql/15/main/base/1").is_some());
        assert!(under_data_dir("/var/lib/postgresql").is_none());
        assert!(catastrophic("/srv/data", false).is_some());
        assert!(catastrophic("/srv/app/releases/old", false).is_none());
        assert!(escapes("../shared/uploads"));
        assert!(escapes("a/../../b"));
        assert!(escapes(".."));
        assert!(!escapes("./build/../x"));
        assert!(!escapes("/var/../x"));
    }
}
