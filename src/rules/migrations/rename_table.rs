//! `rename-table`: renaming a table breaks every query that uses the old name; an error when
//! a view or foreign key the migrations created still refers to it.

use super::{view_dependency, with_renamed};
use crate::diagnostic::{Diagnostic, Severity};
use crate::migrations::Ctx;
use crate::model::schema::key;
use crate::rules::sql::Context;
use crate::sql::{AlterOp, ObjName, Statement, StmtKind};

pub fn check(stmt: &Statement, _ctx: &Context, m: &Ctx, out: &mut Vec<Diagnostic>) {
    let (from, to, action): (&ObjName, &ObjName, _) = match &stmt.kind {
        StmtKind::RenameTable { from, to } => (from, to, None),
        StmtKind::AlterTable { name, ops } => {
            match ops.iter().enumerate().find_map(|(i, op)| match op {
                AlterOp::RenameTo(to) => Some((i, to)),
                _ => None,
            }) {
                Some((i, to)) => (name, to, stmt.action(i)),
                None => return,
            }
        }
        _ => return,
    };
    let s = m.schema;
    let table = s.table(from);
    if m.here(table.and_then(|t| t.created)) {
        return;
    }
    // `ALTER TABLE orders_id_seq RENAME TO …` renames the sequence behind a serial column
    // (PostgreSQL takes ALTER TABLE for sequences); the column default follows it by OID, and
    // the table's own rename is the finding
    if table.is_none() && from.name.to_ascii_lowercase().ends_with("_seq") {
        return;
    }
    let tk = key(from);
    let mut deps = Vec::new();
    for v in s.views_on(&tk) {
        deps.push(view_dependency(m, v));
    }
    for (t, fk) in s.references_to(&tk) {
        if t.display != from.display {
            deps.push(format!(
                "foreign key from `{}` ({})",
                t.display,
                m.at(fk.origin).trim_start_matches("in ")
            ));
        }
    }
    let created = table
        .and_then(|t| t.created)
        .map_or(String::new(), |o| format!(" (created {})", m.at(o)));
    let mut msg = format!(
        "RENAME of table `{}`{created} to `{}`: every query and application code that still uses \
         `{}` breaks",
        from.display, to.display, from.display
    );
    let sev = if deps.is_empty() {
        Severity::Warning
    } else {
        msg.push_str(&format!("; still referring to it: {}", deps.join(", ")));
        Severity::Error
    };
    out.push(
        with_renamed(
            Diagnostic::new("rename-table", stmt.span, msg),
            serde_json::json!({"kind": "table", "from": from.name, "to": to.name}),
        )
        .severity(sev)
        .at_action(action)
        .label("the old name stops working here")
        .help(
            "rename, then create a view with the old name (`CREATE VIEW old AS SELECT * FROM \
                 new`) until every reader has moved; drop the view in a later release",
        ),
    );
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Severity;
    use crate::rules::migrations::testing::*;

    #[test]
    fn vectors() {
        assert_eq!(
            severity_of("rename-table", "ALTER TABLE orders RENAME TO purchases;"),
            Some(Severity::Warning)
        );
        assert_eq!(
            severity_of(
                "rename-table",
                "CREATE VIEW v AS SELECT * FROM orders; ALTER TABLE orders RENAME TO purchases;"
            ),
            Some(Severity::Error)
        );
        fires("rename-table", "RENAME TABLE a TO b;");
        silent(
            "rename-table",
            "CREATE TABLE tmp (a int); ALTER TABLE tmp RENAME TO real_t;",
        );
        silent("rename-table", "ALTER TABLE orders RENAME COLUMN a TO b;");
        // the serial's sequence, renamed with its table
        silent(
            "rename-table",
            "ALTER TABLE orders_id_seq RENAME TO purchases_id_seq;",
        );
        // a table named *_seq that earlier migrations created still fires: see
        // tests/migrations.rs, sequence_renames_are_not_table_renames
    }
}
