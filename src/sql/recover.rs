//! Reading a statement sqlparser refused, by tokens (fail closed): every destructive shape
//! (DROP, TRUNCATE, DELETE, UPDATE, ALTER TABLE … DROP COLUMN / SET NOT NULL / RENAME / TYPE,
//! ClickHouse mutations), and what the statement creates or renames for the schema model.
//! It also says whether the reading is complete: a statement that can destroy data but was
//! not fully read is a `parse-error`; one that cannot destroy data is only counted.

use super::lexer::{Token, TokenKind};
use super::model::*;
use super::token_facts::{self, read_names, top_level};
use crate::source::Span;

mod create;

/// Facts of an unparsed statement, and whether they cover everything it can destroy.
pub(super) fn recover(
    src: &str,
    toks: &[Token],
    opaque: &dyn Fn(Span) -> bool,
) -> (StmtKind, bool) {
    let Some(first) = toks.first() else {
        return (StmtKind::Other, true);
    };
    let kw = first.text(src).to_ascii_uppercase();
    let top: Vec<&Token> = top_level(src, toks).collect();
    match kw.as_str() {
        "DROP" => {
            let mut kind = token_facts::facts(src, toks, opaque);
            let complete = drop_complete(src, &top, &kind);
            // HSQLDB/H2: DROP INDEX x IF EXISTS
            if let StmtKind::Drop { if_exists, .. } = &mut kind
                && has_seq_refs(src, &top[top.len().saturating_sub(2)..], &["IF", "EXISTS"])
            {
                *if_exists = true;
            }
            (kind, complete)
        }
        "TRUNCATE" => {
            let kind = token_facts::facts(src, toks, opaque);
            let complete = tail_is(src, &top, 1, TRUNCATE_TAIL, &kind);
            (kind, complete)
        }
        // the predicate cannot be judged from tokens
        "DELETE" | "UPDATE" | "MERGE" => (token_facts::facts(src, toks, opaque), false),
        "ALTER" => alter(src, toks, &top, opaque),
        "CREATE" => (create::create(src, &top), true),
        "RENAME" => (StmtKind::Other, false),
        _ => (StmtKind::Other, true),
    }
}

const DROP_TAIL: &[&str] = &[
    "CASCADE", "RESTRICT", "SYNC", "PURGE", "FORCE", "IF", "EXISTS",
];
const TRUNCATE_TAIL: &[&str] = &[
    "CASCADE", "RESTRICT", "RESTART", "CONTINUE", "IDENTITY", "SYNC", "TABLE", "ONLY", "IF",
    "EXISTS",
];

fn names_len(kind: &StmtKind) -> usize {
    match kind {
        StmtKind::Drop { names, .. } => names.len(),
        StmtKind::Truncate { tables, .. } => tables.len(),
        _ => 0,
    }
}

/// `DROP <kind> [CONCURRENTLY] [IF EXISTS] names [CASCADE|RESTRICT|SYNC] [ON CLUSTER c]`.
fn drop_complete(src: &str, top: &[&Token], kind: &StmtKind) -> bool {
    if names_len(kind) == 0 {
        return false;
    }
    // skip the words before the names: DROP [TEMPORARY] <kind> [CONCURRENTLY] [IF EXISTS]
    let mut i = 1;
    while top.get(i).is_some_and(|t| {
        t.kind == TokenKind::Word
            && [
                "TEMPORARY",
                "TEMP",
                "TABLE",
                "VIEW",
                "MATERIALIZED",
                "INDEX",
                "SCHEMA",
                "DATABASE",
                "SEQUENCE",
                "TYPE",
                "CONCURRENTLY",
                "IF",
                "EXISTS",
                "DICTIONARY",
                "DOMAIN",
                "AGGREGATE",
                "FUNCTION",
                "PROCEDURE",
                "ROUTINE",
                "OPERATOR",
                "EXTENSION",
                "FOREIGN",
                "SERVER",
                "COLLATION",
                "CONVERSION",
                "CAST",
                "PUBLICATION",
                "SUBSCRIPTION",
                "STATISTICS",
                "ROLE",
                "USER",
                "GROUP",
                "TABLESPACE",
                "LANGUAGE",
                "EVENT",
                "TRIGGER",
                "POLICY",
                "RULE",
                "TEXT",
                "SEARCH",
                "CONFIGURATION",
                "DICTIONARY",
                "PARSER",
                "TEMPLATE",
                "ACCESS",
                "METHOD",
                "CLASS",
                "FAMILY",
                "OWNED",
                "BY",
                "DATA",
                "WRAPPER",
            ]
            .iter()
            .any(|k| t.is_word(src, k))
    }) {
        i += 1;
    }
    tail_after_names(src, top, i, DROP_TAIL)
}

