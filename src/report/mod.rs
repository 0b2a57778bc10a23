//! Reporters: turn an [`Outcome`] into text. They know nothing of SQL or shell.

pub mod concise;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod sarif;
pub mod stream;

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
    /// Start and exclusive end of the action the finding is about, inside a multi-action
    /// `ALTER TABLE` (JSON `action`; where the annotation formats point).
    pub action: Option<(Position, Position)>,
}

impl Located<'_> {
    /// Where a reader's eye should go: the action when there is one, else the statement.
    /// The annotation formats (SARIF, GitHub, GitLab, concise) point here; JSON keeps
    /// `line`/`column` at the statement (DESIGN.md) and adds `action`.
    pub fn focus(&self) -> (Position, Position) {
        self.action.unwrap_or((self.start, self.end))
    }
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
            let action = d
                .action
                .map(|a| (idx.position(&f.text, a.start), idx.position(&f.text, a.end)));
            out.push(Located {
                file: f,
                diag: d,
                start,
                end,
                snippet,
                action,
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

/// A fingerprint per located diagnostic that survives unrelated edits: a hash of the rule,
/// the file, the whitespace-normalised snippet and the occurrence index of that
/// (rule, snippet) pair in the file — no line numbers, so inserting lines above a finding
/// does not change it.
pub fn fingerprints(located: &[Located<'_>]) -> Vec<String> {
    let mut seen: std::collections::HashMap<(&str, &str, &str), usize> =
        std::collections::HashMap::new();
    located
        .iter()
        .map(|l| {
            let n = seen
                .entry((
                    l.file.path.as_str(),
                    l.diag.rule.as_str(),
                    l.snippet.as_str(),
                ))
                .or_insert(0);
            let occurrence = *n;
            *n += 1;
            let key = format!(
                "{}\0{}\0{}\0{occurrence}",
                l.diag.rule,
                l.file.path.replace('\\', "/"),
                l.snippet
            );
            format!(
                "{:016x}{:016x}",
                fnv1a(key.as_bytes(), FNV_OFFSET),
                fnv1a(key.as_bytes(), FNV_OFFSET_2)
            )
        })
        .collect()
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_OFFSET_2: u64 = 0x6c62_272e_07bb_0142;

/// FNV-1a, 64 bit: stable across versions and platforms (unlike `DefaultHasher`).
fn fnv1a(bytes: &[u8], offset: u64) -> u64 {
    let mut h = offset;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// A line-per-finding format as one string: each finding's line, each unreadable file's line,
/// then the summary (the buffered twin of what [`stream`] writes).
pub(crate) fn render_lines(
    outcome: &crate::run::Outcome,
    line: fn(&Located<'_>) -> String,
    error_line: fn(&crate::run::FileError) -> String,
) -> String {
    let mut out = String::new();
    for l in located(&outcome.files) {
        out.push_str(&line(&l));
    }
    for e in &outcome.errors {
        out.push_str(&error_line(e));
    }
    out.push_str(&human::summary(outcome));
    out
}
