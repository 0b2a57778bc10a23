//! Which measurement a statement needs: statement facts in, [`Probe`]s out. Pure (no I/O), so
//! the decisions that keep the live check safe — what is measured, which predicates are
//! refused — are unit-tested without a database.

use crate::model::Layer;
use crate::source::Dialect;
use crate::sql::lexer::{self, TokenKind};
use crate::sql::{AlterOp, ObjName, ObjectKind, Predicate, Statement, StmtKind};
use sqlparser::ast::{self as ast, Expr, Statement as S, Value};
use std::ops::ControlFlow;

mod vet;
pub use vet::vet_text;
use vet::{vet_expr, vet_relations};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Delete,
    Update,
}

impl Verb {
    pub fn keyword(self) -> &'static str {
        match self {
            Verb::Delete => "DELETE",
            Verb::Update => "UPDATE",
        }
    }
    pub fn past(self) -> &'static str {
        match self {
            Verb::Delete => "delete",
            Verb::Update => "update",
        }
    }
}

/// One measurement to take. Every SQL text the database will see is built from these fields
/// by `db.rs`; the user's statement itself is never sent.
#[derive(Debug, Clone, PartialEq)]
pub enum Probe {
    /// `DELETE`/`UPDATE`: rows matched by the predicate (all rows when there is none).
    Rows {
        verb: Verb,
        table: ObjName,
        /// The target's alias as written (`DELETE FROM users u …`), already SQL text.
        alias: Option<String>,
        /// `USING …` / `FROM …` list as SQL text: a row matches when a joined row satisfies
        /// the predicate.
        join: Option<String>,
        /// The predicate as SQL text (sqlparser's rendering of the parsed expression).
        predicate: Option<String>,
    },
    /// `SET NOT NULL` (count NULLs) or `ADD COLUMN … NOT NULL` without a default (`added`:
    /// every existing row would hold NULL).
    NotNull {
        table: ObjName,
        column: String,
        added: bool,
        /// An earlier UPDATE in the same file assigns this column (a backfill).
        backfilled: bool,
    },
    /// `DROP TABLE` / `TRUNCATE`: rows, size, dependents.
    Table {
        table: ObjName,
        truncate: bool,
        if_exists: bool,
    },
    /// `DROP COLUMN`: values held, dependent views.
    DropColumn {
        table: ObjName,
        column: String,
        if_exists: bool,
    },
    /// `RENAME` of a table or column: what depends on it.
    Rename {
        table: ObjName,
        column: Option<String>,
    },
    /// Not measured, with the reason. `refused` = preflight declined to send the predicate.
    CannotMeasure {
        table: Option<ObjName>,
        reason: String,
        refused: bool,
    },
}

