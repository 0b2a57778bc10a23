//! One file in one transaction: each statement sent on its own, and after each, what it did
//! to tables that existed before the file (locks held from `pg_locks`, rewrites from
//! `pg_class.relfilenode`), the rows a DML statement affected, or PostgreSQL's error.

use crate::source::Span;
use crate::sql::Statement;
use postgres::Client;
use postgres::error::SqlState;
use postgres::types::Oid;
use std::collections::HashMap;

/// What happened to one statement.
#[derive(Debug, Clone)]
pub enum Event {
    Error {
        span: Span,
        message: String,
        code: String,
        hint: Option<String>,
        detail: Option<String>,
        /// lock_timeout / statement_timeout fired.
        timeout: Option<&'static str>,
        /// "contains null values": (NULL rows, all rows) of the column.
        nulls: Option<(i64, i64)>,
    },
    Lock {
        span: Span,
        table: String,
        mode: &'static str,
        blocks: &'static str,
    },
    Rewrite {
        span: Span,
        relation: String,
        index: bool,
        lock: Option<&'static str>,
    },
    Skipped {
        span: Span,
        reason: String,
        refused: bool,
    },
    Rows {
        span: Span,
        verb: String,
        rows: u64,
        table: Option<String>,
        total: Option<i64>,
    },
}

impl Event {
    pub fn span(&self) -> Span {
        match self {
            Event::Error { span, .. }
            | Event::Lock { span, .. }
            | Event::Rewrite { span, .. }
            | Event::Skipped { span, .. }
            | Event::Rows { span, .. } => *span,
        }
    }
}

/// How a file's transaction ends.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// Throwaway cluster, a migration set: later files build on this one.
    CommitUnlessFailed,
    /// Always rolled back (the target database; loose files).
    Rollback,
}

pub struct FileRun {
    pub events: Vec<Event>,
    /// A statement failed: the file's changes were rolled back.
    pub failed: bool,
}

struct Rel {
    name: String,
    kind: char,
    /// The table an index belongs to.
    table: Option<Oid>,
    filenode: Oid,
}

/// Locks that block others, strongest first: (pg_locks mode, SQL name, what it blocks).
const LOCKS: &[(&str, &str, &str)] = &[
    (
        "AccessExclusiveLock",
        "ACCESS EXCLUSIVE",
        "reads and writes",
    ),
    (
        "ExclusiveLock",
        "EXCLUSIVE",
        "writes (and SELECT … FOR UPDATE)",
    ),
    ("ShareRowExclusiveLock", "SHARE ROW EXCLUSIVE", "writes"),
    ("ShareLock", "SHARE", "writes"),
];

fn lock_rank(mode: &str) -> Option<usize> {
    LOCKS.iter().position(|l| l.0 == mode)
}

/// Statements that cannot run inside a transaction block, and why.
fn not_transactional(text: &str, server_version: i32) -> Option<String> {
    let words: Vec<String> = crate::dryrun::words(text, 6);
    let w: Vec<&str> = words.iter().map(String::as_str).collect();
    let reason = match w.as_slice() {
        ["CREATE", "INDEX", "CONCURRENTLY", ..]
        | ["CREATE", "UNIQUE", "INDEX", "CONCURRENTLY", ..]
        | ["DROP", "INDEX", "CONCURRENTLY", ..] => "runs CONCURRENTLY",
        ["REINDEX", ..] if words.iter().any(|x| x == "CONCURRENTLY") => "runs CONCURRENTLY",
        ["VACUUM", ..] => "is VACUUM",
        ["ALTER", "SYSTEM", ..] => "is ALTER SYSTEM",
        ["CREATE", "DATABASE", ..] | ["DROP", "DATABASE", ..] => "creates or drops a database",
        ["CREATE", "TABLESPACE", ..] | ["DROP", "TABLESPACE", ..] => {
            "creates or drops a tablespace"
        }
        ["ALTER", "TYPE", ..]
            if server_version < 120000 && text.to_ascii_uppercase().contains("ADD VALUE") =>
        {
            "is ALTER TYPE … ADD VALUE (before PostgreSQL 12)"
        }
        _ => return None,
    };
    Some(format!(
        "not run: this statement {reason}, which cannot run inside a transaction block"
    ))
}