fn tail_is(src: &str, top: &[&Token], from: usize, allowed: &[&str], kind: &StmtKind) -> bool {
    names_len(kind) > 0 && tail_after_names(src, top, from, allowed)
}

/// From `i`, a list of dotted names, then only `allowed` words (and `ON CLUSTER name`).
fn tail_after_names(src: &str, top: &[&Token], mut i: usize, allowed: &[&str]) -> bool {
    // names: word/quoted/param (. word)* (, …)*
    while i < top.len() && allowed.iter().any(|k| top[i].is_word(src, k)) {
        i += 1;
    }
    let mut expect_name = true;
    while let Some(t) = top.get(i) {
        let is_name = matches!(
            t.kind,
            TokenKind::Word | TokenKind::QuotedIdent | TokenKind::ShellVar | TokenKind::Param
        );
        if expect_name && is_name && !allowed.iter().any(|k| t.is_word(src, k)) {
            expect_name = false;
        } else if !expect_name && (t.is_punct(src, ".") || t.is_punct(src, ",")) {
            expect_name = true;
        } else if !expect_name && t.kind == TokenKind::Param && t.text(src).starts_with('@') {
            // CockroachDB: DROP INDEX table@index
        } else {
            break;
        }
        i += 1;
    }
    let rest = &top[i..];
    let mut j = 0;
    while j < rest.len() {
        if rest[j].is_word(src, "ON") {
            // ON CLUSTER c (ClickHouse), ON table (triggers, policies, rules)
            j += if rest.get(j + 1).is_some_and(|t| t.is_word(src, "CLUSTER")) {
                3
            } else {
                2
            };
            while rest.get(j).is_some_and(|t| t.is_punct(src, ".")) {
                j += 2;
            }
            continue;
        }
        if !allowed.iter().any(|k| rest[j].is_word(src, k)) {
            return false;
        }
        j += 1;
    }
    true
}

/// Words that make an ALTER able to destroy or rename something.
const ALTER_DESTRUCTIVE: &[&str] = &[
    "DROP", "RENAME", "TYPE", "MODIFY", "CHANGE", "DELETE", "UPDATE",
];

/// Can this statement (by its tokens) destroy or rename data? Statements that cannot get no
/// parse-error when sqlparser refuses them.
pub(super) fn can_destroy(src: &str, toks: &[Token]) -> bool {
    let Some(first) = toks.first() else {
        return false;
    };
    let kw = first.text(src).to_ascii_uppercase();
    match kw.as_str() {
        "DROP" | "TRUNCATE" | "DELETE" | "UPDATE" | "MERGE" | "RENAME" => true,
        "ALTER" => {
            let object = toks.get(1).map(|t| t.text(src).to_ascii_uppercase());
            let is_table = object.as_deref() == Some("TABLE");
            top_level(src, toks).skip(2).any(|t| {
                t.kind == TokenKind::Word
                    && ALTER_DESTRUCTIVE
                        .iter()
                        .filter(|k| is_table || matches!(**k, "DROP" | "RENAME"))
                        .any(|k| t.is_word(src, k))
            }) || has_seq(src, toks, &["SET", "NOT", "NULL"])
                || has_seq(src, toks, &["SET", "SCHEMA"]) && is_table
        }
        _ => false,
    }
}

fn has_seq(src: &str, toks: &[Token], words: &[&str]) -> bool {
    toks.windows(words.len())
        .any(|w| w.iter().zip(words).all(|(t, k)| t.is_word(src, k)))
}

pub(super) fn word_at(src: &str, top: &[&Token], i: usize) -> String {
    top.get(i)
        .filter(|t| t.kind == TokenKind::Word)
        .map(|t| t.text(src).to_ascii_uppercase())
        .unwrap_or_default()
}

/// One name (dotted) starting at `i`; returns it and the index after it.
pub(super) fn name_at(src: &str, top: &[&Token], i: usize) -> Option<(ObjName, usize)> {
    let names = read_names(src, &top[i.min(top.len())..]);
    let n = names.into_iter().next()?;
    // count tokens used: parts and dots
    let mut j = i;
    let mut expect = true;
    while let Some(t) = top.get(j) {
        let is_name = matches!(
            t.kind,
            TokenKind::Word | TokenKind::QuotedIdent | TokenKind::ShellVar
        );
        if expect && is_name {
            expect = false;
        } else if !expect && t.is_punct(src, ".") {
            expect = true;
        } else {
            break;
        }
        j += 1;
    }
    Some((n, j))
}

