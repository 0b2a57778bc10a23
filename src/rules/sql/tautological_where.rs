//! `tautological-where`: a WHERE clause that is always true (`1=1`, `TRUE`, `x = x`,
//! `… OR TRUE`, `NOT FALSE`) filters nothing.

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::sql::{Statement, StmtKind};
use sqlparser::ast::{BinaryOperator, Expr, UnaryOperator, Value};

pub fn check(stmt: &Statement, _ctx: &Context, out: &mut Vec<Diagnostic>) {
    let (verb, table, pred) = match &stmt.kind {
        StmtKind::Delete {
            table,
            predicate: Some(p),
            ..
        } => ("DELETE", table, p),
        StmtKind::Update {
            table,
            predicate: Some(p),
            ..
        } => ("UPDATE", table, p),
        _ => return,
    };
    let Some(expr) = pred.expr.as_deref() else {
        return;
    };
    if pred.opaque || always_true(expr) != Some(true) {
        return;
    }
    let name = super::table_phrase(table.as_ref());
    out.push(
        Diagnostic::new(
            "tautological-where",
            stmt.span,
            format!("{verb} … WHERE {expr} is always true: it touches every row of {name}"),
        )
        .label("this WHERE clause matches every row")
        .help(
            "write the condition that selects the rows you mean (`WHERE id IN (…)`); if every row \
             really must change, say so without a fake WHERE and suppress with a reason",
        ),
    );
}

/// `Some(b)` when `e` is a constant truth value regardless of the row.
pub fn always_true(e: &Expr) -> Option<bool> {
    match e {
        Expr::Nested(inner) => always_true(inner),
        Expr::Value(v) => match &v.value {
            Value::Boolean(b) => Some(*b),
            Value::Number(n, _) => Some(n.parse::<f64>().is_ok_and(|x| x != 0.0)),
            _ => None,
        },
        Expr::UnaryOp {
            op: UnaryOperator::Not,
            expr,
        } => always_true(expr).map(|b| !b),
        Expr::IsTrue(inner) => always_true(inner),
        Expr::BinaryOp { left, op, right } => match op {
            BinaryOperator::Or => match (always_true(left), always_true(right)) {
                (Some(true), _) | (_, Some(true)) => Some(true),
                (Some(false), Some(false)) => Some(false),
                _ => None,
            },
            BinaryOperator::And => match (always_true(left), always_true(right)) {
                (Some(true), Some(true)) => Some(true),
                (Some(false), _) | (_, Some(false)) => Some(false),
                _ => None,
            },
            BinaryOperator::Eq | BinaryOperator::GtEq | BinaryOperator::LtEq
                if same_value(left, right) =>
            {
                Some(true)
            }
            BinaryOperator::Eq | BinaryOperator::NotEq => {
                let (l, r) = (literal(left)?, literal(right)?);
                Some((l == r) == matches!(op, BinaryOperator::Eq))
            }
            _ => None,
        },
        _ => None,
    }
}

fn literal(e: &Expr) -> Option<String> {
    match e {
        Expr::Nested(inner) => literal(inner),
        Expr::Value(v) => match &v.value {
            Value::Null | Value::Placeholder(_) => None,
            other => Some(other.to_string()),
        },
        _ => None,
    }
}

/// Both sides are the same column or the same literal (`x = x`, `'a' = 'a'`).
fn same_value(l: &Expr, r: &Expr) -> bool {
    fn strip(mut e: &Expr) -> &Expr {
        while let Expr::Nested(inner) = e {
            e = inner;
        }
        e
    }
    let (l, r) = (strip(l), strip(r));
    let simple = |e: &Expr| {
        matches!(e, Expr::Identifier(_) | Expr::CompoundIdentifier(_)) || literal(e).is_some()
    };
    simple(l) && same_print(l, r)
}

/// `l.to_string() == r.to_string()`, without printing either where the answer is plain: an
/// unquoted name prints as itself, a single-quoted string starts with its quote (`id = 'x'`
/// and `a = b` are the WHERE clauses scripts write most).
fn same_print(l: &Expr, r: &Expr) -> bool {
    fn name(e: &Expr) -> Option<&str> {
        match e {
            Expr::Identifier(id) if id.quote_style.is_none() => Some(id.value.as_str()),
            _ => None,
        }
    }
    let quoted =
        |e: &Expr| matches!(e, Expr::Value(v) if matches!(v.value, Value::SingleQuotedString(_)));
    match (name(l), name(r)) {
        (Some(a), Some(b)) => a == b,
        (Some(a), None) if quoted(r) && !a.starts_with('\'') => false,
        (None, Some(b)) if quoted(l) && !b.starts_with('\'') => false,
        _ => l.to_string() == r.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::sql::testing::{fires, silent};

    #[test]
    fn vectors() {
        for w in [
            "1=1",
            "TRUE",
            "'a'='a'",
            "id = id",
            "status = 'x' OR TRUE",
            "NOT FALSE",
            "(1 = 1) AND (2 = 2)",
            "1",
        ] {
            fires(
                "tautological-where",
                &format!("DELETE FROM users WHERE {w};"),
            );
        }
        fires("tautological-where", "UPDATE users SET a = 1 WHERE 1=1;");
        for w in [
            "id = 1",
            "1=1 AND id = 4",
            "id = $1",
            "a = b",
            "FALSE",
            "last_login IS NULL",
            "'a' = 'b'",
        ] {
            silent(
                "tautological-where",
                &format!("DELETE FROM users WHERE {w};"),
            );
        }
        silent("tautological-where", "SELECT * FROM users WHERE 1=1;");
    }

    /// The shortcut answers as printing both sides does, on generated names and values.
    #[test]
    fn same_print_is_printing_both() {
        use sqlparser::ast::{Expr, Ident, Value};
        const TEXTS: &[&str] = &["id", "ID", "'x'", "x", "", "'", "a'b", "7", "7L", "\"x\""];
        let mut rng = crate::test_rng::Rng::new(0xa54f_f53a_5f1d_36f1);
        let pick = |rng: &mut crate::test_rng::Rng| {
            let t = TEXTS[rng.below(TEXTS.len())].to_string();
            match rng.below(6) {
                0 => Expr::Identifier(Ident::new(t)),
                1 => Expr::Identifier(Ident::with_quote('"', t)),
                2 => Expr::Value(Value::SingleQuotedString(t).into()),
                3 => Expr::Value(Value::DoubleQuotedString(t).into()),
                4 => Expr::Value(Value::Number(t, rng.below(2) == 0).into()),
                _ => Expr::Nested(Box::new(Expr::Identifier(Ident::new(t)))),
            }
        };
        let mut equal = 0;
        for _ in 0..5_000 {
            let (l, r) = (pick(&mut rng), pick(&mut rng));
            let printed = l.to_string() == r.to_string();
            assert_eq!(super::same_print(&l, &r), printed, "{l:?} {r:?}");
            equal += usize::from(printed);
        }
        assert!(equal > 100, "{equal}");
    }
}
