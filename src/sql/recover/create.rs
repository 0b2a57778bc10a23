//! What a CREATE that sqlparser refused creates, read by tokens (for the schema model):
//! tables (`… USING columnar`, `(LIKE x INCLUDING ALL)`), views and materialized views
//! (`WITH (…)`, `WITH NO DATA`), indexes, schemas (`AUTHORIZATION role`), databases (`OWNER x`),
//! sequences, types and domains.

use super::{name_at, word_at};
use crate::sql::lexer::Token;
use crate::sql::model::*;

/// What a CREATE that sqlparser refused creates (for the schema model).
pub(super) fn create(src: &str, top: &[&Token]) -> StmtKind {
    let mut i = 1;
    let mut temporary = false;
    let mut or_replace = false;
    let mut unique = false;
    loop {
        match word_at(src, top, i).as_str() {
            "OR" | "REPLACE" => or_replace = true,
            "TEMP" | "TEMPORARY" => temporary = true,
            "UNIQUE" => unique = true,
            "GLOBAL" | "LOCAL" | "UNLOGGED" | "RECURSIVE" => {}
            _ => break,
        }
        i += 1;
    }
    let mut object = word_at(src, top, i);
    if object == "MATERIALIZED" {
        i += 1;
        object = "MATERIALIZED VIEW".into();
    }
    i += 1;
    let mut concurrently = false;
    let mut if_not_exists = false;
    loop {
        match word_at(src, top, i).as_str() {
            "CONCURRENTLY" => concurrently = true,
            "IF" | "NOT" | "EXISTS" => if_not_exists = true,
            _ => break,
        }
        i += 1;
    }
    match object.as_str() {
        "TABLE" => match name_at(src, top, i) {
            Some((name, _)) => StmtKind::CreateTable {
                name,
                temporary,
                if_not_exists,
                or_replace,
                columns: Vec::new(),
            },
            None => StmtKind::Other,
        },
        "VIEW" | "MATERIALIZED VIEW" => match name_at(src, top, i) {
            Some((name, _)) => StmtKind::CreateView {
                name,
                materialized: object != "VIEW",
                references: Vec::new(),
            },
            None => StmtKind::Other,
        },
        "INDEX" => {
            let (name, j) = match word_at(src, top, i).as_str() {
                "ON" => (None, i),
                _ => match name_at(src, top, i) {
                    Some((n, j)) => (Some(n), j),
                    None => (None, i),
                },
            };
            let mut j = j;
            if word_at(src, top, j) == "ON" {
                j += 1;
            }
            if word_at(src, top, j) == "ONLY" {
                j += 1;
            }
            match name_at(src, top, j) {
                Some((table, _)) => StmtKind::CreateIndex {
                    name,
                    table,
                    concurrently,
                    unique,
                },
                None => StmtKind::Other,
            }
        }
        "SCHEMA" => {
            // CREATE SCHEMA AUTHORIZATION role names the schema after the role
            let at = if word_at(src, top, i) == "AUTHORIZATION" {
                i + 1
            } else {
                i
            };
            match name_at(src, top, at) {
                Some((name, _)) => StmtKind::CreateOther {
                    object: ObjectKind::Schema,
                    name,
                },
                None => StmtKind::Other,
            }
        }
        "DATABASE" | "SEQUENCE" | "TYPE" | "DOMAIN" => match name_at(src, top, i) {
            Some((name, _)) => StmtKind::CreateOther {
                object: ObjectKind::from_keyword(&object),
                name,
            },
            None => StmtKind::Other,
        },
        _ => StmtKind::Other,
    }
}
