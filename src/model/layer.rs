//! The schema model's top layer: what the migration being checked did so far, statement by
//! statement, with spans into its text: created, dropped, renamed, backfilled. It records
//! every statement the rules see, also those the history ([`super::Schema`]'s tables, indexes
//! and views) does not replay: statements in routine bodies and down sides, `CREATE TABLE IF
//! NOT EXISTS` of a table that exists, objects other than tables, indexes and views, updates
//! of tables the history does not know. Read by the SQL rules ("created in this file, so
//! dropping it loses nothing") and by the live check ("not in the database yet").

use crate::source::Span;
use crate::sql::{AlterOp, ObjName, ObjectKind, Statement, StmtKind};
use std::collections::HashSet;

/// One recorded fact: what, where in its text, and from which file of the set (an index into
/// [`super::Schema::files`]).
#[derive(Debug, Clone)]
struct Entry<T> {
    what: T,
    span: Span,
    file: u32,
}

/// What earlier statements of the same migration did: objects it created (which it may drop
/// again without a finding, and which are not in a live database yet), tables it dropped,
/// renamed and columns it backfilled (an `UPDATE` before a `SET NOT NULL`). Entries of every
/// file of the migration are kept (a split migration is several files), those of earlier
/// migrations are dropped when the next one begins ([`Layer::begin`]).
#[derive(Debug, Default, Clone)]
pub struct Layer {
    /// The file being checked.
    current: u32,
    /// Earlier files of the same migration: what they did counts as done here, except their
    /// drops (a drop-recreate is judged within one text, whose spans it points at).
    earlier: Vec<u32>,
    created: Vec<Entry<(ObjectKind, ObjName)>>,
    /// Columns added: (table, column).
    added_columns: Vec<Entry<(ObjName, String)>>,
    /// Tables dropped that this migration had not created.
    dropped: Vec<Entry<ObjName>>,
    /// Every rename target (`RENAME TO`), created here or not.
    renamed: Vec<Entry<ObjName>>,
    /// Columns an `UPDATE` assigned: (table name, column, file).
    backfilled: HashSet<(String, String, u32)>,
}

impl Layer {
    /// File `current` starts; `earlier` are the files of its migration already checked.
    /// Entries of any other file are forgotten, unless `keep` says otherwise (a migration
    /// that continues after this file).
    pub fn begin(&mut self, current: u32, earlier: Vec<u32>, keep: impl Fn(u32) -> bool) {
        self.current = current;
        self.earlier = earlier;
        let keep = |f: u32| f == current || self.earlier.contains(&f) || keep(f);
        self.created.retain(|e| keep(e.file));
        self.added_columns.retain(|e| keep(e.file));
        self.renamed.retain(|e| keep(e.file));
        self.backfilled.retain(|e| keep(e.2));
        self.dropped.clear();
    }

    fn counts(&self, file: u32) -> bool {
        file == self.current || self.earlier.contains(&file)
    }

    /// Created by this migration: where in the current text (an empty span when an earlier
    /// file of the migration created it).
    pub fn created_here(&self, kind: &ObjectKind, name: &ObjName) -> Option<Span> {
        self.created
            .iter()
            .rev()
            .find(|e| self.counts(e.file) && e.what.0 == *kind && e.what.1.same_object(name))
            .map(|e| {
                if e.file == self.current {
                    e.span
                } else {
                    Span::new(0, 0)
                }
            })
    }
    pub fn column_added_here(&self, table: &ObjName, column: &str) -> bool {
        self.added_columns
            .iter()
            .any(|e| self.counts(e.file) && e.what.0.same_object(table) && e.what.1 == column)
    }
    /// A table the current text dropped (and had not created), with the DROP's span.
    pub fn dropped_here(&self, name: &ObjName) -> Option<Span> {
        self.dropped
            .iter()
            .rev()
            .find(|e| e.file == self.current && e.what.same_object(name))
            .map(|e| e.span)
    }

    /// Created (not as an index) or renamed to by this migration: not in a live database yet.
    pub fn created_or_renamed_here(&self, n: &ObjName) -> bool {
        self.created.iter().any(|e| {
            self.counts(e.file) && e.what.0 != ObjectKind::Index && e.what.1.same_object(n)
        }) || self
            .renamed
            .iter()
            .any(|e| self.counts(e.file) && e.what.same_object(n))
    }
    /// An `UPDATE` of this migration assigned `table.column`.
    pub fn backfilled(&self, table: &ObjName, column: &str) -> bool {
        let (t, c) = (table.name.clone(), column.to_string());
        std::iter::once(&self.current)
            .chain(&self.earlier)
            .any(|&f| self.backfilled.contains(&(t.clone(), c.clone(), f)))
    }

    fn entry<T>(&self, what: T, span: Span) -> Entry<T> {
        Entry {
            what,
            span,
            file: self.current,
        }
    }
    fn create(&mut self, kind: ObjectKind, name: &ObjName, span: Span) {
        self.created.push(self.entry((kind, name.clone()), span));
    }
    fn rename(&mut self, kind: &ObjectKind, from: &ObjName, to: &ObjName, span: Span) {
        if self.created_here(kind, from).is_some() {
            self.create(kind.clone(), to, span);
        }
        self.renamed.push(self.entry(to.clone(), span));
    }

