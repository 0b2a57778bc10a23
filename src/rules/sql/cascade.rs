//! `cascade`: CASCADE on DROP / TRUNCATE reaches objects the statement does not name.

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::sql::{AlterOp, Statement, StmtKind};

pub fn check(stmt: &Statement, ctx: &Context, out: &mut Vec<Diagnostic>) {
    let cascading = |o: &AlterOp| {
        matches!(
            o,
            AlterOp::DropColumn { cascade: true, .. }
                | AlterOp::DropConstraint { cascade: true, .. }
        )
    };
    let mut action = None;
    let what = match &stmt.kind {
        StmtKind::Drop {
            cascade: true,
            object,
            names,
            ..
        } if names
            .iter()
            .any(|n| ctx.file.created_here(object, n).is_none()) =>
        {
            format!(
                "DROP {} … CASCADE also drops every view, foreign key and other object that depends on it",
                object.noun().to_uppercase()
            )
        }
        StmtKind::Truncate { cascade: true, .. } => {
            "TRUNCATE … CASCADE also empties every table with a foreign key to it".to_string()
        }
        StmtKind::AlterTable { ops, .. } if ops.iter().any(cascading) => {
            action = ops.iter().position(cascading).and_then(|i| stmt.action(i));
            "ALTER TABLE … DROP … CASCADE also drops the views and constraints that depend on it"
                .to_string()
        }
        _ => return,
    };
    if ctx.down {
        return;
    }
    out.push(
        Diagnostic::new("cascade", stmt.span, what)
            .at_action(action)
            .label("CASCADE reaches objects this statement does not name")
            .help(
                "drop without CASCADE so PostgreSQL lists the dependent objects and stops; then \
                 drop or rewrite each one explicitly",
            ),
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::sql::testing::{fires, silent};

    #[test]
    fn vectors() {
        fires("cascade", "DROP TABLE users CASCADE;");
        fires("cascade", "TRUNCATE accounts CASCADE;");
        fires("cascade", "ALTER TABLE t DROP COLUMN a CASCADE;");
        silent("cascade", "DROP TABLE users RESTRICT;");
        silent("cascade", "CREATE TABLE s (a int); DROP TABLE s CASCADE;");
        silent(
            "cascade",
            "ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES u (id) ON DELETE CASCADE;",
        );
    }
}
