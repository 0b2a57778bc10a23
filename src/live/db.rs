//! The database side: one connection, one `READ ONLY` transaction that is always rolled back,
//! a `statement_timeout`, and only queries built here (counts, catalog lookups, `EXPLAIN`
//! without `ANALYZE`). Each probe runs under a savepoint so one failure (a timeout, a column
//! the predicate names that does not exist) does not end the others.
//!
//! Every query goes through the extended protocol (`Client::query`), which accepts exactly one
//! statement: even a predicate that slipped past the checks in `plan.rs` cannot smuggle a
//! second statement in.

use super::plan::{Probe, qualified, quote_ident};
use super::{Count, Measured, Options};
use postgres::Client;
use postgres::error::SqlState;
use postgres::types::Oid;
use std::str::FromStr;

pub enum ProbeError {
    /// `statement_timeout` fired for this probe.
    Timeout,
    /// The database refused one of our queries (e.g. the predicate names a missing column).
    Rejected(String),
    /// The connection is gone: stop measuring.
    Fatal(String),
}

pub struct Db {
    client: Client,
    timeout_ms: u128,
    password: Option<String>,
}

struct TableInfo {
    oid: Oid,
}

fn db_message(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(d) => d.message().to_string(),
        None => e.to_string(),
    }
}

impl Db {
    /// Connect and open the read-only transaction. Errors are ready to print (no password).
    pub fn connect(opts: &Options) -> Result<Db, String> {
        let password = postgres::Config::from_str(&crate::tls::split_params(&opts.url).0)
            .ok()
            .and_then(|c| {
                c.get_password()
                    .map(|p| String::from_utf8_lossy(p).into_owned())
            })
            .filter(|p| !p.is_empty());
        let scrub = |msg: String| match &password {
            Some(p) => msg.replace(p.as_str(), "***"),
            None => msg,
        };
        let client = crate::tls::connect(&opts.url, opts.timeout, "preflight").map_err(scrub)?;
        let scrub_owned = {
            let password = password.clone();
            move |msg: String| match &password {
                Some(p) => msg.replace(p.as_str(), "***"),
                None => msg,
            }
        };
        let mut db = Db {
            client,
            timeout_ms: opts.timeout.as_millis().max(1),
            password,
        };
        db.begin().map_err(scrub_owned)?;
        Ok(db)
    }

    fn scrub(&self, msg: String) -> String {
        match &self.password {
            Some(p) => msg.replace(p.as_str(), "***"),
            None => msg,
        }
    }

    fn begin(&mut self) -> Result<(), String> {
        self.client
            .batch_execute("BEGIN TRANSACTION READ ONLY")
            .map_err(|e| format!("cannot open a read-only transaction: {}", db_message(&e)))?;
        // a number of milliseconds we formatted ourselves
        let set = format!("SET LOCAL statement_timeout = {}", self.timeout_ms);
        self.client
            .batch_execute(&set)
            .map_err(|e| format!("cannot set statement_timeout: {}", db_message(&e)))?;
        // fail closed: measure nothing unless the server confirms the transaction is read-only
        let ro: String = self
            .client
            .query_one("SELECT current_setting('transaction_read_only')", &[])
            .map_err(|e| db_message(&e))?
            .get(0);
        if ro != "on" {
            return Err(format!(
                "the server reports transaction_read_only = {ro}; refusing to measure"
            ));
        }
        Ok(())
    }

    /// Roll the transaction back and close the connection.
    pub fn finish(mut self) {
        let _ = self.client.batch_execute("ROLLBACK");
        let _ = self.client.close();
    }

    /// Run one probe under a savepoint.
    pub fn measure(&mut self, probe: &Probe, opts: &Options) -> Result<Measured, ProbeError> {
        self.client
            .batch_execute("SAVEPOINT preflight_probe")
            .map_err(|e| self.classify(e))?;
        let r = self.measure_inner(probe, opts);
        let end = if r.is_ok() {
            "RELEASE SAVEPOINT preflight_probe"
        } else {
            "ROLLBACK TO SAVEPOINT preflight_probe"
        };
        let r = r.map_err(|e| self.classify(e));
        if let Err(e) = self.client.batch_execute(end) {
            return Err(ProbeError::Fatal(
                self.scrub(format!("lost the database session: {}", db_message(&e))),
            ));
        }
        r
    }

    fn classify(&self, e: postgres::Error) -> ProbeError {
        if e.is_closed() || self.client.is_closed() {
            return ProbeError::Fatal(self.scrub(format!("lost the database session: {e}")));
        }
        if e.code() == Some(&SqlState::QUERY_CANCELED) {
            return ProbeError::Timeout;
        }
        ProbeError::Rejected(self.scrub(db_message(&e)))
    }

