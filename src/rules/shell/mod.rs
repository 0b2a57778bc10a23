//! Rules that read one resolved shell command, with what the script established before it.

pub mod commands;
pub mod find_delete;
pub mod opaque_execution;
pub mod rm_after_unchecked_cd;
pub mod rm_parent_path;
pub mod rm_root_path;
pub mod rm_unguarded_variable;

use crate::diagnostic::Diagnostic;
use crate::shell::command::{Command, Guard, Part, Word};
use crate::shell::facts::State;
use crate::source::Span;

/// Everything a shell rule may look at besides the command.
pub struct Context<'a> {
    pub state: &'a State,
    /// The file text spans point into.
    pub src: &'a str,
}

/// A check run on every resolved command.
pub type ShellCheck = fn(&Command, &Context, &mut Vec<Diagnostic>);

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
        let lit = w.lit();
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

const PLACEHOLDER: &str = "\u{1}v\u{1}";

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
    "root", "run", "sbin", "snap", "srv", "sys", "usr", "var",
];
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
fn normalize(path: &str) -> Option<Vec<&str>> {
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
                _ => None,
            };
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
        assert!(catastrophic("/srv/data", false).is_some());
        assert!(catastrophic("/srv/app/releases/old", false).is_none());
        assert!(catastrophic("~/build", false).is_none());
        assert!(escapes("../shared/uploads"));
        assert!(escapes("a/../../b"));
        assert!(escapes(".."));
        assert!(!escapes("./build/../x"));
        assert!(!escapes("/var/../x"));
    }
}
