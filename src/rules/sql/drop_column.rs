//! `drop-column`: ALTER TABLE … DROP COLUMN of a column this file did not add.

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::sql::{AlterOp, ObjectKind, Statement, StmtKind};

pub fn check(stmt: &Statement, ctx: &Context, out: &mut Vec<Diagnostic>) {
    let StmtKind::AlterTable { name, ops } = &stmt.kind else {
        return;
    };
    if ctx.down || ctx.file.created_here(&ObjectKind::Table, name).is_some() {
        return;
    }
    for (i, op) in ops.iter().enumerate() {
        let AlterOp::DropColumn { names, .. } = op else {
            continue;
        };
        let cols: Vec<&String> = names
            .iter()
            .filter(|c| !ctx.file.column_added_here(name, c))
            .collect();
        if cols.is_empty() {
            continue;
        }
        let shown: Vec<String> = cols
            .iter()
            .map(|c| format!("`{}.{c}`", name.display))
            .collect();
        out.push(
            Diagnostic::new(
                "drop-column",
                stmt.span,
                format!(
                    "DROP COLUMN deletes {} and every value stored in it",
                    shown.join(", ")
                ),
            )
            .at_action(stmt.action(i))
            .label("this drops the column's data")
            .help(
                "stop reading and writing the column in application code first, ship that, then \
                 drop it in a later migration; copy the values out if they may be needed",
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::sql::testing::{fires, silent};

    #[test]
    fn vectors() {
        fires("drop-column", "ALTER TABLE users DROP COLUMN legacy_email;");
        fires("drop-column", "ALTER TABLE users DROP legacy_email;");
        silent(
            "drop-column",
            "ALTER TABLE users ADD COLUMN tmp int; ALTER TABLE users DROP COLUMN tmp;",
        );
        silent(
            "drop-column",
            "CREATE TABLE t (a int, b int); ALTER TABLE t DROP COLUMN b;",
        );
        silent(
            "drop-column",
            "ALTER TABLE users DROP CONSTRAINT users_email_key;",
        );
    }
}
