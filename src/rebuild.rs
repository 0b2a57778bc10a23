//! Table rebuilds that keep the data: the copy-and-swap rebuild (and SQLite's 12-step ALTER,
//! the same shape) `CREATE TABLE t_new …; INSERT INTO t_new SELECT … FROM t; DROP TABLE t;
//! ALTER TABLE t_new RENAME TO t`, the rename-first form (`ALTER TABLE t RENAME TO t_old;
//! CREATE TABLE t …; INSERT INTO t SELECT … FROM t_old; DROP TABLE t_old`) and
//! backup-and-restore (`CREATE TABLE b AS SELECT * FROM t; DROP TABLE t; CREATE TABLE t …;
//! INSERT INTO t SELECT … FROM b`).
//!
//! A rebuild is safe only as far as the model can see: when the copy carries every column the
//! model knows for the old table, the DROP's findings go; a known column left out of the copy
//! is a `drop-column` at the DROP; when the model does not know the old table's columns and
//! the copy names columns, the DROP keeps an info note that it could not check.

use crate::diagnostic::Diagnostic;
use crate::model::schema::Schema;
use crate::source::{Dialect, Span};
use crate::sql::{AlterOp, ObjName, ObjectKind, Statement, StmtKind};
use sqlparser::ast;
use std::collections::BTreeSet;

/// A table dropped by a statement of this file, with what the model knew of it.
#[derive(Debug, Clone)]
pub struct DroppedTable {
    /// Index of the DROP statement in the file.
    pub index: usize,
    pub span: Span,
    pub name: ObjName,
    /// Its columns, when the model knew all of them.
    pub columns: Option<Vec<String>>,
}

/// The table `stmt` (statement `index` of the file) drops, with what `schema` knows of it
/// (call before applying `stmt`). Only a DROP of a single table is a rebuild's drop.
pub fn dropped_table(stmt: &Statement, index: usize, schema: &Schema) -> Option<DroppedTable> {
    let StmtKind::Drop {
        object: ObjectKind::Table,
        names,
        ..
    } = &stmt.kind
    else {
        return None;
    };
    if stmt.in_body {
        return None;
    }
    let [name] = names.as_slice() else {
        return None;
    };
    let columns = schema
        .table(name)
        .filter(|t| t.columns_known)
        .map(|t| t.columns.iter().map(|c| c.name.clone()).collect());
    Some(DroppedTable {
        index,
        span: stmt.span,
        name: name.clone(),
        columns,
    })
}

/// `INSERT INTO dest SELECT … FROM source` or `CREATE TABLE dest AS SELECT … FROM source`
/// copying every row of `source`.
#[derive(Debug, Clone)]
struct Copy {
    index: usize,
    span: Span,
    dest: ObjName,
    source: ObjName,
    /// The source columns the copy reads; `None`: every column (`*`).
    columns: Option<BTreeSet<String>>,
}

/// The rows a query copies from its one source table, when it copies all of them: a plain
/// SELECT (no WHERE, GROUP BY, DISTINCT, LIMIT, set operation; LEFT joins only).
fn full_copy(q: &ast::Query) -> Option<(ObjName, Option<BTreeSet<String>>)> {
    if q.limit_clause.is_some() || q.fetch.is_some() || q.with.is_some() {
        return None;
    }
    let ast::SetExpr::Select(sel) = q.body.as_ref() else {
        return None;
    };
    if sel.selection.is_some()
        || sel.distinct.is_some()
        || sel.having.is_some()
        || !matches!(&sel.group_by, ast::GroupByExpr::Expressions(e, _) if e.is_empty())
        || sel.from.len() != 1
    {
        return None;
    }
    let from = sel.from.first()?;
    if from.joins.iter().any(|j| {
        !matches!(
            j.join_operator,
            ast::JoinOperator::LeftOuter(_) | ast::JoinOperator::Left(_)
        )
    }) {
        return None;
    }
    let ast::TableFactor::Table { name, .. } = &from.relation else {
        return None;
    };
    let mut cols = Vec::new();
    for item in &sel.projection {
        match item {
            ast::SelectItem::Wildcard(_) | ast::SelectItem::QualifiedWildcard(..) => {
                return Some((ObjName::from_ast(name), None));
            }
            ast::SelectItem::UnnamedExpr(e)
            | ast::SelectItem::ExprWithAlias { expr: e, .. }
            | ast::SelectItem::ExprWithAliases { expr: e, .. } => {
                crate::model::schema::idents_of(e, &mut cols)
            }
        }
    }
    Some((ObjName::from_ast(name), Some(cols.into_iter().collect())))
}