/// Calls whose effects a rollback cannot undo: refused, never sent.
fn refused_call(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    const CALLS: &[&str] = &[
        "dblink",
        "pg_terminate_backend",
        "pg_cancel_backend",
        "pg_reload_conf",
        "pg_rotate_logfile",
        "pg_promote",
        "pg_file_write",
        "pg_file_unlink",
        "pg_file_rename",
        "lo_export",
        "lo_import",
        "pg_switch_wal",
        "pg_create_restore_point",
        "pg_logical_emit_message",
    ];
    if let Some(c) = CALLS.iter().find(|c| lower.contains(**c)) {
        return Some(format!(
            "not run: it calls {c}, whose effect a rollback cannot undo"
        ));
    }
    let words = crate::dryrun::words(text, 64);
    if words.first().is_some_and(|w| w == "COPY") && words.iter().any(|w| w == "PROGRAM") {
        return Some("not run: COPY … PROGRAM runs a shell command on the server".to_string());
    }
    if words.first().is_some_and(|w| w == "COPY") && words.iter().any(|w| w == "STDIN") {
        return Some("not run: COPY … FROM STDIN reads data the client sends (psql input)".into());
    }
    None
}

/// Transaction control in the file: the dry run owns the transaction, so these are not sent.
fn transaction_control(text: &str) -> bool {
    let words = crate::dryrun::words(text, 3);
    let w: Vec<&str> = words.iter().map(String::as_str).collect();
    matches!(
        w.as_slice(),
        ["BEGIN", ..]
            | ["START", "TRANSACTION", ..]
            | ["COMMIT", ..]
            | ["END", ..]
            | ["ABORT", ..]
            | ["PREPARE", "TRANSACTION", ..]
    ) || (w.first() == Some(&"ROLLBACK") && !words.iter().any(|x| x == "TO"))
}

fn db_error(span: Span, e: &postgres::Error) -> Event {
    match e.as_db_error() {
        Some(d) => {
            let timeout = match *d.code() {
                SqlState::LOCK_NOT_AVAILABLE => Some("lock_timeout"),
                SqlState::QUERY_CANCELED => Some("statement_timeout"),
                _ => None,
            };
            Event::Error {
                span,
                message: d.message().to_string(),
                code: d.code().code().to_string(),
                hint: d.hint().map(str::to_string),
                detail: d.detail().map(str::to_string),
                timeout,
                nulls: None,
            }
        }
        None => Event::Error {
            span,
            message: e.to_string(),
            code: String::new(),
            hint: None,
            detail: None,
            timeout: None,
            nulls: None,
        },
    }
}

const SNAPSHOT: &str = "SELECT c.oid, c.oid::regclass::text, c.relkind::text, i.indrelid, \
     c.relfilenode FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
     LEFT JOIN pg_index i ON i.indexrelid = c.oid \
     WHERE c.relkind IN ('r', 'p', 'm', 'i') \
       AND n.nspname NOT IN ('pg_catalog', 'information_schema') \
       AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'";

fn snapshot(client: &mut Client) -> Result<HashMap<Oid, Rel>, postgres::Error> {
    let rows = client.query(SNAPSHOT, &[])?;
    Ok(rows
        .iter()
        .map(|r| {
            let kind: String = r.get(2);
            (
                r.get::<_, Oid>(0),
                Rel {
                    name: r.get(1),
                    kind: kind.chars().next().unwrap_or('r'),
                    table: r.get(3),
                    filenode: r.get(4),
                },
            )
        })
        .collect())
}

/// SQLSTATEs that mean "an object this statement names is not there" (42P01 undefined table,
/// 3F000 schema, 42704 object, 42883 function, 42703 column).
const MISSING: &[&str] = &["42P01", "3F000", "42704", "42883", "42703"];

/// Statements that take no lock stronger than ROW EXCLUSIVE and rewrite nothing: not observed.
const NOT_OBSERVED: &[&str] = &[
    "INSERT", "SELECT", "VALUES", "COMMENT", "SET", "RESET", "SHOW", "GRANT", "REVOKE", "NOTIFY",
    "LISTEN", "DO", "CALL",
];