fn ident(src: &str, t: Option<&&Token>) -> Option<String> {
    let t = t?;
    let raw = t.text(src);
    match t.kind {
        TokenKind::QuotedIdent => Some(raw[1..raw.len().saturating_sub(1)].to_string()),
        TokenKind::Word | TokenKind::ShellVar => Some(raw.to_lowercase()),
        _ => None,
    }
}

fn alter(
    src: &str,
    toks: &[Token],
    top: &[&Token],
    opaque: &dyn Fn(Span) -> bool,
) -> (StmtKind, bool) {
    let destroys = can_destroy(src, toks);
    let mut i = 1;
    let mut object = word_at(src, top, i);
    if object == "MATERIALIZED" {
        i += 1;
        object = "MATERIALIZED VIEW".into();
    }
    i += 1;
    while ["IF", "EXISTS", "ONLY"].contains(&word_at(src, top, i).as_str()) {
        i += 1;
    }
    let Some((name, mut i)) = name_at(src, top, i) else {
        return (StmtKind::Other, !destroys);
    };
    if top.get(i).is_some_and(|t| t.is_punct(src, "*")) {
        i += 1;
    }
    if word_at(src, top, i) == "ON" && word_at(src, top, i + 1) == "CLUSTER" {
        i += 3;
    }
    if object != "TABLE" {
        // ALTER INDEX/SEQUENCE/VIEW … RENAME TO new
        if word_at(src, top, i) == "RENAME"
            && word_at(src, top, i + 1) == "TO"
            && let Some((to, _)) = name_at(src, top, i + 2)
        {
            let kind = match object.as_str() {
                "MATERIALIZED VIEW" => ObjectKind::MaterializedView,
                o => ObjectKind::from_keyword(o),
            };
            return (
                StmtKind::RenameObject {
                    object: kind,
                    from: name,
                    to,
                },
                true,
            );
        }
        return (StmtKind::Other, !destroys);
    }
    // ClickHouse mutations: ALTER TABLE t [ON CLUSTER c] DELETE WHERE … / UPDATE … WHERE …
    let act = word_at(src, top, i);
    if act == "DELETE" || act == "UPDATE" {
        let has_where = top[i..].iter().any(|t| t.is_word(src, "WHERE"));
        let predicate = has_where.then(|| Predicate {
            expr: None,
            opaque: toks
                .last()
                .is_some_and(|l| opaque(Span::new(top[i].span.start, l.span.end))),
        });
        let kind = if act == "DELETE" {
            StmtKind::Delete {
                table: Some(name),
                predicate,
                limited: false,
            }
        } else {
            StmtKind::Update {
                table: Some(name),
                predicate,
                assignments: Vec::new(),
                limited: false,
            }
        };
        return (kind, true);
    }
    let mut ops = Vec::new();
    let mut complete = true;
    for action in top[i..].split(|t| t.is_punct(src, ",")) {
        let (op, ok) = alter_action(src, action);
        complete &= ok;
        ops.push(op);
    }
    (StmtKind::AlterTable { name, ops }, complete || !destroys)
}

