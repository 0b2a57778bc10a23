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
    /// The index, when the model knew it.
    pub known: Option<Index>,
    /// Another index the model knows (created by the set, not only by its schema dump, which
    /// may show indexes created later) serves every lookup it served and keeps its constraint.
    pub covered: bool,
    /// The dropped index's key in the model, and the indexes of its table that stay (with
    /// their keys; the primary key under an empty key): a later statement of the same
    /// migration that drops the covering index undoes the cover ([`fold_drop_index`]).
    pub key: Option<crate::model::schema::Key>,
    pub stay: Vec<(crate::model::schema::Key, Index)>,
}

use crate::model::schema::Index;

/// (bare, partial) of an index: bare when every column is a plain column of a b-tree with the
/// default operator class (it serves lookups by its leading columns), partial when a WHERE
/// leaves rows out — other than `WHERE <first column> IS NOT NULL`, which leaves out no row a
/// lookup by that column can find (and no row a unique index constrains: NULLs are distinct).
pub fn index_shape(ci: &ast::CreateIndex) -> (bool, bool) {
    let plain = |e: &Expr| matches!(e, Expr::Identifier(_) | Expr::CompoundIdentifier(_));
    let bare = !ci.columns.is_empty()
        && matches!(ci.using, None | Some(ast::IndexType::BTree))
        && ci.nulls_distinct != Some(false)
        && ci
            .columns
            .iter()
            .all(|c| c.operator_class.is_none() && plain(&c.column.expr));
    let lead = ci.columns.first().map(|c| &c.column.expr);
    let partial = match &ci.predicate {
        None => false,
        Some(p) => !matches!(
            (strip_nested(p), lead),
            (Expr::IsNotNull(x), Some(l)) if same_column(x, l)
        ),
    };
    (bare, partial)
}

fn strip_nested(e: &Expr) -> &Expr {
    match e {
        Expr::Nested(x) => strip_nested(x),
        _ => e,
    }
}

fn same_column(a: &Expr, b: &Expr) -> bool {
    let last = |e: &Expr| match strip_nested(e) {
        Expr::Identifier(id) => Some(crate::sql::ident_key(id)),
        Expr::CompoundIdentifier(p) => p.last().map(crate::sql::ident_key),
        _ => None,
    };
    matches!((last(a), last(b)), (Some(x), Some(y)) if x == y)
}

/// Do the indexes `others` (on the same table) make `d` redundant: one serves every lookup
/// it served (its columns lead it), and, when `d` is unique, a unique one keeps the
/// constraint (its columns are among `d`'s: a unique `(a)` keeps `(a, b)` unique too)?
/// Expression, GIN/GiST…, operator-class and partial indexes neither cover nor are covered.
pub fn covers<'a>(d: &Index, others: impl Iterator<Item = &'a Index> + Clone) -> bool {
    let n = d.columns.len();
    if !d.bare || n == 0 {
        return false;
    }
    let usable = |o: &&Index| o.table == d.table && o.bare && !o.partial;
    let serves = others
        .clone()
        .filter(usable)
        .any(|o| o.columns.len() >= n && o.columns[..n] == d.columns[..]);
    let keeps = !d.unique
        || others.filter(usable).any(|o| {
            o.unique && !o.columns.is_empty() && o.columns.iter().all(|c| d.columns.contains(c))
        });
    serves && keeps
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
    let find = |n: &ObjName| {
        let k = crate::model::schema::key(n);
        schema.indexes.get_key_value(&k).or_else(|| {
            schema
                .indexes
                .iter()
                .find(|(_, i)| i.display.eq_ignore_ascii_case(&n.display))
        })
    };
    let gone: Vec<_> = names
        .iter()
        .filter_map(|n| find(n).map(|(k, _)| k))
        .collect();
    names
        .iter()
        .map(|n| {
            let found = find(n).map(|(_, i)| i);
            // the table's primary key is a unique b-tree index on its columns
            let pk = found.and_then(|f| {
                let t = schema.tables.get(&f.table)?;
                let created = t.created?;
                (!t.primary_key.is_empty() && Some(created.file) != schema.seed_file).then(|| {
                    Index {
                        display: String::new(),
                        table: f.table.clone(),
                        columns: t.primary_key.clone(),
                        unique: true,
                        created,
                        bare: true,
                        partial: false,
                    }
                })
            });
            // the indexes that stay: not dropped here, created by the set itself
            let stay = schema
                .indexes
                .iter()
                .filter(|(k, o)| !gone.contains(k) && Some(o.created.file) != schema.seed_file)
                .map(|(_, o)| o)
                .chain(pk.iter());
            let covered = found.is_some_and(|f| covers(f, stay));
            let stay = match (covered, found) {
                (true, Some(f)) => schema
                    .indexes
                    .iter()
                    .filter(|(k, o)| {
                        o.table == f.table
                            && !gone.contains(k)
                            && Some(o.created.file) != schema.seed_file
                    })
                    .map(|(k, o)| (k.clone(), o.clone()))
                    .chain(pk.map(|p| ((String::new(), String::new()), p)))
                    .collect(),
                _ => Vec::new(),
            };
            DroppedIndex {
                span: stmt.span,
                name: n.clone(),
                key: find(n).map(|(k, _)| k.clone()),
                known: found.cloned(),
                covered,
                stay,
            }
        })
        .collect()
}

