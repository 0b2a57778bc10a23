//! Safe idioms the schema model must see to avoid reporting them as loss: the forms of a
//! backfill before `SET NOT NULL` beyond `UPDATE … WHERE c IS NULL` (a joined
//! `UPDATE … FROM other`, `ALTER COLUMN c TYPE … USING coalesce(c, …)`, a NULL cleanup
//! `DELETE … WHERE c IS NULL`), a table emptied by `DELETE FROM t` before `ADD COLUMN … NOT
//! NULL`, and an index dropped and created again (or replaced by one that covers it).

use crate::sql::{ObjName, Statement, StmtKind};
use sqlparser::ast::{self as ast, Expr};

/// What a statement leaves without NULLs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fill {
    /// No row of the table holds NULL in this column any more.
    Column(ObjName, String),
    /// The table is empty: every column, and any column added next, holds no old row.
    Emptied(ObjName),
}

/// The NULL-free facts `stmt` establishes (beyond the plain `UPDATE … WHERE c IS NULL`
/// backfill the schema model already knows).
pub fn fills(stmt: &Statement) -> Vec<Fill> {
    match &stmt.kind {
        StmtKind::Delete {
            table: Some(t),
            predicate,
            limited: false,
        } => match predicate {
            None => vec![Fill::Emptied(t.clone())],
            Some(p) => p
                .expr
                .as_deref()
                .and_then(null_test_column)
                .map(|c| vec![Fill::Column(t.clone(), c)])
                .unwrap_or_default(),
        },
        StmtKind::Update {
            table: Some(t),
            assignments,
            limited: false,
            ..
        } if update_has_from(stmt) => assignments
            .iter()
            .filter(|a| {
                a.value
                    .as_ref()
                    .is_some_and(|v| !matches!(v, Expr::Value(x) if x.value == ast::Value::Null))
            })
            .map(|a| Fill::Column(t.clone(), a.column.clone()))
            .collect(),
        StmtKind::AlterTable { name, .. } => coalescing_retypes(stmt)
            .into_iter()
            .map(|c| Fill::Column(name.clone(), c))
            .collect(),
        _ => Vec::new(),
    }
}

/// `c IS NULL` (also `t.c IS NULL`, and either side of an OR) → `c`.
fn null_test_column(e: &Expr) -> Option<String> {
    match e {
        Expr::IsNull(inner) => match inner.as_ref() {
            Expr::Identifier(id) => Some(crate::sql::ident_key(id)),
            Expr::CompoundIdentifier(parts) => parts.last().map(crate::sql::ident_key),
            _ => None,
        },
        Expr::Nested(inner) => null_test_column(inner),
        _ => None,
    }
}

/// `UPDATE t SET … FROM other WHERE …`: a joined backfill.
fn update_has_from(stmt: &Statement) -> bool {
    matches!(
        stmt.ast.as_deref(),
        Some(ast::Statement::Update(u)) if u.from.is_some()
    )
}

/// Columns retyped with `USING coalesce(…)` (or `ifnull`/`nvl`): no NULL survives.
fn coalescing_retypes(stmt: &Statement) -> Vec<String> {
    let Some(ast::Statement::AlterTable(alter)) = stmt.ast.as_deref() else {
        return Vec::new();
    };
    alter
        .operations
        .iter()
        .filter_map(|op| match op {
            ast::AlterTableOperation::AlterColumn {
                column_name,
                op: ast::AlterColumnOperation::SetDataType { using: Some(u), .. },
            } if is_coalesce(u) => Some(crate::sql::ident_key(column_name)),
            _ => None,
        })
        .collect()
}

fn is_coalesce(e: &Expr) -> bool {
    match e {
        Expr::Function(f) => {
            let name = f.name.to_string().to_ascii_lowercase();
            matches!(name.as_str(), "coalesce" | "ifnull" | "nvl")
        }
        Expr::Cast { expr, .. } | Expr::Nested(expr) => is_coalesce(expr),
        _ => false,
    }
}

