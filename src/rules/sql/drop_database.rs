//! `drop-database`: DROP DATABASE.

use super::{Context, list, preexisting};
use crate::diagnostic::Diagnostic;
use crate::sql::{ObjectKind, Statement, StmtKind};

pub fn check(stmt: &Statement, ctx: &Context, out: &mut Vec<Diagnostic>) {
    let StmtKind::Drop {
        object: ObjectKind::Database,
        names,
        ..
    } = &stmt.kind
    else {
        return;
    };
    let targets = preexisting(ctx, &ObjectKind::Database, names);
    if targets.is_empty() || ctx.down {
        return;
    }
    out.push(
        Diagnostic::new(
            "drop-database",
            stmt.span,
            format!(
                "DROP DATABASE deletes database {} with every schema, table and row in it",
                list(&targets)
            ),
        )
        .label("this deletes the whole database")
        .help(
            "never drop a database from a migration or script; if it is truly retired, take a \
             final `pg_dump` and drop it by hand with a second person watching",
        ),
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::sql::testing::{fires, silent};

    #[test]
    fn vectors() {
        fires("drop-database", "DROP DATABASE production;");
        fires("drop-database", "DROP DATABASE IF EXISTS app;");
        silent(
            "drop-database",
            "CREATE DATABASE scratch; DROP DATABASE scratch;",
        );
        silent("drop-database", "DROP SCHEMA x;");
    }
}
