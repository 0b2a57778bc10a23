//! `add-not-null-without-default`: `ADD COLUMN … NOT NULL` without a DEFAULT on a table that
//! existed before this migration.

use super::{alter_of_existing_table, existed_clause};
use crate::diagnostic::Diagnostic;
use crate::migrations::Ctx;
use crate::rules::sql::Context;
use crate::sql::{AlterOp, Statement};

pub fn check(stmt: &Statement, _ctx: &Context, m: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some((name, ops)) = alter_of_existing_table(stmt, m) else {
        return;
    };
    for (i, op) in ops.iter().enumerate() {
        let AlterOp::AddColumn(c) = op else { continue };
        if !c.not_null || c.has_default {
            continue;
        }
        // `DELETE FROM t` earlier in this migration emptied the table: no row lacks a value
        if m.schema
            .table(name)
            .is_some_and(|t| t.emptied_in.is_some_and(|f| m.this_migration(f)))
        {
            continue;
        }
        let existed = existed_clause(m, m.schema.table(name));
        out.push(
            Diagnostic::new(
                "add-not-null-without-default",
                stmt.span,
                format!(
                    "ADD COLUMN `{}` NOT NULL without a DEFAULT on table `{}`{existed}: the \
                     column has no value for its existing rows — the migration fails on any \
                     non-empty table (MySQL silently fills in 0 or '')",
                    c.name, name.display
                ),
            )
            .at_action(stmt.action(i))
            .label("existing rows get no value for this column")
            .help(
                "add the column nullable (or with a DEFAULT), backfill it, then SET NOT NULL in a \
                 later step",
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::migrations::testing::*;

    #[test]
    fn vectors() {
        fires(
            "add-not-null-without-default",
            "ALTER TABLE orders ADD COLUMN region text NOT NULL;",
        );
        silent(
            "add-not-null-without-default",
            "ALTER TABLE orders ADD COLUMN region text NOT NULL DEFAULT 'eu';",
        );
        silent(
            "add-not-null-without-default",
            "ALTER TABLE orders ADD COLUMN region text;",
        );
        silent(
            "add-not-null-without-default",
            "ALTER TABLE orders ADD COLUMN id bigserial NOT NULL;",
        );
        silent(
            "add-not-null-without-default",
            "CREATE TABLE t (a int); ALTER TABLE t ADD COLUMN b int NOT NULL;",
        );
    }

    #[test]
    fn auto_increment_gives_every_row_a_value() {
        let rules = |sql: &str| -> Vec<String> {
            crate::check::check_sql(
                sql,
                crate::source::Dialect::Mysql,
                &crate::check::SqlOptions::default(),
            )
            .into_iter()
            .map(|d| d.rule)
            .collect()
        };
        let r = rules("ALTER TABLE m ADD COLUMN `id` int(11) unsigned PRIMARY KEY AUTO_INCREMENT;");
        assert!(
            !r.iter().any(|r| r == "add-not-null-without-default"),
            "{r:?}"
        );
        // near miss: NOT NULL, no default, no AUTO_INCREMENT
        let r = rules("ALTER TABLE m ADD COLUMN zone_id CHAR(36) NOT NULL;");
        assert!(
            r.iter().any(|r| r == "add-not-null-without-default"),
            "{r:?}"
        );
    }
}