/// Does `stmt` add a column named `column` (`ALTER TABLE … ADD COLUMN column …`)?
pub fn adds_column(stmt: &Statement, column: &str) -> bool {
    matches!(&stmt.kind, StmtKind::AlterTable { ops, .. }
        if ops.iter().any(|o| matches!(o, crate::sql::AlterOp::AddColumn(c) if c.name == column)))
}

/// An index dropped by a statement of this file: what the model knew of it when it was dropped.
#[derive(Debug, Clone)]
pub struct DroppedIndex {
    /// The DROP statement's span (where `drop-index` reports).
    pub span: crate::source::Span,
    pub name: ObjName,
    /// Its table and columns, when the model knew the index.
    pub known: Option<(crate::model::schema::Key, Vec<String>, bool)>,
}

/// The indexes `stmt` drops, with what `schema` knows of them (call before applying `stmt`).
pub fn dropped_indexes(
    stmt: &Statement,
    schema: &crate::model::schema::Schema,
) -> Vec<DroppedIndex> {
    let StmtKind::Drop {
        object: crate::sql::ObjectKind::Index,
        names,
        ..
    } = &stmt.kind
    else {
        return Vec::new();
    };
    names
        .iter()
        .map(|n| {
            let k = crate::model::schema::key(n);
            let found = schema.indexes.get(&k).or_else(|| {
                schema
                    .indexes
                    .values()
                    .find(|i| i.display.eq_ignore_ascii_case(&n.display))
            });
            DroppedIndex {
                span: stmt.span,
                name: n.clone(),
                known: found.map(|i| (i.table.clone(), i.columns.clone(), i.unique)),
            }
        })
        .collect()
}

/// Is the dropped index rebuilt or made redundant later in the file: created again under its
/// name, replaced by an index on the same table whose leading columns cover it (unique only
/// by a unique one), or its table dropped?
fn index_rebuilt(d: &DroppedIndex, later: &[&Statement]) -> bool {
    later.iter().filter(|s| !s.in_body).any(|s| match &s.kind {
        StmtKind::CreateIndex {
            name,
            table,
            unique,
            ..
        } => {
            if name.as_ref().is_some_and(|n| n.same_object(&d.name)) {
                return true;
            }
            let Some((tk, cols, was_unique)) = &d.known else {
                return false;
            };
            if crate::model::schema::key(table) != *tk
                || cols.is_empty()
                || (*was_unique && !unique)
            {
                return false;
            }
            let mut new_cols = Vec::new();
            if let Some(ast::Statement::CreateIndex(ci)) = s.ast.as_deref() {
                for c in &ci.columns {
                    crate::model::schema::idents_of(&c.column.expr, &mut new_cols);
                }
            }
            if *was_unique {
                new_cols == *cols
            } else {
                new_cols.len() >= cols.len() && new_cols[..cols.len()] == cols[..]
            }
        }
        // the indexed column is dropped: the index would go with it
        StmtKind::AlterTable { name, ops } => d.known.as_ref().is_some_and(|(tk, cols, _)| {
            crate::model::schema::key(name) == *tk
                && ops.iter().any(|o| {
                    matches!(o, crate::sql::AlterOp::DropColumn { names, .. }
                        if names.iter().any(|n| cols.contains(n)))
                })
        }),
        StmtKind::Drop {
            object: crate::sql::ObjectKind::Table,
            names,
            ..
        } => d
            .known
            .as_ref()
            .is_some_and(|(tk, _, _)| names.iter().any(|n| crate::model::schema::key(n) == *tk)),
        _ => false,
    })
}

