//! `delete-without-where`: DELETE with no WHERE clause removes every row.

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::sql::{ObjectKind, Statement, StmtKind};

pub fn check(stmt: &Statement, ctx: &Context, out: &mut Vec<Diagnostic>) {
    let StmtKind::Delete {
        table,
        predicate: None,
        ..
    } = &stmt.kind
    else {
        return;
    };
    if table
        .as_ref()
        .is_some_and(|t| ctx.file.created_here(&ObjectKind::Table, t).is_some())
    {
        return;
    }
    let name = super::table_phrase(table.as_ref());
    out.push(
        Diagnostic::new(
            "delete-without-where",
            stmt.span,
            format!("DELETE without WHERE removes every row of {name}"),
        )
        .label("no WHERE clause: every row matches")
        .help(
            "add the WHERE clause you meant (`DELETE … WHERE id IN (…)`), and delete in batches \
             (`… WHERE id IN (SELECT id … LIMIT 1000)`); use TRUNCATE deliberately if the table \
             really must be emptied",
        ),
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::sql::testing::{fires, silent};

    #[test]
    fn vectors() {
        fires("delete-without-where", "DELETE FROM users;");
        fires("delete-without-where", "delete from users returning id;");
        fires(
            "delete-without-where",
            "DO $$ BEGIN DELETE FROM users; END $$;",
        );
        silent("delete-without-where", "DELETE FROM users WHERE id = $1;");
        silent(
            "delete-without-where",
            "CREATE TEMP TABLE t (a int); DELETE FROM t;",
        );
        silent("delete-without-where", "SELECT 'DELETE FROM users';");
        silent(
            "delete-without-where",
            "CREATE TABLE a (id int REFERENCES b (id) ON DELETE CASCADE);",
        );
    }
}
