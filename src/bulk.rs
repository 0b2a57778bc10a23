//! Bulk files: a teardown script whose statements are nearly all drops, truncates or
//! unfiltered deletes of distinct tables, or an install schema that drops and re-creates every
//! table it creates. One finding per table says nothing a reader does not see from the file
//! name, so such a file gets one finding ("drops 87 tables: run only on a database you mean
//! to empty"), at its first destructive statement. A file with a single drop among other work
//! (the `DROP TABLE IF EXISTS user_sessions` cleanup incident) is not bulk: its drop is
//! reported on its own line.

use crate::diagnostic::{Diagnostic, Severity};
use crate::sql::{ObjName, ObjectKind, Statement, StmtKind};

/// At least this many distinct tables (and destructive statements) before a file counts as
/// bulk: a migration that drops a handful of tables is reported table by table.
const MIN_TABLES: usize = 8;

/// The loss rules a bulk finding replaces.
const FOLDED: &[&str] = &[
    "drop-table",
    "drop-if-exists",
    "cascade",
    "truncate",
    "delete-without-where",
    "drop-recreate",
    "drop-schema",
];

enum Kind {
    Teardown,
    Install,
}

fn push_unique(v: &mut Vec<ObjName>, n: &ObjName) {
    if !v.iter().any(|x| x.same_object(n)) {
        v.push(n.clone());
    }
}

/// What the file is, and the tables it destroys.
fn classify(statements: &[Statement]) -> Option<(Kind, Vec<ObjName>)> {
    let mut destroyed: Vec<ObjName> = Vec::new();
    let mut destructive = 0usize;
    let mut substantive = 0usize;
    let mut created: Vec<ObjName> = Vec::new();
    let mut dropped_then_created = 0usize;
    let mut dropped_before: Vec<ObjName> = Vec::new();
    for s in statements.iter().filter(|s| !s.in_body) {
        match &s.kind {
            StmtKind::Drop {
                object: ObjectKind::Table,
                names,
                ..
            } => {
                destructive += 1;
                substantive += 1;
                for n in names {
                    push_unique(&mut destroyed, n);
                    push_unique(&mut dropped_before, n);
                }
            }
            StmtKind::Truncate { tables, .. } => {
                destructive += 1;
                substantive += 1;
                tables.iter().for_each(|t| push_unique(&mut destroyed, t));
            }
            StmtKind::Delete {
                table: Some(t),
                predicate: None,
                limited: false,
            } => {
                destructive += 1;
                substantive += 1;
                push_unique(&mut destroyed, t);
            }
            StmtKind::CreateTable { name, .. } => {
                substantive += 1;
                if !created.iter().any(|c| c.same_object(name)) {
                    if dropped_before.iter().any(|d| d.same_object(name)) {
                        dropped_then_created += 1;
                    }
                    created.push(name.clone());
                }
            }
            StmtKind::Other
                if matches!(
                    s.keyword.as_str(),
                    "BEGIN" | "COMMIT" | "START" | "END" | "SET" | "ROLLBACK" | "SELECT"
                ) => {}
            StmtKind::Drop { .. } => {}
            _ => substantive += 1,
        }
    }
    if destroyed.len() < MIN_TABLES || destructive < MIN_TABLES {
        return None;
    }
    // every table it creates was dropped first, and it drops no table it does not create
    if created.len() >= MIN_TABLES
        && dropped_then_created == created.len()
        && destroyed
            .iter()
            .all(|d| created.iter().any(|c| c.same_object(d)))
    {
        return Some((Kind::Install, destroyed));
    }
    // nearly every statement destroys a table
    if destructive * 10 >= substantive * 9 {
        return Some((Kind::Teardown, destroyed));
    }
    None
}

