//! Statements that sqlparser reads as more than one, or refuses as one, cut into the
//! statements they hold: T-SQL batches (no `;` between statements) and two statements run
//! together with no `;` between them.

use super::lexer::{Token, TokenKind};
use super::{parse, routine_kind};
use crate::source::Dialect;

/// Keywords that start a statement of their own when they begin a line.
const RUN_STARTS: &[&str] = &[
    "CREATE", "DROP", "ALTER", "TRUNCATE", "DELETE", "UPDATE", "INSERT", "GRANT", "COMMENT",
];
/// Words after which such a keyword continues the statement (rules, triggers, grants, …).
const JOINERS: &[&str] = &[
    "AS", "DO", "INSTEAD", "ALSO", "THEN", "ELSE", "BEGIN", "ATOMIC", "FOR", "ON", "OR", "OF",
    "AFTER", "BEFORE", "GRANT", "REVOKE", "TO", "WITH", "AND", "IS", "NOT", "EXECUTE",
];

/// A statement sqlparser refused that is two statements with no `;` between them: the
/// pieces, when a destructive or DDL keyword begins a line and the part before it parses.
pub(super) fn run_together<'t>(
    text: &str,
    tokens: &'t [Token],
    dialect: Dialect,
) -> Option<Vec<&'t [Token]>> {
    let first = tokens.first()?;
    if !RUN_STARTS.iter().any(|k| first.is_word(text, k))
        || tokens.get(1).is_some_and(|t| t.is_word(text, "SCHEMA"))
        || routine_kind(text, &first.text(text).to_ascii_uppercase(), tokens).is_some()
    {
        return None;
    }
    let mut cuts = vec![0];
    let mut depth = 0i32;
    for (i, t) in tokens.iter().enumerate() {
        depth += nesting(text, t);
        if i == 0 || depth != 0 || !RUN_STARTS.iter().any(|k| t.is_word(text, k)) {
            continue;
        }
        let prev = &tokens[i - 1];
        let joined = prev.kind == TokenKind::Punct && prev.text(text) != ")"
            || JOINERS.iter().any(|k| prev.is_word(text, k));
        let line_start = starts_line(text, t.span.start);
        if line_start && !joined {
            cuts.push(i);
        }
    }
    if cuts.len() < 2 {
        return None;
    }
    let head = &tokens[..cuts[1]];
    let (a, b) = (head.first()?, head.last()?);
    parse(&text[a.span.start..b.span.end], dialect).ok()?;
    cuts.push(tokens.len());
    Some(cuts.windows(2).map(|w| &tokens[w[0]..w[1]]).collect())
}

/// `1` for `(`, `-1` for `)`, else `0`: a token's step in parenthesis depth.
pub(super) fn nesting(text: &str, t: &Token) -> i32 {
    if t.is_punct(text, "(") {
        1
    } else if t.is_punct(text, ")") {
        -1
    } else {
        0
    }
}

/// Only whitespace between the line's start and byte `at`.
fn starts_line(text: &str, at: usize) -> bool {
    text[..at]
        .bytes()
        .rev()
        .take_while(|&b| b != b'\n')
        .all(|b| b.is_ascii_whitespace())
}

/// Statement keywords that start a new statement when they begin a line (T-SQL batches).
const LINE_STARTS: &[&str] = &[
    "CREATE", "DROP", "ALTER", "DELETE", "UPDATE", "INSERT", "TRUNCATE", "EXEC", "EXECUTE",
    "SELECT", "DECLARE", "PRINT", "GRANT", "MERGE", "USE", "SET", "IF",
];

/// `tokens` cut where a statement keyword begins a line at parenthesis depth 0.
pub(super) fn line_chunks<'t>(text: &str, tokens: &'t [Token]) -> Vec<&'t [Token]> {
    let mut cuts = vec![0];
    let mut depth = 0i32;
    for (i, t) in tokens.iter().enumerate() {
        depth += nesting(text, t);
        let line_start = starts_line(text, t.span.start);
        if i > 0 && depth == 0 && line_start && LINE_STARTS.iter().any(|k| t.is_word(text, k)) {
            cuts.push(i);
        }
    }
    cuts.push(tokens.len());
    cuts.windows(2).map(|w| &tokens[w[0]..w[1]]).collect()
}
