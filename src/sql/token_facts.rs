//! Facts from tokens, for statements sqlparser cannot parse (fail closed): enough to see
//! DROP / TRUNCATE / DELETE / UPDATE and whether they have a WHERE clause.

use super::lexer::{Token, TokenKind};
use super::model::*;
use crate::source::Span;

pub(super) fn facts(src: &str, toks: &[Token], opaque: &dyn Fn(Span) -> bool) -> StmtKind {
    let words: Vec<&Token> = toks.iter().collect();
    let Some(first) = words.first() else {
        return StmtKind::Other;
    };
    let is = |i: usize, kw: &str| words.get(i).is_some_and(|t| t.is_word(src, kw));
    let has_top_word = |kw: &str| top_level(src, toks).any(|t| t.is_word(src, kw));
    let where_pred = || {
        let mut it = top_level(src, toks).skip_while(|t| !t.is_word(src, "WHERE"));
        it.next()?;
        let rest: Vec<&Token> = it.collect();
        let span = match (rest.first(), rest.last()) {
            (Some(a), Some(b)) => Span::new(a.span.start, b.span.end),
            _ => return None,
        };
        Some(Predicate {
            expr: None,
            opaque: opaque(span),
        })
    };

    if first.is_word(src, "DROP") {
        let mut i = 1;
        let temporary = is(i, "TEMPORARY") || is(i, "TEMP");
        if temporary {
            i += 1;
        }
        let object = if is(i, "MATERIALIZED") && is(i + 1, "VIEW") {
            i += 2;
            ObjectKind::MaterializedView
        } else {
            let k = words
                .get(i)
                .map(|t| ObjectKind::from_keyword(t.text(src)))
                .unwrap_or(ObjectKind::Other(String::new()));
            i += 1;
            k
        };
        if is(i, "CONCURRENTLY") {
            i += 1;
        }
        let if_exists = is(i, "IF") && is(i + 1, "EXISTS");
        if if_exists {
            i += 2;
        }
        let names = read_names(src, &words[i.min(words.len())..]);
        return StmtKind::Drop {
            object,
            names,
            if_exists,
            cascade: has_top_word("CASCADE"),
            temporary,
        };
    }
    if first.is_word(src, "TRUNCATE") {
        let mut i = 1;
        if is(i, "TABLE") {
            i += 1;
        }
        if is(i, "ONLY") {
            i += 1;
        }
        return StmtKind::Truncate {
            tables: read_names(src, &words[i.min(words.len())..]),
            cascade: has_top_word("CASCADE"),
        };
    }
    if first.is_word(src, "DELETE") {
        let i = if is(1, "FROM") { 2 } else { 1 };
        return StmtKind::Delete {
            table: read_names(src, &words[i.min(words.len())..])
                .into_iter()
                .next(),
            predicate: where_pred(),
            limited: has_top_word("LIMIT"),
        };
    }
    if first.is_word(src, "UPDATE") {
        let mut i = 1;
        if is(i, "ONLY") {
            i += 1;
        }
        return StmtKind::Update {
            table: read_names(src, &words[i.min(words.len())..])
                .into_iter()
                .next(),
            predicate: where_pred(),
            assignments: Vec::new(),
            limited: has_top_word("LIMIT"),
        };
    }
    StmtKind::Other
}

/// Tokens at parenthesis depth 0.
pub(super) fn top_level<'a>(
    src: &'a str,
    toks: &'a [Token],
) -> impl Iterator<Item = &'a Token> + 'a {
    let mut depth = 0i32;
    toks.iter().filter(move |t| {
        if t.is_punct(src, "(") {
            depth += 1;
            return false;
        }
        if t.is_punct(src, ")") {
            depth -= 1;
            return false;
        }
        depth == 0
    })
}

/// A comma-separated list of dotted names at the start of `toks`.
pub(super) fn read_names(src: &str, toks: &[&Token]) -> Vec<ObjName> {
    let mut names = Vec::new();
    let mut parts: Vec<(String, bool)> = Vec::new();
    let mut expect_name = true;
    for t in toks {
        match t.kind {
            TokenKind::Word | TokenKind::QuotedIdent | TokenKind::ShellVar if expect_name => {
                let raw = t.text(src);
                let quoted = t.kind == TokenKind::QuotedIdent;
                let v = if quoted {
                    raw[1..raw.len().saturating_sub(1)].to_string()
                } else {
                    raw.to_string()
                };
                // keywords that end a name list
                if !quoted
                    && [
                        "CASCADE",
                        "RESTRICT",
                        "WHERE",
                        "SET",
                        "USING",
                        "AS",
                        "ON",
                        "RETURNING",
                    ]
                    .iter()
                    .any(|k| raw.eq_ignore_ascii_case(k))
                {
                    break;
                }
                parts.push((v, quoted));
                expect_name = false;
            }
            TokenKind::Punct if t.text(src) == "." && !expect_name => expect_name = true,
            // CockroachDB `table@index`
            TokenKind::Param if !expect_name && t.text(src).starts_with('@') => {
                if let Some(last) = parts.last_mut() {
                    last.0.push_str(t.text(src));
                }
            }
            TokenKind::Punct if t.text(src) == "," => {
                if !parts.is_empty() {
                    names.push(ObjName::from_parts(&parts));
                    parts.clear();
                }
                expect_name = true;
            }
            _ => break,
        }
    }
    if !parts.is_empty() {
        names.push(ObjName::from_parts(&parts));
    }
    names
}
