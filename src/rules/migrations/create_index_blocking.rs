//! `create-index-blocking`: PostgreSQL `CREATE INDEX` without `CONCURRENTLY` on a table that
//! existed before this migration blocks every write to it while the index builds.

use super::{created_note, table_created_here};
use crate::diagnostic::Diagnostic;
use crate::migrations::Ctx;
use crate::rules::sql::Context;
use crate::source::Dialect;
use crate::sql::{Statement, StmtKind};

pub fn check(stmt: &Statement, ctx: &Context, m: &Ctx, out: &mut Vec<Diagnostic>) {
    let StmtKind::CreateIndex {
        table,
        concurrently: false,
        ..
    } = &stmt.kind
    else {
        return;
    };
    if ctx.dialect != Dialect::Postgres || table_created_here(m, table) {
        return;
    }
    let t = m.schema.table(table);
    out.push(
        Diagnostic::new(
            "create-index-blocking",
            stmt.span,
            format!(
                "CREATE INDEX without CONCURRENTLY on `{}`{}, which existed before this \
                 migration: writes to the table wait until the index is built",
                table.display,
                created_note(m, t)
            ),
        )
        .label("takes a SHARE lock: INSERT, UPDATE and DELETE block for the whole build")
        .help(
            "use `CREATE INDEX CONCURRENTLY`; it cannot run inside a transaction, so take this \
             migration out of the per-migration transaction: dbmate `-- migrate:up \
             transaction:false`, goose `-- +goose NO TRANSACTION`, diesel \
             `run_in_transaction = false` in metadata.toml, Flyway `executeInTransaction=false` \
             (script config), Rails `disable_ddl_transaction!`, Django `atomic = False`",
        ),
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::migrations::testing::*;

    #[test]
    fn vectors() {
        fires(
            "create-index-blocking",
            "CREATE INDEX i ON orders (customer_id);",
        );
        silent(
            "create-index-blocking",
            "CREATE INDEX CONCURRENTLY i ON orders (customer_id);",
        );
        silent(
            "create-index-blocking",
            "CREATE TABLE t (a int); CREATE INDEX i ON t (a);",
        );
    }
}
