//! The schema as the migrations build it: tables, columns, keys, indexes and views, each with
//! the file and line that created it, and on top the [`Layer`] of the migration being checked.
//! Statements the model does not understand leave it unchanged (they are counted, never fatal).

use super::Layer;
use super::lookup::{ByName, KeyPair};
use crate::sql::{AlterOp, ColumnFacts, ObjName, ObjectKind, Statement, StmtKind};
use sqlparser::ast::{self as ast, Expr};
use std::collections::HashMap;
use std::ops::ControlFlow;

/// Where something happened: a file of the set (index into [`Schema::files`]) and a 1-based line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Origin {
    pub file: u32,
    pub line: u32,
}

/// Comparison key of an object: (schema, name), a missing schema counted as `public`.
pub type Key = (String, String);

pub fn key(n: &ObjName) -> Key {
    (
        n.schema.clone().unwrap_or_else(|| "public".to_string()),
        n.name.clone(),
    )
}

#[derive(Clone, Debug)]
pub struct Column {
    pub name: String,
    pub data_type: String,
    pub nullable: bool,
    pub has_default: bool,
    /// Every row has held a value since the column was created: it came with a non-NULL
    /// DEFAULT (which filled the rows it was added to) that was never dropped since.
    pub filled_by_default: bool,
    pub created: Origin,
    /// Where the column became nullable (its creation, or a later DROP NOT NULL).
    pub nullable_since: Origin,
    /// Made nullable by `DROP NOT NULL` / a redefinition, not at creation.
    pub made_nullable: bool,
    /// File in which an UPDATE filled the column's NULLs.
    pub backfilled_in: Option<u32>,
    /// File whose rename gave the column its current name.
    pub renamed_in: Option<u32>,
}

#[derive(Clone, Debug)]
pub struct ForeignKey {
    pub columns: Vec<String>,
    pub table: Key,
    pub ref_columns: Vec<String>,
    pub origin: Origin,
}

#[derive(Clone, Debug)]
pub struct Table {
    pub display: String,
    /// `None` for a table the model only knows from ALTERs (created before the set began).
    pub created: Option<Origin>,
    /// Files (other than the creating one) that altered the table, in order, deduplicated.
    pub altered_in: Vec<u32>,
    /// False when the column list is incomplete (CREATE TABLE AS, a table known only from
    /// ALTERs): an unknown column is then "unknown", not "absent".
    pub columns_known: bool,
    pub columns: Vec<Column>,
    pub primary_key: Vec<String>,
    pub unique: Vec<Vec<String>>,
    pub foreign_keys: Vec<ForeignKey>,
    /// File in which a `DELETE FROM t` without WHERE emptied the table.
    pub emptied_in: Option<u32>,
}

impl Table {
    /// The column named `name` (in another case when no exact match: [`super::keys`]).
    pub fn column(&self, name: &str) -> Option<&Column> {
        let i = super::keys::column_index(&self.columns, name)?;
        self.columns.get(i)
    }
    fn column_mut(&mut self, name: &str) -> Option<&mut Column> {
        let i = super::keys::column_index(&self.columns, name)?;
        self.columns.get_mut(i)
    }
}

#[derive(Clone, Debug)]
pub struct Index {
    pub display: String,
    pub table: Key,
    /// Identifiers in the index's columns and expressions.
    pub columns: Vec<String>,
    pub unique: bool,
    pub created: Origin,
    /// A b-tree on bare columns; `partial`: a WHERE leaves rows out ([`crate::idioms::index_shape`]).
    pub bare: bool,
    pub partial: bool,
}

#[derive(Clone, Debug)]
pub struct View {
    pub display: String,
    pub materialized: bool,
    pub tables: Vec<Key>,
    /// Identifiers the query mentions (column names, unqualified or the last part).
    pub idents: Vec<String>,
    pub created: Origin,
}

#[derive(Clone, Debug, Default)]
pub struct Schema {
    /// File names (relative to the set directory) by index.
    pub files: Vec<String>,
    pub tables: HashMap<Key, Table>,
    pub indexes: HashMap<Key, Index>,
    pub views: HashMap<Key, View>,
    /// Tables dropped, with where.
    pub dropped_tables: HashMap<Key, Origin>,
    /// DDL statements the model could not apply: (origin, first keyword).
    pub not_understood: Vec<(Origin, String)>,
    /// The schema dump that seeded the model (it may show the final state, so the set's own
    /// CREATEs, even `IF NOT EXISTS`, replace what it says).
    pub seed_file: Option<u32>,
    /// The migration each file belongs to, by file index: files of one split migration
    /// (ory/popx `<timestamp><6-digit sequence>_name.up.sql`) share it.
    pub migration_of: Vec<u32>,
    /// What the migration being checked did, statement by statement ([`Layer`]).
    pub layer: Layer,
}