fn copy_of(stmt: &Statement, index: usize, src: &str, dialect: Dialect) -> Option<Copy> {
    if stmt.in_body {
        return None;
    }
    let parsed;
    let ast = match (stmt.ast.as_deref(), stmt.keyword.as_str()) {
        (Some(a), _) => a,
        // INSERTs are not parsed ahead (seed data is most of a corpus' bytes)
        (None, "INSERT") if stmt.parse_error.is_none() => {
            parsed = crate::sql::parse(src.get(stmt.span.start..stmt.span.end)?, dialect)
                .ok()?
                .into_iter()
                .next()?;
            &parsed
        }
        _ => return None,
    };
    let (dest, query) = match ast {
        ast::Statement::Insert(i) => match &i.table {
            ast::TableObject::TableName(n) if i.assignments.is_empty() => {
                (ObjName::from_ast(n), i.source.as_deref()?)
            }
            _ => return None,
        },
        ast::Statement::CreateTable(c) => (ObjName::from_ast(&c.name), c.query.as_deref()?),
        _ => return None,
    };
    let (source, columns) = full_copy(query)?;
    Some(Copy {
        index,
        span: stmt.span,
        dest,
        source,
        columns,
    })
}

/// Does `stmt` rename table `from` to `to`?
fn renames(stmt: &Statement, from: &ObjName, to: &ObjName) -> bool {
    let same_name = |a: &ObjName, b: &ObjName| {
        // `ALTER TABLE s.a RENAME TO b` keeps the schema
        a.same_object(b) || (b.schema.is_none() && a.name == b.name)
    };
    match &stmt.kind {
        StmtKind::RenameTable { from: f, to: t } => f.same_object(from) && same_name(to, t),
        StmtKind::AlterTable { name, ops } => {
            name.same_object(from)
                && ops
                    .iter()
                    .any(|o| matches!(o, AlterOp::RenameTo(t) if same_name(to, t)))
        }
        _ => false,
    }
}

/// Columns copied by two copies in a row (`a` then `b`, by name).
fn compose(a: &Option<BTreeSet<String>>, b: &Option<BTreeSet<String>>) -> Option<BTreeSet<String>> {
    match (a, b) {
        (None, None) => None,
        (Some(x), None) | (None, Some(x)) => Some(x.clone()),
        (Some(x), Some(y)) => Some(x.intersection(y).cloned().collect()),
    }
}

/// The rebuild `d` belongs to: the copy that carries its rows and the columns it carries
/// (`None`: every column).
fn rebuild_of(
    d: &DroppedTable,
    statements: &[Statement],
    copies: &[Copy],
    counts: &dyn Fn(&Statement) -> bool,
) -> Option<(Copy, Option<BTreeSet<String>>)> {
    let later = || statements.iter().skip(d.index + 1).filter(|s| counts(s));
    for c in copies
        .iter()
        .filter(|c| c.index < d.index && c.source.same_object(&d.name))
    {
        if c.dest.same_object(&d.name) {
            continue;
        }
        // copy and swap: the copy is renamed to the old name after the drop
        if later().any(|s| renames(s, &c.dest, &d.name)) {
            return Some((c.clone(), c.columns.clone()));
        }
        // rename first: the dropped table is the old one renamed away, the copy went into
        // the table now under the old name
        if statements[..c.index]
            .iter()
            .filter(|s| counts(s))
            .any(|s| renames(s, &c.dest, &d.name))
        {
            return Some((c.clone(), c.columns.clone()));
        }
        // backup and restore: the backup is copied back into the table under its name
        if let Some(back) = copies.iter().find(|b| {
            b.index > d.index && b.source.same_object(&c.dest) && b.dest.same_object(&d.name)
        }) {
            return Some((c.clone(), compose(&c.columns, &back.columns)));
        }
    }
    None
}

/// The table's name without identifier quotes (`"post"` → `post`), as the messages that
/// speak of the rebuilt table's columns name it.
fn plain(n: &ObjName) -> String {
    n.display.replace('"', "")
}

fn line_of(src: &str, offset: usize) -> usize {
    src.get(..offset).map_or(0, |s| s.matches('\n').count()) + 1
}

