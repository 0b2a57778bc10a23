//! Human output: one miette graphical report per finding, then a one-line summary.

use crate::diagnostic::{Diagnostic, Severity};
use crate::run::Outcome;
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};
use std::fmt;

#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    pub unicode: bool,
    pub width: usize,
}

impl Style {
    /// The stable style for tests and non-terminals: no colour, ASCII-free of escape codes.
    pub fn plain() -> Style {
        Style {
            color: false,
            unicode: true,
            width: 100,
        }
    }
}

/// A file's text with its name, so miette prints `path:line:col` over the snippet.
struct NamedText<'a> {
    name: &'a str,
    text: &'a str,
}

impl SourceCode for NamedText<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let c = self.text.read_span(span, before, after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.to_string(),
            c.data(),
            *c.span(),
            c.line(),
            c.column(),
            c.line_count(),
        )))
    }
}

struct Report<'a> {
    diag: &'a Diagnostic,
    source: NamedText<'a>,
    /// The help with the folded findings' notes (`also [rule]: …`).
    help: String,
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diag.message)
    }
}
impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diag.message)
    }
}
impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(format!(
            "{}[{}]",
            self.diag.severity.as_str(),
            self.diag.rule
        )))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diag.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        (!self.help.is_empty()).then(|| Box::new(&self.help) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let len = self.source.text.len();
        let clamp = |s: crate::source::Span| {
            let start = s.start.min(len);
            (start, s.end.min(len).saturating_sub(start))
        };
        // a finding about one action of a multi-action ALTER TABLE: the label under that
        // action, and the statement's first line marked when the action is on a later line,
        // so the table it alters stays in view
        let mut v = Vec::new();
        match self.diag.action {
            Some(action) => {
                let head = head(self.source.text, self.diag.span);
                if head.end < action.start {
                    v.push(LabeledSpan::new_with_span(None, clamp(head)));
                }
                v.push(LabeledSpan::new_primary_with_span(
                    self.diag.label.clone(),
                    clamp(action),
                ));
            }
            None => v.push(LabeledSpan::new_primary_with_span(
                self.diag.label.clone(),
                clamp(self.diag.span),
            )),
        }
        for l in &self.diag.labels {
            v.push(LabeledSpan::new_with_span(
                Some(l.message.clone()),
                clamp(l.span),
            ));
        }
        Some(Box::new(v.into_iter()))
    }
}

/// The statement's first line (the span cut at its first line break, trailing blanks off).
fn head(text: &str, s: crate::source::Span) -> crate::source::Span {
    let body = text.get(s.start..s.end).unwrap_or("");
    let line = body.split('\n').next().unwrap_or("").trim_end();
    crate::source::Span::new(s.start, s.start + line.len())
}

pub fn render_diagnostic(path: &str, text: &str, d: &Diagnostic, style: Style) -> String {
    let theme = match (style.color, style.unicode) {
        (true, true) => GraphicalTheme::unicode(),
        (true, false) => GraphicalTheme::ascii(),
        (false, true) => GraphicalTheme::unicode_nocolor(),
        (false, false) => GraphicalTheme::none(),
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false)
        .with_context_lines(1);
    let report = Report {
        diag: d,
        source: NamedText { name: path, text },
        help: crate::fold::help_with_related(d),
    };
    let mut out = String::new();
    if handler.render_report(&mut out, &report).is_err() {
        out = format!(
            "{path}: {}[{}]: {}\n",
            d.severity.as_str(),
            d.rule,
            d.message
        );
    }
    out
}

/// From this many findings on, the human report ends with the per-rule counts.
pub const LONG_REPORT: usize = 10;

/// What the human report shows besides the findings (CLI flags).
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Only the summary (and files that could not be read).
    pub quiet: bool,
    /// Counts per rule.
    pub statistics: bool,
    /// List suppressed findings too.
    pub show_suppressed: bool,
}

/// The full human report with options: findings, unreadable files, suppressed findings,
/// statistics, summary and a hint line.
pub fn render_with(outcome: &Outcome, style: Style, opts: Options) -> String {
    if !opts.quiet {
        let mut full = render(outcome, style);
        // keep the summary last
        let summary = summary(outcome);
        full.truncate(full.len() - summary.len());
        if opts.show_suppressed {
            full.push_str(&suppressed_list(outcome));
        }
        // a long report ends with the count per rule, so the first screen a reader scrolls
        // back to is not the only overview
        let total: usize = outcome.files.iter().map(|f| f.diagnostics.len()).sum();
        if opts.statistics || total >= LONG_REPORT {
            full.push_str(&statistics(outcome));
        }
        full.push_str(&summary);
        if let Some(h) = hint(outcome) {
            full.push_str(&h);
        }
        return full;
    }
    let mut out = String::new();
    for e in &outcome.errors {
        out.push_str(&format!("error: {}: {}\n", e.file, e.message));
    }
    if opts.statistics {
        out.push_str(&statistics(outcome));
    }
    out.push_str(&summary(outcome));
    out
}