impl Schema {
    /// A table's name as written where it was created (the bare key when the model does
    /// not know it).
    pub fn table_display<'a>(&'a self, table: &'a Key) -> &'a str {
        self.tables
            .get(table)
            .map_or(table.1.as_str(), |t| &t.display)
    }

    pub fn table(&self, n: &ObjName) -> Option<&Table> {
        self.tables.get(&ByName(n) as &dyn KeyPair)
    }
    /// Files `a` and `b` belong to the same migration (the same file, or one split migration).
    pub fn same_migration(&self, a: u32, b: u32) -> bool {
        a == b
            || matches!(
                (self.migration_of.get(a as usize), self.migration_of.get(b as usize)),
                (Some(x), Some(y)) if x == y
            )
    }

    pub fn file_name(&self, file: u32) -> &str {
        self.files.get(file as usize).map_or("", String::as_str)
    }

    /// Views that read table `t` (by key).
    pub fn views_on(&self, t: &Key) -> Vec<&View> {
        let mut v: Vec<&View> = self
            .views
            .values()
            .filter(|v| v.tables.contains(t))
            .collect();
        v.sort_by_key(|v| (v.created.file, v.created.line));
        v
    }
    /// Foreign keys of other tables that point at `t`: (referencing table, fk).
    pub fn references_to(&self, t: &Key) -> Vec<(&Table, &ForeignKey)> {
        let mut v: Vec<(&Table, &ForeignKey)> = self
            .tables
            .values()
            .flat_map(|tab| tab.foreign_keys.iter().map(move |fk| (tab, fk)))
            .filter(|(_, fk)| &fk.table == t)
            .collect();
        v.sort_by_key(|(_, fk)| (fk.origin.file, fk.origin.line));
        v
    }

    /// Backfills and emptied tables beyond `UPDATE … WHERE c IS NULL` ([`crate::idioms`]).
    fn apply_fills(&mut self, stmt: &Statement, at: Origin) {
        for f in crate::idioms::fills(stmt) {
            match f {
                crate::idioms::Fill::Column(t, c) => {
                    if let Some(col) = self
                        .tables
                        .get_mut(&ByName(&t) as &dyn KeyPair)
                        .and_then(|t| t.column_mut(&c))
                    {
                        col.backfilled_in = Some(at.file);
                    }
                }
                crate::idioms::Fill::Emptied(t) => {
                    if let Some(tab) = self.tables.get_mut(&ByName(&t) as &dyn KeyPair) {
                        tab.emptied_in = Some(at.file);
                        for c in &mut tab.columns {
                            c.backfilled_in = Some(at.file);
                        }
                    }
                }
            }
        }
    }

    fn touch(&mut self, k: &Key, display: &str, at: Origin) -> &mut Table {
        let t = self.tables.entry(k.clone()).or_insert_with(|| Table {
            display: display.to_string(),
            created: None,
            altered_in: Vec::new(),
            columns_known: false,
            columns: Vec::new(),
            primary_key: Vec::new(),
            unique: Vec::new(),
            foreign_keys: Vec::new(),
            emptied_in: None,
        });
        if t.created.is_none_or(|c| c.file != at.file) && t.altered_in.last() != Some(&at.file) {
            t.altered_in.push(at.file);
        }
        t
    }

