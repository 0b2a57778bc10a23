//! `drop-recreate`: a table dropped and created again in the same file — all its rows are
//! gone, even though the new table looks the same.

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::sql::{Statement, StmtKind};

pub fn check(stmt: &Statement, ctx: &Context, out: &mut Vec<Diagnostic>) {
    let StmtKind::CreateTable { name, .. } = &stmt.kind else {
        return;
    };
    if ctx.down {
        return;
    }
    let Some(drop_span) = ctx.file.dropped_here(name) else {
        return;
    };
    out.push(
        Diagnostic::new(
            "drop-recreate",
            drop_span,
            format!(
                "table `{}` is dropped and created again: every row it held is lost, even though \
                 the new table has the same name",
                name.display
            ),
        )
        .label("the data goes here")
        .with_label(stmt.span, "and an empty table replaces it here")
        .help(
            "change the table in place with `ALTER TABLE` (ADD/DROP/ALTER COLUMN, RENAME); if a \
             rebuild is needed, create the new table, copy rows with INSERT … SELECT, then swap names",
        ),
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::sql::testing::{fires, silent};

    #[test]
    fn vectors() {
        fires(
            "drop-recreate",
            "DROP TABLE users; CREATE TABLE users (id int);",
        );
        fires(
            "drop-recreate",
            "DROP TABLE IF EXISTS public.users; CREATE TABLE users (id int);",
        );
        silent(
            "drop-recreate",
            "CREATE TABLE t (a int); DROP TABLE t; CREATE TABLE t (a int);",
        );
        silent("drop-recreate", "DROP TABLE a; CREATE TABLE b (id int);");
    }
}
