//! `--format concise`: one line per finding, `path:line:col: severity[rule] message`, the
//! summary line last. Stable for `grep`, editors' problem matchers and `vim -q`.

use super::Located;
use crate::run::Outcome;

/// The whole output at once (tests). `preflight check --format concise` streams the same
/// bytes through [`super::stream`].
pub fn render(outcome: &Outcome) -> String {
    super::render_lines(outcome, line, error_line)
}

/// One finding (with its newline). A message never spans lines here.
pub(crate) fn line(l: &Located<'_>) -> String {
    let (start, _) = l.focus();
    format!(
        "{}:{}:{}: {}[{}] {}\n",
        one_line(&l.file.path),
        start.line,
        start.column,
        l.diag.severity.as_str(),
        l.diag.rule,
        one_line(&l.diag.message)
    )
}

/// A file that could not be checked: `path: error: message` (no position).
pub(crate) fn error_line(e: &crate::run::FileError) -> String {
    format!("{}: error: {}\n", one_line(&e.file), one_line(&e.message))
}

fn one_line(s: &str) -> String {
    if s.contains(['\n', '\r']) {
        s.split(['\n', '\r'])
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        s.to_string()
    }
}
