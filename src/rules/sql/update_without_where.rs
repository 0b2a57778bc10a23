//! `update-without-where`: UPDATE with no WHERE clause overwrites a column in every row.

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::sql::{ObjectKind, Statement, StmtKind};

pub fn check(stmt: &Statement, ctx: &Context, out: &mut Vec<Diagnostic>) {
    let StmtKind::Update {
        table,
        predicate: None,
        assignments,
        ..
    } = &stmt.kind
    else {
        return;
    };
    if let Some(t) = table {
        if ctx.file.created_here(&ObjectKind::Table, t).is_some() {
            return;
        }
        // filling a column this file just added overwrites nothing
        if !assignments.is_empty()
            && assignments
                .iter()
                .all(|a| ctx.file.column_added_here(t, &a.column))
        {
            return;
        }
    }
    let name = super::table_phrase(table.as_ref());
    let cols: Vec<String> = assignments
        .iter()
        .map(|a| format!("`{}`", a.column))
        .collect();
    let what = if cols.is_empty() {
        String::new()
    } else {
        format!(" ({})", cols.join(", "))
    };
    out.push(
        Diagnostic::new(
            "update-without-where",
            stmt.span,
            format!("UPDATE without WHERE overwrites{what} in every row of {name}"),
        )
        .label("no WHERE clause: every row is rewritten")
        .help(
            "add the WHERE clause you meant; for a backfill, touch only the rows that need it \
             (`… WHERE col IS NULL`) and run it in batches",
        ),
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::sql::testing::{fires, silent};

    #[test]
    fn vectors() {
        fires("update-without-where", "UPDATE users SET email = NULL;");
        fires(
            "update-without-where",
            "UPDATE users SET email = NULL WITH ((( broken;",
        );
        silent(
            "update-without-where",
            "UPDATE users SET email = NULL WHERE id = 4;",
        );
        silent(
            "update-without-where",
            "ALTER TABLE users ADD COLUMN score int; UPDATE users SET score = 0;",
        );
        silent(
            "update-without-where",
            "INSERT INTO t (a) VALUES (1) ON CONFLICT (a) DO UPDATE SET a = 2;",
        );
    }
}