    /// Apply one statement. Returns false when it is DDL the model did not understand.
    pub fn apply(&mut self, stmt: &Statement, at: Origin) {
        if stmt.in_body {
            return;
        }
        self.apply_fills(stmt, at);
        let ast = stmt.ast.as_deref();
        match &stmt.kind {
            StmtKind::CreateTable {
                name,
                if_not_exists,
                columns,
                ..
            } => {
                let k = key(name);
                let seeded = |t: &Table| t.created.is_some_and(|o| Some(o.file) == self.seed_file);
                if *if_not_exists && self.tables.get(&k).is_some_and(|t| !seeded(t)) {
                    return;
                }
                let mut t = Table {
                    display: name.display.clone(),
                    created: Some(at),
                    altered_in: Vec::new(),
                    columns_known: true,
                    columns: columns.iter().map(|c| column(c, at)).collect(),
                    primary_key: columns
                        .iter()
                        .filter(|c| c.primary_key)
                        .map(|c| c.name.clone())
                        .collect(),
                    unique: Vec::new(),
                    foreign_keys: Vec::new(),
                    emptied_in: None,
                };
                if let Some(ast::Statement::CreateTable(ct)) = ast {
                    if ct.query.is_some() || ct.like.is_some() || ct.clone.is_some() {
                        t.columns_known = false;
                    }
                    for def in &ct.columns {
                        let col = ident(&def.name);
                        let here = at_ident(at, &def.name);
                        if let Some(c) = t.column_mut(&col) {
                            c.created = here;
                            c.nullable_since = here;
                        }
                        for opt in &def.options {
                            match &opt.option {
                                ast::ColumnOption::ForeignKey(fk) => {
                                    t.foreign_keys.push(ForeignKey {
                                        columns: vec![col.clone()],
                                        table: key(&ObjName::from_ast(&fk.foreign_table)),
                                        ref_columns: fk
                                            .referred_columns
                                            .iter()
                                            .map(ident)
                                            .collect(),
                                        origin: here,
                                    })
                                }
                                ast::ColumnOption::Unique(_) => t.unique.push(vec![col.clone()]),
                                _ => {}
                            }
                        }
                    }
                    for con in &ct.constraints {
                        apply_constraint(&mut t, con, at);
                    }
                }
                let keys = super::keys::of_create_table(ast);
                self.dropped_tables.remove(&k);
                self.tables.insert(k.clone(), t);
                self.add_key_indexes(&k, keys, at);
            }
            StmtKind::AlterTable { name, ops } => {
                let k = key(name);
                let mut rename_to = None;
                let mut keys = Vec::new();
                let mut renamed = Vec::new();
                {
                    let t = self.touch(&k, &name.display, at);
                    for op in ops {
                        match op {
                            AlterOp::AddColumn(c) => {
                                t.columns.retain(|x| x.name != c.name);
                                t.columns.push(column(c, at));
                                if c.primary_key {
                                    t.primary_key = vec![c.name.clone()];
                                }
                            }
                            AlterOp::DropColumn { names, .. } => {
                                t.columns.retain(|c| !names.contains(&c.name));
                            }
                            AlterOp::RenameColumn { from, to } => {
                                renamed.push((from.clone(), to.clone()));
                                rename_column(t, from, to);
                                if let Some(c) = t.column_mut(to) {
                                    c.renamed_in = Some(at.file);
                                }
                            }
                            AlterOp::RenameTo(n) => rename_to = Some(n.clone()),
                            AlterOp::SetNotNull { column } => {
                                if let Some(c) = t.column_mut(column) {
                                    c.nullable = false;
                                }
                            }
                            AlterOp::DropNotNull { column } => {
                                if let Some(c) = t.column_mut(column) {
                                    c.nullable = true;
                                    c.made_nullable = true;
                                    c.nullable_since = at;
                                    c.backfilled_in = None;
                                }
                            }
                            AlterOp::SetType { column, data_type } => {
                                if let Some(c) = t.column_mut(column) {
                                    c.data_type = data_type.clone();
                                }
                            }
                            AlterOp::Redefine { from, column: def } => {
                                let old = t.column(from).cloned();
                                let old_name = old.as_ref().map_or(from.as_str(), |o| &o.name);
                                t.columns
                                    .retain(|x| x.name != old_name && x.name != def.name);
                                let mut c = column(def, at);
                                c.filled_by_default = false;
                                if let Some(old) = old {
                                    c.created = old.created;
                                    c.renamed_in = old.renamed_in;
                                    // MySQL MODIFY without DEFAULT drops the default
                                    c.filled_by_default = old.filled_by_default && def.has_default;
                                    if c.nullable && !old.nullable {
                                        c.made_nullable = true;
                                    } else if c.nullable {
                                        c.nullable_since = old.nullable_since;
                                        c.made_nullable = old.made_nullable;
                                    }
                                }
                                if from != &def.name {
                                    renamed.push((from.clone(), def.name.clone()));
                                    rename_column(t, from, &def.name);
                                    c.renamed_in = Some(at.file);
                                }
                                t.columns.push(c);
                            }
                            AlterOp::DropConstraint { .. } | AlterOp::Other => {}
                        }
                    }
                    // facts the plain model does not carry: constraints and defaults
                    if let Some(ast::Statement::AlterTable(a)) = ast {
                        for op in &a.operations {
                            match op {
                                ast::AlterTableOperation::AddConstraint { constraint, .. } => {
                                    apply_constraint(t, constraint, at);
                                    keys.extend(super::keys::of_constraint(constraint));
                                }
                                ast::AlterTableOperation::AddColumn { column_def, .. } => {
                                    let here = at_ident(at, &column_def.name);
                                    if let Some(c) = t.column_mut(&ident(&column_def.name)) {
                                        c.created = here;
                                        c.nullable_since = here;
                                    }
                                }
                                ast::AlterTableOperation::AlterColumn { column_name, op } => {
                                    let col = ident(column_name);
                                    if let Some(c) = t.column_mut(&col) {
                                        match op {
                                            ast::AlterColumnOperation::SetDefault { .. } => {
                                                c.has_default = true
                                            }
                                            ast::AlterColumnOperation::DropDefault => {
                                                c.has_default = false;
                                                c.filled_by_default = false;
                                            }
                                            _ => {}
                                        }
                                    }
                                }
                                _ => {}
                            }
                        }
                    }
                }
                self.add_key_indexes(&k, keys, at);
                for (from, to) in renamed {
                    self.rename_index_column(&k, &from, &to);
                }
                if let Some(to) = rename_to {
                    self.rename_table(&k, &to);
                }
            }
            StmtKind::RenameTable { from, to } => {
                let k = key(from);
                self.touch(&k, &from.display, at);
                self.rename_table(&k, to);
            }
            StmtKind::RenameObject {
                object: ObjectKind::Index,
                from,
                to,
            } => self.rename_index(from, to),
            StmtKind::CreateIndex {
                name,
                table,
                unique,
                ..
            } => {
                let tk = key(table);
                let mut columns = Vec::new();
                let mut shape = (false, false);
                if let Some(ast::Statement::CreateIndex(ci)) = ast {
                    ci.columns
                        .iter()
                        .for_each(|c| idents_of(&c.column.expr, &mut columns));
                    shape = crate::idioms::index_shape(ci);
                }
                let display = name.as_ref().map_or_else(
                    || format!("{}({})", table.display, columns.join(", ")),
                    |n| n.display.clone(),
                );
                let ik = name.as_ref().map_or_else(
                    || (tk.0.clone(), format!("{}({})", tk.1, columns.join(","))),
                    key,
                );
                self.indexes.insert(
                    ik,
                    Index {
                        display,
                        table: tk,
                        columns,
                        unique: *unique,
                        created: at,
                        bare: shape.0,
                        partial: shape.1,
                    },
                );
            }
            StmtKind::CreateView {
                name,
                materialized,
                references,
            } => {
                let mut idents = Vec::new();
                if let Some(ast::Statement::CreateView(v)) = ast {
                    let _ = ast::visit_expressions(&*v.query, |e| {
                        idents_of(e, &mut idents);
                        ControlFlow::<()>::Continue(())
                    });
                }
                idents.sort();
                idents.dedup();
                self.views.insert(
                    key(name),
                    View {
                        display: name.display.clone(),
                        materialized: *materialized,
                        tables: references.iter().map(key).collect(),
                        idents,
                        created: at,
                    },
                );
            }
            StmtKind::Drop { object, names, .. } => {
                for n in names {
                    let k = key(n);
                    match object {
                        ObjectKind::Table => {
                            if self.tables.remove(&k).is_some()
                                || !self.dropped_tables.contains_key(&k)
                            {
                                self.dropped_tables.insert(k.clone(), at);
                            }
                            self.indexes.retain(|_, i| i.table != k);
                        }
                        ObjectKind::View | ObjectKind::MaterializedView => {
                            self.views.remove(&k);
                        }
                        // MySQL `DROP INDEX i ON t`: index names are per table
                        ObjectKind::Index if self.indexes.remove(&k).is_none() => {
                            self.indexes.retain(|_, i| i.display != n.display);
                        }
                        _ => {}
                    }
                }
            }
            StmtKind::Update {
                table: Some(t),
                predicate,
                assignments,
                limited: false,
            } => {
                let file = at.file;
                let k = key(t);
                if let Some(tab) = self.tables.get_mut(&k) {
                    for a in assignments {
                        let sets_value = a.value.as_ref().is_some_and(
                            |v| !matches!(v, Expr::Value(x) if x.value == ast::Value::Null),
                        );
                        if !sets_value {
                            continue;
                        }
                        let fills_nulls = match predicate {
                            None => true,
                            Some(p) => p
                                .expr
                                .as_deref()
                                .is_some_and(|e| is_null_test(e, &a.column)),
                        };
                        if fills_nulls && let Some(c) = tab.column_mut(&a.column) {
                            c.backfilled_in = Some(file);
                        }
                    }
                }
            }
            StmtKind::Other
                if matches!(
                    stmt.keyword.as_str(),
                    "CREATE" | "ALTER" | "DROP" | "RENAME"
                ) =>
            {
                self.not_understood.push((at, stmt.keyword.clone()));
            }
            _ => {}
        }
    }
}

