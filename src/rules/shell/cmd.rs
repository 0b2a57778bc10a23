//! One command as every shell rule reads it first: the command with its name and (for `rm`)
//! its flags and operands read once, not once per rule; and, from the name, which rules can
//! fire on it at all ([`Gates`]: the others are not called).

use super::commands::{Candidates, rules_naming};
use super::{Rm, ShellCheck, rm_args};
use crate::rules::{Check, RULES};
use crate::shell::command::{Command, Mapped};
use crate::shell::sql::{Found, extract};
use std::cell::RefCell;
use std::ops::Deref;
use std::sync::OnceLock;

/// What a command's name (and whether it has redirections) lets the shell rules look at: one
/// bit per kind of command a rule starts from. A rule whose [`Gates`] bits the command has
/// none of cannot report anything on it (each rule returns first thing when the name is not
/// its own; a test runs every rule with and without the gates on generated commands).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Gates(u16);

impl Gates {
    /// `rm` ([`Cmd::rm`] is read only for it).
    pub const RM: Gates = Gates(1);
    pub const FIND: Gates = Gates(1 << 1);
    pub const MV: Gates = Gates(1 << 2);
    /// `truncate`, `cp`.
    pub const TRUNCATE_CP: Gates = Gates(1 << 3);
    /// A shell that reads a program (`sh`, `bash`, …: `opaque_execution::is_shell`).
    pub const SHELL: Gates = Gates(1 << 4);
    /// An interpreter preflight reads inline code of ([`crate::inline::interpreter_named`]).
    pub const INTERPRETER: Gates = Gates(1 << 5);
    /// `source`, `.`.
    pub const SOURCE: Gates = Gates(1 << 6);
    /// A database client whose SQL is read ([`Cmd::sql`]).
    pub const SQL_CLIENT: Gates = Gates(1 << 7);
    /// No literal name (`$CMD …`, what `eval` re-reads).
    pub const NAMELESS: Gates = Gates(1 << 8);
    /// The command has file redirections.
    pub const REDIRECTS: Gates = Gates(1 << 9);
    /// Every bit: a rule gated so always runs.
    pub const ALL: Gates = Gates(u16::MAX);
    /// What `opaque-execution` starts from: `eval` of an expansion (no literal name), or a
    /// shell, an interpreter, `source`.
    pub const OPAQUE: Gates = Gates::SHELL
        .union(Gates::INTERPRETER)
        .union(Gates::SOURCE)
        .union(Gates::NAMELESS);

    pub const fn union(self, other: Gates) -> Gates {
        Gates(self.0 | other.0)
    }
    /// Does the command have any of `of`?
    #[inline]
    pub fn any(self, of: Gates) -> bool {
        self.0 & of.0 != 0
    }

    /// The gates of a command named `name` (its [`Command::name`]), without
    /// [`Gates::REDIRECTS`].
    pub fn of_name(name: Option<&str>) -> Gates {
        let Some(n) = name else {
            return Gates::NAMELESS;
        };
        let mut g = match n {
            "rm" => Gates::RM,
            "find" => Gates::FIND,
            "mv" => Gates::MV,
            "truncate" | "cp" => Gates::TRUNCATE_CP,
            "source" | "." => Gates::SOURCE,
            n if crate::shell::sql::is_client(n) => Gates::SQL_CLIENT,
            _ => Gates::default(),
        };
        if super::opaque_execution::is_shell(n) {
            g = g.union(Gates::SHELL);
        }
        if crate::inline::interpreter_named(n).is_some() {
            g = g.union(Gates::INTERPRETER);
        }
        g
    }
}

/// A command with what the rules read of it first. Derefs to the [`Command`]; its own
/// [`Cmd::name`] is [`Command::name`] read once.
pub struct Cmd<'c> {
    pub cmd: &'c Command,
    name: Option<&'c str>,
    gates: Gates,
    /// The shell checks its gates let fire (bit `i`: [`shell_checks`]`[i]`).
    checks: u64,
    commands: Candidates,
    rm: Option<Rm<'c>>,
    sql: Option<(Found<'c>, Vec<Mapped>)>,
}

