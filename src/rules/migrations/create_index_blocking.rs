//! `create-index-blocking`: PostgreSQL `CREATE INDEX` without `CONCURRENTLY` on a table that
//! existed before this migration blocks every write to it while the index builds.

use super::{existed_clause, table_created_here};
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
    // a materialized view: nobody writes to it, REFRESH waits; one created in this file
    // holds no reader yet
    let view = if t.is_none() {
        m.schema
            .views
            .get(&crate::model::schema::key(table))
            .filter(|v| v.materialized)
    } else {
        None
    };
    let (message, label) = match view {
        Some(v) if v.created.file == m.file => return,
        Some(v) => (
            format!(
                "CREATE INDEX without CONCURRENTLY on materialized view `{}`, which existed \
                 before this migration (created {}): REFRESH MATERIALIZED VIEW waits until the \
                 index is built",
                table.display,
                m.at(v.created)
            ),
            "takes a SHARE lock: a REFRESH blocks for the whole build",
        ),
        None => (
            format!(
                "CREATE INDEX without CONCURRENTLY on `{}`{}: writes to the table wait until \
                 the index is built",
                table.display,
                existed_clause(m, t)
            ),
            "takes a SHARE lock: INSERT, UPDATE and DELETE block for the whole build",
        ),
    };
    out.push(
        Diagnostic::new("create-index-blocking", stmt.span, message)
            .label(label)
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
        // a materialized view created a few lines earlier has no reader yet
        silent(
            "create-index-blocking",
            "CREATE MATERIALIZED VIEW mv AS SELECT a FROM t;\nSELECT 1;\nCREATE INDEX i ON mv (a);",
        );
    }

    #[test]
    fn claims_only_what_the_model_knows() {
        // a table this file did not create and the model never saw created: no "existed
        // before" claim
        let m = message_of(
            "create-index-blocking",
            "CREATE INDEX i ON orders (customer_id);",
        );
        assert!(m.contains("which this migration did not create"), "{m}");
        assert!(!m.contains("existed before"), "{m}");
    }
}
