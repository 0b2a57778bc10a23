//! Dry run (`check --dry-run`): execute the migrations where it cannot hurt — a throwaway
//! cluster (`cluster.rs`), or a target database the team declared safe for it, inside
//! `BEGIN … ROLLBACK` (`target.rs`) — and turn what PostgreSQL says into findings on the
//! statement's line (`exec.rs` runs the files and observes; this file writes the findings).

mod cluster;
mod exec;
pub mod target;

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::discover::Discovered;
use crate::live::thousands;
use crate::outcome::{FileError, FileOutcome, Outcome};
use crate::settings::Settings;
use crate::source::{Lang, Span};
use crate::sql::{ObjName, Statement, StmtKind};
use exec::{End, Event, Session};
use serde_json::{Map, Value, json};
use std::path::PathBuf;
use std::time::Duration;

/// `--dry-run` and its flags.
#[derive(Debug, Clone)]
pub struct Options {
    /// `--pg-bin`: where initdb, pg_ctl and postgres are.
    pub pg_bin: Option<PathBuf>,
    /// `--database-url`: a declared target instead of a throwaway cluster.
    pub url: Option<String>,
    pub lock_timeout: Duration,
    pub statement_timeout: Duration,
}

/// The first `n` words of a statement, upper-cased (identifier characters only).
pub(crate) fn words(text: &str, n: usize) -> Vec<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .take(n)
        .map(str::to_ascii_uppercase)
        .collect()
}

pub(crate) fn dml_table(stmt: &Statement) -> Option<ObjName> {
    match &stmt.kind {
        StmtKind::Delete { table, .. } | StmtKind::Update { table, .. } => table.clone(),
        _ => None,
    }
}

/// A path with a folder named for a database other than PostgreSQL.
fn other_dialect_path(p: &std::path::Path) -> bool {
    const OTHER: &[&str] = &[
        "mysql",
        "mariadb",
        "sqlite",
        "sqlite3",
        "hsqldb",
        "h2",
        "oracle",
        "sqlserver",
        "mssql",
        "db2",
        "derby",
        "cockroachdb",
        "clickhouse",
    ];
    p.parent().is_some_and(|d| {
        d.components().any(|c| {
            let c = c.as_os_str().to_string_lossy().to_ascii_lowercase();
            OTHER.contains(&c.as_str())
        })
    })
}

/// One file to replay: its path, the name it is reported under (if reported), and whether
/// later files build on it.
struct Job {
    path: PathBuf,
    reported: Option<String>,
    end: End,
}

/// Run the dry run and add its findings to `outcome`. Failures to start or reach the server
/// become run errors (exit 2).
pub fn run(outcome: &mut Outcome, files: &[Discovered], settings: &Settings, opts: &Options) {
    // files in a folder named for another database (db/mysql/, hsqldb/) are not PostgreSQL's
    let files: Vec<Discovered> = files
        .iter()
        .filter(|f| !other_dialect_path(&f.path))
        .cloned()
        .collect();
    let (loose, sets) = crate::migrations::plan(&files, &settings.migrations);
    // groups of files that share a database: each migration set (schema dump first), then
    // the loose SQL files, each rolled back
    let mut groups: Vec<Vec<Job>> = Vec::new();
    for s in &sets {
        let mut jobs = Vec::new();
        if let Some(seed) = &s.set.seed {
            jobs.push(Job {
                path: seed.clone(),
                reported: None,
                end: End::CommitUnlessFailed,
            });
        }
        for (f, reported) in s.set.files.iter().zip(&s.reported) {
            if f.down {
                continue;
            }
            jobs.push(Job {
                path: f.path.clone(),
                reported: reported.clone(),
                end: End::CommitUnlessFailed,
            });
        }
        groups.push(jobs);
    }
    let loose: Vec<Job> = loose
        .iter()
        .filter(|f| f.lang == Lang::Sql && !f.down)
        .map(|f| Job {
            path: f.path.clone(),
            reported: Some(f.display.clone()),
            end: End::Rollback,
        })
        .collect();
    if !loose.is_empty() {
        groups.push(loose);
    }
    let result = match &opts.url {
        Some(url) => target::run(url, opts, &mut groups, settings, outcome),
        None => throwaway(opts, &groups, settings, outcome),
    };
    if let Err(message) = result {
        outcome.errors.push(FileError {
            file: "dry run".to_string(),
            message,
        });
    }
    outcome.sort();
}

