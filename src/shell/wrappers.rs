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
use super::tree::Node;
use super::tree::kind;
use std::cell::{Cell, RefCell};
use std::collections::HashSet;

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Functions {
    pub wrappers: HashSet<String>,
    pub exits: HashSet<String>,
    pub errexit: HashSet<String>,
}

thread_local! {
    static CURRENT: RefCell<Functions> = RefCell::new(Functions::default());
    /// Whether [`CURRENT`] has any wrapper, exit, errexit function (most scripts have none
    /// of some kind): a question about a name then needs no lookup. Set with it.
    static ANY: Cell<[bool; 3]> = const { Cell::new([false; 3]) };
}

/// Make `f` the functions of the script being walked (until the next call).
pub fn set_current(f: Functions) {
    ANY.with(|a| {
        a.set([
            !f.wrappers.is_empty(),
            !f.exits.is_empty(),
            !f.errexit.is_empty(),
        ])
    });
    CURRENT.with(|c| *c.borrow_mut() = f);
}

pub fn is_wrapper(name: &str) -> bool {
    ANY.with(|a| a.get()[0]) && CURRENT.with(|c| c.borrow().wrappers.contains(name))
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
        || (ANY.with(|a| a.get()[1]) && CURRENT.with(|c| c.borrow().exits.contains(name)))
}

/// Does a call of `name` turn on errexit?
pub fn sets_errexit(name: &str) -> bool {
    ANY.with(|a| a.get()[2]) && CURRENT.with(|c| c.borrow().errexit.contains(name))
}

const ARGS: &[&str] = &["\"$@\"", "$@", "\"$*\"", "$*", "\"${@}\"", "${@}"];

/// Read every function definition of a parsed script: the definitions [`scan_walk`] reaches
/// from `root`, found in the tree's node list by kind instead (most of a script is outside
/// every function: its nodes are not walked), each one's body walked as `scan_walk` walks it.
/// The same answer (`tests::the_definitions_by_kind_are_the_walks`).
pub fn scan(root: Node, src: &str) -> Functions {
    let text = |n: Node| src.get(n.start_byte()..n.end_byte()).unwrap_or("");
    let mut f = Functions::default();
    for def in root.all_of_kind("function_definition") {
        // the walk skips a subtree outside functions whose text has neither `(` nor
        // `function`; a definition's own text has one of them (so every node above it has
        // too) unless it has errors: then walk
        let t = text(def);
        if def.has_error() || !(t.contains('(') || t.contains("function")) {
            return scan_walk(root, src);
        }
        match reached(root, def, src) {
            Some(true) => {}
            Some(false) => continue,
            None => return scan_walk(root, src),
        }
        let name = def.field("name").map(text).unwrap_or("");
        if name.is_empty() {
            continue;
        }
        crate::owned_tree::preorder(def, |n, depth| match kind(n) {
            // a definition inside: its commands are its own (found by kind too)
            "function_definition" => depth == 0,
            "command" => {
                command_facts(n, src, name, depth, &mut f);
                n.child(0).is_some() && text(n).contains('(')
            }
            k => !leaf_text(k) && n.child(0).is_some(),
        });
    }
    f
}

/// Does [`scan_walk`] reach `def` from `root` (every node above it hangs below the next,
/// and none is one the walk does not enter: a command without `(`, a word, a comment …)?
/// `None` when the tree is not as the walk assumes (a span outside its parent's).
fn reached(root: Node, def: Node, src: &str) -> Option<bool> {
    let text = |n: Node| src.get(n.start_byte()..n.end_byte()).unwrap_or("");
    let mut n = def;
    while n.id() != root.id() {
        let Some(p) = n.parent() else {
            return Some(false);
        };
        if !p.children().any(|k| k.id() == n.id()) {
            return Some(false);
        }
        if p.start_byte() > def.start_byte() || p.end_byte() < def.end_byte() {
            return None;
        }
        match kind(p) {
            "command" if !text(p).contains('(') => return Some(false),
            k if leaf_text(k) => return Some(false),
            _ => {}
        }
        n = p;
    }
    Some(true)
}

/// A node whose text holds no function definition to find (the walks do not enter it).
fn leaf_text(kind: &str) -> bool {
    matches!(
        kind,
        "comment" | "heredoc_body" | "raw_string" | "string_content" | "word"
    )
}

/// [`scan`] in one cursor walk of the tree from the root.
pub fn scan_walk(root: Node, src: &str) -> Functions {
    let mut f = Functions::default();
    let text = |n: Node| src.get(n.start_byte()..n.end_byte()).unwrap_or("");
    // enclosing functions: (name, depth of the function_definition node)
    let mut open: Vec<(String, usize)> = Vec::new();
    crate::owned_tree::preorder(root, |n, depth| {
        while open.last().is_some_and(|(_, d)| *d >= depth && depth > 0) {
            open.pop();
        }
        let mut descend = n.child(0).is_some();
        match kind(n) {
            "function_definition" => {
                let name = n.field("name").map(text).unwrap_or("");
                open.push((name.to_string(), depth));
            }
            "command" => {
                if let Some((name, fd)) = open.last() {
                    command_facts(n, src, name, depth - fd, &mut f);
                }
                // a command's words hold no function definitions worth a walk
                descend = n.child(0).is_some() && text(n).contains('(');
            }
            k if leaf_text(k) => descend = false,
            // outside every function only definitions matter, and a definition is written
            // `name ( )` or `function name`: a subtree whose text has neither holds none.
            // Only for subtrees without ERROR/MISSING nodes (a MISSING `(` has no text); the
            // input repair before parsing writes only ` _ = x`, so it adds neither.
            _ if open.is_empty()
                && descend
                && !n.has_error()
                && !text(n).contains('(')
                && !text(n).contains("function") =>
            {
                descend = false
            }
            _ => {}
        }
        descend
    });
    f
}