impl<'c> Cmd<'c> {
    pub fn new(cmd: &'c Command) -> Cmd<'c> {
        let name = cmd.name();
        let info = match name {
            Some(n) => name_info(n),
            None => checks().nameless,
        };
        let (mut gates, mut run) = (info.gates, info.checks);
        if !cmd.redirects.is_empty() {
            gates = gates.union(Gates::REDIRECTS);
            run |= checks().redirects;
        }
        Cmd {
            cmd,
            name,
            gates,
            checks: run,
            commands: info.commands,
            rm: if gates.any(Gates::RM) {
                rm_args(cmd)
            } else {
                None
            },
            sql: gates.any(Gates::SQL_CLIENT).then(|| extract(cmd)),
        }
    }
    /// [`Command::name`], read when the command was.
    pub fn name(&self) -> Option<&'c str> {
        self.name
    }
    /// Which kinds of rules can fire on the command ([`Gates`]).
    pub fn gates(&self) -> Gates {
        self.gates
    }
    /// Call `call` with each shell check of [`RULES`] that can fire on the command (its
    /// [`Gates`] has one of the check's), in registry order; the others cannot report on it.
    #[inline]
    pub fn each_check(&self, mut call: impl FnMut(ShellCheck)) {
        let list = shell_checks();
        let mut m = self.checks;
        while m != 0 {
            let i = m.trailing_zeros() as usize;
            m &= m - 1;
            if let Some(&(f, _)) = list.get(i) {
                call(f);
            }
        }
        for &(f, needs) in list.iter().skip(MASKED) {
            if self.gates.any(needs) {
                call(f);
            }
        }
    }
    /// The rules of `rules/commands.toml` the command's name lets match.
    pub fn command_rules(&self) -> Candidates {
        self.commands
    }
    /// [`rm_args`] of the command: `None` unless it is `rm`.
    pub fn rm(&self) -> Option<&Rm<'c>> {
        self.rm.as_ref()
    }
    /// [`extract`] of a database client command (`psql`, `mysql`, `mariadb`, `sqlite3`,
    /// `sqlite`: the clients it reads); `None` for any other command, of which it finds
    /// nothing.
    pub fn sql(&self) -> Option<&(Found<'c>, Vec<Mapped>)> {
        self.sql.as_ref()
    }
}

impl Deref for Cmd<'_> {
    type Target = Command;
    fn deref(&self) -> &Command {
        self.cmd
    }
}

/// The shell checks of [`RULES`] with their gates, and what the gates of the commands that
/// have no name or have redirections let run (picked out once).
struct Checks {
    list: Vec<(ShellCheck, Gates)>,
    /// The checks a command with redirections runs whatever its name ([`mask`]).
    redirects: u64,
    /// What a command without a literal name runs.
    nameless: NameInfo,
}

/// How many checks a mask holds; any past them are tested against the command's gates one
/// by one ([`Cmd::each_check`]).
const MASKED: usize = u64::BITS as usize;

fn checks() -> &'static Checks {
    static CHECKS: OnceLock<Checks> = OnceLock::new();
    CHECKS.get_or_init(|| {
        let list: Vec<(ShellCheck, Gates)> = RULES
            .iter()
            .filter_map(|rule| match rule.check {
                Check::Shell(f, gates) => Some((f, gates)),
                _ => None,
            })
            .collect();
        Checks {
            redirects: mask(&list, Gates::REDIRECTS),
            nameless: NameInfo {
                gates: Gates::NAMELESS,
                checks: mask(&list, Gates::NAMELESS),
                commands: Candidates::NONE,
            },
            list,
        }
    })
}

/// The shell checks of [`RULES`] ([`Check::Shell`]), in registry order, each with the
/// [`Gates`] a command needs for it to be called.
pub fn shell_checks() -> &'static [(ShellCheck, Gates)] {
    &checks().list
}

/// The checks among the first [`MASKED`] of `list` that a command with `gates` runs (bit
/// `i`: `list[i]`).
fn mask(list: &[(ShellCheck, Gates)], gates: Gates) -> u64 {
    let mut m = 0;
    for (i, (_, needs)) in list.iter().take(MASKED).enumerate() {
        if gates.any(*needs) {
            m |= 1 << i;
        }
    }
    m
}

/// What a command's name alone decides for the rules: a function of the name only, so it is
/// worked out once per name ([`name_info`]) instead of once per command and rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct NameInfo {
    /// [`Gates::of_name`].
    gates: Gates,
    /// [`mask`] of the gates.
    checks: u64,
    /// [`rules_naming`].
    commands: Candidates,
}