fn throwaway(
    opts: &Options,
    groups: &[Vec<Job>],
    settings: &Settings,
    outcome: &mut Outcome,
) -> Result<(), String> {
    if groups.is_empty() {
        return Ok(());
    }
    let cluster = cluster::Cluster::start(opts.pg_bin.as_deref())?;
    let mut admin = cluster.connect("postgres")?;
    let version = server_version(&mut admin)?;
    for (i, jobs) in groups.iter().enumerate() {
        let db = format!("preflight_dry_run_{i}");
        admin
            .batch_execute(&format!("CREATE DATABASE {db}"))
            .map_err(|e| format!("cannot create a database in the dry-run server: {e}"))?;
        let mut client = cluster.connect(&db)?;
        let mut session = Session {
            client: &mut client,
            server_version: version,
            set_local: Vec::new(),
            count_rows: false,
            tolerate_missing: true,
        };
        replay(&mut session, jobs, settings, outcome, false)?;
    }
    drop(admin);
    drop(cluster);
    Ok(())
}

pub(crate) fn server_version(c: &mut postgres::Client) -> Result<i32, String> {
    let v: String = c
        .query_one("SELECT current_setting('server_version_num')", &[])
        .map_err(|e| format!("cannot read the server version: {e}"))?
        .get(0);
    Ok(v.trim().parse().unwrap_or(0))
}

fn replay(
    session: &mut Session,
    jobs: &[Job],
    settings: &Settings,
    outcome: &mut Outcome,
    target: bool,
) -> Result<(), String> {
    for job in jobs {
        let name = job
            .reported
            .clone()
            .unwrap_or_else(|| job.path.to_string_lossy().to_string());
        let bytes = match std::fs::read(&job.path) {
            Ok(b) => b,
            Err(e) => {
                outcome.errors.push(FileError {
                    file: name,
                    message: format!("cannot read for the dry run: {e}"),
                });
                continue;
            }
        };
        if crate::run::looks_binary(&bytes) {
            continue; // reported by the static check
        }
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let stmts = crate::sql::analyze(&text, settings.dialect, crate::sql::Options::default());
        let run = session.run_file(&text, &stmts, job.end)?;
        if job.reported.is_none() {
            if run.failed {
                outcome.errors.push(FileError {
                    file: name,
                    message: "the schema dump does not load in the dry-run server; \
                              the set was replayed without it"
                        .to_string(),
                });
            }
            continue;
        }
        let Some(file) = outcome.files.iter_mut().find(|f| f.path == name) else {
            continue;
        };
        if file.text.is_empty() {
            file.text = text.clone();
        }
        let new = findings(&run.events, target);
        let applied = crate::suppress::apply_late(&file.text, file.lang, settings.dialect, new);
        let (mut new, mut suppressed) = (applied.kept, applied.suppressed);
        settings.filter.apply_for(&file.path, &mut new);
        settings.filter.apply_for(&file.path, &mut suppressed);
        lead(file, new);
        file.suppressed.extend(suppressed);
    }
    outcome.suppressed = outcome.files.iter().map(|f| f.suppressed.len()).sum();
    Ok(())
}

fn quoted(name: &str) -> String {
    format!("`{name}`")
}

