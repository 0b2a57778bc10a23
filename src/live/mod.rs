//! Live preflight (`check --database-url`): after the static check, ask a real PostgreSQL —
//! read-only — how much each risky statement would touch, and attach the numbers to the
//! findings (`Diagnostic.extra["impact"]`, and the primary label for human output).
//!
//! Safety: the user's statement is never sent. `plan.rs` decides what to measure and refuses
//! predicates it cannot send safely; `db.rs` runs only queries it builds (counts, catalog
//! lookups, `EXPLAIN` without `ANALYZE`) inside `BEGIN TRANSACTION READ ONLY`, always rolled
//! back, with a `statement_timeout`.

mod db;
pub(crate) use db::connect_message;
mod findings;
pub mod plan;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Layer;
use crate::run::{FileError, FileOutcome, Outcome, Settings};
use crate::source::{Lang, Span};
use crate::sql::{self, ObjName};
use findings::findings;
use plan::{Probe, Verb};
use serde_json::{Map, Value, json};
use std::time::Duration;

/// `--database-url` and friends, validated.
#[derive(Debug, Clone)]
pub struct Options {
    pub url: String,
    /// `--db-timeout`: statement_timeout for each query, and the connect timeout.
    pub timeout: Duration,
    /// `--max-affected`: a DELETE/UPDATE matching more than this share of the table (percent)
    /// is an error.
    pub max_affected_pct: f64,
    /// `--max-rows`: … or more than this many rows.
    pub max_rows: Option<u64>,
    /// `--max-count-rows`: above this many rows (planner estimate) use `EXPLAIN` estimates
    /// instead of `count(*)`.
    pub max_count_rows: u64,
    /// `--min-rows`: the percentage threshold does not fire below this many affected rows.
    pub min_rows: u64,
}

impl Options {
    pub fn new(
        url: &str,
        timeout: &str,
        max_affected: &str,
        max_rows: Option<u64>,
        max_count_rows: u64,
    ) -> Result<Options, String> {
        let lower = url.trim_start().to_ascii_lowercase();
        if lower.contains("://")
            && !(lower.starts_with("postgres://") || lower.starts_with("postgresql://"))
        {
            return Err(format!(
                "--database-url {}: only PostgreSQL URLs (postgres://…) are supported",
                redact(url)
            ));
        }
        Ok(Options {
            url: url.to_string(),
            timeout: parse_duration(timeout)
                .ok_or(format!("--db-timeout '{timeout}': expected e.g. 5s, 500ms"))?,
            max_affected_pct: parse_percent(max_affected).ok_or(format!(
                "--max-affected '{max_affected}': expected a percentage such as 10 or 2.5%"
            ))?,
            max_rows,
            max_count_rows,
            min_rows: 100,
        })
    }
}

/// `5s`, `500ms`, `1.5s`, `2m`, or a bare number of seconds.
pub fn parse_duration(s: &str) -> Option<Duration> {
    let s = s.trim();
    let (num, scale) = if let Some(n) = s.strip_suffix("ms") {
        (n, 0.001)
    } else if let Some(n) = s.strip_suffix('s') {
        (n, 1.0)
    } else if let Some(n) = s.strip_suffix('m') {
        (n, 60.0)
    } else {
        (s, 1.0)
    };
    let v: f64 = num.trim().parse().ok()?;
    let secs = v * scale;
    (secs.is_finite() && secs > 0.0 && secs <= 86_400.0).then(|| Duration::from_secs_f64(secs))
}

/// `10`, `10%`, `2.5 %` → percent in [0, 100].
pub fn parse_percent(s: &str) -> Option<f64> {
    let v: f64 = s.trim().trim_end_matches('%').trim().parse().ok()?;
    (v.is_finite() && (0.0..=100.0).contains(&v)).then_some(v)
}

/// The URL with its password replaced by `***` (URL user-info, `?password=` and the
/// `password=` key of key/value connection strings).
pub fn redact(url: &str) -> String {
    let mut out = url.to_string();
    if let Some(scheme_end) = out.find("://") {
        let rest_start = scheme_end + 3;
        let rest = &out[rest_start..];
        let auth_end = rest.find(['?', '#']).unwrap_or(rest.len());
        if let Some(at) = rest[..auth_end].rfind('@') {
            let userinfo = &rest[..at];
            if let Some(colon) = userinfo.find(':') {
                let user = &userinfo[..colon];
                out = format!("{}{user}:***{}", &out[..rest_start], &rest[at..]);
            }
        }
    }
    redact_key(&out)
}

