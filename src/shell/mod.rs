//! Shell front end (tree-sitter-bash). Placeholder until the shell work lands.

use crate::diagnostic::Diagnostic;
use crate::source::Dialect;

pub fn check(_text: &str, _dialect: Dialect) -> Vec<Diagnostic> {
    Vec::new()
}