/// Events → findings: at most one dry-run finding per statement (an error, else a rewrite,
/// else a lock, else a skip); the others on the statement become its labels.
fn findings(events: &[Event], target: bool) -> Vec<Diagnostic> {
    let mut spans: Vec<Span> = events.iter().map(Event::span).collect();
    spans.dedup();
    let mut out = Vec::new();
    for span in spans {
        let here: Vec<&Event> = events.iter().filter(|e| e.span() == span).collect();
        let rank = |e: &&Event| match e {
            Event::Error { .. } => 0,
            Event::Rewrite { .. } => 1,
            Event::Lock { .. } => 2,
            Event::Skipped { .. } => 3,
            Event::Rows { .. } => 4,
        };
        let mut sorted = here.clone();
        sorted.sort_by_key(rank);
        let mut lead: Option<Diagnostic> = None;
        let mut rows: Option<&Event> = None;
        for e in sorted {
            if matches!(e, Event::Rows { .. }) {
                rows = Some(e);
                continue;
            }
            let d = finding(e, span);
            match &mut lead {
                None => lead = Some(d),
                Some(l) => l.labels.push(Label {
                    span,
                    message: format!("also: {}", d.message),
                }),
            }
        }
        if let Some(Event::Rows {
            verb,
            rows: n,
            table,
            total,
            ..
        }) = rows
            && target
        {
            let past = match verb.as_str() {
                "DELETE" => "delete",
                "UPDATE" => "update",
                "INSERT" => "insert",
                _ => "change",
            };
            let text = match (table, total) {
                (Some(t), Some(total)) if verb != "INSERT" => format!(
                    "would {past} {} of {} rows of {}",
                    thousands(*n),
                    thousands((*total).max(0) as u64),
                    quoted(t)
                ),
                (Some(t), _) => format!("would {past} {} rows of {}", thousands(*n), quoted(t)),
                _ => format!("would {past} {} rows", thousands(*n)),
            };
            let impact = json!({ "rows_affected": n, "rows_total": total });
            match (&mut lead, ()) {
                (Some(l), _) => {
                    l.message = format!("{}; the dry run {text}", l.message);
                    set_extra(l, "dry_run_rows", impact);
                }
                (None, _) => {
                    // with a static finding on the statement, `lead` attaches this to it
                    let mut d = Diagnostic::new(
                        "dry-run-impact",
                        span,
                        format!("{verb} {text} (dry run, rolled back)"),
                    )
                    .label("measured by running it in a rolled-back transaction");
                    set_extra(&mut d, "dry_run_rows", impact);
                    lead = Some(d);
                }
            }
        }
        out.extend(lead);
    }
    out
}

fn set_extra(d: &mut Diagnostic, key: &str, v: Value) {
    d.extra
        .get_or_insert_with(Map::new)
        .insert(key.to_string(), v);
}