/// Remove the `drop-index` findings of indexes the rest of the file rebuilds or makes
/// redundant (`statements` in order; `dropped` from [`dropped_indexes`]; statements for which
/// `counts` is false, e.g. in a down section, are not looked at).
pub fn fold_drop_index(
    statements: &[Statement],
    dropped: &[DroppedIndex],
    counts: &dyn Fn(&Statement) -> bool,
    out: &mut Vec<crate::diagnostic::Diagnostic>,
) {
    for d in dropped {
        let later: Vec<&Statement> = statements
            .iter()
            .filter(|s| s.span.start > d.span.start && counts(s))
            .collect();
        // every index the statement drops must be rebuilt for its finding to go
        let all = dropped
            .iter()
            .filter(|o| o.span == d.span)
            .all(|o| index_rebuilt(o, &later));
        if all {
            out.retain(|x| !(x.rule == "drop-index" && x.span == d.span));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Dialect;

    fn fills_of(sql: &str) -> Vec<Fill> {
        crate::sql::analyze(sql, Dialect::Postgres, crate::sql::Options::default())
            .iter()
            .flat_map(fills)
            .collect()
    }

    fn col(f: &Fill) -> String {
        match f {
            Fill::Column(t, c) => format!("{}.{c}", t.name),
            Fill::Emptied(t) => format!("{}.*", t.name),
        }
    }

    #[test]
    fn recognised_forms() {
        let got: Vec<String> = fills_of(
            "UPDATE orders o SET region = c.region FROM customers c WHERE o.customer_id = c.id;\n\
             DELETE FROM orders WHERE note IS NULL;\n\
             DELETE FROM sessions;\n\
             ALTER TABLE orders ALTER COLUMN qty TYPE bigint USING coalesce(qty, 0);",
        )
        .iter()
        .map(col)
        .collect();
        assert_eq!(
            got,
            ["orders.region", "orders.note", "sessions.*", "orders.qty"]
        );
    }

    fn drop_index_findings(sql: &str) -> usize {
        crate::check::check_sql(sql, Dialect::Postgres, &crate::check::SqlOptions::default())
            .iter()
            .filter(|d| d.rule == "drop-index")
            .count()
    }

    #[test]
    fn rebuilt_indexes_are_not_reported() {
        // dropped and created again under its name
        assert_eq!(
            drop_index_findings("DROP INDEX i_a; CREATE INDEX i_a ON t (a, b);"),
            0
        );
        // near misses: a different index on another column, another table
        assert_eq!(
            drop_index_findings("DROP INDEX i_a; CREATE INDEX i_b ON t (b);"),
            1
        );
        assert_eq!(
            drop_index_findings("DROP INDEX i_a; CREATE INDEX i_a2 ON u (a);"),
            1
        );
        // the indexed column is dropped right after: the index would go with it
        let t = "CREATE TABLE t (id int, a int);\nCREATE INDEX i_a ON t (a);\n";
        let mut r = crate::check::replay::Replay::new(false);
        let opts = crate::check::SqlOptions::default();
        r.next_file("1.sql", false);
        crate::check::check_sql_in(t, Dialect::Postgres, &opts, Some(&mut r));
        r.next_file("2.sql", false);
        let d = crate::check::check_sql_in(
            "DROP INDEX i_a;\nALTER TABLE t DROP COLUMN a;\n",
            Dialect::Postgres,
            &opts,
            Some(&mut r),
        );
        assert!(!d.iter().any(|d| d.rule == "drop-index"), "{d:?}");
        assert!(d.iter().any(|d| d.rule == "drop-column"), "{d:?}");
        // near miss: another column of the table is dropped
        r.next_file("3.sql", false);
        crate::check::check_sql_in(
            "CREATE INDEX i_id ON t (id);\n",
            Dialect::Postgres,
            &opts,
            Some(&mut r),
        );
        r.next_file("4.sql", false);
        let d = crate::check::check_sql_in(
            "ALTER TABLE t ADD COLUMN b int;\nDROP INDEX i_id;\nALTER TABLE t DROP COLUMN b;\n",
            Dialect::Postgres,
            &opts,
            Some(&mut r),
        );
        assert!(d.iter().any(|d| d.rule == "drop-index"), "{d:?}");
    }

    #[test]
    fn near_misses() {
        assert!(
            fills_of(
                "UPDATE orders SET region = 'eu' WHERE id = 5;\n\
                 UPDATE orders o SET region = NULL FROM c WHERE o.id = c.id;\n\
                 DELETE FROM orders WHERE note = '';\n\
                 ALTER TABLE orders ALTER COLUMN qty TYPE bigint USING qty::bigint;"
            )
            .is_empty()
        );
    }
}
