//! What the script has established so far, in straight-line order: which variables are known
//! to be non-empty (`dir=$(mktemp -d)`, `dir=/opt/app`, `: "${DIR:?}"`,
//! `[ -n "$DIR" ] || exit`), `set -e` / `set -u`, and whether an unchecked `cd` may have
//! left the script in the wrong directory.

use super::command::{Command, Guard, Part, Word};
use crate::source::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VarFact {
    NonEmpty,
    MaybeEmpty,
}

/// Variables that are set and non-empty in any sane environment.
const ENV_NON_EMPTY: &[&str] = &[
    "HOME",
    "PWD",
    "OLDPWD",
    "USER",
    "LOGNAME",
    "PATH",
    "SHELL",
    "0",
    "$",
    "#",
    "?",
    "!",
    "RANDOM",
    "LINENO",
    "SECONDS",
    "UID",
    "EUID",
    "PPID",
    "HOSTNAME",
    "BASH_SOURCE",
];

#[derive(Debug, Clone, Default)]
pub struct State {
    vars: super::command::NameMap<VarFact>,
    /// Previous values of variables changed inside open scopes (undone on [`State::exit`]).
    journal: Vec<(String, Option<VarFact>)>,
    /// Per open scope: journal length and the flags to restore.
    scopes: Vec<(usize, bool, bool, Option<Span>, bool, bool)>,
    /// `set -e` / `set -o errexit` (or `#!/bin/bash -e`).
    pub errexit: bool,
    /// `set -u` / `set -o nounset`: an unset variable aborts the script.
    pub nounset: bool,
    /// A `cd` whose failure nobody checks, and that is still in effect.
    pub unchecked_cd: Option<Span>,
    /// The last `cd` went to `/`.
    pub cwd_root: bool,
    /// Facts a guarding test proved (`[ -d "$X" ] && …`), one frame per open guard, with
    /// the values to restore at its end.
    guards: Vec<Vec<(String, Option<VarFact>)>>,
    /// A `cd`/`pushd` ran: relative paths no longer start from the working directory the
    /// script was started in.
    pub cwd_moved: bool,
    /// `git stash` (push/save) ran and was not popped or applied since: `Some(true)` when it
    /// took untracked files too (`-u`, `--include-untracked`, `-a`, `--all`).
    pub stashed: Option<bool>,
    /// [`State::set_fact`] also records each change in the last guard frame (while a
    /// guarding test is read).
    in_guard_test: bool,
}

impl State {
    /// Settings from the shebang line (`#!/bin/bash -eu`).
    pub fn from_shebang(text: &str) -> State {
        let mut s = State::default();
        if let Some(first) = text.lines().next().filter(|l| l.starts_with("#!")) {
            for arg in first.split_whitespace().skip(1) {
                if arg.starts_with('-') && !arg.starts_with("--") {
                    s.errexit |= arg.contains('e');
                    s.nounset |= arg.contains('u');
                }
            }
        }
        s
    }

    pub fn fact(&self, name: &str) -> Option<VarFact> {
        self.vars.get(name).copied()
    }

    /// Can this variable expand to the empty string here?
    pub fn may_be_empty(&self, name: &str) -> bool {
        match self.vars.get(name) {
            Some(VarFact::NonEmpty) => false,
            Some(VarFact::MaybeEmpty) => true,
            // never assigned by the script: from the environment or an argument
            None => !(ENV_NON_EMPTY.contains(&name) || self.nounset),
        }
    }

    /// Can this part expand to nothing?
    pub fn part_may_be_empty(&self, p: &Part) -> bool {
        match p {
            Part::Lit { text, .. } => text.is_empty(),
            Part::Var { name, guard } => match guard {
                Guard::NonEmpty => false,
                Guard::Derived => true,
                Guard::Plain => self.may_be_empty(name),
            },
            Part::Subst { mktemp } => !mktemp,
            Part::Other => false,
        }
    }

    /// Is the word known to be non-empty?
    pub fn word_non_empty(&self, w: &Word) -> bool {
        w.parts.iter().any(|p| !self.part_may_be_empty(p))
    }

    pub fn assign(&mut self, name: &str, value: Option<&Word>) {
        let fact = match value {
            Some(w) if self.word_non_empty(w) => VarFact::NonEmpty,
            _ => VarFact::MaybeEmpty,
        };
        self.set_fact(name, fact);
    }

