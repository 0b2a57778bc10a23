//! JSON output, version 1 (DESIGN.md). Change only additively: bots depend on it.

use super::{Located, located};
use crate::run::Outcome;
use serde_json::{Value, json};

/// The whole document at once (tests, `--show-suppressed`). `preflight check --format json`
/// streams the same bytes through [`super::stream`].
pub fn render(outcome: &Outcome) -> String {
    finish(document(outcome))
}

/// v1 plus `suppressed_diagnostics` (same shape as `diagnostics`), for `--show-suppressed`.
pub fn render_with_suppressed(outcome: &Outcome) -> String {
    let mut doc = document(outcome);
    let files: Vec<crate::run::FileOutcome> = outcome
        .files
        .iter()
        .map(|f| crate::run::FileOutcome {
            diagnostics: f.suppressed.clone(),
            ..f.clone()
        })
        .collect();
    doc["suppressed_diagnostics"] = Value::Array(diagnostics(&files));
    finish(doc)
}

fn finish(doc: Value) -> String {
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".to_string());
    s.push('\n');
    s
}

/// One entry of `diagnostics`.
pub(crate) fn diagnostic(l: &Located<'_>) -> Value {
    let mut v = json!({
        "rule": l.diag.rule,
        "severity": l.diag.severity,
        "message": l.diag.message,
        "help": l.diag.help,
        "file": l.file.path,
        "line": l.start.line,
        "column": l.start.column,
        "end_line": l.end.line,
        "end_column": l.end.column,
        "snippet": l.snippet,
        "url": crate::rules::url(&l.diag.rule),
    });
    if let Some((start, end)) = l.action {
        v["action"] = json!({
            "line": start.line,
            "column": start.column,
            "end_line": end.line,
            "end_column": end.column,
        });
    }
    if let (Some(extra), Some(obj)) = (&l.diag.extra, v.as_object_mut()) {
        for (k, val) in extra {
            obj.entry(k.clone()).or_insert(val.clone());
        }
    }
    v
}

fn diagnostics(files: &[crate::run::FileOutcome]) -> Vec<Value> {
    located(files).iter().map(diagnostic).collect()
}

/// The document around its diagnostics (`diagnostics` as given).
pub(crate) fn envelope(
    summary: &super::stream::Totals,
    diagnostics: Value,
    errors: &[crate::run::FileError],
) -> Value {
    let mut doc = json!({
        "version": 1,
        "tool": {"name": "preflight", "version": env!("CARGO_PKG_VERSION")},
        "summary": {
            "files_checked": summary.files_checked,
            "errors": summary.errors,
            "warnings": summary.warnings,
            "suppressed": summary.suppressed,
            "not_parsed": summary.not_parsed,
        },
        "diagnostics": diagnostics,
        "errors": errors,
    });
    let skipped = summary.skipped();
    if !skipped.is_empty() {
        doc["summary"]["skipped"] = json!(skipped);
    }
    doc
}

fn document(outcome: &Outcome) -> Value {
    let totals = super::stream::Totals::of(outcome);
    envelope(
        &totals,
        Value::Array(diagnostics(&outcome.files)),
        &outcome.errors,
    )
}
