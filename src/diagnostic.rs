//! Diagnostics: what a rule reports, before positions and suppressions are applied.

pub use crate::rules::catalog::Severity;
use crate::source::Span;

/// A secondary location: "the table was created here", "this operand".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    /// Rule id, e.g. `drop-table`.
    pub rule: String,
    pub severity: Severity,
    /// One sentence: names the object and the impact.
    pub message: String,
    /// What to do instead.
    pub help: String,
    /// Byte span in the file's text. Its start is the statement's first keyword or the
    /// command's name (or the offending operand where that is more precise).
    pub span: Span,
    /// The text of the primary span's label (shown under the snippet).
    pub label: Option<String>,
    pub labels: Vec<Label>,
    /// The action inside the statement the finding is about (`DROP COLUMN b` of a
    /// multi-action `ALTER TABLE`): the human label and the annotation formats point there,
    /// JSON keeps `line`/`column` at `span` and adds `action`.
    pub action: Option<Span>,
    /// Extra machine-readable facts (e.g. live `impact` measurements); additive in JSON.
    pub extra: Option<serde_json::Map<String, serde_json::Value>>,
}

impl Diagnostic {
    /// A diagnostic with the rule's default severity (looked up in the registry).
    pub fn new(rule: &str, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            rule: rule.to_string(),
            severity: crate::rules::catalog::default_severity(rule),
            message: message.into(),
            help: String::new(),
            span,
            label: None,
            labels: Vec::new(),
            action: None,
            extra: None,
        }
    }
    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = help.into();
        self
    }
    pub fn severity(mut self, severity: Severity) -> Diagnostic {
        self.severity = severity;
        self
    }
    pub fn label(mut self, text: impl Into<String>) -> Diagnostic {
        self.label = Some(text.into());
        self
    }
    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }
    /// The action of the statement the finding is about (see [`Diagnostic::action`]).
    pub fn at_action(mut self, action: Option<Span>) -> Diagnostic {
        self.action = action;
        self
    }
    /// Move every span by `offset` bytes (SQL cut out of a larger text).
    pub fn shift(mut self, offset: usize) -> Diagnostic {
        self.map_spans(|s| s.shift(offset));
        self
    }
    /// Move every span into another text (SQL lifted out of a shell string, a heredoc, …).
    pub fn map_spans(&mut self, f: impl Fn(Span) -> Span) {
        self.span = f(self.span);
        for l in &mut self.labels {
            l.span = f(l.span);
        }
        if let Some(a) = &mut self.action {
            *a = f(*a);
        }
    }
}
