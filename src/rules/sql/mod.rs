//! Rules that read one SQL statement, with what the file (or migration change) did before it.

pub mod cascade;
pub mod delete_null_predicate;
pub mod delete_without_where;
pub mod drop_column;
pub mod drop_database;
pub mod drop_if_exists;
pub mod drop_index;
pub mod drop_recreate;
pub mod drop_schema;
pub mod drop_table;
pub mod tautological_where;
pub mod truncate;
pub mod update_without_where;

use crate::source::{Dialect, Span};
use crate::sql::{AlterOp, ObjName, ObjectKind, Statement, StmtKind};

/// What earlier statements of the same file or change did: objects it created (which it may
/// drop again without a finding) and tables it dropped.
#[derive(Debug, Default, Clone)]
pub struct FileState {
    pub created: Vec<(ObjectKind, ObjName, Span)>,
    /// Columns added by this file: (table, column).
    pub added_columns: Vec<(ObjName, String)>,
    pub dropped: Vec<(ObjName, Span)>,
}

impl FileState {
    pub fn created_here(&self, kind: &ObjectKind, name: &ObjName) -> Option<Span> {
        self.created
            .iter()
            .rev()
            .find(|(k, n, _)| k == kind && n.same_object(name))
            .map(|(_, _, s)| *s)
    }
    pub fn column_added_here(&self, table: &ObjName, column: &str) -> bool {
        self.added_columns
            .iter()
            .any(|(t, c)| t.same_object(table) && c == column)
    }
    pub fn dropped_here(&self, name: &ObjName) -> Option<Span> {
        self.dropped
            .iter()
            .rev()
            .find(|(n, _)| n.same_object(name))
            .map(|(_, s)| *s)
    }

    /// Record what `stmt` creates or drops. Called after the rules saw the statement.
    pub fn apply(&mut self, stmt: &Statement) {
        match &stmt.kind {
            StmtKind::CreateTable { name, .. } => {
                self.created
                    .push((ObjectKind::Table, name.clone(), stmt.span))
            }
            StmtKind::CreateView {
                name, materialized, ..
            } => {
                let k = if *materialized {
                    ObjectKind::MaterializedView
                } else {
                    ObjectKind::View
                };
                self.created.push((k, name.clone(), stmt.span))
            }
            StmtKind::CreateIndex { name: Some(n), .. } => {
                self.created.push((ObjectKind::Index, n.clone(), stmt.span))
            }
            StmtKind::CreateOther { object, name } => {
                self.created.push((object.clone(), name.clone(), stmt.span))
            }
            StmtKind::AlterTable { name, ops } => {
                for op in ops {
                    match op {
                        AlterOp::AddColumn(c) => {
                            self.added_columns.push((name.clone(), c.name.clone()))
                        }
                        AlterOp::RenameTo(to)
                            if self.created_here(&ObjectKind::Table, name).is_some() =>
                        {
                            self.created
                                .push((ObjectKind::Table, to.clone(), stmt.span));
                        }
                        _ => {}
                    }
                }
            }
            StmtKind::RenameObject { object, from, to }
                if self.created_here(object, from).is_some() =>
            {
                self.created.push((object.clone(), to.clone(), stmt.span));
            }
            StmtKind::RenameTable { from, to }
                if self.created_here(&ObjectKind::Table, from).is_some() =>
            {
                self.created
                    .push((ObjectKind::Table, to.clone(), stmt.span));
            }
            StmtKind::Drop {
                object: ObjectKind::Table,
                names,
                ..
            } => {
                for n in names {
                    if self.created_here(&ObjectKind::Table, n).is_none() {
                        self.dropped.push((n.clone(), stmt.span));
                    }
                }
            }
            _ => {}
        }
    }
}

/// Everything a SQL rule may look at besides the statement.
pub struct Context<'a> {
    /// The text the statement spans point into.
    pub src: &'a str,
    pub dialect: Dialect,
    pub file: &'a FileState,
    /// The file is a down/rollback migration: the drop rules do not apply.
    pub down: bool,
}

impl Context<'_> {
    pub fn text(&self, span: Span) -> &str {
        self.src.get(span.start..span.end).unwrap_or("")
    }
}

/// The names among `names` that were not created earlier in this file.
pub fn preexisting<'n>(ctx: &Context, kind: &ObjectKind, names: &'n [ObjName]) -> Vec<&'n ObjName> {
    names
        .iter()
        .filter(|n| ctx.file.created_here(kind, n).is_none())
        .collect()
}

/// `a`, `` `a` and `b` ``, … for messages.
pub fn list(names: &[&ObjName]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{}`", n.display)).collect();
    match quoted.len() {
        0 => String::new(),
        1 => quoted[0].clone(),
        n => format!("{} and {}", quoted[..n - 1].join(", "), quoted[n - 1]),
    }
}

/// `` `orders` `` or, when the front end could not tell, "the table".
pub fn table_phrase(table: Option<&ObjName>) -> String {
    table.map_or("the table".to_string(), |t| format!("`{}`", t.display))
}

pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        one.to_string()
    } else {
        many.to_string()
    }
}

#[cfg(test)]
pub mod testing {
    //! `fires` / `silent` vectors for the rules' own tests.
    use crate::rules::testing::{fires_in, silent_in};
    use crate::source::Lang;

    pub fn fires(rule: &str, src: &str) {
        fires_in(Lang::Sql, rule, src)
    }
    pub fn silent(rule: &str, src: &str) {
        silent_in(Lang::Sql, rule, src)
    }
}
