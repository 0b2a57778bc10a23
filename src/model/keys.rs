//! Indexes a table definition creates without `CREATE INDEX` (MySQL `KEY k (c)`, `UNIQUE KEY
//! k (c)`, a named UNIQUE constraint), and column lookup by name as MySQL matches it.

use super::schema::{Column, Index, Key, Origin, Schema, at_ident, ident, idents_of};
use sqlparser::ast;

/// A named index a table constraint creates: (name, columns, unique).
pub type KeyIndex = (ast::Ident, Vec<String>, bool);

pub fn of_constraint(con: &ast::TableConstraint) -> Option<KeyIndex> {
    let (name, cols, unique) = match con {
        ast::TableConstraint::Index(i) => (i.name.as_ref()?, &i.columns, false),
        ast::TableConstraint::Unique(u) => {
            (u.index_name.as_ref().or(u.name.as_ref())?, &u.columns, true)
        }
        _ => return None,
    };
    let mut columns = Vec::new();
    for c in cols {
        idents_of(&c.column.expr, &mut columns);
    }
    Some((name.clone(), columns, unique))
}

pub fn of_create_table(stmt: Option<&ast::Statement>) -> Vec<KeyIndex> {
    match stmt {
        Some(ast::Statement::CreateTable(ct)) => {
            ct.constraints.iter().filter_map(of_constraint).collect()
        }
        _ => Vec::new(),
    }
}

/// The position of column `name`; failing an exact match, of one whose name differs only in
/// case (MySQL column names are case-insensitive, even quoted; elsewhere a statement naming
/// the column in another case fails anyway).
pub fn column_index(columns: &[Column], name: &str) -> Option<usize> {
    columns.iter().position(|c| c.name == name).or_else(|| {
        columns
            .iter()
            .position(|c| c.name.eq_ignore_ascii_case(name))
    })
}

impl Schema {
    /// Record the named keys of table `table` as indexes `DROP INDEX k` can drop.
    pub(super) fn add_key_indexes(&mut self, table: &Key, keys: Vec<KeyIndex>, at: Origin) {
        for (name, columns, unique) in keys {
            let created = at_ident(at, &name);
            let index = Index {
                display: name.value.clone(),
                table: table.clone(),
                columns,
                unique,
                created,
            };
            self.indexes.insert((table.0.clone(), ident(&name)), index);
        }
    }
}