/// One action of ALTER TABLE; `false` when it holds a destructive word it did not read.
fn alter_action(src: &str, a: &[&Token]) -> (AlterOp, bool) {
    let w = |i: usize| word_at(src, a, i);
    let destructive = a
        .iter()
        .any(|t| ALTER_DESTRUCTIVE.iter().any(|k| t.is_word(src, k)))
        || has_seq_refs(src, a, &["SET", "NOT", "NULL"]);
    let unknown = (AlterOp::Other, !destructive);
    match w(0).as_str() {
        "ADD" => {
            let mut i = 1;
            if w(i) == "COLUMN" {
                i += 1;
            }
            if matches!(
                w(i).as_str(),
                "CONSTRAINT"
                    | "PRIMARY"
                    | "UNIQUE"
                    | "FOREIGN"
                    | "CHECK"
                    | "INDEX"
                    | "KEY"
                    | "EXCLUDE"
                    | "PARTITION"
            ) {
                return (AlterOp::Other, true);
            }
            while ["IF", "NOT", "EXISTS"].contains(&w(i).as_str()) {
                i += 1;
            }
            match ident(src, a.get(i)) {
                Some(name) => (AlterOp::AddColumn(column(src, name, &a[i + 1..])), true),
                None => (AlterOp::Other, true),
            }
        }
        "DROP" => {
            let mut i = 1;
            match w(1).as_str() {
                "CONSTRAINT" => {
                    let mut j = 2;
                    while ["IF", "EXISTS"].contains(&w(j).as_str()) {
                        j += 1;
                    }
                    return match ident(src, a.get(j)) {
                        Some(name) => (
                            AlterOp::DropConstraint {
                                name,
                                cascade: a.iter().any(|t| t.is_word(src, "CASCADE")),
                            },
                            true,
                        ),
                        None => unknown,
                    };
                }
                "COLUMN" => i += 1,
                "PRIMARY" | "INDEX" | "KEY" | "FOREIGN" | "DEFAULT" | "CHECK" => {
                    return (AlterOp::Other, true);
                }
                "PARTITION" => return unknown,
                _ => {}
            }
            let if_exists = w(i) == "IF" && w(i + 1) == "EXISTS";
            if if_exists {
                i += 2;
            }
            match ident(src, a.get(i)) {
                Some(name) => (
                    AlterOp::DropColumn {
                        names: vec![name],
                        if_exists,
                        cascade: a.iter().any(|t| t.is_word(src, "CASCADE")),
                    },
                    true,
                ),
                None => unknown,
            }
        }
        "ALTER" => {
            let i = if w(1) == "COLUMN" { 2 } else { 1 };
            let Some(column) = ident(src, a.get(i)) else {
                return unknown;
            };
            let rest = &a[i + 1..];
            let r = |k: usize| word_at(src, rest, k);
            match (r(0).as_str(), r(1).as_str(), r(2).as_str()) {
                ("TYPE", _, _) | ("SET", "DATA", "TYPE") => {
                    let skip = if r(0) == "TYPE" { 1 } else { 3 };
                    (
                        AlterOp::SetType {
                            column,
                            data_type: type_text(src, &rest[skip.min(rest.len())..]),
                        },
                        true,
                    )
                }
                ("SET", "NOT", "NULL") => (AlterOp::SetNotNull { column }, true),
                ("DROP", "NOT", "NULL") => (AlterOp::DropNotNull { column }, true),
                ("SET" | "DROP", "DEFAULT" | "STATISTICS" | "STORAGE" | "COMPRESSION", _)
                | ("SET" | "RESET", _, _)
                | ("ADD" | "DROP", "GENERATED" | "IDENTITY", _)
                | ("DROP", "EXPRESSION", _) => (AlterOp::Other, true),
                _ => unknown,
            }
        }
        "RENAME" => {
            if w(1) == "TO" || w(1) == "AS" {
                return match name_at(src, a, 2) {
                    Some((to, _)) => (AlterOp::RenameTo(to), true),
                    None => unknown,
                };
            }
            if matches!(w(1).as_str(), "CONSTRAINT" | "INDEX" | "KEY") {
                return (AlterOp::Other, true);
            }
            let i = if w(1) == "COLUMN" { 2 } else { 1 };
            match (
                ident(src, a.get(i)),
                w(i + 1).as_str(),
                ident(src, a.get(i + 2)),
            ) {
                (Some(from), "TO", Some(to)) => (AlterOp::RenameColumn { from, to }, true),
                _ => unknown,
            }
        }
        "MODIFY" | "CHANGE" => {
            let mut i = 1;
            if w(i) == "COLUMN" {
                i += 1;
            }
            let Some(from) = ident(src, a.get(i)) else {
                return unknown;
            };
            let (name, rest_at) = if w(0) == "CHANGE" {
                match ident(src, a.get(i + 1)) {
                    Some(n) => (n, i + 2),
                    None => return unknown,
                }
            } else {
                (from.clone(), i + 1)
            };
            (
                AlterOp::Redefine {
                    from,
                    column: column(src, name, &a[rest_at.min(a.len())..]),
                },
                true,
            )
        }
        _ => unknown,
    }
}

fn has_seq_refs(src: &str, toks: &[&Token], words: &[&str]) -> bool {
    toks.windows(words.len())
        .any(|w| w.iter().zip(words).all(|(t, k)| t.is_word(src, k)))
}

/// The type words of a column definition (up to the first constraint keyword).
fn type_text(src: &str, rest: &[&Token]) -> String {
    let stop = [
        "NOT",
        "NULL",
        "DEFAULT",
        "PRIMARY",
        "UNIQUE",
        "REFERENCES",
        "CHECK",
        "USING",
        "COLLATE",
        "GENERATED",
        "CONSTRAINT",
        "AUTO_INCREMENT",
        "COMMENT",
        "FIRST",
        "AFTER",
    ];
    let end = rest
        .iter()
        .position(|t| stop.iter().any(|k| t.is_word(src, k)))
        .unwrap_or(rest.len());
    match (rest.first(), end.checked_sub(1).and_then(|e| rest.get(e))) {
        (Some(a), Some(b)) if end > 0 => src[a.span.start..b.span.end].to_string(),
        _ => String::new(),
    }
}

