//! One command as every shell rule reads it first: the command with its name and (for `rm`)
//! its flags and operands read once, not once per rule; and, from the name, which rules can
//! fire on it at all ([`Gates`]: the others are not called).

use super::{Rm, rm_args};
use crate::shell::command::{Command, Mapped};
use crate::shell::sql::{Found, extract};
use std::ops::Deref;

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

/// The gates of the shell rule `id` ([`crate::rules::Check::Shell`]): it is called only on
/// a command that has one of them. A rule not named here runs on every command.
pub fn rule_gates(id: &str) -> Gates {
    match id {
        // `cmd.rm()` first: `None` unless the command is `rm`
        "rm-parent-path"
        | "rm-root-path"
        | "rm-unguarded-variable"
        | "rm-after-unchecked-cd"
        | "rm-unknown-operands" => Gates::RM,
        "find-delete" => Gates::FIND,
        "data-dir-move" => Gates::MV,
        // a truncating redirection, or `truncate -s 0` / `cp /dev/null`
        "db-file-truncate" => Gates::TRUNCATE_CP.union(Gates::REDIRECTS),
        // `eval` of an expansion (no literal name), or a shell, an interpreter, `source`
        "opaque-execution" => Gates::SHELL
            .union(Gates::INTERPRETER)
            .union(Gates::SOURCE)
            .union(Gates::NAMELESS),
        _ => Gates::ALL,
    }
}

/// A command with what the rules read of it first. Derefs to the [`Command`]; its own
/// [`Cmd::name`] is [`Command::name`] read once.
pub struct Cmd<'c> {
    pub cmd: &'c Command,
    name: Option<&'c str>,
    gates: Gates,
    rm: Option<Rm<'c>>,
    sql: Option<(Found<'c>, Vec<Mapped>)>,
}

impl<'c> Cmd<'c> {
    pub fn new(cmd: &'c Command) -> Cmd<'c> {
        let name = cmd.name();
        let mut gates = Gates::of_name(name);
        if !cmd.redirects.is_empty() {
            gates = gates.union(Gates::REDIRECTS);
        }
        Cmd {
            cmd,
            name,
            gates,
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