/// The probes for one statement (empty when there is nothing to measure). Statements inside
/// routine bodies run when the routine is called, not now: not measured.
pub fn probes(stmt: &Statement, state: &Layer, dialect: Dialect) -> Vec<Probe> {
    if stmt.in_body {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut push = |p: Probe| {
        let table = match &p {
            Probe::Rows { table, .. }
            | Probe::NotNull { table, .. }
            | Probe::Table { table, .. }
            | Probe::DropColumn { table, .. }
            | Probe::Rename { table, .. } => Some(table),
            Probe::CannotMeasure { table, .. } => table.as_ref(),
        };
        // created earlier in this file: not in the database yet, nothing to measure
        if !table.is_some_and(|t| state.created_or_renamed_here(t)) {
            out.push(p);
        }
    };
    match &stmt.kind {
        StmtKind::Delete {
            table,
            predicate,
            limited,
        } => rows(
            stmt,
            Verb::Delete,
            table,
            predicate,
            *limited,
            dialect,
            &mut push,
        ),
        StmtKind::Update {
            table,
            predicate,
            limited,
            ..
        } => rows(
            stmt,
            Verb::Update,
            table,
            predicate,
            *limited,
            dialect,
            &mut push,
        ),
        StmtKind::Drop {
            object: ObjectKind::Table,
            names,
            if_exists,
            ..
        } => {
            for n in names {
                push(Probe::Table {
                    table: n.clone(),
                    truncate: false,
                    if_exists: *if_exists,
                });
            }
        }
        StmtKind::Truncate { tables, .. } => {
            for n in tables {
                push(Probe::Table {
                    table: n.clone(),
                    truncate: true,
                    if_exists: false,
                });
            }
        }
        StmtKind::RenameTable { from, .. } => push(Probe::Rename {
            table: from.clone(),
            column: None,
        }),
        StmtKind::AlterTable { name, ops } => {
            for op in ops {
                match op {
                    AlterOp::SetNotNull { column } => push(Probe::NotNull {
                        table: name.clone(),
                        column: column.clone(),
                        added: false,
                        backfilled: state.backfilled(name, column),
                    }),
                    AlterOp::AddColumn(c) if c.not_null && !c.has_default => push(Probe::NotNull {
                        table: name.clone(),
                        column: c.name.clone(),
                        added: true,
                        backfilled: false,
                    }),
                    AlterOp::DropColumn {
                        names, if_exists, ..
                    } => {
                        for n in names {
                            push(Probe::DropColumn {
                                table: name.clone(),
                                column: n.clone(),
                                if_exists: *if_exists,
                            });
                        }
                    }
                    AlterOp::RenameColumn { from, .. } => push(Probe::Rename {
                        table: name.clone(),
                        column: Some(from.clone()),
                    }),
                    AlterOp::RenameTo(_) => push(Probe::Rename {
                        table: name.clone(),
                        column: None,
                    }),
                    _ => {}
                }
            }
        }
        _ => {}
    }
    out
}

fn rows(
    stmt: &Statement,
    verb: Verb,
    table: &Option<ObjName>,
    predicate: &Option<Predicate>,
    limited: bool,
    dialect: Dialect,
    push: &mut dyn FnMut(Probe),
) {
    let Some(table) = table else {
        return;
    };
    let cannot = |reason: &str, refused: bool| Probe::CannotMeasure {
        table: Some(table.clone()),
        reason: reason.to_string(),
        refused,
    };
    if limited {
        return push(cannot(
            "the statement has a LIMIT, so a count of the predicate would overstate it",
            false,
        ));
    }
    let (alias, join) = match target_shape(stmt) {
        Ok(x) => x,
        Err(reason) => return push(cannot(&reason, false)),
    };
    let predicate_text = match predicate {
        None => None,
        Some(p) if p.opaque => {
            return push(cannot(
                "the WHERE clause comes from a shell variable; its value is unknown until the \
                 script runs",
                false,
            ));
        }
        Some(Predicate { expr: None, .. }) => {
            return push(cannot(
                "the statement could not be parsed, so its WHERE clause is not known exactly",
                false,
            ));
        }
        Some(Predicate {
            expr: Some(expr), ..
        }) => {
            if let Err((reason, refused)) = vet_expr(expr) {
                return push(cannot(&reason, refused));
            }
            Some(expr.to_string())
        }
    };
    for text in predicate_text.iter().chain(join.iter()) {
        if let Err(reason) = vet_text(text, dialect) {
            return push(cannot(&reason, true));
        }
    }
    if let Some(S::Delete(d)) = stmt.ast.as_deref()
        && let Some(using) = &d.using
        && let Err((reason, refused)) = vet_relations(using)
    {
        return push(cannot(&reason, refused));
    }
    if let Some(S::Update(u)) = stmt.ast.as_deref()
        && let Some(
            ast::UpdateTableFromKind::AfterSet(from) | ast::UpdateTableFromKind::BeforeSet(from),
        ) = &u.from
        && let Err((reason, refused)) = vet_relations(from)
    {
        return push(cannot(&reason, refused));
    }
    push(Probe::Rows {
        verb,
        table: table.clone(),
        alias,
        join,
        predicate: predicate_text,
    });
}

/// The target's alias and the joined list (`USING` / `UPDATE … FROM`), as SQL text.
type Shape = (Option<String>, Option<String>);

fn target_shape(stmt: &Statement) -> Result<Shape, String> {
    let list = |v: &[ast::TableWithJoins]| {
        v.iter()
            .map(|t| t.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let alias_of = |t: &ast::TableWithJoins| -> Result<Option<String>, String> {
        if !t.joins.is_empty() {
            return Err("the target table is joined in place; not measured".to_string());
        }
        match &t.relation {
            ast::TableFactor::Table { alias, args, .. } if args.is_none() => {
                Ok(alias.as_ref().map(|a| a.name.to_string()))
            }
            _ => Err("the target is not a plain table; not measured".to_string()),
        }
    };
    match stmt.ast.as_deref() {
        Some(S::Delete(d)) => {
            if d.tables.len() > 1 {
                return Err("multi-table DELETE; not measured".to_string());
            }
            let from = match &d.from {
                ast::FromTable::WithFromKeyword(v) | ast::FromTable::WithoutKeyword(v) => v,
            };
            if !d.tables.is_empty() || from.len() != 1 {
                return Err("multi-table DELETE; not measured".to_string());
            }
            let alias = match from.first() {
                Some(t) => alias_of(t)?,
                None => None,
            };
            let join = d.using.as_deref().filter(|v| !v.is_empty()).map(list);
            Ok((alias, join))
        }
        Some(S::Update(u)) => {
            let alias = alias_of(&u.table)?;
            let join = match &u.from {
                Some(
                    ast::UpdateTableFromKind::AfterSet(v) | ast::UpdateTableFromKind::BeforeSet(v),
                ) if !v.is_empty() => Some(list(v)),
                _ => None,
            };
            Ok((alias, join))
        }
        // read by tokens: the WHERE check below reports that
        _ => Ok((None, None)),
    }
}

/// Builtin functions with effects outside the transaction's data (or that write, where the
/// read-only transaction would refuse them anyway). A predicate that calls one is not sent.
pub const SIDE_EFFECT_FUNCTIONS: &[&str] = &[
    "nextval",
    "setval",
    "set_config",
    "pg_terminate_backend",
    "pg_cancel_backend",
    "pg_reload_conf",
    "pg_rotate_logfile",
    "pg_promote",
    "pg_switch_wal",
    "pg_create_restore_point",
    "pg_backup_start",
    "pg_backup_stop",
    "pg_start_backup",
    "pg_stop_backup",
    "pg_wal_replay_pause",
    "pg_wal_replay_resume",
    "pg_create_physical_replication_slot",
    "pg_create_logical_replication_slot",
    "pg_drop_replication_slot",
    "pg_replication_origin_create",
    "pg_replication_origin_drop",
    "pg_notify",
    "pg_logical_emit_message",
    "pg_advisory_lock",
    "pg_advisory_lock_shared",
    "pg_advisory_xact_lock",
    "pg_advisory_xact_lock_shared",
    "pg_try_advisory_lock",
    "pg_try_advisory_lock_shared",
    "pg_try_advisory_xact_lock",
    "pg_try_advisory_xact_lock_shared",
    "pg_advisory_unlock",
    "pg_advisory_unlock_shared",
    "pg_advisory_unlock_all",
    "pg_stat_reset",
    "pg_stat_reset_shared",
    "pg_stat_reset_single_table_counters",
    "pg_stat_reset_single_function_counters",
    "pg_stat_reset_slru",
    "pg_stat_reset_replication_slot",
    "pg_import_system_collations",
    "pg_log_backend_memory_contexts",
    "pg_file_write",
    "pg_file_rename",
    "pg_file_unlink",
    "pg_file_sync",
    "lo_create",
    "lo_creat",
    "lo_import",
    "lo_export",
    "lo_unlink",
    "lo_put",
    "lo_from_bytea",
    "lo_truncate",
    "lo_truncate64",
    "lowrite",
    "dblink",
    "dblink_exec",
    "dblink_connect",
    "dblink_connect_u",
    "dblink_send_query",
    "dblink_open",
    "txid_current",
    "pg_current_xact_id",
];

/// `"name"` with embedded quotes doubled: the only identifier form the database sees.
pub fn quote_ident(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// `"schema"."name"` (or `"name"`, resolved through the search_path).
pub fn qualified(n: &ObjName) -> String {
    match &n.schema {
        Some(s) => format!("{}.{}", quote_ident(s), quote_ident(&n.name)),
        None => quote_ident(&n.name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::{Options, analyze};

    fn probe_of(sql: &str) -> Vec<Probe> {
        let stmts = analyze(sql, Dialect::Postgres, Options::default());
        let mut state = Layer::default();
        let mut out = Vec::new();
        for s in &stmts {
            out.extend(probes(s, &state, Dialect::Postgres));
            state.apply(s);
        }
        out
    }

    fn one(sql: &str) -> Probe {
        let mut v = probe_of(sql);
        assert_eq!(v.len(), 1, "{sql}: {v:?}");
        v.remove(0)
    }

    fn cannot(sql: &str) -> (String, bool) {
        match one(sql) {
            Probe::CannotMeasure {
                reason, refused, ..
            } => (reason, refused),
            p => panic!("{sql}: expected CannotMeasure, got {p:?}"),
        }
    }

    #[test]
    fn delete_with_alias_and_predicate() {
        match one("DELETE FROM public.users AS u WHERE u.last_login IS NULL;") {
            Probe::Rows {
                verb,
                table,
                alias,
                join,
                predicate,
            } => {
                assert_eq!(verb, Verb::Delete);
                assert_eq!(qualified(&table), "\"public\".\"users\"");
                assert_eq!(alias.as_deref(), Some("u"));
                assert_eq!(join, None);
                assert_eq!(predicate.as_deref(), Some("u.last_login IS NULL"));
            }
            p => panic!("{p:?}"),
        }
    }

    #[test]
    fn delete_without_where_counts_everything() {
        assert!(matches!(
            one("DELETE FROM users;"),
            Probe::Rows {
                predicate: None,
                ..
            }
        ));
    }

    #[test]
    fn update_from_and_delete_using_keep_the_join() {
        match one("UPDATE users SET plan = 'x' FROM orders o WHERE o.user_id = users.id;") {
            Probe::Rows { join, .. } => assert_eq!(join.as_deref(), Some("orders o")),
            p => panic!("{p:?}"),
        }
        match one("DELETE FROM users USING orders WHERE orders.user_id = users.id;") {
            Probe::Rows { join, .. } => assert_eq!(join.as_deref(), Some("orders")),
            p => panic!("{p:?}"),
        }
    }

    #[test]
    fn parameters_and_shell_variables_are_not_guessed() {
        let (r, refused) = cannot("DELETE FROM users WHERE id = $1;");
        assert!(r.contains("`$1`") && !refused, "{r}");
        let stmts = analyze(
            "DELETE FROM users WHERE $COND;",
            Dialect::Postgres,
            Options { shell_vars: true },
        );
        let p = probes(&stmts[0], &Layer::default(), Dialect::Postgres);
        assert!(
            matches!(&p[..], [Probe::CannotMeasure { reason, refused: false, .. }] if reason.contains("shell variable")),
            "{p:?}"
        );
    }

    #[test]
    fn side_effect_functions_are_refused() {
        let (r, refused) =
            cannot("DELETE FROM users WHERE pg_terminate_backend(pg_backend_pid());");
        assert!(refused && r.contains("pg_terminate_backend"), "{r}");
        let (r, refused) = cannot("UPDATE users SET a = 1 WHERE id = nextval('s');");
        assert!(refused && r.contains("nextval"), "{r}");
        let (r, refused) = cannot(
            "DELETE FROM users USING dblink('x', 'DELETE FROM t') AS t(id int) WHERE t.id = users.id;",
        );
        assert!(refused && r.contains("dblink"), "{r}");
        // near miss: ordinary functions are measured
        assert!(matches!(
            one("DELETE FROM users WHERE lower(email) = 'a' AND created < now();"),
            Probe::Rows { .. }
        ));
    }

    #[test]
    fn text_fence() {
        assert!(vet_text("a = 1; DROP TABLE x", Dialect::Postgres).is_err());
        assert!(vet_text("a = ';'", Dialect::Postgres).is_ok());
        assert!(vet_text("a = 'x", Dialect::Postgres).is_err());
        assert!(vet_text("\"a;b\" = 1", Dialect::Postgres).is_ok());
    }

    #[test]
    fn quoting() {
        assert_eq!(quote_ident("we\"ird"), "\"we\"\"ird\"");
        let n = ObjName::from_parts(&[("Sales".into(), true), ("Users".into(), false)]);
        assert_eq!(qualified(&n), "\"Sales\".\"users\"");
    }

    #[test]
    fn ddl_probes() {
        assert!(matches!(
            one("ALTER TABLE users ALTER COLUMN email SET NOT NULL;"),
            Probe::NotNull { added: false, backfilled: false, ref column, .. } if column == "email"
        ));
        assert!(matches!(
            one("ALTER TABLE users ADD COLUMN tier text NOT NULL;"),
            Probe::NotNull { added: true, .. }
        ));
        assert!(
            probe_of("ALTER TABLE users ADD COLUMN tier text NOT NULL DEFAULT 'a';").is_empty()
        );
        assert!(probe_of("ALTER TABLE users ADD COLUMN tier text;").is_empty());
        assert!(matches!(
            one("DROP TABLE IF EXISTS users;"),
            Probe::Table {
                truncate: false,
                if_exists: true,
                ..
            }
        ));
        assert!(matches!(
            one("TRUNCATE sessions;"),
            Probe::Table { truncate: true, .. }
        ));
        assert!(matches!(
            one("ALTER TABLE users DROP COLUMN email;"),
            Probe::DropColumn { .. }
        ));
        assert!(matches!(
            one("ALTER TABLE users RENAME TO people;"),
            Probe::Rename { column: None, .. }
        ));
        assert!(matches!(
            one("ALTER TABLE users RENAME COLUMN email TO mail;"),
            Probe::Rename { column: Some(ref c), .. } if c == "email"
        ));
    }

    #[test]
    fn backfill_and_created_here() {
        let p = probe_of(
            "UPDATE users SET email = '' WHERE email IS NULL;\n\
             ALTER TABLE users ALTER COLUMN email SET NOT NULL;",
        );
        assert!(
            matches!(
                p.last(),
                Some(Probe::NotNull {
                    backfilled: true,
                    ..
                })
            ),
            "{p:?}"
        );
        let p =
            probe_of("CREATE TABLE scratch (id int);\nDELETE FROM scratch;\nDROP TABLE scratch;");
        assert!(p.is_empty(), "{p:?}");
    }

    #[test]
    fn routine_bodies_are_not_measured() {
        let p = probe_of(
            "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN DELETE FROM users; END $$;",
        );
        assert!(p.is_empty(), "{p:?}");
    }
}
