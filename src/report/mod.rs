//! Reporters: turn an [`Outcome`] into text. They know nothing of SQL or shell.

pub mod human;
pub mod json;

use crate::diagnostic::Diagnostic;
use crate::run::FileOutcome;
use crate::source::{LineIndex, Position};

/// A diagnostic with its positions resolved, as every machine format needs them.
pub struct Located<'a> {
    pub file: &'a FileOutcome,
    pub diag: &'a Diagnostic,
    pub start: Position,
    /// Exclusive end (the column just after the last character).
    pub end: Position,
    /// The primary line's text (for SQL: the first line of the statement).
    pub snippet: String,
}

/// Every diagnostic of every file, in output order, with positions.
pub fn located(files: &[FileOutcome]) -> Vec<Located<'_>> {
    let mut out = Vec::new();
    for f in files {
        if f.diagnostics.is_empty() {
            continue;
        }
        let idx = LineIndex::new(&f.text);
        for d in &f.diagnostics {
            let start = idx.position(&f.text, d.span.start);
            let end = idx.position(&f.text, d.span.end);
            let snippet = snippet(&f.text, d.span.start, d.span.end);
            out.push(Located {
                file: f,
                diag: d,
                start,
                end,
                snippet,
            });
        }
    }
    out
}

/// The span's text on one line: multi-line statements are folded to single spaces and long
/// ones cut at 200 characters.
fn snippet(text: &str, start: usize, end: usize) -> String {
    let s = text.get(start..end.min(text.len())).unwrap_or("");
    let folded: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if folded.chars().count() > 200 {
        let cut: String = folded.chars().take(199).collect();
        format!("{cut}…")
    } else {
        folded
    }
}