fn column(src: &str, name: String, rest: &[&Token]) -> ColumnFacts {
    let data_type = type_text(src, rest);
    let lower = data_type.to_ascii_lowercase();
    let pk = has_seq_refs(src, rest, &["PRIMARY", "KEY"]);
    ColumnFacts {
        name,
        not_null: has_seq_refs(src, rest, &["NOT", "NULL"]) || pk || lower.contains("serial"),
        has_default: rest.iter().any(|t| {
            ["DEFAULT", "GENERATED", "AUTO_INCREMENT", "IDENTITY"]
                .iter()
                .any(|k| t.is_word(src, k))
        }) || lower.contains("serial"),
        primary_key: pk,
        data_type,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Dialect;
    use crate::sql::lexer::tokens;

    fn rec(src: &str) -> (StmtKind, bool) {
        let toks = tokens(src, Dialect::Postgres);
        recover(src, &toks, &|_| false)
    }

    #[test]
    fn alter_table_actions_by_tokens() {
        let (k, ok) = rec(
            "ALTER TABLE \"s\".users DROP COLUMN IF EXISTS email CASCADE, ALTER COLUMN a SET NOT NULL, RENAME COLUMN b TO c, ALTER COLUMN d TYPE bigint USING d::bigint",
        );
        assert!(ok);
        let StmtKind::AlterTable { name, ops } = k else {
            panic!("{k:?}")
        };
        assert_eq!(name.display, "\"s\".users");
        assert!(
            matches!(&ops[0], AlterOp::DropColumn { names, if_exists: true, cascade: true } if names == &["email"])
        );
        assert_eq!(ops[1], AlterOp::SetNotNull { column: "a".into() });
        assert_eq!(
            ops[2],
            AlterOp::RenameColumn {
                from: "b".into(),
                to: "c".into()
            }
        );
        assert!(
            matches!(&ops[3], AlterOp::SetType { column, data_type } if column == "d" && data_type == "bigint")
        );
    }

    #[test]
    fn completeness() {
        assert!(rec("DROP INDEX CONCURRENTLY IF EXISTS a.b").1);
        assert!(rec("DROP TABLE t ON CLUSTER main SYNC").1);
        assert!(!rec("DROP TABLE users WITH SOME GIBBERISH (((").1);
        assert!(rec("drop aggregate if exists v2.special_agg(v2.another_table)").1);
        assert!(rec("drop index events@changes_idx").1);
        assert!(matches!(
            rec("DROP INDEX users_key IF EXISTS"),
            (
                StmtKind::Drop {
                    if_exists: true,
                    ..
                },
                true
            )
        ));
        assert!(!rec("ALTER TABLE t DROP PARTITION p1").1);
        assert!(rec("ALTER TABLE t SET (fillfactor = 70), ALTER CONSTRAINT c DEFERRABLE").1);
        assert!(rec("ALTER TABLE t ON CLUSTER c DELETE WHERE x = 1").1);
        assert!(!rec("DELETE FROM t WHERE x = ANY(weird syntax here)").1);
        assert!(rec("CREATE FUNCTION weird() RETURNS int").1);
    }

    #[test]
    fn creates_and_renames_reach_the_model() {
        assert!(matches!(
            rec("CREATE DATABASE b OWNER x").0,
            StmtKind::CreateOther {
                object: ObjectKind::Database,
                ..
            }
        ));
        assert!(
            matches!(rec("CREATE SCHEMA AUTHORIZATION s").0, StmtKind::CreateOther { object: ObjectKind::Schema, name, .. } if name.name == "s")
        );
        assert!(matches!(
            rec("CREATE TABLE t (LIKE x INCLUDING ALL) USING columnar").0,
            StmtKind::CreateTable { .. }
        ));
        assert!(matches!(
            rec("CREATE MATERIALIZED VIEW mv WITH (fillfactor=1) AS SELECT 1 WITH NO DATA").0,
            StmtKind::CreateView {
                materialized: true,
                ..
            }
        ));
        assert!(matches!(
            rec("ALTER INDEX IF EXISTS i RENAME TO j").0,
            StmtKind::RenameObject {
                object: ObjectKind::Index,
                ..
            }
        ));
    }
}
