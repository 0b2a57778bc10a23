//! One command as every shell rule reads it first: the command with its name and (for `rm`)
//! its flags and operands read once, not once per rule.

use super::{Rm, rm_args};
use crate::shell::command::Command;
use std::ops::Deref;

/// A command with what the rules read of it first. Derefs to the [`Command`]; its own
/// [`Cmd::name`] is [`Command::name`] read once.
pub struct Cmd<'c> {
    pub cmd: &'c Command,
    name: Option<&'c str>,
    rm: Option<Rm<'c>>,
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
}

impl Deref for Cmd<'_> {
    type Target = Command;
    fn deref(&self) -> &Command {
        self.cmd
    }
}
