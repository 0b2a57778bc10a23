//! What the functions of a script do, read once before the walk:
//! - **wrappers**: a function whose body runs its arguments (`"$@"`, `$*`, `eval "$@"`):
//!   `run_logged mkfs.fat /dev/loop0p1` is checked as `mkfs.fat /dev/loop0p1`, like `sudo`;
//! - **exits**: a function whose body ends the script (`exit 1`), so `[[ -n $X ]] || fail "…"`
//!   is a guard; well-known names (`die`, `fail`, `*_error_exit`, …) count without a body;
//! - **errexit**: a function whose body runs `set -e` (`catch_errors`): after a call, errors
//!   stop the script.
//!
//! Also a command word that is a variable followed by a command name (`$STD rm -rf /`,
//! `$SUDO apt-get …`) is checked as that command.

use super::command::{Command, Guard, Part};
use std::cell::RefCell;
use std::collections::HashSet;
use tree_sitter::Node;

#[derive(Debug, Default, Clone)]
pub struct Functions {
    pub wrappers: HashSet<String>,
    pub exits: HashSet<String>,
    pub errexit: HashSet<String>,
}

thread_local! {
    static CURRENT: RefCell<Functions> = RefCell::new(Functions::default());
}

/// Make `f` the functions of the script being walked (until the next call).
pub fn set_current(f: Functions) {
    CURRENT.with(|c| *c.borrow_mut() = f);
}

pub fn is_wrapper(name: &str) -> bool {
    CURRENT.with(|c| c.borrow().wrappers.contains(name))
}

/// Does a call of `name` end the script?
pub fn exits(name: &str) -> bool {
    matches!(
        name,
        "exit"
            | "return"
            | "die"
            | "fail"
            | "fatal"
            | "abort"
            | "bail"
            | "panic"
            | "error_exit"
            | "err_exit"
            | "fail_fn"
    ) || name.ends_with("_error_exit")
        || name.ends_with("_die")
        || name.ends_with("_fatal")
        || CURRENT.with(|c| c.borrow().exits.contains(name))
}

/// Does a call of `name` turn on errexit?
pub fn sets_errexit(name: &str) -> bool {
    CURRENT.with(|c| c.borrow().errexit.contains(name))
}

const ARGS: &[&str] = &["\"$@\"", "$@", "\"$*\"", "$*", "\"${@}\"", "${@}"];

/// Read every function definition of a parsed script.
pub fn scan(root: Node, src: &str) -> Functions {
    let mut f = Functions::default();
    let text = |n: Node| src.get(n.start_byte()..n.end_byte()).unwrap_or("");
    let mut stack = vec![root];
    let mut seen = 0usize;
    while let Some(n) = stack.pop() {
        seen += 1;
        if seen > 2_000_000 {
            break;
        }
        if n.kind() == "function_definition" {
            let name = n.child_by_field_name("name").map(text).unwrap_or("");
            if let Some(body) = n.child_by_field_name("body")
                && !name.is_empty()
            {
                let (wraps, exits, errexit) = body_facts(body, src);
                if wraps {
                    f.wrappers.insert(name.to_string());
                }
                if exits {
                    f.exits.insert(name.to_string());
                }
                if errexit {
                    f.errexit.insert(name.to_string());
                }
            }
        }
        let mut c = n.walk();
        for ch in n.named_children(&mut c) {
            stack.push(ch);
        }
    }
    f
}

/// (runs its arguments, exits at its top level, runs `set -e` at its top level)
fn body_facts(body: Node, src: &str) -> (bool, bool, bool) {
    let text = |n: Node| src.get(n.start_byte()..n.end_byte()).unwrap_or("");
    let mut wraps = false;
    let mut stack = vec![body];
    while let Some(n) = stack.pop() {
        if n.kind() == "command" {
            let mut c = n.walk();
            let words: Vec<Node> = n
                .named_children(&mut c)
                .filter(|w| w.kind() != "variable_assignment" && !w.kind().ends_with("redirect"))
                .collect();
            let first = words.first().map(|w| text(*w)).unwrap_or("");
            let second = words.get(1).map(|w| text(*w)).unwrap_or("");
            if ARGS.contains(&first)
                || (matches!(first, "eval" | "exec" | "command" | "sudo") && ARGS.contains(&second))
            {
                wraps = true;
            }
        }
        if n.kind() == "function_definition" {
            continue;
        }
        let mut c = n.walk();
        for ch in n.named_children(&mut c) {
            stack.push(ch);
        }
    }
    // the body's own statements (not inside if/loops): `exit 1`, `set -e`
    let mut exits = false;
    let mut errexit = false;
    let mut c = body.walk();
    for st in body.named_children(&mut c) {
        let st = if st.kind() == "redirected_statement" {
            st.child_by_field_name("body").unwrap_or(st)
        } else {
            st
        };
        if st.kind() != "command" {
            continue;
        }
        let name = st.child_by_field_name("name").map(text).unwrap_or("");
        if name == "exit" {
            exits = true;
        }
        if name == "set" {
            let args = text(st);
            let sets_e = args.split_whitespace().skip(1).any(|a| {
                (a.starts_with('-') && !a.starts_with("--") && a.contains('e')) || a == "errexit"
            });
            if sets_e {
                errexit = true;
            }
        }
    }
    (wraps, exits, errexit)
}

/// `$STD rm -rf /`: a command word that is one unquoted variable, followed by a word that
/// names a command → the index of that command word.
pub fn variable_prefix(cmd: &Command) -> Option<(usize, String)> {
    let first = cmd.words.first()?;
    // `$STD`, `${SUDO}`: not `"${cmd[@]}"` (an array holds a command and its arguments)
    let [
        Part::Var {
            name,
            guard: Guard::Plain,
        },
    ] = first.parts.as_slice()
    else {
        return None;
    };
    let second = cmd.words.get(1)?;
    if !matches!(second.parts.as_slice(), [Part::Lit { quoted: false, .. }]) {
        return None;
    }
    let next = second.lit()?;
    let plausible = !next.is_empty()
        && !next.starts_with('-')
        && !next.contains('=')
        && next
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | '+'));
    plausible.then(|| (1, format!("${name}")))
}