    fn measure_inner(
        &mut self,
        probe: &Probe,
        opts: &Options,
    ) -> Result<Measured, postgres::Error> {
        match probe {
            Probe::Rows {
                table,
                alias,
                join,
                predicate,
                ..
            } => {
                if self.table(&qualified(table))?.is_none() {
                    return Ok(Measured::MissingTable);
                }
                let from = match alias {
                    Some(a) => format!("{} AS {a}", qualified(table)),
                    None => qualified(table),
                };
                let cond = match (predicate, join) {
                    (Some(p), Some(j)) => Some(format!("EXISTS (SELECT 1 FROM {j} WHERE ({p}))")),
                    (Some(p), None) => Some(format!("({p})")),
                    (None, Some(j)) => Some(format!("EXISTS (SELECT 1 FROM {j})")),
                    (None, None) => None,
                };
                let total_est = self.plan_rows(&format!("SELECT 1 FROM {from}"))?;
                if total_est > opts.max_count_rows {
                    let matched = match &cond {
                        Some(c) => self.plan_rows(&format!("SELECT 1 FROM {from} WHERE {c}"))?,
                        None => total_est,
                    };
                    return Ok(Measured::Rows {
                        matched: Count::estimate(matched.min(total_est)),
                        total: Count::estimate(total_est),
                    });
                }
                // two queries rather than one `count(*) FILTER (WHERE …)` scan: in WHERE the
                // planner can use indexes and turn EXISTS/IN into semi-joins
                let total: i64 = self
                    .client
                    .query_one(&format!("SELECT count(*) FROM {from}"), &[])?
                    .get(0);
                let matched: i64 = match &cond {
                    Some(c) => self
                        .client
                        .query_one(&format!("SELECT count(*) FROM {from} WHERE {c}"), &[])?
                        .get(0),
                    None => total,
                };
                Ok(Measured::Rows {
                    total: Count::exact(total),
                    matched: Count::exact(matched),
                })
            }
            Probe::NotNull {
                table,
                column,
                added,
                ..
            } => {
                let q = qualified(table);
                let Some(t) = self.table(&q)? else {
                    return Ok(Measured::MissingTable);
                };
                let exists = self.attnum(t.oid, column)?.is_some();
                if *added {
                    if exists {
                        return Ok(Measured::Nothing);
                    }
                    let total = self.count(&q, None, opts)?;
                    return Ok(Measured::Nulls {
                        nulls: total,
                        total,
                    });
                }
                if !exists {
                    return Ok(Measured::MissingColumn(column.clone()));
                }
                let c = quote_ident(column);
                let total_est = self.plan_rows(&format!("SELECT 1 FROM {q}"))?;
                if total_est > opts.max_count_rows {
                    let nulls = self.plan_rows(&format!("SELECT 1 FROM {q} WHERE {c} IS NULL"))?;
                    return Ok(Measured::Nulls {
                        nulls: Count::estimate(nulls.min(total_est)),
                        total: Count::estimate(total_est),
                    });
                }
                let row = self.client.query_one(
                    &format!("SELECT count(*) FILTER (WHERE {c} IS NULL), count(*) FROM {q}"),
                    &[],
                )?;
                Ok(Measured::Nulls {
                    nulls: Count::exact(row.get::<_, i64>(0)),
                    total: Count::exact(row.get::<_, i64>(1)),
                })
            }
            Probe::Table { table, .. } => {
                let q = qualified(table);
                let Some(t) = self.table(&q)? else {
                    return Ok(Measured::MissingTable);
                };
                let rows = self.count(&q, None, opts)?;
                let size: i64 = self
                    .client
                    .query_one("SELECT pg_total_relation_size($1::oid)", &[&t.oid])?
                    .get(0);
                Ok(Measured::Table {
                    rows,
                    size_bytes: size,
                    views: self.views(t.oid, 0)?,
                    foreign_keys: self.foreign_keys(t.oid, 0)?,
                })
            }
            Probe::DropColumn { table, column, .. } => {
                let q = qualified(table);
                let Some(t) = self.table(&q)? else {
                    return Ok(Measured::MissingTable);
                };
                let Some(attnum) = self.attnum(t.oid, column)? else {
                    return Ok(Measured::MissingColumn(column.clone()));
                };
                let values = self.count(
                    &q,
                    Some(&format!("{} IS NOT NULL", quote_ident(column))),
                    opts,
                )?;
                Ok(Measured::Column {
                    values,
                    views: self.views(t.oid, attnum)?,
                    foreign_keys: self.foreign_keys(t.oid, attnum)?,
                })
            }
            Probe::Rename { table, column } => {
                let Some(t) = self.table(&qualified(table))? else {
                    return Ok(Measured::MissingTable);
                };
                let attnum = match column {
                    Some(c) => match self.attnum(t.oid, c)? {
                        Some(n) => n,
                        None => return Ok(Measured::MissingColumn(c.clone())),
                    },
                    None => 0,
                };
                Ok(Measured::Dependents {
                    views: self.views(t.oid, attnum)?,
                    others: self.other_dependents(t.oid, attnum)?,
                })
            }
            Probe::CannotMeasure { .. } => Ok(Measured::Nothing),
        }
    }

