//! SARIF 2.1.0 (one run) for GitHub code scanning and other SARIF viewers.

use super::{Located, fingerprints, located};
use crate::diagnostic::Severity;
use crate::rules;
use crate::run::Outcome;
use serde_json::{Value, json};

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Where a rule's documentation lives online: `<repository>/blob/main/rules/<id>.md` when
/// Cargo.toml names a repository. `None` otherwise: a relative path is not a valid `helpUri`
/// (the SARIF schema requires an absolute URI), and every rule's doc is embedded as `help`.
pub fn help_uri(id: &str) -> Option<String> {
    let repo = env!("CARGO_PKG_REPOSITORY").trim_end_matches('/');
    (repo.starts_with("https://") || repo.starts_with("http://"))
        .then(|| format!("{repo}/blob/main/{}", rules::url(id)))
}

fn level(sev: Severity) -> &'static str {
    match sev {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The text of one `## Section` of a rule doc (up to the next `## `).
fn section<'a>(body: &'a str, title: &str) -> Option<&'a str> {
    let start = body.find(&format!("## {title}\n"))? + title.len() + 4;
    let rest = &body[start..];
    let end = rest.find("\n## ").unwrap_or(rest.len());
    Some(rest[..end].trim())
}

fn uri(path: &str) -> String {
    let p = path.replace('\\', "/");
    p.strip_prefix("./").map(str::to_string).unwrap_or(p)
}

/// The whole log at once (tests). `preflight check --format sarif` streams the same bytes
/// through [`super::stream`].
pub fn render(outcome: &Outcome) -> String {
    let located = located(&outcome.files);
    let prints = fingerprints(&located);
    let results: Vec<Value> = located
        .iter()
        .zip(&prints)
        .map(|(l, fp)| result(l, fp))
        .collect();
    let totals = super::stream::Totals::of(outcome);
    let mut s =
        serde_json::to_string_pretty(&envelope(&totals, Value::Array(results), &outcome.errors))
            .unwrap_or_else(|_| "{}".to_string());
    s.push('\n');
    s
}

/// The driver's rule list: every rule, its doc embedded as `help` (text and markdown).
fn rule_objects() -> Vec<Value> {
    rules::all()
        .iter()
        .map(|m| {
            let body = rules::doc_body(m.doc);
            let full = section(body, "What it catches").unwrap_or(&m.summary);
            let mut r = json!({
                "id": m.id,
                "name": m.id,
                "shortDescription": {"text": m.summary},
                "fullDescription": {"text": full},
                "help": {"text": body, "markdown": body},
            });
            if let Some(u) = help_uri(&m.id) {
                r["helpUri"] = json!(u);
            }
            r["defaultConfiguration"] = json!({"level": level(m.severity)});
            r["properties"] = json!({"tags": [m.group.as_str()]});
            r
        })
        .collect()
}

/// One entry of `results`.
pub(crate) fn result(l: &Located<'_>, fp: &str) -> Value {
    let mut text = l.diag.message.clone();
    if !l.diag.help.is_empty() {
        text.push_str("\nhelp: ");
        text.push_str(&l.diag.help);
    }
    let mut artifact = json!({"uri": uri(&l.file.path)});
    if !l.file.path.starts_with('/') {
        artifact["uriBaseId"] = json!("%SRCROOT%");
    }
    let region = |(start, end): (crate::source::Position, crate::source::Position), snip: &str| {
        json!({
            "startLine": start.line,
            "startColumn": start.column,
            "endLine": end.line,
            "endColumn": end.column,
            "snippet": {"text": snip},
        })
    };
    // the action of a multi-action ALTER TABLE is the result's region (where code scanning
    // annotates); the whole statement is a related location
    let (main, related) = match (l.action, l.diag.action) {
        (Some(at), Some(span)) => (
            region(at, &super::snippet(&l.file.text, span.start, span.end)),
            Some(region((l.start, l.end), &l.snippet)),
        ),
        _ => (region((l.start, l.end), &l.snippet), None),
    };
    let mut result = json!({
        "ruleId": l.diag.rule,
        "level": level(l.diag.severity),
        "message": {"text": text},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": artifact.clone(),
                "region": main,
            }
        }],
        "partialFingerprints": {"preflight/v1": fp},
    });
    if let Some(r) = related {
        result["relatedLocations"] = json!([{
            "id": 1,
            "physicalLocation": {"artifactLocation": artifact, "region": r},
            "message": {"text": "the statement"},
        }]);
    }
    if let Some(i) = rules::all().iter().position(|m| m.id == l.diag.rule) {
        result["ruleIndex"] = json!(i);
    }
    result
}

/// The log around its results (`results` as given).
pub(crate) fn envelope(
    totals: &super::stream::Totals,
    results: Value,
    errors: &[crate::run::FileError],
) -> Value {
    let notifications: Vec<Value> = errors
        .iter()
        .map(|e| {
            json!({
                "level": "error",
                "message": {"text": format!("{}: {}", e.file, e.message)},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(&e.file)}}}],
            })
        })
        .collect();
    let mut doc = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "preflight",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rule_objects(),
            }},
            "invocations": [{
                "executionSuccessful": errors.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            // columns count characters, as in every preflight format
            "columnKind": "unicodeCodePoints",
            "results": results,
            "properties": {"filesChecked": totals.files_checked, "suppressed": totals.suppressed},
        }],
    });
    let repo = env!("CARGO_PKG_REPOSITORY");
    if repo.starts_with("https://") || repo.starts_with("http://") {
        doc["runs"][0]["tool"]["driver"]["informationUri"] = json!(repo);
    }
    doc
}