    /// Record what `stmt` creates or drops. Called after the rules saw the statement.
    pub fn apply(&mut self, stmt: &Statement) {
        let span = stmt.span;
        match &stmt.kind {
            StmtKind::CreateTable { name, .. } => self.create(ObjectKind::Table, name, span),
            StmtKind::CreateView {
                name, materialized, ..
            } => {
                let k = if *materialized {
                    ObjectKind::MaterializedView
                } else {
                    ObjectKind::View
                };
                self.create(k, name, span)
            }
            StmtKind::CreateIndex { name: Some(n), .. } => self.create(ObjectKind::Index, n, span),
            StmtKind::CreateOther { object, name } => self.create(object.clone(), name, span),
            StmtKind::AlterTable { name, ops } => {
                for op in ops {
                    match op {
                        AlterOp::AddColumn(c) => {
                            let e = self.entry((name.clone(), c.name.clone()), span);
                            self.added_columns.push(e)
                        }
                        AlterOp::RenameTo(to) => self.rename(&ObjectKind::Table, name, to, span),
                        _ => {}
                    }
                }
            }
            StmtKind::RenameObject { object, from, to } => self.rename(object, from, to, span),
            StmtKind::RenameTable { from, to } => self.rename(&ObjectKind::Table, from, to, span),
            StmtKind::Update {
                table: Some(t),
                assignments,
                ..
            } => {
                for a in assignments {
                    let e = (t.name.clone(), a.column.clone(), self.current);
                    self.backfilled.insert(e);
                }
            }
            StmtKind::Drop {
                object: ObjectKind::Table,
                names,
                ..
            } => {
                for n in names {
                    if self.created_here(&ObjectKind::Table, n).is_none() {
                        let e = self.entry(n.clone(), span);
                        self.dropped.push(e);
                    }
                }
            }
            _ => {}
        }
    }
}

impl super::Schema {
    /// File `file` of the set is about to be checked: the layer keeps what the earlier files
    /// of its migration did (a split migration) and forgets the rest. `alone`: the file starts
    /// empty (a down file, an ORM migration file); `open`: a migration that may continue after
    /// it (a down file between the up files of a split migration), whose entries are kept.
    pub fn begin_layer(&mut self, file: u32, alone: bool, open: Option<u32>) {
        let migration_of = &self.migration_of;
        let of = |f: u32| migration_of.get(f as usize).copied();
        let earlier = match of(file) {
            Some(m) if !alone => (m..file).filter(|&f| of(f) == Some(m)).collect(),
            _ => Vec::new(),
        };
        let keep = |f: u32| open.is_some() && of(f) == open;
        self.layer.begin(file, earlier, keep);
    }
}

#[cfg(test)]
mod tests {
    use super::Layer;
    use crate::source::{Dialect, Span};
    use crate::sql::{ObjName, ObjectKind, Options, analyze};

    fn record(l: &mut Layer, src: &str) {
        for s in analyze(src, Dialect::Postgres, Options::default()) {
            l.apply(&s);
        }
    }
    fn name(n: &str) -> ObjName {
        let parts: Vec<(String, bool)> = n.split('.').map(|p| (p.to_string(), false)).collect();
        ObjName::from_parts(&parts)
    }

    #[test]
    fn a_split_migration_shares_its_layer_and_the_next_migration_starts_empty() {
        let t = ObjectKind::Table;
        let mut l = Layer::default();
        l.begin(0, Vec::new(), |_| false);
        record(
            &mut l,
            "CREATE TABLE a (id int);\nDROP TABLE b;\nUPDATE c SET x = 1;\n",
        );
        let span = l.created_here(&t, &name("public.a"));
        assert!(span.is_some_and(|s| s.start == 0 && s.end > 20), "{span:?}");
        assert!(l.dropped_here(&name("b")).is_some() && l.backfilled(&name("c"), "x"));
        // file 1 continues the migration of file 0: its creations count, its drops do not
        l.begin(1, vec![0], |_| false);
        assert_eq!(l.created_here(&t, &name("a")), Some(Span::new(0, 0)));
        assert!(l.dropped_here(&name("b")).is_none() && l.backfilled(&name("c"), "x"));
        record(&mut l, "ALTER TABLE a RENAME TO a2;\n");
        assert!(l.created_or_renamed_here(&name("a2")));
        // a down file in between sees nothing, and the migration's entries survive it
        l.begin(2, Vec::new(), |f| f < 2);
        assert!(l.created_here(&t, &name("a")).is_none());
        l.begin(3, vec![0, 1], |_| false);
        assert!(l.created_here(&t, &name("a2")).is_some());
        // a new migration
        l.begin(4, Vec::new(), |_| false);
        assert!(l.created_here(&t, &name("a2")).is_none() && !l.backfilled(&name("c"), "x"));
        assert!(l.created.is_empty() && l.renamed.is_empty() && l.backfilled.is_empty());
    }

    #[test]
    fn what_the_history_skips_is_recorded() {
        let mut l = Layer::default();
        record(
            &mut l,
            "CREATE TABLE IF NOT EXISTS a (id int);\nCREATE SEQUENCE s;\n\
             CREATE FUNCTION f() RETURNS void AS $$ BEGIN CREATE TABLE tmp (x int); END $$ \
             LANGUAGE plpgsql;\n",
        );
        assert!(l.created_here(&ObjectKind::Table, &name("a")).is_some());
        assert!(l.created_here(&ObjectKind::Sequence, &name("s")).is_some());
        assert!(l.created_here(&ObjectKind::Table, &name("tmp")).is_some());
    }
}