fn column(c: &ColumnFacts, at: Origin) -> Column {
    Column {
        name: c.name.clone(),
        data_type: c.data_type.clone(),
        nullable: !c.not_null,
        has_default: c.has_default,
        filled_by_default: c.has_default,
        created: at,
        nullable_since: at,
        made_nullable: false,
        backfilled_in: None,
        renamed_in: None,
    }
}

fn rename_column(t: &mut Table, from: &str, to: &str) {
    if let Some(c) = t.column_mut(from) {
        c.name = to.to_string();
    }
    let fix = |v: &mut Vec<String>| {
        for c in v.iter_mut() {
            if c == from {
                *c = to.to_string();
            }
        }
    };
    fix(&mut t.primary_key);
    for u in &mut t.unique {
        fix(u);
    }
    for fk in &mut t.foreign_keys {
        fix(&mut fk.columns);
    }
}

fn apply_constraint(t: &mut Table, con: &ast::TableConstraint, at: Origin) {
    let cols = |v: &[ast::IndexColumn]| -> Vec<String> {
        let mut out = Vec::new();
        for c in v {
            idents_of(&c.column.expr, &mut out);
        }
        out
    };
    match con {
        ast::TableConstraint::PrimaryKey(pk) => {
            let c = cols(&pk.columns);
            for name in &c {
                if let Some(col) = t.column_mut(name) {
                    col.nullable = false;
                }
            }
            t.primary_key = c;
        }
        ast::TableConstraint::Unique(u) => t.unique.push(cols(&u.columns)),
        ast::TableConstraint::ForeignKey(fk) => t.foreign_keys.push(ForeignKey {
            columns: fk.columns.iter().map(ident).collect(),
            table: key(&ObjName::from_ast(&fk.foreign_table)),
            ref_columns: fk.referred_columns.iter().map(ident).collect(),
            origin: at,
        }),
        _ => {}
    }
}