impl NameInfo {
    fn compute(name: &str) -> NameInfo {
        let gates = Gates::of_name(Some(name));
        NameInfo {
            gates,
            checks: mask(shell_checks(), gates),
            commands: rules_naming(name),
        }
    }
}

/// The longest name [`name_info`] keeps (a longer one is worked out at each command).
const KEY: usize = 24;
/// Slots of the per-thread table of names (a script uses a few dozen).
const SLOTS: usize = 256;

/// A name of at most [`KEY`] bytes, zero-padded, as words (compared and hashed as three).
type Key = [u64; KEY / 8];

/// One name and what it decides; `len` is `u8::MAX` in an empty slot.
#[derive(Clone, Copy)]
struct Slot {
    key: Key,
    len: u8,
    info: NameInfo,
}

const EMPTY: Slot = Slot {
    key: [0; KEY / 8],
    len: u8::MAX,
    info: NameInfo {
        gates: Gates(0),
        checks: 0,
        commands: Candidates::NONE,
    },
};

thread_local! {
    /// Names seen on this thread, direct-mapped by a hash of the name: a slot holds the last
    /// name hashed to it (a miss is worked out again, so what is kept is only ever what
    /// [`NameInfo::compute`] gives).
    static NAMES: RefCell<[Slot; SLOTS]> = const { RefCell::new([EMPTY; SLOTS]) };
}

/// [`NameInfo::compute`] of `name`, kept per thread: one hash of the name and one compare
/// per command for every rule (the gates, the checks, the rules file's index).
fn name_info(name: &str) -> NameInfo {
    let b = name.as_bytes();
    let Some(key) = key_of(b) else {
        return NameInfo::compute(name);
    };
    let len = b.len() as u8;
    NAMES.with(|t| {
        let Ok(mut t) = t.try_borrow_mut() else {
            return NameInfo::compute(name);
        };
        let Some(slot) = t.get_mut(slot_of(&key, len)) else {
            return NameInfo::compute(name);
        };
        if slot.len == len && slot.key == key {
            return slot.info;
        }
        let info = NameInfo::compute(name);
        *slot = Slot { key, len, info };
        info
    })
}

/// `b` zero-padded to [`KEY`] bytes (`None`: longer).
#[inline]
fn key_of(b: &[u8]) -> Option<Key> {
    let mut bytes = [0; KEY];
    bytes.get_mut(..b.len())?.copy_from_slice(b);
    let word = |at: usize| {
        bytes
            .get(at..)
            .and_then(|r| r.first_chunk::<8>())
            .map_or(0, |w| u64::from_le_bytes(*w))
    };
    Some([word(0), word(8), word(16)])
}

/// The slot of a name of `len` bytes.
#[inline]
fn slot_of(key: &Key, len: u8) -> usize {
    let mut h = u64::from(len);
    for w in key {
        h = (h ^ w).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
    (h >> (u64::BITS - SLOTS.trailing_zeros())) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The kept answers are the computed ones: many names (more than there are slots, so
    /// slots are taken over), each asked several times in changing orders, short and long.
    #[test]
    fn names_kept_are_names_computed() {
        let mut names: Vec<String> = [
            "rm",
            "find",
            "mv",
            "cp",
            "truncate",
            "sh",
            "bash",
            "python3",
            "python3.12",
            "python3.",
            "node",
            "source",
            ".",
            "psql",
            "mysql",
            "sqlite3",
            "git",
            "kubectl",
            "docker",
            "mkfs",
            "mkfs.ext4",
            "mkfs.fat",
            "dd",
            "echo",
            "",
            "eval",
            "a",
            "[",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let mut rng = crate::test_rng::Rng::new(13);
        for i in 0..2000 {
            let len = rng.below(30);
            let base = names[rng.below(28)].clone();
            let mut n: String = base.chars().take(len).collect();
            for _ in n.len()..len {
                n.push(char::from(b'a' + rng.below(26) as u8));
            }
            if i % 7 == 0 {
                n = format!("{base}{}", i % 10);
            }
            names.push(n);
        }
        for round in 0..3 {
            for (i, n) in names.iter().enumerate() {
                let n = if round == 1 {
                    &names[names.len() - 1 - i]
                } else {
                    n
                };
                assert_eq!(name_info(n), NameInfo::compute(n), "{n:?}");
            }
        }
        assert_eq!(name_info("rm").gates, Gates::RM);
        assert!(!name_info("git").commands.is_empty());
        assert!(name_info("echo").commands.is_empty());
    }
}