fn finding(e: &Event, span: Span) -> Diagnostic {
    match e {
        Event::Error {
            message,
            code,
            hint,
            detail,
            timeout: Some(which),
            ..
        } => {
            let mut d = Diagnostic::new(
                "dry-run-lock",
                span,
                format!("the dry run gave up on this statement: {message} ({which})"),
            )
            .label(format!("hit {which}"))
            .help(
                "another session holds a conflicting lock or the statement is slow: in \
                 production it would wait the same way, and every query on the table would \
                 queue behind it; run it at a quiet time with a lock_timeout and retries",
            );
            set_extra(
                &mut d,
                "postgres",
                json!({ "sqlstate": code, "message": message, "hint": hint, "detail": detail }),
            );
            d
        }
        Event::Error {
            message,
            code,
            hint,
            detail,
            nulls,
            ..
        } => {
            let mut msg = format!("PostgreSQL rejects this statement: {message} (SQLSTATE {code})");
            if let Some((n, total)) = nulls {
                msg.push_str(&format!(
                    "; {} of {} rows are NULL",
                    thousands((*n).max(0) as u64),
                    thousands((*total).max(0) as u64)
                ));
            }
            let mut d = Diagnostic::new("dry-run-error", span, msg)
                .label(detail.clone().unwrap_or_else(|| "fails here".to_string()))
                .help(hint.clone().unwrap_or_else(|| {
                    "the migration fails at this statement and its transaction rolls back; \
                     fix the statement (later files were replayed without this file)"
                        .to_string()
                }));
            set_extra(
                &mut d,
                "postgres",
                json!({ "sqlstate": code, "message": message, "hint": hint, "detail": detail }),
            );
            d
        }
        Event::Rewrite {
            relation,
            index,
            lock,
            ..
        } => {
            let what = if *index { "index" } else { "table" };
            let lock = lock
                .map(|l| format!(" under an {l} lock"))
                .unwrap_or_default();
            Diagnostic::new(
                "dry-run-rewrite",
                span,
                format!(
                    "rewrites {what} {}{lock}: PostgreSQL replaced its storage \
                     (pg_class.relfilenode changed), copying every row",
                    quoted(relation)
                ),
            )
            .label("rewrites the whole table")
            .help(
                "on a large table this holds the lock for as long as the copy takes; use a \
                 change that does not rewrite (e.g. a new column, backfilled in batches)",
            )
        }
        Event::Lock {
            table,
            mode,
            blocks,
            ..
        } => Diagnostic::new(
            "dry-run-lock",
            span,
            format!(
                "takes an {mode} lock on {}, which existed before this migration; \
                 it blocks {blocks} until the migration's transaction ends",
                quoted(table)
            ),
        )
        .label(format!("{mode} lock"))
        .help(
            "keep the transaction short, set a lock_timeout, and run it when the table is \
             quiet; or use a form that takes a weaker lock",
        ),
        Event::Skipped {
            reason, refused, ..
        } => {
            let d = Diagnostic::new("dry-run-skipped", span, reason.clone()).label("not dry-run");
            if *refused {
                d.severity(Severity::Warning)
            } else {
                d
            }
        }
        Event::Rows { .. } => Diagnostic::new("dry-run-impact", span, String::new()),
    }
}

/// Dry-run findings lead: a static finding on the same statement is folded into the dry-run
/// finding (its rule and message as a label and in `extra.static`), which takes the more
/// severe of the two severities — one finding per problem.
fn lead(file: &mut FileOutcome, new: Vec<Diagnostic>) {
    for mut d in new {
        let span = d.span;
        let on_statement = |s: &Diagnostic| {
            !s.rule.starts_with("dry-run-")
                && !s.rule.starts_with("live-")
                && s.rule != "parse-error"
                && s.span.start >= span.start
                && s.span.start < span.end
        };
        if d.rule == "dry-run-impact" && file.diagnostics.iter().any(on_statement) {
            // rows affected go on the static finding that already covers the statement
            let impact = d
                .extra
                .as_ref()
                .and_then(|e| e.get("dry_run_rows"))
                .cloned();
            for s in file.diagnostics.iter_mut().filter(|s| on_statement(s)) {
                s.label = Some(match s.label.take() {
                    Some(l) if !l.is_empty() => format!("{l}; dry run: {}", d.message),
                    _ => format!("dry run: {}", d.message),
                });
                if let Some(i) = &impact {
                    set_extra(s, "dry_run_rows", i.clone());
                }
            }
            continue;
        }
        let (folded, kept): (Vec<Diagnostic>, Vec<Diagnostic>) =
            std::mem::take(&mut file.diagnostics)
                .into_iter()
                .partition(on_statement);
        file.diagnostics = kept;
        if !folded.is_empty() {
            let mut list = Vec::new();
            for s in &folded {
                if s.severity < d.severity {
                    d.severity = s.severity;
                }
                d.labels.push(Label {
                    span: s.span,
                    message: format!("{}: {}", s.rule, s.message),
                });
                list.push(json!({ "rule": s.rule, "message": s.message, "help": s.help }));
            }
            set_extra(&mut d, "static", Value::Array(list));
        }
        file.diagnostics.push(d);
    }
}