/// The origin of an identifier inside the statement that starts at `at`.
pub(super) fn at_ident(at: Origin, id: &ast::Ident) -> Origin {
    let l = id.span.start.line as u32;
    Origin {
        file: at.file,
        line: if l > 0 { at.line + l - 1 } else { at.line },
    }
}

pub(super) fn ident(id: &ast::Ident) -> String {
    crate::sql::ident_key(id)
}

/// Column identifiers an expression mentions (the last part of compound names).
pub(crate) fn idents_of(e: &Expr, out: &mut Vec<String>) {
    let _ = ast::visit_expressions(e, |x| {
        match x {
            Expr::Identifier(id) => out.push(ident(id)),
            Expr::CompoundIdentifier(parts) => {
                if let Some(last) = parts.last() {
                    out.push(ident(last));
                }
            }
            _ => {}
        }
        ControlFlow::<()>::Continue(())
    });
    out.dedup();
}

/// `col IS NULL` (possibly parenthesised, or one side of an OR).
fn is_null_test(e: &Expr, col: &str) -> bool {
    match e {
        Expr::Nested(inner) => is_null_test(inner, col),
        Expr::BinaryOp {
            left,
            op: ast::BinaryOperator::Or,
            right,
        } => is_null_test(left, col) || is_null_test(right, col),
        Expr::IsNull(inner) => match inner.as_ref() {
            Expr::Identifier(id) => ident(id) == col,
            Expr::CompoundIdentifier(parts) => parts.last().is_some_and(|p| ident(p) == col),
            _ => false,
        },
        _ => false,
    }
}

/// What a migration rule sees besides the statement: the schema as it stands before the
/// statement runs, and which file is being checked.
pub struct Ctx<'a> {
    pub schema: &'a Schema,
    /// Index of the file being checked (origins with this file were created by it).
    pub file: u32,
}

impl Ctx<'_> {
    /// "in 0001_init.sql:3", or "on line 3 of this file".
    pub fn at(&self, o: Origin) -> String {
        if o.file == self.file {
            format!("on line {} of this file", o.line)
        } else {
            format!("in {}:{}", self.schema.file_name(o.file), o.line)
        }
    }
    /// Created by the migration being checked (this file, or an earlier file of the same
    /// split migration).
    pub fn here(&self, o: Option<Origin>) -> bool {
        o.is_some_and(|o| self.schema.same_migration(o.file, self.file))
    }
    /// `file` belongs to the migration being checked.
    pub fn this_migration(&self, file: u32) -> bool {
        self.schema.same_migration(file, self.file)
    }
}
