//! `RunPython` functions read for queryset writes that touch every row: `.delete()` /
//! `.update(…)` on `Model.objects` or `.all()` with no filter between.

use crate::python::value::{self, Call, Value, text};
use crate::source::Span;
use std::collections::HashMap;
use tree_sitter::Node;

/// `.delete()` / `.update(…)` on a queryset of every row (`Model.objects.all().delete()`).
#[derive(Clone, Debug, PartialEq)]
pub struct QueryWrite {
    /// `(app_label, model)` from `apps.get_model("app", "Model")`, or the bare class name.
    pub model: (Option<String>, String),
    pub update: Option<Vec<String>>,
    pub span: Span,
}

/// Managers and queryset methods that keep every row selected.
const ALL_ROWS: &[&str] = &[
    "objects",
    "_base_manager",
    "_default_manager",
    "all",
    "using",
    "select_related",
    "prefetch_related",
    "order_by",
    "only",
    "defer",
];
const MANAGERS: &[&str] = &["objects", "_base_manager", "_default_manager"];

pub(super) fn query_writes(
    n: Node,
    src: &str,
    models: &mut HashMap<String, (Option<String>, String)>,
    out: &mut Vec<QueryWrite>,
    depth: usize,
) {
    if depth > 200 {
        return;
    }
    match value::kind(n) {
        // a nested function runs only if called: not followed
        "function_definition" | "class_definition" | "lambda" => return,
        "assignment" => {
            if let (Some(l), Some(r)) = (value::field(n, "left"), value::field(n, "right"))
                && value::kind(l) == "identifier"
                && let Value::Call(c) = value::read(r, src)
                && c.func.ends_with("get_model")
            {
                let model = match (
                    c.args.first().and_then(Value::str),
                    c.args.get(1).and_then(Value::str),
                ) {
                    (Some(app), Some(m)) => Some((Some(app.to_string()), m.to_string())),
                    // `apps.get_model("app.Model")`
                    (Some(dotted), None) => dotted
                        .split_once('.')
                        .map(|(a, m)| (Some(a.to_string()), m.to_string())),
                    _ => None,
                };
                if let Some(m) = model {
                    models.insert(text(l, src).to_string(), m);
                }
            }
        }
        "call" => {
            // only `….delete()` / `….update(…)` can be a write: other calls are not read as
            // values (reading every nested call again made deep chains quadratic)
            let method = n
                .child_by_field_name("function")
                .filter(|f| value::kind(*f) == "attribute")
                .and_then(|f| value::field(f, "attribute"))
                .map(|a| text(a, src));
            if matches!(method, Some("delete" | "update"))
                && let Value::Call(c) = value::read(n, src)
                && let Some(w) = unfiltered_write(&c, models)
            {
                out.push(w);
                return;
            }
        }
        _ => {}
    }
    let mut c = n.walk();
    for ch in n.named_children(&mut c) {
        query_writes(ch, src, models, out, depth + 1);
    }
}

/// The method chain of a call, root first: `Order.objects.all().delete()` →
/// (`Order`, [objects, all, delete]).
fn chain(c: &Call) -> Option<(String, Vec<String>)> {
    let mut parts: Vec<String> = Vec::new();
    let mut cur = c;
    loop {
        if let Some(m) = cur.func.strip_prefix('.') {
            parts.push(m.to_string());
            cur = cur.receiver.as_deref()?.call()?;
            continue;
        }
        let mut names: Vec<&str> = cur.func.split('.').collect();
        let root = names.remove(0).to_string();
        for n in names.iter().rev() {
            parts.push((*n).to_string());
        }
        parts.reverse();
        return Some((root, parts));
    }
}

fn unfiltered_write(
    c: &Call,
    models: &HashMap<String, (Option<String>, String)>,
) -> Option<QueryWrite> {
    let (root, parts) = chain(c)?;
    let (last, before) = parts.split_last()?;
    let update = match last.as_str() {
        "delete" if c.args.is_empty() && c.kwargs.is_empty() => None,
        "update" if !c.kwargs.is_empty() && c.args.is_empty() => {
            Some(c.kwargs.iter().map(|(k, _)| k.clone()).collect())
        }
        _ => return None,
    };
    // a manager must be in the chain (`d.update(…)` on a dict is not a queryset)
    if !before.iter().any(|p| MANAGERS.contains(&p.as_str()))
        || !before.iter().all(|p| ALL_ROWS.contains(&p.as_str()))
    {
        return None;
    }
    let model = models.get(&root).cloned().or_else(|| {
        root.starts_with(char::is_uppercase)
            .then(|| (None, root.clone()))
    })?;
    Some(QueryWrite {
        model,
        update,
        span: c.span,
    })
}