/// Is the dropped index rebuilt or made redundant later in the file: created again under its
/// name, replaced by an index on the same table that covers it ([`covers`]), or its table
/// dropped?
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
            let (Some(known), Some(ast::Statement::CreateIndex(ci))) = (&d.known, s.ast.as_deref())
            else {
                return false;
            };
            let mut columns = Vec::new();
            for c in &ci.columns {
                crate::model::schema::idents_of(&c.column.expr, &mut columns);
            }
            let (bare, partial) = index_shape(ci);
            let new = Index {
                display: String::new(),
                table: crate::model::schema::key(table),
                columns,
                unique: *unique,
                created: known.created,
                bare,
                partial,
            };
            covers(known, std::iter::once(&new))
        }
        // the indexed column is dropped: the index would go with it
        StmtKind::AlterTable { name, ops } => d.known.as_ref().is_some_and(|k| {
            crate::model::schema::key(name) == k.table
                && ops.iter().any(|o| {
                    matches!(o, crate::sql::AlterOp::DropColumn { names, .. }
                        if names.iter().any(|n| k.columns.contains(n)))
                })
        }),
        StmtKind::Drop {
            object: crate::sql::ObjectKind::Table,
            names,
            ..
        } => d.known.as_ref().is_some_and(|k| {
            names
                .iter()
                .any(|n| crate::model::schema::key(n) == k.table)
        }),
        _ => false,
    })
}