/// Replace the findings on the DROP of every rebuilt table: none when the copy keeps every
/// known column, `drop-column` for the columns it leaves out, an info note when the model
/// cannot tell (`counts` false: statements not replayed, e.g. a down section).
pub fn fold_rebuilds(
    src: &str,
    dialect: Dialect,
    statements: &[Statement],
    dropped: &[DroppedTable],
    counts: &dyn Fn(&Statement) -> bool,
    out: &mut Vec<Diagnostic>,
) {
    const LOSS: [&str; 3] = ["drop-table", "drop-recreate", "drop-if-exists"];
    let dropped: Vec<&DroppedTable> = dropped
        .iter()
        .filter(|d| {
            out.iter()
                .any(|x| x.span == d.span && LOSS.contains(&x.rule.as_str()))
        })
        .collect();
    if dropped.is_empty() {
        return;
    }
    let copies: Vec<Copy> = statements
        .iter()
        .enumerate()
        .filter(|(_, s)| counts(s) && matches!(s.keyword.as_str(), "INSERT" | "CREATE"))
        .filter_map(|(i, s)| copy_of(s, i, src, dialect))
        .collect();
    if copies.is_empty() {
        return;
    }
    for d in dropped {
        let Some((copy, carried)) = rebuild_of(d, statements, &copies, counts) else {
            continue;
        };
        out.retain(|x| !(x.span == d.span && LOSS.contains(&x.rule.as_str())));
        let Some(carried) = carried else { continue };
        let copy_line = line_of(src, copy.span.start);
        match &d.columns {
            Some(known) => {
                let missing: Vec<&String> =
                    known.iter().filter(|c| !carried.contains(*c)).collect();
                if missing.is_empty() {
                    continue;
                }
                let names = missing
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let (noun, pron) = if missing.len() == 1 {
                    ("column", "it")
                } else {
                    ("columns", "them")
                };
                out.push(
                    Diagnostic::new(
                        "drop-column",
                        d.span,
                        format!(
                            "the rebuild of table `{}` drops {noun} {names}: the copy on line \
                             {copy_line} does not read {pron}, and DROP TABLE deletes {pron} \
                             with the old table",
                            plain(&d.name)
                        ),
                    )
                    .label(format!("{noun} {names} and {pron} data go here"))
                    .with_label(copy.span, format!("this copy leaves {names} out"))
                    .help(
                        "copy every column into the new table; to remove a column, drop it on \
                         its own (`ALTER TABLE … DROP COLUMN`) once no code reads it",
                    ),
                );
            }
            None => {
                out.push(
                    Diagnostic::new(
                        "drop-table",
                        d.span,
                        format!(
                            "table `{}` is rebuilt (copied on line {copy_line}, then dropped): \
                         preflight does not know its columns, so it could not check that the \
                         copy keeps every one",
                            plain(&d.name)
                        ),
                    )
                    .severity(crate::diagnostic::Severity::Info)
                    .label("the old table and any column the copy leaves out go here")
                    .with_label(copy.span, "the rows are copied here")
                    .help(
                        "check that the copy reads every column of the old table, or copy with \
                     `SELECT *`",
                    ),
                );
            }
        }
    }
}

