//! What a run found: per-file outcomes (kept and suppressed findings, the text for snippets)
//! and the files that could not be checked.

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::Lang;
use crate::sql::Statement;

#[derive(Debug, Clone)]
pub struct FileOutcome {
    pub path: String,
    /// The text, kept for rendering snippets (empty when the file had no findings).
    pub text: String,
    pub lang: Lang,
    pub diagnostics: Vec<Diagnostic>,
    /// Findings silenced by a `preflight: allow(…)` comment (for `--show-suppressed`).
    pub suppressed: Vec<Diagnostic>,
    /// The SQL statements the static check analysed (kept only for the live database check,
    /// `Settings::keep_text`).
    pub statements: Vec<Statement>,
    /// Statements read by tokens only that cannot destroy data (no finding).
    pub not_parsed: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FileError {
    pub file: String,
    pub message: String,
}

#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub files: Vec<FileOutcome>,
    pub errors: Vec<FileError>,
    pub files_checked: usize,
    pub suppressed: usize,
    /// Statements read by tokens only that cannot destroy data, over all files.
    pub not_parsed: usize,
}

impl Outcome {
    pub fn count(&self, sev: Severity) -> usize {
        self.files
            .iter()
            .flat_map(|f| &f.diagnostics)
            .filter(|d| d.severity == sev)
            .count()
    }
    /// Deterministic order: path, then position, then rule.
    pub fn sort(&mut self) {
        self.files.sort_by(|a, b| a.path.cmp(&b.path));
        for f in &mut self.files {
            f.diagnostics.sort_by(|a, b| {
                (a.span.start, &a.rule, a.span.end).cmp(&(b.span.start, &b.rule, b.span.end))
            });
            f.diagnostics
                .dedup_by(|a, b| a.rule == b.rule && a.span == b.span && a.message == b.message);
            f.suppressed
                .sort_by(|a, b| (a.span.start, &a.rule).cmp(&(b.span.start, &b.rule)));
        }
        self.errors.sort_by(|a, b| a.file.cmp(&b.file));
    }
}
