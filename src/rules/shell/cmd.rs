//! One command as every shell rule reads it first: the command with its name and (for `rm`)
//! its flags and operands read once, not once per rule.

use super::{Rm, rm_args};
use crate::shell::command::{Command, Mapped};
use crate::shell::sql::{Found, extract};
use std::ops::Deref;

/// A command with what the rules read of it first. Derefs to the [`Command`]; its own
/// [`Cmd::name`] is [`Command::name`] read once.
pub struct Cmd<'c> {
    pub cmd: &'c Command,
    name: Option<&'c str>,
    rm: Option<Rm<'c>>,
    sql: Option<(Found<'c>, Vec<Mapped>)>,
}

impl<'c> Cmd<'c> {
    pub fn new(cmd: &'c Command) -> Cmd<'c> {
        let name = cmd.name();
        Cmd {
            cmd,
            name,
            rm: if name == Some("rm") {
                rm_args(cmd)
            } else {
                None
            },
            sql: matches!(
                name,
                Some("psql" | "mysql" | "mariadb" | "sqlite3" | "sqlite")
            )
            .then(|| extract(cmd)),
        }
    }
    /// [`Command::name`], read when the command was.
    pub fn name(&self) -> Option<&'c str> {
        self.name
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