/// `path:line:col: rule: message` for every suppressed finding.
pub fn suppressed_list(outcome: &Outcome) -> String {
    let mut out = String::new();
    for f in &outcome.files {
        let idx = crate::source::LineIndex::new(&f.text);
        for d in &f.suppressed {
            let p = idx.position(&f.text, d.span.start);
            out.push_str(&format!(
                "suppressed: {}:{}:{}: {}[{}]: {}\n",
                f.path,
                p.line,
                p.column,
                d.severity.as_str(),
                d.rule,
                d.message
            ));
        }
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

/// `2 errors, 1 warning` (the severities present, most severe first).
fn severity_counts(diags: &[&Diagnostic]) -> String {
    let mut parts = Vec::new();
    for (sev, one, many) in [
        (Severity::Error, "error", "errors"),
        (Severity::Warning, "warning", "warnings"),
        (Severity::Info, "info", "info"),
    ] {
        let n = diags.iter().filter(|d| d.severity == sev).count();
        if n > 0 {
            parts.push(format!("{n} {}", if n == 1 { one } else { many }));
        }
    }
    parts.join(", ")
}

/// `==> path (2 errors, 1 warning) <==` over a file's findings.
fn file_heading(f: &crate::run::FileOutcome) -> String {
    let diags: Vec<&Diagnostic> = f.diagnostics.iter().collect();
    format!("==> {} ({}) <==\n\n", f.path, severity_counts(&diags))
}

/// Findings per rule, most frequent first: one row per rule, its severity (or the count of
/// each when a rule reported at several).
pub fn statistics(outcome: &Outcome) -> String {
    let mut by_rule: std::collections::BTreeMap<&str, Vec<&Diagnostic>> = Default::default();
    for d in outcome.files.iter().flat_map(|f| &f.diagnostics) {
        by_rule.entry(d.rule.as_str()).or_default().push(d);
    }
    let mut rows: Vec<_> = by_rule.into_iter().collect();
    rows.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
    let mut out = String::new();
    for (rule, diags) in rows {
        let n = diags.len();
        let sev = if diags.iter().all(|d| d.severity == diags[0].severity) {
            diags[0].severity.as_str().to_string()
        } else {
            severity_counts(&diags)
        };
        out.push_str(&format!("{n:>6}  {rule:<30} {sev}\n"));
    }
    if outcome.suppressed > 0 {
        out.push_str(&format!("{:>6}  (suppressed)\n", outcome.suppressed));
    }
    if outcome.not_parsed > 0 {
        out.push_str(&format!(
            "{:>6}  (statements read by tokens only; none can destroy data)\n",
            outcome.not_parsed
        ));
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

/// One line on what to do next: explain the most frequent rule, or how to suppress it.
pub fn hint(outcome: &Outcome) -> Option<String> {
    let (f, d) = outcome
        .files
        .iter()
        .flat_map(|f| f.diagnostics.iter().map(move |d| (f, d)))
        .filter(|(_, d)| {
            crate::rules::group_of(&d.rule).is_none_or(|g| g != crate::rules::Group::Meta)
        })
        // the first of the most severe findings
        .min_by_key(|(_, d)| d.severity)?;
    let comment = match f.lang {
        crate::source::Lang::Sql => "--",
        crate::source::Lang::Js => "//",
        crate::source::Lang::Php => "//",
        crate::source::Lang::Shell | crate::source::Lang::Python | crate::source::Lang::Ruby => "#",
    };
    Some(format!(
        "hint: `preflight explain {rule}` says why and what to do instead; to allow a reviewed \
         case: `{comment} preflight: allow({rule}) <reason>`\n",
        rule = d.rule
    ))
}

pub fn render(outcome: &Outcome, style: Style) -> String {
    let mut out = String::new();
    // findings from several files: each file's findings under a heading with its counts
    let headings = outcome
        .files
        .iter()
        .filter(|f| !f.diagnostics.is_empty())
        .nth(1)
        .is_some();
    for f in &outcome.files {
        if headings && !f.diagnostics.is_empty() {
            out.push_str(&file_heading(f));
        }
        for d in &f.diagnostics {
            out.push_str(&render_diagnostic(&f.path, &f.text, d, style));
            out.push('\n');
        }
    }
    for e in &outcome.errors {
        out.push_str(&format!("error: {}: {}\n", e.file, e.message));
    }
    out.push_str(&summary(outcome));
    out
}

pub fn summary(outcome: &Outcome) -> String {
    let totals = super::stream::Totals::of(outcome);
    summary_of(&totals, outcome.errors.len())
}

/// The summary line from totals and the number of files that could not be read.
pub fn summary_of(totals: &super::stream::Totals, unreadable: usize) -> String {
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    let mut s = format!(
        "Checked {}: {}, {}",
        plural(totals.files_checked, "file"),
        plural(totals.errors, "error"),
        plural(totals.warnings, "warning"),
    );
    if totals.suppressed > 0 {
        s.push_str(&format!(", {} suppressed", totals.suppressed));
    }
    if unreadable > 0 {
        s.push_str(&format!(
            ", {} could not be read",
            plural(unreadable, "file")
        ));
    }
    s.push('\n');
    if let Some(note) = crate::context::skipped_note(&totals.skipped()) {
        s.push_str(&note);
        s.push('\n');
    }
    s
}
