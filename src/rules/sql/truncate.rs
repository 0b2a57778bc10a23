//! `truncate`: TRUNCATE of a table this file did not create.

use super::{Context, list, plural, preexisting};
use crate::diagnostic::Diagnostic;
use crate::sql::{ObjectKind, Statement, StmtKind};

pub fn check(stmt: &Statement, ctx: &Context, out: &mut Vec<Diagnostic>) {
    let StmtKind::Truncate { tables, .. } = &stmt.kind else {
        return;
    };
    // a materialized view created here is scratch too
    let targets: Vec<_> = preexisting(ctx, &ObjectKind::Table, tables)
        .into_iter()
        .filter(|n| {
            ctx.file
                .created_here(&ObjectKind::MaterializedView, n)
                .is_none()
        })
        .collect();
    if targets.is_empty() && !tables.is_empty() {
        return;
    }
    let n = targets.len();
    out.push(
        Diagnostic::new(
            "truncate",
            stmt.span,
            format!(
                "TRUNCATE deletes every row of {} at once, without row-level triggers or a WHERE to limit it",
                if n == 0 { "the table".to_string() } else { format!("{} {}", plural(n, "table", "tables"), list(&targets)) }
            ),
        )
        .label("every row goes")
        .help(
            "if only some rows should go, use `DELETE … WHERE …` in batches; if all must go, \
             copy the table first (`CREATE TABLE … AS TABLE …`) and run this by hand",
        ),
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::sql::testing::{fires, silent};

    #[test]
    fn vectors() {
        fires("truncate", "TRUNCATE users;");
        fires("truncate", "TRUNCATE TABLE ONLY a, b RESTART IDENTITY;");
        silent(
            "truncate",
            "CREATE TEMP TABLE stage (a int); TRUNCATE stage;",
        );
        silent("truncate", "SELECT 'TRUNCATE users';");
    }
}
