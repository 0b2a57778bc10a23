//! GitHub Actions workflow commands: one `::error …::message` line per finding, shown as
//! inline annotations on the pull request.

use super::Located;
use crate::diagnostic::Severity;
use crate::run::Outcome;

/// Escape a command's message (data).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a command property value (also `:` and `,`).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The whole output at once (tests). `preflight check --format github` streams the same
/// bytes through [`super::stream`].
pub fn render(outcome: &Outcome) -> String {
    super::render_lines(outcome, line, error_line)
}

/// One finding as a workflow command line (with its newline).
pub(crate) fn line(l: &Located<'_>) -> String {
    let cmd = match l.diag.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let mut msg = l.diag.message.clone();
    if !l.diag.help.is_empty() {
        msg.push_str("\nhelp: ");
        msg.push_str(&l.diag.help);
    }
    msg.push_str(&format!("\n(`preflight explain {}`)", l.diag.rule));
    let (start, end) = l.focus();
    format!(
        "::{cmd} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
        // relative to the repository root, as GitHub matches it (`preflight check .` gives `./x`)
        escape_property(l.file.path.strip_prefix("./").unwrap_or(&l.file.path)),
        start.line,
        start.column,
        end.line,
        end.column,
        escape_property(&format!("preflight {}", l.diag.rule)),
        escape_data(&msg),
    )
}

/// A file that could not be checked.
pub(crate) fn error_line(e: &crate::run::FileError) -> String {
    format!(
        "::error file={},title={}::{}\n",
        escape_property(e.file.strip_prefix("./").unwrap_or(&e.file)),
        escape_property("preflight could not check this file"),
        escape_data(&e.message)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape_data("50%\r\nx: a, b"), "50%25%0D%0Ax: a, b");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
