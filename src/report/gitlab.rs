//! GitLab Code Quality report (a JSON array of issues), for `artifacts:reports:codequality`.

use super::{Located, fingerprints, located};
use crate::diagnostic::Severity;
use crate::run::Outcome;
use serde_json::{Value, json};

fn severity(sev: Severity) -> &'static str {
    match sev {
        Severity::Error => "critical",
        Severity::Warning => "major",
        Severity::Info => "info",
    }
}

/// The whole report at once (tests). `preflight check --format gitlab` streams the same bytes
/// through [`super::stream`].
pub fn render(outcome: &Outcome) -> String {
    let located = located(&outcome.files);
    let prints = fingerprints(&located);
    let mut issues: Vec<Value> = located
        .iter()
        .zip(prints)
        .map(|(l, fp)| issue(l, &fp))
        .collect();
    issues.extend(outcome.errors.iter().map(error_issue));
    let mut s = serde_json::to_string_pretty(&issues).unwrap_or_else(|_| "[]".to_string());
    s.push('\n');
    s
}

/// One finding as a Code Quality issue.
pub(crate) fn issue(l: &Located<'_>, fp: &str) -> Value {
    let mut description = l.diag.message.clone();
    if !l.diag.help.is_empty() {
        description.push_str(" — ");
        description.push_str(&l.diag.help);
    }
    let (start, end) = l.focus();
    json!({
        "type": "issue",
        "engine_name": "preflight",
        "check_name": l.diag.rule,
        "description": description,
        "categories": ["Bug Risk"],
        "severity": severity(l.diag.severity),
        "fingerprint": fp,
        "location": {
            "path": l.file.path.strip_prefix("./").unwrap_or(&l.file.path),
            "lines": {"begin": start.line, "end": end.line},
        },
    })
}

/// A file that could not be checked, as a blocker issue.
pub(crate) fn error_issue(e: &crate::run::FileError) -> Value {
    json!({
        "type": "issue",
        "engine_name": "preflight",
        "check_name": "preflight-error",
        "description": format!("preflight could not check this file: {}", e.message),
        "categories": ["Bug Risk"],
        "severity": "blocker",
        "fingerprint": format!("error:{}", e.file),
        "location": {"path": e.file, "lines": {"begin": 1, "end": 1}},
    })
}
