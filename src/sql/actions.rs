//! Where each action of an `ALTER TABLE t a1, a2, …` is, so a finding about one action can
//! point at it (`DROP COLUMN b` on line 3) while the statement keeps its start.

use super::lexer::{Token, TokenKind};
use super::recover::name_at;
use super::token_facts::top_level;
use crate::source::Span;

/// The span of every comma-separated action of an `ALTER TABLE` (from its first word to its
/// last token, comments at either edge left out), in text order. Empty when the statement is
/// not an `ALTER TABLE` or its head cannot be read.
pub(super) fn alter_actions(src: &str, toks: &[Token]) -> Vec<Span> {
    let toks: Vec<Token> = toks.iter().filter(|t| !t.is_trivia()).copied().collect();
    if !(toks.first().is_some_and(|t| t.is_word(src, "ALTER"))
        && toks.get(1).is_some_and(|t| t.is_word(src, "TABLE")))
    {
        return Vec::new();
    }
    let top: Vec<&Token> = top_level(src, &toks).collect();
    let mut i = 2;
    while top
        .get(i)
        .is_some_and(|t| ["IF", "EXISTS", "ONLY"].iter().any(|k| t.is_word(src, k)))
    {
        i += 1;
    }
    let Some((_, mut i)) = name_at(src, &top, i) else {
        return Vec::new();
    };
    if top.get(i).is_some_and(|t| t.is_punct(src, "*")) {
        i += 1;
    }
    if top.get(i).is_some_and(|t| t.is_word(src, "ON"))
        && top.get(i + 1).is_some_and(|t| t.is_word(src, "CLUSTER"))
    {
        i += 3;
    }
    // the head holds no parentheses, so its tokens are the first `i` of the statement
    let Some(first) = top.get(i) else {
        return Vec::new();
    };
    let Some(start) = toks.iter().position(|t| t.span == first.span) else {
        return Vec::new();
    };
    if start != i {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut piece: Option<(usize, usize)> = None;
    for t in &toks[start..] {
        if t.kind == TokenKind::Punct && depth == 0 && t.text(src) == "," {
            out.extend(piece.take().map(|(s, e)| Span::new(s, e)));
            continue;
        }
        if t.is_punct(src, "(") {
            depth += 1;
        } else if t.is_punct(src, ")") {
            depth -= 1;
        }
        piece = Some(match piece {
            Some((s, _)) => (s, t.span.end),
            None => (t.span.start, t.span.end),
        });
    }
    out.extend(piece.map(|(s, e)| Span::new(s, e)));
    out
}

#[cfg(test)]
mod tests {
    use crate::source::Dialect;
    use crate::sql::{Options, analyze};

    fn actions(src: &str, dialect: Dialect) -> Vec<String> {
        let stmts = analyze(src, dialect, Options::default());
        stmts[0]
            .actions
            .iter()
            .map(|s| src[s.start..s.end].to_string())
            .collect()
    }

    #[test]
    fn each_action_of_a_multi_action_alter() {
        let src = "ALTER TABLE IF EXISTS ONLY public.t\n  ADD COLUMN a numeric(10, 2) DEFAULT 0, -- note\n  DROP COLUMN b,\n  ALTER COLUMN c SET NOT NULL;";
        assert_eq!(
            actions(src, Dialect::Postgres),
            [
                "ADD COLUMN a numeric(10, 2) DEFAULT 0",
                "DROP COLUMN b",
                "ALTER COLUMN c SET NOT NULL"
            ]
        );
        // read by tokens (sqlparser refuses it): the same pieces
        let src = "ALTER TABLE t DROP COLUMN b, ALTER COLUMN c SET NOT NULL, FROBNICATE x;";
        let s = &analyze(src, Dialect::Postgres, Options::default())[0];
        assert!(s.ast.is_none());
        assert_eq!(
            actions(src, Dialect::Postgres),
            [
                "DROP COLUMN b",
                "ALTER COLUMN c SET NOT NULL",
                "FROBNICATE x"
            ]
        );
        // MySQL, quoted names
        assert_eq!(
            actions(
                "ALTER TABLE `db`.`t` DROP COLUMN `b`, MODIFY `c` int NOT NULL;",
                Dialect::Mysql
            ),
            ["DROP COLUMN `b`", "MODIFY `c` int NOT NULL"]
        );
    }

    #[test]
    fn one_action_or_another_statement_has_none() {
        assert!(actions("ALTER TABLE t DROP COLUMN b;", Dialect::Postgres).is_empty());
        assert!(actions("DROP TABLE a, b;", Dialect::Postgres).is_empty());
        assert!(actions("ALTER INDEX i RENAME TO j;", Dialect::Postgres).is_empty());
    }
}