/// The old name of a table renamed away is taken again later in the file (the rename-first
/// rebuild: `ALTER TABLE t RENAME TO t_old; … ALTER TABLE t_new RENAME TO t` or `CREATE TABLE
/// t`): queries of `t` find a table, so `rename-table`'s "every query that still uses `t`
/// breaks" does not hold; its finding goes (column changes are judged on their own).
pub fn fold_swapped_renames(
    statements: &[Statement],
    counts: &dyn Fn(&Statement) -> bool,
    out: &mut Vec<Diagnostic>,
) {
    if !out.iter().any(|d| d.rule == "rename-table") {
        return;
    }
    for (i, s) in statements.iter().enumerate() {
        let old = match &s.kind {
            StmtKind::RenameTable { from, .. } => from,
            StmtKind::AlterTable { name, ops }
                if ops.iter().any(|o| matches!(o, AlterOp::RenameTo(_))) =>
            {
                name
            }
            _ => continue,
        };
        let retaken = statements[i + 1..]
            .iter()
            .filter(|l| counts(l))
            .any(|l| match &l.kind {
                StmtKind::CreateTable { name, .. } => name.same_object(old),
                StmtKind::RenameTable { to, .. } => to.same_object(old),
                StmtKind::AlterTable { ops, .. } => ops
                    .iter()
                    .any(|o| matches!(o, AlterOp::RenameTo(t) if t.name == old.name)),
                _ => false,
            });
        if retaken {
            out.retain(|d| !(d.rule == "rename-table" && d.span == s.span));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::{SqlOptions, check_sql};
    use crate::source::Dialect;

    fn findings(sql: &str) -> Vec<(String, String)> {
        check_sql(sql, Dialect::Postgres, &SqlOptions::default())
            .into_iter()
            .map(|d| (d.rule, d.message))
            .collect()
    }

    const USERS: &str = "CREATE TABLE users (id int PRIMARY KEY, name text, email text);\n\
                         INSERT INTO users VALUES (1, 'a', 'b');\n";

    /// The rebuild's own table is created in an earlier file of the set.
    fn in_set(rebuild: &str) -> Vec<(String, String)> {
        let mut r = crate::check::replay::Replay::new(false);
        let opts = SqlOptions::default();
        r.next_file("1.sql", false);
        crate::check::check_sql_in(USERS, Dialect::Postgres, &opts, Some(&mut r));
        r.next_file("2.sql", false);
        crate::check::check_sql_in(rebuild, Dialect::Postgres, &opts, Some(&mut r))
            .into_iter()
            .map(|d| (d.rule, d.message))
            .collect()
    }

    #[test]
    fn copy_and_swap_keeping_every_column_is_silent() {
        let f = in_set(
            "CREATE TABLE users_new (id int PRIMARY KEY, name text NOT NULL, email text);\n\
             INSERT INTO users_new (id, name, email) SELECT id, coalesce(name, ''), email FROM users;\n\
             DROP TABLE users;\n\
             ALTER TABLE users_new RENAME TO users;\n",
        );
        assert!(f.is_empty(), "{f:?}");
        // SQLite's 12 steps, `SELECT *`
        let f = in_set(
            "PRAGMA foreign_keys=off;\nBEGIN TRANSACTION;\n\
             CREATE TABLE new_users (id int PRIMARY KEY, name text, email text);\n\
             INSERT INTO new_users SELECT * FROM users;\nDROP TABLE users;\n\
             ALTER TABLE new_users RENAME TO users;\nCOMMIT;\nPRAGMA foreign_keys=on;\n",
        );
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn a_column_left_out_of_the_copy_is_a_drop_column() {
        let f = in_set(
            "CREATE TABLE users_new (id int PRIMARY KEY, name text);\n\
             INSERT INTO users_new (id, name) SELECT id, name FROM users;\n\
             DROP TABLE users;\n\
             ALTER TABLE users_new RENAME TO users;\n",
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].0, "drop-column");
        assert!(f[0].1.contains("drops column `email`"), "{}", f[0].1);
        assert!(f[0].1.contains("line 2"), "{}", f[0].1);
        // quoted names (Prisma, TypeORM): the table is named without its quotes, like the
        // columns beside it
        let f = in_set(
            "CREATE TABLE \"new_users\" (\"id\" int PRIMARY KEY, \"name\" text);\n\
             INSERT INTO \"new_users\" (\"id\", \"name\") SELECT \"id\", \"name\" FROM \"users\";\n\
             DROP TABLE \"users\";\n\
             ALTER TABLE \"new_users\" RENAME TO \"users\";\n",
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(
            f[0].1
                .starts_with("the rebuild of table `users` drops column `email`"),
            "{}",
            f[0].1
        );
    }

    #[test]
    fn backup_and_restore() {
        let ok = in_set(
            "CREATE TABLE users_backup AS SELECT * FROM users;\nDROP TABLE users;\n\
             CREATE TABLE users (id int PRIMARY KEY, name text NOT NULL, email text);\n\
             INSERT INTO users SELECT id, name, email FROM users_backup;\n\
             DROP TABLE users_backup;\n",
        );
        assert!(ok.is_empty(), "{ok:?}");
        let lossy = in_set(
            "CREATE TABLE users_backup AS SELECT * FROM users;\nDROP TABLE users;\n\
             CREATE TABLE users (id int PRIMARY KEY, name text NOT NULL);\n\
             INSERT INTO users SELECT id, name FROM users_backup;\n\
             DROP TABLE users_backup;\n",
        );
        let rules: Vec<&str> = lossy.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(rules, ["drop-column"], "{lossy:?}");
        assert!(lossy[0].1.contains("`email`"));
    }

    #[test]
    fn rename_first_rebuild() {
        let f = in_set(
            "ALTER TABLE users RENAME TO users_old;\n\
             CREATE TABLE users (id int PRIMARY KEY, name text, email text);\n\
             INSERT INTO users (id, name, email) SELECT id, name, email FROM users_old;\n\
             DROP TABLE users_old;\n",
        );
        assert!(!f.iter().any(|x| x.0 == "drop-table"), "{f:?}");
        let f = in_set(
            "ALTER TABLE users RENAME TO users_old;\n\
             CREATE TABLE users (id int PRIMARY KEY, name text);\n\
             INSERT INTO users (id, name) SELECT id, name FROM users_old;\n\
             DROP TABLE users_old;\n",
        );
        assert!(
            f.iter()
                .any(|x| x.0 == "drop-column" && x.1.contains("`email`")),
            "{f:?}"
        );
    }

    #[test]
    fn a_name_taken_again_is_no_broken_rename() {
        let f = in_set(
            "CREATE TABLE users_new (id int PRIMARY KEY, name text, email text);\n\
             INSERT INTO users_new SELECT u.id, u.name, u.email FROM users u WHERE u.id > 0;\n\
             ALTER TABLE users RENAME TO users_old;\nALTER TABLE users_new RENAME TO users;\n",
        );
        assert!(!f.iter().any(|x| x.0 == "rename-table"), "{f:?}");
        // near miss: the old name stays free
        let f = in_set("ALTER TABLE users RENAME TO members;\n");
        assert!(f.iter().any(|x| x.0 == "rename-table"), "{f:?}");
    }

    #[test]
    fn unknown_columns_leave_an_info_note() {
        let d = check_sql(
            "CREATE TABLE t_new (id int, a text);\nINSERT INTO t_new SELECT id, a FROM t;\n\
             DROP TABLE t;\nALTER TABLE t_new RENAME TO t;\n",
            Dialect::Sqlite,
            &SqlOptions::default(),
        );
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].rule, "drop-table");
        assert_eq!(d[0].severity, crate::diagnostic::Severity::Info);
        assert!(d[0].message.contains("could not check"));
        // `SELECT *` keeps every column, known or not
        assert!(
            findings(
                "CREATE TABLE t_new (id int);\nINSERT INTO t_new SELECT * FROM t;\nDROP TABLE t;\n\
                 ALTER TABLE t_new RENAME TO t;\n"
            )
            .is_empty()
        );
    }

    #[test]
    fn near_misses_are_still_reported() {
        // the copy keeps only some rows
        let f = in_set(
            "CREATE TABLE users_new (id int, name text, email text);\n\
             INSERT INTO users_new SELECT * FROM users WHERE id > 10;\nDROP TABLE users;\n\
             ALTER TABLE users_new RENAME TO users;\n",
        );
        assert!(f.iter().any(|x| x.0 == "drop-table"), "{f:?}");
        // copied, but the copy is never swapped in
        let f = in_set(
            "CREATE TABLE users_new (id int, name text, email text);\n\
             INSERT INTO users_new SELECT * FROM users;\nDROP TABLE users;\n",
        );
        assert!(f.iter().any(|x| x.0 == "drop-table"), "{f:?}");
        // the copy comes after the drop
        let f = in_set(
            "DROP TABLE users;\nCREATE TABLE users_new (id int);\n\
             INSERT INTO users_new SELECT * FROM users;\nALTER TABLE users_new RENAME TO users;\n",
        );
        assert!(f.iter().any(|x| x.0 == "drop-table"), "{f:?}");
        // backup taken but never restored
        let f = in_set(
            "CREATE TABLE users_backup AS SELECT * FROM users;\nDROP TABLE users;\n\
             CREATE TABLE users (id int PRIMARY KEY);\n",
        );
        assert!(f.iter().any(|x| x.0 == "drop-recreate"), "{f:?}");
        // an inner join may drop rows
        let f = in_set(
            "CREATE TABLE users_new (id int, name text, email text);\n\
             INSERT INTO users_new SELECT u.* FROM users u JOIN orgs o ON o.id = u.org;\n\
             DROP TABLE users;\nALTER TABLE users_new RENAME TO users;\n",
        );
        assert!(f.iter().any(|x| x.0 == "drop-table"), "{f:?}");
    }
}