/// `password=…` (key/value strings and URL query parameters).
fn redact_key(s: &str) -> String {
    let lower = s.to_ascii_lowercase();
    let mut out = String::new();
    let mut i = 0;
    while let Some(pos) = lower[i..].find("password").map(|p| p + i) {
        let mut j = pos + "password".len();
        let bytes = s.as_bytes();
        while j < s.len() && bytes[j] == b' ' {
            j += 1;
        }
        if j >= s.len() || bytes[j] != b'=' {
            out.push_str(&s[i..j.min(s.len())]);
            i = j.min(s.len());
            continue;
        }
        j += 1;
        while j < s.len() && bytes[j] == b' ' {
            j += 1;
        }
        out.push_str(&s[i..j]);
        out.push_str("***");
        // skip the value: quoted ('…' with \' escapes) or up to whitespace / & / #
        let mut k = j;
        if k < s.len() && bytes[k] == b'\'' {
            k += 1;
            while k < s.len() && bytes[k] != b'\'' {
                if bytes[k] == b'\\' {
                    k += 1;
                }
                k += 1;
            }
            k = (k + 1).min(s.len());
        } else {
            while k < s.len() && !matches!(bytes[k], b' ' | b'&' | b'#' | b'\t') {
                k += 1;
            }
        }
        i = k;
    }
    out.push_str(&s[i..]);
    out
}

/// A row count, exact or the planner's estimate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Count {
    pub value: u64,
    pub estimate: bool,
}

impl Count {
    fn exact(n: i64) -> Count {
        Count {
            value: n.max(0) as u64,
            estimate: false,
        }
    }
    fn estimate(n: u64) -> Count {
        Count {
            value: n,
            estimate: true,
        }
    }
    fn text(self) -> String {
        if self.estimate {
            format!("~{}", thousands(self.value))
        } else {
            thousands(self.value)
        }
    }
}

/// What the database said about one probe.
#[derive(Debug, Clone, PartialEq)]
pub enum Measured {
    Nothing,
    MissingTable,
    MissingColumn(String),
    Rows {
        matched: Count,
        total: Count,
    },
    Nulls {
        nulls: Count,
        total: Count,
    },
    Table {
        rows: Count,
        size_bytes: i64,
        views: Vec<String>,
        foreign_keys: Vec<String>,
    },
    Column {
        values: Count,
        views: Vec<String>,
        foreign_keys: Vec<String>,
    },
    Dependents {
        views: Vec<String>,
        others: Vec<String>,
    },
}

/// `340112` → `340,112`.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn percent(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 * 100.0 / whole as f64
    }
}

fn human_size(bytes: i64) -> String {
    let b = bytes.max(0) as f64;
    let units = ["bytes", "kB", "MB", "GB", "TB"];
    let mut v = b;
    let mut u = 0;
    while v >= 1024.0 && u < units.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{} bytes", bytes.max(0))
    } else {
        format!("{v:.1} {}", units[u])
    }
}

/// Measure every SQL file of `outcome` against the database. A connection failure becomes a
/// run error (exit 2) and the static findings stay as they are.
pub fn measure(outcome: &mut Outcome, opts: &Options, settings: &Settings) {
    let target = redact(&opts.url);
    let mut db = match db::Db::connect(opts) {
        Ok(db) => db,
        Err(msg) => {
            outcome.errors.push(FileError {
                file: target,
                message: msg,
            });
            outcome.sort();
            return;
        }
    };
    // SQL files, and ORM migrations through the statements their operations stand for
    // (never their source read as SQL)
    for file in outcome
        .files
        .iter_mut()
        .filter(|f| f.lang == Lang::Sql || !f.statements.is_empty())
    {
        if let Err(msg) = measure_file(&mut db, file, opts, settings) {
            outcome.errors.push(FileError {
                file: target.clone(),
                message: format!("{msg} (while measuring {})", file.path),
            });
            break;
        }
    }
    db.finish();
    outcome.suppressed = outcome.files.iter().map(|f| f.suppressed.len()).sum();
    outcome.sort();
}

fn measure_file(
    db: &mut db::Db,
    file: &mut FileOutcome,
    opts: &Options,
    settings: &Settings,
) -> Result<(), String> {
    // the statements the static check analysed (a file without any is analysed here)
    let statements = match std::mem::take(&mut file.statements) {
        s if s.is_empty() => sql::analyze(&file.text, settings.dialect, sql::Options::default()),
        s => s,
    };
    let mut new = Vec::new();
    let r = measure_statements(db, file, &statements, opts, settings, &mut new);
    // `-- preflight: allow(live-…) reason` comments apply to live findings too
    let applied = crate::suppress::apply_late(&file.text, file.lang, settings.dialect, new);
    let (mut new, mut suppressed) = (applied.kept, applied.suppressed);
    settings.filter.apply_for(&file.path, &mut new);
    settings.filter.apply_for(&file.path, &mut suppressed);
    file.diagnostics.extend(new);
    file.suppressed.extend(suppressed);
    r
}

