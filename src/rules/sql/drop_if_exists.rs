//! `drop-if-exists`: IF EXISTS makes "the table was not there" and "the table was just
//! destroyed" the same silent success.

use super::{Context, list, preexisting};
use crate::diagnostic::Diagnostic;
use crate::sql::{ObjectKind, Statement, StmtKind};

pub fn check(stmt: &Statement, ctx: &Context, out: &mut Vec<Diagnostic>) {
    let StmtKind::Drop {
        object,
        names,
        if_exists: true,
        temporary: false,
        ..
    } = &stmt.kind
    else {
        return;
    };
    if ctx.down
        || !matches!(
            object,
            ObjectKind::Table | ObjectKind::Schema | ObjectKind::Database
        )
    {
        return;
    }
    let targets = preexisting(ctx, object, names);
    if targets.is_empty() {
        return;
    }
    out.push(
        Diagnostic::new(
            "drop-if-exists",
            stmt.span,
            format!(
                "IF EXISTS hides whether {} {} held data: dropping real data and finding nothing \
                 both succeed silently",
                object.noun(),
                list(&targets)
            ),
        )
        .label("IF EXISTS masks what this destroys")
        .help(
            "drop without IF EXISTS so a missing object fails loudly, and check the row count \
             first (`SELECT count(*) FROM …`); keep IF EXISTS only for objects this change creates",
        ),
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::sql::testing::{fires, silent};

    #[test]
    fn vectors() {
        fires("drop-if-exists", "DROP TABLE IF EXISTS user_sessions;");
        fires("drop-if-exists", "DROP SCHEMA IF EXISTS billing;");
        silent("drop-if-exists", "DROP TABLE user_sessions;");
        silent(
            "drop-if-exists",
            "CREATE TABLE t (a int); DROP TABLE IF EXISTS t;",
        );
        silent("drop-if-exists", "DROP INDEX IF EXISTS idx_a;");
        silent("drop-if-exists", "DROP VIEW IF EXISTS v;");
    }
}
