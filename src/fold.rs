//! One finding per problem. Rules that describe the same loss on the same statement (a DROP
//! TABLE that is also IF EXISTS, CASCADE and recreated afterwards) are folded into one
//! finding: the strongest rule reports it, the others become `related` notes (JSON
//! `related: [{"rule", "message"}]`, a line in the human help). Runs after suppressions and
//! `--select`/`--ignore`, so silencing the lead rule shows the next one. Identical findings
//! (same rule, same place) are reported once.

use crate::diagnostic::Diagnostic;
use serde_json::{Value, json};

/// Rules that report data loss, strongest first: on one statement they are one problem.
const LOSS: &[&str] = &[
    "drop-database",
    "drop-schema",
    // says more than drop-table: the table comes back empty, and where
    "drop-recreate",
    "drop-table",
    "truncate",
    "delete-without-where",
    "update-without-where",
    "drop-column",
    "tautological-where",
    "delete-null-predicate",
    "drop-index",
    "cascade",
    "drop-if-exists",
];

/// Shell rules that describe one `rm` command's risk.
const RM: &[&str] = &[
    "rm-root-path",
    "rm-parent-path",
    "rm-unguarded-variable",
    "rm-after-unchecked-cd",
];

/// (family, rank) of a rule; rules outside a family fold only with themselves.
fn family(rule: &str) -> (usize, usize) {
    if let Some(i) = LOSS.iter().position(|r| *r == rule) {
        return (1, i);
    }
    if let Some(i) = RM.iter().position(|r| *r == rule) {
        return (2, i);
    }
    (0, 0)
}

fn same_problem(a: &Diagnostic, b: &Diagnostic) -> bool {
    if a.span.start != b.span.start {
        return false;
    }
    // two actions of one ALTER TABLE (`DROP COLUMN a, DROP COLUMN b`) are two problems
    if let (Some(x), Some(y)) = (a.action, b.action)
        && x != y
    {
        return false;
    }
    if a.rule == b.rule {
        return true;
    }
    let (fa, fb) = (family(&a.rule).0, family(&b.rule).0);
    fa != 0 && fa == fb
}

/// Fold the findings of one file (any order in, sorted by position out).
pub fn fold(diags: &mut Vec<Diagnostic>) {
    if diags.len() < 2 {
        return;
    }
    // strongest first within a statement: severity, then the family's rank (then the
    // actions of a multi-action ALTER TABLE in text order)
    diags.sort_by(|a, b| {
        (
            a.span.start,
            a.severity,
            family(&a.rule),
            &a.rule,
            a.span.end,
            a.action.map(|s| s.start),
        )
            .cmp(&(
                b.span.start,
                b.severity,
                family(&b.rule),
                &b.rule,
                b.span.end,
                b.action.map(|s| s.start),
            ))
    });
    let mut out: Vec<Diagnostic> = Vec::with_capacity(diags.len());
    // index in `out` where the current statement's findings start
    let mut group_start = 0;
    for d in diags.drain(..) {
        if out.last().is_some_and(|l| l.span.start != d.span.start) {
            group_start = out.len();
        }
        match out[group_start..].iter_mut().find(|p| same_problem(p, &d)) {
            Some(primary) => relate(primary, d),
            None => out.push(d),
        }
    }
    *diags = out;
}

/// Record `d` as a related note of `primary` (once per rule and message).
fn relate(primary: &mut Diagnostic, d: Diagnostic) {
    if primary.rule == d.rule && primary.message == d.message {
        return;
    }
    let extra = primary.extra.get_or_insert_with(Default::default);
    let related = extra
        .entry("related".to_string())
        .or_insert_with(|| Value::Array(Vec::new()));
    let Value::Array(list) = related else {
        return;
    };
    let note = json!({"rule": d.rule, "message": d.message});
    if list.contains(&note) {
        return;
    }
    list.push(note);
}

/// `help` with the related notes as `also [rule]: message` lines, for human output.
pub fn help_with_related(d: &Diagnostic) -> String {
    let mut help = d.help.clone();
    let notes = d
        .extra
        .as_ref()
        .and_then(|e| e.get("related"))
        .and_then(Value::as_array);
    for n in notes.into_iter().flatten() {
        let (Some(rule), Some(msg)) = (
            n.get("rule").and_then(Value::as_str),
            n.get("message").and_then(Value::as_str),
        ) else {
            continue;
        };
        if !help.is_empty() {
            help.push('\n');
        }
        help.push_str(&format!("also [{rule}]: {msg}"));
    }
    help
}

/// The rule ids folded into `d` (its `related` notes).
pub fn related_rules(d: &Diagnostic) -> Vec<String> {
    d.extra
        .as_ref()
        .and_then(|e| e.get("related"))
        .and_then(Value::as_array)
        .map(|l| {
            l.iter()
                .filter_map(|n| n.get("rule").and_then(Value::as_str).map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    fn d(rule: &str, start: usize, msg: &str) -> Diagnostic {
        Diagnostic::new(rule, Span::new(start, start + 5), msg)
    }

    #[test]
    fn one_finding_per_statement_and_family() {
        let mut v = vec![
            d("drop-if-exists", 0, "masks"),
            d("cascade", 0, "reaches"),
            d("drop-table", 0, "drops t"),
            d("drop-recreate", 0, "recreated"),
            d("drop-table", 10, "drops u"),
        ];
        fold(&mut v);
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].rule, "drop-recreate");
        assert_eq!(
            related_rules(&v[0]),
            ["drop-table", "cascade", "drop-if-exists"]
        );
        assert!(help_with_related(&v[0]).contains("also [cascade]: reaches"));
        assert_eq!(v[1].rule, "drop-table");
        assert!(related_rules(&v[1]).is_empty());
    }

    #[test]
    fn different_problems_on_one_statement_stay_apart() {
        let mut v = vec![
            d("drop-column", 0, "drops c"),
            d("add-not-null-without-default", 0, "fails"),
            d("parse-error", 0, "tokens"),
        ];
        fold(&mut v);
        assert_eq!(v.len(), 3);
    }

    #[test]
    fn duplicates_are_reported_once() {
        let mut v = vec![
            d("drop-recreate", 0, "same"),
            d("drop-recreate", 0, "same"),
            d("drop-recreate", 0, "other"),
        ];
        fold(&mut v);
        assert_eq!(v.len(), 1);
        assert_eq!(related_rules(&v[0]), ["drop-recreate"]);
    }

    #[test]
    fn two_actions_of_one_statement_are_two_problems() {
        let at = |d: Diagnostic, s: usize| d.at_action(Some(Span::new(s, s + 3)));
        let mut v = vec![
            at(d("drop-column", 0, "drops b"), 20),
            at(d("cascade", 0, "reaches"), 20),
            at(d("drop-column", 0, "drops a"), 10),
        ];
        fold(&mut v);
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].message, "drops a");
        assert!(related_rules(&v[0]).is_empty());
        assert_eq!(v[1].message, "drops b");
        assert_eq!(related_rules(&v[1]), ["cascade"]);
        // near miss: the same action (or none known) stays one problem
        let mut v = vec![
            at(d("drop-column", 0, "drops b"), 20),
            d("cascade", 0, "reaches"),
        ];
        fold(&mut v);
        assert_eq!(v.len(), 1);
    }

    #[test]
    fn the_stronger_severity_leads() {
        let mut v = vec![
            d("drop-if-exists", 0, "masks"),
            d("cascade", 0, "reaches").severity(crate::diagnostic::Severity::Info),
        ];
        v[0].severity = crate::diagnostic::Severity::Error;
        fold(&mut v);
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].rule, "drop-if-exists");
    }
}
