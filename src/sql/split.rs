//! Statement splitter. Works on tokens, so it never cuts inside quotes, dollar quotes or
//! comments, and it keeps `CREATE TRIGGER/FUNCTION/PROCEDURE … BEGIN … END` bodies whole.
//! It also understands psql's `\` meta-command lines, `COPY … FROM stdin` data blocks and
//! MySQL's `DELIMITER` directive.

use super::lexer::{Lexer, Token, TokenKind};
use crate::source::{Dialect, Span};

/// One statement: from its first token to its last (terminator excluded).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawStatement {
    pub span: Span,
    /// The statement's tokens (comments excluded), spans relative to the whole text.
    pub tokens: Vec<Token>,
    /// True when the text ended inside a quote or comment.
    pub unterminated: bool,
}

pub fn split(src: &str, dialect: Dialect) -> Vec<RawStatement> {
    let mut out = Vec::new();
    let mut lx = Lexer::new(src, dialect);
    let bytes = src.as_bytes();
    // room for a statement's tokens (each statement gets a copy of its own size)
    let mut cur: Vec<Token> = Vec::with_capacity(64);
    let mut unterminated = false;
    // BEGIN … END nesting inside a routine body
    let mut depth = 0usize;
    let mut delimiter: Option<String> = None;

    let flush = |cur: &mut Vec<Token>, unterminated: &mut bool, out: &mut Vec<RawStatement>| {
        if let (Some(first), Some(last)) = (cur.first(), cur.last()) {
            out.push(RawStatement {
                span: Span::new(first.span.start, last.span.end),
                // a copy of its size: `cur` keeps its room for the next statement
                tokens: cur.clone(),
                unterminated: *unterminated,
            });
        }
        cur.clear();
        *unterminated = false;
    };

    loop {
        // At a statement boundary, handle line-oriented directives.
        if cur.is_empty() {
            let save = lx.pos();
            skip_ws_and_comments(&mut lx);
            let p = lx.pos();
            let line_end = bytes[p..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(bytes.len(), |i| p + i);
            let line = &src[p..line_end];
            if line.starts_with('\\') {
                // psql meta-command: not SQL (`\copy … from stdin` data too)
                lx.set_pos(super::psql::meta_command_end(src, p));
                continue;
            }
            if !dialect.is_postgres_like()
                && line.len() >= 10
                && line[..10].eq_ignore_ascii_case("delimiter ")
            {
                let d = line[10..].trim();
                delimiter = if d == ";" || d.is_empty() {
                    None
                } else {
                    Some(d.to_string())
                };
                lx.set_pos(line_end);
                continue;
            }
            if p >= bytes.len() {
                break;
            }
            let _ = save;
        }
        if let Some(d) = &delimiter {
            let p = lx.pos();
            let after_ws = p + bytes[p..]
                .iter()
                .take_while(|b| b.is_ascii_whitespace())
                .count();
            if src[after_ws..].starts_with(d.as_str()) {
                lx.set_pos(after_ws + d.len());
                flush(&mut cur, &mut unterminated, &mut out);
                continue;
            }
        }
        let Some(tok) = lx.next_token() else { break };
        match tok.kind {
            TokenKind::Comment => continue,
            TokenKind::Semicolon if depth == 0 && delimiter.is_none() => {
                let copy_stdin = is_copy_from_stdin(src, &cur);
                flush(&mut cur, &mut unterminated, &mut out);
                if copy_stdin {
                    // data rows follow until a line that is exactly `\.`
                    let p = lx.pos();
                    let end = find_copy_end(src, p);
                    lx.set_pos(end);
                }
                continue;
            }
            TokenKind::Unterminated => unterminated = true,
            // a psql meta-command (`\gset`, `\g`, `\if`, …) ends the statement and is not SQL
            TokenKind::Punct if depth == 0 && bytes[tok.span.start] == b'\\' => {
                flush(&mut cur, &mut unterminated, &mut out);
                lx.set_pos(super::psql::meta_command_end(src, tok.span.start));
                continue;
            }
            // T-SQL: a `GO` line ends the batch
            TokenKind::Word
                if dialect == Dialect::Mssql
                    && depth == 0
                    && super::psql::is_go_line(src, tok.span) =>
            {
                flush(&mut cur, &mut unterminated, &mut out);
                let line_end = src[tok.span.end..]
                    .find('\n')
                    .map_or(src.len(), |i| tok.span.end + i);
                lx.set_pos(line_end);
                continue;
            }
            TokenKind::Word => {
                let w = tok.text(src);
                let opens = (w.eq_ignore_ascii_case("BEGIN")
                    && (depth > 0 || opens_body(src, &cur)))
                    || (depth > 0 && w.eq_ignore_ascii_case("CASE"));
                if opens {
                    depth += 1;
                } else if depth > 0 && w.eq_ignore_ascii_case("END") {
                    let next = peek_word(src, dialect, lx.pos());
                    let closes_other = next.as_deref().is_some_and(|n| {
                        ["IF", "LOOP", "WHILE", "REPEAT", "FOR"]
                            .iter()
                            .any(|k| n.eq_ignore_ascii_case(k))
                    });
                    if !closes_other {
                        depth -= 1;
                    }
                }
            }
            _ => {}
        }
        cur.push(tok);
    }
    flush(&mut cur, &mut unterminated, &mut out);
    out
}

fn skip_ws_and_comments(lx: &mut Lexer) {
    loop {
        let p = lx.pos();
        match lx.next_token() {
            Some(t) if t.kind == TokenKind::Comment => continue,
            Some(t) => {
                // put it back: restart at the token
                lx.set_pos(t.span.start);
                return;
            }
            None => {
                let _ = p;
                return;
            }
        }
    }
}

fn peek_word(src: &str, dialect: Dialect, pos: usize) -> Option<String> {
    let mut lx = Lexer::at(src, dialect, pos);
    lx.find(|t| !t.is_trivia())
        .filter(|t| t.kind == TokenKind::Word)
        .map(|t| t.text(src).to_string())
}

/// `BEGIN` opens a body only inside CREATE TRIGGER/FUNCTION/PROCEDURE/EVENT (or `BEGIN ATOMIC`);
/// a statement that is just `BEGIN` starts a transaction.
fn opens_body(src: &str, cur: &[Token]) -> bool {
    let Some(first) = cur.first() else {
        return false;
    };
    if !first.is_word(src, "CREATE") {
        return false;
    }
    cur.iter().take(12).any(|t| {
        ["TRIGGER", "FUNCTION", "PROCEDURE", "EVENT"]
            .iter()
            .any(|k| t.is_word(src, k))
    })
}

fn is_copy_from_stdin(src: &str, cur: &[Token]) -> bool {
    cur.first().is_some_and(|t| t.is_word(src, "COPY"))
        && cur
            .windows(2)
            .any(|w| w[0].is_word(src, "FROM") && w[1].is_word(src, "STDIN"))
}

pub(super) fn find_copy_end(src: &str, from: usize) -> usize {
    let mut pos = from;
    // the rest of the COPY line itself
    if let Some(i) = src[pos..].find('\n') {
        pos += i + 1;
    } else {
        return src.len();
    }
    while pos < src.len() {
        let end = src[pos..].find('\n').map_or(src.len(), |i| pos + i);
        if src[pos..end].trim_end() == "\\." {
            return end;
        }
        pos = end + 1;
    }
    src.len()
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// The statements' texts (also used by `sql::psql`'s tests).
    pub(in crate::sql) fn texts(src: &str, d: Dialect) -> Vec<&str> {
        split(src, d)
            .iter()
            .map(|s| &src[s.span.start..s.span.end])
            .collect()
    }

    #[test]
    fn splits_on_semicolons_outside_quotes_and_comments() {
        let src =
            "-- a; comment\nSELECT 'x;y';\n/* ; */ DELETE FROM t WHERE a = $$;$$;\nDROP TABLE t";
        assert_eq!(
            texts(src, Dialect::Postgres),
            vec![
                "SELECT 'x;y'",
                "DELETE FROM t WHERE a = $$;$$",
                "DROP TABLE t"
            ]
        );
    }

    #[test]
    fn trigger_bodies_stay_whole_and_transactions_split() {
        let src = "BEGIN;\nCREATE TRIGGER t AFTER INSERT ON a BEGIN DELETE FROM b; UPDATE c SET x = CASE WHEN 1 THEN 2 END; END;\nCOMMIT;";
        let t = texts(src, Dialect::Sqlite);
        assert_eq!(t.len(), 3, "{t:?}");
        assert!(t[1].ends_with("END; END"));
    }

    #[test]
    fn psql_meta_commands_and_copy_data_are_skipped() {
        let src = "\\connect app\nCOPY t (a) FROM stdin;\n1;DROP TABLE x\n\\.\nDROP TABLE y;";
        assert_eq!(
            texts(src, Dialect::Postgres),
            vec!["COPY t (a) FROM stdin", "DROP TABLE y"]
        );
    }

    #[test]
    fn mysql_delimiter_directive() {
        let src = "DELIMITER //\nCREATE PROCEDURE p() BEGIN DELETE FROM t; END //\nDELIMITER ;\nDROP TABLE x;";
        let t = texts(src, Dialect::Mysql);
        assert_eq!(
            t,
            vec![
                "CREATE PROCEDURE p() BEGIN DELETE FROM t; END",
                "DROP TABLE x"
            ]
        );
    }

    #[test]
    fn unterminated_quote_is_flagged() {
        let s = split("DROP TABLE x; SELECT 'oops", Dialect::Postgres);
        assert_eq!(s.len(), 2);
        assert!(!s[0].unterminated);
        assert!(s[1].unterminated);
    }
}