/// Replace the per-table loss findings of a bulk file (`out[from..]`) by one finding.
pub fn fold(statements: &[Statement], out: &mut Vec<Diagnostic>, from: usize) {
    let Some((kind, tables)) = classify(statements) else {
        return;
    };
    let from = from.min(out.len());
    let folded: Vec<Diagnostic> = out[from..]
        .iter()
        .filter(|d| FOLDED.contains(&d.rule.as_str()))
        .cloned()
        .collect();
    if folded.len() < 2 {
        return;
    }
    let Some(first) = folded.iter().min_by_key(|d| d.span.start) else {
        return;
    };
    // the lead rule: the strongest one present
    let lead = FOLDED
        .iter()
        .find(|r| folded.iter().any(|d| d.rule == **r))
        .copied()
        .unwrap_or("drop-table");
    let n = tables.len();
    let (message, label, help) = match kind {
        Kind::Teardown => (
            format!(
                "teardown script: drops, truncates or empties {n} tables ({}): run it only on a \
                 database you mean to empty",
                sample(&tables)
            ),
            "the first of the file's destructive statements",
            "this file is reported once, not once per table; make sure it cannot run against a \
             database whose data matters (guard it with a check of the database name, keep it \
             out of deploy paths), or allow it: `-- preflight: allow-file(RULE) reason`",
        ),
        Kind::Install => (
            format!(
                "install script: drops and re-creates all {n} tables it defines ({}): run on an \
                 existing database it deletes every row they hold",
                sample(&tables)
            ),
            "the first of the file's drops",
            "this file is reported once, not once per table; run it only to create a database \
             from scratch, and write changes to an existing database as migrations",
        ),
    };
    let mut d = Diagnostic::new(lead, first.span, message)
        .severity(Severity::Warning)
        .label(label)
        .help(help.replace("RULE", lead));
    let mut extra = serde_json::Map::new();
    extra.insert("bulk".to_string(), serde_json::json!({"tables": n}));
    d.extra = Some(extra);
    let mut kept: Vec<Diagnostic> = out
        .drain(from..)
        .filter(|d| !FOLDED.contains(&d.rule.as_str()))
        .collect();
    kept.push(d);
    out.extend(kept);
}

fn sample(tables: &[ObjName]) -> String {
    let mut s: Vec<String> = tables
        .iter()
        .take(3)
        .map(|t| format!("`{}`", t.display))
        .collect();
    if tables.len() > 3 {
        s.push("…".to_string());
    }
    s.join(", ")
}

#[cfg(test)]
mod tests {
    use crate::check::{SqlOptions, check_sql};
    use crate::source::Dialect;

    fn rules(src: &str) -> Vec<(String, String)> {
        check_sql(src, Dialect::Postgres, &SqlOptions::default())
            .into_iter()
            .map(|d| (d.rule, d.message))
            .collect()
    }

    #[test]
    fn teardown_is_one_finding() {
        let src = "BEGIN; DROP TABLE a; DROP TABLE b; DROP TABLE c CASCADE; DROP TABLE IF EXISTS d; \
                   TRUNCATE e; DELETE FROM f; DROP TABLE g, h; DROP TABLE i; COMMIT;";
        let r = rules(src);
        assert_eq!(r.len(), 1, "{r:?}");
        assert_eq!(r[0].0, "drop-table");
        assert!(r[0].1.contains("9 tables"), "{}", r[0].1);
    }

    #[test]
    fn install_schema_is_one_finding() {
        let mut src = String::new();
        for t in ["a", "b", "c", "d", "e", "f", "g", "h"] {
            src.push_str(&format!(
                "DROP TABLE IF EXISTS {t} CASCADE;\nCREATE TABLE {t} (id int);\nINSERT INTO {t} \
                 VALUES (1);\n"
            ));
        }
        let r = rules(&src);
        assert_eq!(r.len(), 1, "{r:?}");
        assert!(r[0].1.starts_with("install script"), "{}", r[0].1);
    }

    #[test]
    fn near_misses_stay_per_statement() {
        // one drop in a cleanup script (the seed incident)
        let r = rules(
            "DELETE FROM sessions WHERE expires < now();\nDROP TABLE IF EXISTS user_sessions;\n\
             CREATE TABLE user_sessions (id int);",
        );
        assert!(r.iter().any(|(id, _)| id == "drop-table"), "{r:?}");
        // drops mixed with other work: a migration, not a teardown
        let r = rules(
            "DROP TABLE a; DROP TABLE b; DROP TABLE c; DROP TABLE d; DROP TABLE e; DROP TABLE f; \
             DROP TABLE g; DROP TABLE h;\n\
             ALTER TABLE x ADD COLUMN y int; UPDATE x SET y = 1 WHERE id = 2; \
             CREATE INDEX i ON x (y); ALTER TABLE z ADD COLUMN q int; INSERT INTO z VALUES (1); \
             UPDATE z SET q = 2 WHERE q IS NULL;",
        );
        assert_eq!(r.iter().filter(|(id, _)| id == "drop-table").count(), 8);
        // seven tables are not bulk
        let r = rules(
            "DROP TABLE a; DROP TABLE b; DROP TABLE c; DROP TABLE d; DROP TABLE e; DROP TABLE f; \
             DROP TABLE g;",
        );
        assert_eq!(r.len(), 7);
        // an install script that also drops a table it does not define
        let mut src = String::from("DROP TABLE legacy;\n");
        for t in ["a", "b", "c", "d", "e", "f", "g", "h"] {
            src.push_str(&format!(
                "DROP TABLE IF EXISTS {t};\nCREATE TABLE {t} (id int);\n"
            ));
        }
        let r = rules(&src);
        assert!(r.iter().any(|(_, m)| m.contains("`legacy`")), "{r:?}");
    }
}
