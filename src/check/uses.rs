//! Does a statement still use a renamed column under its old name? A use is the renamed
//! table's column: `t.old` or `alias.old` where the alias names that table, an UPDATE of the
//! table assigning `old`, or a bare `old` unless another table the statement reads is known
//! to have a column of that name. Statements without a tree fall back to the bare word.

use crate::model::schema::{Key, Schema, key};
use crate::sql::{ObjName, Statement, StmtKind, ident_key};
use sqlparser::ast::{self, Visit, Visitor};
use std::ops::ControlFlow;

#[derive(Default)]
struct Refs {
    /// Tables read, with their alias.
    tables: Vec<(Key, Option<String>)>,
    /// Column references, each as its name parts.
    columns: Vec<Vec<String>>,
}

impl Visitor for Refs {
    type Break = ();
    fn pre_visit_table_factor(&mut self, tf: &ast::TableFactor) -> ControlFlow<()> {
        if let ast::TableFactor::Table { name, alias, .. } = tf {
            self.tables.push((
                key(&ObjName::from_ast(name)),
                alias.as_ref().map(|a| ident_key(&a.name)),
            ));
        }
        ControlFlow::Continue(())
    }
    fn pre_visit_expr(&mut self, e: &ast::Expr) -> ControlFlow<()> {
        match e {
            ast::Expr::Identifier(id) => self.columns.push(vec![ident_key(id)]),
            ast::Expr::CompoundIdentifier(parts) => {
                self.columns.push(parts.iter().map(ident_key).collect())
            }
            _ => {}
        }
        ControlFlow::Continue(())
    }
}

/// Does `text` contain `word` as a whole identifier (ASCII case-insensitive)?
pub(crate) fn mentions(text: &str, word: &str) -> bool {
    let is_ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let (t, w) = (text.as_bytes(), word.as_bytes());
    if w.is_empty() || t.len() < w.len() {
        return false;
    }
    (0..=t.len() - w.len()).any(|i| {
        t[i..i + w.len()].eq_ignore_ascii_case(w)
            && (i == 0 || !is_ident(t[i - 1]))
            && t.get(i + w.len()).is_none_or(|&c| !is_ident(c))
    })
}

/// Does `stmt` (whose text is `text`) use column `old` of `table`?
pub(crate) fn uses_column(
    stmt: &Statement,
    text: &str,
    table: &Key,
    old: &str,
    schema: &Schema,
) -> bool {
    let structured = matches!(
        stmt.kind,
        StmtKind::CreateView { .. }
            | StmtKind::Update { .. }
            | StmtKind::Delete { .. }
            | StmtKind::CreateIndex { .. }
    );
    let Some(tree) = stmt.ast.as_deref().filter(|_| structured) else {
        return mentions(text, old);
    };
    if let StmtKind::Update {
        table: Some(t),
        assignments,
        ..
    } = &stmt.kind
        && key(t) == *table
        && assignments.iter().any(|a| a.column == old)
    {
        return true;
    }
    let mut refs = Refs::default();
    let _ = tree.visit(&mut refs);
    if let StmtKind::CreateIndex { table: t, .. } = &stmt.kind {
        refs.tables.push((key(t), None));
    }
    // a bare `old` belongs to another table the statement reads when that one has the column
    let elsewhere = refs.tables.iter().any(|(k, _)| {
        k != table
            && schema
                .tables
                .get(k)
                .is_some_and(|t| t.column(old).is_some())
    });
    refs.columns.iter().any(|parts| match parts.as_slice() {
        [c] => c == old && !elsewhere,
        [.., q, c] => {
            c == old
                && refs.tables.iter().any(|(k, alias)| {
                    k == table
                        && (alias.as_deref() == Some(q.as_str()) || (alias.is_none() && k.1 == *q))
                })
        }
        [] => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Dialect;

    fn uses(sql: &str, table: &str, old: &str) -> bool {
        let stmts = crate::sql::analyze(sql, Dialect::Postgres, crate::sql::Options::default());
        let schema = {
            let mut s = Schema::default();
            for st in &stmts[..stmts.len() - 1] {
                s.apply(st, crate::model::schema::Origin { file: 0, line: 1 });
            }
            s
        };
        let last = stmts.last().expect("a statement");
        let text = &sql[last.span.start..last.span.end];
        uses_column(
            last,
            text,
            &("public".to_string(), table.to_string()),
            old,
            &schema,
        )
    }

    #[test]
    fn only_the_renamed_tables_column_is_a_use() {
        // another table's column of the same name, qualified
        assert!(!uses(
            "CREATE VIEW v AS SELECT u.id, c.icon FROM user_ u JOIN community c ON c.id = u.c;",
            "user_",
            "icon"
        ));
        // through an alias of the renamed table
        assert!(uses(
            "CREATE VIEW v AS SELECT u.icon FROM user_ u JOIN community c ON c.id = u.c;",
            "user_",
            "icon"
        ));
        // bare, with another table known to have the column: ambiguous, not claimed
        assert!(!uses(
            "CREATE TABLE community (id int, icon text);\n\
             CREATE VIEW v AS SELECT icon FROM user_ JOIN community ON community.id = user_.c;",
            "user_",
            "icon"
        ));
        // bare, only the renamed table read
        assert!(uses(
            "UPDATE user_ SET a = 1 WHERE icon IS NULL;",
            "user_",
            "icon"
        ));
        assert!(uses("UPDATE user_ SET icon = '';", "user_", "icon"));
        assert!(uses("CREATE INDEX i ON user_ (icon);", "user_", "icon"));
        // a word inside a string is no use
        assert!(!uses(
            "UPDATE user_ SET a = 'icon' WHERE b = 1;",
            "user_",
            "icon"
        ));
    }
}