/// What one command inside function `name` says about the function (`below` levels under
/// its definition: 2 is a statement of the body itself).
fn command_facts(n: Node, src: &str, name: &str, below: usize, f: &mut Functions) {
    if name.is_empty() {
        return;
    }
    let text = |n: Node| src.get(n.start_byte()..n.end_byte()).unwrap_or("");
    let Some(cmd_name) = n.field("name") else {
        return;
    };
    let first = text(cmd_name);
    let second = n.field("argument").map(text).unwrap_or_default();
    if ARGS.contains(&first)
        || (matches!(first, "eval" | "exec" | "command" | "sudo") && ARGS.contains(&second))
    {
        f.wrappers.insert(name.to_string());
    }
    // the body's own statements (not inside if/loops): `exit 1`, `set -e`
    let top = below == 2
        || (below == 3
            && n.parent()
                .is_some_and(|p| kind(p) == "redirected_statement"));
    if !top {
        return;
    }
    if first == "exit" {
        f.exits.insert(name.to_string());
    }
    if first == "set" {
        let sets_e = text(n).split_whitespace().skip(1).any(|a| {
            (a.starts_with('-') && !a.starts_with("--") && a.contains('e')) || a == "errexit"
        });
        if sets_e {
            f.errexit.insert(name.to_string());
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn functions(src: &str) -> Functions {
        let tree = crate::shell::tree::parse(src).expect("parses");
        let root = tree.root().expect("a root");
        assert!(!root.has_error(), "{src}");
        scan(root, src)
    }

    /// Pieces of scripts with definitions in every place the walk enters or skips.
    const PIECES: &[&str] = &[
        "run() { \"$@\"; }\n",
        "function w { sudo \"$@\"; }\n",
        "die_now ( ) { exit 1; }\n",
        "boot() { set -e; }\n",
        "f() { g() { exit 1; }; eval \"$@\"; }\n",
        "if [ -n \"$X\" ]; then\n  function run2 { \"$@\"; }\nfi\n",
        "for x in a; do h ( ) { exit 1; }; done\n",
        "v=$(boot2() { set -e; }; boot2)\n",
        "echo $(k() { exec \"$@\"; }; k)\n",
        "echo `function q { exit 1; }; q`\n",
        "case $1 in a) function sx() { sudo \"$@\"; } ;; esac\n",
        "cat <<EOF\n$(hd() { exit 1; })\nEOF\n",
        "# function c() { exit 1; }\n",
        "echo 'function s() { exit 1; }'\n",
        "echo \"function d() { exit 1; }\"\n",
        "x() ( set -eu; )\n",
        "y() { if true; then exit 1; fi; } >log\n",
        "z() { command \"$@\" 2>&1; }\n",
        "echo (\n",
        "function broken {\n",
        "rm -rf /tmp/x\n",
        "a=(1 2 3)\n",
        "(cd /; ls)\n",
    ];

    /// The definitions found by kind are the ones the walk from the root finds, on scripts
    /// of the pieces in many orders (both tree builders: the fast reader and tree-sitter).
    #[test]
    fn the_definitions_by_kind_are_the_walks() {
        let mut rng = crate::test_rng::Rng::new(29);
        let mut seen = 0;
        for _ in 0..600 {
            let mut src = String::new();
            for _ in 0..1 + rng.below(6) {
                let p = PIECES[rng.below(PIECES.len())];
                if rng.below(4) == 0 {
                    // nested in a function or a block
                    src.push_str(&format!("outer{}() {{\n{p}}}\n", rng.below(3)));
                } else {
                    src.push_str(p);
                }
            }
            for tree in [
                crate::shell::tree::read(&src),
                crate::shell::tree::parse(&src),
            ]
            .into_iter()
            .flatten()
            {
                let Some(root) = tree.root() else { continue };
                let walked = scan_walk(root, &src);
                seen += walked.wrappers.len() + walked.exits.len() + walked.errexit.len();
                assert_eq!(scan(root, &src), walked, "{src}");
            }
        }
        assert!(seen > 500, "{seen}");
        // and the repository's shell files
        let mut files = 0;
        for dir in ["tests/cases", "fixtures"] {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
            for ext in ["sh", "bash"] {
                for path in crate::fast_tests::files_with_ext(&dir, ext) {
                    let Ok(src) = std::fs::read_to_string(&path) else {
                        continue;
                    };
                    if let Some(tree) = crate::shell::tree::read(&src)
                        && let Some(root) = tree.root()
                    {
                        assert_eq!(scan(root, &src), scan_walk(root, &src), "{path:?}");
                        files += 1;
                    }
                }
            }
        }
        assert!(files > 20, "{files}");
    }

    #[test]
    fn definitions_are_found_wherever_they_are_written() {
        // the walk skips subtrees without `(` or `function` outside functions: definitions
        // in `if`, loops, `case` and command substitutions, with and without parentheses
        let f = functions(
            "echo start; rm -f x\n\
             if [ -n \"$X\" ]; then\n  function run { \"$@\"; }\nfi\n\
             for x in a; do die_now ( ) { exit 1; }; done\n\
             v=$(boot() { set -e; }; boot)\n\
             case $1 in a) function sx() { sudo \"$@\"; } ;; esac\n",
        );
        let mut w: Vec<&str> = f.wrappers.iter().map(String::as_str).collect();
        w.sort_unstable();
        assert_eq!(w, ["run", "sx"]);
        assert!(f.exits.contains("die_now"), "{f:?}");
        assert!(f.errexit.contains("boot"), "{f:?}");
        assert_eq!(f.exits.len() + f.errexit.len(), 2, "{f:?}");
    }
}