    /// The table behind a quoted name, or `None` when it does not exist.
    fn table(&mut self, quoted: &str) -> Result<Option<TableInfo>, postgres::Error> {
        let row = self.client.query_opt(
            "SELECT c.oid FROM pg_class c WHERE c.oid = to_regclass($1) \
             AND c.relkind IN ('r', 'p', 'm', 'f', 'v')",
            &[&quoted],
        )?;
        Ok(row.map(|r| TableInfo { oid: r.get(0) }))
    }

    fn attnum(&mut self, oid: Oid, column: &str) -> Result<Option<i16>, postgres::Error> {
        let row = self.client.query_opt(
            "SELECT attnum FROM pg_attribute WHERE attrelid = $1 AND attname = $2 \
             AND attnum > 0 AND NOT attisdropped",
            &[&oid, &column],
        )?;
        Ok(row.map(|r| r.get(0)))
    }

    /// Exact `count(*)` (with an optional condition we built), or the planner's estimate when
    /// the table is larger than `--max-count-rows`.
    fn count(
        &mut self,
        from: &str,
        cond: Option<&str>,
        opts: &Options,
    ) -> Result<Count, postgres::Error> {
        let where_ = cond.map(|c| format!(" WHERE {c}")).unwrap_or_default();
        let total_est = self.plan_rows(&format!("SELECT 1 FROM {from}"))?;
        if total_est > opts.max_count_rows {
            let n = if cond.is_some() {
                self.plan_rows(&format!("SELECT 1 FROM {from}{where_}"))?
            } else {
                total_est
            };
            return Ok(Count::estimate(n));
        }
        let n: i64 = self
            .client
            .query_one(&format!("SELECT count(*) FROM {from}{where_}"), &[])?
            .get(0);
        Ok(Count::exact(n))
    }

    /// The planner's row estimate for a query (EXPLAIN without ANALYZE: nothing is executed).
    fn plan_rows(&mut self, query: &str) -> Result<u64, postgres::Error> {
        let row = self
            .client
            .query_one(&format!("EXPLAIN (FORMAT JSON) {query}"), &[])?;
        let plan: serde_json::Value = row.get(0);
        let rows = plan
            .get(0)
            .and_then(|p| p.get("Plan"))
            .and_then(|p| p.get("Plan Rows"))
            .and_then(|r| r.as_f64())
            .unwrap_or(0.0);
        Ok(rows.max(0.0) as u64)
    }

    /// Views whose definition uses the table (or the column `attnum`; 0 = any column).
    fn views(&mut self, oid: Oid, attnum: i16) -> Result<Vec<String>, postgres::Error> {
        let rows = self.client.query(
            "SELECT DISTINCT v.oid::regclass::text \
             FROM pg_depend d \
             JOIN pg_rewrite r ON r.oid = d.objid \
             JOIN pg_class v ON v.oid = r.ev_class \
             WHERE d.classid = 'pg_rewrite'::regclass \
               AND d.refclassid = 'pg_class'::regclass \
               AND d.refobjid = $1 AND ($2::int2 = 0 OR d.refobjsubid = $2) \
               AND r.rulename = '_RETURN' AND v.oid <> $1 \
             ORDER BY 1",
            &[&oid, &attnum],
        )?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    /// Foreign keys of other tables that reference this table (or column).
    fn foreign_keys(&mut self, oid: Oid, attnum: i16) -> Result<Vec<String>, postgres::Error> {
        let rows = self.client.query(
            "SELECT conrelid::regclass::text || '.' || conname::text \
             FROM pg_constraint \
             WHERE contype = 'f' AND confrelid = $1 AND conrelid <> $1 \
               AND ($2::int2 = 0 OR $2 = ANY (confkey)) \
             ORDER BY 1",
            &[&oid, &attnum],
        )?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    /// Functions (SQL-standard bodies) and rules that depend on the table or column.
    fn other_dependents(&mut self, oid: Oid, attnum: i16) -> Result<Vec<String>, postgres::Error> {
        let rows = self.client.query(
            "SELECT DISTINCT pg_describe_object(d.classid, d.objid, 0) \
             FROM pg_depend d \
             LEFT JOIN pg_rewrite r ON d.classid = 'pg_rewrite'::regclass AND r.oid = d.objid \
             WHERE d.refclassid = 'pg_class'::regclass \
               AND d.refobjid = $1 AND ($2::int2 = 0 OR d.refobjsubid = $2) \
               AND (d.classid = 'pg_proc'::regclass \
                    OR (d.classid = 'pg_rewrite'::regclass AND r.rulename <> '_RETURN')) \
             ORDER BY 1",
            &[&oid, &attnum],
        )?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }
}

/// tokio-postgres wraps the interesting part ("password authentication failed …") in a
/// generic "db error"; show the server's message when there is one.
pub(crate) fn connect_message(e: &postgres::Error) -> String {
    if let Some(d) = e.as_db_error() {
        return d.message().to_string();
    }
    let mut msg = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        let s_msg = s.to_string();
        if !msg.contains(&s_msg) {
            msg.push_str(": ");
            msg.push_str(&s_msg);
        }
        src = s.source();
    }
    msg
}