    pub fn set_fact(&mut self, name: &str, fact: VarFact) {
        // (the name copied only when it is new)
        let old = match self.vars.get_mut(name) {
            Some(v) => Some(std::mem::replace(v, fact)),
            None => self.vars.insert(name.to_string(), fact),
        };
        if !self.scopes.is_empty() && old != Some(fact) {
            self.journal.push((name.to_string(), old));
        }
        if self.in_guard_test
            && old != Some(fact)
            && let Some(frame) = self.guards.last_mut()
        {
            frame.push((name.to_string(), old));
        }
    }

    /// A subshell, substitution, function body or pipeline stage begins.
    pub fn enter(&mut self) {
        self.scopes.push((
            self.journal.len(),
            self.errexit,
            self.nounset,
            self.unchecked_cd,
            self.cwd_root,
            self.cwd_moved,
        ));
    }

    /// …and ends: what happened inside does not outlive it.
    pub fn exit(&mut self) {
        let Some((mark, errexit, nounset, cd, root, moved)) = self.scopes.pop() else {
            return;
        };
        while self.journal.len() > mark {
            if let Some((name, old)) = self.journal.pop() {
                match old {
                    Some(f) => self.vars.insert(name, f),
                    None => self.vars.remove(&name),
                };
            }
        }
        self.errexit = errexit;
        self.nounset = nounset;
        self.unchecked_cd = cd;
        self.cwd_root = root;
        self.cwd_moved = moved;
    }

    /// A guarding command begins (`[ -d "$X" ] && …`, an `if` condition).
    pub fn guard_start(&mut self) {
        self.guards.push(Vec::new());
    }

    /// The end of what the last guarding command covers.
    pub fn guard_end(&mut self) {
        let Some(frame) = self.guards.pop() else {
            return;
        };
        for (name, old) in frame.into_iter().rev() {
            match old {
                Some(f) => self.vars.insert(name, f),
                None => self.vars.remove(&name),
            };
        }
    }

    /// Update after a command ran (rules have already seen it).
    pub fn after(&mut self, cmd: &Command) {
        self.after_named(cmd, cmd.name());
    }

    /// [`State::after`] of a command whose [`Command::name`] is `name` (read once by the
    /// caller).
    pub fn after_named(&mut self, cmd: &Command, name: Option<&str>) {
        // `${X:?}` anywhere: from here on X is non-empty (or the script stopped)
        for w in &cmd.words {
            for p in w.parts.iter() {
                if let Part::Var {
                    name,
                    guard: Guard::NonEmpty,
                } = p
                    && !cmd.flow.checked
                {
                    self.set_fact(name, VarFact::NonEmpty);
                }
            }
        }
        let Some(name) = name else { return };
        let args = cmd.args();
        match name {
            "set" => self.set_options(args),
            "cd" | "pushd" => {
                if cmd.in_pipeline {
                    return;
                }
                self.cwd_moved = true;
                let target = args
                    .iter()
                    .find(|a| !a.lit_cow().is_some_and(|l| l.starts_with('-')));
                self.cwd_root = target.is_some_and(|t| {
                    t.lit()
                        .is_some_and(|l| l.trim_end_matches('/').is_empty() && l.starts_with('/'))
                });
                // `cd` alone goes home and cannot fail in practice
                let safe = cmd.flow.checked || self.errexit || target.is_none();
                self.unchecked_cd = if safe { None } else { Some(cmd.span) };
            }
            "[" | "test" | "[[" => self.test_facts(cmd),
            "git" => self.git_stash(args),
            // a function of the script that runs `set -e` (`catch_errors`)
            n if !cmd.in_pipeline && super::wrappers::sets_errexit(n) => self.errexit = true,
            "read" => {
                let mut skip_next = false;
                for a in args {
                    let Some(l) = a.lit() else { continue };
                    if skip_next {
                        skip_next = false;
                        continue;
                    }
                    if l.starts_with('-') {
                        skip_next = matches!(
                            l.as_str(),
                            "-a" | "-d" | "-n" | "-N" | "-p" | "-t" | "-u" | "-i"
                        );
                        continue;
                    }
                    self.set_fact(&l, VarFact::MaybeEmpty);
                }
            }
            _ => {}
        }
    }

