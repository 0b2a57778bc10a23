//! `rename-column`: renaming a column breaks every query that uses the old name; an error
//! when a view or foreign key the migrations created still refers to it.

use super::{alter_of_existing_table, view_dependency, with_renamed};
use crate::diagnostic::{Diagnostic, Severity};
use crate::migrations::Ctx;
use crate::model::schema::key;
use crate::rules::sql::Context;
use crate::sql::{AlterOp, Statement};

pub fn check(stmt: &Statement, _ctx: &Context, m: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some((name, ops)) = alter_of_existing_table(stmt, m) else {
        return;
    };
    let s = m.schema;
    let table = s.table(name);
    let tk = key(name);
    for (i, op) in ops.iter().enumerate() {
        let (from, to) = match op {
            AlterOp::RenameColumn { from, to } => (from, to),
            // MySQL `CHANGE a A`: column names are case-insensitive, so no rename
            AlterOp::Redefine { from, column } if !from.eq_ignore_ascii_case(&column.name) => {
                (from, &column.name)
            }
            _ => continue,
        };
        let col = table.and_then(|t| t.column(from));
        // created here, or given its name by a rename earlier in this file (that rename is
        // the one reported: the name in between never existed outside this migration)
        if col.is_some_and(|c| m.here(Some(c.created)) || c.renamed_in == Some(m.file)) {
            continue;
        }
        let mut deps = Vec::new();
        for v in s.views_on(&tk) {
            if v.idents.contains(from) {
                deps.push(view_dependency(m, v));
            }
        }
        // indexes are not listed: PostgreSQL, MySQL and SQLite rename the column inside them
        // (and Rails renames the index itself), so none of them breaks
        if let Some(t) = table {
            for fk in t.foreign_keys.iter().filter(|fk| fk.columns.contains(from)) {
                let target = s.table_display(&fk.table);
                deps.push(format!(
                    "its foreign key to `{target}` ({})",
                    m.at(fk.origin).trim_start_matches("in ")
                ));
            }
        }
        for (t, fk) in s.references_to(&tk) {
            if fk.ref_columns.contains(from) {
                deps.push(format!(
                    "foreign key from `{}` ({})",
                    t.display,
                    m.at(fk.origin).trim_start_matches("in ")
                ));
            }
        }
        let created = col.map_or(String::new(), |c| format!(" (created {})", m.at(c.created)));
        let mut msg = format!(
            "RENAME COLUMN `{}.{from}`{created} to `{to}`: every query, view and application \
             code that still uses `{from}` breaks",
            name.display
        );
        let sev = if deps.is_empty() {
            Severity::Warning
        } else {
            msg.push_str(&format!(
                "; still referring to `{from}`: {}",
                deps.join(", ")
            ));
            Severity::Error
        };
        out.push(
            with_renamed(
                Diagnostic::new("rename-column", stmt.span, msg),
                serde_json::json!({
                    "kind": "column", "table": name.display, "from": from, "to": to
                }),
            )
            .severity(sev)
            .at_action(stmt.action(i))
            .label("the old name stops working here")
            .help(
                "add the new column, write to both, backfill, move readers over, and drop the \
                     old column in a later release (expand/contract); or keep the old name",
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Severity;
    use crate::rules::migrations::testing::*;

    #[test]
    fn vectors() {
        let rename = "ALTER TABLE orders RENAME COLUMN customer_id TO client_id;";
        for (before, want) in [
            ("", Severity::Warning),
            (
                "CREATE VIEW v AS SELECT customer_id FROM orders;\n",
                Severity::Error,
            ),
            // a view on another column does not make it an error
            (
                "CREATE VIEW v AS SELECT total FROM orders;\n",
                Severity::Warning,
            ),
        ] {
            let sql = format!("{before}{rename}");
            assert_eq!(severity_of("rename-column", &sql), Some(want), "{sql}");
        }
        silent(
            "rename-column",
            "CREATE TABLE t (a int); ALTER TABLE t RENAME COLUMN a TO b;",
        );
        silent(
            "rename-column",
            "ALTER TABLE t ADD COLUMN a int; ALTER TABLE t RENAME COLUMN a TO b;",
        );
        silent("rename-column", "ALTER TABLE t RENAME TO u;");
    }
}
