//! Rules that judge a statement against the schema the earlier migrations built
//! ([`crate::migrations::schema`]). Outside a migration set the schema holds what the file
//! itself created; a table it did not create is taken to exist already.

pub mod add_not_null_without_default;
pub mod alter_column_type;
pub mod create_index_blocking;
pub mod rename_column;
pub mod rename_table;
pub mod set_not_null;

use crate::diagnostic::Diagnostic;
use crate::migrations::Ctx;
use crate::model::schema::{Table, View};
use crate::sql::{AlterOp, ObjName, Statement, StmtKind};

/// What the model knows of a table's past, as a message clause: ", which existed before this
/// migration (created in 0001_init.sql:3)" for a table an earlier file created, ", which this
/// migration did not create" for one the model never saw created (it may be older than the
/// set, or made by something the model does not read).
pub fn existed_clause(m: &Ctx, t: Option<&Table>) -> String {
    match t.and_then(|t| t.created) {
        Some(o) if !m.this_migration(o.file) => {
            format!(
                ", which existed before this migration (created {})",
                m.at(o)
            )
        }
        _ => ", which this migration did not create".to_string(),
    }
}

/// Record the rename in the finding's JSON (`"renamed": {kind, from, to}`), which
/// `--references` reads.
pub fn with_renamed(mut d: Diagnostic, renamed: serde_json::Value) -> Diagnostic {
    d.extra
        .get_or_insert_with(Default::default)
        .insert("renamed".to_string(), renamed);
    d
}

/// The table was created by the file being checked (its rows cannot predate this file).
pub fn table_created_here(m: &Ctx, name: &ObjName) -> bool {
    m.here(m.schema.table(name).and_then(|t| t.created))
}

/// The table and operations of an `ALTER TABLE` on a table the file being checked did not
/// create (an `ALTER` of a table created here cannot hurt rows that predate the file).
pub fn alter_of_existing_table<'s>(
    stmt: &'s Statement,
    m: &Ctx,
) -> Option<(&'s ObjName, &'s [AlterOp])> {
    let StmtKind::AlterTable { name, ops } = &stmt.kind else {
        return None;
    };
    (!table_created_here(m, name)).then_some((name, ops.as_slice()))
}

/// "view `v` (0001_init.sql:3)", "materialized view `v` (on line 3 of this file)".
pub fn view_dependency(m: &Ctx, v: &View) -> String {
    let kind = if v.materialized {
        "materialized view"
    } else {
        "view"
    };
    format!(
        "{kind} `{}` ({})",
        v.display,
        m.at(v.created).trim_start_matches("in ")
    )
}

#[cfg(test)]
pub mod testing {
    //! Multi-statement vectors: the file's own statements build the schema.
    use crate::check::{SqlOptions, check_sql};
    use crate::diagnostic::Severity;
    pub use crate::rules::sql::testing::{fires, silent};
    use crate::source::Dialect;

    pub fn severity_of(rule: &str, src: &str) -> Option<Severity> {
        check_sql(src, Dialect::Postgres, &SqlOptions::default())
            .into_iter()
            .find(|d| d.rule == rule)
            .map(|d| d.severity)
    }
    pub fn message_of(rule: &str, src: &str) -> String {
        check_sql(src, Dialect::Postgres, &SqlOptions::default())
            .into_iter()
            .find(|d| d.rule == rule)
            .map(|d| d.message)
            .unwrap_or_default()
    }
}