/// `d` was covered when it was dropped, and the indexes that covered it are not dropped by a
/// `later` statement of the migration.
fn still_covered(d: &DroppedIndex, dropped: &[DroppedIndex], later: &[&Statement]) -> bool {
    let Some(known) = d.known.as_ref().filter(|_| d.covered) else {
        return false;
    };
    let gone: Vec<&crate::model::schema::Key> = dropped
        .iter()
        .filter(|o| later.iter().any(|s| s.span == o.span))
        .filter_map(|o| o.key.as_ref())
        .collect();
    covers(
        known,
        d.stay
            .iter()
            .filter(|(k, _)| !gone.contains(&k))
            .map(|(_, i)| i),
    )
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
        // every index the statement drops must be rebuilt for its finding to go; a cover
        // that a later statement drops too does not count
        let all = dropped
            .iter()
            .filter(|o| o.span == d.span)
            .all(|o| still_covered(o, dropped, &later) || index_rebuilt(o, &later));
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

    /// drop-index findings of `drop` after `setup` (an earlier file of the set; `seed`: a
    /// schema dump applied before it).
    fn drops_after(seed: &str, setup: &str, drop: &str) -> Vec<String> {
        let mut r = crate::check::replay::Replay::new(false);
        let opts = crate::check::SqlOptions::default();
        if !seed.is_empty() {
            r.seed("structure.sql", seed, Dialect::Postgres);
        }
        r.next_file("1.sql", false);
        crate::check::check_sql_in(setup, Dialect::Postgres, &opts, Some(&mut r));
        r.next_file("2.sql", false);
        crate::check::check_sql_in(drop, Dialect::Postgres, &opts, Some(&mut r))
            .iter()
            .filter(|d| d.rule == "drop-index")
            .map(|d| d.message.split('`').nth(1).unwrap_or("").to_string())
            .collect()
    }

    #[test]
    fn indexes_covered_by_an_index_that_stays_are_not_reported() {
        let t = "CREATE TABLE t (a int, b int, c text);\n";
        let setup = |more: &str| format!("{t}{more}");
        // (a) is served by (a, b); a unique (a) only by a unique index among its columns
        let s = setup(
            "CREATE INDEX ia ON t (a);\nCREATE INDEX iab ON t (a, b);\n\
             CREATE UNIQUE INDEX ub ON t (b);\nCREATE INDEX iba ON t (b, a);\n\
             CREATE UNIQUE INDEX uab ON t (a, b);\nCREATE UNIQUE INDEX ua2 ON t (a);\n",
        );
        assert_eq!(
            drops_after("", &s, "DROP INDEX ia;\nDROP INDEX ub;\nDROP INDEX uab;\n"),
            ["ub"]
        );
        // both covering each other, dropped together: neither stays
        let s = setup("CREATE INDEX ia ON t (a);\nCREATE INDEX iab ON t (a, b);\n");
        assert_eq!(drops_after("", &s, "DROP INDEX ia, iab;\n"), ["ia"]);
        // nor when a later statement of the migration drops the cover
        assert_eq!(
            drops_after("", &s, "DROP INDEX ia;\nDROP INDEX iab;\n"),
            ["ia", "iab"]
        );
        // near miss: the cover dropped and built again later still covers
        assert!(
            drops_after(
                "",
                &s,
                "DROP INDEX ia;\nDROP INDEX iab;\nCREATE INDEX iab2 ON t (a, b);\n"
            )
            .is_empty()
        );
        // expressions, other methods and partial indexes neither cover nor are covered; a
        // partial index that leaves out only NULLs of its first column covers
        let s = setup(
            "CREATE INDEX il ON t (lower(c));\nCREATE INDEX ic ON t (c, a);\n\
             CREATE INDEX ig ON t USING gin (b);\nCREATE INDEX ib ON t (b, c) WHERE a > 0;\n\
             CREATE INDEX ia ON t (a);\nCREATE INDEX iac ON t (a, c) WHERE a IS NOT NULL;\n\
             CREATE INDEX ic2 ON t (c);\nCREATE INDEX ilc ON t (lower(c), a);\n",
        );
        assert_eq!(
            drops_after(
                "",
                &s,
                "DROP INDEX il;\nDROP INDEX ig;\nDROP INDEX ia;\nDROP INDEX ic2;\n"
            ),
            ["il", "ig"]
        );
        assert_eq!(
            drops_after(
                "",
                &setup("CREATE INDEX ib0 ON t (b);\nCREATE INDEX ib ON t (b, c) WHERE a > 0;\n"),
                "DROP INDEX ib0;\n"
            ),
            ["ib0"]
        );
        // the primary key covers an index on its leading columns
        let s = "CREATE TABLE m (u int, o int, PRIMARY KEY (u, o));\nCREATE INDEX iu ON m (u);\n\
                 CREATE INDEX io ON m (o);\n";
        assert_eq!(
            drops_after("", s, "DROP INDEX iu;\nDROP INDEX io;\n"),
            ["io"]
        );
        // an index only the schema dump shows (it may come from a later migration) covers
        // nothing
        let seed = "CREATE TABLE t (a int, b int);\nCREATE INDEX iab ON t (a, b);\n";
        assert_eq!(
            drops_after(seed, "CREATE INDEX ia ON t (a);\n", "DROP INDEX ia;\n"),
            ["ia"]
        );
    }

    #[test]
    fn a_renamed_index_keeps_its_columns_under_its_new_name() {
        let t = "CREATE TABLE t (a int, b int);\nCREATE INDEX iab ON t (a, b);\n";
        // covered under its new name, in its schema, also with IF EXISTS
        let s = format!("{t}CREATE INDEX ia ON t (a);\nALTER INDEX ia RENAME TO ia2;\n");
        assert!(drops_after("", &s, "DROP INDEX ia2;\n").is_empty());
        let s = format!("{t}CREATE INDEX ia ON t (a);\nALTER INDEX IF EXISTS ia RENAME TO ia2;\n");
        assert!(drops_after("", &s, "DROP INDEX public.ia2;\n").is_empty());
        // the old name is gone: the model no longer knows it
        let s = format!("{t}CREATE INDEX ia ON t (a);\nALTER INDEX ia RENAME TO ia2;\n");
        assert_eq!(drops_after("", &s, "DROP INDEX ia;\n"), ["ia"]);
        // near miss: the covering index renamed still covers; one not covered still fires
        let s = "CREATE TABLE t (a int, b int);\nCREATE INDEX ib ON t (b);\n\
                 ALTER INDEX ib RENAME TO ib2;\n";
        assert_eq!(drops_after("", s, "DROP INDEX ib2;\n"), ["ib2"]);
        let s = format!("{t}CREATE INDEX ia ON t (a);\nALTER INDEX iab RENAME TO iab2;\n");
        assert!(drops_after("", &s, "DROP INDEX ia;\n").is_empty());
        // a renamed column keeps its indexes: an index built before the rename is covered by
        // one built after it, and goes with the column when it is dropped
        let s = "CREATE TABLE t (a int, b int);\nCREATE INDEX ia ON t (a);\n\
                 ALTER TABLE t RENAME COLUMN a TO x;\nCREATE INDEX ixb ON t (x, b);\n";
        assert!(drops_after("", s, "DROP INDEX ia;\n").is_empty());
        assert!(drops_after("", s, "DROP INDEX ixb;\nALTER TABLE t DROP COLUMN x;\n").is_empty());
        // near miss: the new index is on another column
        let s = "CREATE TABLE t (a int, b int);\nCREATE INDEX ia ON t (a);\n\
                 ALTER TABLE t RENAME COLUMN a TO x;\nCREATE INDEX iba ON t (b, x);\n";
        assert_eq!(drops_after("", s, "DROP INDEX ia;\n"), ["ia"]);
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
