//! `set-not-null`: `SET NOT NULL` (or MySQL `MODIFY … NOT NULL`) on a column that may still
//! hold NULLs at that point: nullable since its creation or a `DROP NOT NULL`, and no backfill
//! runs before it in the same migration.

use super::alter_of_existing_table;
use crate::diagnostic::{Diagnostic, Severity};
use crate::migrations::Ctx;
use crate::rules::sql::Context;
use crate::sql::{AlterOp, Statement};

const HELP: &str = "backfill first in the same migration (`UPDATE t SET col = <value> WHERE col \
    IS NULL`), then SET NOT NULL; on a large PostgreSQL table add `CHECK (col IS NOT NULL) NOT \
    VALID`, `VALIDATE CONSTRAINT` it, then SET NOT NULL without a long lock";

pub fn check(stmt: &Statement, _ctx: &Context, m: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some((name, ops)) = alter_of_existing_table(stmt, m) else {
        return;
    };
    let table = m.schema.table(name);
    for (i, op) in ops.iter().enumerate() {
        let column = match op {
            AlterOp::SetNotNull { column } => column,
            AlterOp::Redefine { from, column } if column.not_null => from,
            _ => continue,
        };
        let shown = format!("{}.{column}", name.display);
        match table.and_then(|t| t.column(column)) {
            Some(c) if !c.nullable => {}
            Some(c) if c.backfilled_in == Some(m.file) => {}
            // created with a non-NULL default, here or in an earlier migration, and never made
            // nullable or stripped of it since: the rows it was added to got the default, and
            // every row written since holds a value unless the application wrote NULL itself
            Some(c) if c.filled_by_default && !c.made_nullable => {}
            Some(c) => {
                let how = if c.made_nullable {
                    format!("was made nullable {}", m.at(c.nullable_since))
                } else {
                    format!("was created nullable {}", m.at(c.created))
                };
                out.push(
                    Diagnostic::new(
                        "set-not-null",
                        stmt.span,
                        format!(
                            "column `{shown}` {how} and no backfill runs before it is made NOT NULL \
                             here: the migration fails on the first row that still holds NULL"
                        ),
                    )
                    .at_action(stmt.action(i))
                    .label(
                        "fails if any row holds NULL, and scans the table under an exclusive lock",
                    )
                    .help(HELP),
                );
            }
            None => {
                let why = match table {
                    Some(t) if t.columns_known => "is not in the schema the migrations built",
                    _ => "was not created by the migrations preflight read",
                };
                out.push(
                    Diagnostic::new(
                        "set-not-null",
                        stmt.span,
                        format!(
                            "SET NOT NULL on `{shown}`, whose nullability is unknown here (the \
                             column {why}): it fails if any row holds NULL"
                        ),
                    )
                    .severity(Severity::Warning)
                    .at_action(stmt.action(i))
                    .label("fails if any row holds NULL")
                    .help(HELP),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Severity;
    use crate::rules::migrations::testing::*;

    #[test]
    fn vectors() {
        // single file: the table is created here, so no rows can predate it
        silent(
            "set-not-null",
            "CREATE TABLE o (id int, n text); ALTER TABLE o ALTER COLUMN n SET NOT NULL;",
        );
        // column added nullable to an existing table, then SET NOT NULL: fails on old rows
        fires(
            "set-not-null",
            "ALTER TABLE orders ADD COLUMN n text; ALTER TABLE orders ALTER COLUMN n SET NOT NULL;",
        );
        silent(
            "set-not-null",
            "ALTER TABLE orders ADD COLUMN n text DEFAULT ''; ALTER TABLE orders ALTER n SET NOT NULL;",
        );
        silent(
            "set-not-null",
            "ALTER TABLE orders ADD COLUMN n text; UPDATE orders SET n = '' WHERE n IS NULL; \
             ALTER TABLE orders ALTER COLUMN n SET NOT NULL;",
        );
        silent(
            "set-not-null",
            "ALTER TABLE orders ADD COLUMN n text; UPDATE orders SET n = 'x'; \
             ALTER TABLE orders ALTER COLUMN n SET NOT NULL;",
        );
        // a backfill that sets NULL, or only some rows, is not one
        fires(
            "set-not-null",
            "ALTER TABLE orders ADD COLUMN n text; UPDATE orders SET n = NULL; \
             ALTER TABLE orders ALTER COLUMN n SET NOT NULL;",
        );
        fires(
            "set-not-null",
            "ALTER TABLE orders ADD COLUMN n text; UPDATE orders SET n = 'x' WHERE id < 10; \
             ALTER TABLE orders ALTER COLUMN n SET NOT NULL;",
        );
        assert_eq!(
            severity_of("set-not-null", "ALTER TABLE t ALTER COLUMN c SET NOT NULL;"),
            Some(Severity::Warning)
        );
        silent(
            "set-not-null",
            "ALTER TABLE t ALTER COLUMN c DROP NOT NULL;",
        );
    }
}
