//! `delete-null-predicate`: DELETE whose WHERE is driven by `IS NULL`: NULL means "unknown",
//! and far more rows are unknown than people expect (SSO users never "log in").

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::sql::{Statement, StmtKind};
use sqlparser::ast::{BinaryOperator, Expr};

pub fn check(stmt: &Statement, _ctx: &Context, out: &mut Vec<Diagnostic>) {
    let StmtKind::Delete {
        table,
        predicate: Some(p),
        ..
    } = &stmt.kind
    else {
        return;
    };
    let Some(expr) = p.expr.as_deref() else {
        return;
    };
    let Some(col) = null_driven(expr) else {
        return;
    };
    let name = super::table_phrase(table.as_ref());
    out.push(
        Diagnostic::new(
            "delete-null-predicate",
            stmt.span,
            format!(
                "DELETE from {name} selects rows by `{col} IS NULL`: every row where `{col}` was \
                 never set matches, which is often far more than intended"
            ),
        )
        .label("NULL means unknown, not \"inactive\"")
        .help(format!(
            "count first (`SELECT count(*) FROM … WHERE {col} IS NULL`), add a positive \
             condition (e.g. `AND created_at < now() - interval '1 year'`), and delete in batches"
        )),
    );
}

/// The column whose NULL-ness decides the match: `x IS NULL`, `… OR x IS NULL`, or an AND
/// made only of IS NULL tests.
fn null_driven(e: &Expr) -> Option<String> {
    match e {
        Expr::Nested(inner) => null_driven(inner),
        Expr::IsNull(col) => Some(col.to_string()),
        Expr::BinaryOp {
            left,
            op: BinaryOperator::Or,
            right,
        } => null_driven(left).or_else(|| null_driven(right)),
        Expr::BinaryOp {
            left,
            op: BinaryOperator::And,
            right,
        } => {
            let (l, r) = (null_driven(left)?, null_driven(right)?);
            Some(if l == r { l } else { format!("{l}` / `{r}") })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::sql::testing::{fires, silent};

    #[test]
    fn vectors() {
        fires(
            "delete-null-predicate",
            "DELETE FROM users WHERE last_login IS NULL;",
        );
        fires(
            "delete-null-predicate",
            "DELETE FROM users WHERE id < 0 OR email IS NULL;",
        );
        silent(
            "delete-null-predicate",
            "DELETE FROM users WHERE last_login IS NULL AND id = 7;",
        );
        silent(
            "delete-null-predicate",
            "DELETE FROM users WHERE last_login IS NOT NULL;",
        );
        silent(
            "delete-null-predicate",
            "UPDATE users SET a = 1 WHERE last_login IS NULL;",
        );
    }
}
