//! `unique_together` (model option and `AlterUniqueTogether`) read as sets of field tuples,
//! and the unique constraints that replace them (`UniqueConstraint(fields=[…])`).

use crate::python::value::{Call, Value};

/// The field tuples of a `unique_together` value: `set()`, `None`, one tuple of names, or a
/// list / tuple / set of them. `None` when it is not a literal.
pub(super) fn parse(v: &Value) -> Option<Vec<Vec<String>>> {
    match v {
        Value::None(_) => Some(Vec::new()),
        Value::Call(c) if c.func == "set" && c.kwargs.is_empty() => match c.args.as_slice() {
            [] => Some(Vec::new()),
            [one] => parse(one),
            _ => None,
        },
        Value::List(items, _) | Value::Tuple(items, _) => {
            if items.iter().all(|i| i.str().is_some()) {
                if items.is_empty() {
                    return Some(Vec::new());
                }
                return Some(vec![names(items)?]);
            }
            items.iter().map(|i| names(i.items()?)).collect()
        }
        _ => None,
    }
}

fn names(items: &[Value]) -> Option<Vec<String>> {
    items.iter().map(|i| i.str().map(str::to_string)).collect()
}

/// The fields of a `UniqueConstraint(fields=[…])` without a condition (a partial constraint
/// does not stand in for a plain unique_together).
pub(super) fn constraint_fields(c: &Call) -> Option<Vec<String>> {
    if c.name() != "UniqueConstraint" || c.kw("condition").is_some() {
        return None;
    }
    names(c.kw("fields")?.items()?)
}

/// Same fields, in any order.
pub(super) fn same(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().all(|x| b.contains(x))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn val(src: &str) -> Value {
        let tree = crate::python::value::parse(src).expect("parses");
        let root = tree.root_node();
        let e = root
            .named_child(0)
            .and_then(|s| s.named_child(0))
            .expect("an expression");
        crate::python::value::read(e, src)
    }

    #[test]
    fn reads_unique_together_values() {
        let v = |s: &str| parse(&val(s));
        assert_eq!(v("set()\n"), Some(vec![]));
        assert_eq!(v("None\n"), Some(vec![]));
        assert_eq!(v("('a', 'b')\n"), Some(vec![vec!["a".into(), "b".into()]]));
        assert_eq!(
            v("{('a', 'b'), ('c',)}\n"),
            Some(vec![vec!["a".into(), "b".into()], vec!["c".into()]])
        );
        assert_eq!(
            v("set([('a', 'b')])\n"),
            Some(vec![vec!["a".into(), "b".into()]])
        );
        assert_eq!(v("TOGETHER\n"), None);
        assert_eq!(v("[('a', x)]\n"), None);
    }
}
