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
    let mut refill = String::new();
    if let Some(t) = table {
        if ctx.file.created_here(&ObjectKind::Table, t).is_some() {
            return;
        }
        // filling a column this file just added overwrites nothing — unless an earlier
        // UPDATE of this file filled it already and this one does not read it: then every
        // value that UPDATE wrote is overwritten
        if !assignments.is_empty()
            && assignments
                .iter()
                .all(|a| ctx.file.column_added_here(t, &a.column))
        {
            let again: Vec<String> = assignments
                .iter()
                .filter(|a| ctx.file.backfilled(t, &a.column) && !reads_itself(a))
                .map(|a| format!("`{}`", a.column))
                .collect();
            if again.is_empty() {
                return;
            }
            refill = format!(
                ", including what an earlier UPDATE in this file wrote to {} (this one does \
                 not read it)",
                again.join(", ")
            );
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
            format!("UPDATE without WHERE overwrites{what} in every row of {name}{refill}"),
        )
        .label("no WHERE clause: every row is rewritten")
        .help(
            "add the WHERE clause you meant; for a backfill, touch only the rows that need it \
             (`… WHERE col IS NULL`) and run it in batches",
        ),
    );
}

/// Does the assigned value mention the column itself (`c = lower(c)`, `coalesce(c, …)`)?
/// A value preflight could not read counts as one.
fn reads_itself(a: &crate::sql::Assignment) -> bool {
    let Some(v) = &a.value else {
        return true;
    };
    let mut ids = Vec::new();
    crate::model::schema::idents_of(v, &mut ids);
    ids.contains(&a.column)
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
        // a second fill of the column overwrites the first one's values …
        fires(
            "update-without-where",
            "ALTER TABLE m ADD COLUMN z text; UPDATE m SET z = (SELECT z FROM u WHERE u.id = m.uid); \
             UPDATE m SET z = (SELECT 'x' FROM g WHERE g.id = m.uid);",
        );
        // … unless it reads the column, or only the first fill had no WHERE
        silent(
            "update-without-where",
            "ALTER TABLE m ADD COLUMN z text; UPDATE m SET z = 'a'; UPDATE m SET z = upper(z);",
        );
        silent(
            "update-without-where",
            "ALTER TABLE m ADD COLUMN z text; UPDATE m SET z = 'a'; UPDATE m SET z = 'b' WHERE k = 1;",
        );
        silent(
            "update-without-where",
            "INSERT INTO t (a) VALUES (1) ON CONFLICT (a) DO UPDATE SET a = 2;",
        );
    }
}