pub struct Session<'a> {
    pub client: &'a mut Client,
    pub server_version: i32,
    /// `SET LOCAL` lines sent after BEGIN (timeouts on a target database).
    pub set_local: Vec<String>,
    /// Count rows of the DML's table (target database: "would delete 4,500 of 5,000 rows").
    pub count_rows: bool,
    /// Throwaway server: a statement naming an object these files never created is skipped
    /// (one info per file), not an error — the object comes from outside the replayed files.
    pub tolerate_missing: bool,
}

impl Session<'_> {
    /// Run one file's statements in one transaction. `Err` = the session is unusable.
    pub fn run_file(
        &mut self,
        text: &str,
        statements: &[Statement],
        end: End,
    ) -> Result<FileRun, String> {
        let fatal = |e: postgres::Error| format!("lost the dry-run session: {e}");
        self.client.batch_execute("BEGIN").map_err(fatal)?;
        for s in &self.set_local {
            self.client.batch_execute(s).map_err(fatal)?;
        }
        let mut events = Vec::new();
        let mut rels = snapshot(self.client).map_err(fatal)?;
        // (table oid → strongest lock rank reported so far in this file)
        let mut reported: HashMap<Oid, usize> = HashMap::new();
        let mut failed = false;
        let mut done_to = 0usize;
        // (first statement that named a missing object, its message, how many did)
        let mut missing: Option<(Span, String, usize)> = None;
        for stmt in statements {
            if stmt.in_body || stmt.span.start < done_to || stmt.keyword.starts_with('\\') {
                continue;
            }
            done_to = stmt.span.end;
            let sql = &text[stmt.span.start..stmt.span.end];
            if transaction_control(sql) {
                continue;
            }
            if let Some(reason) = refused_call(sql) {
                events.push(Event::Skipped {
                    span: stmt.span,
                    reason,
                    refused: true,
                });
                continue;
            }
            if let Some(reason) = not_transactional(sql, self.server_version) {
                events.push(Event::Skipped {
                    span: stmt.span,
                    reason,
                    refused: false,
                });
                continue;
            }
            // a savepoint per statement: after an error the file's state up to it is still
            // there to explain it (e.g. count the NULLs a SET NOT NULL tripped over)
            self.client
                .batch_execute("SAVEPOINT preflight_stmt")
                .map_err(fatal)?;
            // the extended protocol: exactly one statement per message
            let result = self.client.execute(sql, &[]);
            let rows = match result {
                Ok(n) => n,
                Err(e) => {
                    if e.is_closed() {
                        return Err(fatal(e));
                    }
                    let mut ev = db_error(stmt.span, &e);
                    self.client
                        .batch_execute("ROLLBACK TO SAVEPOINT preflight_stmt")
                        .map_err(fatal)?;
                    // a Flyway `${placeholder}` or psql `:variable` the dry run cannot fill
                    if let Some(d) = e.as_db_error()
                        && *d.code() == SqlState::SYNTAX_ERROR
                        && (d.message().ends_with("at or near \"$\"")
                            || d.message().ends_with("at or near \":\""))
                        && (sql.contains("${") || sql.contains(" :"))
                    {
                        events.push(Event::Skipped {
                            span: stmt.span,
                            reason: "not dry-run: the statement holds a placeholder (`${…}` or a \
                                     psql `:variable`) that is filled in when it is deployed"
                                .to_string(),
                            refused: false,
                        });
                        let _ = self
                            .client
                            .batch_execute("RELEASE SAVEPOINT preflight_stmt");
                        continue;
                    }
                    if self.tolerate_missing
                        && let Some(d) = e.as_db_error()
                        && MISSING.contains(&d.code().code())
                    {
                        match &mut missing {
                            Some((_, _, n)) => *n += 1,
                            None => missing = Some((stmt.span, d.message().to_string(), 1)),
                        }
                        let _ = self
                            .client
                            .batch_execute("RELEASE SAVEPOINT preflight_stmt");
                        continue;
                    }
                    if let (Some(d), Event::Error { nulls, .. }) = (e.as_db_error(), &mut ev)
                        && *d.code() == SqlState::NOT_NULL_VIOLATION
                        && let (Some(t), Some(c)) = (d.table(), d.column())
                    {
                        *nulls = self.count_nulls(d.schema(), t, c);
                    }
                    events.push(ev);
                    failed = true;
                    break;
                }
            };
            self.client
                .batch_execute("RELEASE SAVEPOINT preflight_stmt")
                .map_err(fatal)?;
            let verb = stmt.keyword.as_str();
            if matches!(verb, "DELETE" | "UPDATE" | "INSERT" | "MERGE") {
                let table = crate::dryrun::dml_table(stmt);
                let total = match (&table, self.count_rows, verb) {
                    (Some(t), true, "DELETE" | "UPDATE") => {
                        self.count_before(&crate::live::plan::qualified(t), verb, rows)
                    }
                    _ => None,
                };
                events.push(Event::Rows {
                    span: stmt.span,
                    verb: verb.to_string(),
                    rows,
                    table: table.map(|t| t.display),
                    total,
                });
            }
            if !NOT_OBSERVED.contains(&verb) {
                self.observe(stmt, &mut rels, &mut reported, &mut events)
                    .map_err(fatal)?;
            }
        }
        if let Some((span, message, n)) = missing {
            let more = if n > 1 {
                format!(
                    " (and {} later statements of this file for the same reason)",
                    n - 1
                )
            } else {
                String::new()
            };
            events.push(Event::Skipped {
                span,
                reason: format!(
                    "not dry-run: {message} in the throwaway database — it is made outside \
                     the files replayed here{more}"
                ),
                refused: false,
            });
        }
        let finish = if failed || end == End::Rollback {
            "ROLLBACK"
        } else {
            "COMMIT"
        };
        self.client.batch_execute(finish).map_err(fatal)?;
        Ok(FileRun { events, failed })
    }

    fn count_nulls(
        &mut self,
        schema: Option<&str>,
        table: &str,
        column: &str,
    ) -> Option<(i64, i64)> {
        use crate::live::plan::quote_ident;
        let from = match schema {
            Some(s) => format!("{}.{}", quote_ident(s), quote_ident(table)),
            None => quote_ident(table),
        };
        let q = format!(
            "SELECT count(*) FILTER (WHERE {} IS NULL), count(*) FROM {from}",
            quote_ident(column)
        );
        self.client
            .batch_execute("SAVEPOINT preflight_count")
            .ok()?;
        let r = self.client.query_one(&q, &[]).ok();
        let end = if r.is_some() {
            "RELEASE SAVEPOINT preflight_count"
        } else {
            "ROLLBACK TO SAVEPOINT preflight_count"
        };
        self.client.batch_execute(end).ok()?;
        r.map(|r| (r.get(0), r.get(1)))
    }

    /// The table's row count before the statement: `count(*)` now (under a savepoint, so a
    /// timeout does not end the transaction) plus the rows a DELETE removed.
    fn count_before(&mut self, quoted: &str, verb: &str, rows: u64) -> Option<i64> {
        self.client
            .batch_execute("SAVEPOINT preflight_count")
            .ok()?;
        let n = self
            .client
            .query_one(&format!("SELECT count(*) FROM {quoted}"), &[])
            .ok()
            .map(|r| r.get::<_, i64>(0));
        let end = if n.is_some() {
            "RELEASE SAVEPOINT preflight_count"
        } else {
            "ROLLBACK TO SAVEPOINT preflight_count"
        };
        self.client.batch_execute(end).ok()?;
        let n = n?;
        Some(if verb == "DELETE" { n + rows as i64 } else { n })
    }

    fn observe(
        &mut self,
        stmt: &Statement,
        rels: &mut HashMap<Oid, Rel>,
        reported: &mut HashMap<Oid, usize>,
        events: &mut Vec<Event>,
    ) -> Result<(), postgres::Error> {
        let oids: Vec<Oid> = rels.keys().copied().collect();
        let now = self.client.query(
            "SELECT oid, relfilenode FROM pg_class WHERE oid = ANY($1)",
            &[&oids],
        )?;
        let now: HashMap<Oid, Oid> = now.iter().map(|r| (r.get(0), r.get(1))).collect();
        let locks = self.client.query(
            "SELECT relation, mode FROM pg_locks WHERE pid = pg_backend_pid() \
             AND locktype = 'relation' AND granted AND relation = ANY($1)",
            &[&oids],
        )?;
        // strongest new lock per table that still exists
        let mut held: HashMap<Oid, usize> = HashMap::new();
        for r in &locks {
            let oid: Oid = r.get(0);
            let mode: String = r.get(1);
            let Some(rank) = lock_rank(&mode) else {
                continue;
            };
            if !now.contains_key(&oid) || rels.get(&oid).is_none_or(|x| x.kind == 'i') {
                continue;
            }
            let e = held.entry(oid).or_insert(rank);
            *e = (*e).min(rank);
        }
        let truncate = stmt.keyword == "TRUNCATE";
        let mut rewritten: Vec<Oid> = Vec::new();
        for (oid, rel) in rels.iter() {
            if let Some(node) = now.get(oid)
                && *node != rel.filenode
                && *node != 0
                && rel.filenode != 0
                && !truncate
            {
                rewritten.push(*oid);
            }
        }
        rewritten.sort_by_key(|o| rels.get(o).map(|r| r.name.clone()));
        let mut covered: Vec<Oid> = Vec::new();
        for oid in &rewritten {
            let Some(rel) = rels.get(oid) else { continue };
            if rel.kind == 'i' && rel.table.is_some_and(|t| rewritten.contains(&t)) {
                continue; // the table's rewrite rebuilt its indexes
            }
            let table = if rel.kind == 'i' {
                rel.table
            } else {
                Some(*oid)
            };
            let lock = table.and_then(|t| held.get(&t)).map(|r| LOCKS[*r].1);
            if let Some(t) = table {
                covered.push(t);
            }
            events.push(Event::Rewrite {
                span: stmt.span,
                relation: rel.name.clone(),
                index: rel.kind == 'i',
                lock,
            });
        }
        let mut held: Vec<(Oid, usize)> = held.into_iter().collect();
        held.sort_by_key(|(o, _)| rels.get(o).map(|r| r.name.clone()));
        for (oid, rank) in held {
            let before = reported.get(&oid).copied();
            if before.is_some_and(|b| b <= rank) {
                continue;
            }
            reported.insert(oid, rank);
            if covered.contains(&oid) {
                continue;
            }
            if let Some(rel) = rels.get(&oid) {
                events.push(Event::Lock {
                    span: stmt.span,
                    table: rel.name.clone(),
                    mode: LOCKS[rank].1,
                    blocks: LOCKS[rank].2,
                });
            }
        }
        for (oid, rel) in rels.iter_mut() {
            if let Some(node) = now.get(oid) {
                rel.filenode = *node;
            }
        }
        rels.retain(|oid, _| now.contains_key(oid));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_that_cannot_be_dry_run() {
        assert!(not_transactional("CREATE INDEX CONCURRENTLY i ON t (a)", 160000).is_some());
        assert!(not_transactional("create unique index concurrently i on t (a)", 160000).is_some());
        assert!(not_transactional("CREATE INDEX i ON t (a)", 160000).is_none());
        assert!(not_transactional("VACUUM ANALYZE t", 160000).is_some());
        assert!(not_transactional("ALTER TYPE mood ADD VALUE 'x'", 110000).is_some());
        assert!(not_transactional("ALTER TYPE mood ADD VALUE 'x'", 160000).is_none());
        assert!(refused_call("SELECT dblink_exec('host=x', 'DROP TABLE t')").is_some());
        assert!(refused_call("COPY t TO PROGRAM 'curl x'").is_some());
        assert!(refused_call("SELECT pg_terminate_backend(pid) FROM pg_stat_activity").is_some());
        assert!(refused_call("COPY t FROM '/tmp/x.csv'").is_none());
        assert!(transaction_control("COMMIT"));
        assert!(transaction_control("begin"));
        assert!(!transaction_control("ROLLBACK TO SAVEPOINT a"));
        assert!(!transaction_control("BEGINNING"));
    }
}
