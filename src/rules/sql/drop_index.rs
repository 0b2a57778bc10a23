//! `drop-index`: DROP INDEX of an index this file did not create.

use super::{Context, list, preexisting};
use crate::diagnostic::Diagnostic;
use crate::sql::{ObjectKind, Statement, StmtKind};

pub fn check(stmt: &Statement, ctx: &Context, out: &mut Vec<Diagnostic>) {
    let StmtKind::Drop {
        object: ObjectKind::Index,
        names,
        ..
    } = &stmt.kind
    else {
        return;
    };
    let targets = preexisting(ctx, &ObjectKind::Index, names);
    if targets.is_empty() || ctx.down {
        return;
    }
    out.push(
        Diagnostic::new(
            "drop-index",
            stmt.span,
            format!(
                "DROP INDEX removes index {}: queries that use it fall back to full scans, and a \
                 unique index stops guarding against duplicates",
                list(&targets)
            ),
        )
        .label("queries relying on this index slow down")
        .help(
            "check `pg_stat_user_indexes.idx_scan` to confirm it is unused, and use \
             `DROP INDEX CONCURRENTLY` so the table is not locked",
        ),
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::sql::testing::{fires, silent};

    #[test]
    fn vectors() {
        fires("drop-index", "DROP INDEX idx_orders_customer;");
        fires("drop-index", "DROP INDEX CONCURRENTLY IF EXISTS idx_a;");
        silent(
            "drop-index",
            "CREATE INDEX idx_tmp ON t (a); DROP INDEX idx_tmp;",
        );
        silent("drop-index", "DROP TABLE t;");
    }
}