    /// `git [-c k=v] [-C dir] stash [push|save] [-u]` records the stash; `stash pop|apply`
    /// ends it.
    fn git_stash(&mut self, args: &[Word]) {
        let words: Vec<Option<String>> = args.iter().map(Word::lit).collect();
        let mut i = 0;
        // global options: `-c k=v`, `-C dir` take a value
        while let Some(Some(w)) = words.get(i) {
            if !w.starts_with('-') {
                break;
            }
            i += if w == "-c" || w == "-C" { 2 } else { 1 };
        }
        if words.get(i).and_then(|w| w.as_deref()) != Some("stash") {
            return;
        }
        let rest = &words[i + 1..];
        let action = rest
            .iter()
            .flatten()
            .find(|w| !w.starts_with('-'))
            .map(String::as_str);
        match action {
            None | Some("push" | "save") => {
                let untracked = rest.iter().flatten().any(|w| {
                    matches!(w.as_str(), "--include-untracked" | "--all")
                        || (w.starts_with('-')
                            && !w.starts_with("--")
                            && (w.contains('u') || w.contains('a')))
                });
                self.stashed = Some(untracked);
            }
            Some("pop" | "apply") => self.stashed = None,
            _ => {}
        }
    }

    fn set_options(&mut self, args: &[Word]) {
        let mut i = 0;
        while i < args.len() {
            let Some(l) = args[i].lit() else {
                i += 1;
                continue;
            };
            let on = l.starts_with('-');
            if l == "-o" || l == "+o" {
                if let Some(opt) = args.get(i + 1).and_then(Word::lit) {
                    match opt.as_str() {
                        "errexit" => self.errexit = on,
                        "nounset" => self.nounset = on,
                        _ => {}
                    }
                }
                i += 2;
                continue;
            }
            if (l.starts_with('-') || l.starts_with('+')) && !l.starts_with("--") {
                if l.contains('e') {
                    self.errexit = on;
                }
                if l.contains('u') {
                    self.nounset = on;
                }
            }
            i += 1;
        }
    }

    /// `[ -n "$X" ] || exit`, `[ -z "$X" ] && exit`, `if [ -z "$X" ]; then exit; fi`.
    fn test_facts(&mut self, cmd: &Command) {
        // a guard proves its test only for what it covers: the changes go in its frame
        if cmd.flow.guards && !cmd.flow.on_fail_exits && !cmd.flow.on_success_exits {
            if self.guards.is_empty() {
                return;
            }
            // each change is recorded as set_fact makes it (no copy of the map to compare)
            self.in_guard_test = true;
            self.test_facts_as(cmd, true, false);
            self.in_guard_test = false;
            return;
        }
        self.test_facts_as(cmd, cmd.flow.on_fail_exits, cmd.flow.on_success_exits);
    }

    fn test_facts_as(&mut self, cmd: &Command, positive: bool, negative: bool) {
        if !positive && !negative {
            return;
        }
        let words = cmd.args();
        // `[ -n "$A" -o -n "$B" ]` only proves one of them
        if words.iter().any(|w| w.is("-o") || w.is("||")) {
            return;
        }
        // `[ "$X" ] || exit`
        if words.len() == 1 && positive {
            if let Some(v) = single_var(&words[0]) {
                self.set_fact(&v, VarFact::NonEmpty);
            }
            return;
        }
        // `[ "$X" != "" ] || exit`, `[ "$X" = "" ] && exit`
        if words.len() == 3 && words[2].lit_cow().is_some_and(|l| l.is_empty()) {
            if let Some(v) = single_var(&words[0]) {
                let op = words[1].lit_cow();
                let ne = matches!(op.as_deref(), Some("!="));
                let eq = matches!(op.as_deref(), Some("=" | "=="));
                if (ne && positive) || (eq && negative) {
                    self.set_fact(&v, VarFact::NonEmpty);
                }
            }
            return;
        }
        let mut negate = false;
        let mut i = 0;
        while i < words.len() {
            let op = words[i].lit_cow();
            match op.as_deref() {
                Some("!") => negate = !negate,
                Some("-n" | "-d" | "-e" | "-f" | "-s" | "-z") => {
                    let is_z = op.as_deref() == Some("-z");
                    // the test holds afterwards when `positive`, fails when `negative`
                    let says_non_empty = is_z == negate;
                    if says_non_empty == positive
                        && let Some(v) = words.get(i + 1).and_then(single_var)
                    {
                        self.set_fact(&v, VarFact::NonEmpty);
                    }
                    negate = false;
                    i += 1;
                }
                _ => negate = false,
            }
            i += 1;
        }
    }
}

/// `"$X"`, `$X`, `${X}` → `X`.
fn single_var(w: &Word) -> Option<String> {
    let mut name = None;
    for p in &w.parts {
        match p {
            Part::Var {
                name: n,
                guard: Guard::Plain,
            } if name.is_none() => name = Some(n.to_string()),
            Part::Lit { text, .. } if text.is_empty() => {}
            _ => return None,
        }
    }
    name
}