fn measure_statements(
    db: &mut db::Db,
    file: &mut FileOutcome,
    statements: &[sql::Statement],
    opts: &Options,
    settings: &Settings,
    new: &mut Vec<Diagnostic>,
) -> Result<(), String> {
    let mut state = Layer::default();
    for stmt in statements {
        for probe in plan::probes(stmt, &state, settings.dialect) {
            let result = match &probe {
                Probe::CannotMeasure { .. } => Ok(Measured::Nothing),
                p => db.measure(p, opts),
            };
            let measured = match result {
                Ok(m) => m,
                Err(db::ProbeError::Fatal(msg)) => return Err(msg),
                Err(db::ProbeError::Timeout) => {
                    new.push(
                        Diagnostic::new(
                            "live-cannot-measure",
                            stmt.span,
                            format!(
                                "measuring this statement took longer than --db-timeout ({} ms); \
                                 not measured",
                                opts.timeout.as_millis()
                            ),
                        )
                        .severity(Severity::Warning)
                        .label("timed out in the target database")
                        .help(
                            "raise --db-timeout, or lower --max-count-rows so large tables use \
                             the planner's estimate",
                        ),
                    );
                    continue;
                }
                Err(db::ProbeError::Rejected(msg)) => {
                    new.push(
                        Diagnostic::new(
                            "live-cannot-measure",
                            stmt.span,
                            format!("the database rejected the measurement: {msg}"),
                        )
                        .severity(Severity::Warning)
                        .label("not measured")
                        .help(
                            "the statement may refer to a column or object the target database \
                             does not have yet (created by an earlier migration?)",
                        ),
                    );
                    continue;
                }
            };
            findings(stmt.span, &probe, measured, opts, file, new);
        }
        state.apply(stmt);
    }
    Ok(())
}

/// Static (non-live) findings on this statement: they receive the measurement too.
fn attach(file: &mut FileOutcome, span: Span, impact: &Value, label: &str) {
    for d in file.diagnostics.iter_mut().filter(|d| {
        !d.rule.starts_with("live-") && d.span.start >= span.start && d.span.start < span.end
    }) {
        d.extra
            .get_or_insert_with(Map::new)
            .insert("impact".to_string(), impact.clone());
        d.label = Some(match d.label.take() {
            Some(l) if !l.is_empty() => format!("{l}; {label}"),
            _ => label.to_string(),
        });
    }
}

fn with_impact(d: Diagnostic, impact: &Value) -> Diagnostic {
    let mut d = d;
    d.extra
        .get_or_insert_with(Map::new)
        .insert("impact".to_string(), impact.clone());
    d
}

/// `live-missing-object`: the table or column the statement names is not in the target database.
fn missing_object(span: Span, message: String, help: &str) -> Diagnostic {
    Diagnostic::new("live-missing-object", span, message)
        .label("not found in the target database")
        .help(help)
}

fn name_of(n: &ObjName) -> String {
    format!("`{}`", n.display)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction() {
        assert_eq!(
            redact("postgres://app:s3cr3t@db.example:5432/prod"),
            "postgres://app:***@db.example:5432/prod"
        );
        assert_eq!(
            redact("postgresql://app:p@ss/w@rd@host/db?sslmode=disable"),
            "postgresql://app:***@host/db?sslmode=disable"
        );
        assert_eq!(redact("postgres://app@host/db"), "postgres://app@host/db");
        assert_eq!(
            redact("postgres://host/db?user=a&password=s3cr3t&x=1"),
            "postgres://host/db?user=a&password=***&x=1"
        );
        assert_eq!(
            redact("host=h user=a password='s3 cr\\'et' dbname=d"),
            "host=h user=a password=*** dbname=d"
        );
        assert_eq!(
            redact("host=h PASSWORD = s3cr3t dbname=d"),
            "host=h PASSWORD = *** dbname=d"
        );
        assert!(!redact("postgres://u:pw@h/d?password=pw2").contains("pw"));
    }

    #[test]
    fn option_parsing() {
        assert_eq!(parse_duration("5s"), Some(Duration::from_secs(5)));
        assert_eq!(parse_duration("250ms"), Some(Duration::from_millis(250)));
        assert_eq!(parse_duration("2"), Some(Duration::from_secs(2)));
        assert_eq!(parse_duration("0"), None);
        assert_eq!(parse_duration("soon"), None);
        assert_eq!(parse_percent("10%"), Some(10.0));
        assert_eq!(parse_percent("2.5 %"), Some(2.5));
        assert_eq!(parse_percent("101"), None);
        assert!(
            Options::new("mysql://u:pw@h/d", "5s", "10", None, 1).is_err_and(|e| !e.contains("pw"))
        );
    }

    #[test]
    fn numbers() {
        assert_eq!(thousands(340112), "340,112");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000000), "1,000,000");
        assert_eq!(human_size(8192), "8.0 kB");
        assert_eq!(human_size(12), "12 bytes");
    }
}
