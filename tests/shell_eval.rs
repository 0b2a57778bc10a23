//! Shell evaluation the front end follows within one command or script (issue 16 item 3):
//! function calls with their arguments bound, the command word resolved from a literal
//! variable, an alias or `$(echo …)`, and operands `xargs` reads at run time.

use preflight::check::shell;
use preflight::source::{Dialect, LineIndex};

/// (rule, text of the primary span, message) of every finding.
fn found(src: &str) -> Vec<(String, String, String)> {
    shell::check(src, Dialect::Postgres)
        .into_iter()
        .map(|d| (d.rule, src[d.span.start..d.span.end].to_string(), d.message))
        .collect()
}

fn rules(src: &str) -> Vec<String> {
    found(src).into_iter().map(|f| f.0).collect()
}

#[track_caller]
fn one(src: &str, rule: &str, text: &str, says: &str) {
    let f = found(src);
    assert_eq!(f.len(), 1, "one finding for {src:?}: {f:#?}");
    assert_eq!(f[0].0, rule, "{src:?}: {f:#?}");
    assert_eq!(f[0].1, text, "{src:?}: {f:#?}");
    assert!(
        f[0].2.contains(says),
        "{src:?}: {:?} lacks {says:?}",
        f[0].2
    );
}

#[test]
fn function_arguments_are_bound_at_the_call() {
    one(
        "wipe(){ rm -rf \"$1\"; }; wipe ~",
        "rm-root-path",
        "~",
        "the call `wipe ~`",
    );
    one(
        "wipe() { rm -rf \"$@\"; }\nwipe build /srv",
        "rm-root-path",
        "/srv",
        "the call `wipe build /srv`",
    );
    one(
        "wipe() { rm -rf $*; }\nwipe /etc",
        "rm-root-path",
        "/etc",
        "/etc",
    );
    one(
        "wipe() { local d=\"$1\"; rm -rf \"$d\"; }\nwipe /",
        "rm-root-path",
        "/",
        "whole filesystem",
    );
    one(
        "wipe() { d=$1; shift; rm -rf \"$d/cache\" \"$@\"; }\nwipe /tmp/x /usr",
        "rm-root-path",
        "/usr",
        "`/usr`",
    );
    // a call inside a function, bound at the outer call
    one(
        "main() { wipe \"$1\"; }\nwipe() { rm -rf \"$1\"; }\nmain /var",
        "rm-root-path",
        "/var",
        "the call `main /var`, the call `wipe \"$1\"`",
    );
    // `$HOME` passed in and globbed in the body
    let f = found("wipe() { rm -rf \"${1:?}/\"*; }\nwipe \"$HOME\"");
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(
        (f[0].0.as_str(), f[0].1.as_str()),
        ("rm-root-path", "\"$HOME\"")
    );
    assert!(
        f[0].2.contains("everything in your home directory"),
        "{f:#?}"
    );
}

#[test]
fn one_finding_per_problem_in_function_bodies() {
    // a body finding is reported where it is written, not again at every call
    let src = "w() { rm -rf /srv \"$1\"; }\nw a\nw b";
    assert_eq!(rules(src), vec!["rm-root-path"]);
    assert_eq!(found(src)[0].1, "/srv");
    // the definition alone says what it said before
    assert!(rules("wipe(){ rm -rf \"$1\"; }").is_empty());
    // an unguarded `$1` stays a warning where it is written; the call that passes `~`
    // is a second problem, at the call
    let f = found("wipe(){ rm -rf \"$1/\"*; }; wipe ~");
    let got: Vec<(&str, &str)> = f.iter().map(|x| (x.0.as_str(), x.1.as_str())).collect();
    assert_eq!(
        got,
        vec![("rm-unguarded-variable", "\"$1/\"*"), ("rm-root-path", "~")]
    );
    // harmless arguments, missing arguments, recursion
    assert!(rules("clean() { rm -rf \"./$1\"; }\nclean build").is_empty());
    assert!(rules("clean() { rm -rf \"${1:?}/cache\"; }\nclean /srv/app").is_empty());
    assert!(rules("wipe(){ rm -rf \"$1\"; }; wipe").is_empty());
    assert!(rules("f() { f \"$1\"; echo \"$1\"; }\nf /").is_empty());
    // a wrapper's "$@" command is checked once (wrappers.rs), not again through the body
    assert_eq!(
        rules("run() { echo \"+ $*\"; \"$@\"; }\nrun rm -rf /srv"),
        vec!["rm-root-path"]
    );
}

#[test]
fn the_command_word_resolves_to_its_value() {
    one(
        "`echo rm` -rf /srv",
        "rm-root-path",
        "/srv",
        "output of `echo rm`",
    );
    one(
        "$(echo rm) -rf /srv",
        "rm-root-path",
        "/srv",
        "output of `echo rm`",
    );
    one("$(echo rm -rf) /etc", "rm-root-path", "/etc", "/etc");
    one("rm -rf $(echo /srv)", "rm-root-path", "/srv", "/srv");
    one(
        "alias nuke='rm -rf'; nuke /srv",
        "rm-root-path",
        "/srv",
        "the alias `nuke`",
    );
    one("c=\"rm -rf /srv\"; $c", "rm-root-path", "/srv", "`$c`");
    one("c=\"rm -rf\"\n${c} /var", "rm-root-path", "/var", "`$c`");
    // the finding points at the value where it is written
    let src = "c=\"rm -rf /srv\"\necho go\n$c";
    let idx = LineIndex::new(src);
    let d = &shell::check(src, Dialect::Postgres)[0];
    assert_eq!(idx.position(src, d.span.start).line, 1);
    // `$STD rm -rf /` with `STD=silent` (a function of a sourced file) is still `rm -rf /`
    assert_eq!(rules("STD=\"silent\"\n$STD rm -rf /"), vec!["rm-root-path"]);
}

#[test]
fn ordinary_evaluation_stays_silent() {
    for src in [
        "greet() { echo \"hello $1\"; }; greet /",
        "log() { printf '%s\\n' \"$*\" >&2; }\nlog removing /srv",
        "alias ll='ls -la'; ll /srv",
        "alias g=git\ng status",
        "c=\"ls -la\"; $c /",
        "\"$(echo rm -rf)\" /srv",
        "c=\"rm -rf /srv\"; \"$c\"",
        "c=\"rm -rf /srv\"; read -r c; $c",
        "c=\"rm -rf /srv\"; c=$(pick); $c",
        "ls $(echo /srv)",
        "v=$(echo 1.2.3); echo \"$v\"",
        "git ls-files '*.rs' | xargs grep -n 'unwrap()'",
        "cat list.txt | xargs echo",
        "find . -name '*.pyc' | xargs rm -rf",
        "cat files.txt | xargs rm -f",
        "echo build dist | xargs rm -rf",
    ] {
        assert!(rules(src).is_empty(), "{src:?}: {:#?}", found(src));
    }
}

#[test]
fn operands_read_at_run_time_are_a_warning() {
    for src in [
        "cat dirs.txt | xargs rm -rf",
        "xargs -a dirs.txt rm -rf",
        "xargs rm -rf < dirs.txt",
    ] {
        let f = found(src);
        assert_eq!(rules(src), vec!["rm-unknown-operands"], "{src:?}");
        assert!(f[0].2.contains("cannot see which"), "{f:#?}");
    }
    // text the command pipes in is read as the operands
    one("echo /srv | xargs rm -rf", "rm-root-path", "/srv", "`/srv`");
}
