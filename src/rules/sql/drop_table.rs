//! `drop-table`: DROP TABLE of a table this file did not create.

use super::{Context, list, plural, preexisting};
use crate::diagnostic::Diagnostic;
use crate::sql::{ObjectKind, Statement, StmtKind};

pub fn check(stmt: &Statement, ctx: &Context, out: &mut Vec<Diagnostic>) {
    let StmtKind::Drop {
        object: ObjectKind::Table,
        names,
        temporary: false,
        ..
    } = &stmt.kind
    else {
        return;
    };
    if ctx.down {
        return;
    }
    let targets = preexisting(ctx, &ObjectKind::Table, names);
    if targets.is_empty() {
        return;
    }
    let n = targets.len();
    out.push(
        Diagnostic::new(
            "drop-table",
            stmt.span,
            format!(
                "DROP TABLE deletes {} {} and all of {} rows",
                plural(n, "table", "tables"),
                list(&targets),
                plural(n, "its", "their")
            ),
        )
        .label("this drops the table and every row in it")
        .help(
            "rename it instead (`ALTER TABLE … RENAME TO …_deprecated`), ship, and drop it in a \
             later release once nothing reads it; take a backup (`pg_dump -t`) before the drop",
        ),
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::sql::testing::{fires, silent};

    #[test]
    fn vectors() {
        fires("drop-table", "DROP TABLE user_sessions;");
        fires("drop-table", "drop table if exists public.a, b cascade;");
        fires("drop-table", "DROP TABLE users WITH GIBBERISH (;");
        silent(
            "drop-table",
            "CREATE TABLE tmp_x (id int); DROP TABLE tmp_x;",
        );
        silent(
            "drop-table",
            "CREATE TEMP TABLE scratch AS SELECT 1; DROP TABLE scratch;",
        );
        silent(
            "drop-table",
            "-- DROP TABLE users;\nSELECT 'DROP TABLE users';",
        );
        silent("drop-table", "DROP VIEW active_users;");
    }
}
