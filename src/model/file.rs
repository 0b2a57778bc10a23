//! What one SQL text did so far, statement by statement, with spans into the text: created,
//! dropped, renamed, backfilled. Read by the SQL rules ("created in this file, so dropping it
//! loses nothing") and by the live check ("not in the database yet").

use crate::source::Span;
use crate::sql::{AlterOp, ObjName, ObjectKind, Statement, StmtKind};
use std::collections::HashSet;

/// What earlier statements of the same file or change did: objects it created (which it may
/// drop again without a finding, and which are not in a live database yet), tables it
/// dropped, renamed and columns it backfilled (an `UPDATE` before a `SET NOT NULL`).
#[derive(Debug, Default, Clone)]
pub struct FileState {
    pub created: Vec<(ObjectKind, ObjName, Span)>,
    /// Columns added by this file: (table, column).
    pub added_columns: Vec<(ObjName, String)>,
    pub dropped: Vec<(ObjName, Span)>,
    /// Every rename target (`RENAME TO`), created here or not.
    pub renamed: Vec<ObjName>,
    /// Columns an `UPDATE` of this file assigned: (table name, column).
    pub backfilled: HashSet<(String, String)>,
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

    /// Created (not as an index) or renamed to by this file: not in a live database yet.
    pub fn created_or_renamed_here(&self, n: &ObjName) -> bool {
        self.created
            .iter()
            .any(|(k, c, _)| *k != ObjectKind::Index && c.same_object(n))
            || self.renamed.iter().any(|c| c.same_object(n))
    }
    /// An `UPDATE` of this file assigned `table.column`.
    pub fn backfilled(&self, table: &ObjName, column: &str) -> bool {
        self.backfilled
            .contains(&(table.name.clone(), column.to_string()))
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
                        AlterOp::RenameTo(to) => {
                            if self.created_here(&ObjectKind::Table, name).is_some() {
                                self.created
                                    .push((ObjectKind::Table, to.clone(), stmt.span));
                            }
                            self.renamed.push(to.clone());
                        }
                        _ => {}
                    }
                }
            }
            StmtKind::RenameObject { object, from, to } => {
                if self.created_here(object, from).is_some() {
                    self.created.push((object.clone(), to.clone(), stmt.span));
                }
                self.renamed.push(to.clone());
            }
            StmtKind::RenameTable { from, to } => {
                if self.created_here(&ObjectKind::Table, from).is_some() {
                    self.created
                        .push((ObjectKind::Table, to.clone(), stmt.span));
                }
                self.renamed.push(to.clone());
            }
            StmtKind::Update {
                table: Some(t),
                assignments,
                ..
            } => {
                for a in assignments {
                    self.backfilled.insert((t.name.clone(), a.column.clone()));
                }
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
